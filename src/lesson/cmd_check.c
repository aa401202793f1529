/* `shadowing check LESSON [--json]`: validate a lesson file against its
 * decoded audio. Diagnostics in the GNU form on stderr, a summary on stdout;
 * or one JSON object on stdout with --json. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "core/cli.h"
#include "lesson/lesson_priv.h"
#include "shadowing/decode.h"

/* The analysis rate: the duration is counted in samples at this rate. */
#define CHECK_RATE 16000

static const char usage[] =
    "Usage: shadowing check LESSON [--json]\n"
    "\n"
    "Validate a lesson: its JSON cue file (see doc/lesson-format.md) and its\n"
    "audio, decoded in full to get the exact duration, so that no cue ends\n"
    "after the audio. Every problem is reported, not just the first, as\n"
    "  FILE:LINE:COLUMN: error: MESSAGE\n"
    "(warnings alike) on stderr, followed by a summary line on stdout.\n"
    "Columns count characters, starting at 1.\n"
    "\n"
    "Options:\n"
    "  --json      print one JSON object on stdout instead, and nothing on stderr:\n"
    "              {\"valid\": true|false, \"cues\": N, \"audio_duration\": SECONDS|null,\n"
    "               \"warnings\": [...], \"errors\": [...]}, each problem an object\n"
    "              with file, line, column, cue, message and text (the line above)\n"
    "  -h, --help  show this help\n"
    "\n"
    "Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage error.\n";

/* "4:31.2" / "1:02:03.5": the summary's duration, to a tenth of a second. */
static const char *short_time(double s, char *buf, size_t size)
{
    long long t = llround(s * 10.0);
    long long h = t / 36000, m = t / 600 % 60, sec = t / 10 % 60, d = t % 10;
    if (h > 0)
        snprintf(buf, size, "%lld:%02lld:%02lld.%lld", h, m, sec, d);
    else
        snprintf(buf, size, "%lld:%02lld.%lld", m, sec, d);
    return buf;
}

/* Locate problems about the audio at the lesson's "audio" value. */
static void audio_diag(const sh_lesson *l, sh_diag *diag, sh_diag_level level, const char *msg)
{
    int line = 0, col = 0;
    sh_lesson_locate(l, "audio", &line, &col);
    sh_diag_add(diag, level, sh_lesson_path(l), line, col, NULL, 0, "%s", msg);
}

/* Decode the audio for its exact duration; problems go to diag (*hidden
 * counts those over the list's cap). Returns the duration, or NAN when the
 * audio cannot be read. */
static double check_audio(const sh_lesson *l, sh_diag *diag, size_t *hidden)
{
    const char *path = sh_lesson_audio_path(l);
    char msg[1400];
    struct stat st;
    /* Only a name that leads nowhere is "not found"; a link loop or a
     * dangling link is the decoder's to describe (lstat sees the link). */
    if (stat(path, &st) != 0 && errno == ENOENT && lstat(path, &st) != 0) {
        snprintf(msg, sizeof msg,
                 "audio file \"%s\" not found (looked for %s): check the name; it is relative to the lesson file",
                 sh_lesson_audio(l), path);
        audio_diag(l, diag, SH_DIAG_ERROR, msg);
        return NAN;
    }
    sh_error err = {0};
    sh_scan_result res = {0};
    int rc = sh_gst_init(&err);
    if (rc == SH_OK)
        rc = sh_decode_scan(path, CHECK_RATE, NULL, &res, &err);
    if (rc != SH_OK) {
        snprintf(msg, sizeof msg, "audio: %s", err.message[0] ? err.message : sh_strerror(rc));
        audio_diag(l, diag, SH_DIAG_ERROR, msg);
        return NAN;
    }
    double dur = res.duration_s;
    if (res.truncated) {
        snprintf(msg, sizeof msg, "audio: %s", res.warning[0] ? res.warning : "the file ends early or is damaged");
        audio_diag(l, diag, SH_DIAG_WARNING, msg);
    }
    sh_scan_result_free(&res);
    if (!(dur > 0)) {
        snprintf(msg, sizeof msg, "audio file \"%s\" holds no sound: check that it is the right file", path);
        audio_diag(l, diag, SH_DIAG_ERROR, msg);
        return NAN;
    }
    size_t before = sh_diag_count(diag, SH_DIAG_ERROR);
    size_t n = (size_t)sh_lesson_check_audio_duration(l, dur, diag);
    size_t shown = sh_diag_count(diag, SH_DIAG_ERROR) - before;
    *hidden += n > shown ? n - shown : 0;
    return dur;
}

/* Diagnostics in file order (line, column, then order found), as a reader
 * goes through the file; the validator finds them pass by pass. */
typedef struct placed {
    const sh_diag_entry *e;
    size_t i;
} placed;

static int by_place(const void *a, const void *b)
{
    const placed *x = a, *y = b;
    /* Notes ("N more not shown") come last. */
    if ((x->e->level == SH_DIAG_NOTE) != (y->e->level == SH_DIAG_NOTE))
        return x->e->level == SH_DIAG_NOTE ? 1 : -1;
    if (x->e->line != y->e->line)
        return x->e->line < y->e->line ? -1 : 1;
    if (x->e->col != y->e->col)
        return x->e->col < y->e->col ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The entries in file order (malloc'ed), *n their number. */
static placed *sorted(const sh_diag *diag, size_t *n)
{
    size_t total = 0;
    while (sh_diag_get(diag, total))
        total++;
    *n = total;
    placed *p = malloc((total ? total : 1) * sizeof *p);
    if (!p)
        return NULL;
    for (size_t i = 0; i < total; i++)
        p[i] = (placed){sh_diag_get(diag, i), i};
    qsort(p, total, sizeof *p, by_place);
    return p;
}

static cJSON *diag_json(const placed *ix, size_t n, sh_diag_level level)
{
    cJSON *a = cJSON_CreateArray();
    char text[2048];
    for (size_t k = 0; a && k < n; k++) {
        const sh_diag_entry *e = ix[k].e;
        if (!e || e->level != level)
            continue;
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddItemToArray(a, o);
        if (e->file)
            cJSON_AddStringToObject(o, "file", e->file);
        else
            cJSON_AddNullToObject(o, "file");
        if (e->line > 0)
            cJSON_AddNumberToObject(o, "line", e->line);
        else
            cJSON_AddNullToObject(o, "line");
        if (e->col > 0)
            cJSON_AddNumberToObject(o, "column", e->col);
        else
            cJSON_AddNullToObject(o, "column");
        if (e->cue_id)
            cJSON_AddStringToObject(o, "cue", e->cue_id);
        else
            cJSON_AddNullToObject(o, "cue");
        cJSON_AddStringToObject(o, "message", e->message);
        cJSON_AddStringToObject(o, "text", sh_diag_format(e, text, sizeof text));
    }
    return a;
}

static int print_json(const placed *ix, size_t n, bool valid, size_t cues, double duration)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return sh_cli_fail("out of memory");
    cJSON_AddBoolToObject(o, "valid", valid);
    cJSON_AddNumberToObject(o, "cues", (double)cues);
    if (isnan(duration))
        cJSON_AddNullToObject(o, "audio_duration");
    else
        cJSON_AddNumberToObject(o, "audio_duration", round(duration * 1e6) / 1e6);
    cJSON_AddItemToObject(o, "warnings", diag_json(ix, n, SH_DIAG_WARNING));
    cJSON_AddItemToObject(o, "errors", diag_json(ix, n, SH_DIAG_ERROR));
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        return sh_cli_fail("out of memory");
    puts(s);
    free(s);
    return SH_EXIT_OK;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        SH_CLI_HELP_OPTION,
        {NULL, 0, NULL, 0},
    };
    bool json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = true; break;
        case 'h': fputs(usage, stdout); return SH_EXIT_OK;
        default: return sh_cli_getopt_error("check", c, argc, argv);
        }
    }
    if (argc - optind != 1)
        return sh_cli_usage_error("check", argc - optind == 0 ? "missing the LESSON file" : "expected one LESSON file");
    const char *path = argv[optind];

    sh_diag *diag = sh_diag_new();
    if (!diag)
        return sh_cli_fail("out of memory");
    /* An invalid cue file that is still JSON comes back too, so that the
     * audio is checked in the same run: one pass fixes everything. */
    sh_lesson *l = NULL;
    int rc = sh_lesson_load(path, SH_LESSON_KEEP_INVALID_, &l, diag);
    double duration = NAN;
    size_t cues = 0, hidden_err = 0, hidden_warn = 0;
    if (l) {
        cues = sh_lesson_cue_count(l);
        hidden_err = (size_t)l->m.hidden_errors;
        hidden_warn = (size_t)l->m.hidden_warnings;
        if (sh_lesson_audio_path(l)[0])
            duration = check_audio(l, diag, &hidden_err);
    }
    /* Totals, including problems over the list's cap (see the note). */
    size_t nerr = sh_diag_count(diag, SH_DIAG_ERROR) + hidden_err;
    size_t nwarn = sh_diag_count(diag, SH_DIAG_WARNING) + hidden_warn;
    bool valid = rc == SH_OK && nerr == 0;
    int status = valid ? SH_EXIT_OK : SH_EXIT_BAD_INPUT;
    size_t n;
    placed *ix = sorted(diag, &n);
    if (!ix) {
        status = sh_cli_fail("out of memory");
    } else if (json) {
        if (print_json(ix, n, valid, cues, duration) != SH_EXIT_OK)
            status = SH_EXIT_BAD_INPUT;
    } else {
        char line[2048];
        for (size_t k = 0; k < n; k++)
            fprintf(stderr, "%s\n", sh_diag_format(ix[k].e, line, sizeof line));
        if (sh_diag_count(diag, -1) > n) /* entries lost to out of memory */
            fprintf(stderr, "shadowing: error: %zu more problems could not be reported (out of memory)\n",
                    sh_diag_count(diag, -1) - n);
        char t[32];
        if (valid)
            printf("%s: OK: %zu cue%s, %s of audio, %zu warning%s\n", path, cues, cues == 1 ? "" : "s",
                   short_time(duration, t, sizeof t), nwarn, nwarn == 1 ? "" : "s");
        else
            printf("%s: INVALID: %zu error%s, %zu warning%s\n", path, nerr, nerr == 1 ? "" : "s", nwarn,
                   nwarn == 1 ? "" : "s");
    }
    free(ix);
    sh_lesson_free(l);
    sh_diag_free(diag);
    return status;
}

const sh_command sh_cmd_check = {
    .name = "check",
    .summary = "validate a lesson file against its audio",
    .usage = usage,
    .run = run,
};
