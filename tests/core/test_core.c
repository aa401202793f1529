/* Unit tests: error table, diagnostics formatting, file helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "core/util.h"
#include "shadowing/diag.h"
#include "shadowing/error.h"

static void test_strerror_table(void **state)
{
    (void)state;
    for (int c = 0; c > SH_ERR_LAST_; c--) {
        const char *m = sh_strerror(c);
        assert_non_null(m);
        assert_true(strlen(m) > 3);
        assert_string_not_equal(m, "unknown error");
    }
    assert_string_equal(sh_strerror(SH_ERR_LAST_), "unknown error");
    assert_string_equal(sh_strerror(5), "unknown error");
}

static void test_error_set(void **state)
{
    (void)state;
    sh_error err = {0};
    assert_int_equal(sh_error_set(&err, SH_ERR_IO, "%s: %d", "a.wav", 3), SH_ERR_IO);
    assert_int_equal(err.code, SH_ERR_IO);
    assert_string_equal(err.message, "a.wav: 3");
    assert_int_equal(sh_error_set(NULL, SH_ERR_IO, "x"), SH_ERR_IO);
}

static void test_diag_format(void **state)
{
    (void)state;
    sh_diag *d = sh_diag_new();
    assert_non_null(d);
    sh_diag_add(d, SH_DIAG_ERROR, "l.json", 12, 16, "p3", 3, "cue \"%s\" (#%d): bad", "p3", 3);
    sh_diag_add(d, SH_DIAG_WARNING, "l.json", 4, 0, NULL, 0, "short");
    sh_diag_add(d, SH_DIAG_NOTE, NULL, 0, 0, NULL, 0, "fyi");
    assert_int_equal(sh_diag_count(d, SH_DIAG_ERROR), 1);
    assert_int_equal(sh_diag_count(d, SH_DIAG_WARNING), 1);
    assert_int_equal(sh_diag_count(d, -1), 3);
    char buf[256];
    assert_string_equal(sh_diag_format(sh_diag_get(d, 0), buf, sizeof buf),
                        "l.json:12:16: error: cue \"p3\" (#3): bad");
    assert_string_equal(sh_diag_format(sh_diag_get(d, 1), buf, sizeof buf), "l.json:4: warning: short");
    assert_string_equal(sh_diag_format(sh_diag_get(d, 2), buf, sizeof buf), "shadowing: note: fyi");
    assert_string_equal(sh_diag_get(d, 0)->cue_id, "p3");
    assert_int_equal(sh_diag_get(d, 0)->cue_index, 3);
    assert_null(sh_diag_get(d, 3));
    sh_diag_free(d);
    sh_diag_add(NULL, SH_DIAG_ERROR, NULL, 0, 0, NULL, 0, "ignored");
}

static char *tmpdir(void)
{
    char tmpl[] = "/tmp/sh-core-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static void test_read_file_limit(void **state)
{
    (void)state;
    char *dir = tmpdir();
    char *path = sh_asprintf("%s/f.txt", dir);
    sh_error err = {0};
    assert_int_equal(sh_write_file_atomic(path, "hello", 5, &err), SH_OK);
    char *buf;
    size_t len;
    assert_int_equal(sh_read_file(path, 100, &buf, &len, &err), SH_OK);
    assert_int_equal(len, 5);
    assert_string_equal(buf, "hello");
    free(buf);
    assert_int_equal(sh_read_file(path, 4, &buf, &len, &err), SH_ERR_TOO_LARGE);
    assert_null(buf);
    assert_non_null(strstr(err.message, path));
    char *missing = sh_asprintf("%s/none", dir);
    assert_int_equal(sh_read_file(missing, 100, &buf, &len, &err), SH_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "none"));
    unlink(path);
    rmdir(dir);
    free(missing);
    free(path);
    free(dir);
}

/* A failed atomic write (file size limit reached, as on a full disk) leaves
 * the old content and no temporary file behind. */
static void test_atomic_write_keeps_old_on_failure(void **state)
{
    (void)state;
    char *dir = tmpdir();
    char *path = sh_asprintf("%s/lesson.json", dir);
    sh_error err = {0};
    assert_int_equal(sh_write_file_atomic(path, "old", 3, &err), SH_OK);

    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 1024;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    static char big[8192];
    memset(big, 'x', sizeof big);
    int rc = sh_write_file_atomic(path, big, sizeof big, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    assert_int_equal(rc, SH_ERR_DISK_FULL);
    assert_non_null(strstr(err.message, "left unchanged"));

    char *buf;
    size_t len;
    assert_int_equal(sh_read_file(path, 100, &buf, &len, &err), SH_OK);
    assert_string_equal(buf, "old");
    free(buf);
    char *cmd = sh_asprintf("test $(ls -A %s | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}

static void test_paths_and_numbers(void **state)
{
    (void)state;
    char *s = sh_path_resolve("assets/demo/lesson.json", "demo.mp3");
    assert_string_equal(s, "assets/demo/demo.mp3");
    free(s);
    s = sh_path_resolve("lesson.json", "demo.mp3");
    assert_string_equal(s, "demo.mp3");
    free(s);
    s = sh_path_resolve("/x/lesson.json", "/abs/a.mp3");
    assert_string_equal(s, "/abs/a.mp3");
    free(s);
    double d;
    assert_true(sh_parse_double("0.75", &d));
    assert_true(d == 0.75);
    assert_false(sh_parse_double("0.75x", &d));
    assert_false(sh_parse_double("nan", &d));
    assert_false(sh_parse_double("", &d));
    long l;
    assert_true(sh_parse_int("12", 1, 20, &l));
    assert_int_equal(l, 12);
    assert_false(sh_parse_int("21", 1, 20, &l));
    assert_false(sh_parse_int("1e3", 1, 2000, &l));
}

/* Issue 10: a message quoting a file's line (a carriage return from an old
 * Mac file, an escape sequence) is escaped, never printed raw, in both the
 * message and the file name. */
static void test_diag_escapes_controls(void **state)
{
    (void)state;
    sh_diag *d = sh_diag_new();
    assert_non_null(d);
    sh_diag_add(d, SH_DIAG_ERROR, "a\rb.srt", 3, 1, NULL, 0, "bad line '1\r00:00\x1b[31m\t\x7f\xc2\x85' x");
    char buf[256];
    assert_string_equal(sh_diag_format(sh_diag_get(d, 0), buf, sizeof buf),
                        "a\\rb.srt:3:1: error: bad line '1\\r00:00\\x1B[31m\\t\\x7F\\u0085' x");
    /* UTF-8 text stays as it is */
    sh_diag_add(d, SH_DIAG_WARNING, "l.json", 0, 0, NULL, 0, "cue \"杨\": é");
    assert_string_equal(sh_diag_format(sh_diag_get(d, 1), buf, sizeof buf), "l.json: warning: cue \"杨\": é");
    /* truncation never cuts an escape in half */
    char small[12];
    sh_diag_escape("abcdefgh\r", small, sizeof small, 0);
    assert_string_equal(small, "abcdefgh\\r");
    sh_diag_escape("abcdefghij\r", small, sizeof small, 0);
    assert_string_equal(small, "abcdefghij");
    sh_diag_free(d);
}

/* Issue 10: a list with a limit keeps the first entries, counts the rest
 * and prints `check`'s note about them. */
static void test_diag_limit(void **state)
{
    (void)state;
    sh_diag *d = sh_diag_new();
    sh_diag_set_limit(d, SH_DIAG_MAX_SHOWN);
    for (int i = 0; i < 2520; i++)
        sh_diag_add(d, i % 10 == 9 ? SH_DIAG_WARNING : SH_DIAG_ERROR, "many.srt", i + 1, 0, NULL, 0, "bad %d", i);
    assert_int_equal(sh_diag_count(d, SH_DIAG_ERROR), 2268);
    assert_int_equal(sh_diag_count(d, SH_DIAG_WARNING), 252);
    assert_null(sh_diag_get(d, SH_DIAG_MAX_SHOWN));
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    sh_diag_print(d, f, SH_DIAG_WARNING);
    fclose(f);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    assert_int_equal(lines, SH_DIAG_MAX_SHOWN + 1);
    assert_non_null(strstr(text, "many.srt:200: warning: bad 199\n"
                                 "many.srt: note: 2088 more errors and 232 more warnings not shown: fix these first, "
                                 "then check again\n"));
    free(text);
    sh_diag_free(d);
}

/* sh_clock_now: seconds, monotonic; a 20 ms sleep shows as at least 20 ms. */
static void test_clock(void **state)
{
    (void)state;
    double a = sh_clock_now();
    struct timespec ts = {0, 20000000L};
    nanosleep(&ts, NULL);
    double b = sh_clock_now();
    assert_true(b - a >= 0.0195);
    assert_true(b - a < 60.0); /* seconds, not milli- or nanoseconds */
    for (int i = 0; i < 1000; i++) {
        double c = sh_clock_now();
        assert_true(c >= b);
        b = c;
    }
}

/* sh_strbuf: appends of every kind, a printf longer than the stack buffer,
 * embedded NULs, and take/free leaving an empty buffer. */
static void test_strbuf(void **state)
{
    (void)state;
    sh_strbuf b = {0};
    char *e = sh_strbuf_take(&b);
    assert_string_equal(e, "");
    free(e);
    sh_strbuf_puts(&b, "cue ");
    sh_strbuf_printf(&b, "%s-%03d", "p", 7);
    sh_strbuf_add(&b, "x\0y", 3);
    assert_int_equal(b.n, 4 + 5 + 3);
    assert_memory_equal(b.s, "cue p-007x\0y", 13);
    char big[1000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    sh_strbuf_printf(&b, "[%s]", big);
    assert_int_equal(b.n, 12 + 1001);
    assert_int_equal(b.s[b.n], 0);
    assert_int_equal(b.s[12], '[');
    assert_int_equal(b.s[12 + 1000], ']');
    char *s = sh_strbuf_take(&b);
    assert_non_null(s);
    assert_null(b.s);
    assert_int_equal(b.n, 0);
    free(s);
    sh_strbuf_puts(&b, "again");
    assert_string_equal(b.s, "again");
    sh_strbuf_free(&b);
    assert_null(b.s);
    b.oom = true; /* sticky: a failed allocation makes the text unusable */
    sh_strbuf_puts(&b, "lost");
    assert_null(sh_strbuf_take(&b));
}

static void expect_xdg(sh_xdg_kind kind, const char *want)
{
    char *d = sh_xdg_dir(kind);
    if (!want) {
        assert_null(d);
        return;
    }
    assert_non_null(d);
    assert_string_equal(d, want);
    free(d);
}

/* sh_xdg_dir: the variable when absolute, else the spec's default under HOME. */
static void test_xdg_dirs(void **state)
{
    (void)state;
    setenv("HOME", "/home/ann", 1);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_STATE_HOME");
    expect_xdg(SH_XDG_CONFIG, "/home/ann/.config/shadowing");
    expect_xdg(SH_XDG_DATA, "/home/ann/.local/share/shadowing");
    expect_xdg(SH_XDG_STATE, "/home/ann/.local/state/shadowing");
    setenv("XDG_CONFIG_HOME", "/cfg", 1);
    setenv("XDG_DATA_HOME", "/data", 1);
    setenv("XDG_STATE_HOME", "relative/state", 1); /* not absolute: ignored */
    expect_xdg(SH_XDG_CONFIG, "/cfg/shadowing");
    expect_xdg(SH_XDG_DATA, "/data/shadowing");
    expect_xdg(SH_XDG_STATE, "/home/ann/.local/state/shadowing");
    unsetenv("HOME");
    expect_xdg(SH_XDG_STATE, NULL);
    expect_xdg(SH_XDG_DATA, "/data/shadowing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_table),
        cmocka_unit_test(test_error_set),
        cmocka_unit_test(test_diag_format),
        cmocka_unit_test(test_read_file_limit),
        cmocka_unit_test(test_atomic_write_keeps_old_on_failure),
        cmocka_unit_test(test_paths_and_numbers),
        cmocka_unit_test(test_diag_escapes_controls),
        cmocka_unit_test(test_diag_limit),
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_xdg_dirs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
