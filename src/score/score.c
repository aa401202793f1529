/* Scoring a repeat: envelopes, voice activity, coverage, alignment and the
 * sub-scores. Pure: no I/O, no globals. See include/shadowing/score.h and
 * doc/scoring.md. */
#include "score_int.h"
#include "shadowing/error.h"
#include "shadowing/resample.h"

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
        .speech = sh_speech_params_init(),
        .smooth_frames = 3,
        .band_fraction = 0.10,
        .min_band_s = 0.30,
        .coarse_factor = 2,
        .coverage_band = 0.03,
        .min_coverage = 0.20,
        .coverage_step = 0.05,
        .coverage_margin = 0.01,
        .match_band = 0.12,
        .max_tempo = 1.3,
        .stall_window_s = 0.5,
        .match_reach_s = 0.15,
        .match_clean_snr_db = 25.0,
        .stall_slope = 0.25,
        .min_speech_s = 0.30,
        .hesitation_s = 1.0,
        .norm_range_db = 50.0,
        .cover_per_frame = 3,
        .duration_good = 1.08,
        .duration_bad = 1.45,
        .energy_good = 0.68,
        .energy_bad = 0.95,
        .wrong_text_ratio = 1.0,
        .wrong_completeness = 0.65,
        .early_coverage = 0.85,
        .early_syllables = 0.8,
        .leftout_completeness = 0.62,
        .extra_s = 0.8,
        .pace_tolerance = 1.12,
        .fast_syllables = 1.05,
        .end_move_st = 2.0,
        .complete_good = 0.78,
        .complete_bad = 0.44,
        .pause_tolerance_s = 0.25,
        .quiet_db = -35.0,
        .silent_db = -60.0,
        .clip_level = 0.999,
        .clip_penalty = 5.0,
        .weights = {0.35, 0.10, 0.35, 0.10, 0.10},
        .extra_penalty = 70.0,
        .muffled_db = -11.0,
        .muffled_factor = 0.75,
        .calibration = 0.6,
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
           p->min_coverage > 0 && p->min_coverage <= 1 && p->coverage_step > 0 && p->match_band > 0 && p->pace_tolerance >= 1 && p->early_coverage > 0 && p->end_move_st > 0 && p->calibration > 0 && p->muffled_factor >= 0 && p->extra_penalty >= 0 && p->stall_window_s > 0 && p->stall_slope > 0 && p->max_tempo >= 1 &&
           p->duration_good >= 1 && p->duration_bad > p->duration_good &&
           p->energy_bad > p->energy_good && p->wrong_text_ratio > 0 && p->complete_good > p->complete_bad &&
           p->quiet_db > p->silent_db && p->clip_level > 0 && p->pause_tolerance_s >= 0 &&
           p->hesitation_s > 0 && p->norm_range_db > 0 && p->cover_per_frame >= 1;
}

/* The sub-scores and the total from the measurements in r. */
static void grade(const sh_score_params *p, sh_score_result *r)
{
    double lg = fabs(log(r->duration_ratio));
    r->sub[SH_SUB_DURATION] = sh_score_clamp100(sh_score_ramp(lg, log(p->duration_bad), log(p->duration_good)));
    r->sub[SH_SUB_ENERGY] = sh_score_clamp100(sh_score_ramp(r->energy_ratio, p->energy_bad, p->energy_good));
    r->sub[SH_SUB_COMPLETENESS] = sh_score_clamp100(sh_score_ramp(r->completeness, p->complete_bad, p->complete_good));
    double level = sh_score_ramp(r->take.speech_db, p->silent_db, p->quiet_db) - p->clip_penalty * r->take.clipped;
    r->sub[SH_SUB_LEVEL] = sh_score_clamp100(level);
    double wsum = 0, total = 0;
    for (int i = 0; i < SH_SUB_COUNT; i++) {
        wsum += p->weights[i];
        total += p->weights[i] * r->sub[i];
    }
    double raw = total / wsum;
    /* Speech that matches no part of the paragraph (a sentence said twice,
     * words added) costs in proportion to its share of the paragraph. */
    raw -= p->extra_penalty * fmin(r->extra_s / fmax(r->ref.voiced_s, 1e-9), 0.5);
    /* Strong evidence of mumbling: the voice lost its upper formants and
     * consonants against the speaker's (a muffled or mumbled reading). */
    if (r->clarity_diff_db < p->muffled_db)
        raw *= p->muffled_factor;
    /* The sub-scores are strict by design (each one names a fault); the
     * total is mapped so that a correct repeat in an ordinary room lands at
     * 80 or more (doc/scoring.md, the validation tables). Monotonic: it
     * changes no ranking. */
    raw = raw > 0 ? 100.0 * pow(raw / 100.0, p->calibration) : 0.0;
    r->total = sh_score_clamp100(raw);
    r->verdict = sh_score_verdict_for(r->total);
}

/* Align the take's speech with the covered part of the reference's: the
 * coverage search, then DTW with the take's hesitations shortened. Fills
 * r->path (whole-recording frames), the coverage and the energy ratio;
 * *rn is the number of reference frames covered from rw->vad.first. */
static int align(const sh_score_params *p, sh_score_result *r, const side_work *rw, const side_work *tw,
                 size_t *rn)
{
    size_t rf = rw->vad.first, N = rw->vad.end - rw->vad.first;
    float *tk = NULL;
    uint32_t *tmap = NULL;
    size_t M = 0;
    int rc = sh_score_shorten_hesitations(p, r, tw->vad.first, tw->vad.end, &tk, &tmap, &M);
    if (rc != SH_OK)
        goto done;
    /* Speaking time: the speech spans, the take's hesitations cut down. */
    r->duration_ratio = (double)M / (double)N;
    coverage_fit fit;
    rc = sh_score_find_coverage(p, r->ref_env + rf, N, tk, M, &fit);
    if (rc != SH_OK)
        goto done;
    /* A short take that holds (nearly) all the speaker's syllables was read
     * fast, not stopped: align it with the whole paragraph. */
    if (fit.coverage < p->early_coverage && r->syllable_ratio >= p->early_syllables)
        fit.coverage = 1.0;
    size_t n = (size_t)lround(fit.coverage * (double)N);
    n = n < 1 ? 1 : n > N ? N : n;
    r->coverage = (double)n / (double)N;
    r->dtw_cost = fit.cost;
    r->dtw_null_cost = fit.null_cost;
    r->energy_ratio = fit.null_cost > 0 ? fit.cost / fit.null_cost : 1.0;
    sh_dtw_result d;
    rc = sh_score_align_coarse(p, r->ref_env + rf, n, tk, M, &d);
    if (rc != SH_OK)
        goto done;
    /* Back to whole-recording frames (the path may now jump over the
     * middle of a hesitation). */
    for (size_t k = 0; k < d.len; k++) {
        d.path[k].a += (uint32_t)rf;
        d.path[k].b = tmap[d.path[k].b];
    }
    r->path = d.path;
    r->path_len = d.len;
    *rn = n;
done:
    free(tk);
    free(tmap);
    return rc;
}

static int compute(const sh_score_params *p, const float *ref, size_t nref, const float *take,
                   size_t ntake, int rate, sh_score_result *r)
{
    side_work rw = {0}, tw = {0};
    int rc = sh_score_analyse_side(p, ref, nref, rate, &rw, &r->ref, &r->ref_env, &r->ref_mask);
    if (rc == SH_OK)
        rc = sh_score_analyse_side(p, take, ntake, rate, &tw, &r->take, &r->take_env, &r->take_mask);
    if (rc != SH_OK)
        goto done;
    sh_score_normalize_both(p, &rw, &tw, r->ref_env, r->take_env);
    r->ref_frames = rw.n;
    r->take_frames = tw.n;
    r->hop_s = p->hop_s;

    /* Pause spans of both, for scoring and pictures. */
    r->ref_pauses = malloc(((size_t)r->ref.pauses + 1) * sizeof *r->ref_pauses);
    r->take_pauses = malloc(((size_t)r->take.pauses + 1) * sizeof *r->take_pauses);
    r->ref_pause_state = calloc((size_t)r->ref.pauses + 1, 1);
    r->take_pause_state = calloc((size_t)r->take.pauses + 1, 1);
    if (!r->ref_pauses || !r->take_pauses || !r->ref_pause_state || !r->take_pause_state) {
        rc = SH_ERR_NOMEM;
        goto done;
    }
    sh_vad_pauses(r->ref_mask, rw.vad.first, rw.vad.end, r->ref_pauses, (size_t)r->ref.pauses);
    sh_vad_pauses(r->take_mask, tw.vad.first, tw.vad.end, r->take_pauses, (size_t)r->take.pauses);

    if (!r->ref.speech) {
        r->verdict = "no reference speech";
        sh_score_add_feedback(r, "The reference has no speech: check the cue's begin and end times");
        goto done;
    }
    if (r->take.too_noisy) {
        r->verdict = "too noisy";
        sh_score_add_feedback(r, "Too noisy to score: your voice is only %.0f dB above the noise around you; "
                                 "move away from the noise (a fan, traffic) or closer to the microphone and repeat",
                              r->take.snr_db);
        goto done;
    }
    if (!r->take.speech || r->take.span_s < p->min_speech_s) {
        r->take.speech = false;
        r->verdict = "no speech detected";
        sh_score_add_feedback(r, "No speech detected: check that the microphone is on and not muted, then repeat the paragraph");
        goto done;
    }

    r->syllable_ratio = r->ref.syllables > 0 ? (double)r->take.syllables / r->ref.syllables : 0.0;
    size_t rn = 0;
    rc = align(p, r, &rw, &tw, &rn);
    /* A take frame can match the speaker's speech when it is speech or
     * close to it (match_reach_s): a phrase left out leaves a longer hole. */
    unsigned char *take_ok = NULL;
    if (rc == SH_OK) {
        take_ok = calloc(tw.n ? tw.n : 1, 1);
        if (!take_ok)
            rc = SH_ERR_NOMEM;
    }
    if (rc == SH_OK) {
        size_t reach = (size_t)lround(p->match_reach_s / p->hop_s), last = SIZE_MAX;
        for (size_t i = 0; i < tw.n; i++)
            if (r->take_mask[i])
                last = i;
            else if (last != SIZE_MAX && i - last <= reach)
                take_ok[i] = 1;
        last = SIZE_MAX;
        for (size_t i = tw.n; i-- > 0;)
            if (r->take_mask[i]) {
                take_ok[i] = 1;
                last = i;
            } else if (last != SIZE_MAX && last - i <= reach) {
                take_ok[i] = 1;
            }
        /* In a loud room the detector misses whole quiet syllables: there
         * the take's speech span is trusted instead of its mask. */
        if (r->take.snr_db < p->match_clean_snr_db)
            for (size_t i = tw.vad.first; i < tw.vad.end; i++)
                take_ok[i] = 1;
        rc = sh_score_path_stats(p, r, take_ok, rw.vad.voiced, rw.vad.first, rn);
    }
    free(take_ok);
    if (rc == SH_OK)
        rc = sh_score_intonation(r, rw.feat.f0_hz, tw.feat.f0_hz);
    if (rc != SH_OK)
        goto done;
    sh_score_pauses(p, r, rw.vad.first + rn);
    r->clarity_diff_db = r->take.clarity_db - r->ref.clarity_db;
    /* Pace: the take's time for the share of the paragraph it said. */
    double said = r->coverage * (r->ref.voiced_s > 0 ? 1.0 - fmin(r->skipped_s / r->ref.voiced_s, 0.9) : 1.0);
    r->tempo_ratio = said > 0 ? (r->duration_ratio - r->extra_s / r->ref.voiced_s) / said : 0.0;
    r->pace_trusted = !r->take.too_noisy && !sh_score_wrong_paragraph(p, r);
    grade(p, r);
    sh_score_write_feedback(p, r);
done:
    sh_features_free(&rw.feat);
    sh_features_free(&tw.feat);
    return rc;
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
    /* The speech features work at 8 kHz times a power of two: bring any
     * other rate (a 44.1 or 48 kHz device) to the 16 kHz analysis rate. */
    float *rref = NULL, *rtake = NULL;
    int rc = SH_OK;
    if (rate != 8000 && rate != 16000 && rate != 32000 && rate != 64000) {
        rc = sh_resample(ref, nref, rate, 16000, &rref, &nref);
        if (rc == SH_OK)
            rc = sh_resample(take, ntake, rate, 16000, &rtake, &ntake);
        ref = rref;
        take = rtake;
        rate = 16000;
    }
    if (rc == SH_OK)
        rc = compute(p, ref, nref, take, ntake, rate, out);
    free(rref);
    free(rtake);
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
    free(r->ref_pitch);
    free(r->take_pitch);
    r->ref_pitch = r->take_pitch = NULL;
    r->ref_pause_state = r->take_pause_state = NULL;
    r->ref_env = r->take_env = NULL;
    r->ref_mask = r->take_mask = NULL;
    r->path = NULL;
    r->ref_pauses = r->take_pauses = NULL;
    r->path_len = 0;
}
