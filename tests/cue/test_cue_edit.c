/* Unit tests: the teacher tools' lesson edits (src/cue/edit.c), on lessons
 * in memory: shift, merge, split and filling a lesson from a document; a
 * refused edit changes nothing and says which cue and why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/cueedit.h"

static sh_lesson *lesson(const char *json)
{
    sh_lesson *l = NULL;
    assert_int_equal(sh_lesson_parse(json, strlen(json), "l.json", SH_LESSON_ALLOW_UNTIMED, &l, NULL), SH_OK);
    return l;
}

static const char three[] =
    "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.wav\", \"cues\": ["
    "{\"id\": \"a\", \"begin\": 1, \"end\": 2, \"text\": \"One.\", \"translation\": \"一。\"},"
    "{\"id\": \"b\", \"begin\": 2.5, \"end\": 4, \"text\": \"Two.\", \"translation\": \"二。\"},"
    "{\"id\": \"c\", \"text\": \"Untimed.\"}]}";

static void test_shift(void **state)
{
    (void)state;
    sh_lesson *l = lesson(three);
    sh_error err = {0};
    size_t moved = 9;
    assert_int_equal(sh_cue_shift(l, 0, 1e308, &moved, &err), SH_ERR_RANGE);
    assert_string_equal(err.message, "l.json: shifting by 1e+308 s would move cue \"b\" (#2) past 360000 s, the "
                                     "limit of a lesson (it ends at 4.000 s): --by is in seconds; move forward by "
                                     "359996.000 s at most");
    assert_int_equal(moved, 0);
    assert_int_equal(sh_cue_shift(l, 1, -3, &moved, &err), SH_ERR_RANGE);
    assert_string_equal(err.message, "l.json: shifting by -3.000 s would move cue \"b\" (#2) before the start of the "
                                     "audio (it begins at 2.500 s): move back by 2.500 s at most, or move only the "
                                     "later cues with --from");
    assert_true(sh_lesson_cue(l, 0)->begin == 1 && sh_lesson_cue(l, 1)->begin == 2.5); /* unchanged */
    assert_int_equal(sh_cue_shift(l, 0, NAN, &moved, &err), SH_ERR_INVALID);
    assert_int_equal(sh_cue_shift(l, 1, -2.5, &moved, &err), SH_OK);
    assert_int_equal(moved, 1); /* the untimed cue does not count */
    assert_true(sh_lesson_cue(l, 0)->begin == 1 && sh_lesson_cue(l, 1)->begin == 0 && sh_lesson_cue(l, 1)->end == 1.5);
    assert_true(isnan(sh_lesson_cue(l, 2)->begin));
    /* the largest shift allowed is allowed */
    assert_int_equal(sh_cue_shift(l, 0, SH_LESSON_MAX_TIME - 2, &moved, &err), SH_OK);
    assert_true(sh_lesson_cue(l, 0)->end == SH_LESSON_MAX_TIME);
    sh_lesson_free(l);
}

/* The word times move with their cue, also when the new times no longer
 * hold the old word times (the lesson drops those words, the shift sets
 * them again). */
static void test_shift_words(void **state)
{
    (void)state;
    sh_lesson *l = lesson("{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.wav\", \"cues\": ["
                          "{\"id\": \"a\", \"begin\": 1, \"end\": 2, \"text\": \"One two\", \"words\": ["
                          "{\"text\": \"One\", \"begin\": 1.2, \"end\": 1.5}, {\"text\": \"two\", \"begin\": null, "
                          "\"end\": null}]}]}");
    sh_error err = {0};
    size_t moved = 0;
    assert_int_equal(sh_cue_shift(l, 0, 5, &moved, &err), SH_OK);
    const sh_cue *c = sh_lesson_cue(l, 0);
    assert_true(c->begin == 6 && c->end == 7);
    assert_int_equal(c->n_words, 2);
    assert_string_equal(c->words[0].text, "One");
    assert_true(c->words[0].begin == 6.2 && c->words[0].end == 6.5);
    assert_true(isnan(c->words[1].begin) && isnan(c->words[1].end));
    assert_int_equal(sh_cue_shift(l, 0, -0.25, &moved, &err), SH_OK); /* within the old span */
    c = sh_lesson_cue(l, 0);
    assert_true(c->words[0].begin == 5.95 && c->words[0].end == 6.25);
    sh_lesson_free(l);
}

static void test_merge(void **state)
{
    (void)state;
    sh_lesson *l = lesson(three);
    sh_error err = {0};
    char kept[16], gone[16];
    assert_int_equal(sh_cue_merge(l, "a", "c", kept, gone, sizeof kept, &err), SH_ERR_INVALID);
    assert_string_equal(err.message, "l.json: cues a and c are not neighbours; only neighbouring cues can be merged");
    assert_int_equal(sh_cue_merge(l, "a", "zz", kept, gone, sizeof kept, &err), SH_ERR_NOT_FOUND);
    assert_int_equal(sh_lesson_cue_count(l), 3);
    assert_int_equal(sh_cue_merge(l, "2", "a", kept, gone, sizeof kept, &err), SH_OK); /* either order, by index */
    assert_string_equal(kept, "a");
    assert_string_equal(gone, "b");
    assert_int_equal(sh_lesson_cue_count(l), 2);
    const sh_cue *c = sh_lesson_cue(l, 0);
    assert_string_equal(c->text, "One. Two.");
    assert_string_equal(c->translation, "一。二。"); /* Chinese joins without a space */
    assert_true(c->begin == 1 && c->end == 4);
    assert_string_equal(sh_lesson_cue(l, 1)->id, "c");
    /* with an untimed cue: untimed */
    assert_int_equal(sh_cue_merge(l, "a", "c", kept, gone, sizeof kept, &err), SH_OK);
    assert_true(isnan(sh_lesson_cue(l, 0)->begin));
    sh_lesson_free(l);
}

static void test_split(void **state)
{
    (void)state;
    char **t = sh_cue_split_translation("他说：“好。”然后呢？走吧！", 3);
    assert_non_null(t);
    assert_string_equal(t[0], "他说：“好。”");
    assert_string_equal(t[1], "然后呢？");
    assert_string_equal(t[2], "走吧！");
    for (int i = 0; i < 3; i++)
        free(t[i]);
    free(t);
    assert_null(sh_cue_split_translation("一。二。", 3));

    sh_lesson *l = lesson(three);
    sh_error err = {0};
    char *sent[] = {"Tw", "o."}, *trs[] = {"二", "。"};
    double b[] = {2.5, 3.0}, e[] = {3.0, 3.0};
    assert_int_equal(sh_cue_split_apply(l, 1, sent, trs, NULL, b, e, 2, &err), SH_ERR_RANGE);
    assert_string_equal(err.message, "l.json: sentence 2 of cue b would have no time (3.000-3.000 s): split it by hand");
    assert_int_equal(sh_lesson_cue_count(l), 3); /* unchanged */
    e[1] = 4.0;
    assert_int_equal(sh_cue_split_apply(l, 1, sent, NULL, "二。", b, e, 2, &err), SH_OK);
    assert_int_equal(sh_lesson_cue_count(l), 4);
    assert_string_equal(sh_lesson_cue(l, 1)->id, "b-1");
    assert_string_equal(sh_lesson_cue(l, 2)->id, "b-2");
    assert_string_equal(sh_lesson_cue(l, 1)->translation, "二。"); /* all of it with the first */
    assert_null(sh_lesson_cue(l, 2)->translation);
    assert_true(sh_lesson_cue(l, 2)->begin == 3.0 && sh_lesson_cue(l, 2)->end == 4.0);
    assert_string_equal(sh_lesson_cue(l, 3)->id, "c");
    /* split a piece again: its ids come from the piece's */
    assert_int_equal(sh_cue_split_apply(l, 1, sent, trs, NULL, (double[]){2.5, 2.75}, (double[]){2.75, 3.0}, 2, &err),
                     SH_OK);
    assert_string_equal(sh_lesson_cue(l, 1)->id, "b-1-1");
    assert_string_equal(sh_lesson_cue(l, 2)->id, "b-1-2");
    assert_string_equal(sh_lesson_cue(l, 2)->translation, "。");
    assert_string_equal(sh_lesson_cue(l, 3)->id, "b-2");
    sh_lesson_free(l);
}

static void test_doc_to_lesson(void **state)
{
    (void)state;
    sh_cue_doc doc;
    sh_cue_doc_init(&doc);
    assert_int_equal(sh_cue_doc_add(&doc, "x 1", 0, 1, "Bad id.", "甲。", 3), SH_OK);
    assert_int_equal(sh_cue_doc_add(&doc, "k", 1, 2, "Kept id.", NULL, 7), SH_OK);
    assert_int_equal(sh_cue_doc_add(&doc, "k", 2, 3, "Repeated id.", NULL, 11), SH_OK);
    assert_int_equal(sh_cue_doc_add(&doc, NULL, 3, 3, "No length.", NULL, 15), SH_OK);
    sh_lesson *l = sh_lesson_new("n.json", "T", "a.wav");
    sh_diag *d = sh_diag_new();
    assert_int_equal(sh_cue_doc_to_lesson(&doc, l, "in.srt", d), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_cue_count(l), 3);
    assert_string_equal(sh_lesson_cue(l, 0)->id, "p1");
    assert_string_equal(sh_lesson_cue(l, 1)->id, "k");
    assert_string_equal(sh_lesson_cue(l, 2)->id, "p3");
    char buf[512];
    assert_int_equal(sh_diag_count(d, SH_DIAG_ERROR), 1);
    assert_string_equal(sh_diag_format(sh_diag_get(d, 0), buf, sizeof buf),
                        "in.srt:15: error: cue #4 cannot be added to the lesson (invalid argument): check its text "
                        "and times");
    sh_diag_free(d);
    sh_lesson_free(l);
    /* without the bad cue: a Chinese translation sets the language */
    doc.n_cues = 3;
    l = sh_lesson_new("n.json", "T", "a.wav");
    assert_int_equal(sh_cue_doc_to_lesson(&doc, l, "in.srt", NULL), SH_OK);
    assert_string_equal(sh_lesson_translation_language(l), "zh");
    sh_lesson_free(l);
    doc.n_cues = 4;
    sh_cue_doc_free(&doc);
}

/* A 10 ms envelope: `quiet` dB, with speech (-20 dB, a dip every 200 ms)
 * over [a[k], b[k]). */
static float *envelope(double secs, float quiet, const double *a, const double *b, size_t k, size_t *n)
{
    *n = (size_t)lround(secs * 100);
    float *env = malloc(*n * sizeof *env);
    assert_non_null(env);
    for (size_t i = 0; i < *n; i++) {
        double t = (double)i * 0.01;
        env[i] = quiet + (float)((i * 7919) % 10) * 0.1f;
        for (size_t j = 0; j < k; j++)
            if (t >= a[j] && t < b[j])
                env[i] = i % 20 < 3 ? -35.0f : -20.0f;
    }
    return env;
}

static void test_align_lesson(void **state)
{
    (void)state;
    static const char two[] = "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.wav\", \"cues\": ["
                              "{\"text\": \"The first paragraph is read here.\"},"
                              "{\"text\": \"And the second one follows it.\"}]}";
    sh_lesson *l = lesson(two);
    sh_align_cue res[2];
    sh_error err = {0};
    size_t n;
    /* no samples */
    assert_int_equal(sh_cue_align_lesson(l, NULL, 0, 16000, 0, "e.wav", res, NULL, &err), SH_ERR_RANGE);
    assert_string_equal(err.message, "e.wav: the audio has no samples (0 s): it is only a header; export or download "
                                     "the broadcast again, or check that \"audio\" in l.json names the right file");
    /* silence */
    float *env = envelope(10, -100, NULL, NULL, 0, &n);
    assert_int_equal(sh_cue_align_lesson(l, env, n, 16000, 10, "s.wav", res, NULL, &err), SH_ERR_RANGE);
    assert_non_null(strstr(err.message, "s.wav: the audio (10.0 s) is silent (its loudest moment is -99 dBFS)"));
    assert_true(isnan(sh_lesson_cue(l, 0)->begin)); /* unchanged */
    free(env);
    /* two paragraphs of speech with a pause */
    env = envelope(10, -70, (double[]){1.0, 5.5}, (double[]){4.5, 8.8}, 2, &n);
    assert_int_equal(sh_cue_align_lesson(l, env, n, 16000, 10, "a.wav", res, NULL, &err), SH_OK);
    assert_true(fabs(sh_lesson_cue(l, 0)->begin - 1.0) < 0.05 && fabs(sh_lesson_cue(l, 1)->end - 8.8) < 0.05);
    assert_true(sh_lesson_cue(l, 0)->end < sh_lesson_cue(l, 1)->begin);
    /* a cue's two sentences, split at the pause inside it */
    char *sent[] = {"The first part is read.", "Then the second part."};
    sh_align_cue parts[2];
    assert_int_equal(sh_cue_time_sentences(env, n, 16000, 1.0, 8.8, sent, 2, parts), SH_OK);
    assert_true(parts[0].begin == 1.0 && parts[1].end == 8.8);
    assert_true(fabs(parts[0].end - 4.5) < 0.05 && fabs(parts[1].begin - 5.5) < 0.05);
    assert_int_equal(sh_cue_time_sentences(env, n, 16000, 1.5, 4.0, sent, 2, parts), SH_ERR_RANGE); /* no pause */
    free(env);
    sh_lesson_free(l);
}

static void test_fit_audio(void **state)
{
    (void)state;
    size_t n;
    float *env = envelope(10, -70, (double[]){1.0, 5.5}, (double[]){4.5, 8.8}, 2, &n);
    sh_cue_doc doc;
    sh_cue_doc_init(&doc);
    assert_int_equal(sh_cue_doc_add(&doc, NULL, 1.0, NAN, "A.", NULL, 1), SH_OK);
    assert_int_equal(sh_cue_doc_add(&doc, NULL, 5.5, NAN, "B.", NULL, 2), SH_OK);
    doc.cues[0].end = 5.5; /* LRC: the next start */
    assert_int_equal(sh_cue_doc_fit_audio(&doc, true, env, n, 16000, 10, "in.lrc", "a.wav", NULL), 0);
    assert_true(fabs(doc.cues[0].end - 4.5) < 0.1);  /* trimmed back to the speech */
    assert_true(fabs(doc.cues[1].end - 8.8) < 0.1);  /* the last: to the audio's end, trimmed */
    assert_int_equal(sh_cue_doc_add(&doc, NULL, 12, 13, "Late.", NULL, 9), SH_OK);
    assert_int_equal(sh_cue_doc_add(&doc, NULL, 9.5, 9.5, "Empty.", NULL, 11), SH_OK);
    sh_diag *d = sh_diag_new();
    assert_int_equal(sh_cue_doc_fit_audio(&doc, false, env, n, 16000, 10, "in.srt", "a.wav", d), 2);
    char buf[512];
    assert_string_equal(sh_diag_format(sh_diag_get(d, 0), buf, sizeof buf),
                        "in.srt:9: error: cue starts at 12.000 s, after the end of a.wav (10.000 s): check that "
                        "--audio names the file these cues time");
    assert_string_equal(sh_diag_format(sh_diag_get(d, 1), buf, sizeof buf),
                        "in.srt:11: error: cue has no length (9.500 s --> 9.500 s): make its end later than its start");
    sh_diag_free(d);
    sh_cue_doc_free(&doc);
    free(env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shift),
        cmocka_unit_test(test_shift_words),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_doc_to_lesson),
        cmocka_unit_test(test_align_lesson),
        cmocka_unit_test(test_fit_audio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
