#include "audio/cmd_common.h"

#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cli.h"
#include "core/util.h"

volatile sig_atomic_t sh_audio_cmd_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    sh_audio_cmd_interrupted = 1;
}

void sh_audio_cmd_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int sh_audio_cmd_load_cue(const char *cmd, const char *lesson_path, const char *cue_spec, sh_lesson **lesson,
                          const sh_cue **cue)
{
    (void)cmd;
    sh_diag *d = sh_diag_new();
    int rc = sh_lesson_load(lesson_path, 0, lesson, d);
    if (rc != SH_OK) {
        if (d)
            sh_diag_print(d, stderr, SH_DIAG_ERROR);
        sh_diag_free(d);
        return SH_EXIT_BAD_INPUT;
    }
    sh_diag_free(d);
    *cue = sh_lesson_find_cue(*lesson, cue_spec);
    if (!*cue) {
        size_t nc = sh_lesson_cue_count(*lesson);
        sh_cli_fail("%s: no cue '%s' (use an id such as '%s' or a number 1..%zu)", lesson_path, cue_spec,
                    nc ? sh_lesson_cue(*lesson, 0)->id : "p1", nc);
        sh_lesson_free(*lesson);
        *lesson = NULL;
        return SH_EXIT_BAD_INPUT;
    }
    if (isnan((*cue)->begin) || isnan((*cue)->end)) {
        sh_cli_fail("%s: cue '%s' has no begin/end times yet", lesson_path, (*cue)->id);
        sh_lesson_free(*lesson);
        *lesson = NULL;
        return SH_EXIT_BAD_INPUT;
    }
    return SH_EXIT_OK;
}

int sh_audio_cmd_decode_segment(const sh_lesson *l, const sh_cue *q, int rate, double lead, double tail, float **x,
                                size_t *n)
{
    sh_error err = {0};
    sh_decoder *dec = NULL;
    sh_decoder_config dc = sh_decoder_config_init(rate);
    int rc = sh_decoder_open(sh_lesson_audio_path(l), &dc, &dec, &err);
    if (rc == SH_OK)
        rc = sh_decoder_read_segment(dec, q->begin - lead, q->end + tail, x, n, &err);
    sh_decoder_close(dec);
    if (rc != SH_OK)
        return sh_cli_fail("%s", err.message);
    if (*n == 0) {
        free(*x);
        *x = NULL;
        return sh_cli_fail("%s: cue '%s' holds no audio", sh_lesson_audio_path(l), q->id);
    }
    return SH_EXIT_OK;
}

void sh_audio_cmd_print_stats(const sh_audio *a)
{
    sh_audio_stats st;
    sh_audio_get_stats(a, &st);
    fprintf(stderr,
            "audio: %s, %d Hz; %" PRIu64 " callbacks, %" PRIu64 " frames; underruns %" PRIu64 ", overruns %" PRIu64
            " (%" PRIu64 " samples dropped); latency out %.1f ms, in %.1f ms\n",
            sh_audio_description(a), sh_audio_rate(a), st.callbacks, st.frames, st.underruns, st.overruns,
            st.dropped, st.output_latency_s * 1000, st.input_latency_s * 1000);
}

static double t0;

void sh_audio_cmd_mark_start(void)
{
    t0 = sh_clock_now();
}

double sh_audio_cmd_elapsed_ms(void)
{
    return (sh_clock_now() - t0) * 1000.0;
}

int sh_audio_cmd_option(const char *cmd, sh_audio_config *ac, int c, int argc, char **argv)
{
    if (c < SH_AUDIO_OPT_BASE || c >= SH_AUDIO_OPT_END_)
        return sh_cli_getopt_error(cmd, c, argc, argv);
    sh_error err = {0};
    if (sh_audio_config_option(ac, c, optarg, &err) != SH_OK)
        return sh_cli_usage_error(cmd, "%s", err.message);
    return -1;
}
