/* shadowing calibrate: measure the round trip speaker -> microphone with a
 * click train, by cross-correlation, and store what the device does not
 * report as latency_ms in the config. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio/cmd_common.h"
#include "core/cli.h"
#include "core/config.h"
#include "core/util.h"

#define CLICKS 3
#define CLICK_S 0.010
#define FIRST_S 0.1
#define SPACING_S 0.6
#define MAX_LAG_S 0.5

extern const sh_command sh_cmd_calibrate;

static const char usage[] =
    "Usage: shadowing calibrate [--no-save] [AUDIO OPTIONS]\n"
    "\n"
    "Measure the delay from the speaker to the microphone: three short clicks are\n"
    "played and recorded, and cross-correlation finds each one in the recording.\n"
    "The part of the round trip that the device does not report is stored as\n"
    "latency_ms in the config file, where shadow mode (record --shadow, practice)\n"
    "finds it. Use speakers, not headphones, in a quiet room, volume up.\n"
    "\n"
    "  --no-save      only print the result\n"
    "\n"
    SH_AUDIO_OPTIONS_USAGE;

/* A 10 ms Hann-windowed chirp 1->5 kHz: sharp autocorrelation peak. */
static float *make_click(int rate, size_t *n)
{
    *n = (size_t)lround(CLICK_S * rate);
    float *c = malloc(*n * sizeof(float));
    if (!c)
        return NULL;
    double T = (double)*n / rate;
    for (size_t i = 0; i < *n; i++) {
        double t = (double)i / rate;
        double w = 0.5 - 0.5 * cos(2 * M_PI * (double)i / (double)(*n - 1));
        double ph = 2 * M_PI * (1000.0 * t + 0.5 * (4000.0 / T) * t * t);
        c[i] = (float)(0.8 * w * sin(ph));
    }
    return c;
}

/* Best lag of `click` in x[from .. from + max_lag + cn), normalized. */
static long find_click(const float *x, size_t xn, size_t from, const float *click, size_t cn, size_t max_lag,
                       double *score)
{
    double ce = 0;
    for (size_t i = 0; i < cn; i++)
        ce += (double)click[i] * click[i];
    long best = -1;
    double best_v = 0;
    *score = 0;
    for (size_t lag = 0; lag <= max_lag && from + lag + cn <= xn; lag++) {
        const float *s = x + from + lag;
        double dot = 0, se = 0;
        for (size_t i = 0; i < cn; i++) {
            dot += (double)s[i] * click[i];
            se += (double)s[i] * s[i];
        }
        if (se <= 1e-12)
            continue;
        double v = dot / sqrt(ce * se);
        if (v > best_v) {
            best_v = v;
            best = (long)lag;
        }
    }
    *score = best_v;
    return best;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        SH_CLI_HELP_OPTION,
        {"no-save", no_argument, NULL, 'n'},
        SH_AUDIO_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    sh_audio_config ac = sh_audio_config_init();
    ac.capture = true;
    bool save = true;
    sh_error err = {0};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': sh_cli_print_usage(&sh_cmd_calibrate, stdout); return SH_EXIT_OK;
        case 'n': save = false; break;
        default: {
            int st = sh_audio_cmd_option("calibrate", &ac, c, argc, argv);
            if (st >= 0)
                return st;
            break;
        }
        }
    }
    if (optind != argc)
        return sh_cli_usage_error("calibrate", "unexpected argument '%s'", argv[optind]);
    /* Measure against what the device reports alone. */
    ac.latency_ms = 0;
    ac.latency_set = true;
    ac.deferred_start = true;

    int status = SH_EXIT_OK;
    sh_audio *a = NULL;
    float *click = NULL, *train = NULL;
    sh_recording rec = {0};
    if (sh_audio_open(&ac, &a, &err) != SH_OK)
        return sh_cli_fail("%s", err.message);
    int rate = sh_audio_rate(a);
    size_t cn = 0;
    click = make_click(rate, &cn);
    size_t tn = (size_t)lround((FIRST_S + SPACING_S * CLICKS) * rate);
    train = calloc(tn, sizeof(float));
    if (!click || !train) {
        status = sh_cli_fail("out of memory");
        goto done;
    }
    for (int k = 0; k < CLICKS; k++)
        memcpy(train + (size_t)lround((FIRST_S + SPACING_S * k) * rate), click, cn * sizeof(float));
    sh_play_params pp = sh_play_params_init();
    pp.fade_s = 0;
    sh_record_params rp = sh_record_params_init();
    rp.silence_s = 0;
    rp.max_s = (double)tn / rate + MAX_LAG_S;
    sh_audio_cmd_catch_signals();
    if (sh_audio_shadow_start(a, train, tn, &pp, &rp, &err) != SH_OK || sh_audio_start(a, &err) != SH_OK) {
        status = sh_cli_fail("%s", err.message);
        goto done;
    }
    for (;;) {
        sh_record_status st;
        sh_audio_record_status(a, &st);
        if (!st.active || sh_audio_cmd_interrupted)
            break;
        if (sh_audio_error(a, &err) != SH_OK) {
            status = sh_cli_fail("%s", err.message);
            goto done;
        }
        struct timespec ts = {0, 10000000L};
        nanosleep(&ts, NULL);
    }
    if (sh_audio_record_stop(a, &rec, &err) != SH_OK) {
        status = sh_cli_fail("%s", err.message);
        goto done;
    }
    if (sh_audio_cmd_interrupted) {
        status = sh_cli_fail("interrupted");
        goto done;
    }
    long lags[CLICKS];
    int found = 0;
    double worst = 1;
    for (int k = 0; k < CLICKS; k++) {
        double score;
        size_t from = (size_t)lround((FIRST_S + SPACING_S * k) * rate);
        long lag = find_click(rec.samples, rec.n, from, click, cn, (size_t)lround(MAX_LAG_S * rate), &score);
        if (ac.verbose)
            fprintf(stderr, "calibrate: click %d: lag %ld frames, correlation %.2f\n", k + 1, lag, score);
        if (lag >= 0 && score >= 0.5) {
            lags[found++] = lag;
            if (score < worst)
                worst = score;
        }
    }
    if (found < 2) {
        status = sh_cli_fail("no click heard in the recording: turn the speakers up, unmute the microphone "
                             "(or use --input with a recording of the clicks)");
        goto done;
    }
    qsort(lags, (size_t)found, sizeof lags[0], cmp_long);
    if (lags[found - 1] - lags[0] > rate / 500) {
        status = sh_cli_fail("the clicks came back with different delays (%.1f..%.1f ms): too much echo or "
                             "noise; try again in a quieter room",
                             lags[0] * 1000.0 / rate, lags[found - 1] * 1000.0 / rate);
        goto done;
    }
    double ms = (double)lags[found / 2] * 1000.0 / rate;
    sh_audio_stats s;
    sh_audio_get_stats(a, &s);
    printf("round trip beyond what the device reports: %.1f ms (device reports %.1f ms out + %.1f ms in; "
           "%d of %d clicks, correlation >= %.2f)\n",
           ms, s.output_latency_s * 1000, s.input_latency_s * 1000, found, CLICKS, worst);
    if (save) {
        char val[32];
        snprintf(val, sizeof val, "%.1f", ms);
        char *path = sh_config_path();
        if (sh_config_set("latency_ms", val, &err) != SH_OK) {
            status = sh_cli_fail("%s", err.message);
        } else {
            printf("saved latency_ms=%s in %s\n", val, path ? path : "the config");
        }
        free(path);
    }
done:
    sh_recording_free(&rec);
    free(click);
    free(train);
    sh_audio_close(a);
    return status;
}

extern const sh_command sh_cmd_calibrate;
const sh_command sh_cmd_calibrate = {
    .name = "calibrate",
    .summary = "measure the speaker-to-microphone delay for shadow mode",
    .usage = usage,
    .run = run,
};
