/* shadowing - cue alignment: where does each paragraph begin and end?
 *
 * The baseline works on the energy envelope alone (include/shadowing/
 * envelope.h, 10 ms frames in dBFS), so aligning an hour costs the decode
 * pass plus milliseconds:
 *   1. levels: the noise floor (a low percentile, so a noise bed or an MP3's
 *      coding noise raises it) and the speech level; a pause threshold
 *      between them and a lower speech-edge threshold just above the noise;
 *   2. pause candidates: runs of frames under the pause threshold lasting at
 *      least min_pause_s;
 *   3. dynamic programming over the candidates: each paragraph's expected
 *      duration comes from its text (sh_align_text_weight) times a speaking
 *      rate estimated from the file and re-estimated from the solution; a
 *      paragraph costs (ln(duration/expected)/sigma)^2, a boundary in a
 *      shorter pause than the others costs a little, and sound left before
 *      the first paragraph (an intro jingle) or after the last costs little
 *      per second, so a jingle is skipped when the text says it must be;
 *   4. begin/end at the speech edges inside the chosen pauses;
 *   5. a confidence per boundary from a forward-backward pass: how much
 *      worse the best solution that puts this boundary in another pause is.
 * Pure: no I/O, no globals; the caller supplies the envelope.
 */
#ifndef SHADOWING_ALIGN_H
#define SHADOWING_ALIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "shadowing/envelope.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sh_align_config {
    double hop_s;          /* envelope hop (from the envelope config) */
    double window_s;       /* envelope window */
    double min_pause_s;    /* shortest pause that can separate paragraphs; 0.25 */
    double sigma;          /* spread of ln(duration/expected); 0.12 */
    double pause_weight;   /* cost of a boundary in a pause shorter than the others; 1.0 */
    double skip_cost_s;    /* cost per second of sound left outside all cues; 0.03 */
    double doubtful_below; /* confidence under which a boundary is flagged; 0.5 */
    int iterations;        /* speaking-rate re-estimations; 2 */
} sh_align_config;

/* Defaults for an envelope made with `env` (NULL: 25 ms windows every 10 ms). */
sh_align_config sh_align_config_init(const sh_envelope_config *env);

/* Where one unit (paragraph or sentence) was placed. */
typedef struct sh_align_cue {
    double begin, end;       /* seconds, at the speech edges */
    double begin_confidence; /* 0..1 */
    double end_confidence;   /* 0..1 */
    bool doubtful;           /* either confidence under doubtful_below */
} sh_align_cue;

typedef struct sh_align_stats {
    float floor_db;       /* noise floor */
    float speech_db;      /* speech level */
    float pause_db;       /* pause threshold */
    float edge_db;        /* speech-edge threshold */
    size_t pauses;        /* pause candidates found */
    double seconds_per_unit; /* final speaking-rate estimate (s per weight unit) */
    double intro_s;       /* sound skipped before the first unit */
    double outro_s;       /* sound skipped after the last unit */
    double cost;          /* total cost of the chosen solution */
} sh_align_stats;

/* Levels of an envelope: noise floor, speech level, the pause threshold
 * between them and the speech-edge threshold just above the noise. */
typedef struct sh_align_levels {
    float floor_db, speech_db, pause_db, edge_db;
} sh_align_levels;

/* Measure the levels of env[from..to) (from == to == 0: all n frames). */
void sh_align_measure(const float *env, size_t n, size_t from, size_t to, sh_align_levels *out);

/* Where speech really ends in [begin_s, end_s): the last speech edge before
 * a pause that reaches end_s, or end_s when speech runs up to it (an LRC
 * line ends where the next starts; this trims the silence before it). */
double sh_align_trim_end(const sh_align_config *cfg, const sh_align_levels *lv, const float *env,
                         size_t n, double begin_s, double end_s);

/* Align `n_units` consecutive units with relative expected durations
 * `weights` (> 0; sh_align_text_weight of each text) inside the envelope
 * frames [from, to) of env[0..n). from == to == 0 means the whole envelope.
 * With `pinned` true the first unit begins at `from` and the last ends at
 * `to` (used to split a cue whose edges are known). Fills out[0..n_units)
 * and stats (may be NULL). `levels` NULL measures them over the range; a
 * caller aligning a short range (one cue's sentences) passes the levels of
 * the whole file, since a short range may hold too little silence.
 * Returns SH_OK, SH_ERR_INVALID (bad arguments), SH_ERR_NOMEM, or
 * SH_ERR_RANGE when the audio has fewer pauses than the units need (the
 * text does not match the audio or the pauses are too short). */
int sh_align_envelope(const sh_align_config *cfg, const float *env, size_t n, size_t from, size_t to,
                      bool pinned, const sh_align_levels *levels, const double *weights,
                      size_t n_units, sh_align_cue *out, sh_align_stats *stats);

/* Expected speaking time of `text` in arbitrary units (about one per
 * letter): digits, symbols ($, %) and acronyms count as spoken, punctuation
 * inside the text adds its pause. Always > 0. */
double sh_align_text_weight(const char *text);

/* Split `text` into sentences (after . ! ? and closing quotes, not after
 * common abbreviations or initials). Returns the number of sentences and a
 * malloc'ed array of malloc'ed strings in *out (caller frees each and the
 * array), or 0 with *out NULL when out of memory. */
size_t sh_align_split_sentences(const char *text, char ***out);

#ifdef __cplusplus
}
#endif
#endif
