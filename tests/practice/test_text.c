/* Unit tests: word wrap by terminal columns (wcwidth) and vocabulary marks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "practice/ui.h"

static void check_lines(const char *text, int width, const char *const *want, size_t nwant)
{
    sh_wrap_line l[32];
    size_t n = sh_wrap_text(text, width, l, 32);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++) {
        char buf[256];
        size_t len = l[i].end - l[i].begin;
        memcpy(buf, text + l[i].begin, len);
        buf[len] = 0;
        assert_string_equal(buf, want[i]);
        assert_int_equal(l[i].cols, sh_text_columns(buf, len));
        assert_true(l[i].cols <= width);
    }
}

static void test_wrap_ascii(void **state)
{
    (void)state;
    const char *w1[] = {"The meteoric", "rise of", "DeepSeek, a", "Chinese"};
    check_lines("The meteoric rise of DeepSeek, a Chinese", 12, w1, 4);
    const char *w2[] = {"exactly ten", "words"};
    check_lines("exactly ten words", 11, w2, 2); /* a line may fill the width exactly */
    const char *w3[] = {"abcdefgh", "ij"};
    check_lines("abcdefghij", 8, w3, 2); /* a word longer than the line is cut */
    const char *w4[] = {"a", "b"};
    check_lines("  a   \n  b  ", 10, w4, 2); /* spaces at breaks dropped, \n breaks */
    const char *w5[] = {""};
    check_lines("", 10, w5, 1);
    sh_wrap_line l[1];
    /* one / two / thre / e / four: counted beyond cap */
    assert_int_equal(sh_wrap_text("one two three four", 4, l, 1), 5);
}

static void test_wrap_cjk(void **state)
{
    (void)state;
    /* each CJK character is 2 columns; lines break between them */
    const char *text = "中国民营AI芯片";
    assert_int_equal(sh_text_columns(text, strlen(text)), 14);
    const char *w[] = {"中国民", "营AI芯", "片"};
    check_lines(text, 6, w, 3);
    /* invalid UTF-8 counts one column per byte and does not crash */
    assert_int_equal(sh_text_columns("\xff\xfe" "a", 3), 3);
}

static void test_vocabulary_marks(void **state)
{
    (void)state;
    const char *text = "The meteoric rise sheds light on breakthroughs; Unmeteoric not.";
    const char *words[] = {"meteoric", "shed light on", "breakthrough"};
    unsigned char m[128];
    assert_int_equal(sh_mark_vocabulary(text, words, 3, m), 2);
    const char *p = strstr(text, "meteoric");
    assert_int_equal(m[p - text], 1);
    assert_int_equal(m[p - text + 7], 1);
    assert_int_equal(m[p - text + 8], 0);
    /* "sheds light on" does not match "shed light on" (ending inside a phrase) */
    p = strstr(text, "sheds");
    assert_int_equal(m[p - text], 0);
    p = strstr(text, "breakthroughs");
    assert_int_equal(m[p - text], 1);
    assert_int_equal(m[p - text + 12], 1); /* the plural s */
    p = strstr(text, "Unmeteoric");
    assert_int_equal(m[p - text + 2], 0); /* not inside another word */
    const char *phr[] = {"sheds LIGHT on"};
    assert_int_equal(sh_mark_vocabulary(text, phr, 1, m), 1); /* case-insensitive phrases */
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap_ascii),
        cmocka_unit_test(test_wrap_cjk),
        cmocka_unit_test(test_vocabulary_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
