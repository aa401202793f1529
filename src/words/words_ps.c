/* Word timing with pocketsphinx 0.8+5prealpha in grammar mode (see
 * include/shadowing/words.h).
 *
 * Measured pitfalls of this version, and what this file does about them:
 *   - silence removal (-remove_silence) is on by default and drops frames
 *     it takes for silence before the search sees them, so every time after
 *     a pause comes out early (6.8 s over 4 minutes): it is turned off;
 *   - a strict linear grammar (word 1, word 2, ... final) returns no
 *     hypothesis at all when the audio does not start and end exactly on
 *     it, so the grammar lets the speech start and stop at any word and
 *     skip up to max_skip words, each with a direct null arc (0 -> i, i ->
 *     final, i -> i+k+1): chains of null arcs (i -> i+1 -> i+2) are never
 *     taken by this search, so a skip of two words needs its own arc;
 *   - ps_add_word on a decoder with an n-gram model crashed: no language
 *     model is ever loaded (no -lm), words are added before the grammar's
 *     search is built (update = FALSE), then ps_set_fsg builds it;
 *   - the aligner (ps_alignment) has no installed headers: not used.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pocketsphinx.h>
#include <sphinxbase/cmd_ln.h>
#include <sphinxbase/err.h>
#include <sphinxbase/fsg_model.h>
#include <sphinxbase/logmath.h>

#include "config.h"
#include "shadowing/words.h"
#include "words/words_int.h"

#define FRAME_S 0.01 /* pocketsphinx's -frate 100 */

typedef struct pron {
    char *word;   /* lower-case */
    char *phones;
} pron;

struct sh_words {
    ps_decoder_t *ps;
    cmd_ln_t *cfg;
    sh_words_config c;
    pron *prons; /* lesson overrides */
    size_t nprons;
    pron *added; /* dictionary entries this handle added: name -> phones */
    size_t nadded, capadded;
    sh_text_words tw;
    sh_word_time *out;
    int16_t *pcm;
    size_t pcm_cap;
    /* ps_seg_frames counts frames from the decoder's first utterance, not
     * from the current one (measured: the second paragraph's words came out
     * one whole first utterance late): the frames of earlier utterances. */
    long frames_before;
};

sh_words_config sh_words_config_init(void)
{
    sh_words_config c = {
        .model_dir = NULL,
        .dict_path = NULL,
        .use_espeak = true,
        .skip_penalty = 6.0,
        .max_skip = 3,
        .beam = 1e-40,
        .wbeam = 1e-30,
    };
    return c;
}

bool sh_words_available(void) { return true; }

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static bool readable(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    fclose(f);
    return true;
}

sh_words *sh_words_open(const sh_words_config *cfg, sh_error *err)
{
    sh_words *w = calloc(1, sizeof *w);
    char hmm[4096], dict[4096], mdef[4200], beam[32], wbeam[32];
    if (!w) {
        sh_error_set(err, SH_ERR_NOMEM, "out of memory loading the speech model");
        return NULL;
    }
    w->c = cfg ? *cfg : sh_words_config_init();
    if (w->c.max_skip < 0)
        w->c.max_skip = 0;
    const char *md = w->c.model_dir ? w->c.model_dir : SH_PS_MODELDIR "/en-us/en-us";
    snprintf(hmm, sizeof hmm, "%s", md);
    if (w->c.dict_path)
        snprintf(dict, sizeof dict, "%s", w->c.dict_path);
    else
        snprintf(dict, sizeof dict, "%s/../cmudict-en-us.dict", md);
    snprintf(mdef, sizeof mdef, "%s/mdef", hmm);
    if (!readable(mdef) || !readable(dict)) {
        sh_error_set(err, SH_ERR_NOT_FOUND,
                     "speech model not found (looked for %s and %s): install pocketsphinx-en-us, or word timing "
                     "stays off", mdef, dict);
        goto fail;
    }
    snprintf(beam, sizeof beam, "%g", w->c.beam);
    snprintf(wbeam, sizeof wbeam, "%g", w->c.wbeam);
    /* pocketsphinx logs every setting to stderr: silence it. */
    err_set_logfp(NULL);
    w->cfg = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", hmm, "-dict", dict, "-remove_silence", "no", "-beam", beam,
                         "-wbeam", wbeam, "-logfn", "/dev/null", "-bestpath", "no", NULL);
    if (!w->cfg) {
        sh_error_set(err, SH_ERR_NOMEM, "could not configure the speech decoder");
        goto fail;
    }
    w->ps = ps_init(w->cfg);
    if (!w->ps) {
        sh_error_set(err, SH_ERR_NOT_FOUND, "could not load the speech model in %s: reinstall pocketsphinx-en-us",
                     hmm);
        goto fail;
    }
    return w;
fail:
    sh_words_close(w);
    return NULL;
}

static void free_prons(pron *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].word);
        free(p[i].phones);
    }
    free(p);
}

void sh_words_close(sh_words *w)
{
    if (!w)
        return;
    if (w->ps)
        ps_free(w->ps);
    if (w->cfg)
        cmd_ln_free_r(w->cfg);
    free_prons(w->prons, w->nprons);
    free_prons(w->added, w->nadded);
    sh_text_words_free(&w->tw);
    free(w->out);
    free(w->pcm);
    free(w);
}

int sh_words_set_prons(sh_words *w, const sh_words_pron *prons, size_t n, sh_error *err)
{
    if (!w || (n && !prons))
        return sh_error_set(err, SH_ERR_INVALID, "no decoder or no pronunciations");
    for (size_t i = 0; i < n; i++) {
        size_t bad;
        if (!prons[i].word || !prons[i].phones || !sh_words_phones_valid(prons[i].phones, &bad))
            return sh_error_set(err, SH_ERR_INVALID,
                                "pronunciation of \"%s\": \"%s\" is not a list of the model's phones (AA AE AH ... "
                                "ZH, one space apart)",
                                prons[i].word ? prons[i].word : "", prons[i].phones ? prons[i].phones : "");
    }
    pron *p = n ? calloc(n, sizeof *p) : NULL;
    if (n && !p)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        sh_text_words tw;
        if (sh_text_words_split(prons[i].word, &tw) != SH_OK) {
            free_prons(p, i);
            return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        }
        if (tw.n_tokens != 1) { /* "GPU" is three tokens: an override of one is meant */
            sh_text_words_free(&tw);
            free_prons(p, i);
            return sh_error_set(err, SH_ERR_INVALID,
                                "pronunciation of \"%s\": give one word as it is written in the text",
                                prons[i].word);
        }
        /* The override applies to the word's single spoken token. */
        p[i].word = dupstr(tw.tokens[0].text);
        p[i].phones = dupstr(prons[i].phones);
        sh_text_words_free(&tw);
        if (!p[i].word || !p[i].phones) {
            free_prons(p, i + 1);
            return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        }
    }
    free_prons(w->prons, w->nprons);
    w->prons = p;
    w->nprons = n;
    return SH_OK;
}

/* The dictionary word to use for token `tok`, into name: an override gets
 * a private entry per distinct pronunciation ("deepseek__1"), a word the
 * dictionary lacks is added from espeak-ng. Returns false when the token
 * has no pronunciation (it is left out of the grammar). */
static bool dict_name(sh_words *w, const char *tok, char *name, size_t size, bool *nomem)
{
    const char *want = NULL;
    for (size_t i = 0; i < w->nprons; i++)
        if (!strcmp(w->prons[i].word, tok))
            want = w->prons[i].phones;
    if (want) {
        for (size_t i = 0; i < w->nadded; i++)
            if (!strcmp(w->added[i].phones, want) && !strncmp(w->added[i].word, tok, strlen(tok)) &&
                !strncmp(w->added[i].word + strlen(tok), "__", 2)) {
                snprintf(name, size, "%s", w->added[i].word);
                return true;
            }
        snprintf(name, size, "%s__%zu", tok, w->nadded + 1);
    } else {
        char *ph = ps_lookup_word(w->ps, tok);
        if (ph) {
            ckd_free(ph);
            snprintf(name, size, "%s", tok);
            return true;
        }
        char buf[512];
        if (!w->c.use_espeak || !sh_words_g2p_(tok, buf, sizeof buf))
            return false;
        want = buf;
        snprintf(name, size, "%s", tok);
        if (ps_add_word(w->ps, name, want, FALSE) < 0)
            return false;
        return true; /* the dictionary holds it now: ps_lookup_word finds it next time */
    }
    if (w->nadded == w->capadded) {
        size_t nc = w->capadded ? w->capadded * 2 : 16;
        pron *p = realloc(w->added, nc * sizeof *p);
        if (!p) {
            *nomem = true;
            return false;
        }
        w->added = p;
        w->capadded = nc;
    }
    pron *a = &w->added[w->nadded];
    a->word = dupstr(name);
    a->phones = dupstr(want);
    if (!a->word || !a->phones) {
        free(a->word);
        free(a->phones);
        *nomem = true;
        return false;
    }
    if (ps_add_word(w->ps, name, want, FALSE) < 0) {
        free(a->word);
        free(a->phones);
        return false;
    }
    w->nadded++;
    return true;
}

/* Base word of a segment ("the(2)" -> "the") into buf. */
static void base_word(const char *seg, char *buf, size_t size)
{
    snprintf(buf, size, "%s", seg);
    char *paren = strchr(buf, '(');
    if (paren && paren > buf)
        *paren = '\0';
}

int sh_words_align(sh_words *w, const char *text, const float *samples, size_t n, int rate, sh_word_time **out,
                   size_t *count, sh_error *err)
{
    if (!w || !text || (!samples && n) || !out || !count)
        return sh_error_set(err, SH_ERR_INVALID, "word timing: bad arguments");
    *out = NULL;
    *count = 0;
    if (rate != 16000)
        return sh_error_set(err, SH_ERR_INVALID, "word timing needs 16 kHz audio, not %d Hz", rate);
    if (n > (size_t)INT32_MAX)
        return sh_error_set(err, SH_ERR_TOO_LARGE, "word timing: audio too long for one utterance");
    int ret = SH_OK;
    size_t *tok_of_state = NULL; /* grammar word -> token */
    char (*names)[96] = NULL;
    fsg_model_t *fsg = NULL;
    sh_text_words_free(&w->tw);
    free(w->out);
    w->out = NULL;
    if (sh_text_words_split(text, &w->tw) != SH_OK)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    size_t nw = w->tw.n_words, nt = w->tw.n_tokens;
    w->out = calloc(nw ? nw : 1, sizeof *w->out);
    tok_of_state = calloc(nt ? nt : 1, sizeof *tok_of_state);
    names = calloc(nt ? nt : 1, sizeof *names);
    double *tb = malloc((nt ? nt : 1) * sizeof *tb), *te = malloc((nt ? nt : 1) * sizeof *te);
    if (!w->out || !tok_of_state || !names || !tb || !te) {
        ret = sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nw; i++)
        w->out[i] = (sh_word_time){w->tw.words[i], -1, -1, false};
    for (size_t i = 0; i < nt; i++)
        tb[i] = te[i] = -1;
    *out = w->out;
    *count = nw;
    /* The grammar's words: the tokens that have a pronunciation. */
    size_t m = 0;
    bool nomem = false;
    for (size_t i = 0; i < nt; i++) {
        if (dict_name(w, w->tw.tokens[i].text, names[m], sizeof names[m], &nomem))
            tok_of_state[m++] = i;
        if (nomem) {
            ret = sh_error_set(err, SH_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    if (m == 0 || n == 0)
        goto done;
    if (n > w->pcm_cap) {
        int16_t *p = realloc(w->pcm, n * sizeof *p);
        if (!p) {
            ret = sh_error_set(err, SH_ERR_NOMEM, "out of memory");
            goto done;
        }
        w->pcm = p;
        w->pcm_cap = n;
    }
    for (size_t i = 0; i < n; i++) {
        float x = samples[i] * 32767.0f;
        w->pcm[i] = (int16_t)(x > 32767.0f ? 32767 : x < -32768.0f ? -32768 : (int)lrintf(x));
    }

    logmath_t *lm = ps_get_logmath(w->ps);
    float lw = (float)cmd_ln_float32_r(w->cfg, "-lw");
    fsg = fsg_model_init("sh_words", lm, lw, (int32)(m + 1));
    if (!fsg) {
        ret = sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        goto done;
    }
    fsg->start_state = 0;
    fsg->final_state = (int32)m;
    int32 word_lp = logmath_log(lm, 0.9);
    for (size_t s = 0; s < m; s++) {
        int32 wid = fsg_model_word_add(fsg, names[s]);
        fsg_model_trans_add(fsg, (int32)s, (int32)(s + 1), word_lp, wid);
        /* skips of k words: direct null arcs (chains are never taken) */
        for (int k = 1; k <= w->c.max_skip && s + (size_t)k + 1 <= m; k++)
            fsg_model_null_trans_add(fsg, (int32)s, (int32)(s + (size_t)k + 1),
                                     logmath_log(lm, exp(-w->c.skip_penalty * k)));
        /* Start at word s, or stop after word s-1: as dear as skipping the
         * words left out one by one (one flat cost let the search jump from
         * an unknown first name straight to the 17th word of a paragraph
         * and lose the rest of it, measured). */
        if (s > 0) {
            double lead = w->c.skip_penalty * (double)s, rest = w->c.skip_penalty * (double)(m - s);
            fsg_model_null_trans_add(fsg, 0, (int32)s, logmath_log(lm, exp(-(lead < 600 ? lead : 600))));
            fsg_model_null_trans_add(fsg, (int32)s, (int32)m, logmath_log(lm, exp(-(rest < 600 ? rest : 600))));
        }
    }
    fsg_model_add_silence(fsg, "<sil>", -1, 0.1f);
    /* The search keeps its own reference (fsg_model_retain) and drops it
     * with the next grammar: ours is released at `done` (measured with
     * LeakSanitizer: one grammar leaked per utterance otherwise). */
    if (ps_set_fsg(w->ps, "sh_words", fsg) < 0) {
        ret = sh_error_set(err, SH_ERR_DECODE, "the speech decoder refused the paragraph's grammar");
        goto done;
    }
    if (ps_set_search(w->ps, "sh_words") < 0) {
        ret = sh_error_set(err, SH_ERR_DECODE, "the speech decoder could not start");
        goto done;
    }
    /* A fresh decoder's first utterance finds far fewer words (measured:
     * 11 of 49 words, then 49 of 49 on the same audio the second time; any
     * audio before it will do): its cepstral mean starts from the model's
     * prior and adapts during the first utterance. Warm it up on up to 10 s
     * of this audio, once per handle. */
    if (w->frames_before == 0) {
        size_t wn = n < 160000 ? n : 160000;
        if (ps_start_utt(w->ps) < 0 || ps_process_raw(w->ps, w->pcm, wn, FALSE, FALSE) < 0) {
            ret = sh_error_set(err, SH_ERR_DECODE, "the speech decoder could not start");
            goto done;
        }
        ps_end_utt(w->ps);
        w->frames_before += ps_get_n_frames(w->ps);
    }
    if (ps_start_utt(w->ps) < 0) {
        ret = sh_error_set(err, SH_ERR_DECODE, "the speech decoder could not start");
        goto done;
    }
    /* In blocks of 1 s: the decoder's feature buffer grows with one call's size. */
    for (size_t off = 0; off < n; off += 16000) {
        size_t len = n - off < 16000 ? n - off : 16000;
        if (ps_process_raw(w->ps, w->pcm + off, len, FALSE, FALSE) < 0) {
            ps_end_utt(w->ps);
            w->frames_before += ps_get_n_frames(w->ps);
            ret = sh_error_set(err, SH_ERR_DECODE, "the speech decoder failed");
            goto done;
        }
    }
    ps_end_utt(w->ps);
    w->frames_before += ps_get_n_frames(w->ps);
    /* ps_seg_frames counts from the decoder's first utterance, and summing
     * ps_get_n_frames of the earlier ones drifts (it undercounts by a few
     * frames an utterance: 40 ms more per paragraph, measured). The best
     * path starts at the utterance's first frame, so its first segment
     * (silence, filler or word) gives the frame this utterance began at. */
    long frame0 = -1;
    for (ps_seg_t *seg = ps_seg_iter(w->ps); seg; seg = ps_seg_next(seg)) {
        int sf, ef;
        ps_seg_frames(seg, &sf, &ef);
        if (frame0 < 0 || sf < frame0)
            frame0 = sf;
    }
    if (frame0 < 0)
        frame0 = 0;
    size_t next = 0;
    for (ps_seg_t *seg = ps_seg_iter(w->ps); seg; seg = ps_seg_next(seg)) {
        const char *sw = ps_seg_word(seg);
        if (!sw || sw[0] == '<' || sw[0] == '[' || sw[0] == '(')
            continue;
        char base[128];
        base_word(sw, base, sizeof base);
        size_t s = next;
        while (s < m && strcmp(names[s], base) != 0)
            s++;
        if (s == m)
            continue;
        int sf, ef;
        ps_seg_frames(seg, &sf, &ef);
        size_t t = tok_of_state[s];
        tb[t] = (double)(sf - frame0) * FRAME_S;
        te[t] = (double)(ef + 1 - frame0) * FRAME_S;
        next = s + 1;
    }
    for (size_t t = 0; t < nt; t++) {
        if (tb[t] < 0)
            continue;
        sh_word_time *wt = &w->out[w->tw.tokens[t].word];
        if (!wt->found) {
            wt->found = true;
            wt->begin = tb[t];
        }
        wt->end = te[t];
    }
done:
    if (fsg)
        fsg_model_free(fsg);
    free(tok_of_state);
    free(names);
    free(tb);
    free(te);
    return ret;
}
