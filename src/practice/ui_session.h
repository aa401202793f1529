/* Internal to the practice screen (ui_main.c, ui_keys.c, ui_term.c): the
 * running session's state, owned by the one thread that runs the screen,
 * and the calls its files share. Not a public API. */
#ifndef SH_PRACTICE_UI_SESSION_H
#define SH_PRACTICE_UI_SESSION_H

#include <signal.h>
#include <stdbool.h>

#include "practice.h"
#include "shadowing/audio.h"
#include "ui_worker.h"

#define MIN_COLS 40
#define MIN_ROWS 12
#define SCORE_RING 16

typedef struct scored {
    unsigned seq;
    size_t cue;
    char *take_path;
    sh_practice_score score;
    bool valid;
} scored;

typedef struct ui {
    const sh_practice_opts *o;
    sh_practice_ctx ctx;
    sh_session s;
    sh_audio *audio;
    sh_worker *worker;
    int rate;
    float *beep;
    size_t nbeep;
    /* playback waiting for the worker's render */
    bool want_play;
    unsigned want_id;
    bool want_record;      /* shadow: start recording with it */
    unsigned want_seq;
    int want_loops;
    /* what the device does now */
    bool playing;
    bool loading;          /* progressive start: the rest is still decoding */
    size_t load_remaining; /* samples of the paragraph still to append */
    unsigned play_id;
    bool play_is_take;
    int play_speed_pct;    /* speed the playing reference was rendered at */
    double play_offset_s;  /* lesson time where it started (a speed change mid-paragraph) */
    double resume_at_s;    /* > 0: start the next render there (speed change) */
    bool recording;
    unsigned rec_seq;
    char *rec_path;
    double rec_max_s;
    /* the last take of the current paragraph */
    float *take;
    size_t ntake;
    unsigned take_seq;
    /* scores by take seq, for STORE and the card */
    scored ring[SCORE_RING];
    unsigned shown_seq;
    char status[1280];
    bool status_error;
    size_t input_cue;      /* --takes: 1 + the paragraph whose take is the input (0: none) */
    char *input_path;      /* --takes: that take's file */
    bool history_warned;   /* a failed store was said once */
    bool takes_warned;     /* takes cannot be saved: said once */
    bool prompt;
    char prompt_buf[32];
} ui;

/* ui_main.c: the engine side. */
void sh_ui_status(ui *u, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
scored *sh_ui_slot(ui *u, unsigned seq);
/* Feed an event to the session and carry out its actions. */
void sh_ui_events(ui *u, const sh_session_event *ev);
void sh_ui_key(ui *u, sh_session_key k);

/* ui_keys.c: drawing the whole screen, and the keyboard. */
void sh_ui_draw_screen(ui *u);
void sh_ui_on_key(ui *u, int ch);

/* ui_term.c: terminal safety. The terminal is restored on every way out:
 * normal quit, Ctrl-C/SIGTERM/SIGHUP (turned into a quit through the
 * wake-up pipe), exit() from a library (atexit), and fatal signals (the
 * handler restores the saved termios and leaves the alternate screen with
 * async-signal-safe calls, then re-raises). */
extern volatile sig_atomic_t sh_ui_quit_signal; /* the quit signal seen, 0 none */
extern int sh_ui_wake_pipe[2];                  /* the worker's and the handlers' wake-up */
/* stderr into $XDG_STATE_HOME/shadowing/practice.log (or /dev/null) while
 * the screen is up; returns the saved descriptor for sh_ui_restore_stderr. */
int sh_ui_redirect_stderr(void);
void sh_ui_restore_stderr(int saved);
/* Save the termios, install the signal handlers, start curses (keys
 * without delay, colours). */
void sh_ui_term_start(void);
/* Leave curses if it is up (safe to call twice). */
void sh_ui_term_end(void);

#endif
