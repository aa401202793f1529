/* Speech-band energies and pitch (sh_features_compute) on synthetic
 * signals made in the test (tests/dsp/synth.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/synth.h"
#include "shadowing/envelope.h"
#include "shadowing/error.h"
#include "shadowing/features.h"

#define RATE 16000

static size_t count_voiced(const sh_features *f, size_t from, size_t to)
{
    size_t v = 0;
    for (size_t i = from; i < to && i < f->n; i++)
        v += f->f0_hz[i] > 0;
    return v;
}

/* Frames line up with sh_envelope: same count, and the onset of a burst
 * lands in the same frame. Levels on the sh_envelope scale. */
static void test_frames_and_levels(void **state)
{
    (void)state;
    sh_envelope_config ec = sh_envelope_config_init(RATE);
    const size_t lens[] = {1, 159, 160, 161, 400, 16000, 16001};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        float *x = calloc(lens[k], sizeof *x);
        sh_features f;
        assert_int_equal(sh_features_compute(NULL, x, lens[k], RATE, &f), SH_OK);
        assert_int_equal(f.n, sh_envelope_frame_count(&ec, lens[k]));
        for (size_t i = 0; i < f.n; i++) {
            assert_float_equal(f.band_db[i], -100.0f, 0);
            assert_float_equal(f.f0_hz[i], 0.0f, 0);
        }
        sh_features_free(&f);
        free(x);
    }
    /* 1 s of silence, 1 s of a sine, 1 s of silence: 500 Hz is low band,
     * 2 kHz high band; amplitude 1 is -3 dBFS in band_db as in the envelope. */
    const double freqs[] = {500, 1000, 2000};
    for (size_t k = 0; k < 3; k++) {
        size_t n = 3 * RATE;
        float *x = calloc(n, sizeof *x);
        for (size_t i = RATE; i < 2 * RATE; i++)
            x[i] = (float)sin(2 * M_PI * freqs[k] * (double)i / RATE);
        sh_features f;
        assert_int_equal(sh_features_compute(NULL, x, n, RATE, &f), SH_OK);
        float *env = malloc(f.n * sizeof *env);
        assert_int_equal(sh_envelope_compute(&ec, x, n, env, f.n), (long)f.n);
        assert_float_equal(f.band_db[150], env[150], 0.3);
        assert_float_equal(f.band_db[150], -3.01, 0.3);
        if (freqs[k] == 500) {
            assert_float_equal(f.low_db[150], -3.01, 0.3);
            assert_true(f.high_db[150] < -12);
        } else if (freqs[k] == 2000) {
            assert_float_equal(f.high_db[150], -3.01, 0.3);
            assert_true(f.low_db[150] < -12);
        } else { /* the crossover: half the power in each band */
            assert_float_equal(f.low_db[150], -6.02, 0.5);
            assert_float_equal(f.high_db[150], -6.02, 0.5);
        }
        /* Onset and offset: the first and last frames above -40 dB agree
         * with the envelope's within one frame. */
        size_t fa = 0, fb = 0, la = 0, lb = 0;
        for (size_t i = 0; i < f.n; i++) {
            if (f.band_db[i] > -40) {
                if (!fa)
                    fa = i;
                la = i;
            }
            if (env[i] > -40) {
                if (!fb)
                    fb = i;
                lb = i;
            }
        }
        assert_true(fa + 1 >= fb && fa <= fb + 1);
        assert_true(la + 1 >= lb && la <= lb + 1);
        free(env);
        sh_features_free(&f);
        free(x);
    }
}

/* A harmonic-rich glide 100 -> 300 Hz over 2 s: f0 within 1% of the
 * truth at each frame centre, nearly every frame voiced; at 16 and 8 kHz. */
static void check_glide(double rate, double fa, double fb)
{
    size_t n = (size_t)(2.4 * rate), from = (size_t)(0.2 * rate), to = (size_t)(2.2 * rate);
    float *x = calloc(n, sizeof *x);
    synth_vowel(x, from, to, rate, fa, fb, 0.2, 0);
    sh_features f;
    assert_int_equal(sh_features_compute(NULL, x, n, rate, &f), SH_OK);
    size_t hop = (size_t)(0.010 * rate), win = (size_t)(0.025 * rate), checked = 0, voiced = 0;
    double worst = 0;
    for (size_t i = 0; i < f.n; i++) {
        double c = (double)(i * hop + win / 2);
        if (c < (double)from + 0.03 * rate || c > (double)to - 0.03 * rate)
            continue;
        checked++;
        if (f.f0_hz[i] <= 0)
            continue;
        voiced++;
        double truth = synth_vowel_f0(from, to, fa, fb, c), err = fabs(f.f0_hz[i] - truth) / truth;
        if (err > worst)
            worst = err;
        assert_true(f.periodicity[i] > 0.7);
    }
    print_message("glide %.0f->%.0f Hz at %.0f Hz: %zu/%zu frames voiced, worst error %.3f%%\n", fa, fb,
                  rate, voiced, checked, worst * 100);
    assert_true(checked > 180);
    assert_true(voiced >= checked * 98 / 100);
    assert_true(worst < 0.01);
    sh_features_free(&f);
    free(x);
}

static void test_glide_pitch(void **state)
{
    (void)state;
    check_glide(16000, 100, 300);
    check_glide(16000, 300, 100);
    check_glide(16000, 70, 120);  /* a low male voice */
    check_glide(16000, 220, 450); /* a child */
    check_glide(8000, 100, 300);
}

/* Noise is aperiodic; a vowel in the same noise at 10 dB is voiced. */
static void test_voicing_noise_vs_vowel(void **state)
{
    (void)state;
    size_t n = 3 * RATE;
    float *noise = malloc(n * sizeof *noise), *x = calloc(n, sizeof *x);
    const enum synth_noise kinds[] = {SYNTH_WHITE, SYNTH_PINK, SYNTH_BROWN};
    for (size_t k = 0; k < 3; k++) {
        synth_noise(noise, n, kinds[k], 11 + (uint32_t)k);
        memset(x, 0, n * sizeof *x);
        synth_mix(x, noise, n, 0.1);
        sh_features f;
        assert_int_equal(sh_features_compute(NULL, x, n, RATE, &f), SH_OK);
        size_t v = count_voiced(&f, 0, f.n);
        print_message("noise %zu: %zu of %zu frames voiced\n", k, v, f.n);
        assert_true(v <= f.n / 50);
        sh_features_free(&f);
        /* Add a 1 s vowel 10 dB above the noise. */
        synth_vowel(x, RATE, 2 * RATE, RATE, 120, 160, 0.1 * pow(10, 10 / 20.0), 0);
        assert_int_equal(sh_features_compute(NULL, x, n, RATE, &f), SH_OK);
        size_t vv = count_voiced(&f, 103, 197);
        print_message("vowel in noise %zu: %zu of 94 frames voiced\n", k, vv);
        assert_true(vv >= 85);
        sh_features_free(&f);
    }
    free(noise);
    free(x);
}

/* Mains hum (50 or 60 Hz with harmonics): kept out of the band energy and
 * never reported as a voice. */
static void test_hum(void **state)
{
    (void)state;
    size_t n = 4 * RATE;
    float *x = malloc(n * sizeof *x);
    const double mains[] = {50, 60};
    sh_envelope_config ec = sh_envelope_config_init(RATE);
    float *env = malloc(sh_envelope_frame_count(&ec, n) * sizeof *env);
    for (size_t k = 0; k < 2; k++) {
        /* The fundamental and the next two harmonics (to 150/180 Hz): at
         * least 25 dB down in the band energy. */
        memset(x, 0, n * sizeof *x);
        synth_hum(x, n, RATE, mains[k], 3, 0.1);
        sh_features f;
        assert_int_equal(sh_features_compute(NULL, x, n, RATE, &f), SH_OK);
        sh_envelope_compute(&ec, x, n, env, f.n);
        print_message("hum %.0f Hz (3 harmonics): envelope %.1f dB, band %.1f dB\n", mains[k], (double)env[200],
                      (double)f.band_db[200]);
        assert_true(f.band_db[200] < env[200] - 25);
        sh_features_free(&f);
        /* Six harmonics (to 300/360 Hz, which the band keeps): still no
         * voice, though the hum is perfectly periodic. */
        memset(x, 0, n * sizeof *x);
        synth_hum(x, n, RATE, mains[k], 6, 0.1);
        assert_int_equal(sh_features_compute(NULL, x, n, RATE, &f), SH_OK);
        size_t v = count_voiced(&f, 0, f.n);
        float pmax = 0;
        for (size_t i = 0; i < f.n; i++)
            pmax = f.periodicity[i] > pmax ? f.periodicity[i] : pmax;
        print_message("hum %.0f Hz (6 harmonics): %zu voiced frames, periodicity at most %.2f\n", mains[k], v,
                      (double)pmax);
        assert_int_equal(v, 0);
        sh_features_free(&f);
    }
    /* A machine-steady harmonic tone: a drone from 1 s on, a voice (a held
     * vowel) below that. */
    const double secs[] = {0.6, 2.0};
    for (size_t k = 0; k < 2; k++) {
        memset(x, 0, n * sizeof *x);
        size_t len = (size_t)(secs[k] * RATE);
        synth_vowel(x, RATE / 2, RATE / 2 + len, RATE, 140, 140, 0.1, 0);
        sh_features f;
        assert_int_equal(sh_features_compute(NULL, x, n, RATE, &f), SH_OK);
        size_t v = count_voiced(&f, 0, f.n);
        print_message("steady 140 Hz for %.1f s: %zu voiced frames\n", secs[k], v);
        if (k == 0)
            assert_true(v >= (size_t)(secs[k] * 100) - 6);
        else
            assert_true(v <= 5);
        sh_features_free(&f);
    }
    free(env);
    free(x);
}

/* A recording through a telephone (300-3400 Hz, 8 kHz, back up to 16 kHz)
 * gives the same band_db contour as the full-band one. */
static void biquad_run_arr(float *x, size_t n, int high, double f0, double q, double rate)
{
    double w = 2 * M_PI * f0 / rate, cw = cos(w), al = sin(w) / (2 * q), a0 = 1 + al;
    double b0 = high ? (1 + cw) / 2 : (1 - cw) / 2, b1 = high ? -(1 + cw) : 1 - cw;
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (size_t i = 0; i < n; i++) {
        double y = (b0 * x[i] + b1 * x1 + b0 * x2 + 2 * cw * y1 - (1 - al) * y2) / a0;
        x2 = x1;
        x1 = x[i];
        y2 = y1;
        y1 = y;
        x[i] = (float)y;
    }
}

static void test_phone_band(void **state)
{
    (void)state;
    size_t n = 6 * RATE;
    float *x = calloc(n, sizeof *x), *noise = malloc(n * sizeof *noise);
    synth_rng r = {5};
    synth_noise(noise, n, SYNTH_WHITE, 9);
    /* Syllables: a vowel, sometimes after a fricative (white noise). */
    for (size_t pos = RATE / 4; pos + RATE / 2 < n;) {
        size_t len = (size_t)((0.12 + 0.08 * synth_uniform(&r)) * RATE);
        if (synth_uniform(&r) > 0) {
            size_t fl = RATE / 12;
            for (size_t i = 0; i < fl; i++)
                x[pos + i] += 0.03f * noise[pos + i];
            pos += fl;
        }
        double f = 150 + 50 * synth_uniform(&r), amp = 0.05 + 0.04 * synth_uniform(&r);
        synth_vowel(x, pos, pos + len, RATE, f, f * 0.9, amp, 0);
        pos += len + (size_t)((0.08 + 0.05 * synth_uniform(&r)) * RATE);
    }
    synth_mix(x, noise, n, 0.0005);
    /* Phone: 300-3400 Hz band (4th order each side), 8 kHz, then back to
     * 16 kHz by zero stuffing and the same low-pass (gain 2). */
    float *ph = malloc(n * sizeof *ph);
    memcpy(ph, x, n * sizeof *ph);
    biquad_run_arr(ph, n, 1, 300, 0.5412, RATE);
    biquad_run_arr(ph, n, 1, 300, 1.3066, RATE);
    for (int k = 0; k < 2; k++) {
        biquad_run_arr(ph, n, 0, 3400, 0.5412, RATE);
        biquad_run_arr(ph, n, 0, 3400, 1.3066, RATE);
        if (k == 0)
            for (size_t i = 0; i < n; i++)
                ph[i] = (i % 2) ? 0.0f : 2.0f * ph[i];
    }
    sh_features a, b;
    assert_int_equal(sh_features_compute(NULL, x, n, RATE, &a), SH_OK);
    assert_int_equal(sh_features_compute(NULL, ph, n, RATE, &b), SH_OK);
    assert_int_equal(a.n, b.n);
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, dmax = 0;
    size_t m = 0, loud = 0, off = 0;
    for (size_t i = 0; i < a.n; i++) {
        double u = a.band_db[i], v = b.band_db[i];
        sa += u, sb += v, saa += u * u, sbb += v * v, sab += u * v, m++;
        if (u > -40 && fabs(u - v) > dmax)
            dmax = fabs(u - v);
        if (u > -40) {
            loud++;
            off += fabs(u - v) > 2.0;
        }
    }
    double cov = sab / m - sa / m * sb / m, corr = cov / sqrt((saa / m - sa / m * sa / m) * (sbb / m - sb / m * sb / m));
    print_message("phone vs full band: band_db correlation %.4f; frames above -40 dB: %zu, %zu of them "
                  "more than 2 dB apart, worst %.2f dB\n", corr, loud, off, dmax);
    assert_true(corr > 0.98);
    assert_true(loud > 200);
    assert_true(off <= loud / 100);
    assert_true(dmax < 6.0);
    sh_features_free(&a);
    sh_features_free(&b);
    free(x);
    free(ph);
    free(noise);
}

static void test_deterministic(void **state)
{
    (void)state;
    size_t n = 3 * RATE + 77;
    float *x = calloc(n, sizeof *x), *noise = malloc(n * sizeof *noise);
    synth_noise(noise, n, SYNTH_PINK, 21);
    synth_mix(x, noise, n, 0.01);
    synth_vowel(x, 1000, 30000, RATE, 130, 180, 0.1, 0);
    sh_features a, b;
    assert_int_equal(sh_features_compute(NULL, x, n, RATE, &a), SH_OK);
    assert_int_equal(sh_features_compute(NULL, x, n, RATE, &b), SH_OK);
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.band_db, b.band_db, a.n * sizeof(float));
    assert_memory_equal(a.low_db, b.low_db, a.n * sizeof(float));
    assert_memory_equal(a.high_db, b.high_db, a.n * sizeof(float));
    assert_memory_equal(a.f0_hz, b.f0_hz, a.n * sizeof(float));
    assert_memory_equal(a.periodicity, b.periodicity, a.n * sizeof(float));
    sh_features_free(&a);
    sh_features_free(&b);
    free(x);
    free(noise);
}

static void assert_sane(const sh_features *f)
{
    for (size_t i = 0; i < f->n; i++) {
        assert_true(isfinite(f->band_db[i]) && isfinite(f->low_db[i]) && isfinite(f->high_db[i]));
        assert_true(f->band_db[i] >= -100.0f && f->band_db[i] < 100.0f);
        assert_true(f->f0_hz[i] == 0.0f || (f->f0_hz[i] > 50.0f && f->f0_hz[i] < 600.0f));
        assert_true(f->periodicity[i] >= 0.0f && f->periodicity[i] <= 1.0f);
    }
}

/* NaN, infinities, huge values, tiny and empty inputs: no crash, no NaN,
 * and bad arguments refused. */
static void test_robustness(void **state)
{
    (void)state;
    sh_features f;
    assert_int_equal(sh_features_compute(NULL, NULL, 0, RATE, &f), SH_OK);
    assert_int_equal(f.n, 0);
    assert_null(f.band_db);
    sh_features_free(&f);
    sh_features_free(&f); /* twice is fine */
    sh_features_free(NULL);
    assert_int_equal(sh_features_compute(NULL, NULL, 10, RATE, &f), SH_ERR_INVALID);
    float one = 0.5f;
    assert_int_equal(sh_features_compute(NULL, &one, 1, 44100, &f), SH_ERR_INVALID);
    assert_int_equal(sh_features_compute(NULL, &one, 1, RATE, NULL), SH_ERR_INVALID);
    sh_features_params p = sh_features_params_init();
    p.hop_s = 0;
    assert_int_equal(sh_features_compute(&p, &one, 1, RATE, &f), SH_ERR_INVALID);
    p = sh_features_params_init();
    p.f0_min_hz = NAN;
    assert_int_equal(sh_features_compute(&p, &one, 1, RATE, &f), SH_ERR_INVALID);

    const double rates[] = {8000, 16000, 32000};
    size_t n = RATE;
    float *x = malloc(n * sizeof *x);
    synth_rng r = {77};
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < n; i++) {
            double u = synth_uniform(&r);
            x[i] = u > 0.9 ? NAN : u > 0.8 ? INFINITY : u > 0.7 ? -INFINITY : u > 0.6 ? 1e30f : u > 0.5 ? -FLT_MAX : (float)u;
        }
        const size_t lens[] = {1, 2, 3, 7, 100, 399, n};
        for (size_t j = 0; j < sizeof lens / sizeof lens[0]; j++) {
            assert_int_equal(sh_features_compute(NULL, x, lens[j], rates[k], &f), SH_OK);
            assert_true(f.n >= 1);
            assert_sane(&f);
            sh_features_free(&f);
        }
    }
    /* Unusual but valid parameters. */
    p = sh_features_params_init();
    p.hop_s = 0.0123;
    p.window_s = 0.0311;
    memset(x, 0, n * sizeof *x);
    synth_vowel(x, 0, n, RATE, 150, 160, 0.1, 0);
    assert_int_equal(sh_features_compute(&p, x, n, RATE, &f), SH_OK);
    assert_int_equal(f.n, (n + 197 - 1) / 197);
    assert_sane(&f);
    assert_true(count_voiced(&f, 5, f.n - 5) > (f.n - 10) * 9 / 10);
    sh_features_free(&f);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_and_levels), cmocka_unit_test(test_glide_pitch),
        cmocka_unit_test(test_voicing_noise_vs_vowel), cmocka_unit_test(test_hum),
        cmocka_unit_test(test_phone_band), cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_robustness),
    };
    return cmocka_run_group_tests(tests, NULL, 0);
}
