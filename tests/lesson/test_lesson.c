/* Unit tests: lesson parsing and validation (table in cases.h), time
 * strings, ids and lookups, limits, editing and saving. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/util.h"
#include "lesson/jsonscan.h"
#include "shadowing/lesson.h"

#include "cases.h"

/* Every diagnostic of `d`, formatted, joined by '\n' (malloc'ed). */
static char *all_diags(const sh_diag *d)
{
    size_t cap = 1, n = sh_diag_count(d, -1);
    char line[2048];
    for (size_t i = 0; i < n; i++)
        cap += strlen(sh_diag_format(sh_diag_get(d, i), line, sizeof line)) + 1;
    char *out = calloc(1, cap);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, "\n");
        strcat(out, sh_diag_format(sh_diag_get(d, i), line, sizeof line));
    }
    return out;
}

static sh_lesson *parse_ok(const char *json, sh_diag **dout)
{
    sh_diag *d = sh_diag_new();
    sh_lesson *l = NULL;
    int rc = sh_lesson_parse(json, strlen(json), "dir/t.json", 0, &l, d);
    if (rc != SH_OK) {
        char *s = all_diags(d);
        print_error("unexpected failure %d:\n%s\n", rc, s);
        free(s);
    }
    assert_int_equal(rc, SH_OK);
    if (dout)
        *dout = d;
    else
        sh_diag_free(d);
    return l;
}

static void test_cases(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const lesson_case *c = &cases[k];
        sh_diag *d = sh_diag_new();
        sh_lesson *l = NULL;
        int rc = sh_lesson_parse(c->json, strlen(c->json), "t.json", c->flags, &l, d);
        char *got = all_diags(d);
        if (rc != c->rc || strcmp(got, c->diags) != 0) {
            print_error("case \"%s\": rc %d (want %d)\n--- got:\n%s\n--- want:\n%s\n", c->name, rc, c->rc, got,
                        c->diags);
            failed++;
        }
        /* A lesson comes back exactly when the load succeeds. */
        if ((rc == SH_OK) != (l != NULL)) {
            print_error("case \"%s\": lesson %p with rc %d\n", c->name, (void *)l, rc);
            failed++;
        }
        /* Every diagnostic is located. */
        for (size_t i = 0; i < sh_diag_count(d, -1); i++)
            if (sh_diag_get(d, i)->line <= 0 || sh_diag_get(d, i)->col <= 0) {
                print_error("case \"%s\": diagnostic %zu has no line:column\n", c->name, i);
                failed++;
            }
        free(got);
        sh_lesson_free(l);
        sh_diag_free(d);
    }
    assert_int_equal(failed, 0);
}

/* Diagnostics carry the cue's id and index as fields too (for --json). */
static void test_diag_fields(void **state)
{
    (void)state;
    const char *j = LESSON("{\"id\": \"a\", \"begin\": 0, \"end\": 1, \"text\": \"A\"},\n"
                           "{\"id\": \"b\", \"begin\": 2, \"end\": 1, \"text\": \"B\"}");
    sh_diag *d = sh_diag_new();
    sh_lesson *l = NULL;
    assert_int_equal(sh_lesson_parse(j, strlen(j), "x.json", 0, &l, d), SH_ERR_FORMAT);
    assert_int_equal(sh_diag_count(d, SH_DIAG_ERROR), 1);
    const sh_diag_entry *e = sh_diag_get(d, 0);
    assert_string_equal(e->cue_id, "b");
    assert_int_equal(e->cue_index, 2);
    assert_string_equal(e->file, "x.json");
    assert_int_equal(e->line, 4);
    sh_diag_free(d);
}

static void test_model(void **state)
{
    (void)state;
    const char *j =
        "{\"shadowing\": 1, \"title\": \"News\", \"audio\": \"audio/n.mp3\", \"language\": \"en-GB\",\n"
        " \"translation_language\": \"zh\", \"source\": \"https://example.org/a\", \"level\": \"B2\", \"notes\": \"n\",\n"
        " \"defaults\": {\"lead\": 0.2, \"tail\": \"0.5\", \"gap\": \"x1.5\", \"loops\": 3},\n"
        " \"vocabulary\": [{\"word\": \"tariff\", \"ipa\": \"/ˈtærɪf/\", \"meaning\": \"关税\"}, {\"word\": \"levy\"}],\n"
        " \"cues\": [\n"
        "  {\"begin\": 0, \"end\": 2.5, \"text\": \"One.\", \"translation\": \"一。\", \"notes\": \"slow\", \"loops\": 2},\n"
        "  {\"id\": \"p1\", \"begin\": \"00:03\", \"end\": \"1:00:00.125\", \"text\": \"Two.\"},\n"
        "  {\"begin\": 3601, \"end\": 3602, \"text\": \"Three.\"}\n"
        " ]}";
    sh_diag *d = NULL;
    sh_lesson *l = parse_ok(j, &d);
    /* Only the long-cue warning (cue 2 lasts an hour). */
    assert_int_equal(sh_diag_count(d, SH_DIAG_WARNING), 1);
    sh_diag_free(d);
    assert_string_equal(sh_lesson_path(l), "dir/t.json");
    assert_string_equal(sh_lesson_title(l), "News");
    assert_string_equal(sh_lesson_audio(l), "audio/n.mp3");
    assert_string_equal(sh_lesson_audio_path(l), "dir/audio/n.mp3");
    assert_string_equal(sh_lesson_language(l), "en-GB");
    assert_string_equal(sh_lesson_translation_language(l), "zh");
    assert_string_equal(sh_lesson_source(l), "https://example.org/a");
    assert_string_equal(sh_lesson_level(l), "B2");
    assert_string_equal(sh_lesson_notes(l), "n");
    const sh_playback_defaults *pd = sh_lesson_defaults(l);
    assert_true(fabs(pd->lead_s - 0.2) < 1e-12);
    assert_true(fabs(pd->tail_s - 0.5) < 1e-12);
    assert_true(fabs(pd->gap_factor - 1.5) < 1e-12);
    assert_int_equal(pd->loops, 3);
    assert_int_equal(sh_lesson_vocab_count(l), 2);
    assert_string_equal(sh_lesson_vocab(l, 0)->ipa, "/ˈtærɪf/");
    assert_string_equal(sh_lesson_vocab(l, 0)->meaning, "关税");
    assert_null(sh_lesson_vocab(l, 1)->ipa);
    assert_null(sh_lesson_vocab(l, 2));

    assert_int_equal(sh_lesson_cue_count(l), 3);
    const sh_cue *c = sh_lesson_cue(l, 0);
    /* "p1" is taken by cue 2, so cue 1 gets the next free number. */
    assert_string_equal(c->id, "p2");
    assert_int_equal(c->index, 1);
    assert_string_equal(c->translation, "一。");
    assert_string_equal(c->notes, "slow");
    assert_int_equal(c->loops, 2);
    assert_int_equal(c->line, 6);
    assert_int_equal(c->col, 3);
    c = sh_lesson_cue(l, 1);
    assert_string_equal(c->id, "p1");
    assert_true(c->begin == 3.0);
    assert_true(c->end == 3600.125);
    assert_null(c->translation);
    assert_int_equal(c->loops, 0);
    /* Cue 3 wants "p3": free. */
    assert_string_equal(sh_lesson_cue(l, 2)->id, "p3");
    assert_null(sh_lesson_cue(l, 3));
    sh_lesson_free(l);

    /* Built-in defaults and language. */
    l = parse_ok(LESSON("{\"begin\": 0, \"end\": 1, \"text\": \"A\"}"), NULL);
    pd = sh_lesson_defaults(l);
    assert_true(pd->lead_s == 0.05 && pd->tail_s == 0.3 && pd->gap_s == 0 && pd->gap_factor == 0 && pd->loops == 1);
    assert_string_equal(sh_lesson_language(l), "en");
    assert_null(sh_lesson_translation_language(l));
    assert_int_equal(sh_lesson_vocab_count(l), 0);
    sh_lesson_free(l);
}

static void test_find_cue(void **state)
{
    (void)state;
    sh_lesson *l = parse_ok(LESSON("{\"begin\": 0, \"end\": 1, \"text\": \"A\"},\n"
                                   "{\"id\": \"3\", \"begin\": 1, \"end\": 2, \"text\": \"B\"},\n"
                                   "{\"id\": \"intro\", \"begin\": 2, \"end\": 3, \"text\": \"C\"},\n"
                                   "{\"begin\": 3, \"end\": 4, \"text\": \"D\"}"),
                            NULL);
    assert_string_equal(sh_lesson_find_cue(l, "p1")->text, "A");
    assert_string_equal(sh_lesson_find_cue(l, "1")->text, "A");
    assert_string_equal(sh_lesson_find_cue(l, "intro")->text, "C");
    assert_string_equal(sh_lesson_find_cue(l, "p4")->text, "D");
    assert_string_equal(sh_lesson_find_cue(l, "4")->text, "D");
    /* An id wins over an index: "3" is cue #2's id. */
    assert_string_equal(sh_lesson_find_cue(l, "3")->text, "B");
    assert_null(sh_lesson_find_cue(l, "0"));
    assert_null(sh_lesson_find_cue(l, "5"));
    assert_null(sh_lesson_find_cue(l, "-1"));
    assert_null(sh_lesson_find_cue(l, " 1"));
    assert_null(sh_lesson_find_cue(l, "p2"));
    assert_null(sh_lesson_find_cue(l, ""));
    assert_null(sh_lesson_find_cue(l, NULL));
    assert_null(sh_lesson_find_cue(l, "99999999999999999999"));
    sh_lesson_free(l);
}

static void test_time_parse(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool ok;
        double v;
    } t[] = {
        {"1:02:03.5", true, 3723.5}, {"02:03", true, 123}, {"2:03", true, 123}, {"3.25", true, 3.25},
        {"0", true, 0}, {"125", true, 125}, {"90:00", true, 5400}, {"00:59.999", true, 59.999},
        {"0:00:00.001", true, 0.001}, {" 1:02 ", true, 62}, {"\t4\t", true, 4}, {"100:00:00", true, 360000},
        {"1.123456789123", true, 1.123456789}, {"007", true, 7},
        {"00:60", false, 0}, {"1:60:00", false, 0}, {"1:2", false, 0}, {"1:2:3", false, 0},
        {"1:2:3:4", false, 0}, {"01:02:03:04", false, 0}, {"", false, 0}, {"  ", false, 0}, {"-1", false, 0},
        {"+1", false, 0}, {"1e3", false, 0}, {"inf", false, 0}, {"nan", false, 0}, {"0x10", false, 0},
        {"3,25", false, 0}, {".5", false, 0}, {"5.", false, 0}, {"1:02.", false, 0}, {"1.5:00", false, 0},
        {":30", false, 0}, {"1:", false, 0}, {"1 :02", false, 0}, {"1:02 x", false, 0},
        {"9999999999", false, 0}, {"99999999999999999999:00", false, 0}, {"12:345", false, 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        double v = -42;
        bool ok = sh_time_parse(t[i].s, &v);
        if (ok != t[i].ok || (ok && fabs(v - t[i].v) > 1e-9)) {
            print_error("\"%s\": ok %d v %.12g, want ok %d v %.12g\n", t[i].s, ok, v, t[i].ok, t[i].v);
            fail();
        }
        if (!ok)
            assert_true(v == -42); /* untouched */
    }
    double v;
    assert_false(sh_time_parse(NULL, &v));
    /* Exact for values a teacher types. */
    assert_true(sh_time_parse("1:02.5", &v) && v == 62.5);
}

static void test_time_format(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *s;
    } t[] = {
        {0, "00:00.000"}, {62.5, "01:02.500"}, {3723.5, "1:02:03.500"}, {59.9996, "01:00.000"},
        {0.0004, "00:00.000"}, {-1.5, "-00:01.500"}, {-0.0001, "00:00.000"}, {360000, "100:00:00.000"},
        {NAN, "--:--.---"}, {INFINITY, "inf"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        assert_string_equal(sh_time_format(t[i].v, buf, sizeof buf), t[i].s);
    /* Round trip through the parser. */
    for (double x = 0; x < 8000; x += 123.457) {
        double y;
        assert_true(sh_time_parse(sh_time_format(x, buf, sizeof buf), &y));
        assert_true(fabs(x - y) <= 0.0005 + 1e-9);
    }
    char small[4];
    assert_string_equal(sh_time_format(62.5, small, sizeof small), "01:");
}

static void test_ids_generated(void **state)
{
    (void)state;
    /* Explicit ids p2 and p3 push the generated ones past them. */
    sh_lesson *l = parse_ok(LESSON("{\"begin\": 0, \"end\": 1, \"text\": \"A\"},\n"
                                   "{\"begin\": 1, \"end\": 2, \"text\": \"B\"},\n"
                                   "{\"id\": \"p2\", \"begin\": 2, \"end\": 3, \"text\": \"C\"},\n"
                                   "{\"id\": \"p3\", \"begin\": 3, \"end\": 4, \"text\": \"D\"},\n"
                                   "{\"begin\": 4, \"end\": 5, \"text\": \"E\"}"),
                            NULL);
    const char *want[] = {"p1", "p4", "p2", "p3", "p5"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(sh_lesson_cue(l, i)->id, want[i]);
    sh_lesson_free(l);
}

static void test_locate(void **state)
{
    (void)state;
    sh_lesson *l = parse_ok("{\"shadowing\": 1, \"title\": \"T\",\n  \"audio\": \"a.mp3\",\n"
                            "\"defaults\": {\"loops\": 2},\n"
                            "\"cues\": [{\"begin\": 0, \"end\": 1, \"text\": \"A\"},\n"
                            "  {\"begin\": 1,\n   \"end\": 2, \"text\": \"B\", \"x\": {\"deep\": 1}}]}",
                            NULL);
    int line, col;
    assert_int_equal(sh_lesson_locate(l, "audio", &line, &col), SH_OK);
    assert_int_equal(line, 2);
    assert_int_equal(col, 12);
    assert_int_equal(sh_lesson_locate(l, "cues[1].end", &line, &col), SH_OK);
    assert_int_equal(line, 6);
    assert_int_equal(col, 11);
    assert_int_equal(sh_lesson_locate(l, "cues[1]", &line, &col), SH_OK);
    assert_int_equal(line, 5);
    assert_int_equal(col, 3);
    assert_int_equal(sh_lesson_locate(l, "defaults.loops", &line, &col), SH_OK);
    assert_int_equal(line, 3);
    assert_int_equal(col, 23);
    assert_int_equal(sh_lesson_locate(l, "", &line, &col), SH_OK);
    assert_int_equal(line, 1);
    assert_int_equal(sh_lesson_locate(l, "cues[2]", &line, &col), SH_ERR_NOT_FOUND);
    assert_int_equal(sh_lesson_locate(l, "cues[1].x.deep.a.b", &line, &col), SH_ERR_NOT_FOUND);
    assert_int_equal(sh_lesson_locate(l, "nope", &line, &col), SH_ERR_NOT_FOUND);
    assert_int_equal(sh_lesson_locate(l, "title[0]", &line, &col), SH_ERR_NOT_FOUND);
    assert_int_equal(line, 0);
    /* Locations describe the file as loaded, not an edited lesson. */
    assert_int_equal(sh_lesson_set_string(l, "title", "U"), SH_OK);
    assert_int_equal(sh_lesson_locate(l, "audio", &line, &col), SH_ERR_NOT_FOUND);
    sh_lesson_free(l);
}

static void test_audio_duration(void **state)
{
    (void)state;
    sh_lesson *l = parse_ok(LESSON("{\"begin\": 0, \"end\": 4, \"text\": \"A\"},\n"
                                   "{\"begin\": 5, \"end\": 10.0004, \"text\": \"B\"},\n"
                                   "{\"begin\": 10.5,\n \"end\": 12, \"text\": \"C\"}"),
                            NULL);
    sh_diag *d = sh_diag_new();
    assert_int_equal(sh_lesson_check_audio_duration(l, 12.0, d), 0);
    assert_int_equal(sh_lesson_check_audio_duration(l, 10.0, d), 1);
    char *got = all_diags(d);
    assert_string_equal(got, "dir/t.json:6:9: error: cue \"p3\" (#3): \"end\" 00:12.000 is after the end of the audio "
                             "(00:10.000): make it 00:10.000 or earlier, or check that \"audio\" names the right file");
    free(got);
    sh_diag_free(d);
    sh_lesson_free(l);
}

/* Nesting: 32 levels are fine, 33 are refused before cJSON recurses. */
static void test_nesting_limit(void **state)
{
    (void)state;
    for (int depth = 31; depth <= 33; depth++) {
        static char j[4096];
        int n = sprintf(j, "%s", "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", "
                                 "\"cues\": [{\"begin\": 0, \"end\": 1, \"text\": \"A\"}], \"x\": ");
        for (int k = 1; k < depth; k++) /* the root object is level 1 */
            j[n++] = '[';
        for (int k = 1; k < depth; k++)
            j[n++] = ']';
        j[n++] = '}';
        j[n] = '\0';
        sh_diag *d = sh_diag_new();
        sh_lesson *l = NULL;
        int rc = sh_lesson_parse(j, (size_t)n, "t.json", 0, &l, d);
        if (depth <= SH_LESSON_MAX_DEPTH) {
            assert_int_equal(rc, SH_OK);
        } else {
            assert_int_equal(rc, SH_ERR_FORMAT);
            char *got = all_diags(d);
            assert_string_equal(got, "t.json:1:133: error: nested deeper than 32 levels: a lesson needs only a few; "
                                     "flatten this array");
            free(got);
        }
        sh_lesson_free(l);
        sh_diag_free(d);
    }
    /* Far deeper than cJSON's own limit: still one clean error. */
    size_t n = 100000;
    char *j = malloc(n + 1);
    memset(j, '[', n);
    j[n] = '\0';
    sh_diag *d = sh_diag_new();
    sh_lesson *l = NULL;
    assert_int_equal(sh_lesson_parse(j, n, "t.json", 0, &l, d), SH_ERR_FORMAT);
    assert_int_equal(sh_diag_get(d, 0)->col, 33);
    sh_diag_free(d);
    free(j);
}

static void test_size_limit(void **state)
{
    (void)state;
    size_t n = SH_LESSON_MAX_BYTES + 1;
    char *j = malloc(n);
    assert_non_null(j);
    memset(j, ' ', n);
    memcpy(j, LESSON("{\"begin\": 0, \"end\": 1, \"text\": \"A\"}"),
           strlen(LESSON("{\"begin\": 0, \"end\": 1, \"text\": \"A\"}")));
    sh_diag *d = sh_diag_new();
    sh_lesson *l = NULL;
    assert_int_equal(sh_lesson_parse(j, n, "big.json", 0, &l, d), SH_ERR_TOO_LARGE);
    assert_null(l);
    char *got = all_diags(d);
    assert_string_equal(got, "big.json: error: the file is 16.0 MiB, over the 16 MiB limit for lesson files: split "
                             "the lesson");
    free(got);
    sh_diag_free(d);
    /* Exactly at the limit is fine (trailing spaces). */
    d = sh_diag_new();
    assert_int_equal(sh_lesson_parse(j, n - 1, "big.json", 0, &l, d), SH_OK);
    sh_lesson_free(l);
    sh_diag_free(d);

    /* The same through a file. */
    char dir[] = "/tmp/sh-lesson-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = sh_asprintf("%s/big.json", dir);
    sh_error err = {0};
    assert_int_equal(sh_write_file_atomic(path, j, n, &err), SH_OK);
    d = sh_diag_new();
    assert_int_equal(sh_lesson_load(path, 0, &l, d), SH_ERR_TOO_LARGE);
    got = all_diags(d);
    char *want = sh_asprintf("%s: error: file is larger than the 16 MiB limit: split the lesson", path);
    assert_string_equal(got, want);
    free(want);
    free(got);
    sh_diag_free(d);
    unlink(path);
    free(path);

    /* A missing file. */
    path = sh_asprintf("%s/none.json", dir);
    d = sh_diag_new();
    assert_int_equal(sh_lesson_load(path, 0, &l, d), SH_ERR_NOT_FOUND);
    got = all_diags(d);
    want = sh_asprintf("%s: error: cannot open: No such file or directory: check the path", path);
    assert_string_equal(got, want);
    free(want);
    free(got);
    sh_diag_free(d);
    free(path);
    rmdir(dir);
    free(j);
}

/* A lesson with exactly `nvalues` JSON values, on one line: 10 values of a
 * minimal lesson and the rest zeros in "x". Returns its length. */
static char *values_lesson(size_t nvalues, size_t *len)
{
    static const char head[] = "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", "
                               "\"cues\": [{\"begin\": 0, \"end\": 1, \"text\": \"A\"}], \"x\": [";
    size_t zeros = nvalues - 10, hl = strlen(head);
    char *j = malloc(hl + 2 * zeros + 3);
    assert_non_null(j);
    memcpy(j, head, hl);
    char *p = j + hl;
    for (size_t i = 0; i < zeros; i++) {
        *p++ = '0';
        *p++ = ',';
    }
    p[-1] = ']';
    *p++ = '}';
    *p = '\0';
    *len = (size_t)(p - j);
    return j;
}

static void test_value_limit(void **state)
{
    (void)state;
    /* At the limit: loads. */
    size_t len;
    char *j = values_lesson(SH_LESSON_MAX_VALUES, &len);
    sh_diag *d = sh_diag_new();
    sh_lesson *l = NULL;
    assert_int_equal(sh_lesson_parse(j, len, "t.json", 0, &l, d), SH_OK);
    assert_non_null(l);
    assert_int_equal(sh_lesson_cue_count(l), 1);
    sh_lesson_free(l);
    sh_diag_free(d);
    free(j);

    /* One value more: refused at that value (the last zero, before "]}"). */
    j = values_lesson(SH_LESSON_MAX_VALUES + 1, &len);
    d = sh_diag_new();
    assert_int_equal(sh_lesson_parse(j, len, "t.json", 0, &l, d), SH_ERR_FORMAT);
    assert_null(l);
    char *got = all_diags(d);
    char *want = sh_asprintf("t.json:1:%zu: error: more than %u JSON values in the file: a lesson needs far fewer; "
                             "remove the data that is not part of the lesson, or split the lesson",
                             len - 2, SH_LESSON_MAX_VALUES);
    assert_string_equal(got, want);
    free(want);
    free(got);
    sh_diag_free(d);
    free(j);

    /* The scanner itself: keys do not count, every value does, and it never
     * allocates more nodes than the limit. */
    const char *t = "{\"a\": [1, \"s\", null], \"b\": {\"c\": true}}"; /* 7 values */
    sh_jscan sc;
    assert_true(sh_json_scan(t, strlen(t), 32, 7, 4, &sc));
    assert_int_equal(sc.n, 7);
    assert_true(sc.cap <= 7);
    sh_jscan_free(&sc);
    assert_false(sh_json_scan(t, strlen(t), 32, 6, 4, &sc));
    assert_false(sc.nomem);
    assert_int_equal(sc.err_line, 1);
    assert_int_equal(sc.err_col, 34); /* true */
    assert_true(sc.n <= 6 && sc.cap <= 6);
    sh_jscan_free(&sc);
    assert_true(sh_json_scan(t, strlen(t), 32, 0, 4, &sc)); /* 0: no limit */
    sh_jscan_free(&sc);
}

static void test_linecol(void **state)
{
    (void)state;
    const char *t = "ab\n中文x\n\tz";
    int line, col;
    sh_json_linecol(t, strlen(t), 0, &line, &col);
    assert_true(line == 1 && col == 1);
    sh_json_linecol(t, strlen(t), 2, &line, &col);
    assert_true(line == 1 && col == 3);
    sh_json_linecol(t, strlen(t), 9, &line, &col); /* 'x' after two 3-byte characters */
    assert_true(line == 2 && col == 3);
    sh_json_linecol(t, strlen(t), 12, &line, &col); /* 'z' after a tab */
    assert_true(line == 3 && col == 2);
    sh_json_linecol(t, strlen(t), 999, &line, &col);
    assert_true(line == 3 && col == 3);
    const char *b = "\xEF\xBB\xBFx";
    sh_json_linecol(b, strlen(b), 3, &line, &col);
    assert_true(line == 1 && col == 1);
}

/* ---- editing ---- */

static const char *edit_src =
    "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", \"x-app\": {\"zoom\": 2, \"marks\": [1, 2]},\n"
    "\"cues\": [\n"
    "{\"begin\": 0, \"end\": 1, \"text\": \"A\", \"speaker\": \"Ann\"},\n"
    "{\"id\": \"b\", \"begin\": \"00:01.000\", \"end\": \"00:02.000\", \"text\": \"B\", \"translation\": \"乙\"},\n"
    "{\"begin\": 2, \"end\": 3, \"text\": \"C\"}\n"
    "], \"zzz\": null}";

static void test_edit_round_trip(void **state)
{
    (void)state;
    sh_lesson *l = parse_ok(edit_src, NULL);
    assert_int_equal(sh_lesson_set_cue_times(l, 1, 1.2345, 2.5), SH_OK);
    assert_int_equal(sh_lesson_set_cue_times(l, 0, 0.1, 0.9), SH_OK);
    assert_int_equal(sh_lesson_set_cue_text(l, 2, "C!", "丙"), SH_OK);
    assert_int_equal(sh_lesson_set_cue_text(l, 1, NULL, ""), SH_OK); /* drop translation, keep text */
    assert_int_equal(sh_lesson_set_cue_string(l, 0, "notes", "stress on A"), SH_OK);
    assert_int_equal(sh_lesson_insert_cue(l, 1, NULL, "New", NULL, 0.95, 1.0), SH_OK);
    assert_int_equal(sh_lesson_remove_cue(l, 3), SH_OK); /* "C!" */
    assert_int_equal(sh_lesson_add_vocab(l, "levy", "/ˈlevi/", "征税"), SH_OK);
    assert_int_equal(sh_lesson_set_string(l, "source", "https://example.org"), SH_OK);
    assert_int_equal(sh_lesson_set_string(l, "title", "T2"), SH_OK);

    char *json = sh_lesson_to_json(l);
    assert_non_null(json);
    static const char want[] =
        "{\n"
        "  \"shadowing\": 1,\n"
        "  \"title\": \"T2\",\n"
        "  \"audio\": \"a.mp3\",\n"
        "  \"x-app\": {\n"
        "    \"zoom\": 2,\n"
        "    \"marks\": [1, 2]\n"
        "  },\n"
        "  \"cues\": [{\n"
        "      \"id\": \"p1\",\n"
        "      \"begin\": 0.1,\n"
        "      \"end\": 0.9,\n"
        "      \"text\": \"A\",\n"
        "      \"speaker\": \"Ann\",\n"
        "      \"notes\": \"stress on A\"\n"
        "    }, {\n"
        "      \"id\": \"p2\",\n"
        "      \"begin\": 0.95,\n"
        "      \"end\": 1,\n"
        "      \"text\": \"New\"\n"
        "    }, {\n"
        "      \"id\": \"b\",\n"
        "      \"begin\": \"00:01.235\",\n"
        "      \"end\": \"00:02.500\",\n"
        "      \"text\": \"B\"\n"
        "    }],\n"
        "  \"zzz\": null,\n"
        "  \"vocabulary\": [{\n"
        "      \"word\": \"levy\",\n"
        "      \"ipa\": \"/ˈlevi/\",\n"
        "      \"meaning\": \"征税\"\n"
        "    }],\n"
        "  \"source\": \"https://example.org\"\n"
        "}\n";
    if (strcmp(json, want) != 0)
        print_error("got:\n%s\n", json);
    assert_string_equal(json, want);

    /* The model follows the edits... */
    assert_int_equal(sh_lesson_cue_count(l), 3);
    assert_string_equal(sh_lesson_cue(l, 1)->id, "p2");
    assert_true(sh_lesson_cue(l, 2)->begin == 1.235);
    assert_null(sh_lesson_cue(l, 2)->translation);
    assert_string_equal(sh_lesson_title(l), "T2");
    assert_string_equal(sh_lesson_vocab(l, 0)->meaning, "征税");
    /* ...and the output loads back to the same lesson. */
    sh_lesson *r = parse_ok(json, NULL);
    char *again = sh_lesson_to_json(r);
    assert_string_equal(again, json);
    free(again);
    sh_lesson_free(r);
    free(json);
    sh_lesson_free(l);
}

static void test_edit_rejects(void **state)
{
    (void)state;
    sh_lesson *l = parse_ok(edit_src, NULL);
    char *before = sh_lesson_to_json(l);
    assert_int_equal(sh_lesson_set_cue_times(l, 0, 2, 1), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_set_cue_times(l, 0, -1, 1), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_set_cue_times(l, 0, 0, INFINITY), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_set_cue_times(l, 0, 1.0001, 1.0002), SH_ERR_INVALID); /* same millisecond */
    assert_int_equal(sh_lesson_set_cue_times(l, 3, 0, 1), SH_ERR_NOT_FOUND);
    assert_int_equal(sh_lesson_set_cue_text(l, 0, " ", NULL), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_set_cue_text(l, 9, "x", NULL), SH_ERR_NOT_FOUND);
    assert_int_equal(sh_lesson_set_cue_string(l, 0, "end", "1"), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_insert_cue(l, 0, "b", "dup", NULL, NAN, NAN), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_insert_cue(l, 0, "p1", "taken by a generated id", NULL, NAN, NAN), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_insert_cue(l, 0, "a/b", "bad id", NULL, NAN, NAN), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_insert_cue(l, 0, NULL, "", NULL, NAN, NAN), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_insert_cue(l, 4, NULL, "x", NULL, NAN, NAN), SH_ERR_NOT_FOUND);
    assert_int_equal(sh_lesson_remove_cue(l, 3), SH_ERR_NOT_FOUND);
    assert_int_equal(sh_lesson_add_vocab(l, "", NULL, NULL), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_set_string(l, "title", NULL), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_set_string(l, "audio", ""), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_set_string(l, "cues", "x"), SH_ERR_INVALID);
    char *after = sh_lesson_to_json(l);
    assert_string_equal(before, after); /* nothing changed */
    free(before);
    free(after);
    sh_lesson_free(l);
}

static void test_new_lesson(void **state)
{
    (void)state;
    assert_null(sh_lesson_new("x.json", "", "a.mp3"));
    assert_null(sh_lesson_new("x.json", "T", NULL));
    sh_lesson *l = sh_lesson_new("lessons/x.json", "Title", "x.mp3");
    assert_non_null(l);
    assert_int_equal(sh_lesson_cue_count(l), 0);
    assert_string_equal(sh_lesson_audio_path(l), "lessons/x.mp3");
    /* Untimed cues while the lesson is being made, ids p1, p2. */
    assert_int_equal(sh_lesson_insert_cue(l, 0, NULL, "First.", "一", NAN, NAN), SH_OK);
    assert_int_equal(sh_lesson_insert_cue(l, 1, NULL, "Second.", NULL, NAN, NAN), SH_OK);
    assert_int_equal(sh_lesson_insert_cue(l, 0, "intro", "Zero.", NULL, 0, 1), SH_OK);
    assert_string_equal(sh_lesson_cue(l, 1)->id, "p1");
    assert_string_equal(sh_lesson_cue(l, 2)->id, "p2");
    assert_true(isnan(sh_lesson_cue(l, 1)->begin));
    assert_int_equal(sh_lesson_set_cue_times(l, 1, 1, 2), SH_OK);
    assert_int_equal(sh_lesson_set_cue_times(l, 2, 2, 3.5), SH_OK);
    assert_int_equal(sh_lesson_set_string(l, "audio", "sub/y.mp3"), SH_OK);
    assert_string_equal(sh_lesson_audio_path(l), "lessons/sub/y.mp3");
    char *json = sh_lesson_to_json(l);
    /* Complete now: it loads without the untimed flag. */
    sh_lesson *r = parse_ok(json, NULL);
    assert_int_equal(sh_lesson_cue_count(r), 3);
    assert_string_equal(sh_lesson_find_cue(r, "p2")->text, "Second.");
    assert_true(sh_lesson_find_cue(r, "p2")->end == 3.5);
    sh_lesson_free(r);
    free(json);
    sh_lesson_free(l);
}

static char *read_all(const char *path)
{
    char *buf;
    size_t len;
    sh_error err = {0};
    assert_int_equal(sh_read_file(path, 1 << 20, &buf, &len, &err), SH_OK);
    return buf;
}

static void test_save_atomic(void **state)
{
    (void)state;
    char dir[] = "/tmp/sh-lesson-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = sh_asprintf("%s/lesson.json", dir);
    sh_error err = {0};
    assert_int_equal(sh_write_file_atomic(path, edit_src, strlen(edit_src), &err), SH_OK);

    sh_diag *d = sh_diag_new();
    sh_lesson *l = NULL;
    assert_int_equal(sh_lesson_load(path, 0, &l, d), SH_OK);
    sh_diag_free(d);
    assert_int_equal(sh_lesson_set_cue_times(l, 0, 0, 0.75), SH_OK);
    assert_int_equal(sh_lesson_save(l, NULL, &err), SH_OK);
    char *saved = read_all(path);
    char *mem = sh_lesson_to_json(l);
    assert_string_equal(saved, mem);
    free(saved);
    free(mem);

    /* A write that fails (file size limit, as on a full disk) keeps the old
     * file whole and leaves no temporary file. */
    char *old = read_all(path);
    for (int i = 0; i < 200; i++)
        assert_int_equal(sh_lesson_add_vocab(l, "a rather long vocabulary entry to make the file big", NULL,
                                             "一个相当长的词汇条目"), SH_OK);
    struct rlimit lim0, lim;
    getrlimit(RLIMIT_FSIZE, &lim0);
    lim = lim0;
    lim.rlim_cur = 4096;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int rc = sh_lesson_save(l, NULL, &err);
    setrlimit(RLIMIT_FSIZE, &lim0);
    assert_int_equal(rc, SH_ERR_DISK_FULL);
    assert_non_null(strstr(err.message, path));
    char *now = read_all(path);
    assert_string_equal(now, old);
    free(now);
    free(old);
    char *cmd = sh_asprintf("test $(ls -A %s | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);

    /* Saving elsewhere, into a folder that does not exist. */
    char *bad = sh_asprintf("%s/no/such/dir/l.json", dir);
    assert_int_equal(sh_lesson_save(l, bad, &err), SH_ERR_IO);
    assert_non_null(strstr(err.message, bad));
    free(bad);
    sh_lesson_free(l);

    /* A lesson without a file name. */
    l = sh_lesson_new(NULL, "T", "a.mp3");
    assert_int_equal(sh_lesson_save(l, NULL, &err), SH_ERR_INVALID);
    sh_lesson_free(l);
    unlink(path);
    rmdir(dir);
    free(path);
}

/* A file with thousands of problems reports the first 200 and a note with
 * the rest, so a broken 16 MiB file cannot flood memory or the screen. */
static void test_diag_cap(void **state)
{
    (void)state;
    size_t cap = 1 << 16, n = 0;
    char *j = malloc(cap);
    n += (size_t)sprintf(j + n, "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", \"cues\": [\n");
    for (int i = 0; i < 300; i++) /* 250 errors (end before begin), 50 warnings (short) */
        n += (size_t)sprintf(j + n, "%s{\"begin\": %d, \"end\": %d%s, \"text\": \"x\"}\n", i ? "," : "", i * 2,
                             i < 250 ? 0 : i * 2, i < 250 ? "" : ".1");
    n += (size_t)sprintf(j + n, "]}");
    sh_diag *d = sh_diag_new();
    sh_lesson *l = NULL;
    assert_int_equal(sh_lesson_parse(j, n, "t.json", 0, &l, d), SH_ERR_FORMAT);
    assert_int_equal(sh_diag_count(d, SH_DIAG_ERROR), 200);
    assert_int_equal(sh_diag_count(d, SH_DIAG_NOTE), 1);
    char line[512];
    /* Cue #1 (begin 0, end 0) is an error too: 250 errors, 200 shown. */
    assert_string_equal(sh_diag_format(sh_diag_get(d, 200), line, sizeof line),
                        "t.json: note: 50 more errors and 50 more warnings not shown: fix these first, then check "
                        "again");
    sh_diag_free(d);
    free(j);

    /* The audio check caps the same way but returns the full count. */
    n = (size_t)sprintf(j = malloc(cap), "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", \"cues\": [\n");
    for (int i = 0; i < 300; i++)
        n += (size_t)sprintf(j + n, "%s{\"begin\": %d, \"end\": %d.9, \"text\": \"x\"}\n", i ? "," : "", i, i);
    n += (size_t)sprintf(j + n, "]}");
    assert_int_equal(sh_lesson_parse(j, n, "t.json", 0, &l, NULL), SH_OK);
    d = sh_diag_new();
    assert_int_equal(sh_lesson_check_audio_duration(l, 10.0, d), 290);
    assert_int_equal(sh_diag_count(d, SH_DIAG_ERROR), 200);
    assert_string_equal(sh_diag_format(sh_diag_get(d, 200), line, sizeof line),
                        "t.json: note: 90 more errors and 0 more warnings not shown: fix these first, then check again");
    sh_diag_free(d);
    sh_lesson_free(l);
    free(j);
}

/* Robustness: every single-byte mutation of a valid lesson parses without
 * crashing or leaking (run under ASan in CI), and reports located errors. */
static void test_mutations(void **state)
{
    (void)state;
    const char *src = edit_src;
    size_t n = strlen(src);
    char *buf = malloc(n + 1);
    static const char subs[] = {'"', '{', '}', '[', ']', ',', ':', '\\', '0', '-', 'x', ' ', '\n', (char)0xC3,
                                (char)0xFF, '\0'};
    size_t parsed = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t s = 0; s < sizeof subs; s++) {
            memcpy(buf, src, n + 1);
            buf[i] = subs[s];
            for (int cut = 0; cut < 2; cut++) {
                /* An exact-size copy without a NUL: ASan sees any over-read. */
                size_t len = cut ? i + 1 : n;
                char *exact = malloc(len);
                memcpy(exact, buf, len);
                sh_diag *d = sh_diag_new();
                sh_lesson *l = NULL;
                int rc = sh_lesson_parse(exact, len, "m.json", 0, &l, d);
                free(exact);
                if (rc == SH_OK) {
                    /* What loads, saves and loads back the same. */
                    assert_non_null(l);
                    char *j = sh_lesson_to_json(l);
                    assert_non_null(j);
                    sh_lesson *r = NULL;
                    assert_int_equal(sh_lesson_parse(j, strlen(j), "r.json", 0, &r, NULL), SH_OK);
                    char *j2 = sh_lesson_to_json(r);
                    assert_string_equal(j, j2);
                    free(j2);
                    sh_lesson_free(r);
                    free(j);
                } else {
                    assert_null(l);
                    assert_true(sh_diag_count(d, SH_DIAG_ERROR) > 0);
                    assert_true(sh_diag_get(d, 0)->line > 0);
                }
                parsed++;
                sh_lesson_free(l);
                sh_diag_free(d);
            }
        }
    }
    assert_true(parsed > 1000);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_diag_fields),
        cmocka_unit_test(test_model),
        cmocka_unit_test(test_find_cue),
        cmocka_unit_test(test_time_parse),
        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_ids_generated),
        cmocka_unit_test(test_locate),
        cmocka_unit_test(test_audio_duration),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_value_limit),
        cmocka_unit_test(test_linecol),
        cmocka_unit_test(test_edit_round_trip),
        cmocka_unit_test(test_edit_rejects),
        cmocka_unit_test(test_new_lesson),
        cmocka_unit_test(test_save_atomic),
        cmocka_unit_test(test_diag_cap),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
