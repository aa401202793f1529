/* Cue format parsers and writers: the seed page, round trips, and a table
 * of malformed inputs with their messages and line numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "shadowing/align.h"
#include "shadowing/cuefmt.h"

static const char *seed_path(void)
{
    static char p[4096];
    const char *src = getenv("SRCDIR");
    snprintf(p, sizeof p, "%s/tests/data/cue/seed_page.txt", src ? src : ".");
    return p;
}

static void test_seed_page(void **state)
{
    (void)state;
    char *data;
    size_t len;
    sh_error err = {0};
    assert_int_equal(sh_read_file(seed_path(), 1 << 20, &data, &len, &err), SH_OK);
    sh_cue_doc doc;
    sh_cue_doc_init(&doc);
    sh_diag *d = sh_diag_new();
    assert_int_equal(sh_seedtext_parse(data, len, "seed.txt", &doc, d), SH_OK);
    assert_int_equal(doc.n_cues, 18);
    /* every paragraph has its own translation, in order */
    for (size_t i = 0; i < doc.n_cues; i++) {
        assert_non_null(doc.cues[i].translation);
        assert_true(isnan(doc.cues[i].begin));
        assert_false(sh_cuefmt_is_foreign(doc.cues[i].text));
        assert_true(sh_cuefmt_is_foreign(doc.cues[i].translation));
    }
    assert_true(strncmp(doc.cues[0].text, "The meteoric rise of DeepSeek", 29) == 0);
    assert_true(strncmp(doc.cues[0].translation, "2月10日,专家表示", 20) == 0);
    assert_true(strncmp(doc.cues[6].text, "Currently, Nvidia's GPU holds", 29) == 0);
    assert_true(strncmp(doc.cues[6].translation, "杨健说", 9) == 0);
    assert_true(strncmp(doc.cues[11].text, "Pan Helin", 9) == 0);
    assert_true(strncmp(doc.cues[11].translation, "工信部", 9) == 0);
    assert_true(strncmp(doc.cues[17].text, "\"This process will take time", 28) == 0);
    assert_true(strncmp(doc.cues[17].translation, "“这一过程", 15) == 0);
    /* the vocabulary: 10 words with IPA and meanings */
    assert_int_equal(doc.n_vocab, 10);
    assert_string_equal(doc.vocab[0].word, "challenge");
    assert_string_equal(doc.vocab[0].ipa, "'tʃælindʒ");
    assert_string_equal(doc.vocab[0].meaning, "n. 挑战; v. 向 ... 挑战");
    assert_string_equal(doc.vocab[9].word, "meteoric");
    assert_string_equal(doc.vocab[6].meaning, "n. 对手,同伴,竞争者; adj. 竞争的");
    assert_string_equal(doc.title, "企业寻求采用中国芯片进行训练");
    /* chrome dropped and reported */
    assert_true(doc.dropped_lines >= 20);
    bool saw_qr = false;
    for (size_t i = 0; i < sh_diag_count(d, -1); i++) {
        const sh_diag_entry *e = sh_diag_get(d, i);
        assert_int_equal(e->level, SH_DIAG_NOTE);
        if (strstr(e->message, "扫描二维码") && e->line == 11)
            saw_qr = true;
    }
    assert_true(saw_qr);
    sh_diag_free(d);
    sh_cue_doc_free(&doc);
    free(data);
}

static void test_seed_wrapped_crlf_bom(void **state)
{
    (void)state;
    const char *t = "\xEF\xBB\xBFMenu | Home\r\n\r\nThe first paragraph is wrapped\r\nover two lines here.\r\n"
                    "\r\n第一段的翻译。\r\n\r\nSecond one has no translation at all.\r\n\r\n"
                    "Third paragraph, with a translation below it.\r\n第三段。\r\n";
    sh_cue_doc doc;
    sh_cue_doc_init(&doc);
    assert_int_equal(sh_seedtext_parse(t, strlen(t), "x.txt", &doc, NULL), SH_OK);
    assert_int_equal(doc.n_cues, 3);
    assert_string_equal(doc.cues[0].text, "The first paragraph is wrapped over two lines here.");
    assert_string_equal(doc.cues[0].translation, "第一段的翻译。");
    assert_null(doc.cues[1].translation);
    assert_string_equal(doc.cues[2].translation, "第三段。");
    assert_int_equal(doc.cues[2].line, 10);
    sh_cue_doc_free(&doc);
}

/* ---- round trips ---- */

static void fill(sh_cue_doc *doc)
{
    sh_cue_doc_init(doc);
    doc->title = strdup("Round trip");
    assert_int_equal(sh_cue_doc_add(doc, "p1", 0.512, 3.25, "First <one> & \"quoted\".", "第一。", 1), SH_OK);
    assert_int_equal(sh_cue_doc_add(doc, "p2", 3.25, 9.999, "Second, right after.", NULL, 2), SH_OK);
    assert_int_equal(sh_cue_doc_add(doc, "p3", 10.5, 3725.125, "Third, an hour later.", "第三。", 3), SH_OK);
}

static void roundtrip(sh_cue_format f, double resolution, bool ids_kept)
{
    sh_cue_doc a, b;
    fill(&a);
    char *s = sh_cue_write(f, &a, SH_CUEFMT_BILINGUAL);
    assert_non_null(s);
    sh_cue_doc_init(&b);
    sh_diag *d = sh_diag_new();
    int rc = sh_cue_parse(f, s, strlen(s), "rt", &b, d);
    if (rc != SH_OK) {
        sh_diag_print(d, stderr, SH_DIAG_NOTE);
        fprintf(stderr, "%s\n", s);
    }
    assert_int_equal(rc, SH_OK);
    assert_int_equal(b.n_cues, a.n_cues);
    for (size_t i = 0; i < a.n_cues; i++) {
        assert_string_equal(b.cues[i].text, a.cues[i].text);
        if (a.cues[i].translation)
            assert_string_equal(b.cues[i].translation, a.cues[i].translation);
        else
            assert_null(b.cues[i].translation);
        assert_true(fabs(b.cues[i].begin - a.cues[i].begin) <= resolution / 2 + 1e-9);
        if (!isnan(b.cues[i].end) || f != SH_CUEFMT_LRC)
            assert_true(fabs(b.cues[i].end - a.cues[i].end) <= resolution / 2 + 1e-9);
        if (ids_kept)
            assert_string_equal(b.cues[i].id, a.cues[i].id);
    }
    if (f == SH_CUEFMT_LRC) {
        assert_string_equal(b.title, "Round trip");
        /* LRC: the end of the last cue survives as an empty stamp */
        assert_true(fabs(b.cues[2].end - 3725.13) < 1e-6);
    }
    sh_diag_free(d);
    sh_cue_doc_free(&a);
    sh_cue_doc_free(&b);
    free(s);
}

static void test_roundtrip_lrc(void **state)
{
    (void)state;
    roundtrip(SH_CUEFMT_LRC, 0.01, false);
}

static void test_roundtrip_srt(void **state)
{
    (void)state;
    roundtrip(SH_CUEFMT_SRT, 0.001, true); /* numbers 1..3 come back as p1..p3 */
}

static void test_roundtrip_vtt(void **state)
{
    (void)state;
    roundtrip(SH_CUEFMT_VTT, 0.001, true);
}

static void test_roundtrip_aeneas(void **state)
{
    (void)state;
    roundtrip(SH_CUEFMT_AENEAS, 0.001, true);
}

/* ---- features ---- */

static void test_lrc_features(void **state)
{
    (void)state;
    const char *t = "[ti:Song]\n[ar:Someone]\n[by:me]\n[offset:+500]\n[la:en]\n"
                    "[00:10.00][01:00.50]Chorus line\n"
                    "[00:20.5]Bilingual | 双语\n"
                    "[00:30.123]Two lines, same stamp\n[00:30.123]同一时间\n"
                    "[00:40:50]<00:40.50>Word <00:41.00>stamps\n"
                    "[00:45.00]\n";
    sh_cue_doc doc;
    sh_cue_doc_init(&doc);
    sh_diag *d = sh_diag_new();
    assert_int_equal(sh_lrc_parse(t, strlen(t), "a.lrc", &doc, d), SH_OK);
    assert_string_equal(doc.title, "Song");
    assert_string_equal(doc.artist, "Someone");
    assert_int_equal(doc.n_cues, 5);
    assert_true(fabs(doc.cues[0].begin - 9.5) < 1e-9);  /* offset +500 ms: sooner */
    assert_true(fabs(doc.cues[0].end - 20.0) < 1e-9);
    assert_string_equal(doc.cues[1].text, "Bilingual");
    assert_string_equal(doc.cues[1].translation, "双语");
    assert_string_equal(doc.cues[2].text, "Two lines, same stamp");
    assert_string_equal(doc.cues[2].translation, "同一时间");
    assert_string_equal(doc.cues[3].text, "Word stamps");
    assert_true(fabs(doc.cues[3].begin - 40.0) < 1e-9); /* 00:40:50 = 40.5 s - 0.5 */
    assert_true(fabs(doc.cues[3].end - 44.5) < 1e-9);   /* the empty stamp ends it */
    assert_string_equal(doc.cues[4].text, "Chorus line"); /* second stamp of line 6 */
    assert_int_equal(doc.cues[4].line, 6);
    assert_true(isnan(doc.cues[4].end));
    sh_diag_free(d);
    sh_cue_doc_free(&doc);
}

static void test_vtt_features(void **state)
{
    (void)state;
    const char *t = "WEBVTT - title\r\nKind: captions\r\n\r\nSTYLE\r\n::cue { color: red }\r\n\r\n"
                    "NOTE a comment\r\nover lines\r\n\r\nintro\r\n00:01.000 --> 00:04.500 align:start line:0\r\n"
                    "<v Anna>Hello &amp; <i>welcome</i></v>\r\n\r\n"
                    "01:00:00.000 --> 01:00:02.250\r\nLater<00:00:01.000> on\r\n你好\r\n";
    sh_cue_doc doc;
    sh_cue_doc_init(&doc);
    assert_int_equal(sh_vtt_parse(t, strlen(t), "a.vtt", &doc, NULL), SH_OK);
    assert_int_equal(doc.n_cues, 2);
    assert_string_equal(doc.cues[0].id, "intro");
    assert_string_equal(doc.cues[0].text, "Hello & welcome");
    assert_true(fabs(doc.cues[0].end - 4.5) < 1e-9);
    assert_null(doc.cues[1].id);
    assert_string_equal(doc.cues[1].text, "Later on");
    assert_string_equal(doc.cues[1].translation, "你好");
    assert_true(fabs(doc.cues[1].begin - 3600.0) < 1e-9);
    sh_cue_doc_free(&doc);
}

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(sh_cue_format_detect("x.srt", NULL, 0), SH_CUEFMT_SRT);
    assert_int_equal(sh_cue_format_detect("x", "WEBVTT\n", 7), SH_CUEFMT_VTT);
    assert_int_equal(sh_cue_format_detect("x", "1\n00:00:01,000 --> 00:00:02,000\nA\n", 34), SH_CUEFMT_SRT);
    assert_int_equal(sh_cue_format_detect("x", "[00:01.00]a", 11), SH_CUEFMT_LRC);
    assert_int_equal(sh_cue_format_detect("x", " {\"fragments\":[]}", 17), SH_CUEFMT_AENEAS);
    assert_int_equal(sh_cue_format_detect("x.txt", "[00:01.00]a", 11), SH_CUEFMT_TEXT);
}

/* ---- malformed inputs ---- */

typedef struct bad_case {
    sh_cue_format f;
    const char *input;
    int line;            /* expected line of the first error */
    const char *message; /* a substring of it */
} bad_case;

static const bad_case bad_cases[] = {
    {SH_CUEFMT_LRC, "[00:01.00]ok\n[00:6x.00]bad\n", 2, "bad time stamp '[00:6x.00]'"},
    {SH_CUEFMT_LRC, "[00:01.00]ok\n[00:61.00]sixty-one seconds\n", 2, "seconds below 60"},
    {SH_CUEFMT_LRC, "[offset:soon]\n[00:01.00]a\n", 1, "bad offset 'soon'"},
    {SH_CUEFMT_LRC, "[ti:x]\n[00:01.00\n", 2, "unterminated tag"},
    {SH_CUEFMT_LRC, "[ti:only tags]\n[ar:x]\n", 0, "no time-stamped lines"},
    {SH_CUEFMT_LRC, "[00:01.00]caf\xE9\n", 1, "not valid UTF-8"},
    {SH_CUEFMT_LRC, "\xFF\xFE[\0" "0", 1, "UTF-16"},
    {SH_CUEFMT_SRT, "1\n00:00:01,000 --> 00:00:02,000\nA\n\nx\n00:00:03,000 --> 00:00:04,000\nB\n", 5,
     "expected a cue number"},
    {SH_CUEFMT_SRT, "1\n00:00:01,000 -> 00:00:02,000\nA\n", 2, "bad timing line"},
    {SH_CUEFMT_SRT, "1\r\n00:00:05,000 --> 00:00:02,000\r\nA\r\n", 2, "ends before it begins"},
    {SH_CUEFMT_SRT, "1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n", 5, "expected a timing line"},
    {SH_CUEFMT_SRT, "1\n00:00:01,000 --> 00:00:02,000\n\xC0\xAF\n", 3, "not valid UTF-8"},
    {SH_CUEFMT_SRT, "\n\n", 0, "no cues found"},
    {SH_CUEFMT_VTT, "WEBVTX\n\n00:01.000 --> 00:02.000\nA\n", 1, "missing 'WEBVTT' header"},
    {SH_CUEFMT_VTT, "WEBVTT\n\nid\n00:01.000 --> 00:0x.000\nA\n", 4, "bad timing line"},
    {SH_CUEFMT_VTT, "WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\nNOTE x\n\n00:75.000 --> 00:76.000\nB\n", 8,
     "bad timing line"},
    {SH_CUEFMT_AENEAS, "{\"fragments\": [\n  {\"begin\": \"0.000\", \"end\": \"1.0\", \"lines\": [\"a\"]},\n"
                       "  {\"begin\": \"x\", \"end\": \"2.0\", \"lines\": [\"b\"]}\n]}\n",
     3, "fragment 2: missing or bad \"begin\""},
    {SH_CUEFMT_AENEAS, "{\"fragments\": [\n {\"begin\": \"0\",\n \"end\": \"1\", \"lines\": [\"a\",]}]}", 3,
     "trailing comma before ']': remove this comma"},
    {SH_CUEFMT_AENEAS, "[1, 2]", 1, "expected an object with a \"fragments\" array"},
    {SH_CUEFMT_AENEAS, "{\"fragments\": [{\"begin\": \"2\", \"end\": \"1\", \"lines\": [\"a\"]}]}", 1,
     "ends before it begins"},
    {SH_CUEFMT_AENEAS, "{\"fragments\": [{\"begin\": \"0\", \"end\": \"1\", \"lines\": [3]}]}", 1,
     "array of strings"},
    {SH_CUEFMT_TEXT, "Menu\n\nHome | News\n", 0, "no English paragraphs found"},
};

static void test_malformed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case *c = &bad_cases[i];
        size_t len = strlen(c->input);
        if (c->input[0] == '\xFF')
            len = 5;
        sh_cue_doc doc;
        sh_cue_doc_init(&doc);
        sh_diag *d = sh_diag_new();
        int rc = sh_cue_parse(c->f, c->input, len, "bad", &doc, d);
        const sh_diag_entry *e = NULL;
        for (size_t k = 0; k < sh_diag_count(d, -1); k++) {
            e = sh_diag_get(d, k);
            if (e->level == SH_DIAG_ERROR)
                break;
            e = NULL;
        }
        if (rc != SH_ERR_FORMAT || !e || e->line != c->line || !strstr(e->message, c->message)) {
            fprintf(stderr, "case %zu (%s): rc %d, line %d, message %s\n", i, sh_cue_format_name(c->f), rc,
                    e ? e->line : -1, e ? e->message : "(none)");
            fail();
        }
        char buf[512];
        sh_diag_format(e, buf, sizeof buf);
        assert_true(strncmp(buf, "bad:", 4) == 0);
        sh_diag_free(d);
        sh_cue_doc_free(&doc);
    }
}

static void test_time_format(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(sh_cuefmt_time(SH_CUEFMT_LRC, 61.234, b, sizeof b), "01:01.23");
    assert_string_equal(sh_cuefmt_time(SH_CUEFMT_LRC, 6000.0, b, sizeof b), "100:00.00");
    assert_string_equal(sh_cuefmt_time(SH_CUEFMT_SRT, 3725.0004, b, sizeof b), "01:02:05,000");
    assert_string_equal(sh_cuefmt_time(SH_CUEFMT_VTT, 0.9996, b, sizeof b), "00:00:01.000");
}

static void test_sentences(void **state)
{
    (void)state;
    char **s;
    size_t n = sh_align_split_sentences("Mr. Smith went to the U.S. market. He said: \"It works.\" Then? "
                                        "Prices rose 5.6 percent.",
                                        &s);
    assert_int_equal(n, 4);
    assert_string_equal(s[0], "Mr. Smith went to the U.S. market.");
    assert_string_equal(s[1], "He said: \"It works.\"");
    assert_string_equal(s[2], "Then?");
    assert_string_equal(s[3], "Prices rose 5.6 percent.");
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
    /* longer text, longer expected duration; digits and acronyms are spoken */
    assert_true(sh_align_text_weight("a b c d e f g") < sh_align_text_weight("a b c d e f g h i j k"));
    assert_true(sh_align_text_weight("2026") > sh_align_text_weight("abcd"));
    assert_true(sh_align_text_weight("GPU") > sh_align_text_weight("gpu"));
}

/* The first error of parsing `len` bytes of `data` as `f`, formatted
 * (malloc'ed), or NULL when it parses; *cues gets the cue count. */
static char *first_error(sh_cue_format f, const char *data, size_t len, size_t *cues)
{
    sh_cue_doc doc;
    sh_cue_doc_init(&doc);
    sh_diag *d = sh_diag_new();
    int rc = sh_cue_parse(f, data, len, "in", &doc, d);
    char buf[1024], *out = NULL;
    for (size_t k = 0; rc != SH_OK && k < sh_diag_count(d, -1); k++)
        if (sh_diag_get(d, k)->level == SH_DIAG_ERROR) {
            out = strdup(sh_diag_format(sh_diag_get(d, k), buf, sizeof buf));
            break;
        }
    if (rc != SH_OK && !out)
        out = strdup("(failed without an error)");
    *cues = doc.n_cues;
    sh_diag_free(d);
    sh_cue_doc_free(&doc);
    return out;
}

/* Issue 10: UTF-16 without a byte order mark is named, as with one. */
static void test_utf16_without_bom(void **state)
{
    (void)state;
    static const char le[] = "1\0\n\0" "0\0" "0\0:\0", be[] = "\0" "1\0\n\0" "0\0" "0\0:";
    size_t n;
    char *e = first_error(SH_CUEFMT_SRT, le, sizeof le - 1, &n);
    assert_non_null(e);
    assert_string_equal(e, "in:1: error: file is UTF-16; save it as UTF-8 (e.g. iconv -f UTF-16LE -t UTF-8 FILE > NEW)");
    free(e);
    e = first_error(SH_CUEFMT_LRC, be, sizeof be - 1, &n);
    assert_non_null(e);
    assert_non_null(strstr(e, "iconv -f UTF-16BE"));
    free(e);
    e = first_error(SH_CUEFMT_AENEAS, "\xFE\xFF\0{", 4, &n);
    assert_non_null(strstr(e, "file is UTF-16; save it as UTF-8 (e.g. iconv -f UTF-16 -t"));
    free(e);
    assert_string_equal(sh_text_utf16("{\"a\": 1}", 8) ? "utf16" : "utf8", "utf8");
}

/* Issue 10: CR-only line ends (old Mac files) are line ends, in every
 * line-based format, and lines are counted by them. */
static void test_cr_line_ends(void **state)
{
    (void)state;
    size_t n;
    static const char srt[] = "1\r00:00:01,000 --> 00:00:02,000\rA\r\r2\r00:00:03,000 --> 00:00:04,000\rB\r";
    assert_null(first_error(SH_CUEFMT_SRT, srt, strlen(srt), &n));
    assert_int_equal(n, 2);
    assert_int_equal(sh_cue_format_detect(NULL, srt, strlen(srt)), SH_CUEFMT_SRT);
    static const char vtt[] = "WEBVTT\r\r00:01.000 --> 00:02.000\rA\r\r00:03.000 --> 00:04.000\rB\r";
    assert_null(first_error(SH_CUEFMT_VTT, vtt, strlen(vtt), &n));
    assert_int_equal(n, 2);
    static const char lrc[] = "[00:01.00]A\r[00:02.00]B\r";
    assert_null(first_error(SH_CUEFMT_LRC, lrc, strlen(lrc), &n));
    assert_int_equal(n, 2);
    /* a bad line is found at its line, mixing CR, LF and CRLF */
    static const char bad[] = "1\r\n00:00:01,000 --> 00:00:02,000\nA\r\r2\r00:00:0x,000 --> 00:00:04,000\rB\r";
    char *e = first_error(SH_CUEFMT_SRT, bad, strlen(bad), &n);
    assert_non_null(e);
    assert_string_equal(e, "in:6:1: error: bad timing line '00:00:0x,000 --> 00:00:04,000' (expected "
                           "'hh:mm:ss,mmm --> hh:mm:ss,mmm')");
    free(e);
    /* and a non-UTF-8 byte after CR-only lines is on its line too */
    assert_true(!sh_cuefmt_utf8_valid("a\rb\r\nc\r\xFF", 8, (int[]){0}));
    int line = 0;
    sh_cuefmt_utf8_valid("a\rb\r\nc\r\xFF", 8, &line);
    assert_int_equal(line, 4);
}

/* Issue 10: aeneas JSON cut off or nested 100k deep: where and what. */
static void test_aeneas_hostile(void **state)
{
    (void)state;
    size_t n;
    static const char cut[] = "{\"fragments\": [\n {\"begin\": \"0\", \"end\": \"1\", \"lines\": [\"a\"]},\n {\"be";
    char *e = first_error(SH_CUEFMT_AENEAS, cut, strlen(cut), &n);
    assert_string_equal(e, "in:3:3: error: the file ends inside the string that starts here: was it cut off? "
                           "Make it again (or add the closing '\"')");
    free(e);
    e = first_error(SH_CUEFMT_AENEAS, cut, strlen(cut) - 3, &n);
    assert_string_equal(e, "in:3:3: error: the file ends inside the object that starts at line 3, column 2: was "
                           "it cut off? Make it again (or add the missing '}')");
    free(e);
    e = first_error(SH_CUEFMT_AENEAS, "{\"fragments\": [", 15, &n);
    assert_non_null(strstr(e, "the file ends inside the array that starts at line 1, column 15: was it cut off?"));
    free(e);
    e = first_error(SH_CUEFMT_AENEAS, "{\"fragments\":", 13, &n);
    assert_non_null(strstr(e, "in:1:14: error: the file ends where a value should be: was it cut off?"));
    free(e);
    size_t depth = 100000, len = 14 + 2 * depth + 1;
    char *deep = malloc(len + 1);
    assert_non_null(deep);
    memcpy(deep, "{\"fragments\": ", 14);
    memset(deep + 14, '[', depth);
    memset(deep + 14 + depth, ']', depth);
    deep[len - 1] = '}';
    deep[len] = '\0';
    e = first_error(SH_CUEFMT_AENEAS, deep, len, &n);
    assert_string_equal(e, "in:1:78: error: nested deeper than 64 levels: an aeneas sync map needs about 10; "
                           "check that this file is one");
    free(e);
    free(deep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_page),       cmocka_unit_test(test_seed_wrapped_crlf_bom),
        cmocka_unit_test(test_roundtrip_lrc),   cmocka_unit_test(test_roundtrip_srt),
        cmocka_unit_test(test_roundtrip_vtt),   cmocka_unit_test(test_roundtrip_aeneas),
        cmocka_unit_test(test_lrc_features),    cmocka_unit_test(test_vtt_features),
        cmocka_unit_test(test_detect),          cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_time_format),     cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_utf16_without_bom), cmocka_unit_test(test_cr_line_ends),
        cmocka_unit_test(test_aeneas_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
