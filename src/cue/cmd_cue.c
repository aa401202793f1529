/* `shadowing cue`: the teacher tools.
 *
 *   cue init TEXT --audio AUDIO [-o LESSON]     article text -> untimed lesson
 *   cue align LESSON [-o OUT]                   fill begin/end from the audio
 *   cue import FILE --audio AUDIO [-o LESSON]   LRC/SRT/VTT/aeneas -> lesson
 *   cue export LESSON --format F [-o FILE]      lesson -> LRC/SRT/VTT/aeneas
 *   cue shift LESSON --by S [--from ID]         move cues in time
 *   cue split LESSON --cue ID --sentences       one cue per sentence
 *   cue merge LESSON ID ID                      join two neighbouring cues
 *
 * Every command that changes a lesson writes it atomically (sh_lesson_save:
 * temp file + rename) and keeps fields it does not know.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/cli.h"
#include "core/util.h"
#include "cue/cue_words.h"
#include "shadowing/align.h"
#include "shadowing/cuefmt.h"
#include "shadowing/decode.h"
#include "shadowing/lesson.h"

#define ALIGN_RATE 16000

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

typedef struct opts {
    const char *output, *audio, *format, *title, *from, *cue;
    double by;
    bool have_by, sentences, bilingual, verbose, quiet, force, words, words_only;
    int nargs;
    char **args;
} opts;

enum { OPT_FROM = 1000, OPT_SENTENCES, OPT_BILINGUAL, OPT_FORCE, OPT_WORDS_ONLY };

static int parse_opts(const char *sub, int argc, char **argv, opts *o, bool *help)
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

/* ---- helpers ---- */

static void print_diag(const sh_diag *d, sh_diag_level max)
{
    sh_diag_print(d, stderr, max);
}

static char *read_input(const char *path, char **data, size_t *len)
{
    sh_error err = {0};
    int rc = sh_read_file(path, SH_CUEFMT_MAX_BYTES, data, len, &err);
    if (rc != SH_OK)
        return strdup(err.message);
    return NULL;
}

/* `target` relative to the folder `base_dir` when both resolve; else target
 * unchanged (the lesson then refers to it as the user wrote it). */
static char *relative_to(const char *base_dir, const char *target)
{
    char rb[PATH_MAX], rt[PATH_MAX];
    if (!realpath(base_dir, rb) || !realpath(target, rt))
        return strdup(target);
    size_t i = 0, cut = 0;
    while (rb[i] && rb[i] == rt[i]) {
        i++;
        if (rb[i - 1] == '/')
            cut = i;
    }
    const char *rest = rb + cut;
    if (rb[i] == '\0' && rt[i] == '/') { /* the folder holds the target */
        cut = i + 1;
        rest = "";
    }
    size_t ups = 0;
    if (*rest) {
        ups = 1;
        for (const char *p = rest; *p; p++)
            ups += *p == '/';
    }
    char *r = malloc(ups * 3 + strlen(rt + cut) + 1);
    if (!r)
        return NULL;
    r[0] = '\0';
    for (size_t k = 0; k < ups; k++)
        strcat(r, "../");
    strcat(r, rt + cut);
    return r;
}

static char *audio_for_lesson(const char *lesson_path, const char *audio)
{
    char *dir = sh_path_dirname(lesson_path ? lesson_path : "./lesson.json");
    char *r = dir ? relative_to(dir, audio) : NULL;
    free(dir);
    return r;
}

static int save_or_print(const sh_lesson *l, const char *path)
{
    if (!path) {
        char *json = sh_lesson_to_json(l);
        if (!json)
            return sh_cli_fail("out of memory");
        fputs(json, stdout);
        free(json);
        return SH_EXIT_OK;
    }
    sh_error err = {0};
    if (sh_lesson_save(l, path, &err) != SH_OK)
        return sh_cli_fail("%s", err.message);
    return SH_EXIT_OK;
}

static int load_lesson(const char *path, sh_lesson **out)
{
    sh_diag *d = sh_diag_new();
    int rc = sh_lesson_load(path, SH_LESSON_ALLOW_UNTIMED, out, d);
    print_diag(d, rc == SH_OK ? SH_DIAG_ERROR : SH_DIAG_WARNING);
    sh_diag_free(d);
    return rc;
}

static const char *time_str(double t, char *buf, size_t n)
{
    if (isnan(t))
        return "-";
    return sh_time_format(t, buf, n);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whole-file scan at the analysis rate. */
static int scan_audio(const char *path, sh_scan_result *scan)
{
    sh_error err = {0};
    memset(scan, 0, sizeof *scan);
    int rc = sh_decode_scan(path, ALIGN_RATE, NULL, scan, &err);
    if (rc != SH_OK) {
        sh_cli_fail("%s", err.message);
        return rc;
    }
    if (scan->truncated)
        fprintf(stderr, "shadowing: warning: %s\n", scan->warning);
    return SH_OK;
}

static bool has_han(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0xE4 && *p <= 0xE9)
            return true;
    return false;
}

/* Fill a new lesson from a parsed document. Ids that the lesson format
 * refuses (spaces...) or repeats are replaced by fresh ones. */
/* Fill `l` from an imported document. On failure the problem is printed,
 * naming the source line of the cue that could not be added. */
static int doc_to_lesson(const sh_cue_doc *doc, sh_lesson *l, const char *path)
{
    bool han = false;
    for (size_t i = 0; i < doc->n_cues; i++) {
        const sh_cue_entry *c = &doc->cues[i];
        const char *id = c->id;
        if (id && sh_lesson_find_cue(l, id))
            id = NULL;
        int rc = sh_lesson_insert_cue(l, sh_lesson_cue_count(l), id, c->text, c->translation, c->begin, c->end);
        if (rc == SH_ERR_INVALID && id)
            rc = sh_lesson_insert_cue(l, sh_lesson_cue_count(l), NULL, c->text, c->translation, c->begin,
                                      c->end);
        if (rc != SH_OK) {
            fprintf(stderr, "%s:%d: error: cue #%zu cannot be added to the lesson (%s): check its text and times\n",
                        path, c->line, i + 1, sh_strerror(rc));
            return rc;
        }
        han = han || (c->translation && has_han(c->translation));
    }
    for (size_t i = 0; i < doc->n_vocab; i++) {
        int rc = sh_lesson_add_vocab(l, doc->vocab[i].word, doc->vocab[i].ipa, doc->vocab[i].meaning);
        if (rc != SH_OK) {
            fprintf(stderr, "%s:%d: error: vocabulary word \"%s\" cannot be added to the lesson (%s)\n", path,
                        doc->vocab[i].line, doc->vocab[i].word, sh_strerror(rc));
            return rc;
        }
    }
    if (han)
        sh_lesson_set_string(l, "translation_language", "zh");
    return SH_OK;
}

static char *default_title(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    char *t = strdup(b);
    if (t) {
        char *dot = strrchr(t, '.');
        if (dot && dot != t)
            *dot = '\0';
    }
    return t;
}

/* init and import make a new lesson: never over an existing file (an
 * aligned lesson is an hour of work) unless --force. */
static bool refuse_overwrite(const opts *o)
{
    struct stat st;
    if (o->output && !o->force && stat(o->output, &st) == 0) {
        sh_cli_fail("%s already exists; use --force to replace it", o->output);
        return true;
    }
    return false;
}

/* ---- init ---- */

static int cue_init(opts *o)
{
    if (o->nargs != 1)
        return sh_cli_usage_error("cue", "init: expected one TEXT file");
    if (!o->audio)
        return sh_cli_usage_error("cue", "init: --audio AUDIO is required (the broadcast the text goes with)");
    if (refuse_overwrite(o))
        return SH_EXIT_BAD_INPUT;
    const char *path = o->args[0];
    char *data = NULL;
    size_t len = 0;
    char *msg = read_input(path, &data, &len);
    if (msg) {
        int r = sh_cli_fail("%s", msg);
        free(msg);
        return r;
    }
    int ret = SH_EXIT_BAD_INPUT;
    sh_cue_doc doc;
    sh_cue_doc_init(&doc);
    sh_diag *d = sh_diag_new();
    sh_lesson *l = NULL;
    char *audio = NULL, *title = NULL;
    int rc = sh_seedtext_parse(data, len, path, &doc, d);
    print_diag(d, o->verbose ? SH_DIAG_NOTE : SH_DIAG_WARNING);
    if (rc != SH_OK)
        goto done;
    struct stat st;
    if (stat(o->audio, &st) != 0)
        fprintf(stderr, "shadowing: warning: %s: no such audio file yet; the lesson refers to it as given\n",
                o->audio);
    audio = audio_for_lesson(o->output, o->audio);
    title = strdup(o->title ? o->title : doc.title ? doc.title : "");
    if (title && !*title) {
        free(title);
        title = default_title(path);
    }
    if (!audio || !title || !(l = sh_lesson_new(o->output ? o->output : "lesson.json", title, audio))) {
        sh_cli_fail("out of memory");
        goto done;
    }
    sh_lesson_set_string(l, "source", path);
    if (doc_to_lesson(&doc, l, path) != SH_OK)
        goto done;
    size_t with_tr = 0;
    for (size_t i = 0; i < doc.n_cues; i++)
        with_tr += doc.cues[i].translation != NULL;
    fprintf(stderr,
            "%s: kept %zu paragraphs (%zu with a translation), %zu vocabulary entries%s%s%s; "
            "dropped %zu lines%s\n",
            path, doc.n_cues, with_tr, doc.n_vocab, doc.title ? ", title \"" : "", doc.title ? doc.title : "",
            doc.title ? "\"" : "", doc.dropped_lines, o->verbose || !doc.dropped_lines ? "" : " (-v lists them)");
    ret = save_or_print(l, o->output);
    if (ret == SH_EXIT_OK && o->output)
        fprintf(stderr, "wrote %s: untimed; next: shadowing cue align %s\n", o->output, o->output);
done:
    sh_lesson_free(l);
    free(audio);
    free(title);
    sh_diag_free(d);
    sh_cue_doc_free(&doc);
    free(data);
    return ret;
}

/* ---- align ---- */

static int cue_align(opts *o)
{
    if (o->nargs != 1)
        return sh_cli_usage_error("cue", "align: expected one LESSON");
    const char *path = o->args[0];
    sh_lesson *l = NULL;
    if (load_lesson(path, &l) != SH_OK)
        return SH_EXIT_BAD_INPUT;
    int ret = SH_EXIT_BAD_INPUT;
    sh_scan_result scan;
    memset(&scan, 0, sizeof scan);
    size_t n = sh_lesson_cue_count(l);
    double *w = calloc(n, sizeof *w);
    sh_align_cue *res = calloc(n, sizeof *res);
    if (!w || !res) {
        sh_cli_fail("out of memory");
        goto done;
    }
    double t0 = now_s();
    if (scan_audio(sh_lesson_audio_path(l), &scan) != SH_OK)
        goto done;
    double t1 = now_s();
    for (size_t i = 0; i < n; i++)
        w[i] = sh_align_text_weight(sh_lesson_cue(l, i)->text);
    sh_envelope_config ec = sh_envelope_config_init(scan.rate);
    sh_align_config ac = sh_align_config_init(&ec);
    if (o->words_only) { /* the cue times stay; only the words are timed */
        for (size_t i = 0; i < n; i++) {
            const sh_cue *c = sh_lesson_cue(l, i);
            if (isnan(c->begin) || isnan(c->end)) {
                sh_cli_fail("%s: cue \"%s\" (#%zu) has no begin/end: run 'shadowing cue align %s' (without "
                            "--words-only) first", path, c->id, i + 1, path);
                goto done;
            }
        }
        sh_align_levels lv;
        sh_align_measure(scan.envelope, scan.envelope_len, 0, 0, &lv);
        sh_cue_env ce = {scan.envelope, scan.envelope_len, &ac, &lv};
        if (sh_cue_align_words_(l, NULL, ac.doubtful_below, scan.duration_s, &ce, o->quiet) != SH_EXIT_OK)
            goto done;
        ret = save_or_print(l, o->output ? o->output : path);
        goto done;
    }
    sh_align_stats st;
    int rc = sh_align_envelope(&ac, scan.envelope, scan.envelope_len, 0, 0, false, NULL, w, n, res, &st);
    double t2 = now_s();
    if (rc == SH_ERR_RANGE) {
        sh_cli_fail("%s: the audio (%.1f s) has too few pauses for %zu cues: is it the right audio for this "
                    "text?", sh_lesson_audio_path(l), scan.duration_s, n);
        goto done;
    } else if (rc != SH_OK) {
        sh_cli_fail("%s: alignment failed: %s", path, sh_strerror(rc));
        goto done;
    }
    size_t doubtful = 0;
    char b1[32], b2[32];
    for (size_t i = 0; i < n; i++) {
        double b = res[i].begin, e = res[i].end;
        if (e > scan.duration_s)
            e = scan.duration_s;
        if (b < 0)
            b = 0;
        if (sh_lesson_set_cue_times(l, i, b, e) != SH_OK) {
            sh_cli_fail("%s: cannot set the times of cue %zu", path, i + 1);
            goto done;
        }
        doubtful += res[i].doubtful;
        const sh_cue *c = sh_lesson_cue(l, i);
        if (!o->quiet || res[i].doubtful)
            printf("%-8s %10s  %10s  confidence %.2f %.2f%s\n", c->id, time_str(b, b1, sizeof b1),
                   time_str(e, b2, sizeof b2), res[i].begin_confidence, res[i].end_confidence,
                   res[i].doubtful ? "  doubtful: check by ear" : "");
    }
    if (!o->quiet)
        printf("aligned %zu cues in %.1f s of audio (%zu pauses, %.1f s of sound before the first cue, "
               "%.1f s after the last); %zu doubtful; decoding %.2f s, alignment %.3f s\n",
               n, scan.duration_s, st.pauses, st.intro_s, st.outro_s, doubtful, t1 - t0, t2 - t1);
    if (o->words) {
        sh_align_levels lv;
        sh_align_measure(scan.envelope, scan.envelope_len, 0, 0, &lv);
        sh_cue_env ce = {scan.envelope, scan.envelope_len, &ac, &lv};
        if (sh_cue_align_words_(l, res, ac.doubtful_below, scan.duration_s, &ce, o->quiet) != SH_EXIT_OK)
            goto done;
    }
    ret = save_or_print(l, o->output ? o->output : path);
    if (ret == SH_EXIT_OK && doubtful)
        fprintf(stderr, "shadowing: warning: %zu cue%s with a doubtful boundary: listen to %s and fix with "
                "'shadowing cue shift' or by hand\n", doubtful, doubtful == 1 ? "" : "s",
                doubtful == 1 ? "it" : "them");
done:
    sh_scan_result_free(&scan);
    free(w);
    free(res);
    sh_lesson_free(l);
    return ret;
}

/* ---- import ---- */

static int cue_import(opts *o)
{
    if (o->nargs != 1)
        return sh_cli_usage_error("cue", "import: expected one FILE");
    if (!o->audio)
        return sh_cli_usage_error("cue", "import: --audio AUDIO is required (the lesson's broadcast)");
    if (refuse_overwrite(o))
        return SH_EXIT_BAD_INPUT;
    const char *path = o->args[0];
    sh_cue_format f = SH_CUEFMT_UNKNOWN;
    if (o->format) {
        f = sh_cue_format_from_name(o->format);
        if (f == SH_CUEFMT_UNKNOWN || f == SH_CUEFMT_TEXT)
            return sh_cli_usage_error("cue", "import: unknown format '%s' (lrc, srt, vtt, aeneas)", o->format);
    }
    char *data = NULL;
    size_t len = 0;
    char *msg = read_input(path, &data, &len);
    if (msg) {
        int r = sh_cli_fail("%s", msg);
        free(msg);
        return r;
    }
    if (f == SH_CUEFMT_UNKNOWN)
        f = sh_cue_format_detect(path, data, len);
    if (f == SH_CUEFMT_TEXT) {
        free(data);
        return sh_cli_fail("%s: not LRC, SRT, WebVTT or aeneas JSON; for article text use 'shadowing cue init'",
                           path);
    }
    int ret = SH_EXIT_BAD_INPUT;
    sh_cue_doc doc;
    sh_cue_doc_init(&doc);
    sh_diag *d = sh_diag_new();
    sh_lesson *l = NULL;
    char *audio = NULL, *title = NULL;
    sh_scan_result scan;
    memset(&scan, 0, sizeof scan);
    int rc = sh_cue_parse(f, data, len, path, &doc, d);
    print_diag(d, SH_DIAG_WARNING);
    if (rc != SH_OK)
        goto done;
    if (scan_audio(o->audio, &scan) != SH_OK)
        goto done;
    if (f == SH_CUEFMT_LRC) {
        /* LRC has starts only: each end is the next start trimmed back to
         * the speech edge, the last ends with the audio */
        sh_envelope_config ec = sh_envelope_config_init(scan.rate);
        sh_align_config ac = sh_align_config_init(&ec);
        sh_align_levels lv;
        sh_align_measure(scan.envelope, scan.envelope_len, 0, 0, &lv);
        for (size_t i = 0; i < doc.n_cues; i++) {
            sh_cue_entry *c = &doc.cues[i];
            if (isnan(c->end) || c->end > scan.duration_s)
                c->end = scan.duration_s;
            c->end = sh_align_trim_end(&ac, &lv, scan.envelope, scan.envelope_len, c->begin, c->end);
        }
    }
    size_t late = 0;
    for (size_t i = 0; i < doc.n_cues; i++) {
        sh_cue_entry *c = &doc.cues[i];
        if (c->begin >= scan.duration_s) {
            fprintf(stderr, "%s:%d: error: cue starts at %.3f s, after the end of %s (%.3f s)\n", path, c->line,
                    c->begin, o->audio, scan.duration_s);
            late++;
        } else if (c->end > scan.duration_s) {
            c->end = scan.duration_s;
        }
        if (!(c->end > c->begin) && !late) {
            fprintf(stderr, "%s:%d: error: cue has no length (%.3f s --> %.3f s)\n", path, c->line, c->begin,
                    c->end);
            late++;
        }
    }
    if (late)
        goto done;
    audio = audio_for_lesson(o->output, o->audio);
    title = o->title ? strdup(o->title) : doc.title ? strdup(doc.title) : default_title(path);
    if (!audio || !title || !(l = sh_lesson_new(o->output ? o->output : "lesson.json", title, audio))) {
        sh_cli_fail("out of memory");
        goto done;
    }
    if (doc.language)
        sh_lesson_set_string(l, "language", strncmp(doc.language, "eng", 3) == 0 ? "en" : doc.language);
    if (doc_to_lesson(&doc, l, path) != SH_OK)
        goto done;
    fprintf(stderr, "%s: imported %zu cues (%s)\n", path, doc.n_cues, sh_cue_format_name(f));
    ret = save_or_print(l, o->output);
done:
    sh_scan_result_free(&scan);
    sh_lesson_free(l);
    free(audio);
    free(title);
    sh_diag_free(d);
    sh_cue_doc_free(&doc);
    free(data);
    return ret;
}

/* ---- export ---- */

static int cue_export(opts *o)
{
    if (o->nargs != 1)
        return sh_cli_usage_error("cue", "export: expected one LESSON");
    if (!o->format)
        return sh_cli_usage_error("cue", "export: --format lrc|srt|vtt|aeneas is required");
    sh_cue_format f = sh_cue_format_from_name(o->format);
    if (f == SH_CUEFMT_UNKNOWN || f == SH_CUEFMT_TEXT)
        return sh_cli_usage_error("cue", "export: unknown format '%s' (lrc, srt, vtt, aeneas)", o->format);
    const char *path = o->args[0];
    sh_lesson *l = NULL;
    if (load_lesson(path, &l) != SH_OK)
        return SH_EXIT_BAD_INPUT;
    int ret = SH_EXIT_BAD_INPUT;
    sh_cue_doc doc;
    sh_cue_doc_init(&doc);
    char *out = NULL;
    for (size_t i = 0; i < sh_lesson_cue_count(l); i++) {
        const sh_cue *c = sh_lesson_cue(l, i);
        if (isnan(c->begin) || isnan(c->end)) {
            sh_cli_fail("%s: cue %s has no times yet; run 'shadowing cue align %s' first", path, c->id, path);
            goto done;
        }
        if (sh_cue_doc_add(&doc, c->id, c->begin, c->end, c->text, c->translation, c->line) != SH_OK) {
            sh_cli_fail("out of memory");
            goto done;
        }
    }
    doc.title = strdup(sh_lesson_title(l));
    if (strcmp(sh_lesson_language(l), "en") == 0)
        doc.language = strdup("eng");
    else
        doc.language = strdup(sh_lesson_language(l));
    out = sh_cue_write(f, &doc, o->bilingual ? SH_CUEFMT_BILINGUAL : 0);
    if (!out) {
        sh_cli_fail("out of memory");
        goto done;
    }
    if (o->output) {
        sh_error err = {0};
        if (sh_write_file_atomic(o->output, out, strlen(out), &err) != SH_OK) {
            sh_cli_fail("%s", err.message);
            goto done;
        }
    } else {
        fputs(out, stdout);
    }
    ret = SH_EXIT_OK;
done:
    free(out);
    sh_cue_doc_free(&doc);
    sh_lesson_free(l);
    return ret;
}

/* ---- shift ---- */

static size_t cue_pos(const sh_cue *c)
{
    return (size_t)(c->index - 1);
}

static int cue_shift(opts *o)
{
    if (o->nargs != 1)
        return sh_cli_usage_error("cue", "shift: expected one LESSON");
    if (!o->have_by)
        return sh_cli_usage_error("cue", "shift: --by SECONDS is required");
    const char *path = o->args[0];
    sh_lesson *l = NULL;
    if (load_lesson(path, &l) != SH_OK)
        return SH_EXIT_BAD_INPUT;
    int ret = SH_EXIT_BAD_INPUT;
    size_t first = 0, n = sh_lesson_cue_count(l);
    if (o->from) {
        const sh_cue *c = sh_lesson_find_cue(l, o->from);
        if (!c) {
            sh_cli_fail("%s: no cue '%s' (give an id such as p3 or a 1-based index)", path, o->from);
            goto done;
        }
        first = cue_pos(c);
    }
    for (size_t i = first; i < n; i++) {
        const sh_cue *c = sh_lesson_cue(l, i);
        if (!isnan(c->begin) && c->begin + o->by < 0) {
            sh_cli_fail("%s: shifting by %.3f s would move cue %s before the start (it begins at %.3f s)", path,
                        o->by, c->id, c->begin);
            goto done;
        }
    }
    size_t moved = 0;
    for (size_t i = first; i < n; i++) {
        const sh_cue *c = sh_lesson_cue(l, i);
        if (isnan(c->begin) && isnan(c->end))
            continue;
        double b = isnan(c->begin) ? NAN : c->begin + o->by, e = isnan(c->end) ? NAN : c->end + o->by;
        /* The cue's word times move with it (set after the times, which
         * would drop words that no longer fit). */
        size_t nw = c->n_words;
        sh_cue_word *words = nw ? calloc(nw, sizeof *words) : NULL;
        if (nw && !words) {
            sh_cli_fail("out of memory");
            goto done;
        }
        for (size_t k = 0; k < nw; k++)
            words[k] = (sh_cue_word){c->words[k].text, c->words[k].begin + o->by, c->words[k].end + o->by};
        char **texts = nw ? calloc(nw, sizeof *texts) : NULL; /* the texts live in the lesson: copy them */
        bool copied = !nw || texts;
        for (size_t k = 0; texts && k < nw; k++) {
            texts[k] = strdup(words[k].text);
            copied = copied && texts[k];
            words[k].text = texts[k];
        }
        int rc = copied ? sh_lesson_set_cue_times(l, i, b, e) : SH_ERR_NOMEM;
        if (rc == SH_OK && nw)
            rc = sh_lesson_set_cue_words(l, i, words, nw);
        for (size_t k = 0; texts && k < nw; k++)
            free(texts[k]);
        free(texts);
        free(words);
        if (rc != SH_OK) {
            sh_cli_fail("%s: cannot move cue %zu", path, i + 1);
            goto done;
        }
        moved++;
    }
    ret = save_or_print(l, o->output ? o->output : path);
    if (ret == SH_EXIT_OK)
        fprintf(stderr, "moved %zu cue%s by %+.3f s\n", moved, moved == 1 ? "" : "s", o->by);
done:
    sh_lesson_free(l);
    return ret;
}

/* ---- merge ---- */

static char *join2(const char *a, const char *b, const char *sep)
{
    if (!a && !b)
        return NULL;
    if (!a)
        return strdup(b);
    if (!b)
        return strdup(a);
    return sh_asprintf("%s%s%s", a, sep, b);
}

static int cue_merge(opts *o)
{
    if (o->nargs != 3)
        return sh_cli_usage_error("cue", "merge: expected LESSON ID ID");
    const char *path = o->args[0];
    sh_lesson *l = NULL;
    if (load_lesson(path, &l) != SH_OK)
        return SH_EXIT_BAD_INPUT;
    int ret = SH_EXIT_BAD_INPUT;
    char *text = NULL, *tr = NULL;
    const sh_cue *a = sh_lesson_find_cue(l, o->args[1]), *b = sh_lesson_find_cue(l, o->args[2]);
    if (!a || !b) {
        sh_cli_fail("%s: no cue '%s'", path, !a ? o->args[1] : o->args[2]);
        goto done;
    }
    if (a->index > b->index) {
        const sh_cue *t = a;
        a = b;
        b = t;
    }
    if (b->index != a->index + 1) {
        sh_cli_fail("%s: cues %s and %s are not neighbours; only neighbouring cues can be merged", path, a->id,
                    b->id);
        goto done;
    }
    size_t ia = cue_pos(a), ib = cue_pos(b);
    double begin = a->begin, end = b->end;
    if (!isnan(a->begin) && !isnan(b->begin) && b->begin < begin)
        begin = b->begin;
    if (!isnan(a->end) && !isnan(b->end) && a->end > end)
        end = a->end;
    if (isnan(begin) || isnan(end))
        begin = end = NAN;
    bool han = (a->translation && has_han(a->translation)) || (b->translation && has_han(b->translation));
    text = join2(a->text, b->text, " ");
    tr = join2(a->translation, b->translation, han ? "" : " ");
    char ida[128], idb[128];
    snprintf(ida, sizeof ida, "%s", a->id);
    snprintf(idb, sizeof idb, "%s", b->id);
    if (!text || sh_lesson_set_cue_text(l, ia, text, tr ? tr : NULL) != SH_OK ||
        sh_lesson_set_cue_times(l, ia, begin, end) != SH_OK || sh_lesson_remove_cue(l, ib) != SH_OK) {
        sh_cli_fail("%s: could not merge %s and %s", path, ida, idb);
        goto done;
    }
    ret = save_or_print(l, o->output ? o->output : path);
    if (ret == SH_EXIT_OK)
        fprintf(stderr, "merged %s into %s\n", idb, ida);
done:
    free(text);
    free(tr);
    sh_lesson_free(l);
    return ret;
}

/* ---- split ---- */

/* Split a translation into `want` sentences at 。！？ (and . ! ?); NULL when
 * the count differs (then the whole translation stays with the first). */
static char **split_translation(const char *tr, size_t want)
{
    char **v = calloc(want, sizeof *v);
    if (!v)
        return NULL;
    size_t k = 0;
    const char *start = tr;
    for (const char *p = tr;; p++) {
        size_t adv = 0;
        if (!*p)
            adv = 0;
        else if (!strncmp(p, "\xE3\x80\x82", 3) || !strncmp(p, "\xEF\xBC\x81", 3) || !strncmp(p, "\xEF\xBC\x9F", 3))
            adv = 3;
        else
            continue;
        const char *e = p + adv;
        /* closing quotes stay with their sentence */
        while (!strncmp(e, "\xE2\x80\x9D", 3) || !strncmp(e, "\xE2\x80\x99", 3))
            e += 3;
        if (e > start) {
            if (k == want)
                goto bad;
            v[k] = strndup(start, (size_t)(e - start));
            if (!v[k])
                goto bad;
            k++;
        }
        start = e;
        if (!*p || !*e)
            break;
        p = e - 1;
    }
    if (k == want)
        return v;
bad:
    for (size_t i = 0; i < want; i++)
        free(v[i]);
    free(v);
    return NULL;
}

static int cue_split(opts *o)
{
    if (o->nargs != 1)
        return sh_cli_usage_error("cue", "split: expected one LESSON");
    if (!o->cue)
        return sh_cli_usage_error("cue", "split: --cue ID is required");
    if (!o->sentences)
        return sh_cli_usage_error("cue", "split: say how to split: --sentences");
    const char *path = o->args[0];
    sh_lesson *l = NULL;
    if (load_lesson(path, &l) != SH_OK)
        return SH_EXIT_BAD_INPUT;
    int ret = SH_EXIT_BAD_INPUT;
    char **sent = NULL, **trs = NULL, *base_id = NULL, *tr_all = NULL;
    size_t ns = 0;
    double *w = NULL;
    sh_align_cue *res = NULL;
    sh_scan_result scan;
    memset(&scan, 0, sizeof scan);
    const sh_cue *c = sh_lesson_find_cue(l, o->cue);
    if (!c) {
        sh_cli_fail("%s: no cue '%s'", path, o->cue);
        goto done;
    }
    if (isnan(c->begin) || isnan(c->end)) {
        sh_cli_fail("%s: cue %s has no times yet; run 'shadowing cue align %s' first", path, c->id, path);
        goto done;
    }
    size_t at = cue_pos(c);
    double cb = c->begin, ce = c->end;
    base_id = strdup(c->id);
    tr_all = c->translation ? strdup(c->translation) : NULL;
    ns = sh_align_split_sentences(c->text, &sent);
    if (!base_id || (c->translation && !tr_all) || ns == 0) {
        sh_cli_fail("out of memory");
        goto done;
    }
    if (ns == 1) {
        fprintf(stderr, "%s: cue %s is one sentence; nothing to split\n", path, base_id);
        ret = SH_EXIT_OK;
        goto done;
    }
    if (scan_audio(sh_lesson_audio_path(l), &scan) != SH_OK)
        goto done;
    w = calloc(ns, sizeof *w);
    res = calloc(ns, sizeof *res);
    if (!w || !res) {
        sh_cli_fail("out of memory");
        goto done;
    }
    for (size_t i = 0; i < ns; i++)
        w[i] = sh_align_text_weight(sent[i]);
    sh_envelope_config ec = sh_envelope_config_init(scan.rate);
    sh_align_config ac = sh_align_config_init(&ec);
    sh_align_levels lv;
    sh_align_measure(scan.envelope, scan.envelope_len, 0, 0, &lv);
    /* the cue's frames, with its own edges pinned */
    double fb = floor((cb - ac.window_s / 2) / ac.hop_s), fe = ceil((ce - ac.window_s / 2) / ac.hop_s) + 1;
    size_t from = fb < 0 ? 0 : (size_t)fb, to = (size_t)fe;
    if (to > scan.envelope_len)
        to = scan.envelope_len;
    int rc = from < to ? sh_align_envelope(&ac, scan.envelope, scan.envelope_len, from, to, true, &lv, w, ns,
                                           res, NULL)
                       : SH_ERR_RANGE;
    if (rc != SH_OK) {
        sh_cli_fail("%s: cue %s has no pauses between its %zu sentences in the audio; split it by hand", path,
                    base_id, ns);
        goto done;
    }
    res[0].begin = cb;
    res[ns - 1].end = ce;
    trs = tr_all ? split_translation(tr_all, ns) : NULL;
    if (tr_all && !trs)
        fprintf(stderr, "shadowing: warning: the translation of %s does not split into %zu sentences; it stays "
                "with the first\n", base_id, ns);
    if (sh_lesson_remove_cue(l, at) != SH_OK)
        goto fail_edit;
    for (size_t i = 0; i < ns; i++) {
        char id[160];
        snprintf(id, sizeof id, "%s-%zu", base_id, i + 1);
        const char *t = trs ? trs[i] : (i == 0 ? tr_all : NULL);
        const char *useid = sh_lesson_find_cue(l, id) ? NULL : id;
        if (sh_lesson_insert_cue(l, at + i, useid, sent[i], t, res[i].begin, res[i].end) != SH_OK)
            goto fail_edit;
        printf("%-10s %8.3f %8.3f  confidence %.2f%s  %s\n", sh_lesson_cue(l, at + i)->id, res[i].begin,
               res[i].end, res[i].end_confidence, res[i].doubtful ? " doubtful" : "", sent[i]);
    }
    ret = save_or_print(l, o->output ? o->output : path);
    if (ret == SH_EXIT_OK)
        fprintf(stderr, "split %s into %zu cues\n", base_id, ns);
    goto done;
fail_edit:
    sh_cli_fail("%s: could not split cue %s", path, base_id);
done:
    for (size_t i = 0; i < ns; i++) {
        free(sent[i]);
        if (trs)
            free(trs[i]);
    }
    free(sent);
    free(trs);
    free(w);
    free(res);
    free(base_id);
    free(tr_all);
    sh_scan_result_free(&scan);
    sh_lesson_free(l);
    return ret;
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
        int (*fn)(opts *);
    } subs[] = {
        {"init", cue_init},   {"align", cue_align}, {"import", cue_import}, {"export", cue_export},
        {"shift", cue_shift}, {"split", cue_split}, {"merge", cue_merge},
    };
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
        if (strcmp(sub, subs[i].name) != 0)
            continue;
        /* getopt takes the word after an option that needs a value even
         * when it starts with '-', so "--by -1.5" works. */
        int sargc = argc - 1;
        char **sargv = argv + 1;
        permute_args(sargc, sargv);
        opts o;
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
