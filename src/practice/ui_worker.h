/* Internal: the practice screen's worker thread (ui_worker.c). */
#ifndef SH_PRACTICE_UI_WORKER_H
#define SH_PRACTICE_UI_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "practice.h"

typedef enum sh_job_type {
    SH_JOB_RENDER = 0, /* decode the paragraph (with lead/tail) at speed_pct */
    SH_JOB_SCORE,      /* score samples (the take) against the paragraph at speed_pct */
    SH_JOB_HEAD,       /* (result only) the first seconds of a progressive render */
} sh_job_type;

/* One job, and its result when it comes back. The submitter fills the
 * first group; the worker fills the second. */
typedef struct sh_job {
    sh_job_type type;
    size_t cue;
    int speed_pct;
    unsigned id;         /* play id (render) or take seq (score) */
    float *samples;      /* SCORE: the take (owned by the job); RENDER result: the audio */
    size_t n;
    char *take_path;     /* SCORE: owned, may be NULL */
    bool progressive;    /* RENDER: may send a HEAD result first; the RENDER
                            result then holds only the rest (`rest` true) */
    bool rest;
    size_t n_total;      /* HEAD: samples of the whole paragraph */
    /* result */
    int rc;
    sh_error err;
    sh_practice_score score;
    struct sh_job *next;
} sh_job;

typedef struct sh_worker sh_worker;

/* Start the thread, which opens the lesson's audio at `rate` Hz (a failure
 * comes back as the error of every job); each finished job writes one byte
 * to wake_fd (non-blocking pipe). */
int sh_worker_start(const sh_lesson *lesson, int rate, int wake_fd, sh_worker **out, sh_error *err);
/* Stop the thread (after its current job) and free everything. */
void sh_worker_stop(sh_worker *w);
/* Queue a job (ownership passes to the worker). A render drops renders
 * still waiting. */
void sh_worker_submit(sh_worker *w, sh_job *j);
/* Finished jobs in order (a list through ->next; the caller frees each
 * with sh_job_free), or NULL. */
sh_job *sh_worker_take_results(sh_worker *w);
void sh_job_free(sh_job *j);

#endif
