/* Unit tests: the SQLite practice history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "shadowing/history.h"

static char dir[256];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/sh-hist-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int remove_dir(void **state)
{
    (void)state;
    char *cmd = sh_asprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

static char *path_in(const char *name)
{
    return sh_asprintf("%s/%s", dir, name);
}

static void write_bytes(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    return db;
}

static char *query_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    char *r = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        r = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return r;
}

static void test_open_schema_wal(void **state)
{
    (void)state;
    char *db = path_in("sub/dir/history.db");
    sh_history *h = NULL;
    sh_error err = {0};
    assert_int_equal(sh_history_open(db, &h, &err), SH_OK);
    assert_int_equal(sh_history_schema_version(h), SH_HISTORY_SCHEMA_VERSION);
    assert_string_equal(sh_history_path(h), db);
    sh_history_close(h);

    sqlite3 *raw = raw_open(db);
    char *mode = query_text(raw, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    char *tables = query_text(raw, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master "
                                   "WHERE type='table' ORDER BY name)");
    assert_string_equal(tables, "attempts,lessons");
    free(tables);
    /* a newer schema is refused, not damaged */
    assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    assert_int_equal(sh_history_open(db, &h, &err), SH_ERR_UNSUPPORTED);
    assert_null(h);
    assert_non_null(strstr(err.message, "newer shadowing"));
    raw = raw_open(db);
    char *v = query_text(raw, "PRAGMA user_version");
    assert_string_equal(v, "99");
    free(v);
    sqlite3_close(raw);
    free(db);
}

static void test_attempts_summary_resume(void **state)
{
    (void)state;
    char *db = path_in("h2.db");
    sh_history *h = NULL;
    sh_error err = {0};
    assert_int_equal(sh_history_open(db, &h, &err), SH_OK);
    const char *hash = "abc123";
    char pos[32];
    assert_int_equal(sh_history_get_position(h, hash, pos, sizeof pos, &err), SH_ERR_NOT_FOUND);

    struct { const char *cue; int idx; double total; } rows[] = {
        {"p2", 2, 40}, {"p1", 1, 55}, {"p2", 2, 72}, {"p2", 2, 65},
    };
    for (int i = 0; i < 4; i++) {
        sh_attempt a = sh_attempt_init();
        a.cue_id = rows[i].cue;
        a.cue_index = rows[i].idx;
        a.total = rows[i].total;
        a.energy = 50 + i;
        a.time_ms = 1000 + i;
        a.take = i == 0 ? "/tmp/t.wav" : NULL;
        int64_t id = 0;
        assert_int_equal(sh_history_add_attempt(h, hash, "/l/lesson.json", "Title", &a, &id, &err), SH_OK);
        assert_true(id > 0);
    }
    assert_int_equal(sh_history_get_position(h, hash, pos, sizeof pos, &err), SH_OK);
    assert_string_equal(pos, "p2");
    assert_int_equal(sh_history_set_position(h, hash, NULL, NULL, "p7", &err), SH_OK);
    assert_int_equal(sh_history_get_position(h, hash, pos, sizeof pos, &err), SH_OK);
    assert_string_equal(pos, "p7");
    sh_history_close(h);

    /* reopened: everything is there */
    assert_int_equal(sh_history_open(db, &h, &err), SH_OK);
    assert_int_equal(sh_history_get_position(h, hash, pos, sizeof pos, &err), SH_OK);
    assert_string_equal(pos, "p7");
    sh_history_close(h);

    sqlite3 *raw = raw_open(db);
    char *s = query_text(raw, "SELECT group_concat(cue_id || ':' || total || ':' || ifnull(duration,'null') "
                              "|| ':' || ifnull(take,'-'), ' ') FROM (SELECT * FROM attempts ORDER BY id)");
    assert_string_equal(s, "p2:40.0:null:/tmp/t.wav p1:55.0:null:- p2:72.0:null:- p2:65.0:null:-");
    free(s);
    s = query_text(raw, "SELECT title || '|' || path FROM lessons");
    assert_string_equal(s, "Title|/l/lesson.json");
    free(s);
    sqlite3_close(raw);
    free(db);
}

typedef struct cue_acc {
    char text[256];
} cue_acc;

static int on_cue(void *user, const sh_cue_summary *c)
{
    cue_acc *acc = user;
    size_t n = strlen(acc->text);
    snprintf(acc->text + n, sizeof acc->text - n, "%s n=%d best=%g latest=%g first=%g;", c->cue_id,
             c->attempts, c->best, c->latest, c->first);
    return 0;
}

static int on_attempt(void *user, const sh_attempt *a)
{
    int *n = user;
    assert_true(a->time_ms >= 1000);
    assert_true(isnan(a->duration));
    assert_false(isnan(a->energy));
    (*n)++;
    return 0;
}

static void test_summary(void **state)
{
    (void)state;
    char *db = path_in("h2.db"); /* made by the previous test */
    sh_history *h = NULL;
    sh_error err = {0};
    assert_int_equal(sh_history_open(db, &h, &err), SH_OK);
    cue_acc acc = {""};
    assert_int_equal(sh_history_foreach_cue(h, "abc123", on_cue, &acc, &err), SH_OK);
    assert_string_equal(acc.text, "p1 n=1 best=55 latest=55 first=55;p2 n=3 best=72 latest=65 first=40;");
    int n = 0;
    assert_int_equal(sh_history_foreach_attempt(h, "abc123", on_attempt, &n, &err), SH_OK);
    assert_int_equal(n, 4);
    n = 0;
    assert_int_equal(sh_history_foreach_attempt(h, "other", on_attempt, &n, &err), SH_OK);
    assert_int_equal(n, 0);
    sh_history_close(h);
    free(db);
}

/* An attempt whose insert fails leaves nothing behind: not the lesson row,
 * not the moved resume position. */
static void test_attempt_is_one_transaction(void **state)
{
    (void)state;
    char *db = path_in("h3.db");
    sh_history *h = NULL;
    sh_error err = {0};
    assert_int_equal(sh_history_open(db, &h, &err), SH_OK);
    assert_int_equal(sh_history_set_position(h, "L", NULL, "T", "p1", &err), SH_OK);
    sqlite3 *raw = raw_open(db);
    assert_int_equal(sqlite3_exec(raw, "CREATE TRIGGER no_p9 BEFORE INSERT ON attempts WHEN NEW.cue_id='p9' "
                                       "BEGIN SELECT RAISE(ABORT, 'refused'); END;", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    sh_attempt a = sh_attempt_init();
    a.cue_id = "p9";
    a.cue_index = 9;
    a.total = 10;
    assert_int_equal(sh_history_add_attempt(h, "L", NULL, "Changed", &a, NULL, &err), SH_ERR_DATABASE);
    assert_non_null(strstr(err.message, "h3.db"));
    char pos[16];
    assert_int_equal(sh_history_get_position(h, "L", pos, sizeof pos, &err), SH_OK);
    assert_string_equal(pos, "p1");
    /* a second lesson: no lesson row is left by the failed attempt */
    assert_int_equal(sh_history_add_attempt(h, "M", NULL, NULL, &a, NULL, &err), SH_ERR_DATABASE);
    assert_int_equal(sh_history_get_position(h, "M", pos, sizeof pos, &err), SH_ERR_NOT_FOUND);
    /* and the handle still works afterwards */
    a.cue_id = "p2";
    assert_int_equal(sh_history_add_attempt(h, "L", NULL, NULL, &a, NULL, &err), SH_OK);
    sh_history_close(h);
    raw = raw_open(db);
    char *s = query_text(raw, "SELECT count(*) || ' ' || (SELECT title FROM lessons) FROM attempts");
    assert_string_equal(s, "1 T");
    free(s);
    sqlite3_close(raw);
    /* incomplete attempts are refused before touching the database */
    assert_int_equal(sh_history_open(db, &h, &err), SH_OK);
    a = sh_attempt_init();
    a.cue_id = "p1";
    assert_int_equal(sh_history_add_attempt(h, "L", NULL, NULL, &a, NULL, &err), SH_ERR_INVALID);
    sh_history_close(h);
    free(db);
}

/* An edited lesson (new hash, same path) finds its previous version. */
static void test_previous_version(void **state)
{
    (void)state;
    char *db = path_in("h5.db");
    sh_history *h = NULL;
    sh_error err = {0};
    char pos[16];
    int n = -1;
    assert_int_equal(sh_history_open(db, &h, &err), SH_OK);
    assert_int_equal(sh_history_previous_version(h, "v1", "/l.json", pos, sizeof pos, &n, &err), SH_ERR_NOT_FOUND);
    sh_attempt a = sh_attempt_init();
    a.cue_id = "p4";
    a.cue_index = 4;
    a.total = 50;
    assert_int_equal(sh_history_add_attempt(h, "v1", "/l.json", "T", &a, NULL, &err), SH_OK);
    assert_int_equal(sh_history_add_attempt(h, "v1", "/l.json", "T", &a, NULL, &err), SH_OK);
    assert_int_equal(sh_history_set_position(h, "other", "/elsewhere.json", NULL, "p9", &err), SH_OK);
    /* the same version is not "previous" */
    assert_int_equal(sh_history_previous_version(h, "v1", "/l.json", pos, sizeof pos, &n, &err), SH_ERR_NOT_FOUND);
    assert_int_equal(sh_history_previous_version(h, "v2", "/l.json", pos, sizeof pos, &n, &err), SH_OK);
    assert_string_equal(pos, "p4");
    assert_int_equal(n, 2);
    sh_history_close(h);
    free(db);
}

/* A version-0 database (an empty file made by an older build or by hand)
 * is migrated. */
static void test_migrates_empty_database(void **state)
{
    (void)state;
    char *db = path_in("h4.db");
    sqlite3 *raw = raw_open(db);
    assert_int_equal(sqlite3_exec(raw, "CREATE TABLE unrelated(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    sh_history *h = NULL;
    sh_error err = {0};
    assert_int_equal(sh_history_open(db, &h, &err), SH_OK);
    assert_int_equal(sh_history_schema_version(h), SH_HISTORY_SCHEMA_VERSION);
    sh_history_close(h);
    /* reopening does not migrate twice */
    assert_int_equal(sh_history_open(db, &h, &err), SH_OK);
    sh_history_close(h);
    free(db);
}

static void test_identity(void **state)
{
    (void)state;
    char *l1 = path_in("a.json"), *l2 = path_in("b.json"), *au = path_in("a.mp3"), *au2 = path_in("c.mp3");
    write_bytes(l1, "{\"x\":1}", 7);
    write_bytes(l2, "{\"x\":1}", 7);
    size_t big = (3u << 20) + 17;
    char *buf = calloc(1, big);
    assert_non_null(buf);
    write_bytes(au, buf, big);
    buf[big - 5] = 1; /* differs only in the last MiB */
    write_bytes(au2, buf, big);
    free(buf);
    char h1[SH_LESSON_HASH_LEN], h2[SH_LESSON_HASH_LEN], h3[SH_LESSON_HASH_LEN], h4[SH_LESSON_HASH_LEN];
    sh_error err = {0};
    assert_int_equal(sh_lesson_identity(l1, au, h1, &err), SH_OK);
    assert_int_equal(strlen(h1), 64);
    assert_int_equal(sh_lesson_identity(l2, au, h2, &err), SH_OK);
    assert_string_equal(h1, h2); /* content, not path */
    assert_int_equal(sh_lesson_identity(l1, au2, h3, &err), SH_OK);
    assert_string_not_equal(h1, h3);
    assert_int_equal(sh_lesson_identity(l1, NULL, h4, &err), SH_OK);
    assert_string_not_equal(h1, h4);
    char *missing = path_in("none.json");
    assert_int_equal(sh_lesson_identity(missing, au, h4, &err), SH_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "none.json"));
    free(missing);
    free(l1);
    free(l2);
    free(au);
    free(au2);
}

static void test_data_dir(void **state)
{
    (void)state;
    char *old = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
    setenv("XDG_DATA_HOME", "/x/data", 1);
    char *d = sh_history_data_dir();
    assert_string_equal(d, "/x/data/shadowing");
    free(d);
    char *t = sh_history_takes_dir("0123456789abcdef0123");
    assert_string_equal(t, "/x/data/shadowing/takes/0123456789abcdef");
    free(t);
    setenv("XDG_DATA_HOME", "relative", 1); /* not absolute: ignored, per XDG */
    setenv("HOME", "/home/u", 1);
    d = sh_history_data_dir();
    assert_string_equal(d, "/home/u/.local/share/shadowing");
    free(d);
    if (old)
        setenv("XDG_DATA_HOME", old, 1);
    else
        unsetenv("XDG_DATA_HOME");
    free(old);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_schema_wal),
        cmocka_unit_test(test_attempts_summary_resume),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_attempt_is_one_transaction),
        cmocka_unit_test(test_previous_version),
        cmocka_unit_test(test_migrates_empty_database),
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_data_dir),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
