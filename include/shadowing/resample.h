/* shadowing - sample-rate conversion for analysis (pure, no I/O).
 *
 * A windowed-sinc (Blackman, 8 zero crossings on each side) band-limited
 * interpolator: aliasing about 60 dB down, linear phase, more than
 * enough to bring a 44.1 or 48 kHz take to the 16 kHz analysis rate of the
 * scorer. Not meant for playback (GStreamer's resampler does that).
 * Deterministic bit for bit. */
#ifndef SHADOWING_RESAMPLE_H
#define SHADOWING_RESAMPLE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* x[0..n) at `from` Hz into a new array at `to` Hz (*out, malloc'ed, *nout
 * samples = round(n * to / from)); the caller frees it. The cut-off is 0.45
 * of the lower rate. n == 0 gives *out NULL and *nout 0. Returns SH_OK,
 * SH_ERR_INVALID (NULL pointers, rates outside 1000..1000000 Hz) or
 * SH_ERR_NOMEM. */
int sh_resample(const float *x, size_t n, double from, double to, float **out, size_t *nout);

#ifdef __cplusplus
}
#endif
#endif
