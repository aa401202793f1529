/* shadowing - voice- and microphone-independent speech features: speech-band
 * energies and pitch (YIN), frame-synchronous with sh_envelope.
 *
 * Pure computation: no I/O, no global state, deterministic bit for bit (the
 * same input gives the same output on every run; float vector code keeps a
 * fixed order of additions, no -ffast-math).
 *
 * Frames: frame k describes the `window` input samples starting at sample
 * k*hop, exactly as sh_envelope (include/shadowing/envelope.h): n > 0
 * samples give ceil(n / hop) frames and frame k's centre is at
 * (k*hop + window/2) / rate s, so the arrays line up with an envelope made
 * with the same window and hop.
 *
 * Method (see doc/scoring.md):
 *  - the input is decimated by half-band FIRs (linear phase, delay
 *    compensated) to 8 kHz (31 taps, flat to 3.4 kHz, -39 dB above 4.6 kHz)
 *    and 4 kHz (19 taps, flat to 1.5 kHz);
 *  - a 4th-order Butterworth high-pass at 300 Hz removes DC, mains hum (50 Hz
 *    -62 dB, 150 Hz -24 dB) and rumble (fans, traffic); a power-complementary
 *    2nd-order Butterworth pair splits the rest at 1000 Hz (low at 4 kHz,
 *    high at 8 kHz), so band = low + high (energies) covers 300 Hz to the
 *    8 kHz band edge: a telephone recording (300-3400 Hz) and a full-band
 *    one of the same speech give nearly the same band_db contour;
 *  - pitch: YIN (de Cheveigne & Kawahara 2002) on the high-passed 4 kHz
 *    signal with a 20 ms integration window centred on the frame centre,
 *    first dip of the cumulative mean normalised difference below
 *    yin_threshold (then its local minimum), refined on the 8 kHz signal
 *    over +-3 lags with parabolic interpolation. Pitch runs that hold a
 *    constant f0 (within drone_tolerance) for drone_s or longer are mains
 *    hum, a whistle or a machine, not a voice: they are marked unvoiced
 *    (f0 = 0 and periodicity = 0). */
#ifndef SHADOWING_FEATURES_H
#define SHADOWING_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sh_features_params {
    double window_s;        /* frame window, default 0.025 s (as sh_envelope) */
    double hop_s;           /* frame hop, default 0.010 s (as sh_envelope) */
    double f0_min_hz;       /* lowest pitch searched, default 60 (>= 40) */
    double f0_max_hz;       /* highest pitch searched, default 500 (<= 1000) */
    double yin_threshold;   /* voiced when the CMND dip is below, default 0.15 */
    double pitch_window_s;  /* YIN integration window, default 0.020 s */
    double drone_s;         /* a constant pitch this long is not a voice, default 1.0 s */
    double drone_tolerance; /* "constant": max/min f0 within 1 + this, default 0.02 */
    float floor_db;         /* value for silence, default -100 dBFS (as sh_envelope) */
} sh_features_params;

/* The defaults above. */
sh_features_params sh_features_params_init(void);

typedef struct sh_features {
    size_t n;           /* frames */
    double hop_s;       /* seconds per frame (the hop used) */
    float *band_db;     /* speech-band (300 Hz - 3.4/4 kHz) energy, dBFS: 10*log10(mean
                           square) over the frame window, so a 1 kHz sine of amplitude 1
                           is -3 dBFS as in sh_envelope; floor_db for silence */
    float *low_db;      /* 300-1000 Hz, dBFS */
    float *high_db;     /* 1000 Hz - 3.4/4 kHz, dBFS */
    float *f0_hz;       /* pitch, Hz; 0 when unvoiced */
    float *periodicity; /* 0..1: 1 - the YIN CMND at the chosen lag (the first dip below
                           the threshold, else the deepest); 0 for silence and drones */
} sh_features;

/* Features of x[0..n) sampled at `rate` Hz, which must be 8000 * 2^k
 * (8000, 16000, 32000 or 64000). p may be NULL for the defaults.
 * Allocates the five arrays of out->n frames (n = ceil(n / hop), 0 for an
 * empty input, when the arrays are NULL): release them with
 * sh_features_free. NaN samples count as 0, infinities and magnitudes
 * above 1e4 (80 dB over full scale) are clamped to +-1e4: no input makes
 * NaN.
 * Returns SH_OK, SH_ERR_INVALID (NULL out, NULL x with n > 0, bad rate or
 * params) or SH_ERR_NOMEM; on error *out is zeroed (nothing to free). */
int sh_features_compute(const sh_features_params *p, const float *x, size_t n, double rate,
                        sh_features *out);

/* Free the arrays and zero *f; f may be NULL, zeroed or already freed. */
void sh_features_free(sh_features *f);

#ifdef __cplusplus
}
#endif
#endif
