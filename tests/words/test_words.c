/* Unit tests: text normalisation (a table of broadcast English), the IPA ->
 * phone table, phone validation, and the lesson's "words" and
 * "pronunciations" with their line:column errors. No speech engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/lesson.h"
#include "shadowing/words.h"

/* Tokens of `text` joined by spaces, each followed by "/word index". */
static void tokens_of(const char *text, char *buf, size_t size)
{
    sh_text_words tw;
    assert_int_equal(sh_text_words_split(text, &tw), SH_OK);
    buf[0] = '\0';
    for (size_t i = 0; i < tw.n_tokens; i++) {
        char one[96];
        snprintf(one, sizeof one, "%s%s/%zu", i ? " " : "", tw.tokens[i].text, tw.tokens[i].word);
        strncat(buf, one, size - strlen(buf) - 1);
    }
    sh_text_words_free(&tw);
}

static void test_normalize_table(void **state)
{
    (void)state;
    static const struct {
        const char *text, *tokens;
    } cases[] = {
        {"$5.6 million", "five/0 point/0 six/0 million/1 dollars/1"},
        {"$3", "three/0 dollars/0"},
        {"$1", "one/0 dollar/0"},
        {"$3.50", "three/0 dollars/0 fifty/0 cents/0"},
        {"$5bn", "five/0 billion/0 dollars/0"},
        {"98 percent", "ninety/0 eight/0 percent/1"},
        {"98%", "ninety/0 eight/0 percent/0"},
        {"in 2026.", "in/0 twenty/1 twenty/1 six/1"},
        {"2000", "two/0 thousand/0"},
        {"2008", "two/0 thousand/0 eight/0"},
        {"1905", "nineteen/0 oh/0 five/0"},
        {"1900", "nineteen/0 hundred/0"},
        {"the 1990s", "the/0 nineteen/1 nineties/1"},
        {"80s", "eighties/0"},
        {"1,200 people", "one/0 thousand/0 two/0 hundred/0 people/1"},
        {"3rd 21st 12th 100th", "third/0 twenty/1 first/1 twelfth/2 one/3 hundredth/3"},
        {"US AI GPU", "u/0 s/0 a/1 i/1 g/2 p/2 u/2"},
        {"U.S.", "u/0 s/0"},
        {"GPUs", "g/0 p/0 u's/0"},
        {"NASA OK", "nasa/0 ok/1"},
        {"ChatGPT", "chat/0 g/0 p/0 t/0"},
        {"DeepSeek's", "deepseek's/0"},
        {"Washington\xe2\x80\x99s tougher", "washington's/0 tougher/1"},
        {"state-of-the-art", "state/0 of/0 the/0 art/0"},
        {"companies'", "companies/0"},
        {"\"Hello,\" she said \xe2\x80\x94 twice.", "hello/0 she/1 said/2 twice/3"},
        {"caf\xc3\xa9", "cafe/0"},
        {"R&D", "r/0 and/0 d/0"},
        {"0.5", "zero/0 point/0 five/0"},
        {"123", "one/0 hundred/0 twenty/0 three/0"},
        {"H100", "h/0 one/0 hundred/0"},
        {"", ""},
        {" -- ", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char got[1024];
        tokens_of(cases[i].text, got, sizeof got);
        if (strcmp(got, cases[i].tokens) != 0)
            fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i].text, got, cases[i].tokens);
    }
}

static void test_text_words(void **state)
{
    (void)state;
    sh_text_words tw;
    assert_int_equal(sh_text_words_split("\"Nvidia's chips,\" he said \xe2\x80\x94 at $5.6 million.", &tw), SH_OK);
    static const char *const want[] = {"Nvidia's", "chips", "he", "said", "at", "$5.6", "million"};
    assert_int_equal(tw.n_words, 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(tw.words[i], want[i]);
    sh_text_words_free(&tw);
    assert_int_equal(sh_text_words_split(NULL, &tw), SH_ERR_INVALID);
}

static void test_number(void **state)
{
    (void)state;
    char b[256];
    assert_string_equal(sh_words_number(0, b, sizeof b), "zero");
    assert_string_equal(sh_words_number(1000001, b, sizeof b), "one million one");
    assert_string_equal(sh_words_number(999999999999999ULL, b, sizeof b),
                        "nine hundred ninety nine trillion nine hundred ninety nine billion nine hundred ninety "
                        "nine million nine hundred ninety nine thousand nine hundred ninety nine");
    assert_string_equal(sh_words_number(1000000000000000ULL, b, sizeof b), "");
    char small[8];
    assert_string_equal(sh_words_number(123, small, sizeof small), "");
}

static void test_ipa_table(void **state)
{
    (void)state;
    static const struct {
        const char *ipa, *phones;
    } cases[] = {
        {"dˈiːp sˈiːk", "D IY P S IY K"},                  /* DeepSeek (espeak-ng en-us) */
        {"ˈɛnvˈɪdiə", "EH N V IH D IY AH"},                /* Nvidia */
        {"hjˈuːɐwˌeɪ", "HH Y UW AH W EY"},                 /* Huawei */
        {"sˈɪlɪkən flˈoʊ", "S IH L IH K AH N F L OW"},      /* SiliconFlow */
        {"mˈɛɾə ˈɛks", "M EH T AH EH K S"},                /* MetaX */
        {"tʃˈɪpmeɪkɚz", "CH IH P M EY K ER Z"},
        {"dʒˈʌdʒ", "JH AH JH"},
        {"θˈɪŋ ðˈɪs", "TH IH NG DH IH S"},
        {"mˈɛʒɚ", "M EH ZH ER"},
        {"bˈɔɪ kˈaʊ fˈaɪɚ", "B OY K AW F AY ER"},
        {"ʃˈʊɹ", "SH UH R"},
        {"fˈɑːðɚ lˈɔː hˈɑːt kˈæt", "F AA DH ER L AO HH AA T K AE T"},
        {"ɡˈoʊ bˈɜːd", "G OW B ER D"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[256];
        size_t unk = 99;
        size_t n = sh_words_ipa_to_phones(cases[i].ipa, buf, sizeof buf, &unk);
        if (strcmp(buf, cases[i].phones) != 0)
            fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i].ipa, buf, cases[i].phones);
        assert_int_equal(unk, 0);
        assert_true(n > 0);
        assert_true(sh_words_phones_valid(buf, NULL));
    }
    char buf[64];
    size_t unk = 0;
    sh_words_ipa_to_phones("k\xe2\x98\x83t", buf, sizeof buf, &unk); /* a snowman is no phone */
    assert_string_equal(buf, "K T");
    assert_int_equal(unk, 1);
    assert_int_equal(sh_words_ipa_to_phones("dˈiːp sˈiːk", buf, 6, NULL), 0); /* too small */
}

static void test_phones_valid(void **state)
{
    (void)state;
    size_t at = 0;
    assert_true(sh_words_phones_valid("D IY P S IY K", &at));
    assert_false(sh_words_phones_valid("D IY1 P", &at));
    assert_int_equal(at, 2);
    assert_false(sh_words_phones_valid("D  IY", &at));
    assert_int_equal(at, 2);
    assert_false(sh_words_phones_valid("", &at));
    assert_false(sh_words_phones_valid("d iy", &at));
    assert_int_equal(at, 0);
    assert_false(sh_words_phones_valid("SIL", &at));
    assert_int_equal(sh_words_phone_count, 39);
}

#define HEAD "{\"shadowing\": 1, \"title\": \"t\", \"audio\": \"a.wav\",\n"

/* The lesson's diagnostics joined by '\n' ("" when it loads). */
static char *load_diags(const char *json, sh_lesson **out)
{
    sh_diag *d = sh_diag_new();
    sh_lesson *l = NULL;
    sh_lesson_parse(json, strlen(json), "l.json", 0, &l, d);
    char *all = calloc(1, 8192);
    assert_non_null(all);
    char line[2048];
    for (size_t i = 0; i < sh_diag_count(d, -1); i++) {
        if (i)
            strcat(all, "\n");
        strncat(all, sh_diag_format(sh_diag_get(d, i), line, sizeof line), 8191 - strlen(all));
    }
    sh_diag_free(d);
    if (out)
        *out = l;
    else
        sh_lesson_free(l);
    return all;
}

static void expect(const char *json, const char *want)
{
    char *got = load_diags(json, NULL);
    if (!strstr(got, want) || (!*want && *got))
        fail_msg("want \"%s\" in:\n%s", want, got);
    free(got);
}

static void test_lesson_words(void **state)
{
    (void)state;
    sh_lesson *l = NULL;
    char *d = load_diags(HEAD "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"Hello, $5 world.\",\n"
                              " \"words\": [{\"text\": \"Hello\", \"begin\": 1.0, \"end\": 1.4},\n"
                              "  {\"text\": \"$5\", \"begin\": null, \"end\": null},\n"
                              "  {\"text\": \"world\", \"begin\": 1.5, \"end\": 2.9}]}]}",
                         &l);
    assert_string_equal(d, "");
    free(d);
    assert_non_null(l);
    const sh_cue *c = sh_lesson_cue(l, 0);
    assert_int_equal(c->n_words, 3);
    assert_string_equal(c->words[2].text, "world");
    assert_true(isnan(c->words[1].begin));
    assert_true(fabs(c->words[2].end - 2.9) < 1e-9);
    /* set, save as JSON, reload: the same words */
    sh_cue_word w[3] = {{"Hello", 1.0004, 1.2}, {"$5", 1.25, 1.45}, {"world", 1.5, 2.95}};
    assert_int_equal(sh_lesson_set_cue_words(l, 0, w, 3), SH_OK);
    sh_cue_word bad[3] = {{"Hello", 1.0, 1.2}, {"$5", 1.1, 1.45}, {"world", 1.5, 2.95}}; /* overlap */
    assert_int_equal(sh_lesson_set_cue_words(l, 0, bad, 3), SH_ERR_INVALID);
    sh_cue_word out[3] = {{"Hello", 0.5, 1.2}, {"$5", 1.25, 1.45}, {"world", 1.5, 2.95}}; /* before the cue */
    assert_int_equal(sh_lesson_set_cue_words(l, 0, out, 3), SH_ERR_INVALID);
    sh_cue_word wrong[3] = {{"Hello", 1.0, 1.2}, {"5", 1.25, 1.45}, {"world", 1.5, 2.95}};
    assert_int_equal(sh_lesson_set_cue_words(l, 0, wrong, 3), SH_ERR_INVALID);
    char *json = sh_lesson_to_json(l);
    sh_lesson *l2 = NULL;
    d = load_diags(json, &l2);
    assert_string_equal(d, "");
    free(d);
    free(json);
    assert_true(fabs(sh_lesson_cue(l2, 0)->words[1].begin - 1.25) < 1e-9);
    assert_true(fabs(sh_lesson_cue(l2, 0)->words[0].begin - 1.0) < 1e-9); /* rounded to the ms */
    /* new text: the words go */
    assert_int_equal(sh_lesson_set_cue_text(l2, 0, "Other words", NULL), SH_OK);
    assert_null(sh_lesson_cue(l2, 0)->words);
    sh_lesson_free(l2);
    /* times that no longer hold the words: they go; times that do: they stay */
    assert_int_equal(sh_lesson_set_cue_times(l, 0, 0.9, 3.0), SH_OK);
    assert_int_equal(sh_lesson_cue(l, 0)->n_words, 3);
    assert_int_equal(sh_lesson_set_cue_times(l, 0, 1.1, 3.0), SH_OK);
    assert_null(sh_lesson_cue(l, 0)->words);
    sh_lesson_free(l);

    /* located errors */
    expect(HEAD "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"Hello world\",\n"
                " \"words\": [{\"text\": \"Hello\", \"begin\": 1.0, \"end\": 1.4},\n"
                "  {\"text\": \"word\", \"begin\": 1.5, \"end\": 2.9}]}]}",
           "l.json:4:12: error: cue \"p1\" (#1): \"words\"[1] is \"word\" but word 2 of the text is \"world\"");
    expect(HEAD "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"Hello world\",\n"
                " \"words\": [{\"text\": \"Hello\", \"begin\": 1.0, \"end\": 1.6},\n"
                "  {\"text\": \"world\", \"begin\": 1.5, \"end\": 2.9}]}]}",
           "l.json:4:30: error: cue \"p1\" (#1): \"words\"[1] \"world\" begins at 1.500, before \"words\"[0] ends");
    expect(HEAD "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"Hello world\",\n"
                " \"words\": [{\"text\": \"Hello\", \"begin\": 0.5, \"end\": 1.4},\n"
                "  {\"text\": \"world\", \"begin\": 1.5, \"end\": 2.9}]}]}",
           "l.json:3:39: error: cue \"p1\" (#1): \"words\"[0] \"Hello\" (0.500-1.400) is outside the cue");
    expect(HEAD "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"Hello world\",\n"
                " \"words\": [{\"text\": \"Hello\", \"begin\": 1.0, \"end\": 1.4}]}]}",
           "l.json:3:11: error: cue \"p1\" (#1): \"words\" has 1 entries but the text has 2 words");
    expect(HEAD "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"Hello world\",\n"
                " \"words\": [{\"text\": \"Hello\", \"begin\": 1.0}, 7]}]}",
           "l.json:3:12: error: cue \"p1\" (#1): \"words\"[0] \"Hello\" has only one of \"begin\" and \"end\"");
    expect(HEAD "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"Hello world\",\n"
                " \"words\": [{\"text\": \"Hello\", \"begin\": 1.0}, 7]}]}",
           "l.json:3:45: error: cue \"p1\" (#1): \"words\"[1] must be an object");
    expect(HEAD "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"Hello\", \"words\": {}}]}",
           "l.json:2:59: error: cue \"p1\" (#1): \"words\" must be an array");
}

static void test_lesson_prons(void **state)
{
    (void)state;
    sh_lesson *l = NULL;
    char *d = load_diags(HEAD "\"pronunciations\": {\"DeepSeek\": \"D IY P S IY K\", \"MetaX\": \"M EH T AH EH K S\"},\n"
                              "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"DeepSeek\"}]}",
                         &l);
    assert_string_equal(d, "");
    free(d);
    assert_int_equal(sh_lesson_pron_count(l), 2);
    assert_string_equal(sh_lesson_pron_at(l, 1)->word, "MetaX");
    assert_string_equal(sh_lesson_pron_at(l, 0)->phones, "D IY P S IY K");
    assert_null(sh_lesson_pron_at(l, 2));
    sh_lesson_free(l);
    expect(HEAD "\"pronunciations\": {\"DeepSeek\": \"D IY1 P S IY K\"},\n"
                "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"DeepSeek\"}]}",
           "l.json:2:32: error: \"pronunciations\": \"DeepSeek\": \"IY1\" (at character 3) is not one of the model's "
           "phones");
    expect(HEAD "\"pronunciations\": {\"Deep Seek\": \"D IY P\"},\n"
                "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"DeepSeek\"}]}",
           "l.json:2:20: error: \"pronunciations\": the key must be one word");
    expect(HEAD "\"pronunciations\": {\"DeepSeek\": 5},\n"
                "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"DeepSeek\"}]}",
           "l.json:2:32: error: \"pronunciations\": \"DeepSeek\" must be a string of phones");
    expect(HEAD "\"pronunciations\": [\"D\"],\n"
                "\"cues\": [{\"begin\": 1, \"end\": 3, \"text\": \"DeepSeek\"}]}",
           "l.json:2:19: error: \"pronunciations\" must be an object");
}

static void test_words_api(void **state)
{
    (void)state;
    sh_error err = {0};
    sh_words_config c = sh_words_config_init();
    assert_true(c.use_espeak);
    assert_int_equal(c.max_skip, 3);
    sh_words *w = sh_words_open(&c, &err);
    if (!sh_words_available()) {
        /* a build without asr says so */
        assert_null(w);
        assert_int_equal(err.code, SH_ERR_UNSUPPORTED);
        assert_non_null(strstr(err.message, "word timing is off"));
        return;
    }
    assert_non_null(w);
    sh_word_time *out = NULL;
    size_t n = 0;
    float x[1600] = {0};
    assert_int_equal(sh_words_align(w, "hello", x, 1600, 44100, &out, &n, &err), SH_ERR_INVALID);
    assert_int_equal(sh_words_align(w, "hello there", x, 1600, 16000, &out, &n, &err), SH_OK);
    assert_int_equal(n, 2);
    assert_string_equal(out[1].text, "there");
    sh_words_pron bad = {"DeepSeek", "D IY9"};
    assert_int_equal(sh_words_set_prons(w, &bad, 1, &err), SH_ERR_INVALID);
    assert_non_null(strstr(err.message, "DeepSeek"));
    sh_words_pron two = {"Deep Seek", "D IY P"};
    assert_int_equal(sh_words_set_prons(w, &two, 1, &err), SH_ERR_INVALID);
    sh_words_pron good = {"DeepSeek", "D IY P S IY K"};
    assert_int_equal(sh_words_set_prons(w, &good, 1, &err), SH_OK);
    sh_words_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_table), cmocka_unit_test(test_text_words),
        cmocka_unit_test(test_number),          cmocka_unit_test(test_ipa_table),
        cmocka_unit_test(test_phones_valid),    cmocka_unit_test(test_lesson_words),
        cmocka_unit_test(test_lesson_prons),    cmocka_unit_test(test_words_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
