/* Internal to src/dsp: the pieces of sh_features_compute shared between
 * features.c (decimation, bands) and pitch.c (YIN). Not installed. */
#ifndef SHADOWING_DSP_FEATURES_INT_H
#define SHADOWING_DSP_FEATURES_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "shadowing/features.h"

/* Four floats in one SIMD register (SSE on x86-64, NEON on arm64; plain
 * code elsewhere). Every lane is its own IEEE sum in a fixed order, so the
 * results do not depend on the instruction set: no reassociation. */
typedef float sh_v4sf __attribute__((vector_size(16)));
typedef int32_t sh_v4si __attribute__((vector_size(16)));

static inline sh_v4sf sh_v4_load(const float *p)
{
    sh_v4sf v;
    memcpy(&v, p, sizeof v); /* an unaligned load */
    return v;
}

static inline void sh_v4_store(float *p, sh_v4sf v)
{
    memcpy(p, &v, sizeof v);
}

static inline sh_v4sf sh_v4_set1(float a)
{
    sh_v4sf v = {a, a, a, a};
    return v;
}

/* Pitch of every frame. s4[0..n4) is the high-passed signal at 4 kHz and
 * s8[0..n8) at 8 kHz, sample j of each at input time j*rate/4000 (resp.
 * 8000) samples. Frame i is centred at input sample i*hop + window/2.
 * Writes f0[0..nf) and per[0..nf). Returns SH_OK or SH_ERR_NOMEM. */
int sh__pitch_track(const sh_features_params *p, size_t rate, size_t hop, size_t window,
                    const float *s8, size_t n8, const float *s4, size_t n4, size_t nf, float *f0,
                    float *per);

#endif
