/* The practice screen: the key loop that ties the session state machine
 * (session.c) to the sound device (audio.h), the worker thread (decoding,
 * time-stretching, scoring) and the history.
 *
 * One thread owns the terminal, the session and every audio control call.
 * It sleeps in poll() on the keyboard and the worker's wake-up pipe, with a
 * short timeout while something plays or records (to move the progress bar
 * and the level meter and to notice the end of playback). Nothing it does
 * between two polls takes more than a few milliseconds: decoding and
 * scoring run in the worker, and audio control calls return at once. So
 * keys answer well within 50 ms while audio plays or records.
 *
 * The terminal is restored on every way out (ui_term.c); stderr goes to a
 * log file while the screen is up, so ALSA/JACK/GStreamer chatter never
 * lands on it. Drawing and the keys are in ui_keys.c; the state they share
 * is in ui_session.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/util.h"
#include "practice.h"
#include "shadowing/audio.h"
#include "shadowing/decode.h"
#include "ui.h"
#include "ui_session.h"
#include "ui_worker.h"

#if SH_HAVE_NCURSES
#include <curses.h>

/* ---- the running session ------------------------------------------------- */

void sh_ui_status(ui *u, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->status, sizeof u->status, fmt, ap);
    va_end(ap);
    u->status_error = error;
}

/* Something happened to the history (moved aside, off): once, in the
 * status line and the log. */
static void show_history_note(ui *u)
{
    if (!u->ctx.note[0])
        return;
    sh_ui_status(u, u->ctx.history_off, "%s", u->ctx.note);
    fprintf(stderr, "shadowing: %s\n", u->ctx.note);
    u->ctx.note[0] = 0;
}

scored *sh_ui_slot(ui *u, unsigned seq)
{
    return &u->ring[seq % SCORE_RING];
}

static void make_beep(ui *u)
{
    u->nbeep = (size_t)(u->rate * 0.15);
    u->beep = malloc(u->nbeep * sizeof *u->beep);
    if (!u->beep) {
        u->nbeep = 0;
        return;
    }
    for (size_t i = 0; i < u->nbeep; i++)
        u->beep[i] = (float)(0.3 * sin(2 * M_PI * 880.0 * (double)i / u->rate));
    sh_audio_apply_fades(u->beep, u->nbeep, (size_t)(u->rate * 0.01));
}

static void request_render(ui *u, unsigned play_id, int loops)
{
    sh_job *j = calloc(1, sizeof *j);
    if (!j) {
        sh_ui_status(u, true, "out of memory");
        return;
    }
    j->type = SH_JOB_RENDER;
    j->progressive = !u->want_record; /* shadow mode needs the whole paragraph at once */
    j->cue = u->s.cue;
    j->speed_pct = u->s.speed_pct;
    j->id = play_id;
    u->want_play = true;
    u->want_id = play_id;
    u->want_loops = loops;
    sh_worker_submit(u->worker, j);
}

/* The gap between loops: --gap, else the lesson's defaults; a factor
 * multiplies the paragraph's own length as heard (without lead and tail). */
static void set_gap(ui *u, sh_play_params *pp)
{
    const sh_playback_defaults *pd = sh_lesson_defaults(u->ctx.lesson);
    const sh_cue *q = sh_lesson_cue(u->ctx.lesson, u->s.cue);
    pp->gap_s = u->o->gap_given ? u->o->gap_s : pd->gap_s;
    pp->gap_factor = u->o->gap_given ? u->o->gap_factor : pd->gap_factor;
    if (q)
        pp->gap_base_s = (q->end - q->begin) / (u->s.speed_pct / 100.0);
}

static void start_play(ui *u, const float *x, size_t n, int loops, unsigned id, bool is_take)
{
    sh_play_params pp = sh_play_params_init();
    pp.loops = loops;
    if (!is_take)
        set_gap(u, &pp);
    sh_error err = {0};
    if (sh_audio_play(u->audio, x, n, &pp, &err)) {
        sh_ui_status(u, true, "%s", err.message);
        sh_session_event ev = {.type = SH_EV_PLAY_DONE, .play = id};
        sh_ui_events(u, &ev);
        return;
    }
    u->playing = true;
    u->loading = false;
    u->play_id = id;
    u->play_is_take = is_take;
    u->play_speed_pct = 100; /* takes and the beep; a reference sets its own */
    u->play_offset_s = 0;
    u->resume_at_s = 0;
}

static double cue_len(ui *u)
{
    const sh_cue *q = sh_lesson_cue(u->ctx.lesson, u->s.cue);
    return q ? q->end - q->begin : 0;
}

static void drop_recording(ui *u, bool keep)
{
    sh_recording rec;
    memset(&rec, 0, sizeof rec);
    sh_error err = {0};
    int rc = sh_audio_record_stop(u->audio, &rec, &err);
    unsigned seq = u->rec_seq;
    u->recording = false;
    if (!keep) {
        if (u->rec_path)
            unlink(u->rec_path);
        free(u->rec_path);
        u->rec_path = NULL;
        sh_recording_free(&rec);
        return;
    }
    bool ok = rc == SH_OK && rec.n > 0;
    const char *input = u->input_path ? u->input_path : ((const sh_audio_config *)u->o->audio_cfg)->input_path;
    if (rc && rc != SH_ERR_INVALID)
        sh_ui_status(u, true, "%s", err.message);
    else if (!ok && sh_audio_input_ended(u->audio) && input)
        sh_ui_status(u, true, "nothing was recorded: the input file %s is used up (it holds no audio)", input);
    else if (!ok)
        sh_ui_status(u, true, "nothing was recorded: check the microphone (shadowing devices)");
    free(u->take);
    u->take = rec.samples;
    u->ntake = rec.n;
    u->take_seq = seq;
    rec.samples = NULL;
    sh_recording_free(&rec);
    scored *sc = sh_ui_slot(u, seq);
    if (sc->valid)
        sh_practice_score_free(&sc->score);
    free(sc->take_path);
    memset(sc, 0, sizeof *sc);
    sc->seq = seq;
    sc->take_path = u->rec_path;
    u->rec_path = NULL;
    sh_session_event ev = {.type = SH_EV_RECORD_DONE, .seq = seq, .ok = ok && u->take};
    sh_ui_events(u, &ev);
}

/* --takes DIR: the paragraph's take (named as the batch finds it) becomes
 * the microphone, decoded at the stream's rate once per paragraph; every
 * recording of the paragraph reads it from the start. */
static int load_take(ui *u)
{
    const sh_cue *q = sh_lesson_cue(u->ctx.lesson, u->s.cue);
    if (!u->o->takes_dir || !q || u->input_cue == u->s.cue + 1)
        return 0;
    char *path = sh_practice_find_take(u->o->takes_dir, q);
    if (!path) {
        sh_ui_status(u, true, "%s: no take for paragraph %s (name it %s.wav or %d.wav)", u->o->takes_dir, q->id,
                   q->id, q->index);
        return -1;
    }
    float *x = NULL;
    size_t n = 0;
    sh_error err = {0};
    if (!sh_decode_file(path, u->rate, 600.0, &x, &n, &err) && n == 0)
        sh_error_set(&err, SH_ERR_NOT_AUDIO, "nothing was recorded: the take %s holds no audio", path);
    if (err.code || sh_audio_set_input(u->audio, x, n, &err)) {
        sh_ui_status(u, true, "%s", err.message);
        free(x);
        free(path);
        return -1;
    }
    free(x);
    free(u->input_path);
    u->input_path = path;
    u->input_cue = u->s.cue + 1;
    return 0;
}

static int record_params(ui *u, unsigned seq, sh_record_params *rp)
{
    sh_error err = {0};
    *rp = sh_record_params_init();
    if (load_take(u))
        return -1;
    free(u->rec_path);
    u->rec_path = sh_practice_take_path(&u->ctx, u->s.cue, &err);
    if (!u->rec_path && !u->takes_warned) {
        /* No takes folder (a read-only data folder...): the take is still
         * recorded and scored, in memory. */
        sh_ui_status(u, true, "%s: takes are not saved, only scored", err.message);
        u->takes_warned = true;
    }
    rp->path = u->rec_path;
    rp->max_s = u->rec_max_s = cue_len(u) / (u->s.speed_pct / 100.0) * 1.5 + 2;
    rp->keep_samples = true;
    u->rec_seq = seq;
    return 0;
}

static void start_recording(ui *u, unsigned seq)
{
    sh_record_params rp;
    sh_error err = {0};
    if (record_params(u, seq, &rp) == 0 && sh_audio_record_start(u->audio, &rp, &err) == SH_OK) {
        u->recording = true;
        sh_ui_status(u, false, "Your turn: speak, then Enter (or pause for a moment)");
        return;
    }
    if (err.code)
        sh_ui_status(u, true, "%s", err.message);
    sh_session_event ev = {.type = SH_EV_RECORD_DONE, .seq = seq, .ok = false};
    sh_ui_events(u, &ev);
}

static void apply(ui *u, const sh_session_action *a, size_t n)
{
    sh_error err = {0};
    for (size_t i = 0; i < n; i++) {
        const sh_session_action *x = &a[i];
        switch (x->type) {
        case SH_ACT_STOP:
            sh_audio_play_stop(u->audio);
            u->playing = false;
            u->loading = false;
            u->want_play = false;
            break;
        case SH_ACT_PLAY_REF:
            u->want_record = false;
            u->resume_at_s = 0;
            request_render(u, x->play, x->loops);
            sh_ui_status(u, false, u->s.mode == SH_MODE_SHADOW ? "Shadow: speak along (headphones advised)" : "");
            break;
        case SH_ACT_PLAY_BEEP:
            if (u->nbeep)
                start_play(u, u->beep, u->nbeep, 1, x->play, false);
            break;
        case SH_ACT_PLAY_TAKE:
            if (u->take && u->ntake)
                start_play(u, u->take, u->ntake, 1, x->play, true);
            break;
        case SH_ACT_RECORD:
            if (x->with_play) {
                /* shadow: starts together with the reference's render
                 * (whole, not progressive: see handle_results) */
                u->want_record = true;
                u->want_seq = x->seq;
            } else {
                start_recording(u, x->seq);
            }
            break;
        case SH_ACT_STOP_RECORD:
            if (u->recording && u->rec_seq == x->seq)
                drop_recording(u, !x->discard);
            else if (u->want_record && u->want_seq == x->seq)
                u->want_record = false;
            break;
        case SH_ACT_SCORE: {
            sh_job *j = calloc(1, sizeof *j);
            scored *sc = sh_ui_slot(u, x->seq);
            if (!j || !(j->samples = malloc(u->ntake * sizeof *u->take))) {
                free(j);
                sh_ui_status(u, true, "out of memory");
                break;
            }
            memcpy(j->samples, u->take, u->ntake * sizeof *u->take);
            j->n = u->ntake;
            j->type = SH_JOB_SCORE;
            j->cue = x->cue;
            j->speed_pct = x->speed_pct;
            j->id = x->seq;
            j->take_path = sc->take_path ? strdup(sc->take_path) : NULL;
            sc->cue = x->cue;
            sh_worker_submit(u->worker, j);
            break;
        }
        case SH_ACT_STORE: {
            scored *sc = sh_ui_slot(u, x->seq);
            if (sc->seq != x->seq || !sc->valid)
                break;
            if (sh_practice_ctx_store(&u->ctx, x->cue, x->mode, NULL, x->speed_pct, &sc->score, sc->take_path,
                                      &err) && !u->history_warned) {
                /* said once: the history being off was said at the start */
                if (!u->ctx.history_off)
                    sh_ui_status(u, true, "%s", err.message);
                u->history_warned = true;
            }
            show_history_note(u);
            break;
        }
        case SH_ACT_PAUSE:
            sh_audio_play_pause(u->audio, true);
            break;
        case SH_ACT_RESUME:
            sh_audio_play_pause(u->audio, false);
            break;
        case SH_ACT_SET_SPEED:
            /* Re-render in the worker (changing the speed in place would
             * render in this thread and stall the keys). A single pass goes
             * on from where it was; a loop starts again at the new speed. */
            if ((u->playing && !u->play_is_take) || u->want_play) {
                if (u->s.state == SH_ST_PLAYING || u->s.state == SH_ST_LOOPING || u->s.state == SH_ST_REVIEWING) {
                    if (u->playing && u->s.state != SH_ST_LOOPING) {
                        sh_play_status ps;
                        sh_audio_play_status(u->audio, &ps);
                        u->resume_at_s = u->play_offset_s + ps.position_s * (u->play_speed_pct / 100.0);
                    }
                    sh_audio_play_stop(u->audio);
                    u->playing = false;
                    u->loading = false;
                    request_render(u, u->s.play, u->s.state == SH_ST_LOOPING ? u->s.loops : 1);
                }
            }
            break;
        case SH_ACT_SET_LOOPS:
            sh_audio_play_set_loops(u->audio, x->loops);
            break;
        case SH_ACT_SAVE_POSITION:
            free(u->take);
            u->take = NULL;
            u->ntake = 0;
            if (sh_practice_ctx_save_position(&u->ctx, x->cue, &err) && !u->history_warned) {
                sh_ui_status(u, true, "%s", err.message);
                u->history_warned = true;
            }
            show_history_note(u);
            break;
        case SH_ACT_FINISHED:
            sh_ui_status(u, false, "Lesson finished. Well done!");
            break;
        case SH_ACT_QUIT:
            break;
        }
    }
}

void sh_ui_events(ui *u, const sh_session_event *ev)
{
    sh_session_action a[SH_SESSION_MAX_ACTIONS];
    size_t n = sh_session_handle(&u->s, ev, a);
    apply(u, a, n);
}

void sh_ui_key(ui *u, sh_session_key k)
{
    sh_session_event ev = {.type = SH_EV_KEY, .key = k};
    sh_ui_events(u, &ev);
}

static void handle_results(ui *u)
{
    char buf[64];
    while (read(sh_ui_wake_pipe[0], buf, sizeof buf) > 0)
        ;
    sh_job *j = sh_worker_take_results(u->worker);
    while (j) {
        sh_job *next = j->next;
        if (j->type == SH_JOB_HEAD) {
            /* progressive start: the first seconds play while the rest decodes */
            if (u->want_play && j->id == u->want_id && j->id == u->s.play && !u->want_record) {
                sh_play_params pp = sh_play_params_init();
                pp.loops = u->want_loops;
                set_gap(u, &pp);
                sh_error err = {0};
                if (sh_audio_play_begin(u->audio, j->n_total, j->samples, j->n, &pp, &err) == SH_OK) {
                    u->want_play = false;
                    u->play_speed_pct = 100;
                    u->play_offset_s = 0;
                    u->loading = true;
                    u->load_remaining = j->n_total - j->n;
                    u->playing = true;
                    u->play_id = j->id;
                    u->play_is_take = false;
                }
            }
        } else if (j->type == SH_JOB_RENDER && j->rest) {
            if (u->loading && u->playing && j->id == u->play_id) {
                sh_error err = {0};
                u->loading = false;
                if (j->rc || sh_audio_play_append(u->audio, j->samples, j->n, &err) ||
                    (j->n < u->load_remaining && sh_audio_play_finish(u->audio, &err))) {
                    sh_ui_status(u, true, "%s", j->rc ? j->err.message : err.message);
                    sh_audio_play_finish(u->audio, NULL);
                }
            } else if (u->want_play && j->id == u->want_id && j->id == u->s.play) {
                /* the head was not used (shadow mode asked meanwhile): the
                 * whole paragraph is cached now, so render it again */
                u->want_play = false;
                request_render(u, j->id, u->want_loops);
            }
        } else if (j->type == SH_JOB_RENDER) {
            if (u->want_play && j->id == u->want_id && j->id == u->s.play) {
                u->want_play = false;
                if (j->rc) {
                    sh_ui_status(u, true, "%s", j->err.message);
                    sh_session_event ev = {.type = SH_EV_PLAY_DONE, .play = j->id};
                    sh_ui_events(u, &ev);
                } else if (u->want_record) {
                    sh_play_params pp = sh_play_params_init();
                    sh_record_params rp;
                    sh_error err = {0};
                    u->want_record = false;
                    if (record_params(u, u->want_seq, &rp) == 0 &&
                        sh_audio_shadow_start(u->audio, j->samples, j->n, &pp, &rp, &err) == SH_OK) {
                        u->playing = true;
                        u->play_id = j->id;
                        u->play_is_take = false;
                        u->recording = true;
                    } else {
                        if (err.code)
                            sh_ui_status(u, true, "%s", err.message);
                        sh_session_event ev = {.type = SH_EV_RECORD_DONE, .seq = u->want_seq, .ok = false};
                        sh_ui_events(u, &ev);
                    }
                } else {
                    /* after a speed change, go on from the same place */
                    double at = u->resume_at_s;
                    size_t off = (size_t)(at / (j->speed_pct / 100.0) * u->rate);
                    if (off + (size_t)u->rate / 10 >= j->n)
                        off = 0;
                    start_play(u, j->samples + off, j->n - off, u->want_loops, j->id, false);
                    u->play_speed_pct = j->speed_pct;
                    u->play_offset_s = off ? at : 0;
                }
            }
        } else {
            scored *sc = sh_ui_slot(u, j->id);
            if (sc->seq == j->id && j->rc == SH_OK) {
                if (sc->valid)
                    sh_practice_score_free(&sc->score);
                sc->score = j->score;
                memset(&j->score, 0, sizeof j->score);
                sc->valid = true;
            } else if (j->rc) {
                sh_ui_status(u, true, "%s", j->err.message);
            }
            sh_session_event ev = {.type = SH_EV_SCORE_READY, .seq = j->id, .ok = j->rc == SH_OK,
                                   .score = j->rc == SH_OK ? sc->score.total : 0};
            bool was_waiting = u->s.await_seq == j->id;
            sh_ui_events(u, &ev);
            if (was_waiting && u->s.has_score) {
                u->shown_seq = j->id;
                if (u->s.state == SH_ST_SHOWING)
                    sh_ui_status(u, false, "Enter: next paragraph   r: try again   a: hear your take   b: the speaker");
            }
        }
        sh_job_free(j);
        j = next;
    }
}

/* Poll the device: end of playback, end of recording, stream errors. */
static void tick(ui *u)
{
    if (u->recording) {
        sh_record_status rs;
        sh_audio_record_status(u->audio, &rs);
        if (!rs.active)
            drop_recording(u, true);
    }
    if (u->playing) {
        sh_play_status ps;
        sh_audio_play_status(u->audio, &ps);
        if (!ps.active) {
            u->playing = false;
            sh_session_event ev = {.type = SH_EV_PLAY_DONE, .play = u->play_id};
            sh_ui_events(u, &ev);
        }
    }
    sh_error err = {0};
    if (sh_audio_error(u->audio, &err))
        sh_ui_status(u, true, "%s", err.message);
}

int sh_practice_ui(const sh_practice_opts *o, bool *device_failed)
{
    *device_failed = false;
    ui *u = calloc(1, sizeof *u);
    if (!u)
        return sh_cli_fail("out of memory");
    u->o = o;
    double t_start = sh_clock_now();
    sh_error err = {0};
    int status = SH_EXIT_BAD_INPUT, saved_stderr = -1;
    setlocale(LC_ALL, "");
    if (sh_practice_ctx_open(&u->ctx, o->lesson, o->history_path,
                             o->no_history ? SH_CTX_HISTORY_NONE : SH_CTX_HISTORY_WRITE, &err)) {
        free(u);
        return sh_cli_fail("%s", err.message);
    }
    char history_note[sizeof u->ctx.note];
    snprintf(history_note, sizeof history_note, "%s", u->ctx.note);
    if (u->ctx.note[0])
        fprintf(stderr, "shadowing: %s\n", u->ctx.note);
    u->ctx.note[0] = 0;
    if (access(sh_lesson_audio_path(u->ctx.lesson), R_OK) != 0) {
        int e = errno;
        sh_cli_fail("%s: cannot read the lesson's audio: %s", sh_lesson_audio_path(u->ctx.lesson), strerror(e));
        sh_practice_ctx_close(&u->ctx);
        free(u);
        return SH_EXIT_BAD_INPUT;
    }
    if (u->ctx.ncues == 0) {
        sh_practice_ctx_close(&u->ctx);
        free(u);
        return sh_cli_fail("%s: the lesson has no paragraphs", o->lesson);
    }
    if (pipe(sh_ui_wake_pipe) < 0) {
        sh_practice_ctx_close(&u->ctx);
        free(u);
        return sh_cli_fail("cannot create a pipe: %s", strerror(errno));
    }
    for (int i = 0; i < 2; i++)
        fcntl(sh_ui_wake_pipe[i], F_SETFL, fcntl(sh_ui_wake_pipe[i], F_GETFL) | O_NONBLOCK);
    /* The audio decodes and every cue ends within it (as `check` says):
     * checked in a thread once the first paragraph sounds (or after half a
     * second), so that it delays neither the screen nor the sound. */
    sh_audio_check *check = NULL;
    bool checked = false;
    char *audio_problem = NULL;

    /* The device is opened with stderr already in the log: PortAudio and
     * ALSA talk while probing. */
    sh_audio_config ac = *(const sh_audio_config *)o->audio_cfg;
    ac.playback = true;
    ac.capture = true;
    saved_stderr = sh_ui_redirect_stderr();
    int rc = sh_audio_open(&ac, &u->audio, &err);
    if (rc == SH_OK) {
        u->rate = sh_audio_rate(u->audio);
        rc = sh_worker_start(u->ctx.lesson, u->rate, sh_ui_wake_pipe[1], &u->worker, &err);
    }
    if (rc) {
        sh_ui_restore_stderr(saved_stderr);
        saved_stderr = -1;
        *device_failed = rc == SH_ERR_DEVICE || rc == SH_ERR_UNSUPPORTED;
        if (!*device_failed || o->audio_given)
            sh_cli_fail("%s", err.message);
        goto done;
    }
    make_beep(u);
    fprintf(stderr, "shadowing: lesson, history, %s and decoder ready in %.1f ms\n",
            sh_audio_description(u->audio), (sh_clock_now() - t_start) * 1e3);

    sh_session_config sc = sh_session_config_init(u->ctx.ncues);
    sc.start_cue = sh_practice_ctx_resume(&u->ctx);
    if (o->cue || o->from) {
        const sh_cue *q = sh_lesson_find_cue(u->ctx.lesson, o->cue ? o->cue : o->from);
        if (!q) {
            sh_error_set(&err, SH_ERR_NOT_FOUND, "%s: no paragraph '%s' (give an id such as p3 or a number 1-%zu)",
                         o->lesson, o->cue ? o->cue : o->from, u->ctx.ncues);
            sh_ui_restore_stderr(saved_stderr);
            saved_stderr = -1;
            sh_cli_fail("%s", err.message);
            goto done;
        }
        sc.start_cue = (size_t)q->index - 1;
    }
    sc.mode = o->mode;
    sc.speed_pct = o->speed_pct;
    sc.loops = o->loops;
    sc.advance_at = o->advance_at;
    sc.translation = !o->no_translation;
    sh_session_init(&u->s, &sc);

    /* Start the paragraph at once (opening a lesson means practising it):
     * the worker decodes it while the screen comes up. */
    sh_ui_key(u, SH_KEY_STEP);
    if (sc.start_cue && !o->cue && !o->from)
        sh_ui_status(u, false, "Welcome back: resuming at paragraph %zu", sc.start_cue + 1);
    if (history_note[0]) /* also on the terminal (seen after quitting) and in the log */
        sh_ui_status(u, u->ctx.history_off, "%s", history_note);
    sh_ui_term_start();
    sh_ui_draw_screen(u);
    while (!u->s.quit && !sh_ui_quit_signal) {
        bool busy = u->playing || u->recording || u->want_play || u->s.state == SH_ST_SCORING;
        struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = sh_ui_wake_pipe[0], .events = POLLIN}};
        int pr = poll(fds, 2, busy ? 30 : 250);
        if (pr < 0 && errno != EINTR)
            break;
        if (pr > 0 && (fds[0].revents & (POLLHUP | POLLERR)))
            break; /* the terminal went away */
        double w0 = sh_clock_now();
        if (pr > 0 && (fds[1].revents & POLLIN))
            handle_results(u);
        if (!checked && !check && (u->playing || (sh_clock_now() - t_start) * 1e3 > 500)) {
            check = sh_practice_check_audio_start(u->ctx.lesson, sh_ui_wake_pipe[1]);
            checked = check == NULL; /* no thread: the worker's errors still show */
        }
        const char *problem = NULL;
        if (check && sh_practice_check_audio_done(check, &problem)) {
            checked = true;
            audio_problem = problem ? strdup(problem) : NULL;
            sh_practice_check_audio_free(check);
            check = NULL;
            if (audio_problem)
                break;
        }
        int ch;
        while ((ch = getch()) != ERR) {
            if (ch == KEY_RESIZE)
                continue; /* redrawn below at the new size */
            sh_ui_on_key(u, ch);
            if (u->s.quit)
                break;
        }
        tick(u);
        sh_ui_draw_screen(u);
        double took = (sh_clock_now() - w0) * 1e3;
        if (took > 20) /* keys would wait this long: worth knowing */
            fprintf(stderr, "shadowing: the screen was busy for %.1f ms (state %s)\n", took,
                    sh_session_state_name(u->s.state));
    }
    if ((sh_ui_quit_signal || audio_problem) && !u->s.quit)
        sh_ui_key(u, SH_KEY_QUIT); /* discards a recording in progress */
    status = audio_problem ? SH_EXIT_BAD_INPUT : SH_EXIT_OK;
done:
    sh_ui_term_end();
    sh_worker_stop(u->worker);
    if (u->recording)
        drop_recording(u, false);
    sh_audio_close(u->audio);
    sh_ui_restore_stderr(saved_stderr);
    sh_practice_check_audio_free(check);
    if (audio_problem)
        fputs(audio_problem, stderr);
    free(audio_problem);
    for (int i = 0; i < SCORE_RING; i++) {
        if (u->ring[i].valid)
            sh_practice_score_free(&u->ring[i].score);
        free(u->ring[i].take_path);
    }
    free(u->rec_path);
    free(u->input_path);
    free(u->take);
    free(u->beep);
    sh_practice_ctx_close(&u->ctx);
    close(sh_ui_wake_pipe[0]);
    close(sh_ui_wake_pipe[1]);
    sh_ui_wake_pipe[0] = sh_ui_wake_pipe[1] = -1;
    free(u);
    return status;
}

#else /* !SH_HAVE_NCURSES */

int sh_practice_ui(const sh_practice_opts *o, bool *device_failed)
{
    (void)o;
    *device_failed = false;
    return sh_cli_fail("this shadowing was built without ncursesw: only --batch is available");
}

#endif
