/* shadowing - audio devices: play a paragraph, record a repeat.
 *
 * One small device interface over a table of backends (as mpv's audio/out):
 *
 *   portaudio  real sound devices (default when built with PortAudio)
 *   file       plays into a WAV file and records from a WAV file used as the
 *              "microphone"; runs as fast as it can, or paced in real time
 *   null       discards what is played, records silence
 *
 * An sh_audio is one open, running stream (output, input or full duplex)
 * driven by a real-time callback. On top of it sit one player and one
 * recorder, both controlled from an ordinary thread (a UI loop) without
 * blocking it: every control call returns in well under a millisecond,
 * except a play or speed change at a speed other than 1 (the segment is
 * rendered through scaletempo first: 5-20 ms per second of audio; a copy of
 * the samples otherwise), sh_audio_record_start (creates the file) and
 * sh_audio_record_stop / sh_audio_close (join the writer thread). Decoding
 * is the caller's (shadowing/decode.h); to start sound before a long
 * segment is decoded, use sh_audio_play_begin/append.
 *
 * Real-time rule: the callback never allocates, locks, logs or does I/O.
 * The player reads an immutable rendered buffer handed over through an
 * atomic pointer; the recorder's samples cross a lock-free single-producer
 * single-consumer ring to a writer thread that does the file I/O. Missed
 * deadlines (underruns/overruns) are counted (sh_audio_stats).
 *
 * Threading: all functions except the callback's internals are meant to be
 * called from ONE control thread (the caller's). The object is not
 * thread-safe for concurrent control calls.
 *
 * Errors: functions return SH_OK or a negative SH_ERR_* and, when `err` is
 * not NULL, a one-line message naming the device or file and what to do.
 */
#ifndef SHADOWING_AUDIO_H
#define SHADOWING_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shadowing/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- devices */

typedef enum sh_audio_backend {
    SH_AUDIO_PORTAUDIO = 0,
    SH_AUDIO_FILE = 1,
    SH_AUDIO_NULL = 2,
} sh_audio_backend;

/* "portaudio", "file", "null"; NULL for an unknown value. */
const char *sh_audio_backend_name(sh_audio_backend b);
/* Parse a backend name. Returns false when unknown. */
bool sh_audio_backend_parse(const char *name, sh_audio_backend *out);
/* Whether a backend is built in (portaudio needs PortAudio at build time). */
bool sh_audio_backend_available(sh_audio_backend b);

typedef struct sh_audio_config {
    sh_audio_backend backend; /* default SH_AUDIO_PORTAUDIO if built, else FILE */
    const char *device;       /* portaudio: a device NAME (substring, case-
                                 insensitive) or INDEX; NULL = default devices */
    const char *output_path;  /* file: WAV written with everything played
                                 (float32, mono); NULL = discard */
    const char *input_path;   /* file: WAV read as the microphone; NULL = silence */
    bool playback;            /* open an output direction (default true) */
    bool capture;             /* open an input direction (default false) */
    bool realtime;            /* file/null: pace the stream in real time
                                 (default false: as fast as possible) */
    int rate;                 /* Hz; 0 = the device's default rate (file: the
                                 input's rate, else 48000) */
    unsigned period_frames;   /* frames per callback; 0 = backend default
                                 (file/null 480, portaudio chosen by the host) */
    bool latency_set;         /* latency_ms given explicitly */
    double latency_ms;        /* shadow mode: extra round-trip delay added to
                                 what the device reports (from `calibrate`) */
    bool verbose;             /* let PortAudio/ALSA print their diagnostics */
    bool deferred_start;      /* open without starting the stream: arm the
                                 player/recorder first, then sh_audio_start,
                                 so the first callback already plays/records */
    bool backend_set;         /* --audio given explicitly (internal bookkeeping) */
} sh_audio_config;

/* Defaults as documented above. */
sh_audio_config sh_audio_config_init(void);

typedef struct sh_audio sh_audio;

/* Open and start a stream. Playback and capture run on one full-duplex
 * stream when both are asked for, so their clocks agree (shadow mode).
 * On success *out owns the stream; close it with sh_audio_close.
 * Errors: SH_ERR_UNSUPPORTED (backend not built in), SH_ERR_DEVICE (no
 * usable device: the message is one line ending with the hint
 * "--audio file"), SH_ERR_NOT_FOUND (--device or --input not found),
 * SH_ERR_IO / SH_ERR_DISK_FULL (output file), SH_ERR_INVALID (bad config),
 * SH_ERR_NOMEM. */
int sh_audio_open(const sh_audio_config *cfg, sh_audio **out, sh_error *err);

/* Start a stream opened with cfg.deferred_start (no-op when running).
 * Errors: SH_ERR_DEVICE with a one-line message. */
int sh_audio_start(sh_audio *a, sh_error *err);

/* Stop the stream, stop and finalize an active recording (its result is
 * discarded: call sh_audio_record_stop first to keep it), free everything.
 * For the file backend the output WAV is finalized. NULL is allowed. */
void sh_audio_close(sh_audio *a);

/* The stream's sample rate (Hz). */
int sh_audio_rate(const sh_audio *a);
/* A short description of the open devices ("file: out.wav", "ALSA: default"). */
const char *sh_audio_description(const sh_audio *a);

typedef struct sh_audio_stats {
    uint64_t callbacks;     /* callbacks run */
    uint64_t frames;        /* frames processed */
    uint64_t underruns;     /* output underflows reported by the device, or
                               late wake-ups of the paced file backend */
    uint64_t overruns;      /* input overflows reported by the device, plus
                               recorder ring overflows (samples lost) */
    uint64_t dropped;       /* recorded samples lost to ring overflows */
    double output_latency_s;/* as reported by the device (0 for file/null) */
    double input_latency_s;
} sh_audio_stats;

/* Counters since sh_audio_open. Never fails. */
void sh_audio_get_stats(const sh_audio *a, sh_audio_stats *st);

/* True once the file backend's input is used up in the current (or last)
 * recording (false otherwise). Each recording reads the input from its
 * start again. */
bool sh_audio_input_ended(const sh_audio *a);

/* File backend: from the next recording on, use samples[0..n) (mono, at
 * sh_audio_rate; copied) as the microphone in place of --input, each
 * recording reading them from the first sample; n == 0 goes back to
 * --input (or silence). The practice screen's --takes DIR hands each
 * paragraph's take over this way. Call it between recordings. Errors:
 * SH_ERR_UNSUPPORTED (another backend, or no capture), SH_ERR_NOMEM. */
int sh_audio_set_input(sh_audio *a, const float *samples, size_t n, sh_error *err);

/* A failure seen by the stream's own thread since it started (the file
 * backend's output disk full), or a stream whose callback has not run for
 * 3 s (a device unplugged: SH_ERR_DEVICE): SH_OK or the error, with err
 * filled. Call it from the control loop now and then (it is also the stall
 * watchdog's clock). Never blocks. */
int sh_audio_error(const sh_audio *a, sh_error *err);

/* Command-line options shared by every command that opens a device, for
 * getopt_long tables: add SH_AUDIO_LONG_OPTIONS to the table and hand any
 * returned code >= SH_AUDIO_OPT_BASE to sh_audio_config_option.
 *   --audio portaudio|file|null, --device NAME|INDEX, --output FILE.wav
 *   (implies file), --input FILE.wav (implies file for capture),
 *   --realtime, --rate HZ, --latency-ms MS, --verbose */
enum {
    SH_AUDIO_OPT_BASE = 0x4100,
    SH_AUDIO_OPT_AUDIO = SH_AUDIO_OPT_BASE,
    SH_AUDIO_OPT_DEVICE,
    SH_AUDIO_OPT_OUTPUT,
    SH_AUDIO_OPT_INPUT,
    SH_AUDIO_OPT_REALTIME,
    SH_AUDIO_OPT_RATE,
    SH_AUDIO_OPT_LATENCY,
    SH_AUDIO_OPT_VERBOSE,
    SH_AUDIO_OPT_END_
};
#define SH_AUDIO_LONG_OPTIONS                                                                      \
    {"audio", required_argument, NULL, SH_AUDIO_OPT_AUDIO},                                        \
        {"device", required_argument, NULL, SH_AUDIO_OPT_DEVICE},                                  \
        {"output", required_argument, NULL, SH_AUDIO_OPT_OUTPUT},                                  \
        {"input", required_argument, NULL, SH_AUDIO_OPT_INPUT},                                    \
        {"realtime", no_argument, NULL, SH_AUDIO_OPT_REALTIME},                                    \
        {"rate", required_argument, NULL, SH_AUDIO_OPT_RATE},                                      \
        {"latency-ms", required_argument, NULL, SH_AUDIO_OPT_LATENCY},                             \
        {"verbose", no_argument, NULL, SH_AUDIO_OPT_VERBOSE}
/* Usage text for those options (static string, ends with a newline). */
/* The same text as a string literal, for usage texts built at compile time. */
#define SH_AUDIO_OPTIONS_USAGE \
    "Audio options:\n" \
    "  --audio portaudio|file|null  sound backend (default portaudio)\n" \
    "  --device NAME|INDEX   PortAudio device (see 'shadowing devices')\n" \
    "  --output FILE.wav     play into a WAV file (implies --audio file)\n" \
    "  --input FILE.wav      record from a WAV file (implies --audio file)\n" \
    "  --realtime            pace the file backend in real time\n" \
    "  --rate HZ             sample rate (default: the device's)\n" \
    "  --latency-ms MS       extra round-trip latency for shadow mode\n" \
    "                        (default: the value stored by 'shadowing calibrate')\n" \
    "  --verbose             show device diagnostics and xrun counters\n"
extern const char sh_audio_options_usage[];

/* Apply one of the options above to cfg. `arg` is optarg (NULL for flags);
 * strings are referenced, not copied. Returns SH_OK or SH_ERR_INVALID with
 * a message for a bad value (a usage error) or an unknown code. An explicit
 * --audio wins over the file backend implied by --output/--input. */
int sh_audio_config_option(sh_audio_config *cfg, int code, const char *arg, sh_error *err);
/* Fill cfg->latency_ms from the config file's latency_ms when the command
 * line did not set it. Never fails (a bad or missing value leaves 0). */
void sh_audio_config_load_latency(sh_audio_config *cfg);

/* Describe the PortAudio devices as a JSON array (json true) or a table,
 * into a malloc'ed string the caller frees. Errors: SH_ERR_UNSUPPORTED,
 * SH_ERR_DEVICE (PortAudio failed to start), SH_ERR_NOMEM. */
int sh_audio_list_devices(bool json, bool verbose, char **out, sh_error *err);

/* ----------------------------------------------------------------- player */

typedef struct sh_play_params {
    int loops;          /* times to play the segment; 0 = endless (default 1) */
    double gap_s;       /* silence between loops, seconds (default 0) */
    double gap_factor;  /* or a multiple of the segment length; wins when > 0 */
    double speed;       /* tempo 0.5..1.5, pitch kept (default 1) */
    double volume;      /* linear gain 0..2 (default 1) */
    double fade_s;      /* fade in/out at the segment edges (default 0.005) */
    double gap_base_s;  /* length gap_factor multiplies (e.g. the cue's
                           end - begin); 0 = the segment's length */
} sh_play_params;

/* Defaults: one loop, no gap, speed 1, volume 1, 5 ms fades. */
sh_play_params sh_play_params_init(void);

/* Start playing `n` samples (mono, at sh_audio_rate) and return at once.
 * The samples are copied; the caller keeps ownership of `samples`. The
 * fades are applied to the copy; a speed other than 1 is rendered with
 * GStreamer's scaletempo before returning (about 5-20 ms per second of
 * audio). Replaces whatever was playing. Loops follow each other with
 * exactly `gap` silent samples (none when 0: a seamless seam).
 * Errors: SH_ERR_INVALID (no output direction, n == 0, speed out of
 * 0.5..1.5), SH_ERR_NO_PLUGIN (scaletempo missing), SH_ERR_NOMEM. */
int sh_audio_play(sh_audio *a, const float *samples, size_t n, const sh_play_params *p,
                  sh_error *err);

/* Progressive start, for the shortest time to the first sound: start
 * playing a segment of `n_total` samples of which only the first `n_first`
 * are known yet, then hand over the rest in order with
 * sh_audio_play_append while it plays. The result is the same as one
 * sh_audio_play of the whole segment (fades included) as long as loading
 * keeps ahead; if playback catches up it plays silence meanwhile (a glitch,
 * counted). Speed 1 only (a tempo change needs the whole segment); speed
 * changes are refused until the segment is complete. Errors: as
 * sh_audio_play, SH_ERR_INVALID for speed != 1 or n_first > n_total. */
int sh_audio_play_begin(sh_audio *a, size_t n_total, const float *first, size_t n_first,
                        const sh_play_params *p, sh_error *err);
/* Append the next `n` samples (copied). Completes the segment by itself when
 * n_total samples have arrived. Errors: SH_ERR_INVALID (nothing loading,
 * more than announced). */
int sh_audio_play_append(sh_audio *a, const float *x, size_t n, sh_error *err);
/* Declare the segment complete with the samples received so far (the
 * source ended early). Errors: SH_ERR_INVALID (nothing loading). */
int sh_audio_play_finish(sh_audio *a, sh_error *err);

/* Stop playing (the next callback outputs silence). Never fails. */
void sh_audio_play_stop(sh_audio *a);
/* Pause (true) or resume (false) where it was. Never fails. */
void sh_audio_play_pause(sh_audio *a, bool paused);
/* Change the tempo while playing: renders the segment at the new speed
 * (in the calling thread: about 5-20 ms per second of audio) and switches
 * to it at the same place in the segment, gaps scaled alike. When nothing
 * is playing it does not start playback. Refused while a progressive play
 * is still loading.
 * Errors: SH_ERR_INVALID (out of 0.5..1.5, nothing loaded), SH_ERR_NO_PLUGIN,
 * SH_ERR_NOMEM; the old speed keeps playing then. */
int sh_audio_play_set_speed(sh_audio *a, double speed, sh_error *err);
/* Change the loop count (0 = endless) while playing; counts loops already
 * played. When lowered below the loops played, playback ends at the end of
 * the current loop. Never fails. */
void sh_audio_play_set_loops(sh_audio *a, int loops);
/* Change the gap (seconds, or factor x segment length when factor > 0). */
void sh_audio_play_set_gap(sh_audio *a, double gap_s, double gap_factor);
/* Change the gain (clamped to 0..2). Never fails. */
void sh_audio_play_set_volume(sh_audio *a, double volume);

typedef struct sh_play_status {
    bool active;       /* something is loaded and not finished/stopped */
    bool paused;
    bool in_gap;       /* between two loops */
    int loop;          /* 0-based loop being played */
    int loops;         /* 0 = endless */
    double position_s; /* position in the segment, in the segment's own
                          time (independent of speed) */
    double length_s;   /* segment length at speed 1 */
    double speed;
    uint64_t frames_out; /* frames handed to the device since sh_audio_play */
    double started_at;   /* CLOCK_MONOTONIC seconds when the first sample
                            was handed to the device; 0 before that */
} sh_play_status;

/* Playback state as of the last callback. Never fails. */
void sh_audio_play_status(const sh_audio *a, sh_play_status *st);

/* --------------------------------------------------------------- recorder */

typedef enum sh_record_stop_reason {
    SH_RECORD_RUNNING = 0,
    SH_RECORD_STOPPED,   /* sh_audio_record_stop (key, Enter, Ctrl-C) */
    SH_RECORD_MAX,       /* max_s reached */
    SH_RECORD_SILENCE,   /* silence after speech */
    SH_RECORD_INPUT_END, /* the file backend's input ended */
    SH_RECORD_ERROR,     /* a write failed (disk full...): see status.error */
} sh_record_stop_reason;

typedef struct sh_record_params {
    const char *path;   /* WAV to write progressively (16-bit mono at the
                           stream rate, header kept current); NULL = memory only */
    double max_s;       /* stop after this long; 0 = no limit (default 0) */
    double silence_s;   /* stop after this much silence following speech;
                           0 = never (default 1.2) */
    bool keep_samples;  /* keep a float copy for sh_audio_record_stop (default true) */
    bool shadow;        /* see sh_audio_shadow_start */
} sh_record_params;

/* Defaults: no file, no limit, 1.2 s silence stop, keep samples. */
sh_record_params sh_record_params_init(void);

/* Start recording and return at once. The file (when given) is created
 * now and is a valid WAV from then on, whatever happens to the process.
 * Errors: SH_ERR_INVALID (no input direction, already recording),
 * SH_ERR_IO / SH_ERR_DISK_FULL (cannot create the file), SH_ERR_NOMEM. */
int sh_audio_record_start(sh_audio *a, const sh_record_params *p, sh_error *err);

/* Shadow mode: start playing `samples` and recording in the same callback.
 * The recording is placed on the reference's timeline: it starts with the
 * input sample captured when the first reference sample was heard, using
 * the device's reported latencies, the callback's timestamps and
 * cfg.latency_ms. Errors: those of sh_audio_play and sh_audio_record_start
 * (needs a full-duplex stream). */
int sh_audio_shadow_start(sh_audio *a, const float *samples, size_t n, const sh_play_params *pp,
                          const sh_record_params *rp, sh_error *err);

typedef struct sh_record_status {
    bool active;           /* still capturing */
    sh_record_stop_reason reason;
    double seconds;        /* captured so far */
    float level_db;        /* RMS over the last 50 ms, dBFS (-100 for silence) */
    float peak_db;         /* peak over the last 50 ms, dBFS */
    uint64_t clips;        /* samples at or beyond full scale */
    bool speech;           /* speech detected since the start */
    float noise_floor_db;  /* the silence detector's estimate */
    int error;             /* SH_OK, or the write error when reason == ERROR */
} sh_record_status;

/* Live recording state (levels updated every ~10 ms). Never fails. */
void sh_audio_record_status(const sh_audio *a, sh_record_status *st);

typedef struct sh_recording {
    float *samples;     /* malloc'ed copy (keep_samples), caller frees; else NULL */
    size_t n;           /* samples captured (also written to the file) */
    int rate;
    sh_record_stop_reason reason;
    uint64_t clips;
    uint64_t dropped;   /* samples lost to overruns (0 when all went well) */
} sh_recording;

/* Stop recording (if still running), drain and finalize the file, and
 * return what was captured in *rec (may be NULL). Returns SH_OK, or the
 * write error that stopped the recording (SH_ERR_DISK_FULL, SH_ERR_IO) with
 * err naming the file; the file then holds everything written before the
 * error and is a valid WAV. SH_ERR_INVALID when nothing was recording. */
int sh_audio_record_stop(sh_audio *a, sh_recording *rec, sh_error *err);

/* Free rec->samples; rec may be NULL. */
void sh_recording_free(sh_recording *rec);

/* ------------------------------------------------------------ pure parts */

/* The silence detector used by the recorder (pure; exposed for tests and
 * for scoring a file offline). Fed 10 ms RMS levels in dBFS, it tracks the
 * noise floor (fast down, slow up while no speech), calls speech anything
 * louder than max(floor + 12 dB, -60 dBFS) (capped at -30 dBFS) for 150 ms
 * in total, and reports the end after `silence_s` below that threshold
 * minus 3 dB following speech. */
typedef struct sh_silence {
    double frame_s;
    double silence_s;
    float floor_db;
    float threshold_db;
    double speech_s;   /* time above threshold so far */
    double quiet_s;    /* current run below threshold */
    double elapsed_s;
    bool speech;
    bool ended;
} sh_silence;

void sh_silence_init(sh_silence *v, double frame_s, double silence_s);
/* Feed one frame level; returns true when the recording should end. */
bool sh_silence_feed(sh_silence *v, float level_db);

/* Apply raised-cosine fades of `fade_n` samples to both ends of x[0..n)
 * (shortened to n/2 when the segment is shorter). Pure. */
void sh_audio_apply_fades(float *x, size_t n, size_t fade_n);

/* Render x[0..n) at `speed` (0.5..1.5) with the pitch kept, through
 * GStreamer's scaletempo. The result has exactly round(n / speed) samples
 * (the input is padded so scaletempo's short tail does not cut the end).
 * *out is malloc'ed, caller frees. Errors: SH_ERR_INVALID, SH_ERR_NO_PLUGIN,
 * SH_ERR_DECODE (pipeline failure), SH_ERR_NOMEM. */
int sh_audio_time_stretch(const float *x, size_t n, int rate, double speed, float **out,
                          size_t *out_n, sh_error *err);

#ifdef __cplusplus
}
#endif
#endif
