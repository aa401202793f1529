/* The practice screen's worker thread: decodes and time-stretches
 * paragraphs and scores takes, so the key loop never waits on GStreamer or
 * the scorer. Jobs go in through a mutex-protected queue; results come back
 * in a list, and one byte on a pipe wakes the key loop's poll(). */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "shadowing/audio.h"
#include "shadowing/decode.h"
#include "ui_worker.h"

struct sh_worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    sh_job *jobs, *jobs_tail;
    sh_job *results, *results_tail;
    bool stop;
    int wake_fd;
    int rate;
    const sh_lesson *lesson;
    sh_decoder *dec;
    int open_rc;         /* opening the decoder (in the thread) failed */
    sh_error open_err;
    /* cache: the paragraph at speed 1 and at the last speed asked */
    size_t base_cue;
    float *base;
    size_t nbase;
    int fast_speed;
    size_t fast_cue;
    float *fast;
    size_t nfast;
};

static void cache_clear(sh_worker *w)
{
    free(w->base);
    free(w->fast);
    w->base = w->fast = NULL;
    w->nbase = w->nfast = 0;
}

/* The paragraph [begin - lead, end + tail] at `speed_pct`, from the cache
 * or decoded now. The returned buffer belongs to the cache. */
static int reference(sh_worker *w, size_t cue, int speed_pct, const float **x, size_t *n, sh_error *err)
{
    const sh_cue *q = sh_lesson_cue(w->lesson, cue);
    if (!q)
        return sh_error_set(err, SH_ERR_INVALID, "no paragraph %zu", cue + 1);
    if (!w->base || w->base_cue != cue) {
        cache_clear(w);
        const sh_playback_defaults *pd = sh_lesson_defaults(w->lesson);
        int rc = sh_decoder_read_segment(w->dec, q->begin - pd->lead_s, q->end + pd->tail_s, &w->base,
                                         &w->nbase, err);
        if (rc)
            return rc;
        if (w->nbase == 0) {
            free(w->base);
            w->base = NULL;
            return sh_error_set(err, SH_ERR_DECODE, "%s: paragraph %s has no audio (past the end of the file?)",
                                sh_lesson_audio_path(w->lesson), q->id);
        }
        w->base_cue = cue;
    }
    if (speed_pct == 100) {
        *x = w->base;
        *n = w->nbase;
        return SH_OK;
    }
    if (!w->fast || w->fast_cue != cue || w->fast_speed != speed_pct) {
        free(w->fast);
        w->fast = NULL;
        int rc = sh_audio_time_stretch(w->base, w->nbase, w->rate, speed_pct / 100.0, &w->fast, &w->nfast, err);
        if (rc)
            return rc;
        w->fast_cue = cue;
        w->fast_speed = speed_pct;
    }
    *x = w->fast;
    *n = w->nfast;
    return SH_OK;
}

/* Hand a finished job (or a HEAD) to the key loop and wake it. Called
 * with the lock NOT held. */
static void post(sh_worker *w, sh_job *j)
{
    pthread_mutex_lock(&w->lock);
    j->next = NULL;
    if (w->results_tail)
        w->results_tail->next = j;
    else
        w->results = j;
    w->results_tail = j;
    /* A full pipe already holds a wake-up: ignoring EAGAIN is right. */
    ssize_t r = write(w->wake_fd, "j", 1);
    (void)r;
    pthread_mutex_unlock(&w->lock);
}

/* The first seconds of a paragraph that is not cached yet, decoded and
 * posted on their own so playback starts before the rest is decoded
 * (sh_audio_play_begin/append). The rest must arrive before the head has
 * played: a few seconds leave room for a slow seek. Returns true when the
 * head was posted; the cache then holds the whole paragraph. */
#define HEAD_S 2.5
static bool progressive_head(sh_worker *w, sh_job *j)
{
    const sh_cue *q = sh_lesson_cue(w->lesson, j->cue);
    const sh_playback_defaults *pd = sh_lesson_defaults(w->lesson);
    if (!q || !j->progressive || j->speed_pct != 100 || (w->base && w->base_cue == j->cue))
        return false;
    double b = q->begin - pd->lead_s, e = q->end + pd->tail_s, h = b + HEAD_S;
    if (h >= e - 0.5)
        return false; /* short: one read is as quick */
    float *head = NULL, *rest = NULL;
    size_t nhead = 0, nrest = 0;
    if (sh_decoder_read_segment(w->dec, b, h, &head, &nhead, NULL) || nhead == 0) {
        free(head);
        return false; /* the whole read below reports the error */
    }
    sh_job *hj = calloc(1, sizeof *hj);
    float *copy = malloc(nhead * sizeof *copy);
    if (!hj || !copy) {
        free(hj);
        free(copy);
        free(head);
        return false;
    }
    memcpy(copy, head, nhead * sizeof *copy);
    *hj = (sh_job){.type = SH_JOB_HEAD, .cue = j->cue, .speed_pct = 100, .id = j->id, .samples = copy,
                   .n = nhead, .n_total = (size_t)(llround(e * w->rate) - llround(b * w->rate))};
    post(w, hj);

    /* The rest starts at the sample where the head ended (the decoder
     * rounds both edges the same way), so head + rest is the paragraph. */
    cache_clear(w);
    j->rest = true;
    j->rc = sh_decoder_read_segment(w->dec, h, e, &rest, &nrest, &j->err);
    if (j->rc) {
        free(head);
        return true;
    }
    float *all = realloc(head, (nhead + nrest) * sizeof *all);
    if (!all) {
        free(head);
        free(rest);
        j->rc = sh_error_set(&j->err, SH_ERR_NOMEM, "out of memory");
        return true;
    }
    memcpy(all + nhead, rest, nrest * sizeof *all);
    w->base = all;
    w->nbase = nhead + nrest;
    w->base_cue = j->cue;
    j->samples = rest;
    j->n = nrest;
    return true;
}

static void run_job(sh_worker *w, sh_job *j)
{
    const float *ref = NULL;
    size_t nref = 0;
    double t0 = sh_clock_now();
    if (w->open_rc) { /* every job reports why the audio cannot be read */
        j->rc = w->open_rc;
        j->err = w->open_err;
        return;
    }
    if (j->type == SH_JOB_RENDER && progressive_head(w, j)) {
        fprintf(stderr, "shadowing: paragraph %zu: %.1f s of audio ready in %.1f ms (first %.1f s sent ahead)\n",
                j->cue + 1, (double)w->nbase / w->rate, (sh_clock_now() - t0) * 1e3, HEAD_S);
        return;
    }
    j->rc = reference(w, j->cue, j->speed_pct, &ref, &nref, &j->err);
    /* stderr is the practice log while the screen is up */
    if (j->type == SH_JOB_RENDER)
        fprintf(stderr, "shadowing: paragraph %zu at %d%%: %.1f s of audio ready in %.1f ms\n", j->cue + 1,
                j->speed_pct, (double)nref / w->rate, (sh_clock_now() - t0) * 1e3);
    if (j->rc)
        return;
    if (j->type == SH_JOB_RENDER) {
        j->samples = malloc(nref * sizeof *ref);
        if (!j->samples) {
            j->rc = sh_error_set(&j->err, SH_ERR_NOMEM, "out of memory");
            return;
        }
        memcpy(j->samples, ref, nref * sizeof *ref);
        j->n = nref;
    } else {
        /* Scored against the paragraph as the learner heard it (at the
         * speed chosen); the attempt stores that speed. */
        const sh_cue *q = sh_lesson_cue(w->lesson, j->cue);
        j->rc = sh_practice_score_compute(ref, nref, j->samples, j->n, w->rate, q->id, j->take_path, &j->score,
                                          &j->err);
    }
}

static void *worker_main(void *arg)
{
    sh_worker *w = arg;
    sh_decoder_config dc = sh_decoder_config_init(w->rate);
    w->open_rc = sh_gst_init(&w->open_err);
    if (!w->open_rc)
        w->open_rc = sh_decoder_open(sh_lesson_audio_path(w->lesson), &dc, &w->dec, &w->open_err);
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->stop && !w->jobs)
            pthread_cond_wait(&w->cond, &w->lock);
        if (w->stop)
            break;
        sh_job *j = w->jobs;
        w->jobs = j->next;
        if (!w->jobs)
            w->jobs_tail = NULL;
        j->next = NULL;
        pthread_mutex_unlock(&w->lock);
        run_job(w, j);
        post(w, j);
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

int sh_worker_start(const sh_lesson *lesson, int rate, int wake_fd, sh_worker **out, sh_error *err)
{
    *out = NULL;
    sh_worker *w = calloc(1, sizeof *w);
    if (!w)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    w->lesson = lesson;
    w->rate = rate;
    w->wake_fd = wake_fd;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    /* GStreamer's start-up and the decoder's preroll (tens of ms) happen
     * in the thread, while the screen draws the first paragraph. */
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->cond);
        free(w);
        return sh_error_set(err, SH_ERR_NOMEM, "cannot start a thread");
    }
    *out = w;
    return SH_OK;
}

void sh_job_free(sh_job *j)
{
    if (!j)
        return;
    free(j->samples);
    free(j->take_path);
    sh_practice_score_free(&j->score);
    free(j);
}

static void free_list(sh_job *j)
{
    while (j) {
        sh_job *next = j->next;
        sh_job_free(j);
        j = next;
    }
}

void sh_worker_stop(sh_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    free_list(w->jobs);
    free_list(w->results);
    cache_clear(w);
    sh_decoder_close(w->dec);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->cond);
    free(w);
}

void sh_worker_submit(sh_worker *w, sh_job *j)
{
    j->next = NULL;
    pthread_mutex_lock(&w->lock);
    if (j->type == SH_JOB_RENDER) {
        /* a newer render makes queued ones pointless */
        sh_job **p = &w->jobs;
        w->jobs_tail = NULL;
        while (*p) {
            if ((*p)->type == SH_JOB_RENDER) {
                sh_job *dead = *p;
                *p = dead->next;
                sh_job_free(dead);
            } else {
                w->jobs_tail = *p;
                p = &(*p)->next;
            }
        }
    }
    if (w->jobs_tail)
        w->jobs_tail->next = j;
    else
        w->jobs = j;
    w->jobs_tail = j;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

sh_job *sh_worker_take_results(sh_worker *w)
{
    pthread_mutex_lock(&w->lock);
    sh_job *r = w->results;
    w->results = w->results_tail = NULL;
    pthread_mutex_unlock(&w->lock);
    return r;
}
