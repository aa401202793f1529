/* The lesson in practice: loading, identity, history, takes. */
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/util.h"
#include "practice.h"

static int on_cue_best(void *user, const sh_cue_summary *s)
{
    sh_practice_ctx *c = user;
    for (size_t i = 0; i < c->ncues; i++)
        if (strcmp(sh_lesson_cue(c->lesson, i)->id, s->cue_id) == 0)
            c->best[i] = s->best;
    return 0;
}

/* The note about the history to tell once: printf into c->note. */
static void note(sh_practice_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(sh_practice_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->note, sizeof c->note, fmt, ap);
    va_end(ap);
}

/* A history message without its "what to do" tail, to be followed by what
 * was done about it. */
static const char *why(sh_error *err)
{
    char *hint = strstr(err->message, ": move it aside");
    if (hint)
        *hint = 0;
    return err->message;
}

/* Practice never stops for the history: without one, say so once and go
 * on (the scores are still computed and shown). */
static void history_off(sh_practice_ctx *c, sh_error *err)
{
    sh_history_close(c->history);
    c->history = NULL;
    c->history_off = true;
    note(c, "%s; going on without history (scores are shown, not stored)", err->message);
}

/* The history is damaged (or from a newer shadowing): move it aside, start
 * a new one, and say both in one line. */
static void recover(sh_practice_ctx *c, sh_error *err)
{
    char *moved = NULL;
    sh_error e2 = {0};
    sh_history_close(c->history);
    c->history = NULL;
    if (sh_history_move_aside(c->history_file, &moved, &e2)) {
        note(c, "%s; %s: going on without history (scores are shown, not stored)", why(err), e2.message);
        c->history_off = true;
        return;
    }
    if (sh_history_open(c->history_file, &c->history, &e2)) {
        history_off(c, &e2);
    } else {
        c->history_off = false;
        note(c, "%s; moved it to %s and started a new one", why(err), moved);
    }
    free(moved);
}

static int open_history(sh_practice_ctx *c, const char *history_path, sh_ctx_history how, sh_error *err)
{
    if (history_path) {
        c->history_file = strdup(history_path);
    } else {
        char *dir = sh_history_data_dir();
        c->history_file = dir ? sh_asprintf("%s/history.db", dir) : NULL;
        free(dir);
        if (!c->history_file && how == SH_CTX_HISTORY_READ)
            return sh_error_set(err, SH_ERR_IO, "cannot find the history folder: set HOME or XDG_DATA_HOME");
        if (!c->history_file) {
            sh_error e = {0};
            sh_error_set(&e, SH_ERR_IO, "cannot find the history folder: set HOME or XDG_DATA_HOME");
            history_off(c, &e);
            return SH_OK;
        }
    }
    if (!c->history_file)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    sh_error e = {0};
    if (how == SH_CTX_HISTORY_READ) {
        /* `history` only reads: a missing database is "no attempts yet",
         * any other failure is the command's error. */
        int rc = sh_history_open_readonly(c->history_file, &c->history, err);
        return rc == SH_ERR_NOT_FOUND ? SH_OK : rc;
    }
    int rc = sh_history_open(c->history_file, &c->history, &e);
    if (rc == SH_ERR_FORMAT || rc == SH_ERR_UNSUPPORTED)
        recover(c, &e);
    else if (rc)
        history_off(c, &e);
    if (c->history && (rc = sh_history_foreach_cue(c->history, c->hash, on_cue_best, c, &e))) {
        if (rc == SH_ERR_FORMAT)
            recover(c, &e); /* damage deeper in the file than opening reads */
        else
            history_off(c, &e);
    }
    return SH_OK;
}

int sh_practice_ctx_open(sh_practice_ctx *c, const char *lesson_path, const char *history_path,
                         sh_ctx_history how, sh_error *err)
{
    memset(c, 0, sizeof *c);
    sh_diag *diag = sh_diag_new();
    int rc = sh_lesson_load(lesson_path, 0, &c->lesson, diag);
    if (rc) {
        sh_diag_print(diag, stderr, SH_DIAG_WARNING);
        sh_diag_free(diag);
        return sh_error_set(err, rc, "%s: cannot load the lesson (see above; 'shadowing check %s' "
                                     "lists every problem)", lesson_path, lesson_path);
    }
    sh_diag_free(diag);
    char abs[PATH_MAX];
    c->lesson_path = strdup(realpath(lesson_path, abs) ? abs : lesson_path);
    c->ncues = sh_lesson_cue_count(c->lesson);
    c->best = malloc((c->ncues ? c->ncues : 1) * sizeof *c->best);
    if (!c->lesson_path || !c->best) {
        rc = sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < c->ncues; i++)
        c->best[i] = NAN;
    if ((rc = sh_lesson_identity(lesson_path, sh_lesson_audio_path(c->lesson), c->hash, err)))
        goto fail;
    if (how != SH_CTX_HISTORY_NONE && (rc = open_history(c, history_path, how, err)))
        goto fail;
    return SH_OK;
fail:
    sh_practice_ctx_close(c);
    return rc;
}

void sh_practice_ctx_close(sh_practice_ctx *c)
{
    sh_history_close(c->history);
    free(c->history_file);
    sh_lesson_free(c->lesson);
    free(c->lesson_path);
    free(c->best);
    memset(c, 0, sizeof *c);
}

size_t sh_practice_ctx_resume(sh_practice_ctx *c)
{
    char id[256];
    int n;
    if (!c->history)
        return 0;
    /* an edited lesson file keeps the place of its previous version */
    if (sh_history_get_position(c->history, c->hash, id, sizeof id, NULL) &&
        sh_history_previous_version(c->history, c->hash, c->lesson_path, id, sizeof id, &n, NULL))
        return 0;
    const sh_cue *cue = sh_lesson_find_cue(c->lesson, id);
    return cue ? (size_t)(cue->index - 1) : 0;
}

int sh_practice_ctx_store(sh_practice_ctx *c, size_t cue, sh_practice_mode mode, const char *mode_name,
                          int speed_pct, const sh_practice_score *s, const char *take_path, sh_error *err)
{
    const sh_cue *q = sh_lesson_cue(c->lesson, cue);
    if (!q)
        return sh_error_set(err, SH_ERR_INVALID, "no paragraph %zu", cue + 1);
    if (isnan(c->best[cue]) || s->total > c->best[cue])
        c->best[cue] = s->total;
    if (!c->history)
        return c->history_off ? sh_error_set(err, SH_ERR_IO, "%s: the history is off: the attempt was not stored",
                                             c->history_file ? c->history_file : "history")
                              : SH_OK;
    sh_attempt a = sh_attempt_init();
    a.cue_id = q->id;
    a.cue_index = q->index;
    a.mode = mode_name ? mode_name : sh_practice_mode_name(mode);
    a.speed = speed_pct / 100.0;
    a.total = s->total;
    a.duration = s->sub[0];
    a.energy = s->sub[1];
    a.completeness = s->sub[2];
    a.pauses = s->sub[3];
    a.level = s->sub[4];
    a.verdict = s->verdict;
    a.take = take_path;
    int rc = sh_history_add_attempt(c->history, c->hash, c->lesson_path, sh_lesson_title(c->lesson), &a, NULL,
                                    err);
    if (rc == SH_ERR_FORMAT) { /* damaged while practising: a new one takes this attempt */
        recover(c, err);
        rc = c->history ? sh_history_add_attempt(c->history, c->hash, c->lesson_path, sh_lesson_title(c->lesson),
                                                 &a, NULL, err)
                        : sh_error_set(err, SH_ERR_IO, "%s", c->note);
    }
    return rc;
}

int sh_practice_ctx_save_position(sh_practice_ctx *c, size_t cue, sh_error *err)
{
    const sh_cue *q = sh_lesson_cue(c->lesson, cue);
    if (!c->history || !q)
        return SH_OK;
    int rc = sh_history_set_position(c->history, c->hash, c->lesson_path, sh_lesson_title(c->lesson), q->id, err);
    if (rc == SH_ERR_FORMAT) {
        recover(c, err);
        rc = c->history ? sh_history_set_position(c->history, c->hash, c->lesson_path, sh_lesson_title(c->lesson),
                                                  q->id, err)
                        : SH_OK; /* the note says the history is off */
    }
    return rc;
}

char *sh_practice_take_path(sh_practice_ctx *c, size_t cue, sh_error *err)
{
    const sh_cue *q = sh_lesson_cue(c->lesson, cue);
    char *dir = sh_history_takes_dir(c->hash);
    if (!dir || !q) {
        free(dir);
        sh_error_set(err, SH_ERR_IO, "cannot find the takes folder: set HOME or XDG_DATA_HOME");
        return NULL;
    }
    if (sh_mkdir_p(dir, err)) {
        free(dir);
        return NULL;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    /* Cue ids are the teacher's text: keep only safe characters in the name. */
    char id[64];
    size_t j = 0;
    for (const char *p = q->id; *p && j < sizeof id - 1; p++)
        id[j++] = (char)((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                                 *p == '-' || *p == '_'
                             ? *p
                             : '_');
    id[j] = 0;
    char *path = sh_asprintf("%s/%s-%s-%03ld.wav", dir, id, stamp, ts.tv_nsec / 1000000);
    free(dir);
    if (!path)
        sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    return path;
}

static const char *const take_exts[] = {"wav", "flac", "ogg", "oga", "opus", "mp3", "m4a", "webm", NULL};

static bool known_ext(const char *ext)
{
    for (size_t i = 0; take_exts[i]; i++)
        if (strcasecmp(ext, take_exts[i]) == 0)
            return true;
    return false;
}

char *sh_practice_find_take(const char *dir, const sh_cue *q)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char *by_index = NULL, *by_id = NULL;
    struct dirent *e;
    while (!by_id && (e = readdir(d))) {
        const char *dot = strrchr(e->d_name, '.');
        if (!dot || dot == e->d_name || !known_ext(dot + 1))
            continue;
        size_t base = (size_t)(dot - e->d_name);
        char stem[256];
        if (base >= sizeof stem)
            continue;
        memcpy(stem, e->d_name, base);
        stem[base] = 0;
        long idx;
        if (strcmp(stem, q->id) == 0)
            by_id = sh_asprintf("%s/%s", dir, e->d_name);
        else if (!by_index && sh_parse_int(stem, 1, INT_MAX, &idx) && idx == q->index)
            by_index = sh_asprintf("%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (by_id) {
        free(by_index);
        return by_id;
    }
    return by_index;
}
