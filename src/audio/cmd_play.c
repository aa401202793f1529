/* shadowing play: one cue, sample-exact, looped, slowed. */
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio/cmd_common.h"
#include "core/cli.h"
#include "core/util.h"

static const char usage[] =
    "Usage: shadowing play LESSON --cue ID|N [--loops K|inf] [--gap S|xF] [--speed X]\n"
    "                      [--lead S] [--tail S] [--volume V] [AUDIO OPTIONS]\n"
    "\n"
    "Play one paragraph of a lesson: the cue's audio from begin - lead to end + tail,\n"
    "sample-exact, with 5 ms fades at its edges.\n"
    "\n"
    "  --cue ID|N       the paragraph, by id (p3) or number (3)\n"
    "  --loops K|inf    play it K times, or endlessly (default: the lesson's, else 1)\n"
    "  --gap S|xF       silence between loops: S seconds, or F times the cue's length\n"
    "                   (x1.2 leaves time to repeat); none by default: a seamless loop\n"
    "  --speed X        tempo 0.5..1.5, pitch kept (default 1)\n"
    "  --lead S         audio before the cue's begin (default: the lesson's, else 0.05)\n"
    "  --tail S         audio after the cue's end (default: the lesson's, else 0.3)\n"
    "  --volume V       gain 0..2 (default 1)\n"
    "\n"
    "%s"
    "\n"
    "Ctrl-C stops. Examples:\n"
    "  shadowing play lesson.json --cue p3 --loops 3 --gap x1.2\n"
    "  shadowing play lesson.json --cue 3 --speed 0.75 --output slow.wav\n";

static char *full_usage(void)
{
    return sh_asprintf(usage, sh_audio_options_usage);
}

bool sh_audio_parse_gap(const char *s, double *gap_s, double *factor);
bool sh_audio_parse_gap(const char *s, double *gap_s, double *factor)
{
    double v;
    if (s[0] == 'x' || s[0] == 'X') {
        if (!sh_parse_double(s + 1, &v) || v < 0 || v > 100)
            return false;
        *factor = v;
        *gap_s = 0;
        return true;
    }
    if (!sh_parse_double(s, &v) || v < 0 || v > 3600)
        return false;
    *gap_s = v;
    *factor = 0;
    return true;
}

static int run(int argc, char **argv)
{
    sh_audio_cmd_mark_start();
    static const struct option opts[] = {
        SH_CLI_HELP_OPTION,
        {"cue", required_argument, NULL, 'c'},
        {"loops", required_argument, NULL, 'l'},
        {"gap", required_argument, NULL, 'g'},
        {"speed", required_argument, NULL, 's'},
        {"lead", required_argument, NULL, 'L'},
        {"tail", required_argument, NULL, 'T'},
        {"volume", required_argument, NULL, 'v'},
        SH_AUDIO_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    sh_audio_config ac = sh_audio_config_init();
    const char *cue_spec = NULL, *loops_s = NULL, *gap_str = NULL;
    double speed = 1, lead = NAN, tail = NAN, volume = 1;
    sh_error err = {0};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': {
            char *u = full_usage();
            fputs(u ? u : usage, stdout);
            free(u);
            return SH_EXIT_OK;
        }
        case 'c': cue_spec = optarg; break;
        case 'l': loops_s = optarg; break;
        case 'g': gap_str = optarg; break;
        case 's':
            if (!sh_parse_double(optarg, &speed) || speed < 0.5 || speed > 1.5)
                return sh_cli_usage_error("play", "--speed: '%s' is not a number in 0.5..1.5", optarg);
            break;
        case 'L':
            if (!sh_parse_double(optarg, &lead) || lead < 0 || lead > 60)
                return sh_cli_usage_error("play", "--lead: '%s' is not a number of seconds in 0..60", optarg);
            break;
        case 'T':
            if (!sh_parse_double(optarg, &tail) || tail < 0 || tail > 60)
                return sh_cli_usage_error("play", "--tail: '%s' is not a number of seconds in 0..60", optarg);
            break;
        case 'v':
            if (!sh_parse_double(optarg, &volume) || volume < 0 || volume > 2)
                return sh_cli_usage_error("play", "--volume: '%s' is not a gain in 0..2", optarg);
            break;
        case ':': return sh_cli_usage_error("play", "option '%s' needs a value", argv[optind - 1]);
        case '?': return sh_cli_usage_error("play", "unknown option '%s'", argv[optind - 1]);
        default:
            if (c >= SH_AUDIO_OPT_BASE && c < SH_AUDIO_OPT_END_) {
                if (sh_audio_config_option(&ac, c, optarg, &err) != SH_OK)
                    return sh_cli_usage_error("play", "%s", err.message);
                break;
            }
            return sh_cli_usage_error("play", "unknown option");
        }
    }
    if (optind != argc - 1)
        return sh_cli_usage_error("play", optind >= argc ? "missing LESSON" : "expected one LESSON");
    if (!cue_spec)
        return sh_cli_usage_error("play", "missing --cue ID|N");
    if (ac.input_path)
        return sh_cli_usage_error("play", "--input is for 'record'");

    sh_lesson *lesson = NULL;
    const sh_cue *cue = NULL;
    int status = sh_audio_cmd_load_cue("play", argv[optind], cue_spec, &lesson, &cue);
    if (status)
        return status;
    const sh_playback_defaults *pd = sh_lesson_defaults(lesson);
    sh_play_params pp = sh_play_params_init();
    pp.loops = cue->loops > 0 ? cue->loops : pd->loops;
    pp.gap_s = pd->gap_s;
    pp.gap_factor = pd->gap_factor;
    if (loops_s) {
        long k;
        if (strcmp(loops_s, "inf") == 0 || strcmp(loops_s, "0") == 0)
            pp.loops = 0;
        else if (sh_parse_int(loops_s, 1, 1000000, &k))
            pp.loops = (int)k;
        else {
            sh_lesson_free(lesson);
            return sh_cli_usage_error("play", "--loops: '%s' is not a count or 'inf'", loops_s);
        }
    }
    if (gap_str && !sh_audio_parse_gap(gap_str, &pp.gap_s, &pp.gap_factor)) {
        sh_lesson_free(lesson);
        return sh_cli_usage_error("play", "--gap: '%s' is not seconds (1.5) or a factor (x1.2)", gap_str);
    }
    if (isnan(lead))
        lead = pd->lead_s;
    if (isnan(tail))
        tail = pd->tail_s;
    pp.speed = speed;
    pp.volume = volume;
    pp.gap_base_s = cue->end - cue->begin;
    if (pp.loops == 0 && ac.backend == SH_AUDIO_FILE && !ac.realtime) {
        sh_lesson_free(lesson);
        return sh_cli_usage_error("play", "--loops inf into a file needs --realtime (the file would grow forever)");
    }

    sh_audio *a = NULL;
    float *x = NULL;
    size_t n = 0;
    ac.deferred_start = true;
    /* ulimit -f on --output: report it, do not die of SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
    if (sh_audio_open(&ac, &a, &err) != SH_OK) {
        sh_lesson_free(lesson);
        return sh_cli_fail("%s", err.message);
    }
    status = sh_audio_cmd_decode_segment(lesson, cue, sh_audio_rate(a), lead, tail, &x, &n);
    if (status)
        goto done;
    sh_audio_cmd_catch_signals();
    if (sh_audio_play(a, x, n, &pp, &err) != SH_OK || sh_audio_start(a, &err) != SH_OK) {
        status = sh_cli_fail("%s", err.message);
        goto done;
    }
    bool timed = false;
    for (;;) {
        sh_play_status st;
        sh_audio_play_status(a, &st);
        if (!timed && st.started_at > 0 && ac.verbose) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            double ago = ((double)now.tv_sec + (double)now.tv_nsec * 1e-9 - st.started_at) * 1000;
            fprintf(stderr, "audio: first sample handed to the device %.1f ms after start\n",
                    sh_audio_cmd_elapsed_ms() - ago);
            timed = true;
        }
        if (!st.active)
            break;
        if (sh_audio_cmd_interrupted) {
            sh_audio_play_stop(a);
            break;
        }
        if (sh_audio_error(a, &err) != SH_OK)
            break;
        struct timespec ts = {0, 5000000L};
        nanosleep(&ts, NULL);
    }
    /* Let the device play out what it holds before the stream stops. */
    if (ac.backend == SH_AUDIO_PORTAUDIO && !sh_audio_cmd_interrupted) {
        sh_audio_stats s;
        sh_audio_get_stats(a, &s);
        struct timespec ts = {0, (long)(s.output_latency_s * 1e9) % 1000000000L};
        nanosleep(&ts, NULL);
    }
    if (ac.verbose)
        sh_audio_cmd_print_stats(a);
    if (sh_audio_error(a, &err) != SH_OK)
        status = sh_cli_fail("%s", err.message);
    else if (sh_audio_cmd_interrupted)
        status = sh_cli_fail("interrupted");
done:
    free(x);
    sh_audio_close(a);
    sh_lesson_free(lesson);
    return status;
}

const sh_command sh_cmd_play = {
    .name = "play",
    .summary = "play one paragraph (loops, gaps, slower or faster)",
    .usage = "Usage: shadowing play LESSON --cue ID|N [--loops K|inf] [--gap S|xF] [--speed X]\n"
             "                      [--lead S] [--tail S] [--volume V] [AUDIO OPTIONS]\n"
             "Run 'shadowing play --help' for the options.\n",
    .run = run,
};
