/* Unit tests: editing updates the lesson model in place (issue 10: the
 * editors cost the square of the cue count when every edit rebuilt and
 * revalidated the whole lesson). The model after any mix of edits must read
 * exactly as a fresh load of the saved JSON, and editing n cues must not
 * cost n full builds (counted by the lesson, not timed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson_priv.h"
#include "shadowing/lesson.h"

static void same_str(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void same_time(double a, double b)
{
    assert_int_equal(isnan(a), isnan(b));
    if (!isnan(a))
        assert_true(a == b);
}

/* `l` reads as a fresh load of its own JSON: every cue field, lookups by
 * id and by index, the vocabulary. */
static void assert_same_as_reload(const sh_lesson *l)
{
    char *json = sh_lesson_to_json(l);
    assert_non_null(json);
    sh_lesson *r = NULL;
    assert_int_equal(sh_lesson_parse(json, strlen(json), "x.json", SH_LESSON_ALLOW_UNTIMED, &r, NULL), SH_OK);
    assert_int_equal(sh_lesson_cue_count(l), sh_lesson_cue_count(r));
    for (size_t i = 0; i < sh_lesson_cue_count(r); i++) {
        const sh_cue *a = sh_lesson_cue(l, i), *b = sh_lesson_cue(r, i);
        assert_string_equal(a->id, b->id);
        assert_int_equal(a->index, b->index);
        assert_int_equal(a->index, (int)i + 1);
        same_time(a->begin, b->begin);
        same_time(a->end, b->end);
        assert_string_equal(a->text, b->text);
        same_str(a->translation, b->translation);
        same_str(a->notes, b->notes);
        assert_int_equal(a->loops, b->loops);
        assert_ptr_equal(sh_lesson_find_cue(l, a->id), a);
        assert_int_equal(a->n_words, b->n_words);
        assert_int_equal(a->words == NULL, b->words == NULL);
        for (size_t k = 0; k < b->n_words; k++) {
            assert_string_equal(a->words[k].text, b->words[k].text);
            same_time(a->words[k].begin, b->words[k].begin);
            same_time(a->words[k].end, b->words[k].end);
        }
    }
    assert_int_equal(sh_lesson_vocab_count(l), sh_lesson_vocab_count(r));
    for (size_t i = 0; i < sh_lesson_vocab_count(r); i++) {
        assert_string_equal(sh_lesson_vocab(l, i)->word, sh_lesson_vocab(r, i)->word);
        same_str(sh_lesson_vocab(l, i)->ipa, sh_lesson_vocab(r, i)->ipa);
        same_str(sh_lesson_vocab(l, i)->meaning, sh_lesson_vocab(r, i)->meaning);
    }
    sh_lesson_free(r);
    free(json);
}

static const char src[] =
    "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", \"cues\": [\n"
    "{\"begin\": \"00:00.500\", \"end\": 1, \"text\": \"A\", \"loops\": 2},\n"
    "{\"id\": \"b\", \"begin\": 1, \"end\": \"00:02.000\", \"text\": \"B\", \"translation\": \"乙\"},\n"
    "{\"text\": \"C\", \"notes\": \"n\"}],\n"
    "\"vocabulary\": [{\"word\": \"levy\"}]}";

static sh_lesson *load_src(void)
{
    sh_lesson *l = NULL;
    assert_int_equal(sh_lesson_parse(src, strlen(src), "l.json", SH_LESSON_ALLOW_UNTIMED, &l, NULL), SH_OK);
    return l;
}

/* Every kind of edit, each checked against a reload. */
static void test_edits_match_reload(void **state)
{
    (void)state;
    sh_lesson *l = load_src();
    assert_int_equal(sh_lesson_set_cue_times(l, 0, 0.6, 0.9), SH_OK); /* a time string stays a string */
    assert_same_as_reload(l);
    assert_int_equal(sh_lesson_insert_cue(l, 1, NULL, "New", NULL, 0.95, 1.0), SH_OK); /* pins p1, p3 */
    assert_string_equal(sh_lesson_cue(l, 1)->id, "p2");
    assert_same_as_reload(l);
    assert_int_equal(sh_lesson_insert_cue(l, 4, "tail", "Last", "尾", 5, 6), SH_OK);
    assert_int_equal(sh_lesson_insert_cue(l, 0, NULL, "First", NULL, NAN, NAN), SH_OK);
    assert_same_as_reload(l);
    assert_int_equal(sh_lesson_remove_cue(l, 2), SH_OK); /* "New" */
    assert_null(sh_lesson_find_cue(l, "p2"));
    assert_same_as_reload(l);
    assert_int_equal(sh_lesson_set_cue_text(l, 1, "A!", ""), SH_OK);
    assert_int_equal(sh_lesson_set_cue_text(l, 2, NULL, ""), SH_OK); /* drops 乙 */
    assert_int_equal(sh_lesson_set_cue_string(l, 3, "notes", NULL), SH_OK);
    assert_int_equal(sh_lesson_set_cue_string(l, 1, "translation", "甲"), SH_OK);
    assert_int_equal(sh_lesson_set_cue_times(l, 3, NAN, 4.0), SH_OK);
    assert_int_equal(sh_lesson_add_vocab(l, "duty", "/ˈdjuːti/", "税"), SH_OK);
    assert_same_as_reload(l);
    /* rejected edits change nothing */
    assert_int_equal(sh_lesson_insert_cue(l, 0, "tail", "dup", NULL, NAN, NAN), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_set_cue_times(l, 0, 2, 1), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_remove_cue(l, 99), SH_ERR_NOT_FOUND);
    assert_same_as_reload(l);
    assert_ptr_equal(sh_lesson_find_cue(l, "3"), sh_lesson_cue(l, 2)); /* an index when no id matches */
    sh_lesson_free(l);
}

/* 3000 appends, 3000 moves, 3000 vocabulary entries: a bounded number of
 * full builds (the old editors did one per edit, 9000 here), and the model
 * still reads as a reload. */
static void test_edits_do_not_rebuild(void **state)
{
    (void)state;
    sh_lesson *l = load_src();
    unsigned long before = l->builds;
    assert_int_equal(sh_lesson_insert_cue(l, 3, NULL, "x", NULL, 10, 10.5), SH_OK); /* first edit: one build */
    unsigned long after_first = l->builds;
    assert_true(after_first - before <= 1);
    for (int i = 1; i < 3000; i++) {
        char text[32];
        snprintf(text, sizeof text, "Cue %d.", i);
        assert_int_equal(sh_lesson_insert_cue(l, sh_lesson_cue_count(l), NULL, text, NULL, 10 + i, 10.5 + i),
                         SH_OK);
    }
    for (size_t i = 3; i < sh_lesson_cue_count(l); i++) {
        const sh_cue *c = sh_lesson_cue(l, i);
        assert_int_equal(sh_lesson_set_cue_times(l, i, c->begin + 0.25, c->end + 0.25), SH_OK);
    }
    for (int i = 0; i < 3000; i++)
        assert_int_equal(sh_lesson_add_vocab(l, "w", NULL, NULL), SH_OK);
    assert_int_equal(l->builds, after_first);
    assert_int_equal(sh_lesson_cue_count(l), 3003);
    assert_string_equal(sh_lesson_cue(l, 3002)->id, "p3003");
    assert_true(sh_lesson_cue(l, 3002)->begin == 3009.25);
    assert_same_as_reload(l);
    sh_lesson_free(l);
}

/* A new lesson (sh_lesson_new) built cue by cue, as cue init and import do. */
static void test_new_lesson_appends(void **state)
{
    (void)state;
    sh_lesson *l = sh_lesson_new("n.json", "T", "a.mp3");
    assert_non_null(l);
    unsigned long before = l->builds;
    for (int i = 0; i < 500; i++)
        assert_int_equal(sh_lesson_insert_cue(l, (size_t)i, i == 7 ? "p9" : NULL, "Text.", NULL, NAN, NAN), SH_OK);
    assert_int_equal(l->builds, before);
    assert_string_equal(sh_lesson_cue(l, 7)->id, "p9");
    assert_string_equal(sh_lesson_cue(l, 8)->id, "p10"); /* p9 is taken: the next free one */
    assert_same_as_reload(l);
    sh_lesson_free(l);
}

static const char wsrc[] =
    "{\"shadowing\": 1, \"title\": \"T\", \"audio\": \"a.mp3\", \"cues\": [\n"
    "{\"id\": \"a\", \"begin\": 1, \"end\": 3, \"text\": \"Hello big world\", \"words\": [\n"
    "  {\"text\": \"Hello\", \"begin\": 1.1, \"end\": 1.5}, {\"text\": \"big\", \"begin\": null, \"end\": null},\n"
    "  {\"text\": \"world\", \"begin\": 2, \"end\": 2.8}]},\n"
    "{\"id\": \"b\", \"begin\": 3, \"end\": 5, \"text\": \"Two words\", \"words\": [\n"
    "  {\"text\": \"Two\", \"begin\": 3.2, \"end\": 3.6}, {\"text\": \"words\", \"begin\": 3.7, \"end\": 4.5}]}]}";

/* Word times under the in-place edits: new times that still hold the words
 * keep them, times that do not and a changed text drop them, set words and
 * cue moves keep them with their cue; each as a reload reads it, without a
 * full build per edit. */
static void test_word_edits_match_reload(void **state)
{
    (void)state;
    sh_lesson *l = NULL;
    assert_int_equal(sh_lesson_parse(wsrc, strlen(wsrc), "w.json", SH_LESSON_ALLOW_UNTIMED, &l, NULL), SH_OK);
    assert_int_equal(sh_lesson_cue(l, 0)->n_words, 3);
    assert_int_equal(sh_lesson_set_cue_times(l, 0, 1.05, 2.9), SH_OK); /* the words still fit */
    unsigned long after_first = l->builds;
    assert_int_equal(sh_lesson_cue(l, 0)->n_words, 3);
    assert_same_as_reload(l);
    assert_int_equal(sh_lesson_set_cue_times(l, 0, 1.05, 2.5), SH_OK); /* "world" ends at 2.8 */
    assert_int_equal(sh_lesson_cue(l, 0)->n_words, 0);
    assert_null(sh_lesson_cue(l, 0)->words);
    assert_same_as_reload(l);
    const sh_cue_word w0[] = {{"Hello", 1.2, 1.6}, {"big", 1.7, 1.9}, {"world", 2.0, 2.4}};
    assert_int_equal(sh_lesson_set_cue_words(l, 0, w0, 3), SH_OK);
    assert_int_equal(sh_lesson_cue(l, 0)->n_words, 3);
    assert_true(sh_lesson_cue(l, 0)->words[1].begin == 1.7);
    assert_same_as_reload(l);
    const sh_cue_word bad[] = {{"Hello", 1.2, 1.6}, {"big", 1.7, 1.9}, {"world", 2.0, 2.6}}; /* past the end */
    assert_int_equal(sh_lesson_set_cue_words(l, 0, bad, 3), SH_ERR_INVALID);
    assert_true(sh_lesson_cue(l, 0)->words[2].end == 2.4);
    assert_int_equal(sh_lesson_set_cue_string(l, 0, "words", "x"), SH_ERR_INVALID);
    assert_int_equal(sh_lesson_set_cue_text(l, 1, "Two words", NULL), SH_OK); /* the same text */
    assert_int_equal(sh_lesson_cue(l, 1)->n_words, 2);
    assert_int_equal(sh_lesson_insert_cue(l, 0, "z", "Zero", NULL, 0, 0.5), SH_OK); /* cues move */
    assert_string_equal(sh_lesson_cue(l, 2)->words[0].text, "Two");
    assert_same_as_reload(l);
    assert_int_equal(sh_lesson_set_cue_text(l, 2, "Two other words", NULL), SH_OK);
    assert_int_equal(sh_lesson_cue(l, 2)->n_words, 0);
    assert_same_as_reload(l);
    assert_int_equal(sh_lesson_remove_cue(l, 1), SH_OK); /* a cue with words goes */
    assert_string_equal(sh_lesson_cue(l, 1)->id, "b");
    assert_same_as_reload(l);
    assert_int_equal(sh_lesson_set_cue_words(l, 1, NULL, 0), SH_OK);
    assert_same_as_reload(l);
    assert_int_equal(l->builds, after_first);
    sh_lesson_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edits_match_reload),
        cmocka_unit_test(test_edits_do_not_rebuild),
        cmocka_unit_test(test_new_lesson_appends),
        cmocka_unit_test(test_word_edits_match_reload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
