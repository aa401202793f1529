/* Internal to the decode module. */
#ifndef SH_DECODE_INTERNAL_H
#define SH_DECODE_INTERNAL_H

#include "shadowing/decode.h"

/* sh_decoder_open at the file's native rate (no resampling): rate 0 there.
 * Used by sh_audio_probe (exact duration) and the decode benchmark. */
int sh_decoder_open_native(const char *path, sh_decoder **out, sh_error *err);

/* True when the file holds no stream but the audio we decode (so its size
 * over its duration is the audio's average bitrate). */
bool sh_decoder_audio_only(sh_decoder *d);

#endif
