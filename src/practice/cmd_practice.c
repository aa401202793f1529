/* `shadowing practice LESSON` (also `shadowing LESSON.json`): the screen,
 * or with --batch the headless session. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "core/cli.h"
#include "core/util.h"
#include "practice.h"
#include "shadowing/audio.h"

extern const sh_command sh_cmd_practice;

enum {
    OPT_BATCH = 0x200,
    OPT_TAKES,
    OPT_CUE,
    OPT_FROM,
    OPT_MODE,
    OPT_SPEED,
    OPT_LOOPS,
    OPT_GAP,
    OPT_ADVANCE,
    OPT_NO_TRANSLATION,
    OPT_HISTORY_DB,
    OPT_NO_HISTORY,
};

/* Without a sound device the screen cannot do its job; a newcomer trying
 * the demo should still see the loop work, so run the headless session on
 * the takes bundled next to the lesson (assets/demo/takes/). */
static int fallback_to_bundled_takes(sh_practice_opts *o)
{
    char *dir = sh_path_dirname(o->lesson);
    char *takes = dir ? sh_asprintf("%s/takes", dir) : NULL;
    free(dir);
    struct stat st;
    if (!takes || stat(takes, &st) != 0 || !S_ISDIR(st.st_mode)) {
        free(takes);
        return SH_EXIT_BAD_INPUT;
    }
    fprintf(stderr, "shadowing: no sound device; scoring the lesson's bundled takes (%s) headless instead "
                    "(try --audio file --input TAKE.wav)\n", takes);
    o->takes_dir = takes;
    o->audio_given = false;
    o->human = isatty(STDOUT_FILENO);
    int status = sh_practice_batch(o, stdout);
    free(takes);
    return status;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"batch", no_argument, NULL, OPT_BATCH},
        {"takes", required_argument, NULL, OPT_TAKES},
        {"cue", required_argument, NULL, OPT_CUE},
        {"from", required_argument, NULL, OPT_FROM},
        {"mode", required_argument, NULL, OPT_MODE},
        {"speed", required_argument, NULL, OPT_SPEED},
        {"loops", required_argument, NULL, OPT_LOOPS},
        {"gap", required_argument, NULL, OPT_GAP},
        {"advance-at", required_argument, NULL, OPT_ADVANCE},
        {"no-translation", no_argument, NULL, OPT_NO_TRANSLATION},
        {"history-db", required_argument, NULL, OPT_HISTORY_DB},
        {"no-history", no_argument, NULL, OPT_NO_HISTORY},
        SH_AUDIO_LONG_OPTIONS,
        SH_CLI_HELP_OPTION,
        {NULL, 0, NULL, 0},
    };
    sh_audio_config ac = sh_audio_config_init();
    sh_practice_opts o;
    memset(&o, 0, sizeof o);
    o.mode = SH_MODE_REPEAT;
    o.speed_pct = 100;
    o.loops = 3;
    o.audio_cfg = &ac;
    bool batch = false;
    int ch;
    double v;
    long n;
    sh_error err = {0};
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case OPT_BATCH: batch = true; break;
        case OPT_TAKES: o.takes_dir = optarg; break;
        case OPT_CUE: o.cue = optarg; break;
        case OPT_FROM: o.from = optarg; break;
        case OPT_MODE:
            if (!sh_practice_mode_parse(optarg, &o.mode))
                return sh_cli_usage_error("practice", "--mode: '%s' is not repeat, shadow, loop or review", optarg);
            break;
        case OPT_SPEED:
            if (!sh_parse_double(optarg, &v) || v < 0.5 || v > 1.5)
                return sh_cli_usage_error("practice", "--speed: '%s' is not a number from 0.5 to 1.5", optarg);
            o.speed_pct = (int)(v * 100 + 0.5);
            break;
        case OPT_LOOPS:
            if (strcmp(optarg, "inf") == 0)
                o.loops = 0;
            else if (sh_parse_int(optarg, 1, 1000, &n))
                o.loops = (int)n;
            else
                return sh_cli_usage_error("practice", "--loops: '%s' is not 1-1000 or inf", optarg);
            break;
        case OPT_GAP: /* S seconds, or xF: F times the paragraph's length */
            if (optarg[0] == 'x' ? !sh_parse_double(optarg + 1, &v) || v < 0 || v > 10
                                 : !sh_parse_double(optarg, &v) || v < 0 || v > 60)
                return sh_cli_usage_error("practice", "--gap: '%s' is not seconds (0-60) or xF (x0-x10)", optarg);
            o.gap_given = true;
            if (optarg[0] == 'x')
                o.gap_factor = v;
            else
                o.gap_s = v;
            break;
        case OPT_ADVANCE:
            if (!sh_parse_double(optarg, &v) || v < 0 || v > 100)
                return sh_cli_usage_error("practice", "--advance-at: '%s' is not a score from 0 to 100", optarg);
            o.advance_at = v;
            break;
        case OPT_NO_TRANSLATION: o.no_translation = true; break;
        case OPT_HISTORY_DB: o.history_path = optarg; break;
        case OPT_NO_HISTORY: o.no_history = true; break;
        case 'h': sh_cli_print_usage(&sh_cmd_practice, stdout); return SH_EXIT_OK;
        default:
            if (ch >= SH_AUDIO_OPT_BASE && ch < SH_AUDIO_OPT_END_) {
                if (sh_audio_config_option(&ac, ch, optarg, &err))
                    return sh_cli_usage_error("practice", "%s", err.message);
                o.audio_given = true;
                break;
            }
            return sh_cli_getopt_error("practice", ch, argc, argv);
        }
    }
    if (optind != argc - 1)
        return sh_cli_usage_error("practice", "expected one lesson file");
    o.lesson = argv[optind];
    if (o.cue && o.from)
        return sh_cli_usage_error("practice", "--cue and --from exclude each other");
    if (batch) {
        if (!o.takes_dir)
            return sh_cli_usage_error("practice", "--batch needs --takes DIR (takes named by cue id or number)");
        return sh_practice_batch(&o, stdout);
    }
    if (o.takes_dir) {
        /* The screen with takes from a folder: they stand in for the
         * microphone, so they need the file backend (implied). */
        if (ac.backend_set && ac.backend != SH_AUDIO_FILE)
            return sh_cli_usage_error("practice", "--takes in the screen needs --audio file (the takes stand in "
                                                  "for the microphone)");
        if (ac.input_path)
            return sh_cli_usage_error("practice", "--takes and --input exclude each other");
        ac.backend = SH_AUDIO_FILE;
        o.audio_given = true;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return sh_cli_fail("the practice screen needs a terminal; for a headless run use "
                           "'shadowing practice %s --batch --takes DIR'", o.lesson);
    bool device_failed = false;
    int status = sh_practice_ui(&o, &device_failed);
    if (device_failed && !o.audio_given) {
        int s2 = fallback_to_bundled_takes(&o);
        if (s2 != SH_EXIT_BAD_INPUT || o.takes_dir)
            return s2;
    }
    return status;
}

const sh_command sh_cmd_practice = {
    .name = "practice",
    .summary = "practise a lesson: listen, repeat, see your score (the main screen)",
    .usage =
        "Usage: shadowing practice LESSON.json [OPTIONS]\n"
        "       shadowing LESSON.json [OPTIONS]\n"
        "       shadowing practice LESSON.json --batch --takes DIR [--cue ID | --from ID] [--audio file|null]\n"
        "\n"
        "Play one paragraph at a time, record your repeat, score it, loop hard parts.\n"
        "Starts at the paragraph you practised last. Press ? on the screen for the keys.\n"
        "\n"
        "  --mode MODE        repeat (default), shadow, loop or review\n"
        "  --speed X          playback speed 0.5-1.5, pitch kept (default 1)\n"
        "  --loops K|inf      loop mode: times to play each paragraph (default 3)\n"
        "  --gap S|xF         silence between loops: S seconds or F times the paragraph's\n"
        "                     length (default: the lesson's, else none)\n"
        "  --advance-at N     go to the next paragraph when the score reaches N,\n"
        "                     otherwise repeat the same one (default: off)\n"
        "  --no-translation   start with the translation hidden (t shows it)\n"
        "  --cue ID           start at this paragraph (id or 1-based number)\n"
        "  --history-db FILE  history database (default $XDG_DATA_HOME/shadowing/history.db)\n"
        "  --no-history       store nothing\n"
        "\n"
        "Headless (teachers, tests):\n"
        "  --batch            no screen: score takes from --takes DIR and print one JSON\n"
        "                     line per paragraph; attempts are stored as usual\n"
        "  --takes DIR        takes named by cue id or number (p3.wav, 3.ogg, ...); also\n"
        "                     without --batch: the screen records each paragraph's take\n"
        "                     (implies --audio file)\n"
        "  --cue ID           only this paragraph (id or 1-based number)\n"
        "  --from ID          from this paragraph to the end\n"
        "\n"
        "Audio (as for 'shadowing play'):\n"
        "  --audio portaudio|file|null  sound backend (default portaudio)\n"
        "  --device NAME|INDEX  --input FILE.wav  --output FILE.wav  --realtime\n"
        "  --rate HZ  --latency-ms MS  --verbose\n"
        "  -h, --help         show this help\n",
    .run = run,
};
