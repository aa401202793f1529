/* Envelope tests on fixed arrays with known values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "shadowing/envelope.h"
#include "shadowing/error.h"

/* rate 1000 Hz: window 25 samples, hop 10 samples. */
static sh_envelope_config cfg1k(void)
{
    return sh_envelope_config_init(1000);
}

static void test_sizes(void **state)
{
    (void)state;
    sh_envelope_config c = cfg1k();
    assert_int_equal(sh_envelope_hop_samples(&c), 10);
    assert_int_equal(sh_envelope_window_samples(&c), 25);
    assert_int_equal(sh_envelope_frame_count(&c, 0), 0);
    assert_int_equal(sh_envelope_frame_count(&c, 1), 1);
    assert_int_equal(sh_envelope_frame_count(&c, 10), 1);
    assert_int_equal(sh_envelope_frame_count(&c, 11), 2);
    sh_envelope_config c16 = sh_envelope_config_init(16000);
    assert_int_equal(sh_envelope_hop_samples(&c16), 160);
    assert_int_equal(sh_envelope_window_samples(&c16), 400);
}

static void test_constant_levels(void **state)
{
    (void)state;
    sh_envelope_config c = cfg1k();
    float x[100], out[10];
    /* Full-scale square wave (|x| = 1): 0 dB in every complete frame. */
    for (int i = 0; i < 100; i++)
        x[i] = (i & 1) ? 1.0f : -1.0f;
    assert_int_equal(sh_envelope_compute(&c, x, 100, out, 10), 10);
    for (int k = 0; k < 8; k++) /* frames 0..7 are complete (start+25 <= 100) */
        assert_float_equal(out[k], 0.0f, 1e-5);
    /* Frame 8 starts at 80: 20 of 25 samples, zero-padded: 10log10(20/25). */
    assert_float_equal(out[8], (float)(10.0 * log10(20.0 / 25.0)), 1e-4);
    assert_float_equal(out[9], (float)(10.0 * log10(10.0 / 25.0)), 1e-4);
    /* Amplitude 0.1: -20 dB. */
    for (int i = 0; i < 100; i++)
        x[i] = 0.1f;
    sh_envelope_compute(&c, x, 100, out, 10);
    assert_float_equal(out[3], -20.0f, 1e-4);
    /* Digital silence is clamped to the floor. */
    for (int i = 0; i < 100; i++)
        x[i] = 0.0f;
    sh_envelope_compute(&c, x, 100, out, 10);
    for (int k = 0; k < 10; k++)
        assert_float_equal(out[k], -100.0f, 1e-6);
}

static void test_step_is_localised(void **state)
{
    (void)state;
    sh_envelope_config c = cfg1k();
    float x[200] = {0}, out[20];
    for (int i = 100; i < 200; i++)
        x[i] = 0.5f;
    assert_int_equal(sh_envelope_compute(&c, x, 200, out, 20), 20);
    /* Frames wholly before 100 (start + 25 <= 100: k <= 7) are silent. */
    for (int k = 0; k <= 7; k++)
        assert_float_equal(out[k], -100.0f, 1e-6);
    /* Frame 8 covers 80..104: 5 samples of 0.25 energy. */
    assert_float_equal(out[8], (float)(10.0 * log10(5 * 0.25 / 25.0)), 1e-4);
    /* Frames 10..17 are wholly inside the tone: 10log10(0.25). */
    for (int k = 10; k <= 17; k++)
        assert_float_equal(out[k], (float)(10.0 * log10(0.25)), 1e-4);
}

/* Streaming in odd-sized blocks with a tiny output buffer gives exactly the
 * frames of a one-shot computation: the flow contract holds. */
static void test_streaming_equals_oneshot(void **state)
{
    (void)state;
    sh_envelope_config c = sh_envelope_config_init(8000);
    enum { N = 12345 };
    float *x = malloc(N * sizeof *x);
    unsigned s = 1;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        x[i] = (float)((int)(s >> 16 & 0x7fff) - 16384) / 32768.0f * (float)(i % 3000) / 3000.0f;
    }
    size_t nf = sh_envelope_frame_count(&c, N);
    float *ref = malloc(nf * sizeof *ref), *got = malloc(nf * sizeof *got);
    assert_int_equal(sh_envelope_compute(&c, x, N, ref, nf), (long)nf);

    sh_envelope env;
    assert_int_equal(sh_envelope_init(&env, &c), SH_OK);
    size_t pos = 0, made = 0, block = 1;
    while (pos < N) {
        size_t n_in = block < N - pos ? block : N - pos;
        size_t n_out = 2; /* deliberately small */
        if (made + n_out > nf)
            n_out = nf - made;
        sh_envelope_flow(&env, x + pos, &n_in, got + made, &n_out);
        pos += n_in;
        made += n_out;
        block = block * 7 % 997 + 1;
    }
    while (made < nf) {
        size_t d = sh_envelope_drain(&env, got + made, 3);
        assert_true(d > 0);
        made += d;
    }
    assert_int_equal(sh_envelope_drain(&env, got, 1), 0);
    sh_envelope_uninit(&env);
    for (size_t k = 0; k < nf; k++)
        assert_true(ref[k] == got[k]); /* bit for bit */
    free(x);
    free(ref);
    free(got);
}

static void test_edge_cases(void **state)
{
    (void)state;
    sh_envelope_config c = cfg1k();
    float out[4];
    float one = 1.0f;
    /* Empty input: no frames. One sample: one frame of 1/25 energy. */
    assert_int_equal(sh_envelope_compute(&c, NULL, 0, out, 4), 0);
    assert_int_equal(sh_envelope_compute(&c, &one, 1, out, 4), 1);
    assert_float_equal(out[0], (float)(10.0 * log10(1.0 / 25.0)), 1e-4);
    /* Too small an output buffer and bad configs are refused. */
    float x[30] = {0};
    assert_int_equal(sh_envelope_compute(&c, x, 30, out, 2), SH_ERR_INVALID);
    sh_envelope_config bad = c;
    bad.rate = 0;
    assert_int_equal(sh_envelope_compute(&bad, x, 30, out, 4), SH_ERR_INVALID);
    bad = c;
    bad.hop_s = 0.0;
    assert_int_equal(sh_envelope_compute(&bad, x, 30, out, 4), SH_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_constant_levels),
        cmocka_unit_test(test_step_is_localised),
        cmocka_unit_test(test_streaming_equals_oneshot),
        cmocka_unit_test(test_edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
