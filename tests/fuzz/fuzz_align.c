/* libFuzzer harness for the envelope aligner: the input is read as a unit
 * count, unit weights and an envelope (one byte per 10 ms frame, 0..255 ->
 * -100..+2 dB), plus a range and the pinned flag, so every path (pauses at
 * the edges, no pauses, more units than pauses, ties) is reachable. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "shadowing/align.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    size_t units = (size_t)(data[0] % 24) + 1;
    bool pinned = data[1] & 1;
    uint8_t from_b = data[2], to_b = data[3];
    data += 4;
    size -= 4;
    if (size < units + 1)
        return 0;
    double w[24];
    for (size_t i = 0; i < units; i++)
        w[i] = 1.0 + data[i];
    data += units;
    size -= units;
    float *env = malloc(size * sizeof *env);
    if (!env)
        return 0;
    for (size_t i = 0; i < size; i++)
        env[i] = -100.0f + (float)data[i] * 0.4f;
    size_t from = size ? from_b % size : 0, to = size ? size - to_b % size : 0;
    sh_align_config cfg = sh_align_config_init(NULL);
    sh_align_cue out[24];
    sh_align_stats st;
    int rc = sh_align_envelope(&cfg, env, size, from < to ? from : 0, from < to ? to : 0, pinned, NULL, w,
                               units, out, &st);
    if (rc == 0) {
        for (size_t i = 0; i < units; i++) {
            if (!(out[i].begin <= out[i].end) || !(out[i].begin_confidence >= 0) ||
                !(out[i].end_confidence <= 1.0) || (i && out[i].begin < out[i - 1].end))
                abort(); /* cues must be ordered, non-overlapping, confidences in [0, 1] */
        }
    }
    sh_align_levels lv;
    sh_align_measure(env, size, 0, 0, &lv);
    (void)sh_align_trim_end(&cfg, &lv, env, size, 0.0, (double)size * 0.01);
    free(env);
    return 0;
}
