/* `cue align --words` (cue_words.c), called by cmd_cue.c. */
#ifndef SH_CUE_WORDS_H
#define SH_CUE_WORDS_H

#include <stdbool.h>

#include "shadowing/align.h"
#include "shadowing/lesson.h"

/* The whole file's envelope, for splitting paragraphs at sentence pauses. */
typedef struct sh_cue_env {
    const float *env;
    size_t n;
    const sh_align_config *cfg;
    const sh_align_levels *levels;
} sh_cue_env;

/* Time every word of every cue of `l` (already timed) and store them as the
 * cues' "words"; `res` (may be NULL) are the pause aligner's results, whose
 * doubtful boundaries the words may move. Prints a summary unless quiet.
 * Without the `asr` feature it warns once that word timing is off and
 * returns SH_EXIT_OK. Returns an exit status (errors already printed). */
int sh_cue_align_words_(sh_lesson *l, const sh_align_cue *res, double doubtful_below, double duration_s,
                        const sh_cue_env *ce, bool quiet);

#endif
