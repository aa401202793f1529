/* `cue align --words`: time every word of every cue on the broadcast.
 *
 * Each paragraph's grammar (include/shadowing/words.h) runs over a window
 * around the cue the pause aligner chose: 0.4 s of margin on each side, 2 s
 * where the aligner was unsure of a boundary (confidence under its
 * doubtful_below). Where the words say the boundary is elsewhere (the last
 * word of one paragraph ends, or the first word of the next begins, more
 * than 0.15 s beyond the pause the aligner took), the text decides: the
 * boundary moves to the words. Word times are then clamped into their cue
 * and stored as the cue's "words". One decoder, one thread; the audio is
 * read cue by cue (sh_decoder_read_segment), so memory stays bounded.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cli.h"
#include "cue/cue_words.h"
#include "shadowing/decode.h"
#include "shadowing/words.h"

#define RATE 16000
#define MARGIN_S 0.4
#define DOUBT_MARGIN_S 2.0
#define MOVE_S 0.15

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct cue_words {
    sh_cue_word *w;
    size_t n, found;
} cue_words;

static double first_found(const cue_words *c, bool *ok)
{
    *ok = c->n && !isnan(c->w[0].begin);
    return *ok ? c->w[0].begin : NAN;
}

static double last_found(const cue_words *c, bool *ok)
{
    *ok = c->n && !isnan(c->w[c->n - 1].end);
    return *ok ? c->w[c->n - 1].end : NAN;
}

int sh_cue_align_words_(sh_lesson *l, const sh_align_cue *res, double doubtful_below, double duration_s,
                        bool quiet)
{
    sh_error err = {0};
    size_t n = sh_lesson_cue_count(l);
    int ret = SH_EXIT_BAD_INPUT;
    sh_decoder *dec = NULL;
    cue_words *cw = calloc(n ? n : 1, sizeof *cw);
    double *beg = calloc(n ? n : 1, sizeof *beg), *end = calloc(n ? n : 1, sizeof *end);
    sh_words_pron *prons = NULL;
    double t0 = now_s(), t_asr = 0;
    sh_words *w = sh_words_open(NULL, &err);
    if (!w) {
        if (err.code == SH_ERR_UNSUPPORTED) { /* said once; the paragraphs are still timed */
            fprintf(stderr, "shadowing: warning: %s\n", err.message);
            ret = SH_EXIT_OK;
        } else {
            sh_cli_fail("%s", err.message);
        }
        goto done;
    }
    if (!cw || !beg || !end) {
        sh_cli_fail("out of memory");
        goto done;
    }
    size_t np = sh_lesson_pron_count(l);
    if (np) {
        prons = calloc(np, sizeof *prons);
        if (!prons) {
            sh_cli_fail("out of memory");
            goto done;
        }
        for (size_t i = 0; i < np; i++)
            prons[i] = (sh_words_pron){sh_lesson_pron_at(l, i)->word, sh_lesson_pron_at(l, i)->phones};
        if (sh_words_set_prons(w, prons, np, &err) != SH_OK) {
            sh_cli_fail("%s: %s", sh_lesson_path(l), err.message);
            goto done;
        }
    }
    sh_decoder_config dc = sh_decoder_config_init(RATE);
    if (sh_decoder_open(sh_lesson_audio_path(l), &dc, &dec, &err) != SH_OK) {
        sh_cli_fail("%s", err.message);
        goto done;
    }
    size_t total = 0, found = 0;
    for (size_t i = 0; i < n; i++) {
        const sh_cue *c = sh_lesson_cue(l, i);
        beg[i] = c->begin;
        end[i] = c->end;
        double mb = res && res[i].begin_confidence < doubtful_below ? DOUBT_MARGIN_S : MARGIN_S;
        double me = res && res[i].end_confidence < doubtful_below ? DOUBT_MARGIN_S : MARGIN_S;
        double wb = c->begin - mb, we = c->end + me;
        if (wb < 0)
            wb = 0;
        if (we > duration_s)
            we = duration_s;
        float *x = NULL;
        size_t nx = 0;
        if (sh_decoder_read_segment(dec, wb, we, &x, &nx, &err) != SH_OK) {
            sh_cli_fail("%s", err.message);
            goto done;
        }
        double ta = now_s();
        sh_word_time *wt = NULL;
        size_t nw = 0;
        int rc = sh_words_align(w, c->text, x, nx, RATE, &wt, &nw, &err);
        t_asr += now_s() - ta;
        free(x);
        if (rc != SH_OK) {
            sh_cli_fail("%s: cue \"%s\" (#%zu): %s", sh_lesson_path(l), c->id, i + 1, err.message);
            goto done;
        }
        cw[i].w = calloc(nw ? nw : 1, sizeof *cw[i].w);
        if (!cw[i].w) {
            sh_cli_fail("out of memory");
            goto done;
        }
        cw[i].n = nw;
        for (size_t k = 0; k < nw; k++) {
            /* The text pointer is the handle's until the next call: the
             * lesson's own split gives the same words (set_cue_words checks). */
            cw[i].w[k].text = NULL;
            cw[i].w[k].begin = wt[k].found ? wb + wt[k].begin : NAN;
            cw[i].w[k].end = wt[k].found ? wb + wt[k].end : NAN;
            cw[i].found += wt[k].found;
        }
        total += nw;
        found += cw[i].found;
    }
    /* The text decides doubtful boundaries. */
    size_t moved = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        bool okl, okf;
        double le = last_found(&cw[i], &okl), fb = first_found(&cw[i + 1], &okf);
        if (!okl || !okf || le > fb)
            continue;
        bool doubt = res && (res[i].end_confidence < doubtful_below || res[i + 1].begin_confidence < doubtful_below);
        if (!doubt)
            continue;
        if (le > end[i] + MOVE_S || fb < beg[i + 1] - MOVE_S || fb > beg[i + 1] + 1.0 || le < end[i] - 1.0) {
            end[i] = le;
            beg[i + 1] = fb;
            moved++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const sh_cue *c = sh_lesson_cue(l, i);
        if (beg[i] != c->begin || end[i] != c->end) {
            if (sh_lesson_set_cue_times(l, i, beg[i], end[i]) != SH_OK) {
                sh_cli_fail("%s: cannot move cue \"%s\" to its words", sh_lesson_path(l), c->id);
                goto done;
            }
            c = sh_lesson_cue(l, i);
        }
        sh_text_words tw;
        if (sh_text_words_split(c->text, &tw) != SH_OK || tw.n_words != cw[i].n) {
            sh_text_words_free(&tw);
            sh_cli_fail("out of memory");
            goto done;
        }
        double prev = c->begin;
        for (size_t k = 0; k < cw[i].n; k++) {
            sh_cue_word *x = &cw[i].w[k];
            x->text = tw.words[k];
            if (isnan(x->begin))
                continue;
            double b = round(x->begin * 1000) / 1000, e = round(x->end * 1000) / 1000;
            double lo = ceil(c->begin * 1000) / 1000, hi = floor(c->end * 1000) / 1000;
            if (b < lo)
                b = lo;
            if (b < prev)
                b = prev;
            if (e > hi)
                e = hi;
            if (!(e > b)) { /* nothing of it left inside the cue */
                x->begin = x->end = NAN;
                cw[i].found--;
                found--;
                continue;
            }
            x->begin = b;
            x->end = e;
            prev = e;
        }
        int rc = sh_lesson_set_cue_words(l, i, cw[i].w, cw[i].n);
        sh_text_words_free(&tw);
        if (rc != SH_OK) {
            sh_cli_fail("%s: cue \"%s\" (#%zu): could not store its word times (%s)", sh_lesson_path(l), c->id,
                        i + 1, sh_strerror(rc));
            goto done;
        }
        if (!quiet && cw[i].found < cw[i].n)
            printf("%-8s words: %zu of %zu timed\n", c->id, cw[i].found, cw[i].n);
    }
    if (!quiet)
        printf("timed %zu of %zu words in %zu cues; %zu boundar%s moved to the words; words %.2f s (recogniser "
               "%.2f s)\n", found, total, n, moved, moved == 1 ? "y" : "ies", now_s() - t0, t_asr);
    ret = SH_EXIT_OK;
done:
    if (cw)
        for (size_t i = 0; i < n; i++)
            free(cw[i].w);
    free(cw);
    free(beg);
    free(end);
    free(prons);
    sh_decoder_close(dec);
    sh_words_close(w);
    return ret;
}
