/* The optional word members of a lesson: a cue's "words" (word times from
 * `cue align --words`) and the top-level "pronunciations" object. Loading
 * and validation (called from lesson.c), the accessors and the edit. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson_priv.h"
#include "shadowing/words.h"

/* Half a millisecond: times are written rounded to the millisecond. */
#define SLACK 0.0005

static uint32_t kid_first(const sh_lesson_wctx_ *w, uint32_t ni)
{
    return w->sc && ni != SH_JNONE ? sh_jnode_first(w->sc, ni) : SH_JNONE;
}

static uint32_t kid_next(const sh_lesson_wctx_ *w, uint32_t parent, uint32_t ni)
{
    return w->sc && ni != SH_JNONE ? sh_jnode_next(w->sc, parent, ni) : SH_JNONE;
}

/* Node of member `key` of `obj` (node oni), or SH_JNONE. */
static uint32_t member_node(const sh_lesson_wctx_ *w, const cJSON *obj, uint32_t oni, const char *key)
{
    uint32_t ni = kid_first(w, oni);
    for (const cJSON *it = obj->child; it; it = it->next) {
        if (it->string && !strcmp(it->string, key))
            return ni;
        ni = kid_next(w, oni, ni);
    }
    return SH_JNONE;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void err(const sh_lesson_wctx_ *w, uint32_t ni, int cue, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    w->report(w->ctx, ni, cue, msg);
}

/* A word time: a number of seconds in [0, SH_LESSON_MAX_TIME] or null. */
static bool word_time(const sh_lesson_wctx_ *w, const cJSON *v, uint32_t ni, const char *key, size_t k, int cue,
                      double *out)
{
    *out = NAN;
    if (!v || cJSON_IsNull(v))
        return true;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
        v->valuedouble > SH_LESSON_MAX_TIME) {
        err(w, ni, cue, "\"words\"[%zu]: \"%s\" must be seconds from 0 to %g, or null for a word not found", k, key,
            SH_LESSON_MAX_TIME);
        return false;
    }
    *out = v->valuedouble;
    return true;
}

int sh_lesson_cue_words_(const sh_lesson_wctx_ *w, const cJSON *cue, uint32_t cni, sh_cue *q)
{
    int errors = 0;
    uint32_t ani = member_node(w, cue, cni, "words");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(cue, "words");
    if (!a || cJSON_IsNull(a))
        return 0;
    if (!cJSON_IsArray(a)) {
        err(w, ani, q->index, "\"words\" must be an array [{\"text\", \"begin\", \"end\"}, ...] or null");
        return 1;
    }
    size_t n = (size_t)cJSON_GetArraySize(a);
    if (n == 0)
        return 0;
    sh_cue_word *words = calloc(n, sizeof *words);
    if (!words)
        return 1;
    sh_text_words tw;
    bool have_tw = q->text && sh_text_words_split(q->text, &tw) == SH_OK;
    uint32_t ni = kid_first(w, ani);
    size_t k = 0;
    double prev_end = -1;
    size_t prev_k = 0;
    bool mismatch_told = false;
    for (const cJSON *it = a->child; it; it = it->next, k++, ni = kid_next(w, ani, ni)) {
        sh_cue_word *cw = &words[k];
        cw->begin = cw->end = NAN;
        if (!cJSON_IsObject(it)) {
            err(w, ni, q->index, "\"words\"[%zu] must be an object {\"text\", \"begin\", \"end\"}", k);
            errors++;
            continue;
        }
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "text");
        uint32_t tni = member_node(w, it, ni, "text");
        if (!cJSON_IsString(t) || !*t->valuestring) {
            err(w, t ? tni : ni, q->index, "\"words\"[%zu]: \"text\" must be the word as in the cue's text", k);
            errors++;
            continue;
        }
        cw->text = t->valuestring;
        if (have_tw && !mismatch_told && (k >= tw.n_words || strcmp(tw.words[k], cw->text) != 0)) {
            if (k >= tw.n_words)
                err(w, tni, q->index,
                    "\"words\"[%zu] \"%s\" is past the last word of the text (%zu words): rerun 'shadowing cue "
                    "align --words'", k, cw->text, tw.n_words);
            else
                err(w, tni, q->index,
                    "\"words\"[%zu] is \"%s\" but word %zu of the text is \"%s\": the text changed since the "
                    "words were timed; rerun 'shadowing cue align --words'", k, cw->text, k + 1, tw.words[k]);
            mismatch_told = true;
            errors++;
        }
        const cJSON *bv = cJSON_GetObjectItemCaseSensitive(it, "begin");
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(it, "end");
        uint32_t bni = member_node(w, it, ni, "begin"), eni = member_node(w, it, ni, "end");
        double b, e;
        if (!word_time(w, bv, bni, "begin", k, q->index, &b) | !word_time(w, ev, eni, "end", k, q->index, &e)) {
            errors++;
            continue;
        }
        if (isnan(b) != isnan(e)) {
            err(w, isnan(b) ? (bv ? bni : ni) : (ev ? eni : ni), q->index,
                "\"words\"[%zu] \"%s\" has only one of \"begin\" and \"end\": give both, or null for both", k,
                cw->text);
            errors++;
            continue;
        }
        if (isnan(b))
            continue;
        if (!(e > b)) {
            err(w, eni, q->index, "\"words\"[%zu] \"%s\": \"end\" %.3f is not after \"begin\" %.3f", k, cw->text, e,
                b);
            errors++;
            continue;
        }
        if (!isnan(q->begin) && !isnan(q->end) && (b < q->begin - SLACK || e > q->end + SLACK)) {
            err(w, b < q->begin - SLACK ? bni : eni, q->index,
                "\"words\"[%zu] \"%s\" (%.3f-%.3f) is outside the cue (%.3f-%.3f): rerun 'shadowing cue align "
                "--words'", k, cw->text, b, e, q->begin, q->end);
            errors++;
        }
        if (prev_end >= 0 && b < prev_end - SLACK) {
            err(w, bni, q->index,
                "\"words\"[%zu] \"%s\" begins at %.3f, before \"words\"[%zu] ends (%.3f): words must be in order "
                "and must not overlap", k, cw->text, b, prev_k, prev_end);
            errors++;
        }
        prev_end = e;
        prev_k = k;
        cw->begin = b;
        cw->end = e;
    }
    if (have_tw && !mismatch_told && n < tw.n_words) {
        err(w, ani, q->index,
            "\"words\" has %zu entries but the text has %zu words: rerun 'shadowing cue align --words'", n,
            tw.n_words);
        errors++;
    }
    if (have_tw)
        sh_text_words_free(&tw);
    q->words = words;
    q->n_words = n;
    return errors;
}

int sh_lesson_prons_(const sh_lesson_wctx_ *w, const cJSON *root, uint32_t rni, sh_lesson_model *m)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "pronunciations");
    uint32_t oni = member_node(w, root, rni, "pronunciations");
    if (!o || cJSON_IsNull(o))
        return 0;
    if (!cJSON_IsObject(o)) {
        err(w, oni, 0, "\"pronunciations\" must be an object such as {\"DeepSeek\": \"D IY P S IY K\"}");
        return 1;
    }
    size_t n = (size_t)cJSON_GetArraySize(o);
    if (n == 0)
        return 0;
    m->prons = calloc(n, sizeof *m->prons);
    if (!m->prons)
        return 1;
    int errors = 0;
    uint32_t ni = kid_first(w, oni);
    for (const cJSON *it = o->child; it; it = it->next, ni = kid_next(w, oni, ni)) {
        size_t bad;
        sh_text_words tw;
        if (sh_text_words_split(it->string, &tw) != SH_OK)
            return errors + 1;
        size_t ntok = tw.n_tokens;
        sh_text_words_free(&tw);
        if (ntok != 1) {
            w->report_key(w->ctx, ni, 0, "\"pronunciations\": the key must be one word as written in the text");
            errors++;
            continue;
        }
        if (!cJSON_IsString(it)) {
            err(w, ni, 0, "\"pronunciations\": \"%s\" must be a string of phones such as \"D IY P S IY K\"",
                it->string);
            errors++;
            continue;
        }
        if (!sh_words_phones_valid(it->valuestring, &bad)) {
            const char *p = it->valuestring + bad;
            size_t len = strcspn(p, " ");
            err(w, ni, 0,
                "\"pronunciations\": \"%s\": \"%.*s\" (at character %zu) is not one of the model's phones: use "
                "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y "
                "Z ZH, one space apart, no stress digits",
                it->string, (int)(len ? len : 1), len ? p : "?", bad + 1);
            errors++;
            continue;
        }
        m->prons[m->nprons].word = it->string;
        m->prons[m->nprons].phones = it->valuestring;
        m->nprons++;
    }
    return errors;
}

size_t sh_lesson_pron_count(const sh_lesson *l) { return l->m.nprons; }

const sh_lesson_pron *sh_lesson_pron_at(const sh_lesson *l, size_t i)
{
    return i < l->m.nprons ? &l->m.prons[i] : NULL;
}

static void quiet(void *ctx, uint32_t ni, int cue, const char *msg)
{
    (void)ctx, (void)ni, (void)cue, (void)msg;
}

/* Cue i's words in the model again from its object, after an edit of them:
 * only that cue, so that timing every cue's words stays linear in the
 * lesson (the words were checked before the tree changed, so only memory
 * can fail; then a full build, which reports it). */
static int reload_words(sh_lesson *l, size_t i)
{
    sh_cue *q = &l->m.cues[i];
    free((void *)q->words);
    q->words = NULL;
    q->n_words = 0;
    const sh_lesson_wctx_ w = {NULL, NULL, quiet, quiet};
    if (sh_lesson_cue_words_(&w, l->m.objs[i], SH_JNONE, q) == 0)
        return SH_OK;
    return sh_lesson_rebuild_(l);
}

int sh_lesson_set_cue_words(sh_lesson *l, size_t i, const sh_cue_word *words, size_t n)
{
    if (i >= l->m.ncues || i > (size_t)INT32_MAX)
        return SH_ERR_NOT_FOUND;
    if (n && !words)
        return SH_ERR_INVALID;
    int rc = sh_lesson_begin_edit_(l);
    if (rc != SH_OK)
        return rc;
    const sh_cue *q = &l->m.cues[i];
    cJSON *o = l->m.objs[i];
    if (n == 0) {
        cJSON_DeleteItemFromObjectCaseSensitive(o, "words");
        return reload_words(l, i);
    }
    sh_text_words tw;
    if (sh_text_words_split(q->text, &tw) != SH_OK)
        return SH_ERR_NOMEM;
    bool ok = tw.n_words == n;
    double prev = -1;
    for (size_t k = 0; ok && k < n; k++) {
        double b = round(words[k].begin * 1000) / 1000, e = round(words[k].end * 1000) / 1000;
        ok = words[k].text && !strcmp(words[k].text, tw.words[k]);
        if (!ok || isnan(words[k].begin) || isnan(words[k].end))
            continue;
        ok = isfinite(b) && isfinite(e) && b >= 0 && e > b && e <= SH_LESSON_MAX_TIME && b >= prev - SLACK &&
             (isnan(q->begin) || b >= q->begin - SLACK) && (isnan(q->end) || e <= q->end + SLACK);
        prev = e;
    }
    sh_text_words_free(&tw);
    if (!ok)
        return SH_ERR_INVALID;
    cJSON *arr = cJSON_CreateArray();
    if (!arr)
        return SH_ERR_NOMEM;
    for (size_t k = 0; k < n; k++) {
        cJSON *it = cJSON_CreateObject();
        if (!it || !cJSON_AddStringToObject(it, "text", words[k].text)) {
            cJSON_Delete(it);
            cJSON_Delete(arr);
            return SH_ERR_NOMEM;
        }
        bool timed = !isnan(words[k].begin) && !isnan(words[k].end);
        cJSON *b = timed ? cJSON_CreateNumber(round(words[k].begin * 1000) / 1000) : cJSON_CreateNull();
        cJSON *e = timed ? cJSON_CreateNumber(round(words[k].end * 1000) / 1000) : cJSON_CreateNull();
        if (!b || !e) {
            cJSON_Delete(b);
            cJSON_Delete(e);
            cJSON_Delete(it);
            cJSON_Delete(arr);
            return SH_ERR_NOMEM;
        }
        cJSON_AddItemToObject(it, "begin", b);
        cJSON_AddItemToObject(it, "end", e);
        cJSON_AddItemToArray(arr, it);
    }
    if (cJSON_GetObjectItemCaseSensitive(o, "words"))
        cJSON_ReplaceItemInObjectCaseSensitive(o, "words", arr);
    else
        cJSON_AddItemToObject(o, "words", arr);
    return reload_words(l, i);
}

bool sh_lesson_words_fit_(const sh_cue *q, double begin, double end)
{
    for (size_t k = 0; k < q->n_words; k++) {
        const sh_cue_word *w = &q->words[k];
        if (isnan(w->begin))
            continue;
        if ((!isnan(begin) && w->begin < begin - SLACK) || (!isnan(end) && w->end > end + SLACK))
            return false;
    }
    return true;
}
