#include "shadowing/envelope.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/error.h"

sh_envelope_config sh_envelope_config_init(int rate)
{
    sh_envelope_config c = {
        .rate = rate,
        .window_s = 0.025,
        .hop_s = 0.010,
        .floor_db = -100.0f,
    };
    return c;
}

size_t sh_envelope_hop_samples(const sh_envelope_config *cfg)
{
    return (size_t)lround(cfg->hop_s * cfg->rate);
}

size_t sh_envelope_window_samples(const sh_envelope_config *cfg)
{
    return (size_t)lround(cfg->window_s * cfg->rate);
}

size_t sh_envelope_frame_count(const sh_envelope_config *cfg, size_t n)
{
    size_t hop = sh_envelope_hop_samples(cfg);
    return hop ? (n + hop - 1) / hop : 0;
}

int sh_envelope_init(sh_envelope *env, const sh_envelope_config *cfg)
{
    memset(env, 0, sizeof *env);
    if (!cfg || cfg->rate <= 0 || !(cfg->window_s > 0) || !(cfg->hop_s > 0))
        return SH_ERR_INVALID;
    env->window = sh_envelope_window_samples(cfg);
    env->hop = sh_envelope_hop_samples(cfg);
    if (env->window == 0 || env->hop == 0 || env->window > (size_t)cfg->rate * 10)
        return SH_ERR_INVALID;
    env->ring = calloc(env->window, sizeof(float));
    if (!env->ring)
        return SH_ERR_NOMEM;
    env->floor_db = cfg->floor_db;
    env->rate = cfg->rate;
    /* The first frame starts at sample 0. */
    env->since_frame = 0;
    return SH_OK;
}

void sh_envelope_uninit(sh_envelope *env)
{
    free(env->ring);
    env->ring = NULL;
}

/* RMS in dB of the frame whose `have` newest samples are in the ring,
 * zero-padded to the window. Summed in double: the result must not depend
 * on how the stream was cut into blocks. */
static float frame_db(const sh_envelope *env, size_t start_back, size_t have)
{
    /* The frame's samples are the `have` samples starting start_back samples
     * before the write position. */
    double sum = 0.0;
    size_t idx = (env->pos + env->window - start_back) % env->window;
    /* The same sum in the same order, as two contiguous runs of the ring
     * (no wrap test per sample). */
    size_t first = env->window - idx < have ? env->window - idx : have;
    for (size_t i = 0; i < first; i++) {
        double v = env->ring[idx + i];
        sum += v * v;
    }
    for (size_t i = 0; i < have - first; i++) {
        double v = env->ring[i];
        sum += v * v;
    }
    double ms = sum / (double)env->window;
    double floor_ms = pow(10.0, env->floor_db / 10.0);
    if (ms <= floor_ms)
        return env->floor_db;
    return (float)(10.0 * log10(ms));
}

void sh_envelope_flow(sh_envelope *env, const float *in, size_t *n_in, float *out, size_t *n_out)
{
    size_t in_cap = *n_in, out_cap = *n_out, used = 0, made = 0;
    while (used < in_cap) {
        /* Frame `frames` starts at frames*hop and is complete once
         * `window` samples from there have arrived. */
        size_t start = env->frames * env->hop;
        if (env->total >= start + env->window) {
            if (made == out_cap)
                break;
            out[made++] = frame_db(env, env->total - start, env->window);
            env->frames++;
            continue;
        }
        /* Copy, in at most two contiguous runs of the ring, the samples
         * up to the next frame's completion (or the end of the input). */
        size_t take = start + env->window - env->total;
        if (take > in_cap - used)
            take = in_cap - used;
        while (take > 0) {
            size_t run = env->window - env->pos < take ? env->window - env->pos : take;
            memcpy(env->ring + env->pos, in + used, run * sizeof *in);
            used += run;
            take -= run;
            env->total += run;
            env->pos += run;
            if (env->pos == env->window)
                env->pos = 0;
            env->filled = env->filled + run < env->window ? env->filled + run : env->window;
        }
    }
    /* Emit a frame completed by the very last sample consumed. */
    while (made < out_cap && env->total >= env->frames * env->hop + env->window) {
        out[made++] = frame_db(env, env->total - env->frames * env->hop, env->window);
        env->frames++;
    }
    *n_in = used;
    *n_out = made;
}

size_t sh_envelope_drain(sh_envelope *env, float *out, size_t n_out)
{
    size_t made = 0;
    /* Complete frames first (if flow's output was full), then the
     * zero-padded tail frames that start before the end of the stream. */
    while (made < n_out && env->frames * env->hop < env->total) {
        size_t start = env->frames * env->hop;
        size_t have = env->total - start;
        if (have > env->window)
            have = env->window;
        out[made++] = frame_db(env, env->total - start, have);
        env->frames++;
    }
    return made;
}

long sh_envelope_compute(const sh_envelope_config *cfg, const float *x, size_t n, float *out, size_t cap)
{
    sh_envelope env;
    int rc = sh_envelope_init(&env, cfg);
    if (rc != SH_OK)
        return rc;
    if (cap < sh_envelope_frame_count(cfg, n)) {
        sh_envelope_uninit(&env);
        return SH_ERR_INVALID;
    }
    size_t n_in = n, n_out = cap;
    sh_envelope_flow(&env, x, &n_in, out, &n_out);
    size_t total = n_out;
    total += sh_envelope_drain(&env, out + total, cap - total);
    sh_envelope_uninit(&env);
    return (long)total;
}
