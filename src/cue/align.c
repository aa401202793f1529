/* Envelope-based cue alignment (see include/shadowing/align.h). Pure. */
#include "shadowing/align.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shadowing/error.h"

sh_align_config sh_align_config_init(const sh_envelope_config *env)
{
    /* The envelope's real hop and window are whole samples: at 22050 Hz a
     * 10 ms hop is 221 samples, and 0.2 % of drift is half a second an hour. */
    double hop = 0.010, win = 0.025;
    if (env && env->rate > 0) {
        hop = (double)sh_envelope_hop_samples(env) / env->rate;
        win = (double)sh_envelope_window_samples(env) / env->rate;
    }
    sh_align_config c = {
        .hop_s = hop,
        .window_s = win,
        .min_pause_s = 0.25,
        .sigma = 0.12,
        .pause_weight = 1.0,
        .skip_cost_s = 0.03,
        .doubtful_below = 0.5,
        .iterations = 2,
    };
    return c;
}

/* ---- levels ---- */

/* Percentile of env[from..to) by a 0.1 dB histogram over [-150, +10] dB:
 * O(n), no copy of an hour-long envelope. */
static float percentile(const float *env, size_t from, size_t to, double q)
{
    enum { LO = -1500, HI = 100, NB = HI - LO + 1 };
    static const size_t nb = NB;
    uint32_t *h = calloc(nb, sizeof *h);
    if (!h)
        return -100.0f;
    for (size_t i = from; i < to; i++) {
        float v = env[i];
        long b = isfinite(v) ? lroundf(v * 10.0f) : LO;
        if (b < LO)
            b = LO;
        if (b > HI)
            b = HI;
        h[b - LO]++;
    }
    size_t want = (size_t)(q * (double)(to - from)), acc = 0;
    float r = (float)HI / 10.0f;
    for (size_t b = 0; b < nb; b++) {
        acc += h[b];
        if (acc > want) {
            r = (float)((long)b + LO) / 10.0f;
            break;
        }
    }
    free(h);
    return r;
}

void sh_align_measure(const float *env, size_t n, size_t from, size_t to, sh_align_levels *out)
{
    if (from == 0 && to == 0)
        to = n;
    if (to > n)
        to = n;
    if (from >= to) {
        *out = (sh_align_levels){-100.0f, -100.0f, -94.0f, -97.0f};
        return;
    }
    float floor_db = percentile(env, from, to, 0.05);
    float speech_db = percentile(env, from, to, 0.90);
    float span = speech_db - floor_db;
    float rel = 0.3f * span;
    if (rel < 6)
        rel = 6;
    if (rel > 25)
        rel = 25;
    out->floor_db = floor_db;
    out->speech_db = speech_db;
    out->pause_db = floor_db + rel;
    /* The edge threshold sits just above the noise in the pauses (a low
     * percentile plus a margin for its fluctuation), but no lower than 50 dB
     * under the speech, where an onset peaking at -60 dBFS lies. */
    float med = percentile(env, from, to, 0.02);
    float e1 = med + (span > 20 ? 4.0f : 2.0f);
    float e2 = speech_db - 50.0f;
    out->edge_db = e1 > e2 ? e1 : e2;
    if (out->edge_db > out->pause_db)
        out->edge_db = out->pause_db;
}

typedef struct pause {
    size_t a, b;     /* frames [a, b) under the pause threshold */
    double off_t;    /* speech end just before the pause (s) */
    double on_t;     /* speech start just after it (s) */
    double len_s;    /* pause length (s) */
    double sound_before; /* sounding time from `from` to the pause's start */
} pause;

typedef struct ctx {
    const sh_align_config *cfg;
    const float *env;
    size_t from, to;
    float pause_db, edge_db;
    pause *p;
    size_t np;
    double sound_total;
} ctx;

static double frame_centre(const ctx *c, double f)
{
    return f * c->cfg->hop_s + c->cfg->window_s / 2;
}

/* Speech end before the run of quiet frames starting at a (limit b): the
 * last frame at or above the edge threshold, searched forward from a-1,
 * interpolated in dB to the crossing. */
static double speech_end(const ctx *c, size_t a, size_t b)
{
    if (a <= c->from)
        return frame_centre(c, (double)c->from) - c->cfg->window_s / 2;
    size_t f = a - 1; /* loud */
    while (f + 1 < b && c->env[f + 1] >= c->edge_db)
        f++;
    double frac = 0.5;
    if (f + 1 < c->to) {
        double hi = c->env[f], lo = c->env[f + 1];
        if (hi > lo)
            frac = (hi - c->edge_db) / (hi - lo);
        if (frac < 0)
            frac = 0;
        if (frac > 1)
            frac = 1;
    }
    return frame_centre(c, (double)f + frac);
}

static double speech_start(const ctx *c, size_t a, size_t b)
{
    if (b >= c->to)
        return frame_centre(c, (double)c->to) - c->cfg->window_s / 2;
    size_t f = b; /* loud */
    while (f > a && c->env[f - 1] >= c->edge_db)
        f--;
    double frac = 0.5;
    if (f > c->from) {
        double hi = c->env[f], lo = c->env[f - 1];
        if (hi > lo)
            frac = (hi - c->edge_db) / (hi - lo);
        if (frac < 0)
            frac = 0;
        if (frac > 1)
            frac = 1;
    }
    return frame_centre(c, (double)f - frac);
}

static int find_pauses(ctx *c)
{
    const sh_align_config *cfg = c->cfg;
    size_t min_len = (size_t)ceil(cfg->min_pause_s / cfg->hop_s);
    if (min_len < 1)
        min_len = 1;
    size_t cap = 64;
    c->p = malloc(cap * sizeof *c->p);
    if (!c->p)
        return SH_ERR_NOMEM;
    c->np = 0;
    double sound = 0;
    size_t last_end = c->from;
    size_t f = c->from;
    bool virtual_start = c->to > c->from && c->env[c->from] >= c->pause_db;
    if (virtual_start) {
        c->p[c->np++] = (pause){.a = c->from, .b = c->from, .len_s = 0, .sound_before = 0};
    }
    while (f < c->to) {
        if (c->env[f] >= c->pause_db) {
            f++;
            continue;
        }
        size_t a = f;
        while (f < c->to && c->env[f] < c->pause_db)
            f++;
        size_t b = f;
        /* runs touching the range edges count whatever their length */
        if (b - a < min_len && a != c->from && b != c->to)
            continue;
        if (c->np == cap) {
            cap *= 2;
            pause *np = realloc(c->p, cap * sizeof *np);
            if (!np)
                return SH_ERR_NOMEM;
            c->p = np;
        }
        sound += (double)(a - last_end) * cfg->hop_s;
        last_end = b;
        c->p[c->np++] = (pause){.a = a, .b = b, .len_s = (double)(b - a) * cfg->hop_s, .sound_before = sound};
    }
    if (c->np == 0 || c->p[c->np - 1].b != c->to) {
        if (c->np == cap) {
            pause *np = realloc(c->p, (cap + 1) * sizeof *np);
            if (!np)
                return SH_ERR_NOMEM;
            c->p = np;
        }
        sound += (double)(c->to - last_end) * cfg->hop_s;
        c->p[c->np++] = (pause){.a = c->to, .b = c->to, .len_s = 0, .sound_before = sound};
    }
    c->sound_total = sound;
    for (size_t i = 0; i < c->np; i++) {
        pause *q = &c->p[i];
        q->off_t = speech_end(c, q->a, q->b);
        q->on_t = speech_start(c, q->a, q->b);
        if (q->b > q->a && q->on_t < q->off_t) {
            /* no frame of this pause is under the edge threshold (a murmur
             * or a noise swell): its edges are where it crosses the pause
             * threshold, so the cue before never overlaps the cue after */
            ctx strict = *c;
            strict.edge_db = c->pause_db;
            q->off_t = speech_end(&strict, q->a, q->b);
            q->on_t = speech_start(&strict, q->a, q->b);
        }
    }
    return SH_OK;
}

double sh_align_trim_end(const sh_align_config *cfg, const sh_align_levels *lv, const float *env,
                         size_t n, double begin_s, double end_s)
{
    if (!(end_s > begin_s) || !n)
        return end_s;
    double fe = (end_s - cfg->window_s / 2) / cfg->hop_s, fb = (begin_s - cfg->window_s / 2) / cfg->hop_s;
    if (fe < 1 || fb < 0)
        fb = fb < 0 ? 0 : fb;
    size_t e = fe < 0 ? 0 : (size_t)fe, b = (size_t)ceil(fb);
    if (e >= n)
        e = n - 1;
    if (e <= b)
        return end_s;
    /* the quiet run ending at e */
    size_t a = e + 1;
    while (a > b && env[a - 1] < lv->pause_db)
        a--;
    size_t min_len = (size_t)ceil(cfg->min_pause_s / cfg->hop_s);
    if (a > e || e + 1 - a < min_len || a <= b)
        return end_s;
    ctx c = {.cfg = cfg, .env = env, .from = 0, .to = n, .pause_db = lv->pause_db, .edge_db = lv->edge_db};
    double t = speech_end(&c, a, e + 1);
    return t < end_s ? t : end_s;
}

/* ---- dynamic programming ---- */

typedef struct dp {
    size_t n, m;     /* units, pauses */
    float *F, *B;    /* n*m: best cost with unit i ending at pause k (F incl.
                        that boundary's cost; B: everything after it) */
    int32_t *from;   /* n*m back pointers: the start pause of unit i */
    double *expect;  /* expected duration of each unit */
    double *sig;     /* its sigma */
    double *bcost;   /* m: cost of a boundary between units in pause k */
    double *ecost;   /* m: the same for the start of the first unit or the
                        end of the last: a paragraph after an intro starts
                        after a real pause too; 0 at the file's edges */
    float *S;        /* m: best total with the first unit starting at pause k */
} dp;

#define INF_COST 1e30f

static double dur_cost(const dp *d, size_t i, double dur)
{
    if (!(dur > 0.05))
        return 1e9;
    double z = log(dur / d->expect[i]) / d->sig[i];
    return z * z;
}

static void run_dp(const ctx *c, dp *d, bool pinned)
{
    const size_t n = d->n, m = d->m;
    const double skip = c->cfg->skip_cost_s;
    const pause *p = c->p;
    for (size_t x = 0; x < n * m; x++) {
        d->F[x] = INF_COST;
        d->B[x] = INF_COST;
        d->from[x] = -1;
    }
    for (size_t i = 0; i < n; i++) {
        double maxd = d->expect[i] * 3.5 + 2.0;
        for (size_t k = 1; k < m; k++) {
            if (pinned && i == n - 1 && k != m - 1)
                continue;
            double best = INF_COST;
            int32_t arg = -1;
            for (size_t j = k; j-- > 0;) {
                double dur = p[k].off_t - p[j].on_t;
                if (dur > maxd)
                    break;
                double prev;
                if (i == 0)
                    prev = (pinned && j != 0) ? INF_COST : skip * p[j].sound_before + d->ecost[j];
                else
                    prev = d->F[(i - 1) * m + j];
                if (prev >= INF_COST)
                    continue;
                double v = prev + dur_cost(d, i, dur);
                if (v < best) {
                    best = v;
                    arg = (int32_t)j;
                }
            }
            if (arg < 0)
                continue;
            if (i + 1 < n)
                best += d->bcost[k];
            d->F[i * m + k] = (float)best;
            d->from[i * m + k] = arg;
        }
    }
    /* backward */
    for (size_t k = 0; k < m; k++) {
        if (pinned && k != m - 1)
            continue;
        d->B[(n - 1) * m + k] = (float)(skip * (c->sound_total - p[k].sound_before) + d->ecost[k]);
    }
    for (size_t i = n - 1; i-- > 0;) {
        double maxd = d->expect[i + 1] * 3.5 + 2.0;
        for (size_t k = 0; k < m; k++) {
            double best = INF_COST;
            for (size_t q = k + 1; q < m; q++) {
                double dur = p[q].off_t - p[k].on_t;
                if (dur > maxd)
                    break;
                float nb = d->B[(i + 1) * m + q];
                if (nb >= INF_COST)
                    continue;
                double v = nb + dur_cost(d, i + 1, dur) + (i + 1 < n - 1 ? d->bcost[q] : 0);
                if (v < best)
                    best = v;
            }
            d->B[i * m + k] = (float)best;
        }
    }
    /* start of the first unit */
    double maxd = d->expect[0] * 3.5 + 2.0;
    for (size_t j = 0; j < m; j++) {
        d->S[j] = INF_COST;
        if (pinned && j != 0)
            continue;
        double best = INF_COST;
        for (size_t k = j + 1; k < m; k++) {
            double dur = p[k].off_t - p[j].on_t;
            if (dur > maxd)
                break;
            float nb = d->B[k];
            if (nb >= INF_COST)
                continue;
            double v = nb + dur_cost(d, 0, dur) + (n > 1 ? d->bcost[k] : 0);
            if (v < best)
                best = v;
        }
        if (best < INF_COST)
            d->S[j] = (float)(best + skip * p[j].sound_before + d->ecost[j]);
    }
}

/* Confidence of a choice from a row of totals: 1 - exp(-margin/2) where the
 * margin is how much worse the best alternative pause is. */
static double confidence(const float *tot, size_t m, size_t chosen)
{
    double best = tot[chosen], second = INF_COST;
    for (size_t k = 0; k < m; k++)
        if (k != chosen && tot[k] < second)
            second = tot[k];
    if (second >= INF_COST)
        return 1.0;
    double margin = second - best;
    if (margin < 0)
        margin = 0;
    return 1.0 - exp(-margin / 2.0);
}

/* Run the DP at speaking rate `rate` (seconds per weight unit) and trace
 * the best solution back into startk/endk. Returns its total cost, or
 * INF_COST when no solution exists. */
static double solve(const ctx *c, dp *d, bool pinned, const double *weights, double rate, size_t *startk,
                    size_t *endk)
{
    const sh_align_config *cfg = c->cfg;
    for (size_t i = 0; i < d->n; i++) {
        d->expect[i] = weights[i] * rate;
        double rel_floor = 0.6 / d->expect[i]; /* short units vary more */
        d->sig[i] = sqrt(cfg->sigma * cfg->sigma + rel_floor * rel_floor);
    }
    run_dp(c, d, pinned);
    size_t m = d->m, nn = d->n, kbest = 0;
    double total = INF_COST;
    for (size_t k = 0; k < m; k++) {
        float f = d->F[(nn - 1) * m + k], b = d->B[(nn - 1) * m + k];
        if (f < INF_COST && b < INF_COST && f + b < total) {
            total = f + b;
            kbest = k;
        }
    }
    if (total >= INF_COST)
        return INF_COST;
    size_t k = kbest;
    for (size_t i = nn; i-- > 0;) {
        endk[i] = k;
        int32_t j = d->from[i * m + k];
        startk[i] = (size_t)j;
        k = (size_t)j;
    }
    return total;
}

int sh_align_envelope(const sh_align_config *cfg, const float *env, size_t n, size_t from, size_t to,
                      bool pinned, const sh_align_levels *levels, const double *weights,
                      size_t n_units, sh_align_cue *out, sh_align_stats *stats)
{
    if (!cfg || !env || !weights || !out || n_units == 0 || !(cfg->hop_s > 0))
        return SH_ERR_INVALID;
    if (from == 0 && to == 0)
        to = n;
    if (to > n || from >= to)
        return SH_ERR_INVALID;
    for (size_t i = 0; i < n_units; i++)
        if (!(weights[i] > 0) || !isfinite(weights[i]))
            return SH_ERR_INVALID;

    ctx c = {.cfg = cfg, .env = env, .from = from, .to = to};
    sh_align_levels lv;
    if (levels)
        lv = *levels;
    else
        sh_align_measure(env, n, from, to, &lv);
    float floor_db = lv.floor_db, speech_db = lv.speech_db;
    c.pause_db = lv.pause_db;
    c.edge_db = lv.edge_db;
    int rc = find_pauses(&c);
    if (rc != SH_OK) {
        free(c.p);
        return rc;
    }
    dp d = {.n = n_units, .m = c.np};
    size_t nm = d.n * d.m;
    d.F = malloc(nm * sizeof *d.F);
    d.B = malloc(nm * sizeof *d.B);
    d.from = malloc(nm * sizeof *d.from);
    d.expect = malloc(n_units * sizeof *d.expect);
    d.sig = malloc(n_units * sizeof *d.sig);
    d.bcost = malloc(d.m * sizeof *d.bcost);
    d.ecost = malloc(d.m * sizeof *d.ecost);
    d.S = malloc(d.m * sizeof *d.S);
    size_t *endk = malloc(n_units * sizeof *endk);
    size_t *startk = malloc(n_units * sizeof *startk);
    float *row = malloc(d.m * sizeof *row);
    if (!d.F || !d.B || !d.from || !d.expect || !d.sig || !d.bcost || !d.ecost || !d.S || !endk || !startk || !row) {
        rc = SH_ERR_NOMEM;
        goto done;
    }

    /* Boundary cost: pauses at least as long as the (n-1)-th longest cost
     * nothing, shorter ones pause_weight * ln(ref/len). */
    {
        double ref = 0;
        if (n_units > 1) {
            double *lens = malloc(d.m * sizeof *lens);
            if (!lens) {
                rc = SH_ERR_NOMEM;
                goto done;
            }
            size_t nl = 0;
            for (size_t k = 0; k < d.m; k++)
                if (c.p[k].a > from && c.p[k].b < to)
                    lens[nl++] = c.p[k].len_s;
            /* partial selection of the (n-1)-th largest */
            size_t want = n_units - 1 < nl ? n_units - 1 : nl;
            for (size_t i = 0; i < want; i++) {
                size_t mx = i;
                for (size_t j = i + 1; j < nl; j++)
                    if (lens[j] > lens[mx])
                        mx = j;
                double t = lens[i];
                lens[i] = lens[mx];
                lens[mx] = t;
            }
            ref = want ? lens[want - 1] : cfg->min_pause_s;
            free(lens);
        }
        for (size_t k = 0; k < d.m; k++) {
            double len = c.p[k].len_s;
            bool interior = c.p[k].a > from && c.p[k].b < to;
            if (!interior || len <= 0)
                d.bcost[k] = interior ? 50.0 : 20.0;
            else
                d.bcost[k] = len >= ref ? 0 : cfg->pause_weight * log(ref / len);
            d.ecost[k] = interior && !pinned ? d.bcost[k] : 0;
        }
        (void)ref;
    }

    /* Initial speaking rate: the sounding span minus the n-1 longest pauses
     * inside it, over the total weight. */
    double wsum = 0;
    for (size_t i = 0; i < n_units; i++)
        wsum += weights[i];
    double first_on = c.p[0].on_t, last_off = c.p[d.m - 1].off_t;
    double span_s = last_off - first_on;
    {
        double inner = 0;
        /* the longest interior pauses; reuse bcost == 0 as "among the longest" */
        size_t used = 0;
        for (size_t k = 0; k < d.m && used + 1 < n_units; k++)
            if (d.bcost[k] == 0) {
                inner += c.p[k].on_t - c.p[k].off_t;
                used++;
            }
        span_s -= inner;
    }
    if (!(span_s > 0)) {
        rc = SH_ERR_RANGE;
        goto done;
    }
    /* The speaking rate: the first estimate counts every sound, so an
     * intro, an announcer or an outro makes it too slow, and a paragraph
     * could then swallow them. Search a grid around it for the rate whose
     * best solution costs least (the true rate fits every paragraph at
     * once), then refine it from that solution. */
    double rate0 = span_s / wsum, best_rate = rate0, best_total = INF_COST;
    for (int g = -12; g <= 12; g++) {
        double r = rate0 * (1.0 + 0.025 * g);
        double t = solve(&c, &d, pinned, weights, r, startk, endk);
        if (t < best_total) {
            best_total = t;
            best_rate = r;
        }
    }
    /* 1e9 marks a unit squeezed into less than 50 ms: no real solution */
    if (best_total >= 1e8) {
        rc = SH_ERR_RANGE;
        goto done;
    }
    double rate = best_rate;
    int iters = cfg->iterations > 0 ? cfg->iterations : 0;
    for (int it = 0; it < iters; it++) {
        (void)solve(&c, &d, pinned, weights, rate, startk, endk);
        double dsum = 0;
        for (size_t i = 0; i < d.n; i++)
            dsum += c.p[endk[i]].off_t - c.p[startk[i]].on_t;
        double nr = dsum / wsum;
        if (fabs(nr - rate) < 1e-4 * rate)
            break;
        double t = solve(&c, &d, pinned, weights, nr, startk, endk);
        if (!(t < best_total))
            break;
        best_total = t;
        best_rate = rate = nr;
    }
    /* the chosen solution, with its F/B tables for the confidences */
    double total = solve(&c, &d, pinned, weights, best_rate, startk, endk);
    rate = best_rate;
    for (size_t i = 0; i < d.n; i++) {
        sh_align_cue *o = &out[i];
        o->begin = c.p[startk[i]].on_t;
        o->end = c.p[endk[i]].off_t;
        for (size_t k = 0; k < d.m; k++) {
            float f = d.F[i * d.m + k], b = d.B[i * d.m + k];
            row[k] = (f < INF_COST && b < INF_COST) ? f + b : INF_COST;
        }
        o->end_confidence = confidence(row, d.m, endk[i]);
        if (i + 1 < d.n)
            out[i + 1].begin_confidence = o->end_confidence;
    }
    out[0].begin_confidence = pinned ? 1.0 : confidence(d.S, d.m, startk[0]);
    if (pinned)
        out[d.n - 1].end_confidence = 1.0;
    for (size_t i = 0; i < d.n; i++)
        out[i].doubtful = out[i].begin_confidence < cfg->doubtful_below ||
                          out[i].end_confidence < cfg->doubtful_below;
    if (stats) {
        stats->floor_db = floor_db;
        stats->speech_db = speech_db;
        stats->pause_db = c.pause_db;
        stats->edge_db = c.edge_db;
        stats->pauses = c.np;
        stats->seconds_per_unit = rate;
        stats->intro_s = c.p[startk[0]].sound_before;
        stats->outro_s = c.sound_total - c.p[endk[d.n - 1]].sound_before;
        stats->cost = total;
    }
    rc = SH_OK;
done:
    free(c.p);
    free(d.F);
    free(d.B);
    free(d.from);
    free(d.expect);
    free(d.sig);
    free(d.bcost);
    free(d.ecost);
    free(d.S);
    free(endk);
    free(startk);
    free(row);
    return rc;
}

/* ---- text ---- */

double sh_align_text_weight(const char *text)
{
    double w = 0;
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        unsigned char ch = s[i];
        if (isdigit(ch)) {
            size_t d = 0;
            while (i < n && (isdigit(s[i]) || (s[i] == ',' && i + 1 < n && isdigit(s[i + 1])))) {
                d += isdigit(s[i]) != 0;
                i++;
            }
            w += 4.0 * (double)d + 1.0; /* "2026": twenty twenty-six */
            continue;
        }
        if (isupper(ch)) {
            /* an acronym (two or more capitals) is spelled letter by letter */
            size_t j = i;
            while (j < n && isupper(s[j]))
                j++;
            size_t run = j - i;
            if (run >= 2 && (j >= n || !islower(s[j]))) {
                w += 2.5 * (double)run;
                i = j;
                continue;
            }
            w += 1.0;
            i++;
            continue;
        }
        if (isalpha(ch))
            w += 1.0;
        else if (ch == ' ')
            w += 0.3;
        else if (ch == ',' || ch == ';' || ch == ':')
            w += 4.0;
        else if (ch == '$' || ch == '%')
            w += 7.0;
        else if (ch == '&')
            w += 3.0;
        else if (ch == '.' || ch == '!' || ch == '?') {
            /* a sentence end inside the text is a pause; a decimal point or
             * the final stop is not */
            bool inner = false;
            for (size_t j = i + 1; j < n; j++)
                if (isalnum(s[j])) {
                    inner = true;
                    break;
                }
            if (inner && i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '"' || s[i + 1] == '\''))
                w += 7.0;
        } else if (ch >= 0x80) {
            /* other scripts: a code point is about a syllable */
            size_t k = 1;
            while (i + k < n && (s[i + k] & 0xC0) == 0x80)
                k++;
            w += 2.0;
            i += k;
            continue;
        }
        i++;
    }
    return w > 1.0 ? w : 1.0;
}

static bool abbreviation_before(const char *s, size_t dot)
{
    static const char *const abbr[] = {"Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr", "vs",
                                       "etc", "e.g", "i.e", "No", "Inc", "Ltd", "Co", "Corp",
                                       "Gen", "Gov", "Sen", "Rep", "U.S", "U.K", "Jan", "Feb",
                                       "Aug", "Sept", "Oct", "Nov", "Dec"};
    size_t b = dot;
    while (b > 0 && (isalpha((unsigned char)s[b - 1]) || s[b - 1] == '.'))
        b--;
    size_t len = dot - b;
    if (len == 1 && isupper((unsigned char)s[b]))
        return true; /* an initial: "J. Smith" */
    for (size_t i = 0; i < sizeof abbr / sizeof *abbr; i++)
        if (strlen(abbr[i]) == len && strncmp(s + b, abbr[i], len) == 0)
            return true;
    return false;
}

size_t sh_align_split_sentences(const char *text, char ***out)
{
    size_t n = strlen(text), cap = 8, count = 0;
    char **v = malloc(cap * sizeof *v);
    *out = NULL;
    if (!v)
        return 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        bool cut = false;
        size_t end = i;
        if (i == n) {
            cut = true;
        } else if (text[i] == '.' || text[i] == '!' || text[i] == '?') {
            size_t j = i + 1;
            while (j < n && (text[j] == '"' || text[j] == '\'' || text[j] == ')' ||
                             (j + 2 < n && (unsigned char)text[j] == 0xE2 &&
                              (unsigned char)text[j + 1] == 0x80 &&
                              ((unsigned char)text[j + 2] == 0x9D || (unsigned char)text[j + 2] == 0x99)))) {
                j += (unsigned char)text[j] == 0xE2 ? 3 : 1;
            }
            if (j < n && text[j] == ' ') {
                size_t k = j;
                while (k < n && text[k] == ' ')
                    k++;
                unsigned char nx = (unsigned char)text[k];
                bool starts = isupper(nx) || isdigit(nx) || nx == '"' || nx == '\'' || nx == 0xE2;
                if (starts && !(text[i] == '.' && abbreviation_before(text, i))) {
                    cut = true;
                    end = j;
                    i = j;
                }
            }
        }
        if (!cut)
            continue;
        size_t a = start, b = end;
        while (a < b && text[a] == ' ')
            a++;
        while (b > a && text[b - 1] == ' ')
            b--;
        if (b > a) {
            if (count == cap) {
                cap *= 2;
                char **nv = realloc(v, cap * sizeof *nv);
                if (!nv)
                    goto oom;
                v = nv;
            }
            char *s = malloc(b - a + 1);
            if (!s)
                goto oom;
            memcpy(s, text + a, b - a);
            s[b - a] = '\0';
            v[count++] = s;
        }
        start = end;
    }
    *out = v;
    return count;
oom:
    for (size_t i = 0; i < count; i++)
        free(v[i]);
    free(v);
    return 0;
}
