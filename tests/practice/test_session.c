/* Unit tests: the practice session's state machine, without a screen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "shadowing/session.h"

typedef struct run {
    sh_session s;
    sh_session_action a[SH_SESSION_MAX_ACTIONS];
    size_t n;
} run;

static void setup_run(run *r, size_t cues, sh_practice_mode mode, double advance_at)
{
    sh_session_config c = sh_session_config_init(cues);
    c.mode = mode;
    c.advance_at = advance_at;
    sh_session_init(&r->s, &c);
    r->n = 0;
}

static void key(run *r, sh_session_key k)
{
    r->n = sh_session_key_press(&r->s, k, r->a);
    assert_true(r->n <= SH_SESSION_MAX_ACTIONS);
}

static void ev(run *r, sh_event_type t, unsigned seq, bool ok, double score)
{
    sh_session_event e = {.type = t, .seq = seq, .ok = ok, .score = score, .play = r->s.play};
    r->n = sh_session_handle(&r->s, &e, r->a);
}

static const sh_session_action *find(const run *r, sh_action_type t)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->a[i].type == t)
            return &r->a[i];
    return NULL;
}

/* find() that fails the test instead of returning NULL. */
__attribute__((returns_nonnull)) static const sh_session_action *get(const run *r, sh_action_type t)
{
    const sh_session_action *a = find(r, t);
    if (!a)
        fail_msg("action %d not emitted", (int)t);
    return a ? a : &r->a[0];
}

static size_t count(const run *r, sh_action_type t)
{
    size_t c = 0;
    for (size_t i = 0; i < r->n; i++)
        c += r->a[i].type == t;
    return c;
}

/* The full listen-and-repeat cycle: play, beep, record, score, show. */
static void test_repeat_cycle(void **state)
{
    (void)state;
    run r;
    setup_run(&r, 3, SH_MODE_REPEAT, 0);
    assert_int_equal(r.s.state, SH_ST_IDLE);
    key(&r, SH_KEY_STEP);
    assert_int_equal(r.s.state, SH_ST_PLAYING);
    const sh_session_action *p = get(&r, SH_ACT_PLAY_REF);
    assert_int_equal(p->cue, 0);
    assert_int_equal(p->loops, 1);
    assert_int_equal(p->speed_pct, 100);

    ev(&r, SH_EV_PLAY_DONE, 0, true, 0);
    assert_int_equal(r.s.state, SH_ST_BEEP);
    assert_non_null(find(&r, SH_ACT_PLAY_BEEP));
    ev(&r, SH_EV_PLAY_DONE, 0, true, 0);
    assert_int_equal(r.s.state, SH_ST_RECORDING);
    const sh_session_action *rec = get(&r, SH_ACT_RECORD);
    assert_false(rec->with_play);
    unsigned seq = rec->seq;
    assert_true(seq > 0);

    key(&r, SH_KEY_STEP); /* Enter: I am done speaking */
    const sh_session_action *st = get(&r, SH_ACT_STOP_RECORD);
    assert_false(st->discard);
    assert_int_equal(r.s.state, SH_ST_RECORDING); /* until the take is closed */
    ev(&r, SH_EV_RECORD_DONE, seq, true, 0);
    assert_int_equal(r.s.state, SH_ST_SCORING);
    assert_non_null(find(&r, SH_ACT_SCORE));
    ev(&r, SH_EV_SCORE_READY, seq, true, 81.5);
    assert_int_equal(r.s.state, SH_ST_SHOWING);
    const sh_session_action *store = get(&r, SH_ACT_STORE);
    assert_int_equal(store->cue, 0);
    assert_int_equal(store->seq, seq);
    assert_int_equal(store->mode, SH_MODE_REPEAT);
    assert_true(store->score == 81.5);
    assert_true(r.s.has_score);
    assert_true(r.s.last_score == 81.5);
    /* the same score again is not stored twice */
    ev(&r, SH_EV_SCORE_READY, seq, true, 81.5);
    assert_null(find(&r, SH_ACT_STORE));

    /* Enter on the card goes on to the next paragraph and plays it */
    key(&r, SH_KEY_STEP);
    assert_int_equal(r.s.cue, 1);
    assert_non_null(find(&r, SH_ACT_SAVE_POSITION));
    p = get(&r, SH_ACT_PLAY_REF);
    assert_int_equal(p->cue, 1);
    assert_false(r.s.has_score);
}

static void test_stale_play_done_ignored(void **state)
{
    (void)state;
    run r;
    setup_run(&r, 3, SH_MODE_REPEAT, 0);
    key(&r, SH_KEY_STEP);
    unsigned old = r.s.play;
    key(&r, SH_KEY_NEXT); /* replaces the playback */
    assert_int_not_equal(r.s.play, old);
    sh_session_event e = {.type = SH_EV_PLAY_DONE, .play = old};
    r.n = sh_session_handle(&r.s, &e, r.a);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.s.state, SH_ST_PLAYING);
}

/* Navigating away while recording discards the take; its late RECORD_DONE
 * changes nothing. */
static void test_navigation_discards_recording(void **state)
{
    (void)state;
    run r;
    setup_run(&r, 3, SH_MODE_REPEAT, 0);
    key(&r, SH_KEY_RECORD);
    assert_int_equal(r.s.state, SH_ST_BEEP);
    ev(&r, SH_EV_PLAY_DONE, 0, true, 0);
    assert_int_equal(r.s.state, SH_ST_RECORDING);
    unsigned seq = r.s.seq;
    key(&r, SH_KEY_NEXT);
    const sh_session_action *st = get(&r, SH_ACT_STOP_RECORD);
    assert_true(st->discard);
    assert_int_equal(st->seq, seq);
    assert_int_equal(r.s.cue, 1);
    assert_int_equal(r.s.state, SH_ST_PLAYING);
    ev(&r, SH_EV_RECORD_DONE, seq, true, 0);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.s.state, SH_ST_PLAYING);
}

/* A score that arrives after the learner moved on is stored for the
 * paragraph it belongs to, but the card is not shown on the new one. */
static void test_stale_score_stored_not_shown(void **state)
{
    (void)state;
    run r;
    setup_run(&r, 3, SH_MODE_REPEAT, 0);
    key(&r, SH_KEY_RECORD);
    ev(&r, SH_EV_PLAY_DONE, 0, true, 0);
    unsigned seq = r.s.seq;
    key(&r, SH_KEY_PAUSE); /* space stops the recording, keeping it */
    assert_false(get(&r, SH_ACT_STOP_RECORD)->discard);
    ev(&r, SH_EV_RECORD_DONE, seq, true, 0);
    assert_int_equal(r.s.state, SH_ST_SCORING);
    key(&r, SH_KEY_NEXT);
    assert_int_equal(r.s.cue, 1);
    ev(&r, SH_EV_SCORE_READY, seq, true, 42);
    const sh_session_action *store = get(&r, SH_ACT_STORE);
    assert_int_equal(store->cue, 0);
    assert_false(r.s.has_score);
    assert_int_equal(r.s.state, SH_ST_PLAYING);
}

static void test_failed_recording_and_score(void **state)
{
    (void)state;
    run r;
    setup_run(&r, 2, SH_MODE_REPEAT, 0);
    key(&r, SH_KEY_RECORD);
    key(&r, SH_KEY_STEP); /* skip the beep */
    assert_int_equal(r.s.state, SH_ST_RECORDING);
    ev(&r, SH_EV_RECORD_DONE, r.s.seq, false, 0);
    assert_int_equal(r.s.state, SH_ST_IDLE);
    assert_null(find(&r, SH_ACT_SCORE));
    key(&r, SH_KEY_RECORD);
    key(&r, SH_KEY_STEP);
    ev(&r, SH_EV_RECORD_DONE, r.s.seq, true, 0);
    ev(&r, SH_EV_SCORE_READY, r.s.seq, false, 0);
    assert_null(find(&r, SH_ACT_STORE));
    assert_int_equal(r.s.state, SH_ST_IDLE);
}

static void score_take(run *r, double score)
{
    while (r->s.state != SH_ST_RECORDING)
        ev(r, SH_EV_PLAY_DONE, 0, true, 0);
    key(r, SH_KEY_STEP);
    ev(r, SH_EV_RECORD_DONE, r->s.seq, true, 0);
    ev(r, SH_EV_SCORE_READY, r->s.seq, true, score);
}

static void test_advance_at(void **state)
{
    (void)state;
    run r;
    setup_run(&r, 2, SH_MODE_REPEAT, 70);
    key(&r, SH_KEY_STEP);
    score_take(&r, 55); /* below: the same paragraph plays again */
    assert_non_null(find(&r, SH_ACT_STORE));
    assert_int_equal(r.s.cue, 0);
    assert_int_equal(r.s.state, SH_ST_PLAYING);
    assert_int_equal(get(&r, SH_ACT_PLAY_REF)->cue, 0);
    score_take(&r, 70); /* reached: on to the next */
    assert_int_equal(r.s.cue, 1);
    assert_int_equal(r.s.state, SH_ST_PLAYING);
    assert_non_null(find(&r, SH_ACT_SAVE_POSITION));
    score_take(&r, 90); /* the last one: finished */
    assert_non_null(find(&r, SH_ACT_FINISHED));
    assert_true(r.s.finished);
    assert_int_equal(r.s.cue, 1);
}

static void test_shadow_mode(void **state)
{
    (void)state;
    run r;
    setup_run(&r, 2, SH_MODE_SHADOW, 0);
    key(&r, SH_KEY_STEP);
    assert_non_null(find(&r, SH_ACT_PLAY_REF));
    const sh_session_action *rec = get(&r, SH_ACT_RECORD);
    assert_true(rec->with_play);
    assert_int_equal(r.s.state, SH_ST_RECORDING);
    ev(&r, SH_EV_PLAY_DONE, 0, true, 0); /* the reference ended: the take ends too */
    assert_non_null(find(&r, SH_ACT_STOP_RECORD));
    ev(&r, SH_EV_RECORD_DONE, r.s.seq, true, 0);
    ev(&r, SH_EV_SCORE_READY, r.s.seq, true, 60);
    assert_int_equal(get(&r, SH_ACT_STORE)->mode, SH_MODE_SHADOW);
    /* navigating while shadowing stops both */
    key(&r, SH_KEY_RECORD);
    assert_int_equal(r.s.state, SH_ST_RECORDING);
    key(&r, SH_KEY_NEXT);
    assert_true(get(&r, SH_ACT_STOP_RECORD)->discard);
    assert_non_null(find(&r, SH_ACT_STOP));
}

static void test_loop_mode(void **state)
{
    (void)state;
    run r;
    setup_run(&r, 2, SH_MODE_LOOP, 0);
    assert_int_equal(r.s.loops, 3);
    key(&r, SH_KEY_STEP);
    assert_int_equal(r.s.state, SH_ST_LOOPING);
    assert_int_equal(get(&r, SH_ACT_PLAY_REF)->loops, 3);
    assert_null(find(&r, SH_ACT_RECORD));
    key(&r, SH_KEY_LOOPS); /* 3 -> 5, changed while looping */
    assert_int_equal(r.s.loops, 5);
    assert_int_equal(get(&r, SH_ACT_SET_LOOPS)->loops, 5);
    key(&r, SH_KEY_LOOPS);
    key(&r, SH_KEY_LOOPS);
    assert_int_equal(r.s.loops, 0); /* endless */
    key(&r, SH_KEY_LOOPS);
    assert_int_equal(r.s.loops, 1);
    key(&r, SH_KEY_PAUSE);
    assert_true(r.s.paused);
    assert_non_null(find(&r, SH_ACT_PAUSE));
    key(&r, SH_KEY_PAUSE);
    assert_false(r.s.paused);
    assert_non_null(find(&r, SH_ACT_RESUME));
    ev(&r, SH_EV_PLAY_DONE, 0, true, 0);
    assert_int_equal(r.s.state, SH_ST_IDLE);
    key(&r, SH_KEY_STEP); /* the step ran: Enter goes on */
    assert_int_equal(r.s.cue, 1);
    assert_int_equal(r.s.state, SH_ST_LOOPING);
}

static void test_review_ab(void **state)
{
    (void)state;
    run r;
    setup_run(&r, 2, SH_MODE_REPEAT, 0);
    key(&r, SH_KEY_MY_TAKE); /* no take yet: nothing */
    assert_int_equal(r.n, 0);
    key(&r, SH_KEY_STEP);
    score_take(&r, 50);
    unsigned seq = r.s.seq;
    key(&r, SH_KEY_MY_TAKE);
    assert_int_equal(get(&r, SH_ACT_PLAY_TAKE)->seq, seq);
    assert_int_equal(r.s.state, SH_ST_REVIEWING);
    ev(&r, SH_EV_PLAY_DONE, 0, true, 0);
    assert_int_equal(r.s.state, SH_ST_SHOWING);
    key(&r, SH_KEY_MODE); /* repeat -> shadow -> loop -> review */
    key(&r, SH_KEY_MODE);
    key(&r, SH_KEY_MODE);
    assert_int_equal(r.s.mode, SH_MODE_REVIEW);
    key(&r, SH_KEY_STEP);
    assert_non_null(find(&r, SH_ACT_PLAY_TAKE));
    ev(&r, SH_EV_PLAY_DONE, 0, true, 0);
    assert_non_null(find(&r, SH_ACT_PLAY_REF)); /* B follows A */
    assert_int_equal(r.s.state, SH_ST_REVIEWING);
    ev(&r, SH_EV_PLAY_DONE, 0, true, 0);
    assert_int_equal(r.s.state, SH_ST_SHOWING);
    key(&r, SH_KEY_REFERENCE);
    assert_non_null(find(&r, SH_ACT_PLAY_REF));
}

static void test_speed_limits_and_steps(void **state)
{
    (void)state;
    run r;
    setup_run(&r, 1, SH_MODE_REPEAT, 0);
    key(&r, SH_KEY_SLOWER);
    assert_int_equal(r.s.speed_pct, 95);
    assert_int_equal(get(&r, SH_ACT_SET_SPEED)->speed_pct, 95);
    for (int i = 0; i < 30; i++)
        key(&r, SH_KEY_SLOWER);
    assert_int_equal(r.s.speed_pct, 50);
    assert_int_equal(r.n, 0); /* no change at the limit */
    for (int i = 0; i < 30; i++)
        key(&r, SH_KEY_FASTER);
    assert_int_equal(r.s.speed_pct, 150);
    /* config values are clamped and rounded to the 5 % grid */
    sh_session_config c = sh_session_config_init(1);
    c.speed_pct = 83;
    sh_session_init(&r.s, &c);
    assert_int_equal(r.s.speed_pct, 85);
    c.speed_pct = 300;
    sh_session_init(&r.s, &c);
    assert_int_equal(r.s.speed_pct, 150);
    /* the recorded speed goes with the stored attempt */
    key(&r, SH_KEY_SLOWER);
    key(&r, SH_KEY_STEP);
    score_take(&r, 10);
    assert_int_equal(get(&r, SH_ACT_STORE)->speed_pct, 145);
}

static void test_toggles_goto_quit(void **state)
{
    (void)state;
    run r;
    setup_run(&r, 5, SH_MODE_REPEAT, 0);
    assert_true(r.s.translation);
    key(&r, SH_KEY_TRANSLATION);
    assert_false(r.s.translation);
    assert_int_equal(r.n, 0);
    key(&r, SH_KEY_VOCABULARY);
    assert_true(r.s.vocabulary);
    key(&r, SH_KEY_HELP);
    assert_true(r.s.help);
    sh_session_event e = {.type = SH_EV_KEY, .key = SH_KEY_GOTO, .cue = 3};
    r.n = sh_session_handle(&r.s, &e, r.a);
    assert_int_equal(r.s.cue, 3);
    assert_int_equal(get(&r, SH_ACT_SAVE_POSITION)->cue, 3);
    e.cue = 5; /* out of range: ignored */
    r.n = sh_session_handle(&r.s, &e, r.a);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.s.cue, 3);
    key(&r, SH_KEY_NEXT);
    key(&r, SH_KEY_NEXT); /* past the end: stays */
    assert_int_equal(r.s.cue, 4);
    key(&r, SH_KEY_QUIT);
    assert_non_null(find(&r, SH_ACT_QUIT));
    assert_int_equal(count(&r, SH_ACT_STOP), 1); /* it was playing */
    key(&r, SH_KEY_STEP); /* nothing after quit */
    assert_int_equal(r.n, 0);
}

static void test_names_and_start(void **state)
{
    (void)state;
    sh_practice_mode m;
    for (int i = 0; i < SH_MODE_COUNT_; i++) {
        assert_true(sh_practice_mode_parse(sh_practice_mode_name((sh_practice_mode)i), &m));
        assert_int_equal(m, i);
    }
    assert_false(sh_practice_mode_parse("karaoke", &m));
    assert_string_equal(sh_session_state_name(SH_ST_SCORING), "scoring");
    sh_session_config c = sh_session_config_init(4);
    c.start_cue = 9;
    sh_session s;
    sh_session_init(&s, &c);
    assert_int_equal(s.cue, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeat_cycle),
        cmocka_unit_test(test_stale_play_done_ignored),
        cmocka_unit_test(test_navigation_discards_recording),
        cmocka_unit_test(test_stale_score_stored_not_shown),
        cmocka_unit_test(test_failed_recording_and_score),
        cmocka_unit_test(test_advance_at),
        cmocka_unit_test(test_shadow_mode),
        cmocka_unit_test(test_loop_mode),
        cmocka_unit_test(test_review_ab),
        cmocka_unit_test(test_speed_limits_and_steps),
        cmocka_unit_test(test_toggles_goto_quit),
        cmocka_unit_test(test_names_and_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
