/* shadowing - the teacher tools' edits of a lesson (src/cue/edit.c):
 * filling a lesson from an imported cue document, shifting, merging and
 * splitting cues. `shadowing cue` (cmd_cue.c) parses the options, loads,
 * calls these and saves.
 *
 * Each function checks the whole edit before it changes the lesson, so a
 * refused edit leaves it as it was, and fills `err` (or `diag`) with one
 * line naming the lesson, the cue (id and index) and what to do. No I/O,
 * no printing. Each is linear in the cues it touches (the lesson's own
 * edits cost O(1) a cue). sh_cue pointers of the lesson are invalid after
 * any of them.
 */
#ifndef SHADOWING_CUEEDIT_H
#define SHADOWING_CUEEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "shadowing/align.h"
#include "shadowing/cuefmt.h"
#include "shadowing/diag.h"
#include "shadowing/error.h"
#include "shadowing/lesson.h"

#ifdef __cplusplus
extern "C" {
#endif

/* True when `s` (may be NULL) holds a Chinese character (a translation
 * that joins sentences without spaces). */
bool sh_cue_has_han(const char *s);

/* Append the cues and vocabulary of `doc` (parsed from `path`) to `l`. Ids
 * the lesson refuses or repeats are replaced by fresh ones; Chinese
 * translations set "translation_language": "zh". A cue the lesson still
 * refuses is an error at its source line in `diag`. Returns SH_OK or the
 * lesson's error (the lesson then holds the cues before it). */
int sh_cue_doc_to_lesson(const sh_cue_doc *doc, sh_lesson *l, const char *path, sh_diag *diag);

/* Add `by` seconds to the times of cue `first` (0-based) and all after it,
 * and to their word times ("words" move with their cue).
 * SH_ERR_RANGE when a time would fall before 0 or past
 * SH_LESSON_MAX_TIME (err names the cue and the largest shift allowed),
 * SH_ERR_INVALID when `by` is not finite; nothing moved then. *moved: the
 * cues that had times. */
int sh_cue_shift(sh_lesson *l, size_t first, double by, size_t *moved, sh_error *err);

/* Join the neighbouring cues `a` and `b` (ids or 1-based indexes, either
 * order) into the first: texts and translations joined, times spanning
 * both (untimed when either is). kept/gone receive the two ids (idsize
 * bytes each). SH_ERR_NOT_FOUND (no such cue), SH_ERR_INVALID (not
 * neighbours) or SH_ERR_NOMEM. */
int sh_cue_merge(sh_lesson *l, const char *a, const char *b, char *kept, char *gone, size_t idsize,
                 sh_error *err);

/* Split a translation into `want` sentences at 。！？ (closing quotes stay
 * with their sentence): a malloc'ed array of `want` malloc'ed strings, or
 * NULL when it holds another number of sentences (or out of memory). */
char **sh_cue_split_translation(const char *tr, size_t want);

/* Replace cue `at` by `ns` cues with texts sent[], times begin[]/end[] and
 * translations trs[] (NULL: all of tr_all, which may be NULL, goes with the
 * first). Their ids are ID-1, ID-2... after the cue's id (fresh ones where
 * taken). SH_ERR_RANGE, with nothing changed, when a piece has no valid
 * time span. */
int sh_cue_split_apply(sh_lesson *l, size_t at, char *const *sent, char *const *trs, const char *tr_all,
                       const double *begin, const double *end, size_t ns, sh_error *err);

/* ---- Timed from the audio: env[0..env_len) is the energy envelope of the
 * whole file (sh_decode_scan at `rate`), `duration` its length. ---- */

/* Time every cue of `l` (cue align): res[0..cue count) receives the times
 * (clamped to the audio) and confidences, st (may be NULL) the statistics.
 * Errors say what is wrong with the audio (`audio`, its path): no samples,
 * silent, too few pauses for the cues (SH_ERR_RANGE), and what to do. */
int sh_cue_align_lesson(sh_lesson *l, const float *env, size_t env_len, int rate, double duration,
                        const char *audio, sh_align_cue *res, sh_align_stats *st, sh_error *err);

/* Fit imported cues to the audio (cue import): with ends_from_starts (LRC)
 * each end is the next start trimmed back to the speech; ends past the
 * audio are clipped. A cue starting after the audio or without length is
 * an error at its source line in `diag`. Returns the number of errors. */
size_t sh_cue_doc_fit_audio(sh_cue_doc *doc, bool ends_from_starts, const float *env, size_t env_len, int rate,
                            double duration, const char *path, const char *audio, sh_diag *diag);

/* Time the `ns` sentences of a cue [begin, end] (cue split): res[0..ns),
 * the first beginning at `begin` and the last ending at `end`. SH_OK,
 * SH_ERR_RANGE (no pauses between them in the audio) or SH_ERR_NOMEM. */
int sh_cue_time_sentences(const float *env, size_t env_len, int rate, double begin, double end,
                          char *const *sent, size_t ns, sh_align_cue *res);

#ifdef __cplusplus
}
#endif
#endif
