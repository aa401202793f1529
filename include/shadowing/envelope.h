/* shadowing - energy envelope: RMS level in dBFS over short windows.
 *
 * Pure computation: no I/O, no global state. Streaming in sox's `flow`
 * style, so one piece of code serves a recording in progress, a decoded
 * segment and a whole hour-long file in bounded memory.
 *
 * Frame k is the RMS of the `window` samples starting at sample k*hop
 * (zero-padded past the end of the stream), in dBFS: 10*log10(mean square),
 * so a full-scale square wave is 0 dB and a full-scale sine -3 dB. Digital
 * silence is clamped to `floor_db`. A stream of N > 0 samples gives
 * ceil(N / hop) frames; frame k's centre is at (k*hop + window/2) / rate s.
 */
#ifndef SHADOWING_ENVELOPE_H
#define SHADOWING_ENVELOPE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sh_envelope_config {
    int rate;          /* input sample rate in Hz (required, > 0) */
    double window_s;   /* window length, default 0.025 s */
    double hop_s;      /* hop between frames, default 0.010 s */
    float floor_db;    /* value for silence, default -100 dBFS */
} sh_envelope_config;

/* Defaults for `rate`: 25 ms windows every 10 ms, floor -100 dB. */
sh_envelope_config sh_envelope_config_init(int rate);

/* Streaming state. Caller-owned (stack or heap); the fields are private. */
typedef struct sh_envelope {
    float *ring;        /* last `window` samples */
    size_t window, hop; /* in samples */
    size_t filled;      /* samples in ring (<= window) */
    size_t pos;         /* write position in ring */
    size_t since_frame; /* samples since the last frame start */
    size_t total;       /* samples consumed */
    size_t frames;      /* frames emitted */
    float floor_db;
    int rate;
} sh_envelope;

/* Prepare `env` for a new stream. Allocates the window buffer: release it
 * with sh_envelope_uninit. Returns SH_OK, SH_ERR_INVALID for a bad config,
 * SH_ERR_NOMEM. */
int sh_envelope_init(sh_envelope *env, const sh_envelope_config *cfg);
/* Free the window buffer; `env` may be zeroed or already uninitialised. */
void sh_envelope_uninit(sh_envelope *env);

/* Consume up to *n_in samples of `in` and write up to *n_out frames to `out`.
 * On return *n_in holds the samples consumed and *n_out the frames written
 * (sox flow contract: call again with the rest when out was full). */
void sh_envelope_flow(sh_envelope *env, const float *in, size_t *n_in, float *out, size_t *n_out);
/* End of stream: write the remaining zero-padded frames (at most
 * ceil(window/hop) of them). Returns how many were written into out
 * (n_out capacity); call again if it filled `out`. */
size_t sh_envelope_drain(sh_envelope *env, float *out, size_t n_out);

/* Number of frames a stream of n samples produces: ceil(n / hop). */
size_t sh_envelope_frame_count(const sh_envelope_config *cfg, size_t n);
/* Hop and window in samples for a config (rounded to the nearest sample). */
size_t sh_envelope_hop_samples(const sh_envelope_config *cfg);
size_t sh_envelope_window_samples(const sh_envelope_config *cfg);

/* Whole-array convenience: envelope of x[0..n) into out (capacity cap,
 * sh_envelope_frame_count(cfg, n) needed). Returns the frames written, or a
 * negative SH_ERR_* code. */
long sh_envelope_compute(const sh_envelope_config *cfg, const float *x, size_t n, float *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
