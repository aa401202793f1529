/* The teacher tools' edits of a lesson, apart from their options and
 * printing (cmd_cue.c): filling a lesson from an imported document,
 * shifting, merging and splitting cues, and the edits timed from the
 * audio's energy envelope (align, an import's fit to the audio, a split's
 * sentence times). Each checks the whole edit before
 * it changes anything, so a refused edit leaves the lesson as it was, and
 * says in one line which cue, why, and what to do. No I/O.
 *
 * The lesson's edits cost O(1) a cue (src/lesson/lesson_edit.c), so each
 * of these is linear in the cues it touches.
 */
#include "shadowing/cueedit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "shadowing/align.h"
#include "shadowing/envelope.h"

bool sh_cue_has_han(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        if (*p >= 0xE4 && *p <= 0xE9)
            return true;
    return false;
}

int sh_cue_doc_to_lesson(const sh_cue_doc *doc, sh_lesson *l, const char *path, sh_diag *diag)
{
    bool han = false;
    for (size_t i = 0; i < doc->n_cues; i++) {
        const sh_cue_entry *c = &doc->cues[i];
        /* ids the lesson refuses (spaces...) or repeats: fresh ones */
        const char *id = c->id;
        if (id && sh_lesson_find_cue(l, id))
            id = NULL;
        int rc = sh_lesson_insert_cue(l, sh_lesson_cue_count(l), id, c->text, c->translation, c->begin, c->end);
        if (rc == SH_ERR_INVALID && id)
            rc = sh_lesson_insert_cue(l, sh_lesson_cue_count(l), NULL, c->text, c->translation, c->begin,
                                      c->end);
        if (rc != SH_OK) {
            sh_diag_add(diag, SH_DIAG_ERROR, path, c->line, 0, NULL, 0,
                        "cue #%zu cannot be added to the lesson (%s): check its text and times", i + 1,
                        sh_strerror(rc));
            return rc;
        }
        han = han || sh_cue_has_han(c->translation);
    }
    for (size_t i = 0; i < doc->n_vocab; i++) {
        int rc = sh_lesson_add_vocab(l, doc->vocab[i].word, doc->vocab[i].ipa, doc->vocab[i].meaning);
        if (rc != SH_OK) {
            sh_diag_add(diag, SH_DIAG_ERROR, path, doc->vocab[i].line, 0, NULL, 0,
                        "vocabulary word \"%s\" cannot be added to the lesson (%s)", doc->vocab[i].word,
                        sh_strerror(rc));
            return rc;
        }
    }
    if (han)
        return sh_lesson_set_string(l, "translation_language", "zh");
    return SH_OK;
}

/* Seconds for a message: "1.500", or "1e+308" when too big to write out. */
static const char *secs(double t, char *buf, size_t size)
{
    if (fabs(t) < 1e9)
        snprintf(buf, size, "%.3f", t);
    else
        snprintf(buf, size, "%g", t);
    return buf;
}

/* A copy of a cue's word times moved by `by` seconds (the texts copied too:
 * they live in the lesson). */
typedef struct shifted_words {
    sh_cue_word *words;
    char **texts;
    size_t n;
} shifted_words;

static void shifted_words_free(shifted_words *sw)
{
    for (size_t k = 0; sw->texts && k < sw->n; k++)
        free(sw->texts[k]);
    free(sw->texts);
    free(sw->words);
    memset(sw, 0, sizeof *sw);
}

static bool shift_words(const sh_cue *c, double by, shifted_words *sw)
{
    memset(sw, 0, sizeof *sw);
    if (!c->n_words)
        return true;
    sw->words = calloc(c->n_words, sizeof *sw->words);
    sw->texts = calloc(c->n_words, sizeof *sw->texts);
    sw->n = c->n_words;
    if (!sw->words || !sw->texts)
        goto fail;
    for (size_t k = 0; k < sw->n; k++) {
        const sh_cue_word *w = &c->words[k];
        if (!(sw->texts[k] = strdup(w->text)))
            goto fail;
        sw->words[k] = (sh_cue_word){sw->texts[k], w->begin + by, w->end + by}; /* NAN stays NAN */
    }
    return true;
fail:
    shifted_words_free(sw);
    return false;
}

int sh_cue_shift(sh_lesson *l, size_t first, double by, size_t *moved, sh_error *err)
{
    const char *path = sh_lesson_path(l) ? sh_lesson_path(l) : "lesson";
    size_t n = sh_lesson_cue_count(l);
    char b1[48], b2[48], b3[48];
    *moved = 0;
    if (!isfinite(by))
        return sh_error_set(err, SH_ERR_INVALID, "%s: --by must be a number of seconds", path);
    /* The whole shift is checked first: a lesson is never left half moved. */
    double lo = INFINITY, hi = -INFINITY; /* the earliest and latest times that move */
    const sh_cue *lo_cue = NULL, *hi_cue = NULL;
    for (size_t i = first; i < n; i++) {
        const sh_cue *c = sh_lesson_cue(l, i);
        double a = isnan(c->begin) ? c->end : c->begin, z = isnan(c->end) ? c->begin : c->end;
        if (!isnan(a) && a < lo)
            lo = a, lo_cue = c;
        if (!isnan(z) && z > hi)
            hi = z, hi_cue = c;
    }
    if (lo_cue && lo + by < 0)
        return sh_error_set(err, SH_ERR_RANGE,
                            "%s: shifting by %s s would move cue \"%s\" (#%d) before the start of the audio (it "
                            "begins at %s s): move back by %s s at most, or move only the later cues with --from",
                            path, secs(by, b1, sizeof b1), lo_cue->id, lo_cue->index, secs(lo, b2, sizeof b2),
                            secs(lo, b3, sizeof b3));
    if (hi_cue && hi + by > SH_LESSON_MAX_TIME)
        return sh_error_set(err, SH_ERR_RANGE,
                            "%s: shifting by %s s would move cue \"%s\" (#%d) past %.0f s, the limit of a lesson "
                            "(it ends at %s s): --by is in seconds; move forward by %s s at most",
                            path, secs(by, b1, sizeof b1), hi_cue->id, hi_cue->index, SH_LESSON_MAX_TIME,
                            secs(hi, b2, sizeof b2), secs(SH_LESSON_MAX_TIME - hi, b3, sizeof b3));
    for (size_t i = first; i < n; i++) {
        const sh_cue *c = sh_lesson_cue(l, i);
        if (isnan(c->begin) && isnan(c->end))
            continue;
        double b = isnan(c->begin) ? NAN : c->begin + by, e = isnan(c->end) ? NAN : c->end + by;
        /* The cue's word times move with it: copied (the lesson frees them
         * when the new times no longer fit) and set after the times. */
        shifted_words sw;
        if (!shift_words(c, by, &sw))
            return sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory moving cue %zu", path, i + 1);
        int rc = sh_lesson_set_cue_times(l, i, b, e);
        if (rc == SH_OK && sw.n)
            rc = sh_lesson_set_cue_words(l, i, sw.words, sw.n);
        shifted_words_free(&sw);
        if (rc == SH_ERR_INVALID) /* in range, so begin and end met at the same millisecond */
            return sh_error_set(err, rc,
                                "%s: cue \"%s\" (#%zu) would begin and end at the same millisecond after shifting "
                                "by %s s: shift by whole milliseconds, such as 0.25",
                                path, c->id, i + 1, secs(by, b1, sizeof b1));
        if (rc != SH_OK)
            return sh_error_set(err, rc, "%s: cannot move cue %zu: %s", path, i + 1, sh_strerror(rc));
        (*moved)++;
    }
    return SH_OK;
}

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

int sh_cue_merge(sh_lesson *l, const char *key_a, const char *key_b, char *kept, char *gone, size_t idsize,
                 sh_error *err)
{
    const char *path = sh_lesson_path(l) ? sh_lesson_path(l) : "lesson";
    const sh_cue *a = sh_lesson_find_cue(l, key_a), *b = sh_lesson_find_cue(l, key_b);
    if (!a || !b)
        return sh_error_set(err, SH_ERR_NOT_FOUND, "%s: no cue '%s' (give an id such as p3 or a 1-based index)",
                            path, !a ? key_a : key_b);
    if (a->index > b->index) {
        const sh_cue *t = a;
        a = b;
        b = t;
    }
    if (b->index != a->index + 1)
        return sh_error_set(err, SH_ERR_INVALID,
                            "%s: cues %s and %s are not neighbours; only neighbouring cues can be merged", path,
                            a->id, b->id);
    size_t ia = (size_t)(a->index - 1), ib = (size_t)(b->index - 1);
    double begin = a->begin, end = b->end;
    if (!isnan(a->begin) && !isnan(b->begin) && b->begin < begin)
        begin = b->begin;
    if (!isnan(a->end) && !isnan(b->end) && a->end > end)
        end = a->end;
    if (isnan(begin) || isnan(end))
        begin = end = NAN;
    bool han = sh_cue_has_han(a->translation) || sh_cue_has_han(b->translation);
    char *text = join2(a->text, b->text, " ");
    char *tr = join2(a->translation, b->translation, han ? "" : " ");
    snprintf(kept, idsize, "%s", a->id);
    snprintf(gone, idsize, "%s", b->id);
    int rc = SH_ERR_NOMEM;
    if (text && (!a->translation || !b->translation || tr)) {
        /* a and b are invalid after the first edit */
        rc = sh_lesson_set_cue_text(l, ia, text, tr);
        if (rc == SH_OK)
            rc = sh_lesson_set_cue_times(l, ia, begin, end);
        if (rc == SH_OK)
            rc = sh_lesson_remove_cue(l, ib);
    }
    free(text);
    free(tr);
    if (rc != SH_OK)
        return sh_error_set(err, rc, "%s: could not merge %s and %s: %s", path, kept, gone, sh_strerror(rc));
    return SH_OK;
}

char **sh_cue_split_translation(const char *tr, size_t want)
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

int sh_cue_split_apply(sh_lesson *l, size_t at, char *const *sent, char *const *trs, const char *tr_all,
                       const double *begin, const double *end, size_t ns, sh_error *err)
{
    const char *path = sh_lesson_path(l) ? sh_lesson_path(l) : "lesson";
    const sh_cue *c = sh_lesson_cue(l, at);
    if (!c || ns == 0)
        return sh_error_set(err, SH_ERR_NOT_FOUND, "%s: no cue #%zu to split", path, at + 1);
    char base[80];
    snprintf(base, sizeof base, "%s", c->id);
    /* Checked before the cue is removed: every piece must be a valid cue. */
    for (size_t i = 0; i < ns; i++)
        if (!(end[i] > begin[i]) || !(begin[i] >= 0) || !(end[i] <= SH_LESSON_MAX_TIME) || !sent[i][0])
            return sh_error_set(err, SH_ERR_RANGE,
                                "%s: sentence %zu of cue %s would have no time (%.3f-%.3f s): split it by hand",
                                path, i + 1, base, begin[i], end[i]);
    int rc = sh_lesson_remove_cue(l, at);
    for (size_t i = 0; i < ns && rc == SH_OK; i++) {
        char id[160];
        snprintf(id, sizeof id, "%s-%zu", base, i + 1);
        const char *useid = sh_lesson_find_cue(l, id) ? NULL : id;
        const char *tr = trs ? trs[i] : i == 0 ? tr_all : NULL;
        rc = sh_lesson_insert_cue(l, at + i, useid, sent[i], tr, begin[i], end[i]);
        if (rc == SH_ERR_INVALID && useid) /* an id too long for the format: a fresh one */
            rc = sh_lesson_insert_cue(l, at + i, NULL, sent[i], tr, begin[i], end[i]);
    }
    if (rc != SH_OK)
        return sh_error_set(err, rc, "%s: could not split cue %s: %s", path, base, sh_strerror(rc));
    return SH_OK;
}

/* ---- edits timed from the audio's energy envelope ---- */

/* The loudest frame of the envelope (dBFS), -INFINITY when empty. */
static float loudest(const float *env, size_t n)
{
    float m = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (env[i] > m)
            m = env[i];
    return m;
}

int sh_cue_align_lesson(sh_lesson *l, const float *env, size_t env_len, int rate, double duration,
                        const char *audio, sh_align_cue *res, sh_align_stats *st, sh_error *err)
{
    const char *path = sh_lesson_path(l) ? sh_lesson_path(l) : "lesson";
    size_t n = sh_lesson_cue_count(l);
    if (env_len == 0 || !(duration > 0))
        return sh_error_set(err, SH_ERR_RANGE,
                            "%s: the audio has no samples (0 s): it is only a header; export or download the "
                            "broadcast again, or check that \"audio\" in %s names the right file",
                            audio, path);
    double *w = malloc((n ? n : 1) * sizeof *w);
    if (!w)
        return sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory aligning %zu cues", path, n);
    for (size_t i = 0; i < n; i++)
        w[i] = sh_align_text_weight(sh_lesson_cue(l, i)->text); /* at least 1 */
    sh_envelope_config ec = sh_envelope_config_init(rate);
    sh_align_config ac = sh_align_config_init(&ec);
    int rc = sh_align_envelope(&ac, env, env_len, 0, 0, false, NULL, w, n, res, st);
    free(w);
    float top = loudest(env, env_len);
    if (rc == SH_ERR_RANGE && top < -60.0f)
        return sh_error_set(err, rc,
                            "%s: the audio (%.1f s) is silent (its loudest moment is %.0f dBFS): there is no speech "
                            "to time; check that \"audio\" in %s names the broadcast",
                            audio, duration, isfinite(top) ? (double)top : -100.0, path);
    if (rc == SH_ERR_RANGE)
        return sh_error_set(err, rc,
                            "%s: the audio (%.1f s) has too few pauses for %zu cues: is it the right audio for "
                            "this text?", audio, duration, n);
    if (rc == SH_ERR_NOMEM)
        return sh_error_set(err, rc, "%s: out of memory aligning %zu cues to %.1f s of audio", path, n, duration);
    if (rc != SH_OK) /* the arguments are checked above: a bug if it happens */
        return sh_error_set(err, rc,
                            "%s: alignment failed (%s) with %zu cues and %.1f s of audio (%zu frames): please "
                            "report it", path, sh_strerror(rc), n, duration, env_len);
    for (size_t i = 0; i < n; i++) {
        double b = res[i].begin < 0 ? 0 : res[i].begin, e = res[i].end > duration ? duration : res[i].end;
        res[i].begin = b;
        res[i].end = e;
        rc = sh_lesson_set_cue_times(l, i, b, e);
        if (rc != SH_OK) {
            const sh_cue *c = sh_lesson_cue(l, i);
            return sh_error_set(err, rc,
                                "%s: cue \"%s\" (#%zu): the aligner found no room for it (%.3f to %.3f s, the "
                                "audio ends at %.3f s): check that the text matches the audio, or time it by hand",
                                path, c->id, i + 1, b, e, duration);
        }
    }
    return SH_OK;
}

size_t sh_cue_doc_fit_audio(sh_cue_doc *doc, bool ends_from_starts, const float *env, size_t env_len, int rate,
                            double duration, const char *path, const char *audio, sh_diag *diag)
{
    if (ends_from_starts) {
        /* LRC has starts only: each end is the next start trimmed back to
         * the speech edge, the last ends with the audio */
        sh_envelope_config ec = sh_envelope_config_init(rate);
        sh_align_config ac = sh_align_config_init(&ec);
        sh_align_levels lv;
        sh_align_measure(env, env_len, 0, 0, &lv);
        for (size_t i = 0; i < doc->n_cues; i++) {
            sh_cue_entry *c = &doc->cues[i];
            if (isnan(c->end) || c->end > duration)
                c->end = duration;
            c->end = sh_align_trim_end(&ac, &lv, env, env_len, c->begin, c->end);
        }
    }
    size_t errors = 0;
    for (size_t i = 0; i < doc->n_cues; i++) {
        sh_cue_entry *c = &doc->cues[i];
        if (c->begin >= duration) {
            sh_diag_add(diag, SH_DIAG_ERROR, path, c->line, 0, NULL, 0,
                        "cue starts at %.3f s, after the end of %s (%.3f s): check that --audio names the file "
                        "these cues time", c->begin, audio, duration);
            errors++;
            continue;
        }
        if (c->end > duration)
            c->end = duration;
        if (!(c->end > c->begin)) {
            sh_diag_add(diag, SH_DIAG_ERROR, path, c->line, 0, NULL, 0,
                        "cue has no length (%.3f s --> %.3f s): make its end later than its start", c->begin,
                        c->end);
            errors++;
        }
    }
    return errors;
}

int sh_cue_time_sentences(const float *env, size_t env_len, int rate, double begin, double end,
                          char *const *sent, size_t ns, sh_align_cue *res)
{
    if (ns == 0)
        return SH_ERR_INVALID;
    double *w = malloc(ns * sizeof *w);
    if (!w)
        return SH_ERR_NOMEM;
    for (size_t i = 0; i < ns; i++)
        w[i] = sh_align_text_weight(sent[i]);
    sh_envelope_config ec = sh_envelope_config_init(rate);
    sh_align_config ac = sh_align_config_init(&ec);
    /* the levels of the whole file: a cue may hold too little silence */
    sh_align_levels lv;
    sh_align_measure(env, env_len, 0, 0, &lv);
    /* the cue's frames, with its own edges pinned */
    double fb = floor((begin - ac.window_s / 2) / ac.hop_s), fe = ceil((end - ac.window_s / 2) / ac.hop_s) + 1;
    size_t from = fb < 0 ? 0 : (size_t)fb, to = fe < 0 ? 0 : (size_t)fe;
    if (to > env_len)
        to = env_len;
    int rc = from < to ? sh_align_envelope(&ac, env, env_len, from, to, true, &lv, w, ns, res, NULL) : SH_ERR_RANGE;
    free(w);
    if (rc == SH_OK) {
        res[0].begin = begin;
        res[ns - 1].end = end;
    }
    return rc;
}
