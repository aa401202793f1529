/* Speech detection and syllable nuclei (speech.h) on synthetic recordings:
 * syllable trains in fan noise and hum, with breath, a cough and clicks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/synth.h"
#include "shadowing/analysis.h"
#include "shadowing/error.h"
#include "shadowing/features.h"
#include "shadowing/speech.h"

#define RATE 16000
#define SEC(s) ((size_t)((s) * RATE))

/* The clean take: 3 groups of 4 syllables (0.2 s each, 5 Hz), 0.35 s
 * pauses between, from `start` s. Speech frames [first, end). */
typedef struct take {
    float *x;
    size_t n, first, end, speech; /* truth, frames */
    double rms;                   /* speech RMS */
} take;

static take make_take(double seconds, double start)
{
    take t = {0};
    t.n = SEC(seconds);
    t.x = calloc(t.n, sizeof *t.x);
    double pos = start;
    const double f0[3][2] = {{180, 140}, {160, 120}, {200, 130}};
    for (int g = 0; g < 3; g++) {
        synth_vowel(t.x, SEC(pos), SEC(pos + 0.8), RATE, f0[g][0], f0[g][1], 0.1, 4);
        pos += 0.8 + 0.35;
    }
    t.first = (size_t)(start * 100);
    t.end = (size_t)((pos - 0.35) * 100);
    t.speech = 240;
    double ss = 0;
    pos = start;
    for (int g = 0; g < 3; g++, pos += 1.15)
        ss += pow(synth_rms(t.x, SEC(pos), SEC(pos + 0.8)), 2);
    t.rms = sqrt(ss / 3);
    return t;
}

/* Noise of `kind` at snr_db below the speech RMS. */
static void add_noise(take *t, enum synth_noise kind, double snr_db, uint32_t seed)
{
    float *nz = malloc(t->n * sizeof *nz);
    synth_noise(nz, t->n, kind, seed);
    synth_mix(t->x, nz, t->n, t->rms * pow(10, -snr_db / 20));
    free(nz);
}

/* Breath: soft pink noise, Hann-shaped, -12 dB re speech. Cough: white
 * noise, 10 ms attack and 80 ms decay, +6 dB. Click: 2 ms of +-0.5. */
static void add_breath(take *t, double at, double len)
{
    size_t a = SEC(at), m = SEC(len);
    float *nz = malloc(m * sizeof *nz);
    synth_noise(nz, m, SYNTH_PINK, 99);
    for (size_t i = 0; i < m; i++) {
        double w = sin(M_PI * (double)i / (double)m);
        t->x[a + i] += (float)(nz[i] * w * w * t->rms * pow(10, -12 / 20.0) * 1.6);
    }
    free(nz);
}

static void add_cough(take *t, double at)
{
    size_t a = SEC(at), m = SEC(0.3);
    float *nz = malloc(m * sizeof *nz);
    synth_noise(nz, m, SYNTH_WHITE, 98);
    for (size_t i = 0; i < m; i++) {
        double s = (double)i / RATE, e = s < 0.01 ? s / 0.01 : exp(-(s - 0.01) / 0.08);
        t->x[a + i] += (float)(nz[i] * e * t->rms * 2 * 2);
    }
    free(nz);
}

static void add_click(take *t, double at)
{
    size_t a = SEC(at);
    for (size_t i = 0; i < SEC(0.002); i++)
        t->x[a + i] += (i & 1) ? 0.5f : -0.5f;
}

typedef struct detected {
    sh_features f;
    uint8_t *mask;
    sh_speech_result r;
    size_t nuclei;
    uint32_t nuc[64];
} detected;

static void detect(const float *x, size_t n, detected *d)
{
    assert_int_equal(sh_features_compute(NULL, x, n, RATE, &d->f), SH_OK);
    d->mask = malloc(d->f.n ? d->f.n : 1);
    assert_int_equal(sh_speech_detect(NULL, &d->f, d->mask, &d->r), SH_OK);
    d->nuclei = sh_syllable_nuclei(&d->f, d->mask, NULL, d->nuc, 64);
}

static void undetect(detected *d)
{
    sh_features_free(&d->f);
    free(d->mask);
}

static size_t masked(const detected *d, double from, double to)
{
    size_t c = 0;
    for (size_t i = (size_t)(from * 100); i < (size_t)(to * 100) && i < d->f.n; i++)
        c += d->mask[i];
    return c;
}

static void report(const char *what, const take *t, const detected *d)
{
    print_message("%-28s speech %d noisy %d noise %.1f speech %.1f snr %.1f span [%zu,%zu) truth [%zu,%zu) "
                  "frames %zu (truth %zu) voiced %zu pauses %zu rejected %zu nuclei %zu\n",
                  what, d->r.speech, d->r.too_noisy, (double)d->r.noise_db, (double)d->r.speech_db,
                  (double)d->r.snr_db, d->r.first, d->r.end, t->first, t->end, d->r.speech_frames, t->speech,
                  d->r.voiced_frames, d->r.pauses, d->r.rejected, d->nuclei);
}

/* Span within 0.15 s, speech time within 15%, the two pauses, 12 nuclei,
 * one in each syllable. */
static void assert_take(const take *t, const detected *d, bool exact_nuclei)
{
    assert_true(d->r.speech);
    assert_false(d->r.too_noisy);
    assert_true(d->r.first + 15 >= t->first && d->r.first <= t->first + 15);
    assert_true(d->r.end + 15 >= t->end && d->r.end <= t->end + 15);
    assert_true(d->r.speech_frames * 100 >= t->speech * 85 && d->r.speech_frames * 100 <= t->speech * 115);
    assert_int_equal(d->r.pauses, 2);
    if (exact_nuclei) {
        assert_int_equal(d->nuclei, 12);
        /* One per syllable: nucleus k inside syllable k. */
        for (size_t k = 0; k < 12 && k < d->nuclei; k++) {
            double s0 = (double)t->first / 100 + (double)(k / 4) * 1.15 + (double)(k % 4) * 0.2;
            assert_true(d->nuc[k] >= (size_t)(s0 * 100) && d->nuc[k] < (size_t)((s0 + 0.2) * 100));
        }
    } else {
        assert_true(d->nuclei >= 11 && d->nuclei <= 13);
    }
}

static void test_clean_take(void **state)
{
    (void)state;
    take t = make_take(5.0, 1.0);
    add_noise(&t, SYNTH_WHITE, 60, 1); /* a quiet room */
    detected d;
    detect(t.x, t.n, &d);
    report("clean", &t, &d);
    assert_take(&t, &d, true);
    assert_true(d.r.snr_db > 40);
    /* snprintf-style count. */
    assert_int_equal(sh_syllable_nuclei(&d.f, d.mask, NULL, NULL, 0), 12);
    uint32_t two[2];
    assert_int_equal(sh_syllable_nuclei(&d.f, d.mask, NULL, two, 2), 12);
    assert_int_equal(two[0], d.nuc[0]);
    assert_int_equal(two[1], d.nuc[1]);
    /* The pauses the mask holds are the two 0.35 s gaps. */
    sh_span sp[3];
    assert_int_equal(sh_vad_pauses(d.mask, d.r.first, d.r.end, sp, 3), 2);
    assert_true(sp[0].end - sp[0].begin >= 30 && sp[0].end - sp[0].begin <= 40);
    undetect(&d);
    free(t.x);
}

/* 5 dB SNR fan noise (pink, brown), white noise at 3 dB, and 50 Hz hum at
 * 5 dB; with breath,
 * a cough and clicks around the speech that must not count. */
static void test_noisy_takes(void **state)
{
    (void)state;
    const enum synth_noise kinds[] = {SYNTH_PINK, SYNTH_BROWN, SYNTH_WHITE, SYNTH_WHITE};
    const double snr[] = {5, 5, 3};
    const char *names[] = {"pink 5 dB + events", "brown 5 dB + events", "white 3 dB + events",
                           "hum 5 dB + white 20 dB + events"};
    for (size_t k = 0; k < 4; k++) {
        take t = make_take(7.0, 1.0);
        if (k < 3) {
            add_noise(&t, kinds[k], snr[k], 3 + (uint32_t)k);
        } else {
            synth_hum(t.x, t.n, RATE, 50, 6, t.rms * pow(10, -5 / 20.0));
            add_noise(&t, SYNTH_WHITE, 20, 5);
        }
        add_breath(&t, 0.2, 0.5);
        add_click(&t, 0.85);
        add_cough(&t, 4.6);
        add_click(&t, 5.5);
        add_breath(&t, 6.0, 0.5);
        detected d;
        detect(t.x, t.n, &d);
        report(names[k], &t, &d);
        assert_take(&t, &d, false);
        assert_int_equal(masked(&d, 0.0, 0.95), 0); /* breath, click */
        assert_int_equal(masked(&d, 4.4, 7.0), 0);  /* cough, click, breath */
        assert_true(d.r.rejected >= 1);
        undetect(&d);
        free(t.x);
    }
}

/* Digital silence (a late start of 2.5 s of exact zeros), then room noise:
 * neither fools the noise floor. A 4 s quiet lead-in neither. */
static void test_lead_ins(void **state)
{
    (void)state;
    take t = make_take(8.0, 3.5);
    add_noise(&t, SYNTH_PINK, 15, 8);
    memset(t.x, 0, SEC(2.5) * sizeof *t.x);
    detected d;
    detect(t.x, t.n, &d);
    report("2.5 s zeros + noise", &t, &d);
    assert_take(&t, &d, false);
    assert_true(d.r.noise_db > -60); /* the room, not the zeros (-100) */
    assert_true(d.r.snr_db < 30);
    undetect(&d);
    free(t.x);

    t = make_take(8.0, 4.0);
    add_noise(&t, SYNTH_BROWN, 10, 9);
    detect(t.x, t.n, &d);
    report("4 s noise lead-in", &t, &d);
    assert_take(&t, &d, false);
    undetect(&d);
    free(t.x);
}

/* A synthetic voice: pauses of exact zeros, and an unvoiced fricative
 * (80 ms of noise, 20 dB down) 30 ms before the second group: the zeros
 * are the floor, the fricative (a run of its own, without pitch) is
 * speech. */
static void test_digital_pauses_and_consonant(void **state)
{
    (void)state;
    take t = make_take(5.0, 1.0);
    float *nz = malloc(SEC(0.08) * sizeof *nz);
    synth_noise(nz, SEC(0.08), SYNTH_WHITE, 31);
    size_t at = SEC(2.15 - 0.11);
    for (size_t i = 0; i < SEC(0.08); i++)
        t.x[at + i] = (float)(nz[i] * t.rms * 0.1);
    free(nz);
    detected d;
    detect(t.x, t.n, &d);
    report("digital pauses + fricative", &t, &d);
    assert_true(d.r.speech);
    assert_float_equal(d.r.noise_db, -100.0f, 0.5);
    assert_int_equal(d.r.pauses, 2);
    assert_true(masked(&d, 2.05, 2.10) >= 5); /* the fricative */
    assert_int_equal(d.r.rejected, 0);
    assert_true(d.r.speech_frames >= t.speech + 6);
    assert_int_equal(d.nuclei, 12);
    undetect(&d);
    free(t.x);
}

/* No voice: silence, steady noise, hum, clicks, a cough. */
static void test_no_speech(void **state)
{
    (void)state;
    size_t n = SEC(5);
    float *x = calloc(n, sizeof *x);
    detected d;
    for (int k = 0; k < 8; k++) {
        memset(x, 0, n * sizeof *x);
        take t = {x, n, 0, 0, 0, 0.05};
        const char *what = "silence";
        if (k == 1)
            what = "pink noise", add_noise(&t, SYNTH_PINK, 0, 11);
        if (k == 2)
            what = "brown noise", add_noise(&t, SYNTH_BROWN, 0, 12);
        if (k == 3)
            what = "hum 50 Hz", synth_hum(x, n, RATE, 50, 6, 0.05);
        if (k == 4)
            what = "hum 60 Hz + white", synth_hum(x, n, RATE, 60, 6, 0.05), add_noise(&t, SYNTH_WHITE, 30, 13);
        if (k == 5) {
            what = "clicks in white noise";
            add_noise(&t, SYNTH_WHITE, 40, 14);
            for (double s = 0.5; s < 4.8; s += 0.7)
                add_click(&t, s);
        }
        if (k == 6) {
            what = "cough + breath";
            add_noise(&t, SYNTH_PINK, 40, 15);
            add_cough(&t, 1.0);
            add_breath(&t, 3.0, 0.5);
        }
        if (k == 7) {
            /* A transformer's hum (odd harmonics strong) over a quiet room:
             * its harmonics can pass for pitch at the level of the hum
             * itself, which must not read as a voice in a loud room. */
            what = "transformer hum";
            const int h[5] = {1, 2, 3, 5, 7};
            const double a[5] = {1.0, 0.35, 0.6, 0.3, 0.15};
            for (size_t i = 0; i < n; i++) {
                double v = 0;
                for (int j = 0; j < 5; j++)
                    v += a[j] * sin(2 * M_PI * 50.0 * h[j] * (double)i / RATE + 0.3 * j);
                x[i] = (float)(0.03 * v / 1.6);
            }
            add_noise(&t, SYNTH_BROWN, 40, 16);
        }
        detect(x, n, &d);
        print_message("%-22s speech %d noisy %d voiced evidence %zu rejected %zu\n", what, d.r.speech,
                      d.r.too_noisy, d.r.voiced_frames, d.r.rejected);
        assert_false(d.r.speech);
        assert_false(d.r.too_noisy);
        assert_int_equal(d.r.first, 0);
        assert_int_equal(d.r.end, 0);
        for (size_t i = 0; i < d.f.n; i++)
            assert_int_equal(d.mask[i], 0);
        assert_int_equal(d.nuclei, 0);
        undetect(&d);
    }
    free(x);
}

/* Pitch found at the level of the noise itself is no voice: no speech and
 * not "too noisy"; the same pitch 5 dB above the noise is a buried voice:
 * too noisy. On feature arrays made by hand. */
static void test_pitch_at_noise_level(void **state)
{
    (void)state;
    enum { N = 600 };
    for (int lift = 0; lift <= 5; lift += 5) {
        float band[N], low[N], high[N], f0[N], per[N];
        uint32_t st = 99;
        for (size_t i = 0; i < N; i++) {
            st = st * 1664525u + 1013904223u;
            bool voiced = (st >> 28) < 5; /* about 30% of the frames */
            band[i] = (float)(-40.0 + (double)((st >> 8) & 0xff) / 255.0 + (voiced ? lift : 0));
            low[i] = band[i] - 3.0f;
            high[i] = band[i] - 3.0f;
            f0[i] = voiced ? 120.0f + (float)(i % 7) : 0.0f;
            per[i] = voiced ? 0.9f : 0.1f;
        }
        sh_features f = {.n = N, .hop_s = 0.01, .band_db = band, .low_db = low, .high_db = high,
                         .f0_hz = f0, .periodicity = per};
        uint8_t mask[N];
        sh_speech_result r;
        assert_int_equal(sh_speech_detect(NULL, &f, mask, &r), SH_OK);
        print_message("pitch %d dB above the noise: speech %d too_noisy %d snr %.1f\n", lift, r.speech,
                      r.too_noisy, r.snr_db);
        assert_false(r.speech);
        if (lift == 0)
            assert_false(r.too_noisy);
        else
            assert_true(r.too_noisy);
    }
}

/* Far too much noise: the voice is heard (pitch) but flagged too noisy.
 * (White noise at the speech's own level still passes: test_noisy_takes
 * and the header's figures.) */
static void test_too_noisy(void **state)
{
    (void)state;
    const double snr[] = {-2, -4};
    for (size_t k = 0; k < 2; k++) {
        take t = make_take(5.0, 1.0);
        add_noise(&t, SYNTH_WHITE, snr[k], 21);
        detected d;
        detect(t.x, t.n, &d);
        report(k ? "white -4 dB" : "white -2 dB", &t, &d);
        assert_false(d.r.speech);
        assert_true(d.r.too_noisy);
        assert_true(d.r.snr_db < 8);
        for (size_t i = 0; i < d.f.n; i++)
            assert_int_equal(d.mask[i], 0);
        undetect(&d);
        free(t.x);
    }
}

static void test_arguments(void **state)
{
    (void)state;
    sh_features f = {0};
    sh_speech_result r;
    uint8_t m[4];
    assert_int_equal(sh_speech_detect(NULL, &f, NULL, &r), SH_OK); /* no frames */
    assert_false(r.speech);
    assert_int_equal(sh_speech_detect(NULL, NULL, m, &r), SH_ERR_INVALID);
    assert_int_equal(sh_speech_detect(NULL, &f, m, NULL), SH_ERR_INVALID);
    sh_speech_params p = sh_speech_params_init();
    p.off_ratio = 0.9f; /* above on_ratio */
    assert_int_equal(sh_speech_detect(&p, &f, m, &r), SH_ERR_INVALID);
    assert_int_equal(sh_syllable_nuclei(NULL, m, NULL, NULL, 0), 0);
    assert_int_equal(sh_syllable_nuclei(&f, NULL, NULL, NULL, 0), 0);
    /* Frames with no mask pointer are refused. */
    float z[4] = {0};
    sh_features g = {4, 0.01, z, z, z, z, z};
    assert_int_equal(sh_speech_detect(NULL, &g, NULL, &r), SH_ERR_INVALID);
    /* Features of NaN-filled input: no speech, no crash. */
    float *x = malloc(SEC(1) * sizeof *x);
    for (size_t i = 0; i < SEC(1); i++)
        x[i] = NAN;
    detected d;
    detect(x, SEC(1), &d);
    assert_false(d.r.speech);
    undetect(&d);
    free(x);
}

/* Hand-made features full of NaN, infinities and wild values (sh_features
 * never makes them, a caller might): no crash, a consistent result. */
static void test_garbage_features(void **state)
{
    (void)state;
    enum { N = 997 };
    float *a = malloc(5 * N * sizeof *a);
    uint8_t mask[N];
    synth_rng r = {4242};
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < 5 * N; i++) {
            double u = synth_uniform(&r);
            a[i] = u > 0.95 ? NAN : u > 0.9 ? INFINITY : u > 0.85 ? -INFINITY : (float)(u * (round % 2 ? 300 : 30));
        }
        sh_features f = {N, 0.01, a, a + N, a + 2 * N, a + 3 * N, a + 4 * N};
        sh_speech_result res;
        assert_int_equal(sh_speech_detect(NULL, &f, mask, &res), SH_OK);
        size_t c = 0;
        for (size_t i = 0; i < N; i++) {
            assert_true(mask[i] <= 1);
            c += mask[i];
        }
        assert_int_equal(c, res.speech_frames);
        assert_true(res.end <= N && res.first <= res.end);
        size_t k = sh_syllable_nuclei(&f, mask, NULL, NULL, 0);
        uint32_t fr[N];
        assert_int_equal(sh_syllable_nuclei(&f, mask, NULL, fr, N), k);
        for (size_t i = 0; i < k; i++)
            assert_true(fr[i] < N && mask[fr[i]]);
    }
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_take), cmocka_unit_test(test_noisy_takes), cmocka_unit_test(test_lead_ins),
        cmocka_unit_test(test_no_speech),  cmocka_unit_test(test_too_noisy),   cmocka_unit_test(test_pitch_at_noise_level),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_garbage_features), cmocka_unit_test(test_digital_pauses_and_consonant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
