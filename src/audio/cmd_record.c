/* shadowing record: the learner's repeat of one cue, into a WAV that stays
 * valid whatever happens (Ctrl-C, kill -9, a full disk). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio/cmd_common.h"
#include "core/cli.h"
#include "core/util.h"

extern const sh_command sh_cmd_record;

static const char usage[] =
    "Usage: shadowing record LESSON --cue ID|N [-o FILE.wav] [--max S] [--silence S]\n"
    "                        [--beep] [--shadow [--speed X]] [AUDIO OPTIONS]\n"
    "\n"
    "Record your repeat of one paragraph: mono 16-bit WAV at the device's rate,\n"
    "written as it comes (Ctrl-C, a crash or a full disk leave a valid file).\n"
    "\n"
    "  --cue ID|N     the paragraph, by id (p3) or number (3)\n"
    "  -o FILE.wav    where to write (default: CUEID.wav, e.g. p3.wav)\n"
    "  --max S        stop after S seconds (default: the cue's length x 1.5 + 2)\n"
    "  --silence S    stop after S seconds of silence following speech (default\n"
    "                 1.2; 0 = never); the threshold adapts to the room's noise\n"
    "  --beep         a short beep before recording: your turn\n"
    "  --shadow       play the paragraph and record at the same time; the take\n"
    "                 is placed on the paragraph's timeline (see calibrate)\n"
    "  --speed X      shadow mode tempo 0.5..1.5\n"
    "\n"
    SH_AUDIO_OPTIONS_USAGE
    "\n"
    "Enter stops. Examples:\n"
    "  shadowing record lesson.json --cue p3 --beep -o take.wav\n"
    "  shadowing record lesson.json --cue p3 --input take.wav -o copy.wav\n";

static const char *reason_text(sh_record_stop_reason r)
{
    switch (r) {
    case SH_RECORD_STOPPED: return "stopped";
    case SH_RECORD_MAX: return "reached --max";
    case SH_RECORD_SILENCE: return "silence after speech";
    case SH_RECORD_INPUT_END: return "end of input";
    case SH_RECORD_ERROR: return "write error";
    default: return "running";
    }
}

static void wait_play_done(sh_audio *a)
{
    for (;;) {
        sh_play_status st;
        sh_audio_play_status(a, &st);
        if (!st.active || sh_audio_cmd_interrupted)
            return;
        struct timespec ts = {0, 2000000L};
        nanosleep(&ts, NULL);
    }
}

static void meter(const sh_record_status *st)
{
    char bar[31];
    int k = (int)((st->level_db + 60.0f) / 2.0f);
    if (k < 0)
        k = 0;
    if (k > 30)
        k = 30;
    memset(bar, '#', (size_t)k);
    memset(bar + k, ' ', (size_t)(30 - k));
    bar[30] = 0;
    fprintf(stderr, "\r  recording %5.1f s  %6.1f dBFS [%s]%s%s ", st->seconds, (double)st->level_db, bar,
            st->clips ? " CLIP" : "", st->speech ? "" : "  (waiting for speech)");
    fflush(stderr);
}

typedef struct cue_check {
    const sh_lesson *lesson;
    const sh_cue *cue;
    int status; /* 0, or 1 with the problem printed */
} cue_check;

static void *check_thread(void *arg)
{
    cue_check *c = arg;
    sh_error err = {0};
    sh_decoder *dec = NULL;
    sh_decoder_config dc = sh_decoder_config_init(16000);
    if (sh_gst_init(&err) != SH_OK || sh_decoder_open(sh_lesson_audio_path(c->lesson), &dc, &dec, &err) != SH_OK) {
        c->status = sh_cli_fail("%s", err.message);
        return NULL;
    }
    size_t i = (size_t)c->cue->index - 1;
    c->status = sh_lesson_require_cues_in_audio(c->lesson, i, i + 1, dec);
    sh_decoder_close(dec);
    return NULL;
}

static int run(int argc, char **argv)
{
    sh_audio_cmd_mark_start();
    static const struct option opts[] = {
        SH_CLI_HELP_OPTION,
        {"cue", required_argument, NULL, 'c'},
        {"max", required_argument, NULL, 'm'},
        {"silence", required_argument, NULL, 'S'},
        {"beep", no_argument, NULL, 'b'},
        {"shadow", no_argument, NULL, 'w'},
        {"speed", required_argument, NULL, 's'},
        SH_AUDIO_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    sh_audio_config ac = sh_audio_config_init();
    ac.capture = true;
    ac.playback = false;
    const char *cue_spec = NULL, *path = NULL;
    double max_s = NAN, silence_s = NAN, speed = 1;
    bool beep = false, shadow = false;
    sh_error err = {0};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'h': sh_cli_print_usage(&sh_cmd_record, stdout); return SH_EXIT_OK;
        case 'c': cue_spec = optarg; break;
        case 'o': path = optarg; break;
        case 'm':
            if (!sh_parse_double(optarg, &max_s) || max_s <= 0 || max_s > 3600)
                return sh_cli_usage_error("record", "--max: '%s' is not a number of seconds in 0..3600", optarg);
            break;
        case 'S':
            if (!sh_parse_double(optarg, &silence_s) || silence_s < 0 || silence_s > 600)
                return sh_cli_usage_error("record", "--silence: '%s' is not a number of seconds in 0..600", optarg);
            break;
        case 'b': beep = true; break;
        case 'w': shadow = true; break;
        case 's':
            if (!sh_parse_double(optarg, &speed) || speed < 0.5 || speed > 1.5)
                return sh_cli_usage_error("record", "--speed: '%s' is not a number in 0.5..1.5", optarg);
            break;
        default: {
            int st = sh_audio_cmd_option("record", &ac, c, argc, argv);
            if (st >= 0)
                return st;
            break;
        }
        }
    }
    if (optind != argc - 1)
        return sh_cli_usage_error("record", optind >= argc ? "missing LESSON" : "expected one LESSON");
    if (!cue_spec)
        return sh_cli_usage_error("record", "missing --cue ID|N");

    sh_lesson *lesson = NULL;
    const sh_cue *cue = NULL;
    int status = sh_audio_cmd_load_cue("record", argv[optind], cue_spec, &lesson, &cue);
    if (status)
        return status;
    char *default_path = NULL;
    if (!path) {
        default_path = sh_asprintf("%s.wav", cue->id);
        path = default_path;
    }
    double cue_len = cue->end - cue->begin;
    const sh_playback_defaults *pd = sh_lesson_defaults(lesson);
    ac.playback = beep || shadow;
    if (shadow)
        sh_audio_config_load_latency(&ac);

    /* A file size limit (ulimit -f) must be an error we report, not a signal
     * that kills us before the header is fixed. */
    signal(SIGXFSZ, SIG_IGN);
    sh_audio *a = NULL;
    float *ref = NULL;
    size_t ref_n = 0;
    sh_recording take = {0};
    /* Armed before the stream starts, the take begins with the stream's
     * first input sample (nothing is lost between start and record). */
    ac.deferred_start = true;
    /* A cue past the end of the audio is the lesson's mistake: say so (as
     * `check` does) before the learner records anything for it. Checked in
     * a thread while the device opens (both take tens of ms). */
    cue_check chk = {.lesson = lesson, .cue = cue};
    pthread_t chk_th;
    bool chk_threaded = pthread_create(&chk_th, NULL, check_thread, &chk) == 0;
    if (!chk_threaded)
        check_thread(&chk);
    int open_rc = sh_audio_open(&ac, &a, &err);
    if (chk_threaded)
        pthread_join(chk_th, NULL);
    if (chk.status) {
        status = SH_EXIT_BAD_INPUT;
        goto done;
    }
    if (open_rc != SH_OK) {
        status = sh_cli_fail("%s", err.message);
        goto done;
    }
    int rate = sh_audio_rate(a);
    sh_record_params rp = sh_record_params_init();
    rp.path = path;
    rp.keep_samples = false;
    rp.silence_s = isnan(silence_s) ? 1.2 : silence_s;
    rp.max_s = isnan(max_s) ? cue_len * 1.5 + 2.0 : max_s;
    sh_audio_cmd_catch_signals();
    if (beep) {
        /* 880 Hz, 150 ms, quiet: "your turn". */
        size_t bn = (size_t)rate * 15 / 100;
        float *b = malloc(bn * sizeof(float));
        if (!b) {
            status = sh_cli_fail("out of memory");
            goto done;
        }
        for (size_t i = 0; i < bn; i++)
            b[i] = 0.3f * (float)sin(2 * M_PI * 880.0 * (double)i / rate);
        sh_play_params bp = sh_play_params_init();
        bp.fade_s = 0.01;
        int rc = sh_audio_play(a, b, bn, &bp, &err);
        free(b);
        if (rc == SH_OK)
            rc = sh_audio_start(a, &err);
        if (rc != SH_OK) {
            status = sh_cli_fail("%s", err.message);
            goto done;
        }
        wait_play_done(a);
    }
    int rc;
    if (shadow) {
        status = sh_audio_cmd_decode_segment(lesson, cue, rate, pd->lead_s, pd->tail_s, &ref, &ref_n);
        if (status)
            goto done;
        sh_play_params pp = sh_play_params_init();
        pp.speed = speed;
        if (isnan(max_s))
            rp.max_s = (double)ref_n / rate / speed + 1.5;
        if (isnan(silence_s))
            rp.silence_s = 0; /* the paragraph's own pauses are not the end */
        rc = sh_audio_shadow_start(a, ref, ref_n, &pp, &rp, &err);
    } else {
        rc = sh_audio_record_start(a, &rp, &err);
    }
    if (rc == SH_OK)
        rc = sh_audio_start(a, &err);
    if (rc != SH_OK) {
        status = sh_cli_fail("%s", err.message);
        goto done;
    }
    bool tty = isatty(2);
    bool watch_stdin = true;
    for (;;) {
        sh_record_status st;
        sh_audio_record_status(a, &st);
        if (!st.active || sh_audio_cmd_interrupted)
            break;
        if (sh_audio_error(a, &err) != SH_OK) {
            if (tty)
                fputs("\r\033[K", stderr);
            sh_audio_record_stop(a, &take, NULL);
            status = sh_cli_fail("%s; the take so far is in %s", err.message, path);
            goto done;
        }
        if (tty)
            meter(&st);
        if (watch_stdin) {
            struct pollfd pf = {.fd = 0, .events = POLLIN};
            if (poll(&pf, 1, 20) > 0) {
                char buf[256];
                ssize_t r = read(0, buf, sizeof buf);
                if (r <= 0)
                    watch_stdin = false; /* no terminal: only limits stop us */
                else if (memchr(buf, '\n', (size_t)r))
                    break;
            }
        } else {
            struct timespec ts = {0, 20000000L};
            nanosleep(&ts, NULL);
        }
    }
    if (tty)
        fputs("\r\033[K", stderr);
    rc = sh_audio_record_stop(a, &take, &err);
    if (ac.verbose)
        sh_audio_cmd_print_stats(a);
    if (rc != SH_OK) {
        status = sh_cli_fail("%s", err.message);
        goto done;
    }
    printf("%s: %.2f s at %d Hz (%s)%s", path, (double)take.n / rate, rate, reason_text(take.reason),
           take.clips ? "" : "\n");
    if (take.clips)
        printf(", %llu samples clipped: move back from the microphone or lower its gain\n",
               (unsigned long long)take.clips);
    if (take.dropped)
        fprintf(stderr, "shadowing: warning: %llu samples were lost (the system was too busy)\n",
                (unsigned long long)take.dropped);
    if (sh_audio_cmd_interrupted)
        status = sh_cli_fail("interrupted; the take so far is in %s", path);
done:
    sh_recording_free(&take);
    free(ref);
    sh_audio_close(a);
    free(default_path);
    sh_lesson_free(lesson);
    return status;
}

const sh_command sh_cmd_record = {
    .name = "record",
    .summary = "record your repeat of one paragraph",
    .usage = usage,
    .run = run,
};
