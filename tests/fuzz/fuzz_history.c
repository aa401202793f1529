/* libFuzzer harness for the history's loading of attempts (history.c).
 *
 * The first byte chooses what the rest is:
 *   even: the bytes of a history.db file, opened as practice opens it;
 *   odd:  rows for a database with our tables but none of the schema's
 *         rules (no types, no NOT NULL): each value a tag byte (NULL,
 *         integer, real with NaN/inf, text, blob) and its bytes. A
 *         hand-edited database looks like this, and it is what our row
 *         loading has to survive: SQLite itself vets the file format.
 * Then everything that reads attempts runs: opening (schema checks,
 * migration), the per-attempt and per-paragraph loaders, the resume
 * position, the previous version, and one attempt written.
 * Invariants checked (abort on failure): the loaders' documented contract
 * (cue_id and mode never NULL, total and speed finite), every error
 * carries a message, and no crash, leak or over-read (ASan/UBSan).
 * The database lives in /dev/shm when it exists (no disk syncs). */
#include <math.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shadowing/history.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char db_path[256], wal_path[300], shm_path[300];

static void paths(void)
{
    if (db_path[0])
        return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    snprintf(db_path, sizeof db_path, "%s/fuzz-history-%ld.db", base, (long)getpid());
    snprintf(wal_path, sizeof wal_path, "%s-wal", db_path);
    snprintf(shm_path, sizeof shm_path, "%s-shm", db_path);
}

static void clean(void)
{
    unlink(db_path);
    unlink(wal_path);
    unlink(shm_path);
}

/* Reading values from the input. */
typedef struct src {
    const uint8_t *p;
    size_t n;
} src;

static uint8_t byte(src *s)
{
    if (!s->n)
        return 0;
    s->n--;
    return *s->p++;
}

static void bytes(src *s, void *out, size_t k)
{
    memset(out, 0, k);
    size_t m = k < s->n ? k : s->n;
    memcpy(out, s->p, m);
    s->p += m;
    s->n -= m;
}

static void bind_value(sqlite3_stmt *st, int i, src *s)
{
    uint8_t tag = byte(s);
    switch (tag % 6) {
    case 0: sqlite3_bind_null(st, i); break;
    case 1: {
        int64_t v;
        bytes(s, &v, sizeof v);
        sqlite3_bind_int64(st, i, v);
        break;
    }
    case 2: {
        double v;
        bytes(s, &v, sizeof v);
        sqlite3_bind_double(st, i, v);
        break;
    }
    case 3:
    case 4: {
        size_t k = byte(s) % 40;
        char buf[40];
        bytes(s, buf, k);
        if (tag % 6 == 3)
            sqlite3_bind_text(st, i, buf, (int)k, SQLITE_TRANSIENT);
        else
            sqlite3_bind_blob(st, i, buf, (int)k, SQLITE_TRANSIENT);
        break;
    }
    default: sqlite3_bind_int(st, i, byte(s) % 4); break; /* small ids, so rows join */
    }
}

static int build_rows(src *s)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(db_path, &db) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    static const char schema[] =
        "CREATE TABLE lessons(id INTEGER PRIMARY KEY, hash UNIQUE, path, title, last_cue, last_seen);"
        "CREATE TABLE attempts(id INTEGER PRIMARY KEY, lesson_id, cue_id, cue_index, time_ms, mode, speed, total,"
        " duration, energy, completeness, pauses, level, verdict, take);"
        "CREATE INDEX attempts_by_cue ON attempts(lesson_id, cue_id, time_ms);"
        "PRAGMA user_version=1;"
        "INSERT INTO lessons(id, hash, path) VALUES(1, 'h0', '/l.json'), (2, 'h1', '/l.json');"
        "BEGIN";
    sqlite3_stmt *ls = NULL, *as = NULL;
    int rc = sqlite3_exec(db, schema, NULL, NULL, NULL) == SQLITE_OK &&
                     sqlite3_prepare_v2(db, "UPDATE lessons SET last_cue=?1, last_seen=?2 WHERE id=?3", -1, &ls,
                                        NULL) == SQLITE_OK &&
                     sqlite3_prepare_v2(db,
                                        "INSERT INTO attempts(lesson_id, cue_id, cue_index, time_ms, mode, speed, "
                                        "total, duration, energy, completeness, pauses, level, verdict, take) "
                                        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
                                        -1, &as, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    for (int id = 1; rc == 0 && id <= 2; id++) {
        bind_value(ls, 1, s);
        bind_value(ls, 2, s);
        sqlite3_bind_int(ls, 3, id);
        sqlite3_step(ls);
        sqlite3_reset(ls);
    }
    for (int row = 0; rc == 0 && s->n && row < 64; row++) {
        for (int i = 1; i <= 14; i++)
            bind_value(as, i, s);
        sqlite3_step(as); /* a UNIQUE clash or the like just drops the row */
        sqlite3_reset(as);
    }
    sqlite3_finalize(ls);
    sqlite3_finalize(as);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static void check_error(int rc, const sh_error *err)
{
    if (rc != SH_OK && rc != SH_ERR_NOT_FOUND && (err->code != rc || !err->message[0]))
        abort();
}

static size_t sink;

static int on_attempt(void *user, const sh_attempt *a)
{
    (void)user;
    if (!a->cue_id || !a->mode || !isfinite(a->total) || !isfinite(a->speed))
        abort();
    sink += strlen(a->cue_id) + strlen(a->mode) + (a->verdict ? strlen(a->verdict) : 0) +
            (a->take ? strlen(a->take) : 0) + (size_t)a->cue_index + (size_t)a->time_ms;
    return 0;
}

static int on_cue(void *user, const sh_cue_summary *c)
{
    (void)user;
    if (!c->cue_id)
        abort();
    sink += strlen(c->cue_id) + (size_t)c->attempts + (size_t)c->latest_ms;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    paths();
    clean();
    src s = {data + 1, size - 1};
    if (data[0] & 1) {
        if (build_rows(&s))
            return 0;
    } else {
        FILE *f = fopen(db_path, "wb");
        if (!f)
            return 0;
        fwrite(s.p, 1, s.n, f);
        fclose(f);
    }
    sh_history *h = NULL;
    sh_error err = {0};
    int rc = sh_history_open_readonly(db_path, &h, &err);
    check_error(rc, &err);
    sh_history_close(h);
    h = NULL;
    rc = sh_history_open(db_path, &h, &err);
    check_error(rc, &err);
    if (rc == SH_OK) {
        static const char *const hashes[] = {"h0", "h1"};
        for (int i = 0; i < 2; i++) {
            char buf[64];
            int n = 0;
            sh_error e = {0};
            check_error(sh_history_foreach_attempt(h, hashes[i], on_attempt, NULL, &e), &e);
            check_error(sh_history_foreach_cue(h, hashes[i], on_cue, NULL, &e), &e);
            check_error(sh_history_get_position(h, hashes[i], buf, sizeof buf, &e), &e);
            check_error(sh_history_previous_version(h, hashes[i], "/l.json", buf, sizeof buf, &n, &e), &e);
        }
        sh_attempt a = sh_attempt_init();
        a.cue_id = "p1";
        a.cue_index = 1;
        a.total = 50;
        sh_error e = {0};
        check_error(sh_history_add_attempt(h, "h0", "/l.json", "T", &a, NULL, &e), &e);
        check_error(sh_history_foreach_attempt(h, "h0", on_attempt, NULL, &e), &e);
    }
    sh_history_close(h);
    clean();
    return 0;
}
