/* shadowing - decoding audio with GStreamer.
 *
 *   uridecodebin ! audioconvert ! audioresample ! appsink (sync=false, bounded queue)
 *
 * Output is always mono float32 at the rate the caller asks for. A cue's
 * segment is decoded on demand with an accurate seek (sample exact, even on
 * VBR MP3s without a seek table), so memory does not grow with the lesson's
 * length. A streaming pass gives the exact duration and the energy envelope
 * of a whole file in bounded memory.
 *
 * Errors come back as one line that names the file and what to do: a missing
 * file, a file that is not audio, a missing codec plugin (naming the Debian
 * package to install), a truncated file (decoded as far as possible, with a
 * warning).
 */
#ifndef SHADOWING_DECODE_H
#define SHADOWING_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shadowing/envelope.h"
#include "shadowing/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Initialise GStreamer once per process (thread-safe; later calls are
 * free). Keeps GStreamer's own debug output off unless GST_DEBUG is set.
 * Returns SH_OK or SH_ERR_UNSUPPORTED with a message. */
int sh_gst_init(sh_error *err);

typedef struct sh_audio_info {
    double duration_s;   /* seconds; exact when duration_exact */
    bool duration_exact; /* counted from decoded samples, not estimated */
    int rate;            /* native sample rate, Hz */
    int channels;        /* native channel count */
    char codec[96];      /* e.g. "MPEG-1 Layer 3 (MP3)"; "" if unknown */
    char container[96];  /* e.g. "ID3 tag"; "" if unknown */
    unsigned bitrate;    /* bits per second; 0 if unknown */
} sh_audio_info;

/* Describe an audio file without decoding all of it (duration from the
 * container; exact only when `exact` is true, which decodes the whole file). */
int sh_audio_probe(const char *path, bool exact, sh_audio_info *info, sh_error *err);

typedef struct sh_decoder_config {
    int rate;           /* output sample rate in Hz; default 16000 */
    unsigned max_buffers; /* appsink queue bound; default 8 */
} sh_decoder_config;

/* Defaults: mono float at `rate` Hz (16000 when rate <= 0). */
sh_decoder_config sh_decoder_config_init(int rate);

/* An open file, kept prerolled so that repeated segment reads (a practice
 * session moving between paragraphs) cost one seek each. */
typedef struct sh_decoder sh_decoder;

/* Open `path`. Returns SH_OK and *out, or SH_ERR_NOT_FOUND / NOT_AUDIO /
 * NO_PLUGIN / DECODE (SH_ERR_IO: unreadable) with a message. Close with
 * sh_decoder_close. One decoder is for one thread at a time. */
int sh_decoder_open(const char *path, const sh_decoder_config *cfg, sh_decoder **out, sh_error *err);
void sh_decoder_close(sh_decoder *d);
/* Native format and estimated duration (see sh_audio_probe). */
const sh_audio_info *sh_decoder_info(const sh_decoder *d);
/* Output rate of this decoder. */
int sh_decoder_rate(const sh_decoder *d);

/* Decode [begin_s, end_s) as round(begin_s*rate) .. round(end_s*rate)
 * samples. Before 0 is zero-filled; past the end of the audio the result is
 * shorter (*n says how long). *out is malloc'ed: the caller frees it. */
int sh_decoder_read_segment(sh_decoder *d, double begin_s, double end_s, float **out, size_t *n,
                            sh_error *err);

/* Where the audio ends, if before t_s: *end_s = t_s when the audio lasts
 * at least until t_s, else the exact end (in samples at the decoder's
 * rate, as a full decode counts them). Cheap: it decodes the 50 ms before
 * t_s; when the audio ends earlier, two seconds around the container's
 * estimate of the duration; a whole pass only when that estimate is off by
 * more than a second. SH_OK, or a decode error with err set. */
int sh_decoder_audio_end(sh_decoder *d, double t_s, double *end_s, sh_error *err);

/* Called with consecutive blocks of the stream; return non-zero to stop.
 * It runs in a GStreamer streaming thread while sh_decoder_stream waits,
 * one call at a time: it must not call back into the same decoder. */
typedef int (*sh_decode_block_fn)(void *user, const float *samples, size_t n);

/* Stream the whole file from the start through `fn`, in bounded memory.
 * *total_frames (may be NULL) receives the number of samples decoded. A
 * truncated or partly corrupt file is decoded as far as possible: the
 * function then returns SH_OK with *truncated true and a warning in err. */
int sh_decoder_stream(sh_decoder *d, sh_decode_block_fn fn, void *user, uint64_t *total_frames,
                      bool *truncated, sh_error *err);

/* Result of sh_decode_scan. */
typedef struct sh_scan_result {
    uint64_t frames;   /* samples at the scan rate */
    int rate;          /* the scan rate */
    double duration_s; /* exact: frames / rate */
    float *envelope;   /* malloc'ed dBFS frames (sh_envelope), caller frees */
    size_t envelope_len;
    bool truncated;    /* the file ended early or was partly corrupt */
    char warning[512]; /* why, when truncated */
} sh_scan_result;

/* One streaming pass over `path`: exact duration and the energy envelope
 * (cfg NULL: sh_envelope_config_init(rate)). Memory: the envelope (4 bytes
 * per 10 ms, 1.4 MB an hour) plus a few decode buffers. */
int sh_decode_scan(const char *path, int rate, const sh_envelope_config *cfg, sh_scan_result *out,
                   sh_error *err);
void sh_scan_result_free(sh_scan_result *r);

/* Decode a whole (short) file, such as a learner's take, into memory.
 * Refuses files longer than max_seconds (SH_ERR_TOO_LARGE). Caller frees *out. */
int sh_decode_file(const char *path, int rate, double max_seconds, float **out, size_t *n, sh_error *err);

#ifdef __cplusplus
}
#endif
#endif
