/* `shadowing score`: score a take against a lesson cue or a reference file,
 * or a folder of takes against a lesson (a teacher scoring a class). */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/cli.h"
#include "core/util.h"
#include "shadowing/decode.h"
#include "shadowing/lesson.h"
#include "shadowing/score.h"

#define RATE 16000
/* A take is one paragraph; anything longer is a wrong file. */
#define MAX_TAKE_S 600.0

extern const sh_command sh_cmd_score;

enum { OUT_TEXT, OUT_JSON, OUT_CSV };

typedef struct opts {
    const char *cue, *ref, *dir, *plot;
    int format;
} opts;

static bool utf8_terminal(void)
{
    setlocale(LC_CTYPE, "");
    const char *cs = nl_langinfo(CODESET);
    return cs && strcmp(cs, "UTF-8") == 0;
}

static void print_text(const sh_score_result *r, const char *label)
{
    printf("%s: %d/100 %s\n", label, r->total, r->verdict);
    if (r->ref.speech && r->take.speech) {
        printf("  duration     %3d  %.2fx the speaker's time (span %.1f s vs %.1f s, speech %.1f s vs %.1f s); "
               "pace %.2fx, %.1f vs %.1f syllables/s\n", r->sub[SH_SUB_DURATION], r->duration_ratio, r->take.span_s,
               r->ref.span_s, r->take.voiced_s, r->ref.voiced_s, r->tempo_ratio, r->take.syllable_rate,
               r->ref.syllable_rate);
        printf("  energy       %3d  contour cost %.3f, %.2f of chance level\n", r->sub[SH_SUB_ENERGY], r->dtw_cost,
               r->energy_ratio);
        printf("  completeness %3d  %.0f%% of the reference's speech matched, %.0f%% of the paragraph reached\n",
               r->sub[SH_SUB_COMPLETENESS], 100.0 * r->completeness, 100.0 * r->coverage);
        printf("  pauses       %3d  %d of %d reference pauses matched, %d extra, %d hesitation%s\n",
               r->sub[SH_SUB_PAUSES], r->pauses_matched, r->pauses_matched + r->pauses_missed, r->pauses_extra,
               r->hesitations, r->hesitations == 1 ? "" : "s");
        printf("  level        %3d  speech at %.0f dBFS, %.0f dB above the room, clipped %d time%s\n",
               r->sub[SH_SUB_LEVEL], r->take.speech_db, r->take.snr_db, r->take.clipped,
               r->take.clipped == 1 ? "" : "s");
        const sh_score_intonation_result *it = &r->intonation;
        if (it->measured)
            printf("  intonation   %3d  pitch contours correlate %.2f; range %.0f vs %.0f semitones (not in the total)\n",
                   it->score, it->correlation, it->take_range_st, it->ref_range_st);
        else
            printf("  intonation     -  not enough voiced speech to compare\n");
        bool u = utf8_terminal();
        char line[3 * 60 + 1];
        sh_score_sparkline(r->ref_env, r->ref_frames, 60, u, line, sizeof line);
        printf("  reference    %s\n", line);
        sh_score_sparkline(r->take_env, r->take_frames, 60, u, line, sizeof line);
        printf("  take         %s\n", line);
    }
    for (int i = 0; i < r->n_feedback; i++)
        printf("- %s\n", r->feedback[i]);
}

static int write_plot(const sh_score_result *r, const char *path, const char *title)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return sh_cli_fail("%s: cannot write the plot: %s", path, strerror(errno));
    int rc = sh_score_svg(r, title, f);
    if (fclose(f) != 0 || rc != SH_OK)
        return sh_cli_fail("%s: writing the plot failed: check the disk", path);
    return SH_EXIT_OK;
}

/* Score one decoded reference against the take at `take_path` and print it.
 * `silent_ref` is the error for a reference without speech. */
static int score_one(const float *ref, size_t nref, const char *silent_ref, const char *take_path,
                     const char *cue_id, const char *label, const opts *o)
{
    sh_error err = {0};
    float *take = NULL;
    size_t ntake = 0;
    int rc = sh_decode_file(take_path, RATE, MAX_TAKE_S, &take, &ntake, &err);
    if (rc != SH_OK)
        return sh_cli_fail("%s", err.message);
    if (err.message[0]) /* truncated take: scored, with the decoder's warning */
        fprintf(stderr, "shadowing: warning: %s\n", err.message);
    sh_score_params p = sh_score_params_init();
    sh_score_result r;
    rc = sh_score_compute(&p, ref, nref, take, ntake, RATE, &r);
    free(take);
    if (rc != SH_OK)
        return sh_cli_fail("%s: scoring failed: %s", take_path, sh_strerror(rc));
    if (!r.ref.speech) {
        /* Not the learner's fault: the cue (or file) is silent. */
        sh_score_result_free(&r);
        return sh_cli_fail("%s", silent_ref);
    }
    int status = SH_EXIT_OK;
    if (o->format == OUT_JSON) {
        char *j = sh_score_to_json(&r, cue_id, o->dir ? take_path : NULL);
        if (j)
            puts(j);
        free(j);
    } else if (o->format == OUT_CSV) {
        char *c = sh_score_to_csv(&r, cue_id, take_path);
        if (c)
            puts(c);
        free(c);
    } else {
        print_text(&r, label);
    }
    if (o->plot)
        status = write_plot(&r, o->plot, label);
    sh_score_result_free(&r);
    return status;
}

static char *silent_cue_message(const sh_lesson *l, const sh_cue *cue)
{
    return sh_asprintf("%s: cue %s (%.3f-%.3f s) has no speech in %s: check its begin and end times",
                       sh_lesson_path(l), cue->id, cue->begin, cue->end, sh_lesson_audio_path(l));
}

static int load_lesson(const char *path, sh_lesson **out)
{
    sh_diag *diag = sh_diag_new();
    int rc = sh_lesson_load(path, 0, out, diag);
    if (rc != SH_OK) {
        sh_diag_print(diag, stderr, SH_DIAG_ERROR);
        if (sh_diag_count(diag, -1) == 0)
            fprintf(stderr, "shadowing: %s: %s\n", path, sh_strerror(rc));
        sh_diag_free(diag);
        return SH_EXIT_BAD_INPUT;
    }
    sh_diag_free(diag);
    return SH_EXIT_OK;
}

/* The cue's span [begin, end) of the lesson audio at 16 kHz. Only the span:
 * the learner hears lead-in and tail padding too, but the speech to repeat
 * is the cue, and the scorer trims its silence. */
static int read_cue(sh_decoder *dec, const sh_lesson *l, const sh_cue *cue, float **ref, size_t *nref)
{
    sh_error err = {0};
    if (!(cue->end > cue->begin))
        return sh_cli_fail("%s: cue %s has no times: align the lesson first ('shadowing help')",
                           sh_lesson_path(l), cue->id);
    /* As `check` would: a cue past the end of the audio is the lesson's
     * fault, said at its "end" (not "no speech" later). */
    if (sh_lesson_require_cues_in_audio(l, (size_t)cue->index - 1, (size_t)cue->index, dec) != 0)
        return SH_EXIT_BAD_INPUT;
    int rc = sh_decoder_read_segment(dec, cue->begin, cue->end, ref, nref, &err);
    if (rc != SH_OK)
        return sh_cli_fail("%s", err.message);
    if (*nref == 0) {
        free(*ref);
        *ref = NULL;
        return sh_cli_fail("%s: cue %s (%.3f-%.3f s) lies past the end of %s: run 'shadowing check %s'",
                           sh_lesson_path(l), cue->id, cue->begin, cue->end, sh_lesson_audio_path(l),
                           sh_lesson_path(l));
    }
    return SH_EXIT_OK;
}

static int open_audio(const sh_lesson *l, sh_decoder **dec)
{
    sh_error err = {0};
    sh_decoder_config dc = sh_decoder_config_init(RATE);
    if (sh_gst_init(&err) != SH_OK || sh_decoder_open(sh_lesson_audio_path(l), &dc, dec, &err) != SH_OK)
        return sh_cli_fail("%s", err.message);
    return SH_EXIT_OK;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every take in o->dir, named by cue id or index ("p3.ogg", "3.wav"). */
static int score_dir(const sh_lesson *l, sh_decoder *dec, const opts *o)
{
    struct dirent **names = NULL;
    int n = scandir(o->dir, &names, NULL, name_cmp);
    if (n < 0)
        return sh_cli_fail("%s: cannot read the folder: %s", o->dir, strerror(errno));
    int status = SH_EXIT_OK, scored = 0;
    const sh_cue *ref_cue = NULL;
    float *ref = NULL;
    size_t nref = 0;
    if (o->format == OUT_CSV)
        puts(sh_score_csv_header());
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char *path = NULL, *stem = NULL;
        struct stat st;
        if (name[0] == '.')
            goto next;
        path = sh_asprintf("%s/%s", o->dir, name);
        stem = strdup(name);
        /* Folders are skipped; anything else named like a take (a FIFO,
         * a dangling link) goes to the decoder, which names the problem. */
        if (!path || !stem || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
            goto next;
        char *dot = strchr(stem, '.');
        if (dot)
            *dot = '\0';
        const sh_cue *cue = sh_lesson_find_cue(l, stem);
        if (!cue) {
            fprintf(stderr, "shadowing: warning: %s: no cue '%s' in %s, skipped (name takes by cue id or index)\n",
                    path, stem, sh_lesson_path(l));
            goto next;
        }
        /* Names are sorted, so the takes of one cue (p3.ogg, p3.anna.ogg)
         * come together: decode each cue's reference once. */
        int rc = SH_EXIT_OK;
        if (cue != ref_cue) {
            free(ref);
            ref = NULL;
            ref_cue = NULL;
            rc = read_cue(dec, l, cue, &ref, &nref);
            if (rc == SH_EXIT_OK)
                ref_cue = cue;
        }
        if (rc == SH_EXIT_OK) {
            char *label = sh_asprintf("%s (%s)", cue->id, name);
            char *what = silent_cue_message(l, cue);
            rc = score_one(ref, nref, what ? what : cue->id, path, cue->id, label ? label : cue->id, o);
            free(label);
            free(what);
        }
        if (rc != SH_EXIT_OK)
            status = SH_EXIT_BAD_INPUT;
        else
            scored++;
    next:
        free(path);
        free(stem);
        free(names[i]);
    }
    free(names);
    free(ref);
    if (scored == 0 && status == SH_EXIT_OK)
        return sh_cli_fail("%s: no takes named by a cue id or index (e.g. p3.ogg or 3.wav)", o->dir);
    return status;
}

static int cmd_score(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"cue", required_argument, NULL, 'c'},  {"ref", required_argument, NULL, 'r'},
        {"dir", required_argument, NULL, 'd'},  {"plot", required_argument, NULL, 'p'},
        {"json", no_argument, NULL, 'j'},       {"csv", no_argument, NULL, 'C'},
        SH_CLI_HELP_OPTION,                     {NULL, 0, NULL, 0},
    };
    opts o = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hc:r:d:p:jC", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            sh_cli_print_usage(&sh_cmd_score, stdout);
            return SH_EXIT_OK;
        case 'c': o.cue = optarg; break;
        case 'r': o.ref = optarg; break;
        case 'd': o.dir = optarg; break;
        case 'p': o.plot = optarg; break;
        case 'j': o.format = OUT_JSON; break;
        case 'C': o.format = OUT_CSV; break;
        default:
            return sh_cli_getopt_error("score", c, argc, argv);
        }
    }
    int nargs = argc - optind;
    char **args = argv + optind;
    if (o.format == OUT_CSV && !o.dir)
        return sh_cli_usage_error("score", "--csv goes with --dir");
    if (o.dir && o.plot)
        return sh_cli_usage_error("score", "--plot scores one take: use it with --cue or --ref");
    if (o.dir && o.cue)
        return sh_cli_usage_error("score", "--dir finds each take's cue from its name: drop --cue");

    if (o.ref) {
        if (o.cue || o.dir || nargs != 1)
            return sh_cli_usage_error("score", "--ref REF takes exactly one TAKE and no lesson");
        sh_error err = {0};
        float *ref = NULL;
        size_t nref = 0;
        if (sh_gst_init(&err) != SH_OK || sh_decode_file(o.ref, RATE, MAX_TAKE_S, &ref, &nref, &err) != SH_OK)
            return sh_cli_fail("%s", err.message);
        char *what = sh_asprintf("%s: no speech in this reference: give a recording of the paragraph", o.ref);
        int rc = score_one(ref, nref, what ? what : o.ref, args[0], NULL, args[0], &o);
        free(what);
        free(ref);
        return rc;
    }
    if (nargs < 1)
        return sh_cli_usage_error("score", "expected a LESSON (or --ref REF) and a TAKE");
    if (o.dir ? nargs != 1 : (!o.cue || nargs != 2))
        return sh_cli_usage_error("score", o.dir ? "--dir DIR takes only the LESSON"
                                                 : "expected LESSON --cue ID|N TAKE");
    sh_lesson *l = NULL;
    if (load_lesson(args[0], &l) != SH_EXIT_OK)
        return SH_EXIT_BAD_INPUT;
    sh_decoder *dec = NULL;
    int status = open_audio(l, &dec);
    if (status != SH_EXIT_OK)
        goto out;
    if (o.dir) {
        status = score_dir(l, dec, &o);
        goto out;
    }
    const sh_cue *cue = sh_lesson_find_cue(l, o.cue);
    if (!cue) {
        status = sh_cli_fail("%s: no cue '%s' (the lesson has %zu cues, p1..p%zu or 1..%zu)", args[0], o.cue,
                             sh_lesson_cue_count(l), sh_lesson_cue_count(l), sh_lesson_cue_count(l));
        goto out;
    }
    float *ref = NULL;
    size_t nref = 0;
    status = read_cue(dec, l, cue, &ref, &nref);
    if (status == SH_EXIT_OK) {
        char *what = silent_cue_message(l, cue);
        status = score_one(ref, nref, what ? what : cue->id, args[1], cue->id, cue->id, &o);
        free(what);
    }
    free(ref);
out:
    if (dec)
        sh_decoder_close(dec);
    sh_lesson_free(l);
    return status;
}

const sh_command sh_cmd_score = {
    .name = "score",
    .summary = "score a repeat against a paragraph (energy and duration)",
    .usage =
        "Usage: shadowing score LESSON --cue ID|N TAKE [--json] [--plot FILE.svg]\n"
        "       shadowing score --ref REF TAKE [--json] [--plot FILE.svg]\n"
        "       shadowing score LESSON --dir TAKES/ [--csv | --json]\n"
        "\n"
        "Compare a learner's recording (TAKE, any format the decoder reads) with the\n"
        "speaker's paragraph by energy and duration, on speech-band energy, pitch\n"
        "and syllables (any voice, any microphone): a total 0-100, five sub-scores\n"
        "(duration, energy, completeness, pauses, level), intonation and what to fix.\n"
        "\n"
        "  --cue ID|N      the lesson paragraph: its id (p3) or 1-based index (3)\n"
        "  --ref REF       compare with the audio file REF instead of a lesson cue\n"
        "  --dir DIR       score every take in DIR, named by cue id or index\n"
        "                  (p3.ogg, 3.wav); a teacher scoring a class\n"
        "  --json          print one JSON object per take\n"
        "  --csv           with --dir: print a CSV table with a header line\n"
        "  --plot FILE.svg draw both energy envelopes, the alignment, the pauses and\n"
        "                  both pitch contours\n"
        "  -h, --help      show this help\n"
        "\n"
        "The reference is the cue's span of the lesson audio (lead-in and tail\n"
        "padding are not scored). Method and defaults: doc/scoring.md.\n"
        "Exit status: 0 scored, 1 bad input (a file is missing or unreadable),\n"
        "2 usage error.\n",
    .run = cmd_score,
};
