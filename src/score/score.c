/* Scoring a repeat: envelopes, voice activity, coverage, alignment and the
 * sub-scores. Pure: no I/O, no globals. See include/shadowing/score.h and
 * doc/scoring.md. */
#include "shadowing/score.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/envelope.h"
#include "shadowing/error.h"

static const char *const sub_names[SH_SUB_COUNT] = {"duration", "energy", "completeness", "pauses",
                                                    "level"};

const char *sh_score_sub_name(int sub)
{
    return sub >= 0 && sub < SH_SUB_COUNT ? sub_names[sub] : "?";
}

sh_score_params sh_score_params_init(void)
{
    sh_score_params p = {
        .window_s = 0.025,
        .hop_s = 0.010,
        .vad = sh_vad_params_init(),
        .smooth_frames = 3,
        .band_fraction = 0.05,
        .min_band_s = 0.30,
        .coarse_factor = 2,
        .coverage_band = 0.03,
        .min_coverage = 0.20,
        .coverage_step = 0.05,
        .coverage_margin = 0.01,
        .max_tempo = 2.0,
        .min_speech_s = 0.30,
        .hesitation_s = 1.0,
        .norm_range_db = 50.0,
        .cover_per_frame = 3,
        .duration_good = 1.10,
        .duration_bad = 1.60,
        .energy_good = 0.60,
        .energy_bad = 0.90,
        .wrong_text_ratio = 0.85,
        .complete_good = 0.90,
        .complete_bad = 0.30,
        .pause_tolerance_s = 0.25,
        .quiet_db = -35.0,
        .silent_db = -60.0,
        .clip_level = 0.999,
        .clip_penalty = 5.0,
        .weights = {0.25, 0.25, 0.30, 0.10, 0.10},
    };
    return p;
}

static bool params_ok(const sh_score_params *p)
{
    double wsum = 0;
    for (int i = 0; i < SH_SUB_COUNT; i++) {
        if (!(p->weights[i] >= 0))
            return false;
        wsum += p->weights[i];
    }
    return wsum > 0 && p->window_s > 0 && p->hop_s > 0 && p->smooth_frames >= 1 &&
           p->band_fraction >= 0 && p->min_band_s >= 0 && p->coarse_factor >= 1 &&
           p->min_coverage > 0 && p->min_coverage <= 1 && p->coverage_step > 0 && p->max_tempo >= 1 &&
           p->duration_good >= 1 && p->duration_bad > p->duration_good &&
           p->energy_bad > p->energy_good && p->wrong_text_ratio > 0 && p->complete_good > p->complete_bad &&
           p->quiet_db > p->silent_db && p->clip_level > 0 && p->pause_tolerance_s >= 0 &&
           p->hesitation_s > 0 && p->norm_range_db > 0 && p->cover_per_frame >= 1;
}

/* Linear map of x from [bad, good] (either order) to [0, 100], clamped. */
static double ramp(double x, double bad, double good)
{
    double t = (x - bad) / (good - bad);
    return 100.0 * (t < 0 ? 0 : t > 1 ? 1 : t);
}

static int to_score(double x)
{
    long v = lround(x);
    return (int)(v < 0 ? 0 : v > 100 ? 100 : v);
}

/* One recording: envelope, VAD, normalised envelope, clipping. */
typedef struct side_work {
    float *db;
    size_t n;
    sh_vad_result vad;
} side_work;

static int analyse_side(const sh_score_params *p, const float *x, size_t nx, int rate, side_work *w,
                        sh_score_side *s, float **norm, unsigned char **mask)
{
    sh_envelope_config ec = sh_envelope_config_init(rate);
    ec.window_s = p->window_s;
    ec.hop_s = p->hop_s;
    size_t nf = sh_envelope_frame_count(&ec, nx);
    w->n = nf;
    w->db = malloc((nf ? nf : 1) * sizeof *w->db);
    *norm = malloc((nf ? nf : 1) * sizeof **norm);
    *mask = malloc(nf ? nf : 1);
    if (!w->db || !*norm || !*mask)
        return SH_ERR_NOMEM;
    long got = sh_envelope_compute(&ec, x, nx, w->db, nf);
    if (got < 0)
        return (int)got;
    int rc = sh_vad(&p->vad, w->db, nf, *mask, &w->vad);
    if (rc != SH_OK)
        return rc;
    /* Clipping: count runs of samples at full scale, not samples, so one
     * overdriven syllable counts once. The peak pass vectorises; the run
     * count only runs when something reached the clip level. */
    /* |x| compared as integers (the IEEE bit pattern of a non-negative
     * float orders like its value), four lanes at a time. */
    uint32_t lane[4] = {0, 0, 0, 0};
    size_t i4 = 0;
    for (; i4 + 4 <= nx; i4 += 4) {
        for (int l = 0; l < 4; l++) {
            uint32_t u;
            memcpy(&u, &x[i4 + (size_t)l], sizeof u);
            u &= 0x7fffffffu;
            lane[l] = u > lane[l] ? u : lane[l];
        }
    }
    for (; i4 < nx; i4++) {
        uint32_t u;
        memcpy(&u, &x[i4], sizeof u);
        u &= 0x7fffffffu;
        lane[0] = u > lane[0] ? u : lane[0];
    }
    uint32_t top = lane[0];
    for (int l = 1; l < 4; l++)
        top = lane[l] > top ? lane[l] : top;
    /* An infinity or NaN sorts above every finite value this way: such a
     * recording is refused rather than scored as garbage. */
    if (top >= 0x7f800000u)
        return SH_ERR_INVALID;
    float peakf;
    memcpy(&peakf, &top, sizeof peakf);
    double peak = peakf;
    int clipped = 0;
    if (peak >= p->clip_level) {
        /* Clipped samples less than 10 ms apart belong to one event: a
         * lossy codec turns one flat top into ripples around full scale. */
        size_t gap = (size_t)rate / 100, last = 0;
        bool any = false;
        for (size_t i = 0; i < nx; i++) {
            if (fabs((double)x[i]) >= p->clip_level) {
                if (!any || i - last > gap)
                    clipped++;
                any = true;
                last = i;
            }
        }
    }
    double hop = p->hop_s;
    memset(s, 0, sizeof *s);
    s->duration_s = (double)nx / rate;
    s->speech = w->vad.speech;
    s->speech_begin_s = (double)w->vad.first * hop;
    s->speech_end_s = (double)w->vad.end * hop;
    if (s->speech_end_s > s->duration_s)
        s->speech_end_s = s->duration_s;
    s->span_s = s->speech_end_s - s->speech_begin_s;
    s->voiced_s = (double)w->vad.voiced * hop;
    s->noise_db = w->vad.noise_db;
    s->speech_db = w->vad.peak_db;
    s->peak = peak;
    s->clipped = clipped;
    s->pauses = (int)w->vad.pauses;
    return SH_OK;
}

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

static size_t band_for(const sh_score_params *p, double fraction, size_t na, size_t nb, double frame_s)
{
    size_t longer = na > nb ? na : nb;
    double b = fraction * (double)longer;
    double minb = p->min_band_s / frame_s;
    if (b < minb)
        b = minb;
    return (size_t)ceil(b);
}

typedef struct coverage_fit {
    double coverage;  /* share of the reference covered */
    double cost;      /* mean DTW cost at that coverage, uniform tempo */
    double null_cost; /* the same against the reference reversed in time */
} coverage_fit;

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
    return sh_dtw_banded_cost(ref, n, s->ts, n, band_for(s->p, s->p->coverage_band, n, n, s->frame_s), cost);
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
static int find_coverage(const sh_score_params *p, const float *R, size_t N, const float *T, size_t M,
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
        /* Chance level for this take and this reference: the same alignment
         * against the reference played backwards (same levels, same length,
         * wrong order). The energy score is how far below it the real cost is. */
        size_t n = (size_t)lround(best_c * (double)nc);
        if (n < 1)
            n = 1;
        for (size_t i = 0; i < n / 2; i++) {
            float t = rc[i];
            rc[i] = rc[n - 1 - i];
            rc[n - 1 - i] = t;
        }
        rc_ = prefix_cost(&s, rc, n, &fit->null_cost);
    }
    free(rc);
    free(tc);
    free(ts);
    return rc_;
}

/* Index of the reference frame the path maps take frame t to (the first
 * step that reaches it). Path in whole-recording frames, sorted by b. */
static size_t map_take_frame(const sh_dtw_step *path, size_t len, size_t t)
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

static void add_feedback(sh_score_result *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void add_feedback(sh_score_result *r, const char *fmt, ...)
{
    if (r->n_feedback >= SH_SCORE_MAX_FEEDBACK)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->feedback[r->n_feedback], sizeof r->feedback[0], fmt, ap);
    va_end(ap);
    r->n_feedback++;
}

static const char *verdict_for(int total)
{
    return total >= 85 ? "excellent" : total >= 70 ? "good" : total >= 50 ? "fair" : "weak";
}

/* Pauses: match each reference pause in the covered part with a take pause
 * mapped through the path onto the reference time line. */
static void score_pauses(const sh_score_params *p, sh_score_result *r, size_t cover_end)
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
            size_t a0 = map_take_frame(r->path, r->path_len, tp.begin);
            size_t a1 = map_take_frame(r->path, r->path_len, tp.end);
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
    r->sub[SH_SUB_PAUSES] = to_score(f1 - 25.0 * r->hesitations);
}

static void write_feedback(const sh_score_params *p, sh_score_result *r)
{
    if (r->take.clipped > 0)
        add_feedback(r, "Your recording clipped %d time%s: move back from the microphone or lower the input level",
                     r->take.clipped, r->take.clipped == 1 ? "" : "s");
    if (r->take.speech_db < p->quiet_db)
        add_feedback(r, "Your voice was quiet (%.0f dBFS): move closer to the microphone or raise the input level",
                     r->take.speech_db);
    /* No better than chance: often another paragraph altogether, which
     * matters more than anything about pace. */
    if (r->energy_ratio >= p->wrong_text_ratio)
        add_feedback(r, "Your rhythm does not follow this paragraph at all: check that you repeated the right one");
    bool early = r->coverage < 0.85;
    if (early) {
        /* The share of the paragraph reached, to the nearest 5%. */
        long pct = lround(r->coverage * 20.0) * 5;
        add_feedback(r, "You stopped at about %ld%% of the paragraph: keep going to the end", pct);
    } else if (r->completeness < p->complete_good - 0.10) {
        /* Reached the end, but long stretches of the speaker's speech were
         * met with silence: skipped phrases. */
        long pct = lround((1.0 - r->completeness) * 20.0) * 5;
        add_feedback(r, "You left out about %ld%% of the speaker's speech: say every phrase", pct);
    }
    if (r->hesitations > 0)
        add_feedback(r, "You stopped for %.1f s at %.1f s%s: keep going, even if you miss a word",
                     r->hesitation_s, r->hesitation_at_s,
                     r->hesitations > 1 ? " (and hesitated more)" : "");
    if (r->tempo_ratio > p->duration_good)
        add_feedback(r, "You took %.1fx as long as the speaker%s: speak a little faster and keep up with the voice",
                     r->tempo_ratio, early ? " for the part you said" : "");
    else if (r->tempo_ratio < 1.0 / p->duration_good)
        add_feedback(r, "You were too fast: %.1fx the speaker's time%s; slow down and follow the speaker's rhythm",
                     r->tempo_ratio, early ? " for the part you said" : "");
    if (r->pauses_missed >= 2)
        add_feedback(r, "You ran through %d of the speaker's pauses: pause where the speaker does",
                     r->pauses_missed);
    else if (r->pauses_extra >= 2)
        add_feedback(r, "You paused %d times where the speaker did not: keep each phrase together",
                     r->pauses_extra);
    if (r->sub[SH_SUB_ENERGY] < 40 && r->energy_ratio < p->wrong_text_ratio)
        add_feedback(r, "Your rhythm and stress differ from the speaker's: listen again and copy which words are loud");
    if (r->n_feedback == 0)
        add_feedback(r, r->total >= 85 ? "Close to the speaker in pace, rhythm and length: well done"
                                       : "Listen once more and match the speaker's rhythm and stress");
}

/* A hesitation is a take pause longer than hesitation_s and longer than the
 * speaker's longest pause by half a second: the learner stopped to think.
 * Aligning through it would force the band to bend by its whole length, so
 * the take's envelope is aligned with each hesitation cut down to the
 * speaker's longest pause (at least 0.3 s), half from each end. Writes the
 * shortened envelope of take frames [first, end) to *out (malloc'ed), the
 * original frame of each of its frames to *map, and counts the hesitations
 * into the result. */
static int shorten_hesitations(const sh_score_params *p, sh_score_result *r, size_t first, size_t end,
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
static void normalize_both(const sh_score_params *p, const side_work *a, const side_work *b, float *na,
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

static int compute(const sh_score_params *p, const float *ref, size_t nref, const float *take,
                   size_t ntake, int rate, sh_score_result *r)
{
    side_work rw = {0}, tw = {0};
    int rc = analyse_side(p, ref, nref, rate, &rw, &r->ref, &r->ref_env, &r->ref_mask);
    if (rc == SH_OK)
        rc = analyse_side(p, take, ntake, rate, &tw, &r->take, &r->take_env, &r->take_mask);
    if (rc == SH_OK)
        normalize_both(p, &rw, &tw, r->ref_env, r->take_env);
    free(rw.db);
    free(tw.db);
    if (rc != SH_OK)
        return rc;
    r->ref_frames = rw.n;
    r->take_frames = tw.n;
    r->hop_s = p->hop_s;

    /* Pause spans of both, for scoring and pictures. */
    r->ref_pauses = malloc(((size_t)r->ref.pauses + 1) * sizeof *r->ref_pauses);
    r->take_pauses = malloc(((size_t)r->take.pauses + 1) * sizeof *r->take_pauses);
    r->ref_pause_state = calloc((size_t)r->ref.pauses + 1, 1);
    r->take_pause_state = calloc((size_t)r->take.pauses + 1, 1);
    if (!r->ref_pauses || !r->take_pauses || !r->ref_pause_state || !r->take_pause_state)
        return SH_ERR_NOMEM;
    sh_vad_pauses(r->ref_mask, rw.vad.first, rw.vad.end, r->ref_pauses, (size_t)r->ref.pauses);
    sh_vad_pauses(r->take_mask, tw.vad.first, tw.vad.end, r->take_pauses, (size_t)r->take.pauses);

    if (!r->ref.speech) {
        r->verdict = "no reference speech";
        add_feedback(r, "The reference has no speech: check the cue's begin and end times");
        return SH_OK;
    }
    if (!r->take.speech || r->take.span_s < p->min_speech_s) {
        r->take.speech = false;
        r->verdict = "no speech detected";
        add_feedback(r, "No speech detected: check that the microphone is on and not muted, then repeat the paragraph");
        return SH_OK;
    }

    /* Align the speech spans, over the share of the reference covered,
     * with the take's hesitations shortened (see shorten_hesitations). */
    size_t rf = rw.vad.first, N = rw.vad.end - rw.vad.first;
    float *tk = NULL;
    uint32_t *tmap = NULL;
    size_t M = 0;
    rc = shorten_hesitations(p, r, tw.vad.first, tw.vad.end, &tk, &tmap, &M);
    if (rc != SH_OK)
        return rc;
    coverage_fit fit;
    rc = find_coverage(p, r->ref_env + rf, N, tk, M, &fit);
    if (rc != SH_OK) {
        free(tk);
        free(tmap);
        return rc;
    }
    r->coverage = fit.coverage;
    size_t n = (size_t)lround(r->coverage * (double)N);
    if (n < 1)
        n = 1;
    if (n > N)
        n = N;
    r->coverage = (double)n / (double)N;
    sh_dtw_result d;
    rc = sh_dtw_banded(r->ref_env + rf, n, tk, M, band_for(p, p->band_fraction, n, M, p->hop_s), &d);
    free(tk);
    if (rc != SH_OK) {
        free(tmap);
        return rc;
    }
    /* Back to whole-recording frames (the path may now jump over the
     * middle of a hesitation). */
    for (size_t k = 0; k < d.len; k++) {
        d.path[k].a += (uint32_t)rf;
        d.path[k].b = tmap[d.path[k].b];
    }
    free(tmap);
    r->path = d.path;
    r->path_len = d.len;
    r->dtw_cost = fit.cost;
    r->dtw_null_cost = fit.null_cost;
    r->energy_ratio = fit.null_cost > 0 ? fit.cost / fit.null_cost : 1.0;

    /* Completeness: reference voiced frames matched by voiced take frames.
     * Counting the frames on both sides of such matches also gives the pace
     * where both speak: a hesitation (silence) or a left-out phrase (speech
     * met by silence) does not pass for slow or fast speech. The path is
     * sorted by a and by b, so a frame is new when its index changes. */
    size_t ref_hit = 0, take_hit = 0, ref_any = 0;
    size_t last_a = SIZE_MAX, last_b = SIZE_MAX, last_any = SIZE_MAX;
    /* One take frame vouches for at most cover_per_frame reference frames:
     * DTW would otherwise stretch the last syllable before a left-out
     * phrase over the whole phrase and call it matched. */
    unsigned uses = 0;
    for (size_t k = 0; k < d.len; k++) {
        size_t a = d.path[k].a, b = d.path[k].b;
        if (!r->ref_mask[a] || !r->take_mask[b])
            continue;
        if (b != last_b) {
            take_hit++;
            uses = 0;
            last_b = b;
        }
        if (a != last_any) {
            ref_any++;
            last_any = a;
        }
        if (a != last_a && uses < p->cover_per_frame) {
            ref_hit++;
            uses++;
            last_a = a;
        }
    }
    r->completeness = rw.vad.voiced ? (double)ref_hit / (double)rw.vad.voiced : 0.0;
    /* Speaking time: the geometric mean of the voiced-time and speech-span
     * ratios, so that slow speech counts fully and a long hesitation
     * (which stretches only the span) counts in part. */
    r->duration_ratio = sqrt(((double)tw.vad.voiced / (double)rw.vad.voiced) * (r->take.span_s / r->ref.span_s));
    r->tempo_ratio = ref_hit ? (double)take_hit / (double)ref_hit : (double)M / (double)n;
    double lg = fabs(log(r->duration_ratio));
    r->sub[SH_SUB_DURATION] = to_score(ramp(lg, log(p->duration_bad), log(p->duration_good)));
    r->sub[SH_SUB_ENERGY] = to_score(ramp(r->energy_ratio, p->energy_bad, p->energy_good));
    r->sub[SH_SUB_COMPLETENESS] = to_score(ramp(r->completeness, p->complete_bad, p->complete_good));
    score_pauses(p, r, rf + n);
    double level = ramp(r->take.speech_db, p->silent_db, p->quiet_db) - p->clip_penalty * r->take.clipped;
    r->sub[SH_SUB_LEVEL] = to_score(level);

    double wsum = 0, total = 0;
    for (int i = 0; i < SH_SUB_COUNT; i++) {
        wsum += p->weights[i];
        total += p->weights[i] * r->sub[i];
    }
    r->total = to_score(total / wsum);
    r->verdict = verdict_for(r->total);
    write_feedback(p, r);
    return SH_OK;
}

int sh_score_compute(const sh_score_params *p, const float *ref, size_t nref, const float *take,
                     size_t ntake, int rate, sh_score_result *out)
{
    if (!out)
        return SH_ERR_INVALID;
    memset(out, 0, sizeof *out);
    sh_score_params defaults = sh_score_params_init();
    if (!p)
        p = &defaults;
    if ((nref && !ref) || (ntake && !take) || rate < 8000 || !params_ok(p))
        return SH_ERR_INVALID;
    int rc = compute(p, ref, nref, take, ntake, rate, out);
    if (rc != SH_OK)
        sh_score_result_free(out);
    return rc;
}

void sh_score_result_free(sh_score_result *r)
{
    if (!r)
        return;
    free(r->ref_env);
    free(r->take_env);
    free(r->ref_mask);
    free(r->take_mask);
    free(r->path);
    free(r->ref_pauses);
    free(r->take_pauses);
    free(r->ref_pause_state);
    free(r->take_pause_state);
    r->ref_pause_state = r->take_pause_state = NULL;
    r->ref_env = r->take_env = NULL;
    r->ref_mask = r->take_mask = NULL;
    r->path = NULL;
    r->ref_pauses = r->take_pauses = NULL;
    r->path_len = 0;
}
