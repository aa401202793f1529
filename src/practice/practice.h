/* Internal to src/practice: what the practice command's pieces share (the
 * open lesson with its identity and history, scoring, the batch runner and
 * the screen). Not a public API. */
#ifndef SH_PRACTICE_PRACTICE_H
#define SH_PRACTICE_PRACTICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "shadowing/error.h"
#include "shadowing/history.h"
#include "shadowing/lesson.h"
#include "shadowing/session.h"

/* ---- scoring (scoring.c) -------------------------------------------------
 * Everything the practice code needs from the scorer goes through this
 * plain struct (fixed arrays, one malloc'ed JSON string): the screen keeps
 * a ring of them and hands them between threads without knowing how
 * sh_score_result owns its envelopes and paths. */
#define SH_PS_SUBS 5
typedef struct sh_practice_score {
    int total;
    int sub[SH_PS_SUBS];           /* duration, energy, completeness, pauses, level */
    char verdict[32];
    int n_feedback;
    char feedback[4][200];
    double ref_span_s, take_span_s;
    char ref_spark[3 * 64 + 1];    /* envelope pictures, 64 cells of U+2581..U+2588 */
    char take_spark[3 * 64 + 1];
    char *json;                    /* sh_score_to_json (with "cue"/"file"), malloc'ed */
} sh_practice_score;

/* Score take against ref (same rate). Fills *out (free with
 * sh_practice_score_free). */
int sh_practice_score_compute(const float *ref, size_t nref, const float *take, size_t ntake, int rate,
                              const char *cue_id, const char *take_path, sh_practice_score *out,
                              sh_error *err);
void sh_practice_score_free(sh_practice_score *s);
/* Name of sub-score i ("duration", ...). */
const char *sh_practice_sub_name(int i);

/* ---- the lesson in practice (context.c) --------------------------------- */
typedef enum sh_ctx_history {
    SH_CTX_HISTORY_NONE = 0, /* --no-history */
    SH_CTX_HISTORY_WRITE,    /* practice: stores attempts */
    SH_CTX_HISTORY_READ,     /* `history`: reads only */
} sh_ctx_history;

typedef struct sh_practice_ctx {
    sh_lesson *lesson;
    char *lesson_path;            /* absolute */
    char hash[SH_LESSON_HASH_LEN];
    sh_history *history;          /* NULL with --no-history, or when off */
    char *history_file;           /* its path (the default resolved) */
    bool history_off;             /* wanted but unusable: attempts are not stored */
    char note[1200];              /* about the history, to tell once ("" none) */
    size_t ncues;
    double *best;                 /* best total per cue (NAN: none yet) */
} sh_practice_ctx;

/* Load the lesson (diagnostics printed on stderr), compute its identity,
 * open the history (history_path NULL: the default) and read the best
 * score per paragraph. Practice never stops for the history (WRITE): a
 * damaged one (or one from a newer shadowing) is moved aside and a new one
 * started; one that cannot be opened (unwritable, disk full) leaves the
 * history off. Either way c->note says so in one line for the caller to
 * show once. READ: a missing database is no history; its errors fail. */
int sh_practice_ctx_open(sh_practice_ctx *c, const char *lesson_path, const char *history_path,
                         sh_ctx_history how, sh_error *err);
void sh_practice_ctx_close(sh_practice_ctx *c);
/* The practice screen's check that the lesson's audio decodes and every cue
 * ends within it, as `check` reports it (a short read near the last cue's
 * end, not a full decode; audio_check.c). sh_practice_check_audio does it
 * at once: prints the problems on stderr and returns 1, or 0 when all is
 * well. */
int sh_practice_check_audio(const sh_lesson *l);
/* The same in a thread, so that the screen comes up meanwhile (it costs a
 * decoder of its own and a seek: ~50 ms on a 60-minute MP3). A byte is
 * written to wake_fd (if >= 0) when it is done. NULL when no thread could
 * be started. */
typedef struct sh_audio_check sh_audio_check;
sh_audio_check *sh_practice_check_audio_start(const sh_lesson *l, int wake_fd);
/* Whether it is done; then *problems is NULL when all is well, else the
 * lines to print (owned by c, valid until sh_practice_check_audio_free). */
bool sh_practice_check_audio_done(sh_audio_check *c, const char **problems);
/* Wait for it to finish and free it. */
void sh_practice_check_audio_free(sh_audio_check *c);
/* The 0-based paragraph to resume at (0 when none is remembered). */
size_t sh_practice_ctx_resume(sh_practice_ctx *c);
/* Store an attempt (and update best[]). SH_OK when stored (or with
 * --no-history); otherwise the attempt is not stored: the history is off
 * (SH_ERR_IO) or the write failed (SH_ERR_DISK_FULL...; earlier attempts
 * are intact). A history found damaged now is moved aside and the attempt
 * stored in a new one (c->note says so). */
int sh_practice_ctx_store(sh_practice_ctx *c, size_t cue, sh_practice_mode mode, const char *mode_name,
                          int speed_pct, const sh_practice_score *s, const char *take_path, sh_error *err);
/* Remember cue as the resume position (a damaged history: as above). */
int sh_practice_ctx_save_position(sh_practice_ctx *c, size_t cue, sh_error *err);
/* The take for cue q in dir, as the batch finds it: a file whose name
 * without extension is the cue id, or its 1-based index ("3", "03"), with
 * an audio extension; an id match wins. malloc'ed path or NULL. */
char *sh_practice_find_take(const char *dir, const sh_cue *q);
/* A fresh path for a take of cue under the lesson's takes folder (created):
 * <takes>/<cue id>-<YYYYmmdd-HHMMSS>-<ms>.wav, malloc'ed. */
char *sh_practice_take_path(sh_practice_ctx *c, size_t cue, sh_error *err);

/* ---- options shared by the batch and the screen (cmd_practice.c) -------- */
typedef struct sh_practice_opts {
    const char *lesson;
    const char *history_path;     /* --history-db */
    bool no_history;
    const char *takes_dir;        /* --takes DIR (batch) */
    const char *cue;              /* --cue ID */
    const char *from;             /* --from ID */
    sh_practice_mode mode;
    int speed_pct;
    int loops;
    bool gap_given;               /* --gap: else the lesson's defaults */
    double gap_s, gap_factor;
    double advance_at;
    bool no_translation;
    void *audio_cfg;              /* sh_audio_config * (opaque here) */
    bool audio_given;             /* --audio/--output/--input given */
    bool human;                   /* batch: a readable line per paragraph instead of JSON */
} sh_practice_opts;

/* Headless session (batch.c): one JSON line per paragraph on stdout.
 * Returns an exit status. */
int sh_practice_batch(const sh_practice_opts *o, FILE *out);

/* The full-screen session (ui_main.c). Returns an exit status; SH_ERR_DEVICE
 * in *device_failed when no sound device could be opened (nothing was
 * drawn then). */
int sh_practice_ui(const sh_practice_opts *o, bool *device_failed);

#endif
