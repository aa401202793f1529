/* shadowing play: one cue, sample-exact, looped, slowed. */
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio/cmd_common.h"
#include "core/cli.h"
#include "core/util.h"

extern const sh_command sh_cmd_play;

static const char usage[] =
    "Usage: shadowing play LESSON --cue ID|N [--words A-B] [--loops K|inf] [--gap S|xF]\n"
    "                      [--speed X] [--lead S] [--tail S] [--volume V] [--preload]\n"
    "                      [AUDIO OPTIONS]\n"
    "\n"
    "Play one paragraph of a lesson: the cue's audio from begin - lead to end + tail,\n"
    "sample-exact, with 5 ms fades at its edges.\n"
    "\n"
    "  --cue ID|N       the paragraph, by id (p3) or number (3)\n"
    "  --words A-B      only words A to B of it (1-based; \"5\" is one word), on the\n"
    "                   word times of 'cue align --words'; lead and tail default to 0\n"
    "  --loops K|inf    play it K times, or endlessly (default: the lesson's, else 1)\n"
    "  --gap S|xF       silence between loops: S seconds, or F times the cue's length\n"
    "                   (x1.2 leaves time to repeat); none by default: a seamless loop\n"
    "  --speed X        tempo 0.5..1.5, pitch kept (default 1)\n"
    "  --lead S         audio before the cue's begin (default: the lesson's, else 0.05)\n"
    "  --tail S         audio after the cue's end (default: the lesson's, else 0.3)\n"
    "  --volume V       gain 0..2 (default 1)\n"
    "  --preload        decode the whole segment before the sound starts (by\n"
    "                   default it starts after the first 0.5 s is decoded and\n"
    "                   the rest is decoded while that plays)\n"
    "\n"
    SH_AUDIO_OPTIONS_USAGE
    "\n"
    "Ctrl-C stops. Examples:\n"
    "  shadowing play lesson.json --cue p3 --loops 3 --gap x1.2\n"
    "  shadowing play lesson.json --cue 3 --speed 0.75 --output slow.wav\n"
    "  shadowing play lesson.json --cue p3 --words 5-12 --loops 4 --gap x1\n";

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

static bool verbose_timing(const sh_audio_config *ac)
{
    return ac->verbose;
}

/* Opening the device and starting GStreamer each take tens of ms (PortAudio
 * probes every ALSA PCM): the device opens in a thread meanwhile. */
typedef struct open_job {
    sh_audio_config cfg;
    sh_audio *a;
    sh_error err;
    int rc;
    double opened_ms;
} open_job;

static void *open_thread(void *p)
{
    open_job *j = p;
    j->rc = sh_audio_open(&j->cfg, &j->a, &j->err);
    j->opened_ms = sh_audio_cmd_elapsed_ms();
    return NULL;
}

/* Size of the first piece decoded before the sound starts; the rest is
 * decoded while that piece plays. */
#define FIRST_PIECE_S 0.5

/* The audio ended at end_s, before the segment did. Playing what there is
 * is still useful (the tail may be all that is missing), so a cue that
 * itself ends later gets the warning `check` would make an error of. */
static void warn_if_cue_cut(const sh_lesson *lesson, const sh_cue *cue, double end_s)
{
    sh_diag *d = sh_diag_new();
    size_t i = (size_t)cue->index - 1;
    if (sh_lesson_check_cues_duration(lesson, i, i + 1, end_s, SH_DIAG_WARNING, d) > 0)
        sh_diag_print(d, stderr, SH_DIAG_WARNING);
    sh_diag_free(d);
}

static int start_playing(const sh_audio_config *ac, const sh_lesson *lesson, const sh_cue *cue, double lead,
                         double tail, const sh_play_params *pp, bool preload, sh_audio **out, sh_decoder **dec_out,
                         bool verbose)
{
    sh_error err = {0};
    open_job job = {.cfg = *ac};
    pthread_t th;
    bool threaded = pthread_create(&th, NULL, open_thread, &job) == 0;
    if (!threaded)
        open_thread(&job);
    /* Devices run at 48 kHz more often than not: the decoder opens and
     * decodes the head at that rate while the device opens; a wrong guess
     * costs doing it again at the device's rate. */
    int rate = ac->rate ? ac->rate : 48000;
    bool whole = fabs(pp->speed - 1.0) > 1e-9 || preload; /* a tempo change needs it all */
    sh_decoder *dec = NULL;
    float *x = NULL;
    size_t n = 0, first = 0, total = 0;
    long long b = 0, e = 0;
    int rc = SH_OK;
    bool past_end = false;
    for (int attempt = 0; attempt < 2; attempt++) {
        sh_decoder_close(dec);
        dec = NULL;
        free(x);
        x = NULL;
        sh_decoder_config dc = sh_decoder_config_init(rate);
        rc = sh_decoder_open(sh_lesson_audio_path(lesson), &dc, &dec, &err);
        if (rc == SH_OK) {
            /* Exact sample bounds; the pieces join without a gap or overlap. */
            b = llround((cue->begin - lead) * rate);
            e = llround((cue->end + tail) * rate);
            total = (size_t)(e - b);
            first = whole ? total : (size_t)lround(FIRST_PIECE_S * rate);
            if (first > total)
                first = total;
            rc = sh_decoder_read_segment(dec, (double)b / rate, (double)(b + (long long)first) / rate, &x, &n,
                                         &err);
            past_end = rc == SH_OK && n == 0;
        }
        if (attempt == 0 && threaded)
            pthread_join(th, NULL);
        if (past_end || job.rc != SH_OK || sh_audio_rate(job.a) == rate)
            break;
        rate = sh_audio_rate(job.a);
    }
    *out = job.a;
    *dec_out = dec;
    if (past_end) {
        /* Nothing to play: the cue lies past the end of the audio. */
        free(x);
        if (sh_lesson_require_cues_in_audio(lesson, (size_t)cue->index - 1, (size_t)cue->index, dec) != 0)
            return SH_EXIT_BAD_INPUT;
        return sh_cli_fail("%s: cue '%s' holds no audio", sh_lesson_audio_path(lesson), cue->id);
    }
    if (job.rc != SH_OK) {
        free(x);
        return sh_cli_fail("%s", job.err.message);
    }
    if (rc != SH_OK) {
        free(x);
        return sh_cli_fail("%s", err.message);
    }
    if (verbose)
        fprintf(stderr, "audio: device open after %.1f ms, first %s decoded after %.1f ms\n", job.opened_ms,
                whole ? "segment" : "piece", sh_audio_cmd_elapsed_ms());
    if (whole) {
        if (n < total)
            warn_if_cue_cut(lesson, cue, (double)(b + (long long)n) / rate);
        rc = sh_audio_play(job.a, x, n, pp, &err);
        if (rc == SH_OK)
            rc = sh_audio_start(job.a, &err);
        free(x);
        return rc == SH_OK ? SH_EXIT_OK : sh_cli_fail("%s", err.message);
    }
    rc = sh_audio_play_begin(job.a, total, x, n, pp, &err);
    if (rc == SH_OK)
        rc = sh_audio_start(job.a, &err);
    free(x);
    x = NULL;
    if (rc != SH_OK)
        return sh_cli_fail("%s", err.message);
    size_t got = n;
    if (n == first && got < total) {
        rc = sh_decoder_read_segment(dec, (double)(b + (long long)got) / rate, (double)e / rate, &x, &n, &err);
        if (rc == SH_OK)
            rc = sh_audio_play_append(job.a, x, n, &err);
        free(x);
        if (rc != SH_OK) {
            sh_audio_play_stop(job.a);
            return sh_cli_fail("%s", err.message);
        }
        got += n;
    }
    /* The audio ended before the segment did: play what there is. */
    if (got < total) {
        warn_if_cue_cut(lesson, cue, (double)(b + (long long)got) / rate);
        if (sh_audio_play_finish(job.a, &err) != SH_OK)
            return sh_cli_fail("%s", err.message);
    }
    if (verbose)
        fprintf(stderr, "audio: segment decoded %.1f ms after start\n", sh_audio_cmd_elapsed_ms());
    return SH_EXIT_OK;
}

/* --words A-B: a copy of the cue that spans words A..B (1-based) on the
 * lesson's word times: from the first timed word of the run to the last. */
static int word_span(const char *path, const sh_cue *cue, const char *spec, sh_cue *out)
{
    long a, b;
    const char *dash = strchr(spec, '-');
    char first[32];
    size_t fl = dash ? (size_t)(dash - spec) : strlen(spec);
    if (fl == 0 || fl >= sizeof first)
        return sh_cli_usage_error("play", "--words: '%s' is not a range of word numbers such as 5-12", spec);
    memcpy(first, spec, fl);
    first[fl] = '\0';
    if (!sh_parse_int(first, 1, 1000000, &a) || !sh_parse_int(dash ? dash + 1 : first, 1, 1000000, &b) || b < a)
        return sh_cli_usage_error("play", "--words: '%s' is not a range of word numbers such as 5-12", spec);
    if (!cue->words)
        return sh_cli_fail("%s: cue \"%s\" has no word times: run 'shadowing cue align %s --words' first", path,
                           cue->id, path);
    if ((size_t)b > cue->n_words)
        return sh_cli_fail("%s: cue \"%s\" has %zu words, not %ld: give a range within 1-%zu", path, cue->id,
                           cue->n_words, b, cue->n_words);
    double begin = NAN, end = NAN;
    for (long k = a - 1; k < b; k++) {
        const sh_cue_word *w = &cue->words[k];
        if (isnan(w->begin))
            continue;
        if (isnan(begin))
            begin = w->begin;
        end = w->end;
    }
    if (isnan(begin))
        return sh_cli_fail("%s: cue \"%s\": none of words %ld-%ld was found on the audio: choose a range with "
                           "timed words", path, cue->id, a, b);
    *out = *cue;
    out->begin = begin;
    out->end = end;
    return SH_EXIT_OK;
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
        {"preload", no_argument, NULL, 'P'},
        {"words", required_argument, NULL, 'W'},
        SH_AUDIO_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    sh_audio_config ac = sh_audio_config_init();
    const char *cue_spec = NULL, *loops_s = NULL, *gap_str = NULL, *words_s = NULL;
    double speed = 1, lead = NAN, tail = NAN, volume = 1;
    bool preload = false;
    sh_error err = {0};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': sh_cli_print_usage(&sh_cmd_play, stdout); return SH_EXIT_OK;
        case 'c': cue_spec = optarg; break;
        case 'P': preload = true; break;
        case 'W': words_s = optarg; break;
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
        default: {
            int st = sh_audio_cmd_option("play", &ac, c, argc, argv);
            if (st >= 0)
                return st;
            break;
        }
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
    sh_cue span;
    if (words_s) {
        status = word_span(argv[optind], cue, words_s, &span);
        if (status) {
            sh_lesson_free(lesson);
            return status;
        }
        cue = &span;
        if (isnan(lead))
            lead = 0;
        if (isnan(tail))
            tail = 0;
    }
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
    sh_decoder *dec = NULL;
    float *x = NULL;
    size_t n = 0;
    ac.deferred_start = true;
    /* ulimit -f on --output: report it, do not die of SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
    sh_audio_cmd_catch_signals();
    status = start_playing(&ac, lesson, cue, lead, tail, &pp, preload, &a, &dec, verbose_timing(&ac));
    if (status)
        goto done;
    bool timed = false;
    for (;;) {
        sh_play_status st;
        sh_audio_play_status(a, &st);
        if (!timed && st.started_at > 0 && ac.verbose) {
            double ago = (sh_clock_now() - st.started_at) * 1000;
            fprintf(stderr, "audio: first sample handed to the device %.1f ms after start (monotonic %.6f)\n",
                    sh_audio_cmd_elapsed_ms() - ago, st.started_at);
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
    (void)n;
    sh_decoder_close(dec);
    sh_audio_close(a);
    sh_lesson_free(lesson);
    return status;
}

const sh_command sh_cmd_play = {
    .name = "play",
    .summary = "play one paragraph (loops, gaps, slower or faster)",
    .usage = usage,
    .run = run,
};
