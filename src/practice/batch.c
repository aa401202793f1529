/* The headless session: `shadowing practice LESSON --batch --takes DIR`.
 *
 * Runs the lesson paragraph by paragraph as the screen would, with takes
 * read from DIR (named by cue id or 1-based index, any format the decoder
 * reads) in place of the microphone: plays the reference into a file or
 * nowhere, scores the take with the same scorer and parameters as
 * `shadowing score` (16 kHz analysis), prints one JSON object per paragraph
 * on its own line and stores each attempt in the history (mode "batch").
 * Teachers score a class this way; tests drive the whole loop with it. */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cli.h"
#include "core/util.h"
#include "practice.h"
#include "shadowing/audio.h"
#include "shadowing/decode.h"

#define SCORE_RATE 16000
#define MAX_TAKE_S 600.0

/* One line of JSON for a paragraph that has no score:
 * {"cue":ID,"index":N,"score":null,"error":MESSAGE}. */
static void print_unscored(FILE *out, const sh_cue *q, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    char *text = NULL;
    if (o && cJSON_AddStringToObject(o, "cue", q->id) && cJSON_AddNumberToObject(o, "index", q->index) &&
        cJSON_AddNullToObject(o, "score") && cJSON_AddStringToObject(o, "error", message))
        text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (text)
        fprintf(out, "%s\n", text);
    else
        fprintf(stderr, "shadowing: out of memory writing the result of %s\n", q->id);
    cJSON_free(text);
    fflush(out);
}

/* Play [begin - lead, end + tail] of the lesson's audio and wait for it. */
static int play_reference(sh_audio *a, sh_decoder *dec, const sh_lesson *l, const sh_cue *q, int speed_pct,
                          sh_error *err)
{
    const sh_playback_defaults *pd = sh_lesson_defaults(l);
    float *x = NULL;
    size_t n = 0;
    int rc = sh_decoder_read_segment(dec, q->begin - pd->lead_s, q->end + pd->tail_s, &x, &n, err);
    if (rc)
        return rc;
    if (n == 0) {
        free(x);
        return SH_OK;
    }
    sh_play_params pp = sh_play_params_init();
    pp.speed = speed_pct / 100.0;
    rc = sh_audio_play(a, x, n, &pp, err);
    free(x);
    if (rc)
        return rc;
    for (;;) {
        sh_play_status st;
        sh_audio_play_status(a, &st);
        if (!st.active)
            break;
        if ((rc = sh_audio_error(a, err)))
            return rc;
        nanosleep(&(struct timespec){0, 2 * 1000 * 1000}, NULL);
    }
    return sh_audio_error(a, err);
}

/* What happened to the history, once (on stderr); when it is off, its
 * failures to store need not be said again. */
static void tell_note(sh_practice_ctx *c, bool *history_warned)
{
    if (c->note[0])
        fprintf(stderr, "shadowing: %s\n", c->note);
    c->note[0] = 0;
    if (c->history_off)
        *history_warned = true;
}

int sh_practice_batch(const sh_practice_opts *o, FILE *out)
{
    sh_practice_ctx c;
    sh_error err = {0};
    sh_decoder *dec = NULL, *play_dec = NULL;
    sh_audio *audio = NULL;
    int status = SH_EXIT_BAD_INPUT;
    if (sh_practice_ctx_open(&c, o->lesson, o->history_path, o->no_history ? SH_CTX_HISTORY_NONE
                                                                           : SH_CTX_HISTORY_WRITE, &err))
        return sh_cli_fail("%s", err.message);
    /* The history never costs the scores: a damaged one was replaced, an
     * unusable one is off; either is said once, here or when it happens. */
    bool history_warned = false;
    tell_note(&c, &history_warned);

    size_t first = 0, last = c.ncues; /* [first, last) */
    if (o->cue || o->from) {
        const sh_cue *q = sh_lesson_find_cue(c.lesson, o->cue ? o->cue : o->from);
        if (!q) {
            fprintf(stderr, "shadowing: %s: no paragraph '%s' (give an id such as p3 or a number 1-%zu)\n",
                    o->lesson, o->cue ? o->cue : o->from, c.ncues);
            goto done;
        }
        first = (size_t)q->index - 1;
        if (o->cue)
            last = first + 1;
    }

    sh_decoder_config dc = sh_decoder_config_init(SCORE_RATE);
    if (sh_gst_init(&err) || sh_decoder_open(sh_lesson_audio_path(c.lesson), &dc, &dec, &err)) {
        fprintf(stderr, "shadowing: %s\n", err.message);
        goto done;
    }
    /* Cues past the end of the audio, as `check` reports them (located, on
     * stderr); each gets an error line below and the others are scored. */
    double audio_end = 0;
    {
        sh_diag *diag = sh_diag_new();
        int bad = sh_lesson_check_cues_in_audio(c.lesson, first, last, dec, SH_DIAG_ERROR, diag, &audio_end, &err);
        if (bad > 0)
            sh_diag_print(diag, stderr, SH_DIAG_WARNING);
        sh_diag_free(diag);
        if (bad < 0) {
            fprintf(stderr, "shadowing: %s\n", err.message);
            goto done;
        }
    }
    if (o->audio_given) {
        sh_audio_config ac = *(const sh_audio_config *)o->audio_cfg;
        ac.playback = true;
        ac.capture = false;
        if (sh_audio_open(&ac, &audio, &err)) {
            fprintf(stderr, "shadowing: %s\n", err.message);
            goto done;
        }
        sh_decoder_config pc = sh_decoder_config_init(sh_audio_rate(audio));
        if (sh_decoder_open(sh_lesson_audio_path(c.lesson), &pc, &play_dec, &err)) {
            fprintf(stderr, "shadowing: %s\n", err.message);
            goto done;
        }
    }

    size_t scored = 0, failed = 0, unstored = 0;
    for (size_t i = first; i < last; i++) {
        const sh_cue *q = sh_lesson_cue(c.lesson, i);
        if (q->end > audio_end + 0.0005) { /* reported above */
            char msg[160], t[32];
            snprintf(msg, sizeof msg, "the cue ends after the end of the audio (%s): fix the lesson",
                     sh_time_format(audio_end, t, sizeof t));
            failed++;
            if (o->human) {
                fprintf(out, "%3d/%zu %-6s  -- %s\n", q->index, c.ncues, q->id, msg);
                continue;
            }
            print_unscored(out, q, msg);
            continue;
        }
        sh_practice_ctx_save_position(&c, i, NULL);
        tell_note(&c, &history_warned);
        if (audio && play_reference(audio, play_dec, c.lesson, q, o->speed_pct, &err)) {
            fprintf(stderr, "shadowing: %s\n", err.message);
            failed++;
            break;
        }
        char *take = sh_practice_find_take(o->takes_dir, q);
        if (!take && o->human) {
            fprintf(out, "%3d/%zu %-6s  -- no take\n", q->index, c.ncues, q->id);
            continue;
        }
        if (!take) {
            print_unscored(out, q, "no take");
            continue;
        }
        char abs[PATH_MAX];
        const char *take_abs = realpath(take, abs) ? abs : take;
        float *ref = NULL, *tk = NULL;
        size_t nref = 0, ntk = 0;
        sh_practice_score s;
        memset(&s, 0, sizeof s);
        int rc = sh_decoder_read_segment(dec, q->begin, q->end, &ref, &nref, &err);
        if (!rc)
            rc = sh_decode_file(take, SCORE_RATE, MAX_TAKE_S, &tk, &ntk, &err);
        if (!rc)
            rc = sh_practice_score_compute(ref, nref, tk, ntk, SCORE_RATE, q->id, take_abs, &s, &err);
        if (!rc) {
            if (o->human)
                fprintf(out, "%3d/%zu %-6s %3d %-10s %s\n", q->index, c.ncues, q->id, s.total, s.verdict,
                        s.n_feedback ? s.feedback[0] : "");
            else
                fprintf(out, "%s\n", s.json);
            fflush(out);
            scored++;
            int src = sh_practice_ctx_store(&c, i, SH_MODE_REPEAT, "batch", 100, &s, take_abs, &err);
            tell_note(&c, &history_warned);
            if (src) {
                if (!history_warned)
                    fprintf(stderr, "shadowing: %s\n", err.message);
                history_warned = true;
                unstored++;
            }
        } else {
            fprintf(stderr, "shadowing: %s\n", err.message);
            print_unscored(out, q, err.message);
            failed++;
        }
        sh_practice_score_free(&s);
        free(ref);
        free(tk);
        free(take);
    }
    if (scored == 0 && failed == 0)
        fprintf(stderr, "shadowing: no takes found in %s (name them by cue id, e.g. p1.wav, or by number, "
                        "e.g. 1.wav)\n", o->takes_dir);
    if (o->human && scored && c.history)
        fprintf(out, "\nStored in %s: see 'shadowing history %s'\n", sh_history_path(c.history), o->lesson);
    /* Scores printed but not stored fail the run (1, said once on stderr):
     * the history is on unless --no-history, and a script must be able to
     * tell that the class's attempts are not in it. */
    status = (failed == 0 && unstored == 0 && scored > 0) ? SH_EXIT_OK : SH_EXIT_BAD_INPUT;
done:
    sh_audio_close(audio);
    sh_decoder_close(play_dec);
    sh_decoder_close(dec);
    sh_practice_ctx_close(&c);
    return status;
}
