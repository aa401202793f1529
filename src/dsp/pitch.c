/* Pitch tracking for sh_features_compute: YIN on the high-passed 4 kHz
 * signal, refined at 8 kHz, and drone rejection.
 * See include/shadowing/features.h for the method. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "features_int.h"
#include "shadowing/error.h"

/* The YIN cross terms of one block of g samples starting at bs, for every
 * lag at once: for t = 2u, x[bs-u+j] x[bs+u+j]; for t = 2u+1,
 * x[bs-u+j] x[bs+u+1+j]; summed over j < g. With xr the reversed signal
 * (xr[A+u-j] = x[bs-u+j], A = N-1-bs) both factors are contiguous in u, so
 * the SIMD lanes run over lags: no horizontal sums, four independent
 * accumulators per pass. row[u] gets the even lags, row[L+u] the odd ones,
 * L = 4*nv (nv even). Each lane is one sum in the order of j: the result
 * does not depend on the instruction set. */
static void block_xcorr(const float *x, const float *xr, size_t A, size_t bs, size_t g, size_t nv, float *row)
{
    size_t L = 4 * nv;
    for (size_t v = 0; v < nv; v += 2) {
        sh_v4sf e0 = sh_v4_set1(0.0f), e1 = e0, o0 = e0, o1 = e0;
        const float *pa = xr + A + 4 * v, *pb = x + bs + 4 * v;
        for (size_t j = 0; j < g; j++) {
            sh_v4sf a0 = sh_v4_load(pa - j), a1 = sh_v4_load(pa - j + 4);
            e0 += a0 * sh_v4_load(pb + j);
            e1 += a1 * sh_v4_load(pb + j + 4);
            o0 += a0 * sh_v4_load(pb + j + 1);
            o1 += a1 * sh_v4_load(pb + j + 5);
        }
        sh_v4_store(row + 4 * v, e0);
        sh_v4_store(row + 4 * v + 4, e1);
        sh_v4_store(row + L + 4 * v, o0);
        sh_v4_store(row + L + 4 * v + 4, o1);
    }
}

/* sum (a[j]-b[j])^2, j < w, the same way. */
static inline float sqdiff(const float *a, const float *b, size_t w)
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
    /* Lags in pairs (even, odd) of u = t/2: nv vectors of four, even. */
    size_t nv = ((tmax + 1) / 2 + 1 + 3) / 4;
    nv += nv & 1;
    size_t L = 4 * nv;
    size_t pad4 = 2 * w4 + window / (rate / 4000) + L + 16, pad8 = w8 + 2 * tmax + 16;
    size_t f4 = rate / 4000, f8 = rate / 8000;
    float thr = (float)p->yin_threshold;
    int rc = SH_ERR_NOMEM;
    double *prefix = NULL;
    float *d = NULL, *cm = NULL, *r = NULL, *ring = NULL, *ew = NULL, *cs = NULL, *lagf = NULL, *xr = NULL, *ewr = NULL;
    size_t *tag = NULL;
    /* Frames start every hop/f4 samples at 4 kHz when hop is a multiple of
     * f4: then the window splits into m blocks of g samples, a frame
     * advancing by kstep blocks, and each block's cross terms serve m/kstep
     * frames (two by default: 40-sample blocks, 80-sample window). */
    bool blocked = hop % f4 == 0;
    size_t g = blocked ? gcd_size(hop / f4, w4) : w4, m = w4 / g, kstep = blocked ? hop / f4 / g : 0;
    float *x4 = padded(s4, n4, pad4), *x8 = padded(s8, n8, pad8);
    prefix = malloc((n4 + 2 * pad4 + 1) * sizeof *prefix);
    d = malloc((8 * nv + 16) * sizeof *d);
    cm = malloc((8 * nv + 16) * sizeof *cm);
    r = malloc(2 * L * sizeof *r);
    size_t nx4 = n4 + 2 * pad4;
    xr = malloc(nx4 * sizeof *xr);
    ew = malloc((n4 + 2 * pad4) * sizeof *ew);
    cs = malloc((8 * nv + 16) * sizeof *cs);
    lagf = malloc((8 * nv + 16) * sizeof *lagf);
    size_t ne = nx4 - w4 + 1; /* window starts with a full window inside */
    ewr = malloc(ne * sizeof *ewr);
    ring = malloc(m * 2 * L * sizeof *ring);
    tag = malloc(m * sizeof *tag);
    if (!x4 || !x8 || !prefix || !d || !cm || !r || !ring || !tag || !ew || !cs || !lagf || !xr || !ewr)
        goto done;
    for (size_t j = 0; j < nx4; j++)
        xr[j] = x4[nx4 - 1 - j];
    for (size_t t = 0; t < 8 * nv + 16; t++)
        lagf[t] = (float)t;
    for (size_t q = 0; q < m; q++)
        tag[q] = SIZE_MAX;
    /* Window energies from a prefix sum of squares (double: the
     * differences of two sums stay exact enough for 25 ms windows). */
    prefix[0] = 0.0;
    for (size_t j = 0; j < n4 + 2 * pad4; j++)
        prefix[j + 1] = prefix[j] + (double)x4[j] * (double)x4[j];
    /* ew[s] = energy of the window starting at s. */
    for (size_t j = 0; j < ne; j++)
        ew[j] = (float)(prefix[j + w4] - prefix[j]);
    for (size_t j = 0; j < ne; j++)
        ewr[j] = ew[ne - 1 - j];

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
            memset(r, 0, 2 * L * sizeof *r);
            for (size_t q = 0; q < m; q++) {
                size_t b = i * kstep + q;
                float *row = ring + (b % m) * 2 * L;
                if (tag[b % m] != b) {
                    size_t bs = a + q * g;
                    block_xcorr(x4, xr, nx4 - 1 - bs, bs, g, nv, row);
                    tag[b % m] = b;
                }
                for (size_t u = 0; u < 2 * L; u += 4)
                    sh_v4_store(r + u, sh_v4_load(r + u) + sh_v4_load(row + u));
            }
        } else {
            block_xcorr(x4, xr, nx4 - 1 - a, a, w4, nv, r);
        }
        /* d(t) = e(a - t/2) + e(a + t - t/2) - 2 r(t), even and odd lags
         * four at a time (the reversed energies make e(a - u) contiguous),
         * interleaved back into lag order; then the running sums of the
         * cumulative mean normalised difference cm(t) = d(t) t / sum
         * d(1..t) by an in-register scan, and the divisions. */
        const sh_v4sf two = sh_v4_set1(2.0f), zero = sh_v4_set1(0.0f);
        for (size_t v = 0; v < nv; v++) {
            sh_v4sf l = sh_v4_load(ewr + ne - 1 - a + 4 * v);
            sh_v4sf de = l + sh_v4_load(ew + a + 4 * v) - two * sh_v4_load(r + 4 * v);
            sh_v4sf dn = l + sh_v4_load(ew + a + 1 + 4 * v) - two * sh_v4_load(r + L + 4 * v);
            de = (sh_v4sf)((sh_v4si)de & (de > zero));
            dn = (sh_v4sf)((sh_v4si)dn & (dn > zero));
            sh_v4_store(d + 8 * v, __builtin_shufflevector(de, dn, 0, 4, 1, 5));
            sh_v4_store(d + 8 * v + 4, __builtin_shufflevector(de, dn, 2, 6, 3, 7));
        }
        d[0] = 0.0f;
        sh_v4sf carry = zero;
        for (size_t t = 0; t < 8 * nv; t += 4) {
            sh_v4sf v = sh_v4_load(d + t);
            v += __builtin_shufflevector(v, zero, 4, 0, 1, 2);
            v += __builtin_shufflevector(v, zero, 4, 4, 0, 1);
            v += carry;
            sh_v4_store(cs + t, v);
            carry = __builtin_shufflevector(v, v, 3, 3, 3, 3);
        }
        cm[0] = 1.0f;
        size_t u = 1;
        for (; u + 4 <= tmax + 2; u += 4) {
            sh_v4sf dv = sh_v4_load(d + u) * sh_v4_load(lagf + u), sv = sh_v4_load(cs + u);
            sh_v4_store(cm + u, dv / sv);
        }
        for (; u <= tmax + 1; u++)
            cm[u] = d[u] * lagf[u] / cs[u];
        /* The sums only grow: zero differences (0/0) come first, if at all. */
        for (u = 1; u <= tmax + 1 && !(cs[u] > 0); u++)
            cm[u] = 1.0f;
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
                for (size_t v = lo + 1; v <= hi; v++)
                    if (cm[v] < cm[t])
                        t = v;
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
    free(ew);
    free(xr);
    free(ewr);
    free(cs);
    free(lagf);
    free(ring);
    free(tag);
    return rc;
}
