/* Helper for the decode benchmarks (built by the scripts, not by meson):
 *
 *   decode_bench native FILE        full decode at the file's own rate
 *   decode_bench scan FILE          sh_decode_scan at 16 kHz (duration + envelope)
 *   decode_bench cue FILE B E       open, then read [B, E) at 16 kHz; prints ms
 *   decode_bench linear FILE E      open, decode from the start up to E s; prints ms
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode/decoder_internal.h"
#include "shadowing/decode.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int count_only(void *user, const float *x, size_t n)
{
    (void)x;
    *(size_t *)user += n;
    return 0;
}

typedef struct upto {
    size_t n, limit;
} upto;

static int until(void *user, const float *x, size_t n)
{
    (void)x;
    upto *u = user;
    u->n += n;
    return u->n >= u->limit;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: decode_bench native|scan|cue|linear FILE [B E]\n");
        return 2;
    }
    sh_error err = {0};
    const char *mode = argv[1], *path = argv[2];
    double t0 = now_ms();
    if (strcmp(mode, "native") == 0) {
        sh_decoder *d = NULL;
        if (sh_decoder_open_native(path, &d, &err) != SH_OK)
            goto fail;
        size_t n = 0;
        uint64_t frames = 0;
        if (sh_decoder_stream(d, count_only, &n, &frames, NULL, &err) != SH_OK)
            goto fail;
        printf("frames %llu at %d Hz (%.3f s) in %.0f ms\n", (unsigned long long)frames, sh_decoder_rate(d),
               (double)frames / sh_decoder_rate(d), now_ms() - t0);
        sh_decoder_close(d);
    } else if (strcmp(mode, "scan") == 0) {
        sh_scan_result r;
        if (sh_decode_scan(path, 16000, NULL, &r, &err) != SH_OK)
            goto fail;
        printf("frames %llu at 16000 Hz (%.3f s), %zu envelope frames, in %.0f ms\n",
               (unsigned long long)r.frames, r.duration_s, r.envelope_len, now_ms() - t0);
        sh_scan_result_free(&r);
    } else if (strcmp(mode, "cue") == 0 && argc == 5) {
        sh_decoder *d = NULL;
        if (sh_gst_init(&err) != SH_OK)
            goto fail;
        double t1 = now_ms();
        if (sh_decoder_open(path, NULL, &d, &err) != SH_OK)
            goto fail;
        double t2 = now_ms();
        float *x = NULL;
        size_t n = 0;
        if (sh_decoder_read_segment(d, atof(argv[3]), atof(argv[4]), &x, &n, &err) != SH_OK)
            goto fail;
        double t3 = now_ms();
        free(x);
        size_t first_n = n;
        /* A second cue on the same decoder (the practice loop). */
        if (sh_decoder_read_segment(d, atof(argv[3]) + 120, atof(argv[4]) + 120, &x, &n, &err) != SH_OK)
            goto fail;
        double t4 = now_ms();
        free(x);
        printf("init %.1f ms, open %.1f ms, read %.1f ms (%zu samples), total %.1f ms, next cue %.1f ms\n",
               t1 - t0, t2 - t1, t3 - t2, first_n, t3 - t0, t4 - t3);
        sh_decoder_close(d);
    } else if (strcmp(mode, "linear") == 0 && argc == 4) {
        sh_decoder *d = NULL;
        if (sh_decoder_open(path, NULL, &d, &err) != SH_OK)
            goto fail;
        upto u = {0, (size_t)(atof(argv[3]) * 16000)};
        sh_decoder_stream(d, until, &u, NULL, NULL, &err);
        printf("decoded %.1f s from the start in %.1f ms\n", (double)u.n / 16000, now_ms() - t0);
        sh_decoder_close(d);
    } else {
        fprintf(stderr, "decode_bench: bad arguments\n");
        return 2;
    }
    return 0;
fail:
    fprintf(stderr, "decode_bench: %s\n", err.message);
    return 1;
}
