/* shadowing - speech analysis on energy envelopes: voice activity, pauses,
 * normalisation and dynamic time warping.
 *
 * Pure computation: no I/O, no global state, deterministic bit for bit (the
 * same input gives the same output on every run). The input is an energy
 * envelope in dBFS as made by sh_envelope (include/shadowing/envelope.h),
 * one frame every 10 ms by default. Functions that need scratch memory
 * allocate it themselves and return SH_ERR_NOMEM when that fails.
 *
 * Used by the scorer (include/shadowing/score.h); usable on its own, e.g.
 * to trim a recording or find the pauses of a paragraph.
 */
#ifndef SHADOWING_ANALYSIS_H
#define SHADOWING_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Voice activity ------------------------------------------------------
 *
 * The decision adapts to each recording: the noise floor is a low percentile
 * of its frame levels and the speech level a high percentile of the frames
 * at least min_snr_db above that floor (so a short answer in a long quiet
 * recording still sets the speech level), and a frame is voiced
 * when it rises a fixed share of the way from the floor to the speech level
 * (with hysteresis: it must rise above `on` to start a run and fall below
 * `off` to end it). Gaps shorter than `min_pause_frames` inside speech are
 * filled (they are the stops between syllables, not pauses) and voiced runs
 * shorter than `min_speech_frames` are dropped (clicks, a cough of noise).
 * A recording whose speech level is less than `min_snr_db` above its floor
 * (steady noise, silence) or below `min_level_db` has no speech. */
typedef struct sh_vad_params {
    float noise_percentile;   /* noise floor percentile of frame levels, default 10 */
    float peak_percentile;    /* speech level percentile (of the loud frames), default 95 */
    float on_ratio;           /* start threshold: floor + on_ratio*(peak-floor), default 0.30 */
    float off_ratio;          /* end threshold: floor + off_ratio*(peak-floor), default 0.20 */
    float min_on_db;          /* the start threshold is at least this above the floor, default 6 */
    float min_snr_db;         /* speech level - floor below this: no speech, default 15 */
    float min_level_db;       /* speech level below this dBFS: no speech, default -65 */
    float digital_silence_db; /* frames at or below are digital silence, left out of the
                                 noise floor estimate (while >= 10% of frames remain),
                                 default -99 (sh_envelope's floor is -100) */
    size_t min_speech_frames; /* shorter voiced runs are dropped, default 5 (50 ms) */
    size_t min_pause_frames;  /* shorter gaps inside speech are filled, default 15 (150 ms) */
} sh_vad_params;

/* The defaults above, for 10 ms frames. */
sh_vad_params sh_vad_params_init(void);

typedef struct sh_vad_result {
    float noise_db;   /* noise floor estimate, dBFS (digital silence left out) */
    float floor_db;   /* the same percentile over all frames, digital silence included */
    float peak_db;    /* speech level estimate, dBFS */
    float on_db;      /* thresholds used, dBFS */
    float off_db;
    bool speech;      /* false: no speech detected (mask all zero) */
    size_t first;     /* first voiced frame */
    size_t end;       /* one past the last voiced frame; first == end == 0 without speech */
    size_t voiced;    /* voiced frames in the mask */
    size_t pauses;    /* gaps inside [first, end), each >= min_pause_frames */
} sh_vad_result;

/* Voice activity of the envelope db[0..n). Writes 1 (voiced) or 0 for each
 * frame into mask[0..n) (caller-owned) and a summary into *out. n == 0 is
 * allowed (no speech). Returns SH_OK, SH_ERR_INVALID (NULL pointers, bad
 * params) or SH_ERR_NOMEM (it sorts a copy of the levels). */
int sh_vad(const sh_vad_params *p, const float *db, size_t n, uint8_t *mask, sh_vad_result *out);

/* A span of frames [begin, end). */
typedef struct sh_span {
    size_t begin, end;
} sh_span;

/* The pauses (unvoiced gaps) inside mask[first..end): writes up to `cap` of
 * them into out (may be NULL when cap is 0) and returns how many there are
 * (snprintf style: more than cap means out was too small). */
size_t sh_vad_pauses(const uint8_t *mask, size_t first, size_t end, sh_span *out, size_t cap);

/* ---- Normalisation -------------------------------------------------------
 *
 * Maps levels to [0, 1]: 0 at or below floor_db, 1 at or above peak_db,
 * linear in dB between, after a centred moving average of `smooth` frames
 * (1 = none; an odd number, so the curve is not shifted). Two voices reading
 * the same text give curves of the same shape whatever their loudness or
 * background noise. out[0..n) is caller-owned and may not alias db. */
void sh_envelope_normalize(const float *db, size_t n, float floor_db, float peak_db, size_t smooth,
                           float *out);

/* ---- Dynamic time warping ------------------------------------------------
 *
 * Aligns a[0..na) with b[0..nb) (local cost |a[i] - b[j]|, steps (1,1),
 * (1,0), (0,1), each adding the local cost of the cell it enters; ties go to
 * the diagonal, then to (1,0)). The path starts at (0,0) and ends at
 * (na-1, nb-1).
 *
 * The banded version restricts the path to a Sakoe-Chiba band of half-width
 * `band` frames around the scaled diagonal j = i*nb/na: row i may use the
 * columns [floor(i*nb/na) - band, ceil((i+1)*nb/na) - 1 + band]. Band 0 is
 * the thinnest connected band; a band >= max(na, nb) is the full matrix.
 * Time and memory are O(na * (band + nb/na)): one byte per band cell for the
 * back-pointers and two rows of costs, never the full matrix.
 * sh_dtw_banded_cost gives the same mean cost in O(nb) memory.
 *
 * sh_dtw_full is the textbook version (an na x nb matrix of costs), kept as
 * the reference for tests and the benchmark; it gives the same result as
 * sh_dtw_banded with a band >= max(na, nb), bit for bit. */
typedef struct sh_dtw_step {
    uint32_t a, b; /* frame indexes */
} sh_dtw_step;

typedef struct sh_dtw_result {
    double total_cost;  /* sum of the local costs along the path */
    double mean_cost;   /* total_cost / len */
    sh_dtw_step *path;  /* len steps from (0,0) to (na-1,nb-1); malloc'ed */
    size_t len;
    size_t cells;       /* matrix cells evaluated */
    size_t work_bytes;  /* working memory used, excluding the path */
} sh_dtw_result;

/* Both return SH_OK and fill *out (free it with sh_dtw_result_free), or
 * SH_ERR_INVALID (NULL pointers, a length above 2^31) or SH_ERR_NOMEM.
 * An empty a or b gives SH_OK with an empty path and zero costs. */
int sh_dtw_banded(const float *a, size_t na, const float *b, size_t nb, size_t band, sh_dtw_result *out);
int sh_dtw_full(const float *a, size_t na, const float *b, size_t nb, sh_dtw_result *out);
/* Only the mean cost (total / path length) of sh_dtw_banded's path, bit for
 * bit, without back-pointers or a path: O(nb) memory. For searches that try
 * many alignments and keep one. An empty input gives 0. Returns SH_OK,
 * SH_ERR_INVALID or SH_ERR_NOMEM. */
int sh_dtw_banded_cost(const float *a, size_t na, const float *b, size_t nb, size_t band, double *mean_cost);

/* Free the path; *r may be zeroed or already freed. */
void sh_dtw_result_free(sh_dtw_result *r);

/* Columns row i of the band may use, [*lo, *hi] inclusive (na, nb > 0). */
void sh_dtw_band_row(size_t i, size_t na, size_t nb, size_t band, size_t *lo, size_t *hi);

#ifdef __cplusplus
}
#endif
#endif
