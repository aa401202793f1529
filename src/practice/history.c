/* Practice history in SQLite: schema, migrations, one transaction per
 * attempt. See include/shadowing/history.h. */
#include "shadowing/history.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

struct sh_history {
    sqlite3 *db;
    char *path;
    bool read_only; /* sh_history_open_readonly: `history` */
};

/* Migrations: entry i takes a database from user_version i to i+1. Never
 * edit a released entry; append a new one and bump
 * SH_HISTORY_SCHEMA_VERSION. Each runs in its own transaction together with
 * the user_version update, so a crash mid-migration leaves the old schema. */
static const char *const migrations[SH_HISTORY_SCHEMA_VERSION] = {
    /* 0 -> 1 */
    "CREATE TABLE lessons ("
    "  id INTEGER PRIMARY KEY,"
    "  hash TEXT NOT NULL UNIQUE,"
    "  path TEXT,"
    "  title TEXT,"
    "  last_cue TEXT,"
    "  last_seen INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE attempts ("
    "  id INTEGER PRIMARY KEY,"
    "  lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,"
    "  cue_id TEXT NOT NULL,"
    "  cue_index INTEGER NOT NULL,"
    "  time_ms INTEGER NOT NULL,"
    "  mode TEXT NOT NULL,"
    "  speed REAL NOT NULL,"
    "  total REAL NOT NULL,"
    "  duration REAL, energy REAL, completeness REAL, pauses REAL, level REAL,"
    "  verdict TEXT,"
    "  take TEXT);"
    "CREATE INDEX attempts_by_cue ON attempts(lesson_id, cue_id, time_ms);",
};

/* Sort SQLite's failure into what the user can do about it. */
static int db_class(sqlite3 *db)
{
    int x = sqlite3_extended_errcode(db), e = sqlite3_system_errno(db);
    switch (x & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return SH_ERR_FORMAT;
    case SQLITE_FULL:
        return SH_ERR_DISK_FULL;
    case SQLITE_IOERR:
        return e == ENOSPC || e == EFBIG || e == EDQUOT ? SH_ERR_DISK_FULL : SH_ERR_IO;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return SH_ERR_IO;
    default:
        return SH_ERR_DATABASE;
    }
}

/* How a message about the file starts: `history` only reads, so its
 * messages say "cannot read". */
static const char *lead_as(const sh_history *h, const char *noun, char *buf, size_t size)
{
    if (h->read_only)
        snprintf(buf, size, "cannot read the history %s: it is", h->path);
    else
        snprintf(buf, size, "%s: %s is", h->path, noun);
    return buf;
}

static const char *lead(const sh_history *h, char *buf, size_t size)
{
    return lead_as(h, "the history", buf, size);
}

static int db_fail(sh_history *h, sh_error *err, const char *what)
{
    char who[PATH_MAX + 64];
    /* A full disk (or a file size limit) reaches us as SQLITE_FULL or as an
     * I/O error whose errno says so. SQLite has rolled the transaction back,
     * so earlier attempts are safe: say that, and what to do. A damaged
     * file says how to get going again; `history` only reads, so its
     * messages say "read". */
    int code = db_class(h->db);
    const char *msg = sqlite3_errmsg(h->db);
    if (h->read_only && code != SH_ERR_FORMAT)
        return sh_error_set(err, code, "cannot read the history %s: %s", h->path, msg);
    switch (code) {
    case SH_ERR_FORMAT:
        return sh_error_set(err, code, "%s damaged (%s): move it aside, or practise a lesson: practice moves "
                            "it aside and starts a new one", lead(h, who, sizeof who), msg);
    case SH_ERR_DISK_FULL:
        return sh_error_set(err, code,
                            "%s: %s: the disk is full: free some space and try again (earlier attempts are kept)",
                            h->path, what);
    case SH_ERR_IO:
        return sh_error_set(err, code, "%s: %s: %s: check that the file and its folder are writable", h->path,
                            what, msg);
    default:
        return sh_error_set(err, code, "%s: %s: %s", h->path, what, msg);
    }
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int exec_sql(sh_history *h, const char *sql, sh_error *err)
{
    if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(h, err, "cannot update the history");
    return SH_OK;
}

int sh_history_schema_version(sh_history *h)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(h->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Every statement the history runs must compile against the tables found:
 * a database with the right version number but other tables (made by hand,
 * or by something else) is reported as not ours instead of failing later,
 * one attempt at a time. */
static const char *const schema_probes[] = {
    "SELECT id, hash, path, title, last_cue, last_seen FROM lessons LIMIT 0",
    "SELECT id, lesson_id, cue_id, cue_index, time_ms, mode, speed, total, duration, energy, completeness, "
    "pauses, level, verdict, take FROM attempts LIMIT 0",
    "INSERT INTO lessons(hash, last_seen) VALUES('', 0) ON CONFLICT(hash) DO UPDATE SET last_seen=0 RETURNING id",
};

static int check_schema(sh_history *h, sh_error *err)
{
    for (size_t i = 0; i < sizeof schema_probes / sizeof schema_probes[0]; i++) {
        sqlite3_stmt *st = NULL;
        int r = sqlite3_prepare_v2(h->db, schema_probes[i], -1, &st, NULL);
        sqlite3_finalize(st);
        if (r == SQLITE_OK)
            continue;
        if (db_class(h->db) != SH_ERR_DATABASE)
            return db_fail(h, err, "cannot read the history");
        char who[PATH_MAX + 64];
        return sh_error_set(err, SH_ERR_FORMAT,
                            "%s not a shadowing history (schema version %d, but %s): move it aside, or "
                            "practise a lesson: practice moves it aside and starts a new one",
                            lead_as(h, "the file", who, sizeof who), sh_history_schema_version(h), sqlite3_errmsg(h->db));
    }
    return SH_OK;
}

static int newer_version(sh_history *h, int v, sh_error *err)
{
    char who[PATH_MAX + 64];
    return sh_error_set(err, SH_ERR_UNSUPPORTED,
                        "%s from a newer shadowing (schema version %d, this one knows up to %d): move it "
                        "aside, or upgrade shadowing (practice moves it aside and starts a new one)",
                        lead(h, who, sizeof who), v, SH_HISTORY_SCHEMA_VERSION);
}

static int foreign(sh_history *h, sh_error *err)
{
    char who[PATH_MAX + 64];
    return sh_error_set(err, SH_ERR_FORMAT, "%s not a shadowing history (its tables are not ours): move it aside, "
                        "or use --history-db FILE", lead_as(h, "the file", who, sizeof who));
}

/* SQLite says "disk I/O error" or "unable to open" for a folder. */
static int not_a_folder(sh_history *h, sh_error *err)
{
    struct stat st;
    char who[PATH_MAX + 64];
    if (stat(h->path, &st) == 0 && S_ISDIR(st.st_mode))
        return sh_error_set(err, SH_ERR_IO, "%s a folder, not a database: move it away, or use --history-db FILE",
                            lead_as(h, "this", who, sizeof who));
    return SH_OK;
}

static int migrate(sh_history *h, sh_error *err)
{
    /* BEGIN IMMEDIATE so two processes opening an old database at once do
     * not both migrate: the second waits (busy timeout), then sees the new
     * version. */
    int rc;
    if ((rc = exec_sql(h, "BEGIN IMMEDIATE", err)))
        return rc;
    int v = sh_history_schema_version(h);
    if (v < 0) {
        rc = db_fail(h, err, "cannot read the schema version");
        goto fail;
    }
    if (v > SH_HISTORY_SCHEMA_VERSION) {
        rc = newer_version(h, v, err);
        goto fail;
    }
    bool migrated = v < SH_HISTORY_SCHEMA_VERSION;
    for (; v < SH_HISTORY_SCHEMA_VERSION; v++) {
        /* Tables of ours already there under other columns: not ours. */
        if ((rc = exec_sql(h, migrations[v], err))) {
            if (rc == SH_ERR_DATABASE)
                rc = foreign(h, err);
            goto fail;
        }
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
        if ((rc = exec_sql(h, pragma, err)))
            goto fail;
    }
    if (migrated && (rc = check_schema(h, err)))
        goto fail;
    if ((rc = exec_sql(h, "COMMIT", err)))
        goto fail;
    return SH_OK;
fail:
    sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static sh_history *history_new(const char *path, sh_error *err)
{
    sh_history *h = calloc(1, sizeof *h);
    if (!h) {
        sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (path) {
        h->path = strdup(path);
    } else {
        char *dir = sh_history_data_dir();
        if (!dir) {
            free(h);
            sh_error_set(err, SH_ERR_IO, "cannot find the history folder: set HOME or XDG_DATA_HOME");
            return NULL;
        }
        h->path = sh_asprintf("%s/history.db", dir);
        free(dir);
    }
    if (!h->path) {
        free(h);
        sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return h;
}

static int open_db(sh_history *h, int flags, sh_error *err)
{
    if (sqlite3_open_v2(h->path, &h->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        return h->db ? db_fail(h, err, "cannot open the history database")
                     : sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    sqlite3_busy_timeout(h->db, 5000);
    sqlite3_extended_result_codes(h->db, 1);
    return SH_OK;
}

int sh_history_open(const char *path, sh_history **out, sh_error *err)
{
    *out = NULL;
    sh_history *h = history_new(path, err);
    if (!h)
        return err ? err->code : SH_ERR_NOMEM;
    int rc;
    char *dir = sh_path_dirname(h->path);
    rc = dir ? sh_mkdir_p(dir, err) : sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    free(dir);
    if (rc)
        goto fail;
    if ((rc = not_a_folder(h, err)) || (rc = open_db(h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err)))
        goto fail;
    /* Look before writing anything (even the WAL switch rewrites the
     * header): a file that is not ours is moved aside byte for byte. */
    int v = sh_history_schema_version(h);
    if (v < 0) {
        rc = db_fail(h, err, "cannot read the history");
        goto fail;
    }
    if (v > SH_HISTORY_SCHEMA_VERSION) {
        rc = newer_version(h, v, err);
        goto fail;
    }
    if (v > 0 && (rc = check_schema(h, err)))
        goto fail;
    /* WAL: readers (`shadowing history`) never block the practising
     * writer; synchronous=FULL makes each committed attempt survive a power
     * cut too (one fsync per attempt is nothing). */
    if ((rc = exec_sql(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", err)))
        goto fail;
    if ((rc = migrate(h, err)))
        goto fail;
    *out = h;
    return SH_OK;
fail:
    sh_history_close(h);
    return rc;
}

int sh_history_open_readonly(const char *path, sh_history **out, sh_error *err)
{
    *out = NULL;
    sh_history *h = history_new(path, err);
    if (!h)
        return err ? err->code : SH_ERR_NOMEM;
    h->read_only = true;
    int rc, v;
    struct stat st;
    if (stat(h->path, &st) != 0) {
        int e = errno;
        rc = e == ENOENT ? SH_ERR_NOT_FOUND
                         : sh_error_set(err, SH_ERR_IO, "cannot read the history %s: %s", h->path, strerror(e));
        goto fail;
    }
    if ((rc = not_a_folder(h, err)) || (rc = open_db(h, SQLITE_OPEN_READONLY, err)))
        goto fail;
    if ((v = sh_history_schema_version(h)) < 0) {
        rc = db_fail(h, err, "cannot read the history");
        goto fail;
    }
    if (v > SH_HISTORY_SCHEMA_VERSION) {
        rc = newer_version(h, v, err);
        goto fail;
    }
    if (v == 0) { /* created, never written by practice: no attempts yet */
        rc = SH_ERR_NOT_FOUND;
        goto fail;
    }
    if ((rc = check_schema(h, err)))
        goto fail;
    *out = h;
    return SH_OK;
fail:
    sh_history_close(h);
    return rc;
}

int sh_history_move_aside(const char *path, char **moved_to, sh_error *err)
{
    *moved_to = NULL;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    /* A second damage within the same second gets a counter, never an
     * overwrite of the first one moved aside. */
    char *to = NULL;
    for (int i = 0; i < 100; i++) {
        free(to);
        to = i ? sh_asprintf("%s.damaged-%s-%d", path, stamp, i) : sh_asprintf("%s.damaged-%s", path, stamp);
        if (!to)
            return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        if (access(to, F_OK) != 0)
            break;
    }
    if (rename(path, to) != 0) {
        int e = errno;
        sh_error_set(err, SH_ERR_IO, "%s: cannot move it aside to %s: %s", path, to, strerror(e));
        free(to);
        return SH_ERR_IO;
    }
    /* Its write-ahead log holds its latest attempts: keep it beside it,
     * under the name SQLite looks for. The shared-memory index is rebuilt
     * from the log, so it is dropped. */
    static const char *const sfx[] = {"-wal", "-journal"};
    for (size_t i = 0; i < 2; i++) {
        char *a = sh_asprintf("%s%s", path, sfx[i]), *b = sh_asprintf("%s%s", to, sfx[i]);
        if (a && b && access(a, F_OK) == 0)
            rename(a, b);
        free(a);
        free(b);
    }
    char *shm = sh_asprintf("%s-shm", path);
    if (shm)
        unlink(shm);
    free(shm);
    *moved_to = to;
    return SH_OK;
}

void sh_history_close(sh_history *h)
{
    if (!h)
        return;
    sqlite3_close(h->db);
    free(h->path);
    free(h);
}

const char *sh_history_path(const sh_history *h)
{
    return h->path;
}

sh_attempt sh_attempt_init(void)
{
    sh_attempt a;
    memset(&a, 0, sizeof a);
    a.speed = 1.0;
    a.total = NAN;
    a.duration = a.energy = a.completeness = a.pauses = a.level = NAN;
    a.mode = "repeat";
    return a;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_real_or_null(sqlite3_stmt *st, int i, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* Insert or refresh the lesson row (inside the caller's transaction);
 * *id receives its rowid. */
static int upsert_lesson(sh_history *h, const char *hash, const char *path, const char *title,
                         const char *cue_id, int64_t *id, sh_error *err)
{
    static const char sql[] =
        "INSERT INTO lessons(hash, path, title, last_cue, last_seen) VALUES(?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(hash) DO UPDATE SET path=coalesce(?2, path), title=coalesce(?3, title), "
        "last_cue=coalesce(?4, last_cue), last_seen=?5 RETURNING id";
    sqlite3_stmt *st = NULL;
    int rc = SH_OK;
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(h, err, "cannot prepare a statement");
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 2, path);
    bind_text_or_null(st, 3, title);
    bind_text_or_null(st, 4, cue_id);
    sqlite3_bind_int64(st, 5, now_ms());
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = db_fail(h, err, "cannot record the lesson");
    else
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

int sh_history_add_attempt(sh_history *h, const char *lesson_hash, const char *lesson_path,
                           const char *title, const sh_attempt *a, int64_t *id_out, sh_error *err)
{
    if (!h || !lesson_hash || !a || !a->cue_id || !a->mode || !isfinite(a->total))
        return sh_error_set(err, SH_ERR_INVALID, "history: incomplete attempt");
    static const char sql[] =
        "INSERT INTO attempts(lesson_id, cue_id, cue_index, time_ms, mode, speed, total, duration, "
        "energy, completeness, pauses, level, verdict, take) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
    sqlite3_stmt *st = NULL;
    int64_t lesson_id = 0;
    if (exec_sql(h, "BEGIN IMMEDIATE", err))
        return SH_ERR_DATABASE;
    int rc = upsert_lesson(h, lesson_hash, lesson_path, title, a->cue_id, &lesson_id, err);
    if (rc)
        goto fail;
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(h, err, "cannot prepare a statement");
        goto fail;
    }
    sqlite3_bind_int64(st, 1, lesson_id);
    sqlite3_bind_text(st, 2, a->cue_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, a->cue_index);
    sqlite3_bind_int64(st, 4, a->time_ms ? a->time_ms : now_ms());
    sqlite3_bind_text(st, 5, a->mode, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 6, a->speed);
    sqlite3_bind_double(st, 7, a->total);
    bind_real_or_null(st, 8, a->duration);
    bind_real_or_null(st, 9, a->energy);
    bind_real_or_null(st, 10, a->completeness);
    bind_real_or_null(st, 11, a->pauses);
    bind_real_or_null(st, 12, a->level);
    bind_text_or_null(st, 13, a->verdict);
    bind_text_or_null(st, 14, a->take);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = db_fail(h, err, "cannot store the attempt");
        goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (id_out)
        *id_out = sqlite3_last_insert_rowid(h->db);
    if ((rc = exec_sql(h, "COMMIT", err)))
        goto fail;
    return SH_OK;
fail:
    sqlite3_finalize(st);
    sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    return rc ? rc : SH_ERR_DATABASE;
}

int sh_history_set_position(sh_history *h, const char *lesson_hash, const char *lesson_path,
                            const char *title, const char *cue_id, sh_error *err)
{
    int64_t id;
    /* A single statement is its own transaction. */
    return upsert_lesson(h, lesson_hash, lesson_path, title, cue_id, &id, err);
}

int sh_history_get_position(sh_history *h, const char *lesson_hash, char *buf, size_t size,
                            sh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = SH_ERR_NOT_FOUND;
    if (sqlite3_prepare_v2(h->db, "SELECT last_cue FROM lessons WHERE hash=?1", -1, &st, NULL) != SQLITE_OK)
        return db_fail(h, err, "cannot prepare a statement");
    sqlite3_bind_text(st, 1, lesson_hash, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = SH_OK;
    } else if (s != SQLITE_ROW && s != SQLITE_DONE) {
        rc = db_fail(h, err, "cannot read the resume position");
    }
    sqlite3_finalize(st);
    return rc;
}

int sh_history_previous_version(sh_history *h, const char *lesson_hash, const char *lesson_path, char *cue_buf,
                                size_t size, int *attempts, sh_error *err)
{
    static const char sql[] =
        "SELECT last_cue, (SELECT count(*) FROM attempts a WHERE a.lesson_id = l.id) FROM lessons l "
        "WHERE path = ?1 AND hash <> ?2 ORDER BY last_seen DESC LIMIT 1";
    sqlite3_stmt *st = NULL;
    int rc = SH_ERR_NOT_FOUND;
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(h, err, "cannot prepare a statement");
    sqlite3_bind_text(st, 1, lesson_path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, lesson_hash, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        const char *cue = (const char *)sqlite3_column_text(st, 0);
        snprintf(cue_buf, size, "%s", cue ? cue : "");
        *attempts = sqlite3_column_int(st, 1);
        rc = SH_OK;
    } else if (s != SQLITE_DONE) {
        rc = db_fail(h, err, "cannot read the lessons");
    }
    sqlite3_finalize(st);
    return rc;
}

static double column_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static const char *column_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

int sh_history_foreach_attempt(sh_history *h, const char *lesson_hash, sh_attempt_fn fn, void *user,
                               sh_error *err)
{
    static const char sql[] =
        "SELECT a.id, cue_id, cue_index, time_ms, mode, speed, total, duration, energy, completeness, "
        "pauses, level, verdict, take FROM attempts a JOIN lessons l ON l.id = a.lesson_id "
        "WHERE l.hash = ?1 ORDER BY time_ms, a.id";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(h, err, "cannot prepare a statement");
    sqlite3_bind_text(st, 1, lesson_hash, -1, SQLITE_TRANSIENT);
    int s, rc = SH_OK;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        sh_attempt a = sh_attempt_init();
        a.id = sqlite3_column_int64(st, 0);
        a.cue_id = column_text(st, 1);
        a.cue_index = sqlite3_column_int(st, 2);
        a.time_ms = sqlite3_column_int64(st, 3);
        a.mode = column_text(st, 4);
        a.speed = sqlite3_column_double(st, 5);
        a.total = sqlite3_column_double(st, 6);
        a.duration = column_real(st, 7);
        a.energy = column_real(st, 8);
        a.completeness = column_real(st, 9);
        a.pauses = column_real(st, 10);
        a.level = column_real(st, 11);
        a.verdict = column_text(st, 12);
        a.take = column_text(st, 13);
        /* Only a hand-edited database breaks these (the schema says NOT
         * NULL): skip such a row rather than hand callers a NULL. */
        if (!a.cue_id || !a.mode || !isfinite(a.total) || !isfinite(a.speed))
            continue;
        if (fn(user, &a))
            break;
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = db_fail(h, err, "cannot read the attempts");
    sqlite3_finalize(st);
    return rc;
}

int sh_history_foreach_cue(sh_history *h, const char *lesson_hash, sh_cue_summary_fn fn, void *user,
                           sh_error *err)
{
    /* The first and latest totals come from correlated subqueries that walk
     * the (lesson_id, cue_id, time_ms) index from either end. */
    static const char sql[] =
        "SELECT cue_id, min(cue_index), count(*), max(total), "
        "  (SELECT total FROM attempts b WHERE b.lesson_id = a.lesson_id AND b.cue_id = a.cue_id "
        "     ORDER BY time_ms DESC, id DESC LIMIT 1), "
        "  (SELECT total FROM attempts b WHERE b.lesson_id = a.lesson_id AND b.cue_id = a.cue_id "
        "     ORDER BY time_ms, id LIMIT 1), "
        "  max(time_ms) "
        "FROM attempts a JOIN lessons l ON l.id = a.lesson_id WHERE l.hash = ?1 "
        "GROUP BY a.lesson_id, cue_id ORDER BY min(cue_index), cue_id";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(h, err, "cannot prepare a statement");
    sqlite3_bind_text(st, 1, lesson_hash, -1, SQLITE_TRANSIENT);
    int s, rc = SH_OK;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        sh_cue_summary c = {
            .cue_id = column_text(st, 0),
            .cue_index = sqlite3_column_int(st, 1),
            .attempts = sqlite3_column_int(st, 2),
            .best = sqlite3_column_double(st, 3),
            .latest = sqlite3_column_double(st, 4),
            .first = sqlite3_column_double(st, 5),
            .latest_ms = sqlite3_column_int64(st, 6),
        };
        if (!c.cue_id) /* see sh_history_foreach_attempt */
            continue;
        if (fn(user, &c))
            break;
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = db_fail(h, err, "cannot read the attempts");
    sqlite3_finalize(st);
    return rc;
}
