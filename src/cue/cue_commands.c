/* The bodies of the `shadowing cue` subcommands (options: cmd_cue.c):
 * input, the edits of edit.c, output and the reports. Every command that
 * writes checks where first, and says it worked only once it has. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/util.h"
#include "cue/cmd_cue_int.h"
#include "cue/cue_words.h"
#include "shadowing/align.h"
#include "shadowing/cueedit.h"
#include "shadowing/cuefmt.h"
#include "shadowing/decode.h"
#include "shadowing/lesson.h"

#define ALIGN_RATE 16000

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

/* A scanned file without samples (a WAV header alone): said once, with
 * what to do (`hint`), instead of an error about every cue. */
static bool no_samples(const sh_scan_result *scan, const char *audio, const char *hint)
{
    if (scan->envelope_len > 0 && scan->duration_s > 0)
        return false;
    sh_cli_fail("%s: the audio has no samples (0 s): it is only a header; export or download the broadcast again, "
                "or %s", audio, hint);
    return true;
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

/* Where a command will write, checked before any work, so that it fails
 * at once, not after an import or an alignment (and never says "imported"
 * before the file is written): not a folder, in a folder that exists and
 * can be written. */
static bool output_unusable(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        sh_cli_fail("%s is a folder: give the lesson's file name, such as %s/lesson.json", path, path);
        return true;
    }
    char *dir = sh_path_dirname(path);
    bool bad = true;
    if (!dir)
        sh_cli_fail("out of memory");
    else if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        sh_cli_fail("%s: the folder %s does not exist: create it first (mkdir -p %s) or write elsewhere", path,
                    dir, dir);
    else if (access(dir, W_OK | X_OK) != 0)
        sh_cli_fail("%s: cannot write in the folder %s (%s): choose another place with -o", path, dir,
                    strerror(errno));
    else
        bad = false;
    free(dir);
    return bad;
}

/* The output of an edit in place (-o or the lesson itself), checked before
 * the work. */
static const char *edit_output(const sh_cue_opts *o)
{
    return o->output ? o->output : o->args[0];
}

/* init and import make a new lesson: never over an existing file (an
 * aligned lesson is an hour of work) unless --force. */
static bool refuse_overwrite(const sh_cue_opts *o)
{
    struct stat st;
    if (!o->output)
        return false;
    if (output_unusable(o->output))
        return true;
    if (!o->force && stat(o->output, &st) == 0) {
        sh_cli_fail("%s already exists; use --force to replace it", o->output);
        return true;
    }
    return false;
}

/* The lesson and its errors from doc_to_lesson, printed; SH_OK or not. */
static int fill_lesson(const sh_cue_doc *doc, sh_lesson *l, const char *path)
{
    sh_diag *d = sh_diag_new();
    int rc = d ? sh_cue_doc_to_lesson(doc, l, path, d) : SH_ERR_NOMEM;
    if (!d)
        sh_cli_fail("out of memory");
    print_diag(d, SH_DIAG_ERROR);
    sh_diag_free(d);
    return rc;
}

/* ---- init ---- */

int sh_cue_cmd_init(const sh_cue_opts *o)
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
    sh_diag_set_limit(d, SH_DIAG_MAX_SHOWN); /* as `check` shows a file's problems */
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
    if (fill_lesson(&doc, l, path) != SH_OK)
        goto done;
    ret = save_or_print(l, o->output);
    if (ret != SH_EXIT_OK)
        goto done;
    /* the report only once the lesson is written */
    size_t with_tr = 0;
    for (size_t i = 0; i < doc.n_cues; i++)
        with_tr += doc.cues[i].translation != NULL;
    char shown[256]; /* the title as read from the page: control characters escaped */
    sh_diag_escape(doc.title, shown, sizeof shown, 0);
    fprintf(stderr,
            "%s: kept %zu paragraphs (%zu with a translation), %zu vocabulary entries%s%s%s; "
            "dropped %zu lines%s\n",
            path, doc.n_cues, with_tr, doc.n_vocab, doc.title ? ", title \"" : "", shown,
            doc.title ? "\"" : "", doc.dropped_lines, o->verbose || !doc.dropped_lines ? "" : " (-v lists them)");
    if (o->output)
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

int sh_cue_cmd_align(const sh_cue_opts *o)
{
    if (o->nargs != 1)
        return sh_cli_usage_error("cue", "align: expected one LESSON");
    const char *path = o->args[0];
    sh_lesson *l = NULL;
    if (output_unusable(edit_output(o)) || load_lesson(path, &l) != SH_OK)
        return SH_EXIT_BAD_INPUT;
    int ret = SH_EXIT_BAD_INPUT;
    sh_scan_result scan;
    memset(&scan, 0, sizeof scan);
    size_t n = sh_lesson_cue_count(l);
    sh_align_cue *res = calloc(n, sizeof *res);
    if (!res) {
        sh_cli_fail("out of memory");
        goto done;
    }
    double t0 = sh_clock_now();
    if (scan_audio(sh_lesson_audio_path(l), &scan) != SH_OK)
        goto done;
    double t1 = sh_clock_now();
    /* The word timer splits paragraphs at the pause aligner's pauses. */
    sh_envelope_config ec = sh_envelope_config_init(scan.rate);
    sh_align_config ac = sh_align_config_init(&ec);
    sh_align_levels lv;
    memset(&lv, 0, sizeof lv);
    if (o->words || o->words_only)
        sh_align_measure(scan.envelope, scan.envelope_len, 0, 0, &lv);
    sh_cue_env ce = {scan.envelope, scan.envelope_len, &ac, &lv};
    if (o->words_only) { /* the cue times stay; only the words are timed */
        for (size_t i = 0; i < n; i++) {
            const sh_cue *c = sh_lesson_cue(l, i);
            if (isnan(c->begin) || isnan(c->end)) {
                sh_cli_fail("%s: cue \"%s\" (#%zu) has no begin/end: run 'shadowing cue align %s' (without "
                            "--words-only) first", path, c->id, i + 1, path);
                goto done;
            }
        }
        if (sh_cue_align_words_(l, NULL, ac.doubtful_below, scan.duration_s, &ce, o->quiet) != SH_EXIT_OK)
            goto done;
        ret = save_or_print(l, edit_output(o));
        goto done;
    }
    sh_align_stats st;
    sh_error err = {0};
    if (sh_cue_align_lesson(l, scan.envelope, scan.envelope_len, scan.rate, scan.duration_s,
                            sh_lesson_audio_path(l), res, &st, &err) != SH_OK) {
        sh_cli_fail("%s", err.message);
        goto done;
    }
    double t2 = sh_clock_now();
    size_t doubtful = 0;
    char b1[32], b2[32];
    for (size_t i = 0; i < n; i++) {
        doubtful += res[i].doubtful;
        if (!o->quiet || res[i].doubtful)
            printf("%-8s %10s  %10s  confidence %.2f %.2f%s\n", sh_lesson_cue(l, i)->id,
                   time_str(res[i].begin, b1, sizeof b1), time_str(res[i].end, b2, sizeof b2),
                   res[i].begin_confidence, res[i].end_confidence, res[i].doubtful ? "  doubtful: check by ear" : "");
    }
    if (!o->quiet)
        printf("aligned %zu cues in %.1f s of audio (%zu pauses, %.1f s of sound before the first cue, "
               "%.1f s after the last); %zu doubtful; decoding %.2f s, alignment %.3f s\n",
               n, scan.duration_s, st.pauses, st.intro_s, st.outro_s, doubtful, t1 - t0, t2 - t1);
    if (o->words &&
        sh_cue_align_words_(l, res, ac.doubtful_below, scan.duration_s, &ce, o->quiet) != SH_EXIT_OK)
        goto done;
    ret = save_or_print(l, edit_output(o));
    if (ret == SH_EXIT_OK && doubtful)
        fprintf(stderr, "shadowing: warning: %zu cue%s with a doubtful boundary: listen to %s and fix with "
                "'shadowing cue shift' or by hand\n", doubtful, doubtful == 1 ? "" : "s",
                doubtful == 1 ? "it" : "them");
done:
    sh_scan_result_free(&scan);
    free(res);
    sh_lesson_free(l);
    return ret;
}

/* ---- import ---- */

int sh_cue_cmd_import(const sh_cue_opts *o)
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
    sh_diag_set_limit(d, SH_DIAG_MAX_SHOWN); /* as `check` shows a file's problems */
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
    if (no_samples(&scan, o->audio, "give the right file with --audio"))
        goto done;
    if (sh_cue_doc_fit_audio(&doc, f == SH_CUEFMT_LRC, scan.envelope, scan.envelope_len, scan.rate,
                             scan.duration_s, path, o->audio, d)) {
        print_diag(d, SH_DIAG_ERROR); /* the parse's warnings are printed above: its errors only */
        goto done;
    }
    audio = audio_for_lesson(o->output, o->audio);
    title = o->title ? strdup(o->title) : doc.title ? strdup(doc.title) : default_title(path);
    if (!audio || !title || !(l = sh_lesson_new(o->output ? o->output : "lesson.json", title, audio))) {
        sh_cli_fail("out of memory");
        goto done;
    }
    if (doc.language)
        sh_lesson_set_string(l, "language", strncmp(doc.language, "eng", 3) == 0 ? "en" : doc.language);
    if (fill_lesson(&doc, l, path) != SH_OK)
        goto done;
    ret = save_or_print(l, o->output);
    if (ret == SH_EXIT_OK)
        fprintf(stderr, "%s: imported %zu cues (%s)%s%s\n", path, doc.n_cues, sh_cue_format_name(f),
                o->output ? " into " : "", o->output ? o->output : "");
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

int sh_cue_cmd_export(const sh_cue_opts *o)
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
    if ((o->output && output_unusable(o->output)) || load_lesson(path, &l) != SH_OK)
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

int sh_cue_cmd_shift(const sh_cue_opts *o)
{
    if (o->nargs != 1)
        return sh_cli_usage_error("cue", "shift: expected one LESSON");
    if (!o->have_by)
        return sh_cli_usage_error("cue", "shift: --by SECONDS is required");
    const char *path = o->args[0];
    sh_lesson *l = NULL;
    if (output_unusable(edit_output(o)) || load_lesson(path, &l) != SH_OK)
        return SH_EXIT_BAD_INPUT;
    int ret = SH_EXIT_BAD_INPUT;
    size_t first = 0, moved = 0;
    if (o->from) {
        const sh_cue *c = sh_lesson_find_cue(l, o->from);
        if (!c) {
            sh_cli_fail("%s: no cue '%s' (give an id such as p3 or a 1-based index)", path, o->from);
            goto done;
        }
        first = cue_pos(c);
    }
    sh_error err = {0};
    if (sh_cue_shift(l, first, o->by, &moved, &err) != SH_OK) {
        sh_cli_fail("%s", err.message);
        goto done;
    }
    ret = save_or_print(l, edit_output(o));
    if (ret == SH_EXIT_OK)
        fprintf(stderr, "moved %zu cue%s by %+.3f s\n", moved, moved == 1 ? "" : "s", o->by);
done:
    sh_lesson_free(l);
    return ret;
}

/* ---- merge ---- */

int sh_cue_cmd_merge(const sh_cue_opts *o)
{
    if (o->nargs != 3)
        return sh_cli_usage_error("cue", "merge: expected LESSON ID ID");
    const char *path = o->args[0];
    sh_lesson *l = NULL;
    if (output_unusable(edit_output(o)) || load_lesson(path, &l) != SH_OK)
        return SH_EXIT_BAD_INPUT;
    int ret = SH_EXIT_BAD_INPUT;
    char kept[128], gone[128];
    sh_error err = {0};
    if (sh_cue_merge(l, o->args[1], o->args[2], kept, gone, sizeof kept, &err) != SH_OK)
        sh_cli_fail("%s", err.message);
    else if ((ret = save_or_print(l, edit_output(o))) == SH_EXIT_OK)
        fprintf(stderr, "merged %s into %s\n", gone, kept);
    sh_lesson_free(l);
    return ret;
}

/* ---- split ---- */

int sh_cue_cmd_split(const sh_cue_opts *o)
{
    if (o->nargs != 1)
        return sh_cli_usage_error("cue", "split: expected one LESSON");
    if (!o->cue)
        return sh_cli_usage_error("cue", "split: --cue ID is required");
    if (!o->sentences)
        return sh_cli_usage_error("cue", "split: say how to split: --sentences");
    const char *path = o->args[0];
    sh_lesson *l = NULL;
    if (output_unusable(edit_output(o)) || load_lesson(path, &l) != SH_OK)
        return SH_EXIT_BAD_INPUT;
    int ret = SH_EXIT_BAD_INPUT;
    char **sent = NULL, **trs = NULL, *base_id = NULL, *tr_all = NULL;
    size_t ns = 0;
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
    if (scan_audio(sh_lesson_audio_path(l), &scan) != SH_OK ||
        no_samples(&scan, sh_lesson_audio_path(l), "check that \"audio\" in the lesson names the right file"))
        goto done;
    res = calloc(ns, sizeof *res);
    int rc = res ? sh_cue_time_sentences(scan.envelope, scan.envelope_len, scan.rate, cb, ce, sent, ns, res)
                 : SH_ERR_NOMEM;
    if (rc == SH_ERR_NOMEM) {
        sh_cli_fail("out of memory");
        goto done;
    } else if (rc != SH_OK) {
        sh_cli_fail("%s: cue %s has no pauses between its %zu sentences in the audio; split it by hand", path,
                    base_id, ns);
        goto done;
    }
    trs = tr_all ? sh_cue_split_translation(tr_all, ns) : NULL;
    if (tr_all && !trs)
        fprintf(stderr, "shadowing: warning: the translation of %s does not split into %zu sentences; it stays "
                "with the first\n", base_id, ns);
    double *bs = calloc(ns, sizeof *bs), *es = calloc(ns, sizeof *es);
    sh_error err = {0};
    if (bs && es)
        for (size_t i = 0; i < ns; i++)
            bs[i] = res[i].begin, es[i] = res[i].end;
    rc = bs && es ? sh_cue_split_apply(l, at, sent, trs, tr_all, bs, es, ns, &err) : SH_ERR_NOMEM;
    free(bs);
    free(es);
    if (rc != SH_OK) {
        sh_cli_fail("%s", rc == SH_ERR_NOMEM && !err.message[0] ? "out of memory" : err.message);
        goto done;
    }
    for (size_t i = 0; i < ns; i++)
        printf("%-10s %8.3f %8.3f  confidence %.2f%s  %s\n", sh_lesson_cue(l, at + i)->id, res[i].begin,
               res[i].end, res[i].end_confidence, res[i].doubtful ? " doubtful" : "", sent[i]);
    ret = save_or_print(l, edit_output(o));
    if (ret == SH_EXIT_OK)
        fprintf(stderr, "split %s into %zu cues\n", base_id, ns);
done:
    for (size_t i = 0; i < ns; i++) {
        free(sent[i]);
        if (trs)
            free(trs[i]);
    }
    free(sent);
    free(trs);
    free(res);
    free(base_id);
    free(tr_all);
    sh_scan_result_free(&scan);
    sh_lesson_free(l);
    return ret;
}

