/* features_bench - CPU time of sh_features_compute on 30 s at 16 kHz
 * (synthetic speech: vowel syllables with moving pitch in pink noise),
 * beside two peers measured in the same run: sh_envelope_compute (one pass
 * of plain RMS over the same frames) and a textbook YIN at 16 kHz (25 ms
 * window, every lag of 60-500 Hz, no decimation). Target: <= 5 ms CPU.
 *
 * Usage: features_bench [RUNS [--only]]  (default 21; prints min and median;
 *        --only: skip the peers, for a profiler)
 * CPU: clock_gettime(CLOCK_PROCESS_CPUTIME_ID). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../dsp/synth.h"
#include "shadowing/envelope.h"
#include "shadowing/features.h"

#define RATE 16000

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Textbook YIN at the input rate: the peer a naive implementation is. */
static float naive_yin(const float *x, size_t n, float *f0)
{
    size_t w = 400, hop = 160, tmin = RATE / 500, tmax = RATE / 60 + 1, nf = (n + hop - 1) / hop;
    float d[300], chk = 0;
    for (size_t i = 0; i < nf; i++) {
        size_t s = i * hop;
        if (s + w + tmax > n) {
            f0[i] = 0;
            continue;
        }
        float sum = 0;
        size_t best = 0;
        for (size_t t = 1; t <= tmax; t++) {
            float acc = 0;
            for (size_t j = 0; j < w; j++) {
                float e = x[s + j] - x[s + j + t];
                acc += e * e;
            }
            sum += acc;
            d[t] = sum > 0 ? acc * (float)t / sum : 1;
            if (!best && t >= tmin && t > 1 && d[t - 1] < 0.15f && d[t] > d[t - 1])
                best = t - 1;
        }
        f0[i] = best ? (float)RATE / (float)best : 0;
        chk += f0[i];
    }
    return chk;
}

static void report(const char *name, double *t, int runs)
{
    qsort(t, (size_t)runs, sizeof t[0], cmp_double);
    printf("%-34s min %8.3f ms  median %8.3f ms  (%d runs)\n", name, t[0], t[runs / 2], runs);
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 21;
    if (runs < 1 || runs > 1000)
        runs = 21;
    size_t n = 30 * RATE;
    float *x = calloc(n, sizeof *x), *noise = malloc(n * sizeof *noise);
    synth_rng r = {7};
    for (size_t pos = RATE / 2; pos + RATE / 4 < n;) {
        size_t len = (size_t)((0.10 + 0.15 * (synth_uniform(&r) + 1) / 2) * RATE);
        double f = 140 + 60 * synth_uniform(&r);
        synth_vowel(x, pos, pos + len, RATE, f, f * (1 + 0.2 * synth_uniform(&r)), 0.1, 0);
        pos += len + (size_t)((0.05 + 0.1 * (synth_uniform(&r) + 1) / 2) * RATE);
    }
    synth_noise(noise, n, SYNTH_PINK, 3);
    synth_mix(x, noise, n, 0.1 * pow(10, -15 / 20.0));

    double *t = malloc((size_t)runs * sizeof *t);
    size_t voiced = 0, frames = 0;
    for (int k = 0; k < runs; k++) {
        sh_features f;
        double t0 = cpu_ms();
        if (sh_features_compute(NULL, x, n, RATE, &f) != 0) {
            fprintf(stderr, "features_bench: sh_features_compute failed\n");
            return 1;
        }
        t[k] = cpu_ms() - t0;
        frames = f.n;
        voiced = 0;
        for (size_t i = 0; i < f.n; i++)
            voiced += f.f0_hz[i] > 0;
        sh_features_free(&f);
    }
    printf("30 s at 16 kHz, %zu frames, %zu voiced\n", frames, voiced);
    report("sh_features_compute", t, runs);
    double feat_median = t[runs / 2];
    if (argc > 2 && strcmp(argv[2], "--only") == 0)
        return 0; /* for profilers: just the features */

    sh_envelope_config ec = sh_envelope_config_init(RATE);
    size_t nf = sh_envelope_frame_count(&ec, n);
    float *env = malloc(nf * sizeof *env);
    for (int k = 0; k < runs; k++) {
        double t0 = cpu_ms();
        sh_envelope_compute(&ec, x, n, env, nf);
        t[k] = cpu_ms() - t0;
    }
    report("peer: sh_envelope_compute", t, runs);

    int nruns = runs < 3 ? runs : 3;
    float *f0 = malloc(nf * sizeof *f0);
    float chk = 0;
    for (int k = 0; k < nruns; k++) {
        double t0 = cpu_ms();
        chk += naive_yin(x, n, f0);
        t[k] = cpu_ms() - t0;
    }
    report("peer: textbook YIN at 16 kHz", t, nruns);
    printf("(checksum %g)\n", (double)chk);
    int ok = feat_median <= 5.0;
    printf("%s: sh_features_compute median %.3f ms CPU per 30 s (target <= 5 ms)\n", ok ? "PASS" : "FAIL",
           feat_median);
    free(x);
    free(noise);
    free(t);
    free(env);
    free(f0);
    return ok ? 0 : 1;
}
