/* libFuzzer harness for the decoder's checks on a file's first bytes
 * (src/decode/header.c, pure): the impossible-WAV-header and damaged-Ogg-
 * page tests that run before any GStreamer pipeline, the declared duration (WAV data size, MP3
 * Xing frame count after an ID3 tag) and the "looks like" sniffer.
 * Invariants: no crash or over-read on any input; a problem always comes
 * with its reason; a declared duration is finite and not negative. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so that ASan sees any read past the end. */
    unsigned char *p = malloc(size ? size : 1);
    if (!p)
        return 0;
    if (size)
        memcpy(p, data, size);
    char why[200];
    if (sh_wav_header_problem(p, size, why, sizeof why) && why[0] == '\0')
        abort();
    (void)sh_wav_header_problem(p, size, NULL, 0);
    if (sh_ogg_header_problem(p, size, why, sizeof why) && why[0] == '\0')
        abort();
    double s = -1;
    if (sh_header_declared_duration(p, size, &s) && (!isfinite(s) || s < 0))
        abort();
    const char *kind = sh_sniff_kind(p, size);
    if (kind && !kind[0])
        abort();
    free(p);
    return 0;
}
