/* Cues against the decoded audio, for the commands that use a cue (play,
 * record, score, practice): the check `check` makes, without decoding the
 * whole file (see sh_decoder_audio_end). */
#include <math.h>
#include <stdio.h>

#include "shadowing/decode.h"
#include "shadowing/lesson.h"

int sh_lesson_check_cues_in_audio(const sh_lesson *l, size_t first, size_t last, sh_decoder *dec,
                                  sh_diag_level level, sh_diag *diag, double *audio_end_s, sh_error *err)
{
    size_t n = sh_lesson_cue_count(l);
    if (last > n)
        last = n;
    double latest = 0;
    for (size_t i = first; i < last; i++) {
        double e = sh_lesson_cue(l, i)->end;
        if (!isnan(e) && e > latest)
            latest = e;
    }
    if (audio_end_s)
        *audio_end_s = latest;
    if (!(latest > 0))
        return 0;
    double end = 0;
    int rc = sh_decoder_audio_end(dec, latest, &end, err);
    if (rc != SH_OK)
        return rc;
    if (audio_end_s)
        *audio_end_s = end;
    if (end >= latest)
        return 0;
    return sh_lesson_check_cues_duration(l, first, last, end, level, diag);
}

int sh_lesson_require_cues_in_audio(const sh_lesson *l, size_t first, size_t last, sh_decoder *dec)
{
    sh_diag *diag = sh_diag_new();
    sh_error err = {0};
    int n = sh_lesson_check_cues_in_audio(l, first, last, dec, SH_DIAG_ERROR, diag, NULL, &err);
    if (n < 0)
        fprintf(stderr, "shadowing: %s\n", err.message[0] ? err.message : sh_strerror(n));
    else if (n > 0)
        sh_diag_print(diag, stderr, SH_DIAG_WARNING);
    sh_diag_free(diag);
    return n != 0 ? 1 : 0;
}
