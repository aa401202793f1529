/* Audio module internals: the backend interface (as mpv's audio/out) and
 * the engine state shared by the real-time callback and the control thread.
 *
 * Ownership of the fields below is by thread:
 *   [cb]   touched only by the callback (or the file backend's thread)
 *   [ctl]  touched only by the control thread
 *   [at]   atomics read/written across threads
 */
#ifndef SH_AUDIO_INTERNAL_H
#define SH_AUDIO_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "audio/ringbuf.h"
#include "shadowing/audio.h"

/* What a backend tells the engine about one period. */
typedef struct sh_ao_time {
    double dac_time;            /* when out[0] will be heard (device clock, s) */
    double adc_time;            /* when in[0] was captured (same clock) */
    unsigned long input_frames; /* valid frames in `in` (file backend at EOF) */
    bool input_ended;           /* no more input will come */
    unsigned long take;         /* file backend: the recording (rec.takes) the
                                   input was read for; 0 = not tracked */
} sh_ao_time;

typedef struct sh_ao_driver {
    const char *name;
    /* Open the device(s); set a->rate, a->desc, latencies. Do not start. */
    int (*open)(sh_audio *a, const sh_audio_config *cfg, sh_error *err);
    int (*start)(sh_audio *a, sh_error *err);
    void (*stop)(sh_audio *a);
    void (*close)(sh_audio *a);
    /* The file backend's sh_audio_set_input; NULL for the others. */
    int (*set_input)(sh_audio *a, const float *x, size_t n, sh_error *err);
} sh_ao_driver;

extern const sh_ao_driver sh_ao_portaudio;
extern const sh_ao_driver sh_ao_file;
extern const sh_ao_driver sh_ao_null;

/* A rendered segment, immutable once posted to the callback. */
typedef struct sh_render {
    float *buf;
    size_t n;          /* frames at this speed (capacity while loading) */
    /* Progressive loading (sh_audio_play_begin): the callback plays only
     * buf[0..avail); the segment ends at avail once `complete`. A render
     * made in one go is complete with avail == n from the start. */
    _Atomic size_t avail;
    _Atomic bool complete;
    size_t seg_n;      /* frames at speed 1 */
    double speed;
    double gap_base_n; /* frames that gap_factor multiplies (at speed 1) */
    uint64_t gen;
    bool reset;        /* start from the beginning (a new play) */
    bool stop;         /* stop playing */
    bool start_record; /* shadow mode: start capturing in the same period */
    struct sh_render *next; /* [ctl] list of renders not yet freed */
} sh_render;

typedef struct sh_player {
    /* [cb] */
    sh_render *cur;
    size_t pos, gap_left;
    int loop;
    bool active;
    uint64_t frames_out;
    /* [at] control -> callback */
    _Atomic(sh_render *) pending;
    _Atomic int loops;
    _Atomic double gap_s, gap_factor, volume;
    _Atomic bool paused;
    /* [at] callback -> control */
    _Atomic uint64_t acked_gen;
    _Atomic bool st_active, st_in_gap;
    _Atomic int st_loop;
    _Atomic double st_pos_s, st_len_s, st_speed;
    _Atomic uint64_t st_frames_out;
    _Atomic uint64_t starved; /* periods the callback caught up with loading */
    _Atomic double st_started_at;
    /* Shadow mode (shadow.c): set by the control thread when it posts the
     * render that starts a take, cleared by the callback once the take has
     * begun; the file backend reads it (sh_audio_capture_wanted). */
    _Atomic bool shadow_posted;
    bool shadow_begins; /* [cb] this period starts the take: sh_audio_process tells the recorder */
    /* [ctl] */
    sh_render *renders; /* every render allocated and not yet freed */
    uint64_t next_gen;
    float *orig;        /* unfaded segment at speed 1, for speed changes */
    size_t orig_n;
    sh_render *loading; /* the render sh_audio_play_append fills, or NULL */
    size_t received;    /* samples given so far while loading */
    size_t fade_n;      /* fade length of the loading render */
    sh_play_params params;
} sh_player;

enum { REC_IDLE = 0, REC_ARMED, REC_CAPTURING, REC_STOPPING, REC_STOPPED };

typedef struct sh_recorder {
    _Atomic int state;        /* REC_* */
    sh_ringbuf rb;            /* callback -> writer */
    _Atomic uint64_t dropped; /* samples that did not fit in the ring */
    _Atomic bool input_ended;
    _Atomic unsigned long takes; /* recordings prepared so far: the file
                                    backend starts its input over at each */
    long skip;                /* [cb] input frames still to discard (shadow alignment) */
    /* writer thread and its results */
    pthread_t thread;
    bool thread_running;      /* [ctl] */
    struct sh_rec_writer *w;  /* [ctl] owned; used by the writer thread */
    /* [at] live status */
    _Atomic int reason, error;
    _Atomic float level_db, peak_db, floor_db;
    _Atomic uint64_t clips, frames;
    _Atomic bool speech;
} sh_recorder;

struct sh_audio {
    const sh_ao_driver *drv;
    void *priv;               /* the backend's state */
    sh_audio_config cfg;
    int rate;
    bool playback, capture;
    char desc[256];
    double out_latency_s, in_latency_s;
    long latency_frames;      /* cfg.latency_ms in frames */
    bool started;
    /* [at] counters */
    _Atomic uint64_t callbacks, frames, underruns, overruns;
    _Atomic int io_error;     /* backend failure seen by its thread */
    char io_error_msg[512];   /* written once before io_error is set */
    sh_player player;
    sh_recorder rec;
    /* [ctl] stall watchdog (sh_audio_error) */
    uint64_t watch_callbacks;
    double watch_since;
};

/* The engine: called by a backend once per period from its real-time
 * thread. Fills out[0..frames) (silence when idle) and consumes in (may be
 * NULL). Returns the number of leading frames of `out` that carry playback
 * (the file backend writes only those, so its WAV holds exactly what was
 * played). Real-time safe. */
unsigned long sh_audio_process(sh_audio *a, float *out, const float *in, unsigned long frames,
                               const sh_ao_time *t);
/* For non-real-time backends: true when the recorder wants input now. */
bool sh_audio_capture_wanted(sh_audio *a);
/* For non-real-time backends: true when the recorder's ring cannot take a
 * period now (the unpaced file backend waits instead of dropping). */
bool sh_audio_capture_full(sh_audio *a, unsigned long frames);
/* Record a backend failure (first one wins); called from the backend's thread. */
void sh_audio_set_io_error(sh_audio *a, int code, const char *msg);

/* Recorder and player internals (recorder.c, player.c). Neither file calls
 * the other: device.c (the callback) and shadow.c (shadow mode) use both. */
int sh_recorder_prepare(sh_audio *a, const sh_record_params *p, sh_error *err);
void sh_recorder_process(sh_audio *a, const float *in, unsigned long frames, const sh_ao_time *t);
void sh_recorder_begin_shadow(sh_audio *a, const sh_ao_time *t);
void sh_recorder_cleanup(sh_audio *a);
unsigned long sh_player_process(sh_audio *a, float *out, unsigned long frames);
void sh_player_cleanup(sh_audio *a);
int sh_player_start(sh_audio *a, const float *samples, size_t n, const sh_play_params *p,
                    bool start_record, sh_error *err);

/* Temporarily send fd 2 to /dev/null (unless verbose): returns a saved fd
 * to hand to sh_quiet_end, or -1. Used around PortAudio calls that let
 * ALSA/JACK print dozens of lines. */
int sh_quiet_begin(bool verbose);
void sh_quiet_end(int saved);

#endif
