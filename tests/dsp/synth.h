/* Deterministic synthetic test signals for the speech feature tests and
 * benchmark: LCG noise (white, pink, brown), harmonic vowels through two
 * formant resonators, mains hum, syllable trains. Header-only (static). */
#ifndef SH_TEST_SYNTH_H
#define SH_TEST_SYNTH_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef struct synth_rng {
    uint32_t s;
} synth_rng;

/* Uniform in [-1, 1). */
static inline double synth_uniform(synth_rng *r)
{
    r->s = r->s * 1664525u + 1013904223u;
    return (double)(r->s >> 8) / 8388608.0 - 1.0;
}

/* Roughly Gaussian, unit variance (sum of 4 uniforms). */
static inline double synth_gauss(synth_rng *r)
{
    double s = synth_uniform(r) + synth_uniform(r) + synth_uniform(r) + synth_uniform(r);
    return s * 0.8660254037844386; /* var of U(-1,1) is 1/3: 4/3 -> 1 */
}

enum synth_noise { SYNTH_WHITE, SYNTH_PINK, SYNTH_BROWN };

/* Noise of unit RMS (approximately) into y[0..n). */
static inline void synth_noise(float *y, size_t n, enum synth_noise kind, uint32_t seed)
{
    synth_rng r = {seed};
    double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, br = 0;
    double *tmp = malloc(n * sizeof *tmp);
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double w = synth_gauss(&r), v = w;
        if (kind == SYNTH_PINK) { /* Paul Kellet's refined pink filter */
            b0 = 0.99886 * b0 + w * 0.0555179;
            b1 = 0.99332 * b1 + w * 0.0750759;
            b2 = 0.96900 * b2 + w * 0.1538520;
            b3 = 0.86650 * b3 + w * 0.3104856;
            b4 = 0.55000 * b4 + w * 0.5329522;
            b5 = -0.7616 * b5 - w * 0.0168980;
            v = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
            b6 = w * 0.115926;
        } else if (kind == SYNTH_BROWN) {
            br = 0.998 * br + w; /* leaky integrator: -6 dB/octave above ~5 Hz */
            v = br;
        }
        tmp[i] = v;
        ss += v * v;
    }
    double g = n ? 1.0 / sqrt(ss / (double)n) : 1.0;
    for (size_t i = 0; i < n; i++)
        y[i] = (float)(tmp[i] * g);
    free(tmp);
}

/* A two-pole resonator at f Hz, bandwidth bw Hz, unit gain at f (roughly). */
typedef struct synth_res {
    double a1, a2, g, y1, y2;
} synth_res;

static inline synth_res synth_res_make(double f, double bw, double rate)
{
    double rr = exp(-M_PI * bw / rate), th = 2 * M_PI * f / rate;
    synth_res s = {2 * rr * cos(th), -rr * rr, (1 - rr) * sqrt(1 - 2 * rr * cos(2 * th) + rr * rr), 0, 0};
    return s;
}

static inline double synth_res_run(synth_res *s, double x)
{
    double y = s->g * x + s->a1 * s->y1 + s->a2 * s->y2;
    s->y2 = s->y1;
    s->y1 = y;
    return y;
}

/* Adds to y[from..to) a vowel: harmonics of f0 (gliding linearly from f0a
 * at `from` to f0b at `to`), amplitude 1/h, up to 3.8 kHz, through
 * formants at 700 and 1200 Hz (a open vowel), scaled to RMS `amp` before
 * its envelope: 10 ms ramps at both ends, and with nsyl > 0 an amplitude
 * modulation into nsyl syllables (0.15 + 0.85 sin^2: dips of -16 dB). */
static inline void synth_vowel(float *y, size_t from, size_t to, double rate, double f0a, double f0b,
                               double amp, int nsyl)
{
    if (to <= from)
        return;
    size_t n = to - from;
    double *v = malloc(n * sizeof *v);
    synth_res r1 = synth_res_make(700, 110, rate), r2 = synth_res_make(1200, 130, rate);
    double ph = 0, ss = 0;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / (double)n, f0 = f0a + (f0b - f0a) * t;
        /* sin(h ph) by the Chebyshev recurrence */
        double s1 = sin(ph), s0 = 0, c2 = 2 * cos(ph), sum = 0;
        for (int h = 1; h * f0 < 3800 && h < 80; h++) {
            sum += s1 / h;
            double s2 = c2 * s1 - s0;
            s0 = s1;
            s1 = s2;
        }
        double o = synth_res_run(&r2, synth_res_run(&r1, sum));
        v[i] = o;
        ss += o * o;
        ph += 2 * M_PI * f0 / rate;
        if (ph > 2 * M_PI)
            ph -= 2 * M_PI;
    }
    double g = amp / sqrt(ss / (double)n);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / (double)n, ramp = 0.010 * rate / (double)n;
        double e = t < ramp ? t / ramp : t > 1 - ramp ? (1 - t) / ramp : 1;
        if (nsyl > 0) {
            double sn = sin(M_PI * t * nsyl);
            e *= 0.15 + 0.85 * sn * sn;
        }
        y[from + i] += (float)(v[i] * g * e);
    }
    free(v);
}

/* The true f0 of synth_vowel at sample k in [from, to). */
static inline double synth_vowel_f0(size_t from, size_t to, double f0a, double f0b, double k)
{
    return f0a + (f0b - f0a) * (k - (double)from) / (double)(to - from);
}

/* Adds mains hum: f Hz and harmonics 2..nh (nh <= 6; amplitudes 1, .5,
 * .35, .25, .2, .15 relative), scaled to RMS `amp`. */
static inline void synth_hum(float *y, size_t n, double rate, double f, int nh, double amp)
{
    static const double h[6] = {1, .5, .35, .25, .2, .15};
    double ss = 0;
    for (int k = 0; k < nh; k++)
        ss += h[k] * h[k] / 2;
    double g = amp / sqrt(ss);
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (int k = 0; k < nh; k++)
            s += h[k] * sin(2 * M_PI * f * (k + 1) * (double)i / rate + k);
        y[i] += (float)(g * s);
    }
}

/* RMS of y[from..to). */
static inline double synth_rms(const float *y, size_t from, size_t to)
{
    double s = 0;
    for (size_t i = from; i < to; i++)
        s += (double)y[i] * y[i];
    return to > from ? sqrt(s / (double)(to - from)) : 0;
}

/* Adds g * src[0..n) to y[0..n). */
static inline void synth_mix(float *y, const float *src, size_t n, double g)
{
    for (size_t i = 0; i < n; i++)
        y[i] += (float)(g * src[i]);
}

#endif
