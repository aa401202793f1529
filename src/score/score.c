/* Scoring a repeat: envelopes, voice activity, coverage, alignment and the
 * sub-scores. Pure: no I/O, no globals. See include/shadowing/score.h and
 * doc/scoring.md. */
#include "score_int.h"
#include "shadowing/error.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int compute(const sh_score_params *p, const float *ref, size_t nref, const float *take,
                   size_t ntake, int rate, sh_score_result *r)
{
    side_work rw = {0}, tw = {0};
    int rc = sh_score_analyse_side(p, ref, nref, rate, &rw, &r->ref, &r->ref_env, &r->ref_mask);
    if (rc == SH_OK)
        rc = sh_score_analyse_side(p, take, ntake, rate, &tw, &r->take, &r->take_env, &r->take_mask);
    if (rc == SH_OK)
        sh_score_normalize_both(p, &rw, &tw, r->ref_env, r->take_env);
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
        sh_score_add_feedback(r, "The reference has no speech: check the cue's begin and end times");
        return SH_OK;
    }
    if (!r->take.speech || r->take.span_s < p->min_speech_s) {
        r->take.speech = false;
        r->verdict = "no speech detected";
        sh_score_add_feedback(r, "No speech detected: check that the microphone is on and not muted, then repeat the paragraph");
        return SH_OK;
    }

    /* Align the speech spans, over the share of the reference covered,
     * with the take's hesitations shortened (see shorten_hesitations). */
    size_t rf = rw.vad.first, N = rw.vad.end - rw.vad.first;
    float *tk = NULL;
    uint32_t *tmap = NULL;
    size_t M = 0;
    rc = sh_score_shorten_hesitations(p, r, tw.vad.first, tw.vad.end, &tk, &tmap, &M);
    if (rc != SH_OK)
        return rc;
    coverage_fit fit;
    rc = sh_score_find_coverage(p, r->ref_env + rf, N, tk, M, &fit);
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
    rc = sh_dtw_banded(r->ref_env + rf, n, tk, M, sh_score_band_for(p, p->band_fraction, n, M, p->hop_s), &d);
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
    r->sub[SH_SUB_DURATION] = sh_score_clamp100(sh_score_ramp(lg, log(p->duration_bad), log(p->duration_good)));
    r->sub[SH_SUB_ENERGY] = sh_score_clamp100(sh_score_ramp(r->energy_ratio, p->energy_bad, p->energy_good));
    r->sub[SH_SUB_COMPLETENESS] = sh_score_clamp100(sh_score_ramp(r->completeness, p->complete_bad, p->complete_good));
    sh_score_pauses(p, r, rf + n);
    double level = sh_score_ramp(r->take.speech_db, p->silent_db, p->quiet_db) - p->clip_penalty * r->take.clipped;
    r->sub[SH_SUB_LEVEL] = sh_score_clamp100(level);

    double wsum = 0, total = 0;
    for (int i = 0; i < SH_SUB_COUNT; i++) {
        wsum += p->weights[i];
        total += p->weights[i] * r->sub[i];
    }
    r->total = sh_score_clamp100(total / wsum);
    r->verdict = sh_score_verdict_for(r->total);
    sh_score_write_feedback(p, r);
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
