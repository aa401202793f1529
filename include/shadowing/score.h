/* shadowing - scoring a learner's repeat against the speaker's paragraph.
 *
 * The comparison uses energy and duration only (no speech recogniser, fully
 * offline), see doc/scoring.md for the method, the defaults and how well it
 * ranks repeats:
 *
 *   1. energy envelopes of both recordings (sh_envelope, 25 ms / 10 ms);
 *   2. voice activity on each (sh_vad): noise floor, speech level, the
 *      speech span (leading/trailing silence trimmed), pauses >= 150 ms;
 *   3. coverage: which share of the reference the take covers, found by
 *      aligning the take with prefixes of the reference at a coarse
 *      resolution (a learner who stops halfway matches the first half well;
 *      one who is only fast matches the whole at another pace);
 *   4. banded DTW (sh_dtw_banded) of the normalised envelopes over that
 *      share, at full resolution;
 *   5. five sub-scores 0-100, a weighted total, a verdict and feedback.
 *
 * Pure computation on float arrays: no I/O, no global state, deterministic
 * bit for bit. The CLI (`shadowing score`) decodes files and calls it; the
 * practice session calls it on the samples it has just recorded.
 *
 *     sh_score_params p = sh_score_params_init();
 *     sh_score_result r;
 *     if (sh_score_compute(&p, ref, nref, take, ntake, 16000, &r) == SH_OK) {
 *         printf("%d %s\n", r.total, r.verdict);
 *         for (int i = 0; i < r.n_feedback; i++) puts(r.feedback[i]);
 *         sh_score_result_free(&r);
 *     }
 */
#ifndef SHADOWING_SCORE_H
#define SHADOWING_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "shadowing/analysis.h"
#include "shadowing/speech.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sub-scores, in the order of sh_score_result.sub and the weights. */
enum {
    SH_SUB_DURATION = 0, /* take's speech span against the reference's */
    SH_SUB_ENERGY,       /* energy contours after alignment (mean DTW cost) */
    SH_SUB_COMPLETENESS, /* share of the reference's voiced time matched */
    SH_SUB_PAUSES,       /* pauses where the speaker's are */
    SH_SUB_LEVEL,        /* not too quiet, not clipped */
    SH_SUB_COUNT
};

/* Names used in JSON, CSV and the plot: "duration", "energy", ... */
const char *sh_score_sub_name(int sub);

typedef struct sh_score_params {
    double window_s;        /* envelope window, default 0.025 s */
    double hop_s;           /* envelope hop (one frame), default 0.010 s */
    sh_speech_params speech; /* speech detection (speech.h), sh_speech_params_init() */
    size_t smooth_frames;   /* moving average before alignment, default 3 (30 ms) */
    double norm_range_db;   /* envelopes are compared over at most this many dB below each one's
                               speech level, and over the smaller of the two recordings' own
                               ranges (speech level to quietest frames), default 50 */
    double band_fraction;   /* DTW band half-width as a share of the longer span, default 0.05 */
    double min_band_s;      /* ... but at least this (both bands), default 0.30 s */
    int coarse_factor;      /* coverage search at hop*factor resolution, default 2 (20 ms) */
    double coverage_band;   /* band half-width of the coverage search, share of the length, default 0.03 */
    double min_coverage;    /* smallest coverage tried, default 0.20 */
    double coverage_step;   /* step between coverages tried, default 0.05 */
    double coverage_margin; /* a shorter coverage must beat the whole by this mean cost, default 0.01 */
    double match_band;      /* band half-width (share of the length) of the alignment that measures
                               how well the take follows the paragraph, default 0.12 */
    double max_tempo;       /* a shorter coverage is tried only if the take would be at most this
                               many times slower than the speaker over it, default 1.3 */
    double match_reach_s;   /* a take frame this close to its speech counts as speech for
                               completeness (noise breaks syllables apart), default 0.15 s */
    double match_clean_snr_db; /* below this take SNR (speech band) every frame of the take's
                                  speech span counts: a loud room hides quiet syllables from the
                                  detector, default 25 dB */
    double stall_window_s;  /* a phrase counts as left out (or added) where, over this window, */
    double stall_slope;     /* one side moves less than stall_slope frames per frame of the
                               other along the path, default 0.5 s and 0.25 */
    double min_speech_s;    /* take speech shorter than this is "no speech", default 0.30 s */
    double hesitation_s;    /* a take pause longer than this and than the speaker's longest pause
                               + 0.5 s is a hesitation: reported, and shortened before alignment,
                               default 1.0 s */
    /* duration: 100 while take/reference span is within [1/good, good], 0 at
     * or beyond [1/bad, bad], linear in log(ratio) between. */
    double duration_good;   /* default 1.10 */
    double duration_bad;    /* default 1.60 */
    /* energy: the mean DTW cost of the take against the covered reference
     * at the take's average tempo, divided by the same cost against the
     * reference played backwards (chance level: same levels, wrong order);
     * that ratio is mapped linearly from 100 at energy_good to 0 at energy_bad. */
    double energy_good;     /* default 0.60 */
    double energy_bad;      /* default 0.90 */
    double wrong_text_ratio; /* the feedback asks whether it was the right paragraph only at or
                                above this energy ratio ... default 1.0 */
    double wrong_completeness; /* ... and below this completeness, default 0.65 */
    double early_coverage;  /* "stopped at": coverage below this ... default 0.85 */
    double early_syllables; /* ... and fewer syllables than this share of the speaker's, default 0.8 */
    double leftout_completeness; /* "left out": completeness below this, default 0.62 */
    double extra_s;         /* "said more": extra_s at or above this, default 0.8 s */
    double pace_tolerance;  /* pace lines beyond this ratio either way, and only when the syllable
                               rate agrees (slower, or faster by fast_syllables), default 1.12 */
    double fast_syllables;  /* default 1.05 */
    double end_move_st;     /* an intonation line when the speaker's voice moves this many
                               semitones at the end and the take's a third of it, default 2.0 */
    /* completeness: 100 at or above complete_good of the reference's voiced
     * frames matched, 0 at or below complete_bad, linear between. */
    double complete_good;   /* default 0.90 */
    unsigned cover_per_frame; /* one voiced take frame matches at most this many reference
                                 frames (a local pace of 2x), default 2 */
    double complete_bad;    /* default 0.30 */
    double pause_tolerance_s; /* a take pause matches a reference pause this close, default 0.25 s */
    /* level: 100 when the speech level (sh_vad peak) is >= quiet_db, 0 at
     * silent_db, linear between; minus clip_penalty per clipping event. */
    double quiet_db;        /* default -35 dBFS */
    double silent_db;       /* default -60 dBFS */
    double clip_level;      /* |sample| at or above this is clipped, default 0.999 */
    double clip_penalty;    /* default 5 points per clipping event */
    double weights[SH_SUB_COUNT]; /* default 0.35 0.10 0.35 0.10 0.10 (sum 1) */
    double extra_penalty;   /* points per share of the paragraph said again or added
                               (extra_s / reference speech, at most 0.5), default 70 */
    double muffled_db;      /* clarity this far below the speaker's is mumbling, default -11 dB */
    double muffled_factor;  /* ... and the total is multiplied by this, default 0.75 */
    double calibration;     /* total = 100 * (weighted mean / 100) ^ calibration, default 0.6 */
} sh_score_params;

/* The documented defaults above. */
sh_score_params sh_score_params_init(void);

/* What was measured on one recording. Times in seconds from its start. */
typedef struct sh_score_side {
    double duration_s;     /* whole recording */
    bool speech;           /* false: no speech detected */
    double speech_begin_s; /* speech span (silence trimmed) */
    double speech_end_s;
    double span_s;         /* speech_end_s - speech_begin_s */
    double voiced_s;       /* voiced frames inside the span */
    double noise_db;       /* noise floor, dBFS */
    double speech_db;      /* speech level, dBFS */
    double peak;           /* largest |sample| */
    int clipped;           /* clipping events: clipped samples, those < 10 ms apart counted once */
    int pauses;            /* pauses >= min pause inside the span */
    double snr_db;         /* speech level above the noise floor in the speech band, dB */
    bool too_noisy;        /* speech is there, but too little above the noise to judge */
    int rejected;          /* sounds left out as not speech (breath, cough, click, hum) */
    int syllables;         /* syllable nuclei in the speech */
    double syllable_rate;  /* syllables per second of speaking time (voiced_s) */
    double clarity_db;     /* how much more the level above 1 kHz rises over the room's noise
                              than the whole level does, over the voiced frames, dB (against
                              digital silence: the 1 kHz-up level against the whole); muffled
                              or mumbled speech rises below 1 kHz only */
} sh_score_side;

/* Intonation (see doc/scoring.md): each pitch contour in semitones around
 * its own speaker's median, compared along the alignment. */
typedef struct sh_score_intonation_result {
    bool measured;          /* enough voiced frames on both sides along the path */
    int score;              /* 0-100, -1 when not measured */
    double correlation;     /* of the two contours along the path */
    int pairs;              /* voiced frame pairs it is computed over */
    double ref_median_hz, take_median_hz;
    double ref_range_st, take_range_st; /* 10th-90th percentile, semitones */
    double ref_end_st, take_end_st;     /* movement over the last 0.3 s voiced (NAN: unknown) */
} sh_score_intonation_result;

#define SH_SCORE_MAX_FEEDBACK 4

typedef struct sh_score_result {
    int total;                   /* 0-100 */
    int sub[SH_SUB_COUNT];       /* 0-100 each */
    const char *verdict;         /* static string: "excellent" (>= 85), "good" (>= 70),
                                    "fair" (>= 50), "weak", "no speech detected" (take),
                                    "no reference speech" (a silent cue) */
    sh_score_side ref, take;
    /* Measurements behind the sub-scores. */
    double duration_ratio;       /* speaking time (speech frames, pauses left out), take/ref */
    double tempo_ratio;          /* pace: take time per share of the paragraph said, against the
                                    speaker's (duration_ratio / the share said; > 1 slower) */
    bool pace_trusted;           /* the pace is measured well enough to be told */
    double coverage;             /* share of the reference the take reaches, 0..1 */
    double completeness;         /* share of reference speech frames matched by take speech */
    double skipped_s;            /* longest stretch of the speaker's speech the take went past
                                    without saying it (a left-out phrase), seconds */
    double skipped_at_s;         /* where it starts on the reference, seconds */
    double extra_s;              /* longest stretch of take speech with no reference speech
                                    against it (a phrase said twice, or added), seconds */
    double extra_at_s;           /* where it starts in the take, seconds */
    double syllable_ratio;       /* take syllables / reference syllables */
    double clarity_diff_db;      /* take clarity_db minus the reference's (muffled: very negative) */
    double dtw_cost;             /* mean DTW cost of the take against the covered reference */
    double dtw_null_cost;        /* the same against the covered reference reversed (chance) */
    double energy_ratio;         /* dtw_cost / dtw_null_cost: 1 = chance, lower = closer */
    int pauses_matched;          /* reference pauses the take also made */
    int pauses_missed;           /* reference pauses (in the covered part) the take ran through */
    int pauses_extra;            /* take pauses where the speaker did not pause */
    int hesitations;             /* take pauses long enough to be hesitations (hesitation_s) */
    double hesitation_s;         /* the longest, in seconds (0 without) */
    double hesitation_at_s;      /* where it starts in the take, seconds */
    sh_score_intonation_result intonation;
    int n_feedback;
    char feedback[SH_SCORE_MAX_FEEDBACK][200]; /* most important first */

    /* For pictures (sh_score_svg, sh_score_sparkline): normalised (0..1)
     * envelopes of the whole recordings, their VAD masks and the alignment
     * path in whole-recording frame indexes. Owned by the result. */
    double hop_s;
    float *ref_env, *take_env;
    unsigned char *ref_mask, *take_mask;
    size_t ref_frames, take_frames;
    sh_dtw_step *path;
    size_t path_len;
    sh_span *ref_pauses, *take_pauses; /* frame spans, ref.pauses / take.pauses of them */
    unsigned char *ref_pause_state;    /* per reference pause: 0 not reached, 1 missed, 2 matched */
    unsigned char *take_pause_state;   /* per take pause: 0 a pause, 1 a hesitation */
    float *ref_pitch, *take_pitch;     /* pitch in semitones around each one's median, one per
                                          frame, NAN where unvoiced (NULL without speech) */
} sh_score_result;

/* Score `take` (ntake mono samples) against `ref` (nref samples), both at
 * `rate` Hz (16000 recommended; any rate >= 8000 works). p NULL means the
 * defaults. On SH_OK *out is filled and owns memory: free it with
 * sh_score_result_free. A take or reference without speech is not an error:
 * the result then says so (total 0, verdict "no speech detected", and for a
 * silent reference ref.speech false). Returns SH_ERR_INVALID for NULL
 * arrays with n > 0, a non-finite sample, a rate below 8000 or bad params;
 * SH_ERR_NOMEM. Thread-safe: touches nothing but its arguments. */
int sh_score_compute(const sh_score_params *p, const float *ref, size_t nref, const float *take,
                     size_t ntake, int rate, sh_score_result *out);

/* Free what the result owns; r may be zeroed or already freed. */
void sh_score_result_free(sh_score_result *r);

/* The result as one JSON object (no trailing newline):
 *   {"cue": ID, "score": N, "verdict": "...", "subscores": {...},
 *    "measurements": {...}, "reference": {...}, "take": {...},
 *    "feedback": ["..."]}
 * cue_id and take_path may be NULL (then "cue" / "file" are omitted).
 * malloc'ed; NULL when out of memory. */
char *sh_score_to_json(const sh_score_result *r, const char *cue_id, const char *take_path);

/* CSV: the header line and one row (no newline), RFC 4180 quoting:
 *   cue,file,score,verdict,duration,energy,completeness,pauses,level,
 *   duration_ratio,coverage,take_span_s,ref_span_s,feedback
 * malloc'ed; NULL when out of memory. */
const char *sh_score_csv_header(void);
char *sh_score_to_csv(const sh_score_result *r, const char *cue_id, const char *take_path);

/* A compact picture of a normalised envelope for a terminal: `width` cells
 * of the block characters U+2581..U+2588 (utf8 true; 3 bytes each) or of
 * " .:-=+*#" (utf8 false), each cell the mean of the frames it covers.
 * Writes a NUL-terminated string into buf (cap bytes; at most 3*width+1
 * needed) and returns its length in bytes. */
size_t sh_score_sparkline(const float *env, size_t n, size_t width, bool utf8, char *buf, size_t cap);

/* An SVG picture: the reference and take envelopes one above the other,
 * voiced spans shaded and pauses marked, then the take warped onto the
 * reference's time line and drawn over it; total and sub-scores in the
 * title. `title` (may be NULL) names the cue or files. Returns SH_OK or
 * SH_ERR_IO (write error on f). */
int sh_score_svg(const sh_score_result *r, const char *title, FILE *f);

#ifdef __cplusplus
}
#endif
#endif
