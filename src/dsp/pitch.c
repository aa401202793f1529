/* Pitch tracking for sh_features_compute: YIN on the high-passed 4 kHz
 * signal, refined at 8 kHz, and drone rejection.
 * See include/shadowing/features.h for the method. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "features_int.h"
#include "shadowing/error.h"

/* sum a[j]*b[j], j < w: two 4-lane accumulators (so the additions of one do
 * not wait for the other), lanes added in a fixed order at the end. */
static float dot(const float *a, const float *b, size_t w)
{
    sh_v4sf s0 = sh_v4_set1(0.0f), s1 = s0;
    size_t j = 0;
    for (; j + 8 <= w; j += 8) {
        s0 += sh_v4_load(a + j) * sh_v4_load(b + j);
        s1 += sh_v4_load(a + j + 4) * sh_v4_load(b + j + 4);
    }
    for (; j + 4 <= w; j += 4)
        s0 += sh_v4_load(a + j) * sh_v4_load(b + j);
    s0 += s1;
    float s = (s0[0] + s0[1]) + (s0[2] + s0[3]);
    for (; j < w; j++)
        s += a[j] * b[j];
    return s;
}

/* sum (a[j]-b[j])^2, j < w, the same way. */
static float sqdiff(const float *a, const float *b, size_t w)
{
    sh_v4sf s0 = sh_v4_set1(0.0f), s1 = s0;
    size_t j = 0;
    for (; j + 8 <= w; j += 8) {
        sh_v4sf d0 = sh_v4_load(a + j) - sh_v4_load(b + j);
        sh_v4sf d1 = sh_v4_load(a + j + 4) - sh_v4_load(b + j + 4);
        s0 += d0 * d0;
        s1 += d1 * d1;
    }
    for (; j + 4 <= w; j += 4) {
        sh_v4sf d0 = sh_v4_load(a + j) - sh_v4_load(b + j);
        s0 += d0 * d0;
    }
    s0 += s1;
    float s = (s0[0] + s0[1]) + (s0[2] + s0[3]);
    for (; j < w; j++)
        s += (a[j] - b[j]) * (a[j] - b[j]);
    return s;
}

static size_t gcd_size(size_t a, size_t b)
{
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Zero-padded copy: pad zeros, x[0..n), pad zeros. */
static float *padded(const float *x, size_t n, size_t pad)
{
    float *p = calloc(n + 2 * pad, sizeof *p);
    if (p && n)
        memcpy(p + pad, x, n * sizeof *x);
    return p;
}

/* Vertex offset of the parabola through (-1, a), (0, b), (1, c), in
 * [-0.5, 0.5] when b is the smallest. */
static double parabola(double a, double b, double c)
{
    double den = a - 2.0 * b + c;
    if (!(den > 0))
        return 0.0;
    double d = 0.5 * (a - c) / den;
    return d > 0.5 ? 0.5 : d < -0.5 ? -0.5 : d;
}

/* A constant pitch held for drone_s (over gaps of up to 5 unvoiced frames)
 * is mains hum, a whistle or a machine: no voice holds its pitch within a
 * couple of percent that long. Those frames become unvoiced. */
static void reject_drones(const sh_features_params *p, double hop_s, size_t nf, float *f0, float *per)
{
    size_t need = (size_t)ceil(p->drone_s / hop_s - 1e-9);
    if (need < 2)
        need = 2;
    for (size_t i = 0; i < nf;) {
        if (f0[i] <= 0) {
            i++;
            continue;
        }
        float lo = f0[i], hi = f0[i];
        size_t last = i, gap = 0;
        for (size_t j = i + 1; j < nf; j++) {
            if (f0[j] <= 0) {
                if (++gap > 5)
                    break;
                continue;
            }
            float nlo = f0[j] < lo ? f0[j] : lo, nhi = f0[j] > hi ? f0[j] : hi;
            if ((double)nhi > (double)nlo * (1.0 + p->drone_tolerance))
                break;
            lo = nlo;
            hi = nhi;
            last = j;
            gap = 0;
        }
        if (last - i + 1 >= need) {
            for (size_t k = i; k <= last; k++)
                f0[k] = per[k] = 0.0f;
            i = last + 1;
        } else {
            i++;
        }
    }
}

int sh__pitch_track(const sh_features_params *p, size_t rate, size_t hop, size_t window,
                    const float *s8, size_t n8, const float *s4, size_t n4, size_t nf, float *f0,
                    float *per)
{
    size_t w4 = (size_t)lround(p->pitch_window_s * 4000.0), w8 = 2 * w4;
    size_t tmin = (size_t)floor(4000.0 / p->f0_max_hz), tmax = (size_t)ceil(4000.0 / p->f0_min_hz);
    if (tmin < 2)
        tmin = 2;
    size_t pad4 = w4 + tmax + 8, pad8 = w8 + 2 * tmax + 16;
    size_t f4 = rate / 4000, f8 = rate / 8000;
    float thr = (float)p->yin_threshold;
    int rc = SH_ERR_NOMEM;
    double *prefix = NULL;
    float *d = NULL, *cm = NULL, *r = NULL, *ring = NULL;
    size_t *tag = NULL;
    /* Frames start every hop/f4 samples at 4 kHz when hop is a multiple of
     * f4: then the window splits into m blocks of g samples, a frame
     * advancing by kstep blocks, and each block's cross terms serve m/kstep
     * frames (two by default: 40-sample blocks, 80-sample window). */
    bool blocked = hop % f4 == 0;
    size_t g = blocked ? gcd_size(hop / f4, w4) : w4, m = w4 / g, kstep = blocked ? hop / f4 / g : 0;
    float *x4 = padded(s4, n4, pad4), *x8 = padded(s8, n8, pad8);
    prefix = malloc((n4 + 2 * pad4 + 1) * sizeof *prefix);
    d = malloc((tmax + 2) * sizeof *d);
    cm = malloc((tmax + 2) * sizeof *cm);
    r = malloc((tmax + 2) * sizeof *r);
    ring = malloc(m * (tmax + 2) * sizeof *ring);
    tag = malloc(m * sizeof *tag);
    if (!x4 || !x8 || !prefix || !d || !cm || !r || !ring || !tag)
        goto done;
    for (size_t q = 0; q < m; q++)
        tag[q] = SIZE_MAX;
    /* Window energies from a prefix sum of squares (double: the
     * differences of two sums stay exact enough for 25 ms windows). */
    prefix[0] = 0.0;
    for (size_t j = 0; j < n4 + 2 * pad4; j++)
        prefix[j + 1] = prefix[j] + (double)x4[j] * (double)x4[j];

    for (size_t i = 0; i < nf; i++) {
        f0[i] = per[i] = 0.0f;
        size_t ci = i * hop + window / 2;
        size_t c4 = (ci + f4 / 2) / f4 + pad4, a = c4 - w4 / 2;
        double e0 = prefix[a + w4] - prefix[a];
        if (!(e0 > 1e-20 * (double)w4))
            continue; /* silence: no pitch to speak of */
        /* Difference function, each lag centred on the frame centre:
         * d(t) = sum (x[a-t/2+j] - x[a+t-t/2+j])^2 = e1 + e2 - 2 r(t). The
         * cross terms r(t) come in blocks shared by overlapping frames. */
        if (blocked) {
            memset(r, 0, (tmax + 2) * sizeof *r);
            for (size_t q = 0; q < m; q++) {
                size_t b = i * kstep + q;
                float *row = ring + (b % m) * (tmax + 2);
                if (tag[b % m] != b) {
                    size_t bs = a + q * g;
                    for (size_t t = 1; t <= tmax + 1; t++)
                        row[t] = dot(x4 + bs - t / 2, x4 + bs - t / 2 + t, g);
                    tag[b % m] = b;
                }
                for (size_t t = 1; t <= tmax + 1; t++)
                    r[t] += row[t];
            }
        } else {
            for (size_t t = 1; t <= tmax + 1; t++)
                r[t] = dot(x4 + a - t / 2, x4 + a - t / 2 + t, w4);
        }
        float sum = 0.0f;
        cm[0] = 1.0f;
        for (size_t t = 1; t <= tmax + 1; t++) {
            size_t s1 = a - t / 2, s2 = s1 + t;
            double e1 = prefix[s1 + w4] - prefix[s1], e2 = prefix[s2 + w4] - prefix[s2];
            double dd = e1 + e2 - 2.0 * (double)r[t];
            d[t] = dd > 0 ? (float)dd : 0.0f;
            /* Cumulative mean normalised difference. */
            sum += d[t];
            cm[t] = sum > 0 ? d[t] * (float)t / sum : 1.0f;
        }
        /* The first dip below the threshold, then down to its minimum; else
         * the deepest dip (unvoiced, but its depth is the periodicity). */
        size_t best = 0;
        for (size_t t = tmin; t <= tmax; t++) {
            if (cm[t] < thr) {
                while (t + 1 <= tmax && cm[t + 1] < cm[t])
                    t++;
                best = t;
                break;
            }
        }
        bool voiced = best != 0;
        if (!voiced) {
            best = tmin;
            for (size_t t = tmin + 1; t <= tmax; t++)
                if (cm[t] < cm[best])
                    best = t;
        }
        /* Octave check: a gliding voice blurs the dip at the true period
         * more than the one at twice (or three times) it, which the
         * normalisation then favours. A dip at a third or a half of the
         * chosen lag that is nearly as deep (within half the threshold, and
         * below 1.5 times it) is the period. */
        if (voiced) {
            for (size_t k = 3; k >= 2; k--) {
                size_t c = (best + k / 2) / k, lo = c > tmin + 1 ? c - 1 : tmin, hi = c + 1;
                if (c < tmin)
                    continue;
                size_t t = lo;
                for (size_t u = lo + 1; u <= hi; u++)
                    if (cm[u] < cm[t])
                        t = u;
                if (t > tmin && cm[t] < 1.5f * thr && cm[t] < cm[best] + 0.5f * thr && cm[t] <= cm[t - 1] &&
                    cm[t] <= cm[t + 1]) {
                    best = t;
                    break;
                }
            }
        }
        float pr = 1.0f - cm[best];
        per[i] = pr < 0 ? 0.0f : pr > 1 ? 1.0f : pr;
        if (!voiced)
            continue;
        /* Refine at 8 kHz: raw differences over +-3 lags around twice the
         * interpolated 4 kHz lag, all from one start (centred on the frame
         * for the middle lag), then a parabola through the minimum. */
        double t4 = (double)best + parabola(cm[best - 1], cm[best], cm[best + 1]);
        double lag = 2.0 * t4;
        size_t t0 = (size_t)lround(lag);
        size_t c8 = (ci + f8 / 2) / f8 + pad8, s1 = c8 - w8 / 2 - t0 / 2;
        float r8[7];
        size_t k = 0;
        for (size_t q = 0; q < 7; q++) {
            r8[q] = sqdiff(x8 + s1, x8 + s1 + t0 - 3 + q, w8);
            if (r8[q] < r8[k])
                k = q;
        }
        if (k > 0 && k < 6)
            lag = (double)(t0 - 3 + k) + parabola(r8[k - 1], r8[k], r8[k + 1]);
        double hz = 8000.0 / lag;
        if (hz < p->f0_min_hz * 0.97 || hz > p->f0_max_hz * 1.03)
            continue;
        f0[i] = (float)hz;
    }
    reject_drones(p, (double)hop / (double)rate, nf, f0, per);
    rc = SH_OK;
done:
    free(x4);
    free(x8);
    free(prefix);
    free(d);
    free(cm);
    free(r);
    free(ring);
    free(tag);
    return rc;
}
