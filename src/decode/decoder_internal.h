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

/* Before any pipeline starts on `path`: refuse what GStreamer cannot read
 * or would stall on, in one line that says what to do: a missing file (a
 * dangling or looping symbolic link named as such), a folder, device, FIFO
 * or socket, a pseudo-file (/proc), an empty file, an impossible WAV header
 * (sh_wav_header_problem), an ID3 tag larger than the file. Returns SH_OK
 * and the file's size, or NOT_FOUND / NOT_AUDIO / FORMAT / IO with err. */
int sh_decode_precheck(const char *path, unsigned long long *size, sh_error *err);

/* What the file looks like when GStreamer could not read it ("text", "a
 * PDF document", "a damaged Ogg file"; see sh_sniff_kind), or NULL. */
const char *sh_decode_sniff(const char *path);

#endif
