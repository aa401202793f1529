/* The practice session's state machine. Pure: see include/shadowing/session.h. */
#include "shadowing/session.h"

#include <string.h>

static const char *const mode_names[SH_MODE_COUNT_] = {"repeat", "shadow", "loop", "review"};
static const char *const state_names[SH_ST_COUNT_] = {"idle",    "playing", "beep",    "recording",
                                                      "scoring", "showing", "looping", "reviewing"};
/* The `l` key cycles through these; 0 is endless. */
static const int loop_steps[] = {1, 2, 3, 5, 10, 0};

const char *sh_practice_mode_name(sh_practice_mode m)
{
    return (unsigned)m < SH_MODE_COUNT_ ? mode_names[m] : "?";
}

const char *sh_session_state_name(sh_session_state st)
{
    return (unsigned)st < SH_ST_COUNT_ ? state_names[st] : "?";
}

bool sh_practice_mode_parse(const char *name, sh_practice_mode *out)
{
    for (int i = 0; i < SH_MODE_COUNT_; i++)
        if (strcmp(name, mode_names[i]) == 0) {
            *out = (sh_practice_mode)i;
            return true;
        }
    return false;
}

static int clamp_speed(int pct)
{
    if (pct < SH_SPEED_MIN_PCT)
        pct = SH_SPEED_MIN_PCT;
    if (pct > SH_SPEED_MAX_PCT)
        pct = SH_SPEED_MAX_PCT;
    return (pct + SH_SPEED_STEP_PCT / 2) / SH_SPEED_STEP_PCT * SH_SPEED_STEP_PCT;
}

sh_session_config sh_session_config_init(size_t cues)
{
    sh_session_config c;
    memset(&c, 0, sizeof c);
    c.cues = cues;
    c.mode = SH_MODE_REPEAT;
    c.speed_pct = 100;
    c.loops = 3;
    c.translation = true;
    return c;
}

void sh_session_init(sh_session *s, const sh_session_config *cfg)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    if (s->cfg.cues == 0)
        s->cfg.cues = 1;
    if ((unsigned)s->cfg.mode >= SH_MODE_COUNT_)
        s->cfg.mode = SH_MODE_REPEAT;
    if (s->cfg.loops < 0)
        s->cfg.loops = 0;
    s->cfg.speed_pct = clamp_speed(cfg->speed_pct ? cfg->speed_pct : 100);
    s->state = SH_ST_IDLE;
    s->mode = s->cfg.mode;
    s->cue = cfg->start_cue < s->cfg.cues ? cfg->start_cue : s->cfg.cues - 1;
    s->speed_pct = s->cfg.speed_pct;
    s->loops = s->cfg.loops;
    s->translation = cfg->translation;
}

/* Appending actions. */
typedef struct out_list {
    sh_session_action *a;
    size_t n;
} out_list;

static sh_session_action *emit(sh_session *s, out_list *o, sh_action_type t)
{
    /* SH_SESSION_MAX_ACTIONS is the proven bound of the rules below; the
     * check only keeps a future rule from writing past the caller's array. */
    if (o->n >= SH_SESSION_MAX_ACTIONS)
        return &o->a[SH_SESSION_MAX_ACTIONS - 1];
    sh_session_action *a = &o->a[o->n++];
    memset(a, 0, sizeof *a);
    a->type = t;
    a->cue = s->cue;
    a->seq = s->seq;
    a->speed_pct = s->speed_pct;
    a->loops = 1;
    a->mode = s->mode;
    a->play = s->play;
    return a;
}

static void play(sh_session *s, out_list *o, sh_action_type t, int loops)
{
    s->play++;
    s->paused = false;
    sh_session_action *a = emit(s, o, t);
    a->loops = loops;
}

static void remember_take(sh_session *s)
{
    size_t slot = s->seq % (sizeof s->pending / sizeof s->pending[0]);
    s->pending[slot].seq = s->seq;
    s->pending[slot].cue = s->cue;
    s->pending[slot].mode = s->mode;
    s->pending[slot].speed_pct = s->speed_pct;
}

static void start_recording(sh_session *s, out_list *o, bool with_play)
{
    s->seq++;
    s->await_seq = 0;
    remember_take(s);
    sh_session_action *a = emit(s, o, SH_ACT_RECORD);
    a->with_play = with_play;
    s->state = SH_ST_RECORDING;
}

/* Where the session rests when nothing runs. */
static void rest(sh_session *s)
{
    s->state = s->has_score ? SH_ST_SHOWING : SH_ST_IDLE;
    s->paused = false;
}

/* Stop whatever runs; a recording in progress is discarded. A take being
 * scored still gets stored, but its card will not be shown. */
static void cancel(sh_session *s, out_list *o)
{
    switch (s->state) {
    case SH_ST_RECORDING:
        emit(s, o, SH_ACT_STOP_RECORD)->discard = true;
        if (s->mode == SH_MODE_SHADOW)
            emit(s, o, SH_ACT_STOP);
        break;
    case SH_ST_PLAYING:
    case SH_ST_BEEP:
    case SH_ST_LOOPING:
    case SH_ST_REVIEWING:
        emit(s, o, SH_ACT_STOP);
        break;
    default:
        break;
    }
    s->await_seq = 0;
    s->review_ab = false;
    rest(s);
}

static void play_reference(sh_session *s, out_list *o, sh_session_state st, int loops)
{
    play(s, o, SH_ACT_PLAY_REF, loops);
    s->state = st;
}

static void start_step(sh_session *s, out_list *o)
{
    switch (s->mode) {
    case SH_MODE_REPEAT:
        play_reference(s, o, SH_ST_PLAYING, 1);
        break;
    case SH_MODE_SHADOW:
        play_reference(s, o, SH_ST_PLAYING, 1);
        start_recording(s, o, true);
        break;
    case SH_MODE_LOOP:
        play_reference(s, o, SH_ST_LOOPING, s->loops);
        break;
    case SH_MODE_REVIEW:
    default:
        if (s->have_take) {
            play(s, o, SH_ACT_PLAY_TAKE, 1);
            s->review_ab = true;
            s->state = SH_ST_REVIEWING;
        } else {
            play_reference(s, o, SH_ST_REVIEWING, 1);
        }
        break;
    }
}

/* Move to paragraph `to` (already validated) and start its step. */
static void go_to(sh_session *s, out_list *o, size_t to)
{
    cancel(s, o);
    s->cue = to;
    s->has_score = false;
    s->have_take = false;
    s->step_done = false;
    s->finished = false;
    rest(s);
    emit(s, o, SH_ACT_SAVE_POSITION);
    start_step(s, o);
}

static void go_next(sh_session *s, out_list *o)
{
    if (s->cue + 1 < s->cfg.cues) {
        go_to(s, o, s->cue + 1);
    } else {
        cancel(s, o);
        s->finished = true;
        emit(s, o, SH_ACT_FINISHED);
    }
}

static void stop_recording_keep(sh_session *s, out_list *o)
{
    emit(s, o, SH_ACT_STOP_RECORD);
    if (s->mode == SH_MODE_SHADOW)
        emit(s, o, SH_ACT_STOP);
}

static void on_key(sh_session *s, const sh_session_event *ev, out_list *o)
{
    switch (ev->key) {
    case SH_KEY_PAUSE:
        switch (s->state) {
        case SH_ST_PLAYING:
            if (s->mode == SH_MODE_SHADOW)
                break; /* recording is running too: pausing would desync them */
            /* fall through */
        case SH_ST_BEEP:
        case SH_ST_LOOPING:
        case SH_ST_REVIEWING:
            s->paused = !s->paused;
            emit(s, o, s->paused ? SH_ACT_PAUSE : SH_ACT_RESUME);
            break;
        case SH_ST_RECORDING:
            stop_recording_keep(s, o);
            break;
        case SH_ST_IDLE:
        case SH_ST_SHOWING:
            start_step(s, o);
            break;
        default:
            break;
        }
        break;
    case SH_KEY_STEP:
        switch (s->state) {
        case SH_ST_IDLE:
        case SH_ST_SHOWING:
            if (s->step_done)
                go_next(s, o);
            else
                start_step(s, o);
            break;
        case SH_ST_PLAYING:
            if (s->mode == SH_MODE_SHADOW) {
                stop_recording_keep(s, o);
            } else { /* skip the rest of the reference: straight to the beep */
                emit(s, o, SH_ACT_STOP);
                play(s, o, SH_ACT_PLAY_BEEP, 1);
                s->state = SH_ST_BEEP;
            }
            break;
        case SH_ST_BEEP:
            emit(s, o, SH_ACT_STOP);
            start_recording(s, o, false);
            break;
        case SH_ST_RECORDING:
            stop_recording_keep(s, o);
            break;
        case SH_ST_LOOPING:
        case SH_ST_REVIEWING:
            cancel(s, o);
            s->step_done = true;
            break;
        default:
            break;
        }
        break;
    case SH_KEY_RECORD:
        if (s->state == SH_ST_RECORDING) {
            stop_recording_keep(s, o);
            break;
        }
        cancel(s, o);
        if (s->mode == SH_MODE_SHADOW) {
            start_step(s, o);
        } else {
            play(s, o, SH_ACT_PLAY_BEEP, 1);
            s->state = SH_ST_BEEP;
        }
        break;
    case SH_KEY_PREV:
        if (s->cue > 0)
            go_to(s, o, s->cue - 1);
        break;
    case SH_KEY_NEXT:
        if (s->cue + 1 < s->cfg.cues)
            go_to(s, o, s->cue + 1);
        break;
    case SH_KEY_GOTO:
        if (ev->cue < s->cfg.cues)
            go_to(s, o, ev->cue);
        break;
    case SH_KEY_MY_TAKE:
        if (s->state == SH_ST_RECORDING || !s->have_take)
            break;
        cancel(s, o);
        play(s, o, SH_ACT_PLAY_TAKE, 1);
        s->state = SH_ST_REVIEWING;
        break;
    case SH_KEY_REFERENCE:
        if (s->state == SH_ST_RECORDING)
            break;
        cancel(s, o);
        play_reference(s, o, SH_ST_REVIEWING, 1);
        break;
    case SH_KEY_LOOPS: {
        size_t n = sizeof loop_steps / sizeof loop_steps[0], i = 0;
        while (i < n && loop_steps[i] != s->loops)
            i++;
        s->loops = loop_steps[i < n ? (i + 1) % n : 0];
        if (s->state == SH_ST_LOOPING)
            emit(s, o, SH_ACT_SET_LOOPS)->loops = s->loops;
        break;
    }
    case SH_KEY_SLOWER:
    case SH_KEY_FASTER: {
        int v = clamp_speed(s->speed_pct + (ev->key == SH_KEY_FASTER ? SH_SPEED_STEP_PCT : -SH_SPEED_STEP_PCT));
        if (v != s->speed_pct) {
            s->speed_pct = v;
            emit(s, o, SH_ACT_SET_SPEED);
        }
        break;
    }
    case SH_KEY_TRANSLATION:
        s->translation = !s->translation;
        break;
    case SH_KEY_VOCABULARY:
        s->vocabulary = !s->vocabulary;
        break;
    case SH_KEY_HELP:
        s->help = !s->help;
        break;
    case SH_KEY_MODE:
        cancel(s, o);
        s->mode = (sh_practice_mode)((s->mode + 1) % SH_MODE_COUNT_);
        s->step_done = false;
        break;
    case SH_KEY_QUIT:
        cancel(s, o);
        s->quit = true;
        emit(s, o, SH_ACT_QUIT);
        break;
    default:
        break;
    }
}

static void on_play_done(sh_session *s, const sh_session_event *ev, out_list *o)
{
    if (ev->play != s->play)
        return; /* a playback we already replaced or stopped */
    s->paused = false;
    switch (s->state) {
    case SH_ST_PLAYING:
        if (s->mode == SH_MODE_SHADOW) {
            /* not reached: shadow mode is RECORDING while it plays */
            rest(s);
            break;
        }
        play(s, o, SH_ACT_PLAY_BEEP, 1);
        s->state = SH_ST_BEEP;
        break;
    case SH_ST_BEEP:
        start_recording(s, o, false);
        break;
    case SH_ST_RECORDING:
        /* shadow: the reference ended, so the learner's take ends too (the
         * audio layer keeps a short tail for the last word) */
        if (s->mode == SH_MODE_SHADOW)
            emit(s, o, SH_ACT_STOP_RECORD);
        break;
    case SH_ST_LOOPING:
        s->step_done = true;
        rest(s);
        break;
    case SH_ST_REVIEWING:
        if (s->review_ab) {
            s->review_ab = false;
            play_reference(s, o, SH_ST_REVIEWING, 1);
        } else {
            if (s->mode == SH_MODE_REVIEW)
                s->step_done = true;
            rest(s);
        }
        break;
    default:
        break;
    }
}

static void on_record_done(sh_session *s, const sh_session_event *ev, out_list *o)
{
    if (s->state != SH_ST_RECORDING || ev->seq != s->seq)
        return; /* a discarded take */
    if (s->mode == SH_MODE_SHADOW)
        emit(s, o, SH_ACT_STOP); /* the recording failed or was stopped first */
    if (!ev->ok) {
        rest(s);
        return;
    }
    s->have_take = true;
    s->await_seq = s->seq;
    emit(s, o, SH_ACT_SCORE);
    s->state = SH_ST_SCORING;
}

static void on_score_ready(sh_session *s, const sh_session_event *ev, out_list *o)
{
    size_t slot = ev->seq % (sizeof s->pending / sizeof s->pending[0]);
    struct sh_session_take *t = &s->pending[slot];
    if (ev->seq == 0 || t->seq != ev->seq)
        return; /* unknown or already stored */
    if (ev->ok) {
        sh_session_action *a = emit(s, o, SH_ACT_STORE);
        a->seq = t->seq;
        a->cue = t->cue;
        a->mode = t->mode;
        a->speed_pct = t->speed_pct;
        a->score = ev->score;
    }
    t->seq = 0;
    if (s->state != SH_ST_SCORING || ev->seq != s->await_seq)
        return; /* the learner moved on: stored, not shown */
    s->await_seq = 0;
    s->has_score = ev->ok;
    s->last_score = ev->ok ? ev->score : 0;
    s->step_done = true;
    rest(s);
    if (ev->ok && s->cfg.advance_at > 0) {
        if (ev->score >= s->cfg.advance_at)
            go_next(s, o);
        else
            start_step(s, o); /* auto-repeat: hear it again and retry */
    }
}

size_t sh_session_handle(sh_session *s, const sh_session_event *ev, sh_session_action *out)
{
    out_list o = {out, 0};
    if (s->quit)
        return 0;
    switch (ev->type) {
    case SH_EV_KEY:
        on_key(s, ev, &o);
        break;
    case SH_EV_PLAY_DONE:
        on_play_done(s, ev, &o);
        break;
    case SH_EV_RECORD_DONE:
        on_record_done(s, ev, &o);
        break;
    case SH_EV_SCORE_READY:
        on_score_ready(s, ev, &o);
        break;
    }
    return o.n;
}

size_t sh_session_key_press(sh_session *s, sh_session_key key, sh_session_action *out)
{
    sh_session_event ev = {.type = SH_EV_KEY, .key = key};
    return sh_session_handle(s, &ev, out);
}
