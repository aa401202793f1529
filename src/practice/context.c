/* The lesson in practice: loading, identity, history, takes. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int sh_practice_ctx_open(sh_practice_ctx *c, const char *lesson_path, const char *history_path,
                         bool no_history, sh_error *err)
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
    if (!no_history) {
        if ((rc = sh_history_open(history_path, &c->history, err)))
            goto fail;
        if ((rc = sh_history_foreach_cue(c->history, c->hash, on_cue_best, c, err)))
            goto fail;
    }
    return SH_OK;
fail:
    sh_practice_ctx_close(c);
    return rc;
}

void sh_practice_ctx_close(sh_practice_ctx *c)
{
    sh_history_close(c->history);
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
        return SH_OK;
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
    return sh_history_add_attempt(c->history, c->hash, c->lesson_path, sh_lesson_title(c->lesson), &a,
                                  NULL, err);
}

int sh_practice_ctx_save_position(sh_practice_ctx *c, size_t cue, sh_error *err)
{
    const sh_cue *q = sh_lesson_cue(c->lesson, cue);
    if (!c->history || !q)
        return SH_OK;
    return sh_history_set_position(c->history, c->hash, c->lesson_path, sh_lesson_title(c->lesson), q->id,
                                   err);
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
