/* score_bench - CPU time and extra memory of scoring a 30 s take against a
 * 30 s reference (after decoding), beside a full (unbanded) DTW of the same
 * envelopes. Target (issue 9, with speech features and pitch): <= 25 ms CPU and <= 16 MB extra
 * memory.
 *
 * Usage: score_bench [REF TAKE]   (16 kHz mono float WAV/any decodable file;
 *                                  default: 30 s synthetic speech-like signals)
 *
 * CPU: clock_gettime(CLOCK_PROCESS_CPUTIME_ID), median of repeated runs.
 * Memory: this program replaces malloc/calloc/realloc/free with counting
 * wrappers around glibc's (__libc_malloc...), so the figure is the peak of
 * live heap bytes above what was live before the call: what scoring adds.
 * Not built with sanitizers (they own malloc). */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shadowing/analysis.h"
#include "shadowing/decode.h"
#include "shadowing/envelope.h"
#include "shadowing/score.h"

/* ---- counting allocator ---- */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static size_t live, peak;

static void count_add(void *p)
{
    if (p) {
        live += malloc_usable_size(p);
        if (live > peak)
            peak = live;
    }
}

void *malloc(size_t n)
{
    void *p = __libc_malloc(n);
    count_add(p);
    return p;
}

void *calloc(size_t a, size_t b)
{
    void *p = __libc_calloc(a, b);
    count_add(p);
    return p;
}

void *realloc(void *old, size_t n)
{
    size_t was = old ? malloc_usable_size(old) : 0;
    void *p = __libc_realloc(old, n);
    if (p || n == 0)
        live -= was;
    count_add(p);
    return p;
}

void free(void *p)
{
    if (p)
        live -= malloc_usable_size(p);
    __libc_free(p);
}

/* ---- inputs ---- */
#define RATE 16000

static uint32_t seed;
static double rnd(void)
{
    seed = seed * 1664525u + 1013904223u;
    return (double)(seed >> 8) / 16777216.0;
}

/* 30 s of tone-burst syllables (see tests/score/test_score.c). */
static float *speechlike(double seconds, double tempo, double freq, uint32_t s, size_t *n)
{
    size_t len = (size_t)(seconds * RATE);
    float *x = calloc(len, sizeof *x);
    seed = 42;
    size_t pos = (size_t)(0.3 * RATE);
    int i = 0;
    while (pos < len) {
        double dur = (0.08 + 0.17 * rnd()) * tempo, amp = 0.08 + 0.5 * rnd();
        double gap = ((i++ % 9 == 8) ? 0.35 : 0.03 + 0.04 * rnd()) * tempo;
        size_t d = (size_t)(dur * RATE);
        for (size_t k = 0; k < d && pos + k < len; k++)
            x[pos + k] = (float)(amp * sin(M_PI * (double)k / (double)d) * sin(2 * M_PI * freq * (double)k / RATE));
        pos += d + (size_t)(gap * RATE);
    }
    seed = s;
    for (size_t k = 0; k < len; k++)
        x[k] += (float)(0.002 * (rnd() - 0.5));
    *n = len;
    return x;
}

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

#define RUNS 21

typedef int (*job_fn)(void *arg);

/* Median CPU ms over RUNS runs and the peak extra heap of one run. */
static void measure(job_fn fn, void *arg, int runs, double *ms, size_t *extra)
{
    double t[RUNS];
    size_t base = live;
    peak = live;
    for (int r = 0; r < runs; r++) {
        double t0 = cpu_ms();
        if (fn(arg) != 0) {
            fprintf(stderr, "score_bench: job failed\n");
            exit(1);
        }
        t[r] = cpu_ms() - t0;
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_double);
    *ms = t[runs / 2];
    *extra = peak - base;
}

typedef struct inputs {
    const float *ref, *take;
    size_t nref, ntake;
    float *ea, *eb; /* normalised envelopes of the speech spans */
    size_t na, nb, band;
} inputs;

static int job_score(void *arg)
{
    inputs *in = arg;
    sh_score_result r;
    int rc = sh_score_compute(NULL, in->ref, in->nref, in->take, in->ntake, RATE, &r);
    sh_score_result_free(&r);
    return rc;
}

static int job_banded(void *arg)
{
    inputs *in = arg;
    sh_dtw_result d;
    int rc = sh_dtw_banded(in->ea, in->na, in->eb, in->nb, in->band, &d);
    sh_dtw_result_free(&d);
    return rc;
}

static int job_full(void *arg)
{
    inputs *in = arg;
    sh_dtw_result d;
    int rc = sh_dtw_full(in->ea, in->na, in->eb, in->nb, &d);
    sh_dtw_result_free(&d);
    return rc;
}

/* The normalised envelopes the scorer aligns (same defaults). */
static float *envelope_of(const float *x, size_t n, size_t *frames)
{
    sh_score_params p = sh_score_params_init();
    sh_envelope_config ec = sh_envelope_config_init(RATE);
    size_t nf = sh_envelope_frame_count(&ec, n);
    float *db = malloc(nf * sizeof *db), *out = malloc(nf * sizeof *out);
    unsigned char *mask = malloc(nf);
    sh_envelope_compute(&ec, x, n, db, nf);
    sh_vad_result v;
    sh_vad_params vp = sh_vad_params_init();
    sh_vad(&vp, db, nf, mask, &v);
    sh_envelope_normalize(db + v.first, v.end - v.first, v.noise_db, v.peak_db, p.smooth_frames, out);
    free(db);
    free(mask);
    *frames = v.end - v.first;
    return out;
}

int main(int argc, char **argv)
{
    inputs in = {0};
    float *ref = NULL, *take = NULL;
    if (argc == 3) {
        sh_error err = {0};
        if (sh_gst_init(&err) != SH_OK || sh_decode_file(argv[1], RATE, 600, &ref, &in.nref, &err) != SH_OK ||
            sh_decode_file(argv[2], RATE, 600, &take, &in.ntake, &err) != SH_OK) {
            fprintf(stderr, "score_bench: %s\n", err.message);
            return 1;
        }
    } else if (argc == 1) {
        ref = speechlike(30.0, 1.0, 180.0, 1, &in.nref);
        take = speechlike(30.0, 1.0, 240.0, 2, &in.ntake); /* same rhythm, another "voice" */
    } else {
        fprintf(stderr, "Usage: score_bench [REF TAKE]\n");
        return 2;
    }
    in.ref = ref;
    in.take = take;
    in.ea = envelope_of(ref, in.nref, &in.na);
    in.eb = envelope_of(take, in.ntake, &in.nb);
    sh_score_params p = sh_score_params_init();
    size_t longer = in.na > in.nb ? in.na : in.nb;
    in.band = (size_t)ceil(p.band_fraction * (double)longer);

    double ms_score, ms_band, ms_full;
    size_t mem_score, mem_band, mem_full;
    measure(job_score, &in, RUNS, &ms_score, &mem_score);
    measure(job_banded, &in, RUNS, &ms_band, &mem_band);
    measure(job_full, &in, 5, &ms_full, &mem_full);

    const double target_ms = 25.0, target_mb = 16.0;
    double mb = (double)mem_score / 1048576.0;
    bool pass = ms_score <= target_ms && mb <= target_mb;
    printf("score_bench: %.1f s take vs %.1f s reference at %d Hz; speech spans %zu x %zu frames\n",
           (double)in.ntake / RATE, (double)in.nref / RATE, RATE, in.nb, in.na);
    printf("  %-44s CPU %8.2f ms   extra memory %7.2f MB\n", "ours: sh_score_compute (whole scoring)", ms_score, mb);
    printf("  %-44s CPU %8.2f ms   extra memory %7.2f MB\n", "ours: banded DTW alone (band 5%)", ms_band,
           (double)mem_band / 1048576.0);
    printf("  %-44s CPU %8.2f ms   extra memory %7.2f MB\n", "peer: full (unbanded) DTW, same envelopes", ms_full,
           (double)mem_full / 1048576.0);
    printf("  full DTW / banded DTW: %.1fx the CPU, %.1fx the memory\n", ms_full / ms_band,
           (double)mem_full / (double)(mem_band ? mem_band : 1));
    printf("  target: scoring <= %.0f ms CPU and <= %.0f MB extra memory: %s\n", target_ms, target_mb,
           pass ? "PASS" : "FAIL");
    free(in.ea);
    free(in.eb);
    free(ref);
    free(take);
    return pass ? 0 : 1;
}
