/* shadowing - the practice session's logic as a pure state machine.
 *
 * No I/O, no clocks, no globals: the screen (or the headless batch, or a
 * unit test) feeds events in (keys, "playback finished", "recording
 * stopped", "score ready") and gets back a short list of actions to carry
 * out (play the reference, beep, start/stop recording, score a take, store
 * an attempt, remember the position...). Every rule about what happens next
 * lives here and is tested without a screen or a sound card.
 *
 * States:
 *   IDLE       nothing running; Enter starts the mode's step
 *   PLAYING    the reference plays (repeat mode: then the beep)
 *   BEEP       the "your turn" beep plays, then RECORDING
 *   RECORDING  the learner speaks (shadow mode: while the reference plays)
 *   SCORING    the take is being scored (in a worker; keys still work)
 *   SHOWING    the score card is up; Enter goes on, r retries
 *   LOOPING    loop mode: the reference plays `loops` times with a gap
 *   REVIEWING  review: my take, the reference, or both in turn (A/B)
 *
 * Takes and scores carry a sequence number so a result that arrives after
 * the learner moved on (a stale score) is still stored but does not change
 * what is shown; a recording cut short by navigation is discarded.
 */
#ifndef SHADOWING_SESSION_H
#define SHADOWING_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sh_practice_mode {
    SH_MODE_REPEAT = 0, /* listen, beep, repeat, score */
    SH_MODE_SHADOW,     /* play and record at once */
    SH_MODE_LOOP,       /* play K times (or endlessly) with a gap, no recording */
    SH_MODE_REVIEW,     /* Enter plays my last take then the reference (A/B) */
    SH_MODE_COUNT_
} sh_practice_mode;

typedef enum sh_session_state {
    SH_ST_IDLE = 0,
    SH_ST_PLAYING,
    SH_ST_BEEP,
    SH_ST_RECORDING,
    SH_ST_SCORING,
    SH_ST_SHOWING,
    SH_ST_LOOPING,
    SH_ST_REVIEWING,
    SH_ST_COUNT_
} sh_session_state;

typedef enum sh_session_key {
    SH_KEY_PAUSE = 0,   /* space: pause/resume; stops a recording */
    SH_KEY_PREV,        /* left, p */
    SH_KEY_NEXT,        /* right, n */
    SH_KEY_STEP,        /* Enter: the next step of the mode */
    SH_KEY_RECORD,      /* r: record (again) now */
    SH_KEY_MY_TAKE,     /* a: play my last take */
    SH_KEY_REFERENCE,   /* b: play the reference */
    SH_KEY_LOOPS,       /* l: cycle the loop count 1,2,3,5,10,endless */
    SH_KEY_SLOWER,      /* [ */
    SH_KEY_FASTER,      /* ] */
    SH_KEY_TRANSLATION, /* t */
    SH_KEY_VOCABULARY,  /* v */
    SH_KEY_MODE,        /* m: cycle the mode */
    SH_KEY_GOTO,        /* g: go to paragraph event.cue */
    SH_KEY_HELP,        /* ? */
    SH_KEY_QUIT,        /* q */
    SH_KEY_COUNT_
} sh_session_key;

typedef enum sh_event_type {
    SH_EV_KEY = 0,
    SH_EV_PLAY_DONE,   /* the reference / beep / take finished playing */
    SH_EV_RECORD_DONE, /* a recording stopped (silence, max length or asked); ok=false: failed/empty */
    SH_EV_SCORE_READY, /* a take was scored: score 0..100; ok=false: scoring failed */
} sh_event_type;

typedef struct sh_session_event {
    sh_event_type type;
    sh_session_key key; /* SH_EV_KEY */
    size_t cue;         /* SH_KEY_GOTO: 0-based paragraph */
    unsigned seq;       /* RECORD_DONE, SCORE_READY: the take's sequence number */
    bool ok;            /* RECORD_DONE, SCORE_READY */
    double score;       /* SCORE_READY */
    unsigned play;      /* PLAY_DONE: the `play` id of the action that started it
                           (a late "done" of a playback already replaced is ignored) */
} sh_session_event;

typedef enum sh_action_type {
    SH_ACT_STOP = 0,      /* stop playback (not recording) */
    SH_ACT_PLAY_REF,      /* play cue at speed, `loops` times (0 endless), gap per the lesson */
    SH_ACT_PLAY_BEEP,     /* the short "your turn" beep */
    SH_ACT_PLAY_TAKE,     /* play the take of sequence `seq` (the last one) */
    SH_ACT_RECORD,        /* start recording take `seq` for cue; with_play: shadow (record while PLAY_REF) */
    SH_ACT_STOP_RECORD,   /* stop recording take `seq`; discard: throw it away */
    SH_ACT_SCORE,         /* score take `seq` against cue (asynchronously) */
    SH_ACT_STORE,         /* store take `seq` (cue, mode, speed, score) as an attempt */
    SH_ACT_PAUSE,         /* pause playback */
    SH_ACT_RESUME,        /* resume playback */
    SH_ACT_SET_SPEED,     /* change the speed of what is playing */
    SH_ACT_SET_LOOPS,     /* change the loop count of what is playing */
    SH_ACT_SAVE_POSITION, /* remember cue as the resume position */
    SH_ACT_FINISHED,      /* the last paragraph was passed (auto-advance) */
    SH_ACT_QUIT,
} sh_action_type;

typedef struct sh_session_action {
    sh_action_type type;
    size_t cue;           /* 0-based */
    unsigned seq;         /* take sequence number */
    int speed_pct;        /* 50..150 */
    int loops;            /* PLAY_REF / SET_LOOPS: times to play, 0 = endless */
    bool with_play;       /* RECORD: shadow mode */
    bool discard;         /* STOP_RECORD */
    double score;         /* STORE */
    sh_practice_mode mode;/* STORE: the mode the take was made in */
    unsigned play;        /* PLAY_*: id to send back with SH_EV_PLAY_DONE */
} sh_session_action;

/* The most actions one event produces. */
#define SH_SESSION_MAX_ACTIONS 8

typedef struct sh_session_config {
    size_t cues;         /* paragraphs in the lesson (>= 1) */
    size_t start_cue;    /* 0-based; clamped */
    sh_practice_mode mode;
    int speed_pct;       /* default 100; clamped to 50..150 and to 5 % steps */
    int loops;           /* loop mode: default 3; 0 = endless */
    double advance_at;   /* > 0: after a score >= this, go to the next paragraph and
                            play it; below it, play the same one again. 0: off */
    bool translation;    /* show the translation at start (default true) */
} sh_session_config;

sh_session_config sh_session_config_init(size_t cues);

/* The whole state; plain data, copyable. Read it to draw the screen. */
typedef struct sh_session {
    sh_session_config cfg;
    sh_session_state state;
    sh_practice_mode mode;
    size_t cue;          /* current paragraph, 0-based */
    int speed_pct;
    int loops;
    bool paused;
    bool translation, vocabulary, help;
    bool finished;       /* passed the last paragraph */
    bool quit;
    unsigned seq;        /* last take's sequence number (0: none yet) */
    bool have_take;      /* the last take of THIS paragraph exists (a, review) */
    bool review_ab;      /* REVIEWING: the reference follows the take */
    bool step_done;      /* the mode's step ran for this paragraph: Enter goes on */
    unsigned play;       /* id of the current playback */
    unsigned await_seq;  /* take whose score the screen waits for (0: none) */
    struct sh_session_take { /* takes recorded and not yet stored */
        unsigned seq;
        size_t cue;
        sh_practice_mode mode;
        int speed_pct;
    } pending[8];
    bool has_score;      /* last_score is for the current paragraph */
    double last_score;
} sh_session;

/* Initialise from a config (copied). */
void sh_session_init(sh_session *s, const sh_session_config *cfg);

/* Feed one event; writes up to SH_SESSION_MAX_ACTIONS actions to `out`
 * (in the order to carry them out) and returns how many. */
size_t sh_session_handle(sh_session *s, const sh_session_event *ev, sh_session_action *out);

/* Convenience: an SH_EV_KEY event. */
size_t sh_session_key_press(sh_session *s, sh_session_key key, sh_session_action *out);

/* Names for the screen, JSON and the database ("repeat", "shadow", "loop",
 * "review"; "idle", "playing", ...). Never NULL. */
const char *sh_practice_mode_name(sh_practice_mode m);
const char *sh_session_state_name(sh_session_state st);
/* Parse a mode name; false when unknown. */
bool sh_practice_mode_parse(const char *name, sh_practice_mode *out);

/* Speed limits, in percent. */
#define SH_SPEED_MIN_PCT 50
#define SH_SPEED_MAX_PCT 150
#define SH_SPEED_STEP_PCT 5

#ifdef __cplusplus
}
#endif
#endif
