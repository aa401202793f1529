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

/* Time the words of cue `c` into cw (one entry per text word, absolute
 * times, NAN when not found). A paragraph of several sentences is first
 * split at its sentence pauses by the pause aligner (pinned to the cue,
 * levels of the whole file) and each sentence decoded alone in its own
 * window: a long grammar that loses its path after a hard word ("ChatGPT"
 * spoken oddly) squeezed the rest of a 25 s paragraph into a few seconds
 * (errors of 12-19 s); a sentence that goes wrong stays inside its own
 * few seconds. Falls back to the whole paragraph when the pauses or the
 * word counts do not agree. */
/* Split text after , ; : . ! ? followed by a space into clauses
 * (malloc'ed array of malloc'ed strings); returns their number, 0 when out
 * of memory. "5.6" and "U.S." inside a clause do not split it. */
static size_t split_clauses(const char *text, char ***out)
{
    size_t cap = 8, n = 0;
    char **v = malloc(cap * sizeof *v);
    if (!v)
        return 0;
    const char *p = text, *start = text;
    for (;; p++) {
        bool cut = !*p || ((*p == ',' || *p == ';' || *p == ':' || *p == '.' || *p == '!' || *p == '?') &&
                           (p[1] == ' ' || p[1] == '\n' || p[1] == '\t'));
        if (!cut)
            continue;
        const char *e = *p ? p + 1 : p;
        if (e > start) {
            if (n == cap) {
                char **nv = realloc(v, (cap *= 2) * sizeof *v);
                if (!nv)
                    goto oom;
                v = nv;
            }
            size_t len = (size_t)(e - start);
            if (!(v[n] = malloc(len + 1)))
                goto oom;
            memcpy(v[n], start, len);
            v[n][len] = '\0';
            n++;
        }
        if (!*p)
            break;
        start = e;
    }
    *out = v;
    return n;
oom:
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    return 0;
}

/* Decode `units` pieces of the cue's text, piece k over [bounds 2k, 2k+1]
 * (absolute seconds), into out (absolute times, NAN when not found).
 * Returns SH_OK or the error of the decoder. */
static int decode_units(sh_words *w, sh_decoder *dec, char **texts, const double *bounds, const size_t *nwords,
                        size_t units, cue_words *out, double *t_asr, sh_error *err)
{
    size_t first = 0;
    out->found = 0;
    for (size_t k = 0; k < out->n; k++)
        out->w[k].begin = out->w[k].end = NAN;
    for (size_t k = 0; k < units; k++) {
        double ub = bounds[2 * k], ue = bounds[2 * k + 1];
        float *x = NULL;
        size_t nx = 0;
        if (ue <= ub) {
            first += nwords[k];
            continue;
        }
        if (sh_decoder_read_segment(dec, ub, ue, &x, &nx, err) != SH_OK)
            return err->code ? err->code : SH_ERR_DECODE;
        double ta = now_s();
        sh_word_time *wt = NULL;
        size_t nw = 0;
        int rc = sh_words_align(w, texts[k], x, nx, RATE, &wt, &nw, err);
        *t_asr += now_s() - ta;
        free(x);
        if (rc != SH_OK)
            return rc;
        for (size_t j = 0; j < nw && j < nwords[k] && first + j < out->n; j++) {
            out->w[first + j].begin = wt[j].found ? ub + wt[j].begin : NAN;
            out->w[first + j].end = wt[j].found ? ub + wt[j].end : NAN;
            out->found += wt[j].found;
        }
        first += nwords[k];
    }
    return SH_OK;
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* How believable a result is: the words found, less 3 for every second
 * of a gap over 1 s between neighbouring found words or between the cue's
 * edges and the first and last of them. A grammar that loses its path
 * after a word it cannot match (a hard word, or a word said that the text
 * does not have: espeak-ng reads "$5.6 million" as "dollar five point six
 * million") squeezes the rest of a paragraph into a few seconds and leaves
 * a long stretch of speech with no word: counting found words alone
 * prefers that. */
static double plausibility(const cue_words *r, double cue_begin, double cue_end)
{
    double score = (double)r->found, prev = cue_begin;
    for (size_t k = 0; k < r->n; k++) {
        if (isnan(r->w[k].begin))
            continue;
        double gap = r->w[k].begin - prev;
        if (gap > 1.0)
            score -= 3.0 * (gap - 1.0);
        if (r->w[k].end > prev)
            prev = r->w[k].end;
    }
    if (cue_end - prev > 1.0)
        score -= 3.0 * (cue_end - prev - 1.0);
    return score;
}

/* True when a result looks whole: nearly every word found, no long
 * stretch without a word. */
static bool looks_whole(const cue_words *r, double cue_begin, double cue_end)
{
    return r->n && (double)r->found >= 0.85 * (double)r->n &&
           plausibility(r, cue_begin, cue_end) >= (double)r->found - 1.5;
}

/* Forward decoding from anchors: decode words k.. over [t0, we], keep the
 * run of consecutive words found from the start of it, move t0 to the end
 * of the last one kept and k past them (past one word when none was found)
 * and decode the rest again; at most FORWARD_PASSES passes, then the last
 * pass is kept as it is. Where the grammar loses its path after a word it
 * cannot match, the words before that are right and the rest gets a fresh
 * start after them. */
#define FORWARD_PASSES 4
static int decode_forward(sh_words *w, sh_decoder *dec, const sh_text_words *tw, double wb, double we,
                          cue_words *out, double *t_asr, sh_error *err)
{
    size_t n = tw->n_words, k = 0;
    double t0 = wb;
    out->found = 0;
    for (size_t i = 0; i < n; i++)
        out->w[i].begin = out->w[i].end = NAN;
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(tw->words[i]) + 1;
    char *text = malloc(len);
    cue_words part = {calloc(n ? n : 1, sizeof *part.w), 0, 0};
    int ret = SH_OK;
    if (!text || !part.w) {
        ret = sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int pass = 0; k < n && we - t0 > 0.1; pass++) {
        size_t p = 0;
        for (size_t i = k; i < n; i++) {
            size_t l = strlen(tw->words[i]);
            memcpy(text + p, tw->words[i], l);
            p += l;
            text[p++] = ' ';
        }
        text[p ? p - 1 : 0] = '\0';
        char *texts[1] = {text};
        double bounds[2] = {t0, we};
        size_t nw[1] = {n - k};
        part.n = n - k;
        ret = decode_units(w, dec, texts, bounds, nw, 1, &part, t_asr, err);
        if (ret != SH_OK)
            goto done;
        size_t j = 0;
        while (j < part.n && !isnan(part.w[j].begin))
            j++;
        bool last = pass + 1 >= FORWARD_PASSES || j == part.n;
        size_t keep = last ? part.n : j;
        for (size_t i = 0; i < keep; i++) {
            out->w[k + i] = part.w[i];
            out->found += !isnan(part.w[i].begin);
        }
        if (last)
            break;
        if (j > 0)
            t0 = part.w[j - 1].end;
        k += j > 0 ? j : 1;
    }
done:
    free(text);
    free(part.w);
    return ret;
}

/* Time the words of cue `c` into cw (one entry per text word). First the
 * whole paragraph as one grammar over [wb, we]; when that does not look
 * whole, the paragraph is split at its clause pauses (commas, sentence
 * ends: the pause aligner pinned to the cue, pauses from 0.25 s, then from
 * 0.15 s), then at its sentence pauses, each piece decoded alone in its own
 * window with MARGIN_S around it, and the result with the most words found
 * is kept: a piece that goes wrong stays inside its own few seconds. */
static int time_cue(sh_words *w, sh_decoder *dec, const sh_cue_env *ce, const sh_cue *c, double wb, double we,
                    cue_words *cw, double *t_asr, sh_error *err)
{
    char *whole[1] = {(char *)c->text};
    double wbounds[2] = {wb, we};
    size_t wn[1] = {cw->n};
    int ret = decode_units(w, dec, whole, wbounds, wn, 1, cw, t_asr, err);
    if (ret != SH_OK || looks_whole(cw, c->begin, c->end) || !ce || !ce->env)
        return ret;
    cue_words tmp = {calloc(cw->n ? cw->n : 1, sizeof *tmp.w), cw->n, 0};
    if (!tmp.w)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    static const struct {
        bool clauses;
        double min_pause;
    } tries[] = {{true, 0.25}, {true, 0.15}, {false, 0.25}};
    for (size_t t = 0; t < sizeof tries / sizeof *tries && ret == SH_OK; t++) {
        char **units = NULL;
        size_t nu = tries[t].clauses ? split_clauses(c->text, &units) : sh_align_split_sentences(c->text, &units);
        double *wts = calloc(nu ? nu : 1, sizeof *wts), *bounds = calloc(2 * (nu ? nu : 1), sizeof *bounds);
        size_t *nwk = calloc(nu ? nu : 1, sizeof *nwk), sum = 0;
        sh_align_cue *res = calloc(nu ? nu : 1, sizeof *res);
        if (!wts || !bounds || !nwk || !res) {
            ret = sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        } else if (nu >= 2) {
            for (size_t k = 0; k < nu; k++) {
                sh_text_words tw;
                if (sh_text_words_split(units[k], &tw) == SH_OK) {
                    nwk[k] = tw.n_words;
                    sum += tw.n_words;
                    sh_text_words_free(&tw);
                }
                wts[k] = sh_align_text_weight(units[k]);
            }
            sh_align_config ac = *ce->cfg;
            ac.min_pause_s = tries[t].min_pause;
            double fb = floor((c->begin - ac.window_s / 2) / ac.hop_s);
            double fe = ceil((c->end - ac.window_s / 2) / ac.hop_s) + 1;
            size_t from = fb < 0 ? 0 : (size_t)fb, to = fe > (double)ce->n ? ce->n : (size_t)fe;
            if (sum == cw->n && from < to &&
                sh_align_envelope(&ac, ce->env, ce->n, from, to, true, ce->levels, wts, nu, res, NULL) == SH_OK) {
                for (size_t k = 0; k < nu; k++) {
                    bounds[2 * k] = k == 0 ? wb : fmax(wb, res[k].begin - MARGIN_S);
                    bounds[2 * k + 1] = k + 1 == nu ? we : fmin(we, res[k].end + MARGIN_S);
                }
                ret = decode_units(w, dec, units, bounds, nwk, nu, &tmp, t_asr, err);
                if (ret == SH_OK && plausibility(&tmp, c->begin, c->end) > plausibility(cw, c->begin, c->end)) {
                    memcpy(cw->w, tmp.w, cw->n * sizeof *cw->w);
                    cw->found = tmp.found;
                }
            }
        }
        free_strs(units, nu);
        free(wts);
        free(bounds);
        free(nwk);
        free(res);
        if (looks_whole(cw, c->begin, c->end))
            break;
    }
    if (ret == SH_OK && !looks_whole(cw, c->begin, c->end)) {
        sh_text_words tw;
        if (sh_text_words_split(c->text, &tw) != SH_OK) {
            free(tmp.w);
            return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        }
        if (tw.n_words == cw->n) {
            ret = decode_forward(w, dec, &tw, wb, we, &tmp, t_asr, err);
            if (ret == SH_OK && plausibility(&tmp, c->begin, c->end) > plausibility(cw, c->begin, c->end)) {
                memcpy(cw->w, tmp.w, cw->n * sizeof *cw->w);
                cw->found = tmp.found;
            }
        }
        sh_text_words_free(&tw);
    }
    free(tmp.w);
    return ret;
}

/* Where the paragraph's speech begins by its words: the first found word
 * among its first four that starts a run of three found words with gaps
 * under 0.5 s (a lone early match, such as "DeepSeek" heard in an
 * announcer's "Here is today's story", is no anchor), then back to the
 * speech onset after the last pause of 0.25 s or more before it, on the
 * envelope. NAN when there is no anchor. */
static double anchor_begin(const cue_words *c, const sh_cue_env *ce)
{
    size_t n = c->n < 4 ? c->n : 4;
    for (size_t k = 0; k < n; k++) {
        if (isnan(c->w[k].begin))
            continue;
        size_t run = 1;
        double prev = c->w[k].end;
        for (size_t j = k + 1; j < c->n && run < 3; j++) {
            if (isnan(c->w[j].begin))
                continue;
            if (c->w[j].begin - prev > 0.5)
                break;
            prev = c->w[j].end;
            run++;
        }
        if (run < 3)
            continue;
        double t = c->w[k].begin;
        if (!ce || !ce->env || !ce->cfg)
            return t;
        const sh_align_config *ac = ce->cfg;
        long f = (long)floor((t - ac->window_s / 2) / ac->hop_s);
        long need = (long)ceil(0.25 / ac->hop_s), quiet = 0;
        if (f >= (long)ce->n)
            f = (long)ce->n - 1;
        /* back over speech (words not found before the anchor) to a pause */
        for (long i = f; i >= 0; i--) {
            if (ce->env[i] < ce->levels->pause_db) {
                if (++quiet >= need) {
                    long on = i + quiet;
                    while (on < f && ce->env[on] < ce->levels->edge_db)
                        on++;
                    double onset = (double)on * ac->hop_s + ac->window_s / 2;
                    return onset < t ? onset : t;
                }
            } else {
                quiet = 0;
            }
            if ((double)(f - i) * ac->hop_s > 3.0)
                break; /* four words take less than 3 s */
        }
        return t;
    }
    return NAN;
}

int sh_cue_align_words_(sh_lesson *l, const sh_align_cue *res, double doubtful_below, double duration_s,
                        const sh_cue_env *ce, bool quiet)
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
        sh_text_words tw;
        if (sh_text_words_split(c->text, &tw) != SH_OK) {
            sh_cli_fail("out of memory");
            goto done;
        }
        size_t nw = tw.n_words;
        sh_text_words_free(&tw);
        cw[i].w = calloc(nw ? nw : 1, sizeof *cw[i].w);
        if (!cw[i].w) {
            sh_cli_fail("out of memory");
            goto done;
        }
        cw[i].n = nw;
        for (size_t k = 0; k < nw; k++)
            cw[i].w[k].begin = cw[i].w[k].end = NAN;
        if (time_cue(w, dec, ce, c, wb, we, &cw[i], &t_asr, &err) != SH_OK) {
            sh_cli_fail("%s: cue \"%s\" (#%zu): %s", sh_lesson_path(l), c->id, i + 1, err.message);
            goto done;
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
    /* The first begin and the last end (an announcer or a jingle next to
     * the speech): the words move them inwards only. */
    if (res && n) {
        bool ok;
        double fb = anchor_begin(&cw[0], ce);
        if (!isnan(fb) && res[0].begin_confidence < doubtful_below && fb > beg[0] + MOVE_S && fb < end[0]) {
            beg[0] = fb;
            moved++;
        }
        double le = last_found(&cw[n - 1], &ok);
        if (ok && res[n - 1].end_confidence < doubtful_below && le < end[n - 1] - MOVE_S && le > beg[n - 1]) {
            end[n - 1] = le;
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
