/* `shadowing cue`: the teacher tools' options and dispatch.
 *
 *   cue init TEXT --audio AUDIO [-o LESSON]     article text -> untimed lesson
 *   cue align LESSON [-o OUT]                   fill begin/end from the audio
 *   cue import FILE --audio AUDIO [-o LESSON]   LRC/SRT/VTT/aeneas -> lesson
 *   cue export LESSON --format F [-o FILE]      lesson -> LRC/SRT/VTT/aeneas
 *   cue shift LESSON --by S [--from ID]         move cues in time
 *   cue split LESSON --cue ID --sentences       one cue per sentence
 *   cue merge LESSON ID ID                      join two neighbouring cues
 *
 * Each subcommand (cue_commands.c) reads its input, calls the edits of
 * edit.c (include/shadowing/cueedit.h), and writes the lesson atomically
 * (sh_lesson_save: temp file + rename), keeping fields it does not know.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli.h"
#include "core/util.h"
#include "cue/cmd_cue_int.h"

static const char usage_text[] =
    "Usage: shadowing cue init TEXT --audio AUDIO [-o LESSON.json] [--title TITLE] [--force]\n"
    "       shadowing cue align LESSON [-o OUT.json] [--words | --words-only] [--quiet]\n"
    "       shadowing cue import FILE --audio AUDIO [-o LESSON.json] [--format F] [--force]\n"
    "       shadowing cue export LESSON --format lrc|srt|vtt|aeneas [-o FILE] [--bilingual]\n"
    "       shadowing cue shift LESSON --by SECONDS [--from ID] [-o OUT.json]\n"
    "       shadowing cue split LESSON --cue ID --sentences [-o OUT.json]\n"
    "       shadowing cue merge LESSON ID ID [-o OUT.json]\n"
    "\n"
    "Teacher tools: make a lesson from an article and its broadcast, time it, convert it.\n"
    "\n"
    "  init    Read an article copied from a web page (English paragraphs, each followed\n"
    "          by its translation, and a vocabulary list of \"word [ipa]\" lines with their\n"
    "          meanings); site menus and prompts are dropped. Writes an untimed lesson\n"
    "          (to stdout without -o) and reports what it kept and dropped (-v lists it).\n"
    "  align   Time every cue from the audio: pauses in the energy envelope, chosen by\n"
    "          dynamic programming with each paragraph's length from its text. Prints a\n"
    "          confidence per cue and flags doubtful boundaries. Writes LESSON in place\n"
    "          unless -o is given. --words also times every word (speech recogniser in\n"
    "          grammar mode) and stores them as each cue's \"words\"; where the pauses\n"
    "          leave a boundary in doubt, the words decide it. --words-only keeps the\n"
    "          cue times as they are and times the words inside them.\n"
    "  import  Make a lesson from LRC, SRT, WebVTT or aeneas JSON (by extension or\n"
    "          content, or --format). LRC ends are the next start, trimmed to the speech.\n"
    "  export  Write the lesson's cues as LRC, SRT, WebVTT or aeneas JSON (stdout\n"
    "          without -o); --bilingual adds the translations.\n"
    "  shift   Add SECONDS (may be negative) to every cue, or to ID and those after it.\n"
    "  split   Split cue ID into one cue per sentence (ids ID-1, ID-2...), timed by the\n"
    "          aligner inside the cue: shorter units for beginners.\n"
    "  merge   Join two neighbouring cues into the first one.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   where to write (default: in place, or stdout for init/export)\n"
    "  -a, --audio AUDIO   the broadcast (init, import)\n"
    "  -f, --format F      lrc, srt, vtt, aeneas (export; import guesses)\n"
    "  -t, --title TITLE   lesson title (init, import)\n"
    "  -b, --by SECONDS    shift amount\n"
    "      --from ID       first cue to shift (id or 1-based index)\n"
    "  -c, --cue ID        cue to split\n"
    "      --sentences     split into sentences\n"
    "      --bilingual     export translations too\n"
    "      --force         replace an existing LESSON (init, import)\n"
    "  -v, --verbose       list dropped lines (init)\n"
    "  -q, --quiet         print only problems (align)\n"
    "  -w, --words         time every word too (align)\n"
    "      --words-only    time the words, keep the cue times (align)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Examples:\n"
    "  shadowing cue init article.txt --audio broadcast.mp3 -o lesson.json\n"
    "  shadowing cue align lesson.json\n"
    "  shadowing cue export lesson.json --format srt -o lesson.srt\n";


enum { OPT_FROM = 1000, OPT_SENTENCES, OPT_BILINGUAL, OPT_FORCE, OPT_WORDS_ONLY };

static int parse_opts(const char *sub, int argc, char **argv, sh_cue_opts *o, bool *help)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"audio", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {"title", required_argument, NULL, 't'},
        {"by", required_argument, NULL, 'b'},
        {"from", required_argument, NULL, OPT_FROM},
        {"cue", required_argument, NULL, 'c'},
        {"sentences", no_argument, NULL, OPT_SENTENCES},
        {"bilingual", no_argument, NULL, OPT_BILINGUAL},
        {"force", no_argument, NULL, OPT_FORCE},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"words", no_argument, NULL, 'w'},
        {"words-only", no_argument, NULL, OPT_WORDS_ONLY},
        SH_CLI_HELP_OPTION,
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    *help = false;
    optind = 1;
    opterr = 0;
    int c;
    /* "b:" takes negative numbers: getopt would read "-1.5" as options,
     * so --by's argument is taken verbatim. */
    while ((c = getopt_long(argc, argv, "+o:a:f:t:b:c:vqwh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'a': o->audio = optarg; break;
        case 'f': o->format = optarg; break;
        case 't': o->title = optarg; break;
        case 'b':
            if (!sh_parse_double(optarg, &o->by))
                return sh_cli_usage_error("cue", "%s: --by wants seconds, such as 1.5 or -0.25, not '%s'",
                                          sub, optarg);
            o->have_by = true;
            break;
        case OPT_FROM: o->from = optarg; break;
        case 'c': o->cue = optarg; break;
        case OPT_SENTENCES: o->sentences = true; break;
        case OPT_BILINGUAL: o->bilingual = true; break;
        case OPT_FORCE: o->force = true; break;
        case 'v': o->verbose = true; break;
        case 'q': o->quiet = true; break;
        case 'w': o->words = true; break;
        case OPT_WORDS_ONLY: o->words_only = true; break;
        case 'h': *help = true; return SH_EXIT_OK;
        case '?':
        default:
            if (optopt && optopt < 256)
                return sh_cli_usage_error("cue", "%s: unknown option or missing value: -%c", sub, optopt);
            return sh_cli_usage_error("cue", "%s: unknown option or missing value: %s", sub,
                                      argv[optind - 1]);
        }
        /* allow options after positional arguments */
    }
    o->args = argv + optind;
    o->nargs = argc - optind;
    return SH_EXIT_OK;
}

/* Options may follow the positional arguments ("cue align l.json -o x"):
 * move the positionals to the end first (getopt with '+' stops at the first). */
static void permute_args(int argc, char **argv)
{
    static const char *const with_value[] = {"-o", "--output", "-a", "--audio", "-f", "--format", "-t",
                                             "--title", "-b", "--by", "--from", "-c", "--cue"};
    char **opt = malloc((size_t)argc * sizeof *opt), **pos = malloc((size_t)argc * sizeof *pos);
    if (!opt || !pos) {
        free(opt);
        free(pos);
        return;
    }
    int no = 0, np = 0;
    char *dashdash = NULL;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            dashdash = a;
            for (int j = i + 1; j < argc; j++)
                pos[np++] = argv[j];
            break;
        }
        if (a[0] == '-' && a[1] != '\0') {
            opt[no++] = a;
            /* the value of an option that takes one may start with '-'
             * ("--by -1.5"): it goes with its option */
            for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
                if (strcmp(a, with_value[k]) == 0 && i + 1 < argc) {
                    opt[no++] = argv[++i];
                    break;
                }
        } else {
            pos[np++] = a;
        }
    }
    int k = 1;
    for (int i = 0; i < no; i++)
        argv[k++] = opt[i];
    if (dashdash)
        argv[k++] = dashdash;
    for (int i = 0; i < np; i++)
        argv[k++] = pos[i];
    free(opt);
    free(pos);
}

/* ---- dispatch ---- */

static int run_cue(int argc, char **argv)
{
    if (argc < 2)
        return sh_cli_usage_error("cue", "expected a subcommand: init, align, import, export, shift, split, merge");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        fputs(usage_text, stdout);
        return SH_EXIT_OK;
    }
    static const struct {
        const char *name;
        int (*fn)(const sh_cue_opts *);
    } subs[] = {
        {"init", sh_cue_cmd_init},   {"align", sh_cue_cmd_align}, {"import", sh_cue_cmd_import}, {"export", sh_cue_cmd_export},
        {"shift", sh_cue_cmd_shift}, {"split", sh_cue_cmd_split}, {"merge", sh_cue_cmd_merge},
    };
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
        if (strcmp(sub, subs[i].name) != 0)
            continue;
        /* getopt takes the word after an option that needs a value even
         * when it starts with '-', so "--by -1.5" works. */
        int sargc = argc - 1;
        char **sargv = argv + 1;
        permute_args(sargc, sargv);
        sh_cue_opts o;
        bool help;
        int r = parse_opts(sub, sargc, sargv, &o, &help);
        if (help) {
            fputs(usage_text, stdout);
            return SH_EXIT_OK;
        }
        if (r != SH_EXIT_OK)
            return r;
        return subs[i].fn(&o);
    }
    return sh_cli_usage_error("cue", "unknown subcommand '%s' (init, align, import, export, shift, split, merge)",
                              sub);
}

const sh_command sh_cmd_cue = {
    .name = "cue",
    .summary = "teacher tools: make, align, convert and fix cue files",
    .usage = usage_text,
    .run = run_cue,
};
