/* Voice activity, pauses and normalisation on fixed envelopes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/analysis.h"
#include "shadowing/error.h"

/* Fill db[from..to) with level. */
static void fill(float *db, size_t from, size_t to, float level)
{
    for (size_t i = from; i < to; i++)
        db[i] = level;
}

static void test_silence_and_steady_noise(void **state)
{
    (void)state;
    sh_vad_params p = sh_vad_params_init();
    float db[300];
    uint8_t mask[300];
    sh_vad_result r;
    fill(db, 0, 300, -100.0f); /* digital silence */
    assert_int_equal(sh_vad(&p, db, 300, mask, &r), SH_OK);
    assert_false(r.speech);
    assert_int_equal(r.first, 0);
    assert_int_equal(r.end, 0);
    assert_int_equal(r.voiced, 0);
    for (size_t i = 0; i < 300; i++)
        assert_int_equal(mask[i], 0);
    /* Steady noise with a little ripple: nothing rises 15 dB out of it. */
    for (size_t i = 0; i < 300; i++)
        db[i] = -30.0f + (float)(i % 7);
    assert_int_equal(sh_vad(&p, db, 300, mask, &r), SH_OK);
    assert_false(r.speech);
    /* Loud enough contrast but far too quiet overall: no speech. */
    fill(db, 0, 300, -100.0f);
    fill(db, 100, 200, -70.0f);
    assert_int_equal(sh_vad(&p, db, 300, mask, &r), SH_OK);
    assert_false(r.speech);
}

static void test_speech_span_and_pause(void **state)
{
    (void)state;
    sh_vad_params p = sh_vad_params_init();
    float db[320];
    uint8_t mask[320];
    sh_vad_result r;
    /* 50 frames of room noise, 100 of speech, a 200 ms pause, 100 of
     * speech, 50 of noise. */
    fill(db, 0, 320, -80.0f);
    fill(db, 50, 150, -20.0f);
    fill(db, 170, 270, -20.0f);
    assert_int_equal(sh_vad(&p, db, 320, mask, &r), SH_OK);
    assert_true(r.speech);
    assert_float_equal(r.noise_db, -80.0f, 1e-6);
    assert_float_equal(r.peak_db, -20.0f, 1e-6);
    /* Thresholds 30% and 20% of the way up: -62 and -68 dB. */
    assert_float_equal(r.on_db, -62.0f, 1e-4);
    assert_float_equal(r.off_db, -68.0f, 1e-4);
    assert_int_equal(r.first, 50);
    assert_int_equal(r.end, 270);
    assert_int_equal(r.voiced, 200);
    assert_int_equal(r.pauses, 1);
    sh_span sp[2];
    assert_int_equal(sh_vad_pauses(mask, r.first, r.end, sp, 2), 1);
    assert_int_equal(sp[0].begin, 150);
    assert_int_equal(sp[0].end, 170);
    /* snprintf style: the count even when out is too small. */
    assert_int_equal(sh_vad_pauses(mask, r.first, r.end, NULL, 0), 1);
}

static void test_short_gap_filled_click_dropped(void **state)
{
    (void)state;
    sh_vad_params p = sh_vad_params_init();
    float db[400];
    uint8_t mask[400];
    sh_vad_result r;
    fill(db, 0, 400, -80.0f);
    fill(db, 50, 150, -20.0f);
    fill(db, 160, 260, -20.0f); /* a 100 ms gap: a stop, not a pause */
    fill(db, 350, 353, -20.0f); /* a 30 ms click long after the speech */
    assert_int_equal(sh_vad(&p, db, 400, mask, &r), SH_OK);
    assert_true(r.speech);
    assert_int_equal(r.first, 50);
    assert_int_equal(r.end, 260);
    assert_int_equal(r.pauses, 0);
    assert_int_equal(r.voiced, 210);
    assert_int_equal(mask[155], 1);
    assert_int_equal(mask[351], 0);
}

static void test_hysteresis_keeps_rising_edge(void **state)
{
    (void)state;
    sh_vad_params p = sh_vad_params_init();
    float db[200];
    uint8_t mask[200];
    sh_vad_result r;
    fill(db, 0, 200, -80.0f);
    /* A ramp: -66 dB is above `off` (-68) but below `on` (-62), so it only
     * counts as the onset of the run that follows. */
    fill(db, 40, 45, -66.0f);
    fill(db, 45, 120, -20.0f);
    fill(db, 120, 130, -66.0f); /* decay: still above off, stays voiced */
    assert_int_equal(sh_vad(&p, db, 200, mask, &r), SH_OK);
    assert_int_equal(r.first, 40);
    assert_int_equal(r.end, 130);
}

/* 1 s of speech in 29 s of room noise: under 5% of the frames, yet it
 * sets the speech level and is found. */
static void test_short_answer_in_long_silence(void **state)
{
    (void)state;
    sh_vad_params p = sh_vad_params_init();
    enum { N = 3000 };
    float *db = malloc(N * sizeof *db);
    uint8_t *mask = malloc(N);
    sh_vad_result r;
    for (size_t i = 0; i < N; i++)
        db[i] = -70.0f + (float)(i % 3); /* -70..-68 */
    fill(db, 1500, 1600, -25.0f);
    assert_int_equal(sh_vad(&p, db, N, mask, &r), SH_OK);
    assert_true(r.speech);
    assert_float_equal(r.peak_db, -25.0f, 1e-6);
    assert_int_equal(r.first, 1500);
    assert_int_equal(r.end, 1600);
    /* A door slam of 40 ms is dropped: still no speech. */
    fill(db, 1500, 1600, -70.0f);
    fill(db, 2000, 2004, -10.0f);
    assert_int_equal(sh_vad(&p, db, N, mask, &r), SH_OK);
    assert_false(r.speech);
    free(db);
    free(mask);
}

/* An edited-in gap of digital silence must not pull the noise floor below
 * the room's noise, or the room would count as speech. */
static void test_digital_silence_left_out(void **state)
{
    (void)state;
    sh_vad_params p = sh_vad_params_init();
    float db[500];
    uint8_t mask[500];
    sh_vad_result r;
    fill(db, 0, 500, -60.0f);   /* room noise */
    fill(db, 100, 200, -20.0f); /* speech */
    fill(db, 200, 350, -100.0f); /* 1.5 s of exact zeros */
    fill(db, 350, 450, -20.0f); /* speech */
    assert_int_equal(sh_vad(&p, db, 500, mask, &r), SH_OK);
    assert_float_equal(r.noise_db, -60.0f, 1e-6);
    assert_float_equal(r.floor_db, -100.0f, 1e-6);
    assert_true(r.speech);
    assert_int_equal(r.first, 100);
    assert_int_equal(r.end, 450);
    assert_int_equal(mask[50], 0);  /* the room is not speech */
    assert_int_equal(mask[470], 0);
    assert_int_equal(r.pauses, 1);
}

static void test_edge_inputs(void **state)
{
    (void)state;
    sh_vad_params p = sh_vad_params_init();
    sh_vad_result r;
    uint8_t m[1];
    float one = -20.0f;
    assert_int_equal(sh_vad(&p, NULL, 0, NULL, &r), SH_OK);
    assert_false(r.speech);
    /* One frame: floor == peak, no contrast, no speech. */
    assert_int_equal(sh_vad(&p, &one, 1, m, &r), SH_OK);
    assert_false(r.speech);
    assert_int_equal(sh_vad(NULL, &one, 1, m, &r), SH_ERR_INVALID);
    assert_int_equal(sh_vad(&p, &one, 1, NULL, &r), SH_ERR_INVALID);
    sh_vad_params bad = p;
    bad.off_ratio = 0.5f; /* above on_ratio */
    assert_int_equal(sh_vad(&bad, &one, 1, m, &r), SH_ERR_INVALID);
}

static void test_deterministic(void **state)
{
    (void)state;
    sh_vad_params p = sh_vad_params_init();
    enum { N = 5000 };
    float *db = malloc(N * sizeof *db);
    uint8_t *m1 = malloc(N), *m2 = malloc(N);
    uint32_t s = 12345;
    for (size_t i = 0; i < N; i++) {
        s = s * 1664525u + 1013904223u;
        db[i] = -90.0f + 80.0f * (float)(s >> 8) / 16777216.0f * (float)((i / 37) % 2);
    }
    sh_vad_result a, b;
    assert_int_equal(sh_vad(&p, db, N, m1, &a), SH_OK);
    assert_int_equal(sh_vad(&p, db, N, m2, &b), SH_OK);
    assert_memory_equal(m1, m2, N);
    assert_memory_equal(&a, &b, sizeof a);
    free(db);
    free(m1);
    free(m2);
}

static void test_normalize(void **state)
{
    (void)state;
    float db[5] = {-100, -60, -40, -20, 0}, out[5];
    sh_envelope_normalize(db, 5, -60.0f, -20.0f, 1, out);
    assert_float_equal(out[0], 0.0f, 1e-6);
    assert_float_equal(out[1], 0.0f, 1e-6);
    assert_float_equal(out[2], 0.5f, 1e-6);
    assert_float_equal(out[3], 1.0f, 1e-6);
    assert_float_equal(out[4], 1.0f, 1e-6);
    /* Three-frame centred average, shorter at the edges. */
    float step[4] = {-60, -60, -20, -20}, sm[4];
    sh_envelope_normalize(step, 4, -60.0f, -20.0f, 3, sm);
    assert_float_equal(sm[0], 0.0f, 1e-6);
    assert_float_equal(sm[1], 1.0f / 3.0f, 1e-6);
    assert_float_equal(sm[2], 2.0f / 3.0f, 1e-6);
    assert_float_equal(sm[3], 1.0f, 1e-6);
    /* floor == peak: a step at the level. */
    sh_envelope_normalize(db, 5, -40.0f, -40.0f, 1, out);
    assert_float_equal(out[1], 0.0f, 1e-6);
    assert_float_equal(out[2], 1.0f, 1e-6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_silence_and_steady_noise),
        cmocka_unit_test(test_speech_span_and_pause),
        cmocka_unit_test(test_short_gap_filled_click_dropped),
        cmocka_unit_test(test_hysteresis_keeps_rising_edge),
        cmocka_unit_test(test_short_answer_in_long_silence),
        cmocka_unit_test(test_digital_silence_left_out),
        cmocka_unit_test(test_edge_inputs),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
