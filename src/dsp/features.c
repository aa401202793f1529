/* Speech features: decimation to 8 and 4 kHz, speech-band energies, and the
 * frame bookkeeping shared with the pitch tracker (pitch.c).
 * See include/shadowing/features.h for the method. */
#include "shadowing/features.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "features_int.h"
#include "shadowing/error.h"

sh_features_params sh_features_params_init(void)
{
    sh_features_params p = {
        .window_s = 0.025,
        .hop_s = 0.010,
        .f0_min_hz = 60.0,
        .f0_max_hz = 500.0,
        .yin_threshold = 0.20,
        .pitch_window_s = 0.020,
        .drone_s = 1.0,
        .drone_tolerance = 0.02,
        .floor_db = -100.0f,
    };
    return p;
}

/* Half-band low-pass FIRs (Kaiser-windowed sinc, normalised to unit DC
 * gain): the odd taps c[k] at offsets +-(2k+1) from the centre tap 0.5; the
 * even ones are zero. hb31: 31 taps, beta 3.0, within 0.12 dB to 0.2125 fs
 * (3.4 kHz at 16 kHz), below -39 dB from 0.2875 fs (4.6 kHz, which folds to
 * 3.4 kHz: a fricative's energy above 4.6 kHz, even 20 dB above its band
 * energy, moves band_db by a few tenths of a dB). hb19: 19 taps, beta 3.4, within 0.11 dB to 0.1875 fs (1.5 kHz at
 * 8 kHz), below -39 dB from 0.3125 fs: enough for the pitch tracker and the
 * 300-1000 Hz band. */
static const float hb31[8] = {
    3.1747309449e-01f, -1.0131432592e-01f, 5.5618939561e-02f, -3.4602281327e-02f,
    2.2157210678e-02f, -1.3934290128e-02f, 8.2675629616e-03f, -4.3598581222e-03f,
};
static const float hb19[5] = {
    3.1232157573e-01f, -9.0161568672e-02f, 3.9799308897e-02f, -1.6812373223e-02f, 5.2054364418e-03f,
};

/* NaN counts as 0; infinities and huge values are clamped to +-1e4
 * (branch-free selects). */
static inline float sanitize(float v)
{
    v = v == v ? v : 0.0f; /* NaN is the one value unequal to itself */
    v = v > 1e4f ? 1e4f : v;
    return v < -1e4f ? -1e4f : v;
}

/* sanitize() on four lanes: NaN -> 0 (v == v is false only for NaN),
 * then clamped to [lo, hi] by bit selects. */
static inline sh_v4sf sh_v4_clean(sh_v4sf v, sh_v4si lo, sh_v4si hi)
{
    sh_v4si bits = (sh_v4si)v & (v == v);
    sh_v4sf f = (sh_v4sf)bits;
    sh_v4si gt = f > (sh_v4sf)hi, lt = f < (sh_v4sf)lo;
    bits = (bits & ~gt) | (hi & gt);
    bits = (bits & ~lt) | (lo & lt);
    return (sh_v4sf)bits;
}

/* out[m] = 0.5 in[2m] + sum_k c[k] (in[2m-2k-1] + in[2m+2k+1]), m in
 * [0, ceil(n/2)), samples outside [0, n) being zero: centred (zero phase),
 * so out[m] sits at input time 2m. Vectorised over m on deinterleaved
 * copies (contiguous loads); the scalar tail adds in the same order, so
 * every output is the same whichever path computed it. `clean` sanitises
 * the input on the way (first stage only). */
static int decimate(const float *in, size_t n, const float *c, size_t taps, bool clean, float *out)
{
    /* In chunks of CH outputs through two small buffers (cache-resident,
     * no page faults on fresh memory): e[m] = in[2(m0+m)] and
     * o[taps + j] = in[2(m0+j)+1], j in [-taps, CH+taps), so that
     * in[2m+2k+1] = o[taps+m+k] and in[2m-2k-1] = o[taps+m-k-1]. */
    enum { CH = 2048 };
    size_t nout = (n + 1) / 2;
    float *e = malloc((CH + 8) * sizeof *e), *o = malloc((CH + 2 * taps + 8) * sizeof *o);
    if (!e || !o) {
        free(e);
        free(o);
        return SH_ERR_NOMEM;
    }
    sh_v4sf cv[16];
    for (size_t k = 0; k < taps; k++)
        cv[k] = sh_v4_set1(c[k]);
    const sh_v4sf half = sh_v4_set1(0.5f);
    const sh_v4si lo = (sh_v4si)sh_v4_set1(-1e4f), hi = (sh_v4si)sh_v4_set1(1e4f);
    for (size_t m0 = 0; m0 < nout; m0 += CH) {
        size_t cn = nout - m0 < CH ? nout - m0 : CH;
        /* Even samples, then odd ones j in [m0 - taps, m0 + cn + taps)
         * (zero outside the signal), four at a time where possible:
         * sanitised lane-wise with masks, split by shuffles. */
        size_t q = 0;
        for (; q + 4 <= cn && 2 * (m0 + q) + 8 <= n; q += 4) {
            sh_v4sf a = sh_v4_load(in + 2 * (m0 + q)), b = sh_v4_load(in + 2 * (m0 + q) + 4);
            if (clean) {
                a = sh_v4_clean(a, lo, hi);
                b = sh_v4_clean(b, lo, hi);
            }
            sh_v4_store(e + q, __builtin_shufflevector(a, b, 0, 2, 4, 6));
        }
        for (; q < cn; q++)
            e[q] = clean ? sanitize(in[2 * (m0 + q)]) : in[2 * (m0 + q)];
        memset(o, 0, (cn + 2 * taps + 8) * sizeof *o);
        size_t jlo = m0 >= taps ? m0 - taps : 0, jhi = m0 + cn + taps;
        if (jhi > n / 2)
            jhi = n / 2;
        float *ob = o + taps + jlo - m0; /* ob[j - jlo] = in[2j+1] */
        size_t j = jlo;
        for (; j + 4 <= jhi && 2 * j + 8 <= n; j += 4) {
            sh_v4sf a = sh_v4_load(in + 2 * j), b = sh_v4_load(in + 2 * j + 4);
            if (clean) {
                a = sh_v4_clean(a, lo, hi);
                b = sh_v4_clean(b, lo, hi);
            }
            sh_v4_store(ob + (j - jlo), __builtin_shufflevector(a, b, 1, 3, 5, 7));
        }
        for (; j < jhi; j++)
            ob[j - jlo] = clean ? sanitize(in[2 * j + 1]) : in[2 * j + 1];
        /* Eight outputs per pass. */
        const float *base0 = o + taps;
        float *dst = out + m0;
        size_t m = 0;
        for (; m + 8 <= cn; m += 8) {
            sh_v4sf acc0 = sh_v4_load(e + m) * half, acc1 = sh_v4_load(e + m + 4) * half;
            const float *base = base0 + m;
            for (size_t k = 0; k < taps; k++) {
                acc0 += cv[k] * (sh_v4_load(base - k - 1) + sh_v4_load(base + k));
                acc1 += cv[k] * (sh_v4_load(base - k + 3) + sh_v4_load(base + k + 4));
            }
            sh_v4_store(dst + m, acc0);
            sh_v4_store(dst + m + 4, acc1);
        }
        for (; m < cn; m++) {
            float acc = e[m] * 0.5f;
            const float *base = base0 + m;
            for (size_t k = 0; k < taps; k++)
                acc += c[k] * (base[-(ptrdiff_t)k - 1] + base[k]);
            dst[m] = acc;
        }
    }
    free(e);
    free(o);
    return SH_OK;
}

/* A biquad's coefficients from the RBJ cookbook (bilinear
 * transform): Butterworth sections, and an LP/HP pair with the same f and
 * Q = 1/sqrt(2) is power complementary (|L|^2 + |H|^2 = 1). */
typedef struct biquad {
    double b0, b1, b2, a1, a2;
} biquad;

static biquad biquad_design(bool high, double f, double q, double fs)
{
    double w = 2.0 * M_PI * f / fs, cw = cos(w), alpha = sin(w) / (2.0 * q), a0 = 1.0 + alpha;
    biquad b = {0};
    if (high) {
        b.b0 = (1.0 + cw) / 2.0 / a0;
        b.b1 = -(1.0 + cw) / a0;
    } else {
        b.b0 = (1.0 - cw) / 2.0 / a0;
        b.b1 = (1.0 - cw) / a0;
    }
    b.b2 = b.b0;
    b.a1 = -2.0 * cw / a0;
    b.a2 = (1.0 - alpha) / a0;
    return b;
}

/* Filtering is a chain of dependent steps, one per sample: slow however
 * few the operations. So the signal is cut into four segments filtered at
 * once, one per SIMD lane. Each lane starts `warm` samples before its
 * segment, from rest, on the samples of the segment before (zeros before
 * the start): by the time it reaches its own segment the start-up has died
 * away (the slowest pole here, 300 Hz Q 1.31 at 8 kHz, has radius 0.914:
 * over 300 dB down after 512 samples), so the output equals one pass over the whole signal to
 * float rounding, and the first lane is exactly that pass. The cut depends
 * only on n: the same input always gives the same output.
 *
 * x[0..n) goes through `nser` biquads in series (in place); sq[0..n) gets
 * the squares of the output of chain[nser] applied after them. */
enum { LANES = 4, WARM = 512 };

typedef struct lane_bq {
    sh_v4sf b0, b1, b2, a1, a2, x1, x2, y1, y2;
} lane_bq;

static lane_bq lane_bq_make(const biquad *b)
{
    lane_bq l = {
        sh_v4_set1((float)b->b0), sh_v4_set1((float)b->b1), sh_v4_set1((float)b->b2),
        sh_v4_set1((float)b->a1), sh_v4_set1((float)b->a2), {0}, {0}, {0}, {0},
    };
    return l;
}

/* Direct form I, ordered so that only one multiply and one subtraction
 * wait for the previous output: the recurrence, not the arithmetic, bounds
 * the speed of an IIR filter. */
static inline sh_v4sf lane_bq_run(lane_bq *b, sh_v4sf x)
{
    sh_v4sf ff = b->b0 * x + b->b1 * b->x1 + b->b2 * b->x2 - b->a2 * b->y2;
    sh_v4sf y = ff - b->a1 * b->y1;
    b->x2 = b->x1;
    b->x1 = x;
    b->y2 = b->y1;
    b->y1 = y;
    return y;
}

/* x[i - off], or 0 outside [0, n). */
static inline float at(const float *x, size_t n, size_t i, size_t off)
{
    return i >= off && i - off < n ? x[i - off] : 0.0f;
}

static int filter_lanes(float *x, size_t n, const biquad *chain, size_t nser, float *sq)
{
    size_t seg = (n + LANES - 1) / LANES, steps = seg + WARM;
    lane_bq st[4];
    for (size_t k = 0; k <= nser; k++)
        st[k] = lane_bq_make(&chain[k]);
    /* At step j lane k reads and writes sample k*seg + j - WARM (at()
     * takes the index plus WARM, to stay unsigned). It writes each sample
     * after every lane that reads it for its warm-up has done so (they
     * reach it seg steps earlier), so in place is safe. Steps where every
     * lane is inside the signal skip the bounds tests. */
    size_t full_lo = WARM, full_hi = n + WARM >= 3 * seg ? n + WARM - 3 * seg : 0;
    if (full_hi > steps)
        full_hi = steps;
    if (full_hi < full_lo)
        full_hi = full_lo;
    for (size_t j = 0; j < steps; j++) {
        sh_v4sf v;
        if (j >= full_lo && j < full_hi) {
            const float *p = x + j - WARM;
            v = (sh_v4sf){p[0], p[seg], p[2 * seg], p[3 * seg]};
        } else {
            v = (sh_v4sf){at(x, n, j, WARM), at(x, n, seg + j, WARM), at(x, n, 2 * seg + j, WARM),
                          at(x, n, 3 * seg + j, WARM)};
        }
        for (size_t k = 0; k < nser; k++)
            v = lane_bq_run(&st[k], v);
        sh_v4sf w = lane_bq_run(&st[nser], v);
        w *= w;
        if (j < WARM)
            continue;
        for (size_t k = 0; k < LANES; k++) {
            size_t i = k * seg + j - WARM;
            if (i < n) {
                x[i] = v[k];
                sq[i] = w[k];
            }
        }
    }
    return SH_OK;
}

static size_t gcd(size_t a, size_t b)
{
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Frame energies at a decimated rate (factor f = input rate / this rate):
 * frame i covers samples [i*hop/f, (i*hop + window)/f). The squares are
 * summed in blocks of g samples (g divides both hop/f and window/f, or 1),
 * then each frame adds its blocks: cheap and exact to double rounding. */
typedef struct framer {
    size_t f, g, hop, window, nblocks;
    double *blk;
} framer;

static int framer_init(framer *fr, size_t f, size_t hop, size_t window, size_t ns, size_t nf)
{
    fr->f = f;
    fr->hop = hop;
    fr->window = window;
    fr->g = (hop % f == 0 && window % f == 0) ? gcd(hop / f, window / f) : 1;
    /* Enough blocks for the last frame's zero-padded window. */
    size_t need = ((nf ? nf - 1 : 0) * hop + window) / f + 1;
    if (need < ns)
        need = ns;
    fr->nblocks = need / fr->g + 1;
    fr->blk = calloc(fr->nblocks, sizeof *fr->blk);
    return fr->blk ? SH_OK : SH_ERR_NOMEM;
}

/* Block sums of sq[0..ns). */
static void framer_fill(framer *fr, const float *sq, size_t ns)
{
    for (size_t b = 0, j = 0; j < ns; b++) {
        double sum = 0.0;
        for (size_t k = 0; k < fr->g && j < ns; k++, j++)
            sum += sq[j];
        fr->blk[b] = sum;
    }
}

/* Mean square of frame i. */
static double framer_ms(const framer *fr, size_t i)
{
    size_t s = i * fr->hop / fr->f, e = (i * fr->hop + fr->window) / fr->f;
    double sum = 0.0;
    for (size_t b = s / fr->g; b < e / fr->g && b < fr->nblocks; b++)
        sum += fr->blk[b];
    return sum / ((double)fr->window / (double)fr->f);
}

static float to_db(double ms, double floor_ms, float floor_db)
{
    return ms <= floor_ms ? floor_db : (float)(10.0 * log10(ms));
}

static bool params_ok(const sh_features_params *p)
{
    return p->window_s > 0 && p->window_s <= 1.0 && p->hop_s > 0 && p->hop_s <= 1.0 &&
           p->f0_min_hz >= 40 && p->f0_max_hz <= 1000 && p->f0_min_hz * 1.5 < p->f0_max_hz &&
           p->yin_threshold > 0 && p->yin_threshold < 1 && p->pitch_window_s >= 0.005 &&
           p->pitch_window_s <= 0.1 && p->drone_s > 0 && p->drone_tolerance >= 0 &&
           isfinite(p->drone_s) && isfinite(p->drone_tolerance) && isfinite(p->floor_db);
}

void sh_features_free(sh_features *f)
{
    if (!f)
        return;
    free(f->band_db);
    free(f->low_db);
    free(f->high_db);
    free(f->f0_hz);
    free(f->periodicity);
    memset(f, 0, sizeof *f);
}

int sh_features_compute(const sh_features_params *pp, const float *x, size_t n, double rate,
                        sh_features *out)
{
    if (!out)
        return SH_ERR_INVALID;
    memset(out, 0, sizeof *out);
    sh_features_params p = pp ? *pp : sh_features_params_init();
    if ((n && !x) || !params_ok(&p))
        return SH_ERR_INVALID;
    size_t r = 0; /* integer rate, 8000 * 2^k */
    for (size_t k = 0; k <= 3; k++)
        if (rate == (double)(8000u << k))
            r = 8000u << k;
    if (!r)
        return SH_ERR_INVALID;
    size_t hop = (size_t)lround(p.hop_s * (double)r), window = (size_t)lround(p.window_s * (double)r);
    if (hop == 0 || window == 0)
        return SH_ERR_INVALID;
    out->hop_s = (double)hop / (double)r;
    if (n == 0)
        return SH_OK;
    size_t nf = (n + hop - 1) / hop;

    int rc = SH_ERR_NOMEM;
    float *s8 = NULL, *s4 = NULL, *tmp = NULL, *sq = NULL;
    framer lo = {0}, hi = {0};
    out->band_db = malloc(nf * sizeof(float));
    out->low_db = malloc(nf * sizeof(float));
    out->high_db = malloc(nf * sizeof(float));
    out->f0_hz = malloc(nf * sizeof(float));
    out->periodicity = malloc(nf * sizeof(float));
    if (!out->band_db || !out->low_db || !out->high_db || !out->f0_hz || !out->periodicity)
        goto fail;
    out->n = nf;

    /* Down to 8 kHz, one half-band stage per octave. */
    size_t n8 = n;
    if (r == 8000) {
        if (!(s8 = malloc(n * sizeof *s8)))
            goto fail;
        for (size_t i = 0; i < n; i++)
            s8[i] = sanitize(x[i]);
    } else {
        const float *cur = x;
        for (size_t f = r; f > 8000; f /= 2) {
            size_t nn = (n8 + 1) / 2;
            float *nx = malloc((nn ? nn : 1) * sizeof *nx);
            if (!nx || decimate(cur, n8, hb31, 8, cur == x, nx) != SH_OK) {
                free(nx);
                goto fail;
            }
            free(tmp);
            tmp = nx;
            cur = nx;
            n8 = nn;
        }
        s8 = tmp;
        tmp = NULL;
    }

    /* High-pass 300 Hz (4th-order Butterworth: Q 0.5412 and 1.3066), in
     * place, and the 1000 Hz high band's squares. */
    rc = SH_ERR_NOMEM;
    if (!(sq = malloc((n8 ? n8 : 1) * sizeof *sq)))
        goto fail;
    {
        biquad chain[3] = {
            biquad_design(true, 300.0, 0.54119610, 8000.0),
            biquad_design(true, 300.0, 1.30656296, 8000.0),
            biquad_design(true, 1000.0, M_SQRT1_2, 8000.0),
        };
        if ((rc = filter_lanes(s8, n8, chain, 2, sq)) != SH_OK)
            goto fail;
    }
    if ((rc = framer_init(&hi, r / 8000, hop, window, n8, nf)) != SH_OK)
        goto fail;
    framer_fill(&hi, sq, n8);
    /* 4 kHz for the pitch tracker and the low band (its squares reuse sq). */
    size_t n4 = (n8 + 1) / 2;
    rc = SH_ERR_NOMEM;
    if (!(s4 = malloc((n4 ? n4 : 1) * sizeof *s4)) || decimate(s8, n8, hb19, 5, false, s4) != SH_OK)
        goto fail;
    {
        biquad lb = biquad_design(false, 1000.0, M_SQRT1_2, 4000.0);
        if ((rc = filter_lanes(s4, n4, &lb, 0, sq)) != SH_OK)
            goto fail;
    }
    if ((rc = framer_init(&lo, r / 4000, hop, window, n4, nf)) != SH_OK)
        goto fail;
    framer_fill(&lo, sq, n4);
    double floor_ms = pow(10.0, p.floor_db / 10.0);
    for (size_t i = 0; i < nf; i++) {
        double ml = framer_ms(&lo, i), mh = framer_ms(&hi, i);
        out->low_db[i] = to_db(ml, floor_ms, p.floor_db);
        out->high_db[i] = to_db(mh, floor_ms, p.floor_db);
        out->band_db[i] = to_db(ml + mh, floor_ms, p.floor_db);
    }
    if ((rc = sh__pitch_track(&p, r, hop, window, s8, n8, s4, n4, nf, out->f0_hz, out->periodicity)) !=
        SH_OK)
        goto fail;
    free(s8);
    free(s4);
    free(sq);
    free(lo.blk);
    free(hi.blk);
    return SH_OK;
fail:
    free(s8);
    free(s4);
    free(tmp);
    free(sq);
    free(lo.blk);
    free(hi.blk);
    sh_features_free(out);
    return rc;
}
