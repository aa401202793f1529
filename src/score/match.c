/* Aligning a take with the reference: the coverage search (which share of
 * the paragraph the take covers), hesitations shortened before alignment,
 * the common normalisation of both envelopes and the pause matching along
 * the path. Pure: no I/O, no globals. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score_int.h"
#include "shadowing/error.h"

/* Mean of each group of f frames (the last group may be shorter). */
static size_t decimate(const float *x, size_t n, int f, float *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i += (size_t)f, m++) {
        size_t e = i + (size_t)f < n ? i + (size_t)f : n;
        double s = 0;
        for (size_t k = i; k < e; k++)
            s += x[k];
        out[m] = (float)(s / (double)(e - i));
    }
    return m;
}

/* Linear interpolation of x[0..n) onto m points spanning the same time:
 * a uniform change of tempo. */
static void resample(const float *x, size_t n, float *out, size_t m)
{
    for (size_t k = 0; k < m; k++) {
        double pos = m > 1 ? (double)k * (double)(n - 1) / (double)(m - 1) : 0.0;
        size_t i = (size_t)pos;
        double frac = pos - (double)i;
        double v = x[i];
        if (i + 1 < n)
            v += frac * ((double)x[i + 1] - v);
        out[k] = (float)v;
    }
}

size_t sh_score_band_for(const sh_score_params *p, double fraction, size_t na, size_t nb, double frame_s)
{
    size_t longer = na > nb ? na : nb;
    double b = fraction * (double)longer;
    double minb = p->min_band_s / frame_s;
    if (b < minb)
        b = minb;
    return (size_t)ceil(b);
}

/* The coverage search over decimated envelopes (see find_coverage). */
typedef struct coverage_search {
    const sh_score_params *p;
    const float *rc, *tc; /* reference and take at the coarse rate */
    size_t nc, mc;
    float *ts;            /* scratch: the take stretched to a prefix */
    double frame_s;
    double whole_cost, best_cost, best_c;
    int best_k;
} coverage_search;

/* Mean DTW cost of the take stretched uniformly onto the first n frames of
 * the reference (a narrow band: at the take's own average tempo). */
static int prefix_cost(coverage_search *s, const float *ref, size_t n, double *cost)
{
    resample(s->tc, s->mc, s->ts, n);
    return sh_dtw_banded_cost(ref, n, s->ts, n, sh_score_band_for(s->p, s->p->coverage_band, n, n, s->frame_s), cost);
}

/* Try candidate k: coverage 1 - k*step. */
static int consider(coverage_search *s, int k)
{
    double c = 1.0 - k * s->p->coverage_step;
    size_t n = (size_t)lround(c * (double)s->nc);
    if (n < 1)
        n = 1;
    /* A prefix the take could only match at an implausible pace (more
     * than max_tempo times slower) is not a candidate. */
    if (k > 0 && (double)s->mc > s->p->max_tempo * (double)n)
        return SH_OK;
    double cost;
    int rc = prefix_cost(s, s->rc, n, &cost);
    if (rc != SH_OK)
        return rc;
    if (k == 0) {
        s->whole_cost = s->best_cost = cost;
    } else if (cost < s->best_cost && cost < s->whole_cost - s->p->coverage_margin) {
        s->best_cost = cost;
        s->best_c = (double)n / (double)s->nc;
        s->best_k = k;
    }
    return SH_OK;
}

/* Which share of the reference R[0..N) the take T[0..M) covers: align T,
 * stretched uniformly, with prefixes of R at a coarse resolution and keep
 * the prefix with the cheapest mean cost. The whole reference wins unless a
 * prefix is clearly (coverage_margin) cheaper: speaking fast is not
 * stopping early. */
int sh_score_find_coverage(const sh_score_params *p, const float *R, size_t N, const float *T, size_t M,
                         coverage_fit *fit)
{
    int f = p->coarse_factor;
    size_t nc = (N + (size_t)f - 1) / (size_t)f, mc = (M + (size_t)f - 1) / (size_t)f;
    float *rc = malloc(nc * sizeof *rc), *tc = malloc(mc * sizeof *tc), *ts = malloc(nc * sizeof *ts);
    if (!rc || !tc || !ts) {
        free(rc);
        free(tc);
        free(ts);
        return SH_ERR_NOMEM;
    }
    decimate(R, N, f, rc);
    decimate(T, M, f, tc);
    coverage_search s = {
        .p = p, .rc = rc, .tc = tc, .nc = nc, .mc = mc, .ts = ts, .frame_s = p->hop_s * f,
        .whole_cost = INFINITY, .best_cost = INFINITY, .best_c = 1.0, .best_k = 0,
    };
    /* Candidates k = 0, 1, 2, ...: coverage 1 - k*step down to min_coverage
     * (integer steps, so they are exact and repeatable). The even ones (and
     * the last) first, then the two odd neighbours of the best: the cost
     * changes slowly with the coverage, and this halves the work. */
    int steps = (int)floor((1.0 - p->min_coverage) / p->coverage_step + 1e-9);
    int rc_ = SH_OK;
    for (int k = 0; k <= steps && rc_ == SH_OK; k += 2)
        rc_ = consider(&s, k);
    if (rc_ == SH_OK && steps % 2 == 1)
        rc_ = consider(&s, steps);
    int b = s.best_k;
    for (int k = b - 1; k <= b + 1 && rc_ == SH_OK; k += 2)
        if (k > 0 && k < steps && k % 2 == 1)
            rc_ = consider(&s, k);
    double best_c = s.best_c, best_cost = s.best_cost;
    fit->coverage = best_c;
    fit->cost = best_cost;
    fit->null_cost = best_cost;
    if (rc_ == SH_OK) {
        /* How well the take follows this paragraph, against chance: the
         * take aligned with the covered part in a wide band (a voice of its
         * own times its syllables its own way: the uniform stretch of the
         * search above is too strict for that), and the same against the
         * covered part played backwards (same levels, same length, wrong
         * order). */
        size_t n = (size_t)lround(best_c * (double)nc);
        if (n < 1)
            n = 1;
        size_t band = sh_score_band_for(p, p->match_band, n, mc, s.frame_s);
        rc_ = sh_dtw_banded_cost(rc, n, tc, mc, band, &fit->cost);
        for (size_t i = 0; i < n / 2 && rc_ == SH_OK; i++) {
            float t = rc[i];
            rc[i] = rc[n - 1 - i];
            rc[n - 1 - i] = t;
        }
        if (rc_ == SH_OK)
            rc_ = sh_dtw_banded_cost(rc, n, tc, mc, band, &fit->null_cost);
    }
    free(rc);
    free(tc);
    free(ts);
    return rc_;
}

/* Index of the reference frame the path maps take frame t to (the first
 * step that reaches it). Path in whole-recording frames, sorted by b. */
size_t sh_score_map_take_frame(const sh_dtw_step *path, size_t len, size_t t)
{
    size_t lo = 0, hi = len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (path[mid].b < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= len)
        lo = len - 1;
    return path[lo].a;
}

/* Pauses: match each reference pause in the covered part with a take pause
 * mapped through the path onto the reference time line. */
void sh_score_pauses(const sh_score_params *p, sh_score_result *r, size_t cover_end)
{
    size_t tol = (size_t)lround(p->pause_tolerance_s / p->hop_s);
    int nref = 0, matched = 0;
    unsigned char *used = calloc((size_t)r->take.pauses + 1, 1);
    for (int i = 0; i < r->ref.pauses; i++) {
        sh_span rp = r->ref_pauses[i];
        if (rp.begin >= cover_end)
            break;
        nref++;
        r->ref_pause_state[i] = 1; /* missed, unless matched below */
        for (int k = 0; k < r->take.pauses; k++) {
            if (used && used[k])
                continue;
            sh_span tp = r->take_pauses[k];
            size_t a0 = sh_score_map_take_frame(r->path, r->path_len, tp.begin);
            size_t a1 = sh_score_map_take_frame(r->path, r->path_len, tp.end);
            /* Overlap, with `tol` frames of slack on both sides. */
            if (a0 <= rp.end + tol && rp.begin <= a1 + tol) {
                matched++;
                r->ref_pause_state[i] = 2;
                if (used)
                    used[k] = 1;
                break;
            }
        }
    }
    free(used);
    r->pauses_matched = matched;
    r->pauses_missed = nref - matched;
    r->pauses_extra = r->take.pauses - matched;
    int denom = nref + r->take.pauses;
    /* F1 of the matching: 100 when both made the same pauses (or none);
     * each hesitation costs another quarter. */
    double f1 = denom == 0 ? 100.0 : 200.0 * matched / denom;
    r->sub[SH_SUB_PAUSES] = sh_score_clamp100(f1 - 25.0 * r->hesitations);
}

/* A hesitation is a take pause longer than hesitation_s and longer than the
 * speaker's longest pause by half a second: the learner stopped to think.
 * Aligning through it would force the band to bend by its whole length, so
 * the take's envelope is aligned with each hesitation cut down to the
 * speaker's longest pause (at least 0.3 s), half from each end. Writes the
 * shortened envelope of take frames [first, end) to *out (malloc'ed), the
 * original frame of each of its frames to *map, and counts the hesitations
 * into the result. */
int sh_score_shorten_hesitations(const sh_score_params *p, sh_score_result *r, size_t first, size_t end,
                               float **out, uint32_t **map, size_t *len)
{
    size_t longest = 0;
    for (int i = 0; i < r->ref.pauses; i++) {
        size_t l = r->ref_pauses[i].end - r->ref_pauses[i].begin;
        longest = l > longest ? l : longest;
    }
    double hop = p->hop_s;
    double thr = fmax(p->hesitation_s / hop, (double)longest + 0.5 / hop);
    size_t keep = longest > (size_t)lround(0.3 / hop) ? longest : (size_t)lround(0.3 / hop);
    size_t m = end - first;
    float *t = malloc((m ? m : 1) * sizeof *t);
    uint32_t *idx = malloc((m ? m : 1) * sizeof *idx);
    if (!t || !idx) {
        free(t);
        free(idx);
        return SH_ERR_NOMEM;
    }
    size_t k = 0;
    int pi = 0;
    for (size_t i = first; i < end;) {
        while (pi < r->take.pauses && r->take_pauses[pi].end <= i)
            pi++;
        if (pi < r->take.pauses && r->take_pauses[pi].begin == i) {
            size_t l = r->take_pauses[pi].end - r->take_pauses[pi].begin;
            if ((double)l > thr) {
                double secs = (double)l * hop;
                r->take_pause_state[pi] = 1;
                r->hesitations++;
                if (secs > r->hesitation_s) {
                    r->hesitation_s = secs;
                    r->hesitation_at_s = (double)i * hop;
                }
                /* Keep keep/2 frames from each end of the gap. */
                for (size_t j = 0; j < keep; j++) {
                    size_t src = j < keep / 2 ? i + j : i + l - (keep - j);
                    t[k] = r->take_env[src];
                    idx[k++] = (uint32_t)src;
                }
                i += l;
                continue;
            }
        }
        t[k] = r->take_env[i];
        idx[k++] = (uint32_t)i;
        i++;
    }
    *out = t;
    *map = idx;
    *len = k;
    return SH_OK;
}

/* Map both envelopes to 0..1 over the SAME dynamic range below each one's
 * speech level: the smaller of the two recordings' ranges (speech level
 * down to the quietest frames, digital silence included) and norm_range_db.
 * A clean reference then shows its syllable valleys as deep as a noisy
 * take can show them, and no deeper: both contours are cut at the same
 * depth, so noise alone does not make them differ. A side without speech
 * is drawn over 40 dB above its noise floor, low in the pictures. */
void sh_score_normalize_both(const sh_score_params *p, const side_work *a, const side_work *b, float *na,
                           float *nb)
{
    double range = p->norm_range_db;
    const side_work *s[2] = {a, b};
    for (int i = 0; i < 2; i++)
        if (s[i]->vad.speech && (double)(s[i]->vad.peak_db - s[i]->vad.floor_db) < range)
            range = (double)(s[i]->vad.peak_db - s[i]->vad.floor_db);
    float *out[2] = {na, nb};
    for (int i = 0; i < 2; i++) {
        const sh_vad_result *v = &s[i]->vad;
        float top = v->speech ? v->peak_db : v->noise_db + 40.0f;
        float lo = v->speech ? (float)((double)top - range) : v->noise_db;
        sh_envelope_normalize(s[i]->db, s[i]->n, lo, top, p->smooth_frames, out[i]);
    }
}

/* The longest run of `mask`ed frames i in [lo, hi) (unmasked frames do not
 * break a run, they only do not count) whose local slope map[i + w] -
 * map[i] over w frames is below w * slope: the other recording hardly moved
 * while this one went on. Returns the masked frames in it, and its first
 * frame in *at. */
static size_t stalled_run(const uint32_t *map, const unsigned char *mask, size_t lo, size_t hi, size_t w,
                          double slope, size_t *at)
{
    size_t best = 0, cur = 0, start = lo, gap = 0;
    *at = lo;
    for (size_t i = lo; i < hi; i++) {
        size_t k = i >= lo + w / 2 ? i - w / 2 : lo;
        size_t j = k + w < hi ? k + w : hi - 1;
        bool stalled = j > k && (double)(map[j] - map[k]) < slope * (double)(j - k);
        if (stalled && mask[i]) {
            if (cur == 0)
                start = i;
            cur++;
            gap = 0;
        } else if (!stalled || gap > w) {
            cur = 0;
        } else {
            gap++;
        }
        if (cur > best) {
            best = cur;
            *at = start;
        }
    }
    return best;
}

int sh_score_path_stats(const sh_score_params *p, sh_score_result *r, const unsigned char *take_ok,
                        size_t ref_voiced, size_t rf, size_t rn)
{
    const sh_dtw_step *path = r->path;
    size_t len = r->path_len;
    /* Completeness: reference speech frames matched by take speech frames.
     * One take frame vouches for at most cover_per_frame reference frames:
     * DTW would otherwise stretch the last syllable before a left-out
     * phrase over the whole phrase and call it matched. */
    size_t ref_hit = 0, last_a = SIZE_MAX, last_b = SIZE_MAX;
    unsigned uses = 0;
    for (size_t k = 0; k < len; k++) {
        size_t a = path[k].a, b = path[k].b;
        if (!r->ref_mask[a] || !take_ok[b])
            continue;
        if (b != last_b) {
            uses = 0;
            last_b = b;
        }
        if (a != last_a && uses < p->cover_per_frame) {
            ref_hit++;
            uses++;
            last_a = a;
        }
    }
    r->completeness = ref_voiced ? (double)ref_hit / (double)ref_voiced : 0.0;

    /* Where one side stood still while the other spoke on: the speaker's
     * speech the take went past (left out), and take speech against no
     * reference speech (said twice, or added). Both from the path mapped
     * frame by frame, over a window of half a second. */
    uint32_t *a2b = malloc((r->ref_frames ? r->ref_frames : 1) * sizeof *a2b);
    uint32_t *b2a = malloc((r->take_frames ? r->take_frames : 1) * sizeof *b2a);
    if (!a2b || !b2a) {
        free(a2b);
        free(b2a);
        return SH_ERR_NOMEM;
    }
    size_t b_lo = path[0].b, b_hi = path[len - 1].b + 1;
    for (size_t k = 0; k < len; k++) {
        if (k == 0 || path[k].a != path[k - 1].a)
            a2b[path[k].a] = path[k].b;
        if (k == 0 || path[k].b != path[k - 1].b)
            b2a[path[k].b] = path[k].a;
    }
    /* The path skips the middle of shortened hesitations: fill the holes. */
    for (size_t b = b_lo + 1; b < b_hi; b++)
        if (b2a[b] < b2a[b - 1] || b2a[b] > path[len - 1].a)
            b2a[b] = b2a[b - 1];
    size_t w = (size_t)lround(p->stall_window_s / p->hop_s), at;
    /* Slopes against the take's own average pace, so a fast reader is not
     * taken for one who left things out. */
    double pace = (double)(b_hi - b_lo) / (double)(rn ? rn : 1);
    size_t sk = stalled_run(a2b, r->ref_mask, rf, rf + rn, w, p->stall_slope * pace, &at);
    r->skipped_s = (double)sk * p->hop_s;
    r->skipped_at_s = (double)at * p->hop_s;
    size_t ex = stalled_run(b2a, r->take_mask, b_lo, b_hi, w, p->stall_slope / pace, &at);
    r->extra_s = (double)ex * p->hop_s;
    r->extra_at_s = (double)at * p->hop_s;
    free(a2b);
    free(b2a);
    return SH_OK;
}

int sh_score_align_coarse(const sh_score_params *p, const float *R, size_t N, const float *T, size_t M,
                          sh_dtw_result *out)
{
    /* DTW at coarse_factor times the hop (20 ms by default: a quarter of
     * the cells), then the path brought back to full frames by putting the
     * midpoint between each pair of coarse steps. Pauses are matched with
     * 250 ms of slack and completeness counts frames: 20 ms is fine enough
     * for both. */
    int f = p->coarse_factor;
    memset(out, 0, sizeof *out);
    size_t nc = (N + (size_t)f - 1) / (size_t)f, mc = (M + (size_t)f - 1) / (size_t)f;
    float *rc = malloc((nc ? nc : 1) * sizeof *rc), *tc = malloc((mc ? mc : 1) * sizeof *tc);
    if (!rc || !tc) {
        free(rc);
        free(tc);
        return SH_ERR_NOMEM;
    }
    decimate(R, N, f, rc);
    decimate(T, M, f, tc);
    sh_dtw_result d;
    int rc_ = sh_dtw_banded(rc, nc, tc, mc, sh_score_band_for(p, p->band_fraction, nc, mc, p->hop_s * f), &d);
    free(rc);
    free(tc);
    if (rc_ != SH_OK)
        return rc_;
    /* At most f steps per coarse step, plus the way to the last frames. */
    size_t cap = d.len * (size_t)f + (size_t)f + N + M;
    sh_dtw_step *path = malloc(cap * sizeof *path);
    if (!path) {
        sh_dtw_result_free(&d);
        return SH_ERR_NOMEM;
    }
    size_t len = 0;
    for (size_t k = 0; k < d.len; k++) {
        size_t a = (size_t)d.path[k].a * (size_t)f, b = (size_t)d.path[k].b * (size_t)f;
        size_t na = k + 1 < d.len ? (size_t)d.path[k + 1].a * (size_t)f : a;
        size_t nb = k + 1 < d.len ? (size_t)d.path[k + 1].b * (size_t)f : b;
        /* from (a, b) towards the next coarse step, one frame at a time */
        for (int s = 0; s < f; s++) {
            size_t x = a + (na > a ? (size_t)s : 0), y = b + (nb > b ? (size_t)s : 0);
            if (x >= N || y >= M || (len && path[len - 1].a == x && path[len - 1].b == y))
                continue;
            path[len++] = (sh_dtw_step){(uint32_t)x, (uint32_t)y};
            if (na == a && nb == b)
                break;
        }
    }
    /* On to (N-1, M-1). */
    while (len && (path[len - 1].a < N - 1 || path[len - 1].b < M - 1)) {
        sh_dtw_step q = path[len - 1];
        if (q.a < N - 1)
            q.a++;
        if (q.b < M - 1)
            q.b++;
        path[len++] = q;
    }
    out->total_cost = d.total_cost;
    out->mean_cost = d.mean_cost;
    out->cells = d.cells;
    out->work_bytes = d.work_bytes;
    sh_dtw_result_free(&d);
    out->path = path;
    out->len = len;
    return SH_OK;
}
