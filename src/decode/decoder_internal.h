/* Internal to the decode module. */
#ifndef SH_DECODE_INTERNAL_H
#define SH_DECODE_INTERNAL_H

#include <glib.h>
#include <stdbool.h>

#include "shadowing/decode.h"

/* sh_decoder_open at the file's native rate (no resampling): rate 0 there.
 * Used by sh_audio_probe (exact duration) and the decode benchmark. */
int sh_decoder_open_native(const char *path, sh_decoder **out, sh_error *err);

/* True when the file holds no stream but the audio we decode (so its size
 * over its duration is the audio's average bitrate). */
bool sh_decoder_audio_only(sh_decoder *d);

/* Give up when the pipeline makes no progress (a stuck network mount, a
 * plugin waiting for data that never comes): better an error than a hang.
 * "No progress" is no data decoded and no CPU used by the process for
 * the idle limit (a stalled GStreamer waits on a condition, using none),
 * or CPU used for SH_BUSY_TIMEOUT_S without any data (a plugin in a loop).
 * The CPU test keeps slow machines and valgrind, which are busy, from
 * being taken for a stall. Opening a local file takes milliseconds of CPU
 * when it works; when it does not, GStreamer 1.22 sometimes swallows the
 * error and waits (oggdemux on a garbage Ogg file, 1 run in 10: "can't get
 * first chain" never reaches the bus), so the preroll gives up after
 * PREROLL_IDLE_S: no file keeps a command waiting more than about a second
 * before it decodes or fails. */
#define PREROLL_IDLE_S 1.0
#define IDLE_TIMEOUT_S 2.0
#define SH_BUSY_TIMEOUT_S 30.0
/* CPU time within one 100 ms poll that counts as busy (our own polling
 * costs microseconds). */
#define SH_BUSY_CPU_S 0.002
typedef struct sh_stall_watch {
    double idle_limit;             /* seconds */
    gint64 idle_since, busy_since; /* monotonic, us */
    double cpu;                    /* process CPU seconds at the last check */
} sh_stall_watch;
void sh_stall_start(sh_stall_watch *w, double idle_limit);
/* Call every ~100 ms with whether data moved since the last call. Returns
 * 0 while things move, else the seconds waited (> 0): stalled. */
double sh_stall_check(sh_stall_watch *w, bool progressed);

/* What went wrong, as the decoder recorded it (copies, so that no lock is
 * held while the message is made). */
typedef struct sh_failure {
    const char *path;
    char missing_desc[160]; /* first relevant missing plugin, e.g. "... decoder" */
    char missing_caps[160]; /* its caps */
    char other_stream[64];  /* a non-audio stream's media type */
    char bad_caps[200];     /* raw audio caps our chain refused */
    const GError *error;    /* the first GStreamer error, or NULL */
    bool audio_linked;      /* an audio stream reached our chain */
    bool no_audio;          /* all streams known, none audio */
} sh_failure;
/* One actionable line for f in err; returns its SH_ERR_* code: a missing
 * plugin (naming the Debian package), a plugin that refused the file, a
 * format our chain cannot take, not audio (saying what the file looks
 * like), a damaged file. */
int sh_decode_failure_message(const sh_failure *f, sh_error *err);
/* The advice that ends most of them. */
#define SH_CONVERT_HINT "convert it to WAV, FLAC, Ogg or MP3 (e.g. ffmpeg -i FILE out.wav, or sox)"

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
