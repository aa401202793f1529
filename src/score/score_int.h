/* Internal to src/score: the pieces of sh_score_compute shared between its
 * files (side.c: one recording; match.c: aligning the two; feedback.c: the
 * words the learner reads; score.c: the sub-scores and the total). */
#ifndef SH_SCORE_INT_H
#define SH_SCORE_INT_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shadowing/analysis.h"
#include "shadowing/features.h"
#include "shadowing/score.h"

/* Linear map of x from [bad, good] (either order) to [0, 100], clamped. */
static inline double sh_score_ramp(double x, double bad, double good)
{
    double t = (x - bad) / (good - bad);
    return 100.0 * (t < 0 ? 0 : t > 1 ? 1 : t);
}

/* Round to an integer score 0..100. */
static inline int sh_score_clamp100(double x)
{
    long v = lround(x);
    return (int)(v < 0 ? 0 : v > 100 ? 100 : v);
}

/* One recording while it is analysed. */
typedef struct side_work {
    sh_features feat; /* speech-band energies and pitch; owned */
    float *db;        /* the speech-band energy (feat.band_db), dBFS */
    size_t n;         /* frames */
    sh_vad_result vad;
} side_work;

/* side.c: envelope, voice activity, level and clipping of x[0..nx) into
 * *w and *s; *norm and *mask are allocated (n frames) for the caller. */
int sh_score_analyse_side(const sh_score_params *p, const float *x, size_t nx, int rate, side_work *w,
                          sh_score_side *s, float **norm, unsigned char **mask);

/* match.c */
typedef struct coverage_fit {
    double coverage;  /* share of the reference covered */
    double cost;      /* mean DTW cost at that coverage, uniform tempo */
    double null_cost; /* the same against the reference reversed in time */
} coverage_fit;

size_t sh_score_band_for(const sh_score_params *p, double fraction, size_t na, size_t nb, double frame_s);
int sh_score_find_coverage(const sh_score_params *p, const float *R, size_t N, const float *T, size_t M,
                           coverage_fit *fit);
size_t sh_score_map_take_frame(const sh_dtw_step *path, size_t len, size_t t);
void sh_score_pauses(const sh_score_params *p, sh_score_result *r, size_t cover_end);
int sh_score_shorten_hesitations(const sh_score_params *p, sh_score_result *r, size_t first, size_t end,
                                 float **out, uint32_t **map, size_t *len);
void sh_score_normalize_both(const sh_score_params *p, const side_work *a, const side_work *b, float *na,
                             float *nb);

/* match.c: DTW of R[0..N) and T[0..M) at coarse_factor times the hop, the
 * path returned in full frames (monotone, (0,0) to (N-1, M-1)). */
int sh_score_align_coarse(const sh_score_params *p, const float *R, size_t N, const float *T, size_t M,
                          sh_dtw_result *out);

/* match.c: completeness, and the longest stretches left out (skipped_s)
 * and added (extra_s), from r's path over reference frames [rf, rf+rn).
 * SH_OK or SH_ERR_NOMEM. */
int sh_score_path_stats(const sh_score_params *p, sh_score_result *r, const unsigned char *take_ok,
                        size_t ref_voiced, size_t rf, size_t rn);

/* intonation.c: the intonation measurements of r from both pitch tracks
 * (Hz per frame, 0 unvoiced) along r's path and masks; allocates
 * r->ref_pitch and r->take_pitch. SH_OK or SH_ERR_NOMEM. */
int sh_score_intonation(sh_score_result *r, const float *ref_f0, const float *take_f0);

/* feedback.c */
void sh_score_add_feedback(sh_score_result *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
const char *sh_score_verdict_for(int total);
/* The learner stopped before the end / repeated another paragraph: the
 * decisions behind those feedback lines (strong evidence only). */
bool sh_score_stopped_early(const sh_score_params *p, const sh_score_result *r);
bool sh_score_wrong_paragraph(const sh_score_params *p, const sh_score_result *r);
void sh_score_write_feedback(const sh_score_params *p, sh_score_result *r);

#endif
