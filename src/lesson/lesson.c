/* Lesson files: loading, validation, lookups. Format: doc/lesson-format.md.
 *
 * Loading is three passes over the text: jsonscan.c checks UTF-8, syntax
 * and nesting and records where each value is; cJSON builds the tree; the
 * validator below walks the tree and the scanner's node list side by side,
 * so every schema error points at the value it is about. All problems are
 * reported, not just the first, so a teacher fixes a file in one pass.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "lesson/lesson_priv.h"

/* Warnings: thresholds a teacher would want to hear about. */
#define MIN_CUE_S 0.5
#define MAX_CUE_S 60.0
#define MAX_GAP_S 10.0
#define MAX_PAD_S 10.0  /* defaults.lead / defaults.tail */
#define MAX_GAP_DEFAULT_S 60.0
#define MAX_GAP_FACTOR 10.0
#define MAX_LOOPS 99
#define MAX_ID_LEN 64
/* At most this many diagnostics per file (like gcc -fmax-errors): a broken
 * 16 MiB file could otherwise yield millions of lines and gigabytes. */
#define MAX_SHOWN SH_DIAG_MAX_SHOWN
/* Value locations are recorded down to cue fields (root, cues, cue, field). */
#define RECORD_DEPTH 6 /* and a cue's words: words, word, field */

/* ---- validation context ------------------------------------------------ */

typedef struct vctx {
    sh_diag *diag;
    const char *file;
    const char *text; /* may be NULL (rebuild after an edit) */
    const sh_jscan *sc;
    unsigned flags;
    int errors;
    sh_lesson_model *m; /* for naming cues by id */
    int shown;          /* diagnostics added */
    int hidden[2];      /* errors, warnings past MAX_SHOWN */
} vctx;

static const sh_jnode *node(const vctx *c, uint32_t ni)
{
    return (c->sc && ni != SH_JNONE && ni < c->sc->n) ? &c->sc->nodes[ni] : NULL;
}

static void node_lc(const vctx *c, uint32_t ni, bool at_key, int *line, int *col)
{
    const sh_jnode *n = node(c, ni);
    *line = *col = 0;
    if (!n)
        return;
    if (at_key && n->key_line) {
        *line = (int)n->key_line;
        *col = (int)n->key_col;
    } else {
        *line = (int)n->line;
        *col = (int)n->col;
    }
}

/* A number as a person would write it: up to millisecond precision, no
 * trailing zeros ("4.2", "5", "0.125"). */
static const char *fmt_num(double v, char *buf, size_t size)
{
    if (!isfinite(v) || fabs(v) >= 1e15) {
        snprintf(buf, size, "%g", v);
        return buf;
    }
    snprintf(buf, size, "%.3f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf);
        while (e > dot + 1 && e[-1] == '0')
            *--e = '\0';
        if (e == dot + 1)
            *dot = '\0';
    }
    return buf;
}

/* The value as written in the file (truncated), for messages; falls back to
 * printing the cJSON value when the text is not available. */
static const char *raw(const vctx *c, uint32_t ni, const cJSON *v, char *buf, size_t size)
{
    const sh_jnode *n = node(c, ni);
    if (n && c->text) {
        size_t len = n->len, max = size - 4;
        bool cut = false;
        if (len > 40 && max > 40)
            max = 40;
        if (len > max) {
            len = max;
            while (len > 0 && ((unsigned char)c->text[n->off + len] & 0xC0) == 0x80)
                len--; /* do not cut a UTF-8 character */
            cut = true;
        }
        snprintf(buf, size, "%.*s%s", (int)len, c->text + n->off, cut ? "..." : "");
        return buf;
    }
    if (cJSON_IsNumber(v))
        return fmt_num(v->valuedouble, buf, size);
    if (cJSON_IsString(v)) {
        snprintf(buf, size, "\"%.40s\"", v->valuestring);
        return buf;
    }
    snprintf(buf, size, "%s", cJSON_IsNull(v) ? "null" : cJSON_IsBool(v) ? (cJSON_IsTrue(v) ? "true" : "false")
                              : cJSON_IsArray(v) ? "[...]" : "{...}");
    return buf;
}

static const char *type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? "true" : "false";
    return "null";
}

/* Add a diagnostic unless MAX_SHOWN have been added; count it either way. */
#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
static void add_capped(vctx *c, sh_diag_level level, int line, int col, const char *id, int cue, const char *fmt, ...)
{
    if (!c->diag)
        return;
    if (c->shown >= MAX_SHOWN) {
        c->hidden[level == SH_DIAG_ERROR ? 0 : 1]++;
        return;
    }
    c->shown++;
    va_list ap;
    va_start(ap, fmt);
    char *msg = sh_vasprintf(fmt, ap);
    va_end(ap);
    sh_diag_add(c->diag, level, c->file, line, col, id, cue, "%s", msg ? msg : "out of memory");
    free(msg);
}

static void add_hidden_note(const vctx *c)
{
    sh_diag_note_hidden(c->diag, c->file, (size_t)c->hidden[0], (size_t)c->hidden[1]);
}

/* Report at node `ni` (its key when at_key). `cue` is the 1-based cue the
 * problem is about (0: none): the message is prefixed with its id and index. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static void report(vctx *c, sh_diag_level level, uint32_t ni, bool at_key, int cue, const char *fmt, ...)
{
    if (level == SH_DIAG_ERROR)
        c->errors++;
    if (!c->diag)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = sh_vasprintf(fmt, ap);
    va_end(ap);
    int line, col;
    node_lc(c, ni, at_key, &line, &col);
    const char *id = NULL;
    if (cue > 0 && c->m && c->m->cues && (size_t)cue <= c->m->ncues)
        id = c->m->cues[cue - 1].id;
    if (!msg)
        add_capped(c, level, line, col, id, cue, "out of memory");
    else if (cue > 0 && id)
        add_capped(c, level, line, col, id, cue, "cue \"%s\" (#%d): %s", id, cue, msg);
    else if (cue > 0)
        add_capped(c, level, line, col, NULL, cue, "cue #%d: %s", cue, msg);
    else
        add_capped(c, level, line, col, NULL, 0, "%s", msg);
    free(msg);
}

#define ERR(c, ni, cue, ...) report((c), SH_DIAG_ERROR, (ni), false, (cue), __VA_ARGS__)
#define WARN(c, ni, cue, ...) report((c), SH_DIAG_WARNING, (ni), false, (cue), __VA_ARGS__)

/* ---- object members ------------------------------------------------------ */

/* The member `key` of `obj` (node `oni`), its node in *vni. A repeated key
 * is an error at the repeat (the first one is used). NULL when absent. */
static cJSON *member(vctx *c, const cJSON *obj, uint32_t oni, const char *key, uint32_t *vni, int cue)
{
    cJSON *found = NULL;
    uint32_t fni = SH_JNONE;
    uint32_t ni = c->sc ? sh_jnode_first(c->sc, oni) : SH_JNONE;
    for (cJSON *it = obj->child; it; it = it->next) {
        if (it->string && strcmp(it->string, key) == 0) {
            if (!found) {
                found = it;
                fni = ni;
            } else {
                const sh_jnode *f = node(c, fni);
                if (f)
                    report(c, SH_DIAG_ERROR, ni, true, cue,
                           "duplicate key \"%s\" (first at line %u, column %u): remove one of them", key,
                           f->key_line, f->key_col);
                else
                    report(c, SH_DIAG_ERROR, ni, true, cue, "duplicate key \"%s\": remove one of them", key);
            }
        }
        ni = c->sc ? sh_jnode_next(c->sc, oni, ni) : SH_JNONE;
    }
    *vni = fni;
    return found;
}

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* An optional string member: NULL when absent or null; an error when it
 * is another type. */
static const char *opt_string(vctx *c, const cJSON *obj, uint32_t oni, const char *key, int cue, uint32_t *vni_out)
{
    uint32_t vni;
    cJSON *v = member(c, obj, oni, key, &vni, cue);
    if (vni_out)
        *vni_out = vni;
    if (!v || cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsString(v)) {
        char b[64];
        ERR(c, vni, cue, "\"%s\" must be a string in double quotes, not %s %s", key, type_name(v),
            raw(c, vni, v, b, sizeof b));
        return NULL;
    }
    return v->valuestring;
}

/* A required, non-blank string member. `what` says what to write. */
static const char *req_string(vctx *c, const cJSON *obj, uint32_t oni, const char *key, int cue, const char *what,
                              uint32_t *vni_out)
{
    uint32_t vni;
    cJSON *v = member(c, obj, oni, key, &vni, cue);
    if (vni_out)
        *vni_out = vni;
    if (!v || cJSON_IsNull(v)) {
        ERR(c, v ? vni : oni, cue, "missing \"%s\": add %s", key, what);
        return NULL;
    }
    if (!cJSON_IsString(v)) {
        char b[64];
        ERR(c, vni, cue, "\"%s\" must be a string in double quotes, not %s %s", key, type_name(v),
            raw(c, vni, v, b, sizeof b));
        return NULL;
    }
    if (is_blank(v->valuestring)) {
        ERR(c, vni, cue, "\"%s\" is empty: write %s", key, what);
        return NULL;
    }
    return v->valuestring;
}

/* A time value (number of seconds or "[hh:]mm:ss[.fff]"), 0 <= t <= max.
 * Returns 1 when present and valid, 0 when absent or null, -1 on error. */
static int time_value(vctx *c, const cJSON *v, uint32_t vni, const char *key, int cue, double max, double *out)
{
    char b[64], mb[32];
    if (!v || cJSON_IsNull(v))
        return 0;
    double t;
    if (cJSON_IsNumber(v)) {
        t = v->valuedouble;
        if (!isfinite(t)) {
            ERR(c, vni, cue, "\"%s\" %s is not a finite number: write seconds, such as 12.5", key,
                raw(c, vni, v, b, sizeof b));
            return -1;
        }
        if (t < 0) {
            ERR(c, vni, cue, "\"%s\" %s is negative: times count from the start of the audio, 0 or more", key,
                raw(c, vni, v, b, sizeof b));
            return -1;
        }
    } else if (cJSON_IsString(v)) {
        const char *s = v->valuestring;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '-') {
            ERR(c, vni, cue, "\"%s\" %s is negative: times count from the start of the audio, 0 or more", key,
                raw(c, vni, v, b, sizeof b));
            return -1;
        }
        if (!sh_time_parse(v->valuestring, &t)) {
            ERR(c, vni, cue,
                "\"%s\" %s is not a time: write seconds (12.5) or \"[hh:]mm:ss[.fff]\" (\"1:02.5\"), "
                "minutes and seconds below 60",
                key, raw(c, vni, v, b, sizeof b));
            return -1;
        }
    } else {
        ERR(c, vni, cue, "\"%s\" must be seconds (12.5) or a time string (\"1:02.5\"), not %s %s", key, type_name(v),
            raw(c, vni, v, b, sizeof b));
        return -1;
    }
    if (t > max) {
        ERR(c, vni, cue, "\"%s\" %s is beyond the limit of %s s: check the value", key, raw(c, vni, v, b, sizeof b),
            fmt_num(max, mb, sizeof mb));
        return -1;
    }
    *out = t;
    return 1;
}

/* An optional whole number in [lo, hi]; returns 1, 0 (absent) or -1. */
static int int_value(vctx *c, const cJSON *v, uint32_t vni, const char *key, int cue, int lo, int hi,
                     const char *what, int *out)
{
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble != floor(v->valuedouble) ||
        v->valuedouble < lo || v->valuedouble > hi) {
        char b[64];
        ERR(c, vni, cue, "\"%s\" %s must be a whole number from %d to %d (%s)", key, raw(c, vni, v, b, sizeof b), lo,
            hi, what);
        return -1;
    }
    *out = (int)v->valuedouble;
    return 1;
}

/* ---- likely typos in member names ----------------------------------------- */

static const char *const TOP_KEYS[] = {"shadowing", "title", "audio", "language", "translation_language", "source",
                                       "level", "notes", "defaults", "cues", "vocabulary", "pronunciations", NULL};
static const char *const CUE_KEYS[] = {"id", "begin", "end", "text", "translation", "notes", "loops", "words", NULL};
static const char *const DEFAULTS_KEYS[] = {"lead", "tail", "gap", "loops", NULL};
static const char *const VOCAB_KEYS[] = {"word", "ipa", "meaning", NULL};

/* Names other tools use for our members. */
static const struct {
    const char *alias, *key;
} ALIASES[] = {
    {"start", "begin"}, {"from", "begin"}, {"stop", "end"}, {"to", "end"}, {"finish", "end"},
    {"sentence", "text"}, {"transcript", "text"}, {"repeat", "loops"}, {"name", "title"}, {"file", "audio"},
    {"media", "audio"}, {"paragraphs", "cues"}, {"segments", "cues"}, {"words", "vocabulary"},
    {"version", "shadowing"},
};

/* Edit distance (insert, delete, substitute; case-insensitive), capped. */
static int distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 32 || nb > 32)
        return 99;
    int row[33];
    for (size_t j = 0; j <= nb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= nb; j++) {
            int up = row[j];
            char x = a[i - 1], y = b[j - 1];
            if (x >= 'A' && x <= 'Z')
                x = (char)(x - 'A' + 'a');
            int cost = x != y;
            int best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* Unknown members are kept, but one that looks like a misspelt known member
 * ("transltion", "Text", "start") is most likely a mistake: say so. */
static void check_unknown(vctx *c, const cJSON *obj, uint32_t oni, const char *const *known, int cue)
{
    if (!c->diag)
        return;
    uint32_t ni = c->sc ? sh_jnode_first(c->sc, oni) : SH_JNONE;
    for (const cJSON *it = obj->child; it; it = it->next) {
        const char *k = it->string;
        const char *guess = NULL;
        bool is_known = false;
        for (const char *const *q = known; *q && k; q++)
            if (strcmp(k, *q) == 0)
                is_known = true;
        if (k && !is_known) {
            size_t kl = strlen(k);
            for (const char *const *q = known; *q && !guess; q++) {
                size_t ql = strlen(*q);
                int max = ql <= 3 ? 1 : 2;
                if (kl + 2 >= ql && ql + 2 >= kl && distance(k, *q) <= max)
                    guess = *q;
            }
            for (size_t a = 0; !guess && a < sizeof ALIASES / sizeof *ALIASES; a++)
                for (const char *const *q = known; *q; q++)
                    if (strcmp(k, ALIASES[a].alias) == 0 && strcmp(ALIASES[a].key, *q) == 0)
                        guess = *q;
        }
        if (guess)
            report(c, SH_DIAG_WARNING, ni, true, cue,
                   "unknown member \"%s\" is ignored: did you mean \"%s\"?", k, guess);
        ni = c->sc ? sh_jnode_next(c->sc, oni, ni) : SH_JNONE;
    }
}

/* ---- ids ------------------------------------------------------------------- */

bool sh_lesson_id_valid_(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > MAX_ID_LEN || id[0] == '.')
        return false;
    for (const char *p = id; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_' || ch == '.'))
            return false;
    }
    return true;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* ---- the model ------------------------------------------------------------- */

void sh_lesson_model_free_(sh_lesson_model *m)
{
    if (m->gen_ids)
        for (size_t i = 0; i < m->ncues; i++)
            free(m->gen_ids[i]);
    free(m->gen_ids);
    free(m->objs);
    sh_idset_free_(&m->ids);
    if (m->cues)
        for (size_t i = 0; i < m->ncues; i++)
            free((void *)m->cues[i].words);
    free(m->cues);
    free(m->locs);
    free(m->vocab);
    free(m->prons);
    free(m->audio_path);
    memset(m, 0, sizeof *m);
}

static sh_playback_defaults builtin_defaults(void)
{
    return (sh_playback_defaults){.lead_s = 0.05, .tail_s = 0.3, .gap_s = 0.0, .gap_factor = 0.0, .loops = 1};
}

static void check_defaults(vctx *c, const cJSON *d, uint32_t dni, sh_playback_defaults *out)
{
    char b[64];
    if (!cJSON_IsObject(d)) {
        ERR(c, dni, 0, "\"defaults\" must be an object such as {\"lead\": 0.1, \"tail\": 0.3, \"loops\": 2}, not %s",
            type_name(d));
        return;
    }
    check_unknown(c, d, dni, DEFAULTS_KEYS, 0);
    uint32_t vni;
    cJSON *v = member(c, d, dni, "lead", &vni, 0);
    time_value(c, v, vni, "lead", 0, MAX_PAD_S, &out->lead_s);
    v = member(c, d, dni, "tail", &vni, 0);
    time_value(c, v, vni, "tail", 0, MAX_PAD_S, &out->tail_s);
    v = member(c, d, dni, "gap", &vni, 0);
    if (cJSON_IsString(v) && (v->valuestring[0] == 'x' || v->valuestring[0] == 'X')) {
        /* "x1.2": the pause is 1.2 times the cue's length (time to repeat it). */
        double f;
        if (!sh_time_parse(v->valuestring + 1, &f) || strchr(v->valuestring, ':') || f <= 0 || f > MAX_GAP_FACTOR)
            ERR(c, vni, 0, "\"gap\" %s is not a valid multiple: write \"x1.2\" (1.2 times the cue's length, "
                           "above 0 and at most %g) or seconds",
                raw(c, vni, v, b, sizeof b), MAX_GAP_FACTOR);
        else
            out->gap_factor = f, out->gap_s = 0;
    } else {
        time_value(c, v, vni, "gap", 0, MAX_GAP_DEFAULT_S, &out->gap_s);
    }
    v = member(c, d, dni, "loops", &vni, 0);
    int_value(c, v, vni, "loops", 0, 0, MAX_LOOPS, "times to play each cue; 0 loops until you move on",
              &out->loops);
}

static void check_vocab(vctx *c, const cJSON *a, uint32_t ani, sh_lesson_model *m)
{
    if (!cJSON_IsArray(a)) {
        ERR(c, ani, 0, "\"vocabulary\" must be an array of {\"word\", \"ipa\", \"meaning\"} objects, not %s",
            type_name(a));
        return;
    }
    size_t n = 0;
    for (cJSON *it = a->child; it; it = it->next)
        n++;
    if (n == 0)
        return;
    m->vocab = calloc(n, sizeof *m->vocab);
    if (!m->vocab) {
        c->errors++;
        return;
    }
    m->vocab_cap = n;
    uint32_t ni = c->sc ? sh_jnode_first(c->sc, ani) : SH_JNONE;
    size_t k = 0;
    for (cJSON *it = a->child; it; it = it->next, k++) {
        if (!cJSON_IsObject(it)) {
            ERR(c, ni, 0, "vocabulary entry #%zu must be an object {\"word\": ..., \"meaning\": ...}, not %s",
                k + 1, type_name(it));
        } else {
            check_unknown(c, it, ni, VOCAB_KEYS, 0);
            uint32_t vni;
            cJSON *w = member(c, it, ni, "word", &vni, 0);
            if (!w || cJSON_IsNull(w))
                ERR(c, ni, 0, "vocabulary entry #%zu: missing \"word\": add the word or phrase", k + 1);
            else if (!cJSON_IsString(w) || is_blank(w->valuestring))
                ERR(c, vni, 0, "vocabulary entry #%zu: \"word\" must be a non-empty string", k + 1);
            else
                m->vocab[m->nvocab].word = w->valuestring;
            m->vocab[m->nvocab].ipa = opt_string(c, it, ni, "ipa", 0, NULL);
            m->vocab[m->nvocab].meaning = opt_string(c, it, ni, "meaning", 0, NULL);
            if (m->vocab[m->nvocab].word)
                m->nvocab++;
        }
        ni = c->sc ? sh_jnode_next(c->sc, ani, ni) : SH_JNONE;
    }
}

static void set_loc(const vctx *c, uint32_t ni, int *line, int *col)
{
    node_lc(c, ni, false, line, col);
}

/* Warnings over the timed cues, in file order. */
static void check_timing(vctx *c, const sh_lesson_model *m)
{
    char b1[32], b2[32], b3[32];
    const sh_cue *prev = NULL;
    double max_end = -1.0;
    const sh_cue *max_end_cue = NULL;
    for (size_t i = 0; i < m->ncues; i++) {
        const sh_cue *q = &m->cues[i];
        if (isnan(q->begin) || isnan(q->end))
            continue;
        const sh_cue_loc *L = &m->locs[i];
        double len = q->end - q->begin;
        int line = L->begin_line, col = L->begin_col;
        if (len < MIN_CUE_S)
            add_capped(c, SH_DIAG_WARNING, line, col, q->id, q->index,
                        "cue \"%s\" (#%d): lasts only %s s (under %g s): check \"begin\" and \"end\", or merge it "
                        "with a neighbour",
                        q->id, q->index, fmt_num(len, b1, sizeof b1), MIN_CUE_S);
        else if (len > MAX_CUE_S)
            add_capped(c, SH_DIAG_WARNING, line, col, q->id, q->index,
                        "cue \"%s\" (#%d): lasts %s s (over %g s), too long to repeat from memory: split it into "
                        "shorter cues",
                        q->id, q->index, fmt_num(len, b1, sizeof b1), MAX_CUE_S);
        if (prev) {
            if (q->begin < prev->begin) {
                add_capped(c, SH_DIAG_WARNING, line, col, q->id, q->index,
                            "cue \"%s\" (#%d): begins at %s, before cue \"%s\" (#%d) at %s: cues are played in "
                            "file order; move it to its place",
                            q->id, q->index, sh_time_format(q->begin, b1, sizeof b1), prev->id, prev->index,
                            sh_time_format(prev->begin, b2, sizeof b2));
            } else if (q->begin < max_end) {
                add_capped(c, SH_DIAG_WARNING, line, col, q->id, q->index,
                            "cue \"%s\" (#%d): begins at %s, %s s before cue \"%s\" (#%d) ends (%s): the cues "
                            "overlap; move this \"begin\" or that \"end\"",
                            q->id, q->index, sh_time_format(q->begin, b1, sizeof b1),
                            fmt_num(max_end - q->begin, b3, sizeof b3), max_end_cue->id, max_end_cue->index,
                            sh_time_format(max_end, b2, sizeof b2));
            } else if (q->begin - max_end > MAX_GAP_S) {
                add_capped(c, SH_DIAG_WARNING, line, col, q->id, q->index,
                            "cue \"%s\" (#%d): begins %s s after cue \"%s\" (#%d) ends (over %g s): a paragraph may "
                            "be missing, or the times are off",
                            q->id, q->index, fmt_num(q->begin - max_end, b1, sizeof b1), max_end_cue->id,
                            max_end_cue->index, MAX_GAP_S);
            }
        }
        prev = q;
        if (q->end > max_end) {
            max_end = q->end;
            max_end_cue = q;
        }
    }
}

/* lesson_words.c reports through these. */
static void words_report(void *ctx, uint32_t ni, int cue, const char *msg)
{
    report(ctx, SH_DIAG_ERROR, ni, false, cue, "%s", msg);
    ((vctx *)ctx)->errors--; /* counted by the caller from the return value */
}

static void words_report_key(void *ctx, uint32_t ni, int cue, const char *msg)
{
    report(ctx, SH_DIAG_ERROR, ni, true, cue, "%s", msg);
    ((vctx *)ctx)->errors--;
}

static void check_cues(vctx *c, const cJSON *cues, uint32_t cni, sh_lesson_model *m)
{
    size_t n = 0;
    for (cJSON *it = cues->child; it; it = it->next)
        n++;
    if (n == 0) {
        if (!(c->flags & SH_LESSON_ALLOW_EMPTY_))
            ERR(c, cni, 0, "\"cues\" is empty: add at least one cue {\"begin\", \"end\", \"text\"}");
        return;
    }
    if (n > INT32_MAX / 2) {
        ERR(c, cni, 0, "too many cues");
        return;
    }
    m->cues = calloc(n, sizeof *m->cues);
    m->locs = calloc(n, sizeof *m->locs);
    m->gen_ids = calloc(n, sizeof *m->gen_ids);
    m->objs = calloc(n, sizeof *m->objs);
    uint32_t *nodes = malloc(n * sizeof *nodes);
    const cJSON **items = malloc(n * sizeof *items);
    sh_idset *ids = &m->ids;
    if (!m->cues || !m->locs || !m->gen_ids || !m->objs || !nodes || !items || !sh_idset_init_(ids, n)) {
        c->errors++;
        goto done;
    }
    m->ncues = m->cap = n;
    uint32_t ni = c->sc ? sh_jnode_first(c->sc, cni) : SH_JNONE;
    size_t k = 0;
    for (cJSON *it = cues->child; it; it = it->next, k++) {
        items[k] = m->objs[k] = it;
        nodes[k] = ni;
        ni = c->sc ? sh_jnode_next(c->sc, cni, ni) : SH_JNONE;
    }

    /* Pass 1: explicit ids, unique. */
    for (k = 0; k < n; k++) {
        sh_cue *q = &m->cues[k];
        q->index = (int)k + 1;
        q->begin = q->end = NAN;
        set_loc(c, nodes[k], &q->line, &q->col);
        if (!cJSON_IsObject(items[k])) {
            ERR(c, nodes[k], q->index, "must be an object {\"id\", \"begin\", \"end\", \"text\"}, not %s",
                type_name(items[k]));
            continue;
        }
        uint32_t vni;
        cJSON *v = member(c, items[k], nodes[k], "id", &vni, q->index);
        set_loc(c, vni, &m->locs[k].id_line, &m->locs[k].id_col);
        if (!v || cJSON_IsNull(v))
            continue;
        char b[64];
        if (!cJSON_IsString(v)) {
            ERR(c, vni, q->index, "\"id\" must be a string such as \"p%d\", not %s %s", q->index, type_name(v),
                raw(c, vni, v, b, sizeof b));
            continue;
        }
        if (!sh_lesson_id_valid_(v->valuestring)) {
            ERR(c, vni, q->index,
                "\"id\" %s is not a valid id: use 1 to %d letters, digits, '-', '_' or '.' (ids name files), "
                "such as \"p%d\"",
                raw(c, vni, v, b, sizeof b), MAX_ID_LEN, q->index);
            continue;
        }
        int first = sh_idset_get_or_add_(ids, v->valuestring, q->index);
        if (first < 0) { /* cannot happen: the set has room for n ids */
            c->errors++;
            goto done;
        }
        if (first) {
            q->id = v->valuestring; /* name it as written; the index tells them apart */
            const sh_cue_loc *fl = &m->locs[first - 1];
            ERR(c, vni, q->index, "duplicate id \"%s\": cue #%d (line %d) already has it: give each cue its own id",
                v->valuestring, first, fl->id_line);
            continue;
        }
        q->id = v->valuestring;
        if (all_digits(q->id) && strtol(q->id, NULL, 10) != q->index)
            WARN(c, vni, q->index,
                 "id \"%s\" is a number: looking up \"%s\" finds this cue, not cue #%s; prefer ids such as \"p%d\"",
                 q->id, q->id, q->id, q->index);
    }
    /* Pass 2: generated ids "pN", clear of every explicit id. */
    for (k = 0; k < n; k++) {
        sh_cue *q = &m->cues[k];
        if (q->id)
            continue;
        for (size_t num = k + 1;; num++) {
            char *id = sh_asprintf("p%zu", num);
            if (!id) {
                c->errors++;
                goto done;
            }
            int used = sh_idset_get_or_add_(ids, id, q->index);
            if (used < 0) {
                free(id);
                c->errors++;
                goto done;
            }
            if (!used) {
                m->gen_ids[k] = id;
                m->ngen++;
                q->id = id;
                break;
            }
            free(id);
        }
    }
    /* Pass 3: the other fields. */
    for (k = 0; k < n; k++) {
        sh_cue *q = &m->cues[k];
        const cJSON *o = items[k];
        if (!cJSON_IsObject(o))
            continue;
        uint32_t oni = nodes[k], bni, eni;
        check_unknown(c, o, oni, CUE_KEYS, q->index);
        cJSON *bv = member(c, o, oni, "begin", &bni, q->index);
        cJSON *ev = member(c, o, oni, "end", &eni, q->index);
        set_loc(c, bni, &m->locs[k].begin_line, &m->locs[k].begin_col);
        set_loc(c, eni, &m->locs[k].end_line, &m->locs[k].end_col);
        double b = NAN, e = NAN;
        int rb = time_value(c, bv, bni, "begin", q->index, SH_LESSON_MAX_TIME, &b);
        int re = time_value(c, ev, eni, "end", q->index, SH_LESSON_MAX_TIME, &e);
        if (!(c->flags & SH_LESSON_ALLOW_UNTIMED)) {
            if (rb == 0)
                ERR(c, bv ? bni : oni, q->index,
                    "missing \"begin\": add the time the paragraph starts, in seconds or \"mm:ss.fff\"");
            if (re == 0)
                ERR(c, ev ? eni : oni, q->index,
                    "missing \"end\": add the time the paragraph ends, in seconds or \"mm:ss.fff\"");
        }
        if (rb == 1 && re == 1 && !(e > b)) {
            char b1[64], b2[64];
            ERR(c, eni, q->index, "\"end\" %s is not after \"begin\" %s: make end later than begin",
                raw(c, eni, ev, b1, sizeof b1), raw(c, bni, bv, b2, sizeof b2));
            rb = re = -1; /* no timing warnings about this cue */
        }
        q->begin = rb == 1 ? b : NAN;
        q->end = re == 1 ? e : NAN;
        q->text = req_string(c, o, oni, "text", q->index, "the English paragraph", NULL);
        q->translation = opt_string(c, o, oni, "translation", q->index, NULL);
        q->notes = opt_string(c, o, oni, "notes", q->index, NULL);
        uint32_t lni;
        cJSON *lv = member(c, o, oni, "loops", &lni, q->index);
        int_value(c, lv, lni, "loops", q->index, 1, MAX_LOOPS,
                  "times to play this cue; leave it out to use the lesson's default", &q->loops);
        c->errors += sh_lesson_cue_words_(&(sh_lesson_wctx_){c, c->sc, words_report, words_report_key}, o, oni, q);
    }
    if (c->diag)
        check_timing(c, m);
done:
    free(nodes);
    free(items);
}

int sh_lesson_build_(sh_lesson *l, const char *text, const sh_jscan *scan, unsigned flags, sh_diag *diag)
{
    sh_lesson_model m = {0};
    m.defaults = builtin_defaults();
    l->builds++;
    vctx c = {.diag = diag, .file = l->path, .text = text, .sc = scan, .flags = flags, .m = &m};
    const cJSON *root = l->root;
    const uint32_t rni = 0;
    uint32_t vni;
    char b[64];

    if (!cJSON_IsObject(root)) {
        ERR(&c, rni, 0, "the top level must be an object { \"shadowing\": 1, ... }, not %s (see doc/lesson-format.md)",
            type_name(root));
        goto out;
    }
    cJSON *ver = member(&c, root, rni, "shadowing", &vni, 0);
    if (!ver) {
        ERR(&c, rni, 0, "missing \"shadowing\": 1 (the format version): add it as the first member");
    } else if (!cJSON_IsNumber(ver)) {
        ERR(&c, vni, 0, "\"shadowing\" must be the number %d (the format version), not %s %s",
            SH_LESSON_FORMAT_VERSION, type_name(ver), raw(&c, vni, ver, b, sizeof b));
    } else if (ver->valuedouble > SH_LESSON_FORMAT_VERSION && ver->valuedouble == floor(ver->valuedouble)) {
        /* A newer format may mean anything: stop rather than guess. */
        ERR(&c, vni, 0, "format version %s is newer than this program reads (version %d): update shadowing",
            raw(&c, vni, ver, b, sizeof b), SH_LESSON_FORMAT_VERSION);
        goto out;
    } else if (ver->valuedouble != SH_LESSON_FORMAT_VERSION) {
        ERR(&c, vni, 0, "unknown format version %s: this program reads version %d; write \"shadowing\": %d",
            raw(&c, vni, ver, b, sizeof b), SH_LESSON_FORMAT_VERSION, SH_LESSON_FORMAT_VERSION);
        goto out;
    }
    check_unknown(&c, root, rni, TOP_KEYS, 0);
    m.title = req_string(&c, root, rni, "title", 0, "the lesson's title, such as \"title\": \"BBC News, 3 May\"",
                         NULL);
    m.audio = req_string(&c, root, rni, "audio", 0,
                         "the audio file's name, relative to this file, such as \"audio\": \"news.mp3\"", &vni);
    set_loc(&c, vni, &m.audio_line, &m.audio_col);
    m.language = opt_string(&c, root, rni, "language", 0, NULL);
    m.translation_language = opt_string(&c, root, rni, "translation_language", 0, NULL);
    m.source = opt_string(&c, root, rni, "source", 0, NULL);
    m.level = opt_string(&c, root, rni, "level", 0, NULL);
    m.notes = opt_string(&c, root, rni, "notes", 0, NULL);
    if (!m.language || !*m.language)
        m.language = "en";

    cJSON *d = member(&c, root, rni, "defaults", &vni, 0);
    if (d && !cJSON_IsNull(d))
        check_defaults(&c, d, vni, &m.defaults);

    cJSON *cues = member(&c, root, rni, "cues", &vni, 0);
    if (!cues || cJSON_IsNull(cues)) {
        if (!(flags & SH_LESSON_ALLOW_EMPTY_))
            ERR(&c, rni, 0, "missing \"cues\": add \"cues\": [{\"begin\": 0.0, \"end\": 4.2, \"text\": \"...\"}]");
    } else if (!cJSON_IsArray(cues)) {
        ERR(&c, vni, 0, "\"cues\" must be an array [...] of cue objects, not %s", type_name(cues));
    } else {
        check_cues(&c, cues, vni, &m);
    }

    c.errors += sh_lesson_prons_(&(sh_lesson_wctx_){&c, c.sc, words_report, words_report_key}, root, rni, &m);

    cJSON *voc = member(&c, root, rni, "vocabulary", &vni, 0);
    if (voc && !cJSON_IsNull(voc))
        check_vocab(&c, voc, vni, &m);

    if (m.audio) {
        m.audio_path = sh_path_resolve(l->path ? l->path : "lesson.json", m.audio);
        if (!m.audio_path)
            c.errors++;
    }
out:
    add_hidden_note(&c);
    m.hidden_errors = c.hidden[0];
    m.hidden_warnings = c.hidden[1];
    sh_lesson_model_free_(&l->m);
    if (c.errors && !(flags & SH_LESSON_KEEP_INVALID_)) {
        sh_lesson_model_free_(&m);
        return c.errors;
    }
    l->m = m;
    return c.errors;
}

/* ---- loading --------------------------------------------------------------- */

int sh_lesson_parse(const char *json, size_t len, const char *name, unsigned flags, sh_lesson **out, sh_diag *diag)
{
    *out = NULL;
    if (!json)
        return SH_ERR_INVALID;
    if (len > SH_LESSON_MAX_BYTES) {
        sh_diag_add(diag, SH_DIAG_ERROR, name, 0, 0, NULL, 0,
                    "the file is %.1f MiB, over the %u MiB limit for lesson files: split the lesson",
                    (double)len / (1 << 20), SH_LESSON_MAX_BYTES >> 20);
        return SH_ERR_TOO_LARGE;
    }
    sh_lesson *l = calloc(1, sizeof *l);
    if (!l)
        return SH_ERR_NOMEM;
    int rc = SH_ERR_NOMEM;
    if (name && !(l->path = strdup(name)))
        goto fail;
    if (!sh_json_scan(json, len, SH_LESSON_MAX_DEPTH, SH_LESSON_MAX_VALUES, RECORD_DEPTH, &l->scan)) {
        if (l->scan.nomem)
            goto fail;
        sh_diag_add(diag, SH_DIAG_ERROR, name, (int)l->scan.err_line, (int)l->scan.err_col, NULL, 0, "%s",
                    l->scan.err_msg);
        rc = SH_ERR_FORMAT;
        goto fail;
    }
    size_t bom = (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    const char *end = NULL;
    l->root = cJSON_ParseWithLengthOpts(json + bom, len - bom, &end, 0);
    if (!l->root) {
        /* The scanner accepted it, so this is out of memory or a case where
         * cJSON is stricter than RFC 8259: report where cJSON stopped. */
        int line = 0, col = 0;
        if (end)
            sh_json_linecol(json, len, (size_t)(end - json), &line, &col);
        sh_diag_add(diag, SH_DIAG_ERROR, name, line, col, NULL, 0,
                    "JSON syntax error (or out of memory) here: check the JSON syntax");
        rc = SH_ERR_FORMAT;
        goto fail;
    }
    int errors = sh_lesson_build_(l, json, &l->scan, flags, diag);
    if (errors != 0 && (flags & SH_LESSON_KEEP_INVALID_)) {
        *out = l;
        return SH_ERR_FORMAT;
    }
    if (errors != 0) {
        rc = SH_ERR_FORMAT;
        goto fail;
    }
    *out = l;
    return SH_OK;
fail:
    sh_lesson_free(l);
    return rc;
}

int sh_lesson_load(const char *path, unsigned flags, sh_lesson **out, sh_diag *diag)
{
    *out = NULL;
    if (!path)
        return SH_ERR_INVALID;
    char *buf;
    size_t len;
    sh_error err = {0};
    int rc = sh_read_file(path, SH_LESSON_MAX_BYTES, &buf, &len, &err);
    if (rc != SH_OK) {
        /* err names the file first; the diagnostic already does. */
        const char *msg = err.message;
        size_t pl = strlen(path);
        if (strncmp(msg, path, pl) == 0 && msg[pl] == ':' && msg[pl + 1] == ' ')
            msg += pl + 2;
        if (rc == SH_ERR_TOO_LARGE)
            sh_diag_add(diag, SH_DIAG_ERROR, path, 0, 0, NULL, 0, "%s: split the lesson", msg);
        else if (rc == SH_ERR_NOT_FOUND)
            sh_diag_add(diag, SH_DIAG_ERROR, path, 0, 0, NULL, 0, "%s: check the path", msg);
        else
            sh_diag_add(diag, SH_DIAG_ERROR, path, 0, 0, NULL, 0, "%s", msg);
        return rc;
    }
    rc = sh_lesson_parse(buf, len, path, flags, out, diag);
    free(buf);
    return rc;
}

void sh_lesson_free(sh_lesson *l)
{
    if (!l)
        return;
    sh_lesson_model_free_(&l->m);
    cJSON_Delete(l->root);
    sh_jscan_free(&l->scan);
    free(l->path);
    free(l);
}

/* ---- getters ---------------------------------------------------------------- */

const char *sh_lesson_path(const sh_lesson *l) { return l->path; }
const char *sh_lesson_title(const sh_lesson *l) { return l->m.title ? l->m.title : ""; }
const char *sh_lesson_audio(const sh_lesson *l) { return l->m.audio ? l->m.audio : ""; }
const char *sh_lesson_audio_path(const sh_lesson *l) { return l->m.audio_path ? l->m.audio_path : ""; }
const char *sh_lesson_language(const sh_lesson *l) { return l->m.language ? l->m.language : "en"; }
const char *sh_lesson_translation_language(const sh_lesson *l) { return l->m.translation_language; }
const char *sh_lesson_source(const sh_lesson *l) { return l->m.source; }
const char *sh_lesson_level(const sh_lesson *l) { return l->m.level; }
const char *sh_lesson_notes(const sh_lesson *l) { return l->m.notes; }
const sh_playback_defaults *sh_lesson_defaults(const sh_lesson *l) { return &l->m.defaults; }
size_t sh_lesson_cue_count(const sh_lesson *l) { return l->m.ncues; }
size_t sh_lesson_vocab_count(const sh_lesson *l) { return l->m.nvocab; }

const sh_cue *sh_lesson_cue(const sh_lesson *l, size_t i)
{
    return i < l->m.ncues ? &l->m.cues[i] : NULL;
}

const sh_vocab_entry *sh_lesson_vocab(const sh_lesson *l, size_t i)
{
    return i < l->m.nvocab ? &l->m.vocab[i] : NULL;
}

const sh_cue *sh_lesson_find_cue(const sh_lesson *l, const char *key)
{
    if (!key || !*key)
        return NULL;
    /* The id set holds every cue's id (the first cue for a repeated one, as
     * a scan in order would find). */
    int cue = sh_idset_get_(&l->m.ids, key);
    if (cue > 0 && (size_t)cue <= l->m.ncues)
        return &l->m.cues[cue - 1];
    long idx;
    if (all_digits(key) && sh_parse_int(key, 1, (long)l->m.ncues, &idx))
        return &l->m.cues[idx - 1];
    return NULL;
}

int sh_lesson_check_audio_duration(const sh_lesson *l, double duration_s, sh_diag *diag)
{
    return sh_lesson_check_cues_duration(l, 0, l->m.ncues, duration_s, SH_DIAG_ERROR, diag);
}

int sh_lesson_check_cues_duration(const sh_lesson *l, size_t first, size_t last, double duration_s,
                                  sh_diag_level level, sh_diag *diag)
{
    /* Half a millisecond of slack: cue times are written to the millisecond,
     * the duration is counted in samples. */
    const double slack = 0.0005;
    int errors = 0;
    char b1[32], b2[32];
    vctx c = {.diag = diag, .file = l->path};
    if (last > l->m.ncues)
        last = l->m.ncues;
    for (size_t i = first; i < last; i++) {
        const sh_cue *q = &l->m.cues[i];
        if (isnan(q->end) || q->end <= duration_s + slack)
            continue;
        errors++;
        const sh_cue_loc *L = &l->m.locs[i];
        add_capped(&c, level, L->end_line, L->end_col, q->id, q->index,
                   "cue \"%s\" (#%d): \"end\" %s is after the end of the audio (%s): make it %s or earlier, or "
                   "check that \"audio\" names the right file",
                   q->id, q->index, sh_time_format(q->end, b1, sizeof b1),
                   sh_time_format(duration_s, b2, sizeof b2), b2);
    }
    add_hidden_note(&c);
    return errors;
}

/* ---- value locations ------------------------------------------------------ */

int sh_lesson_locate(const sh_lesson *l, const char *path, int *line, int *col)
{
    *line = *col = 0;
    if (l->edited || !l->scan.nodes || !l->root || !path)
        return SH_ERR_NOT_FOUND;
    const sh_jscan *sc = &l->scan;
    const cJSON *v = l->root;
    uint32_t ni = 0;
    const char *p = path;
    while (*p) {
        if (*p == '.')
            p++;
        uint32_t child = sh_jnode_first(sc, ni);
        const cJSON *it = v->child;
        if (*p == '[') {
            char *end;
            long idx = strtol(p + 1, &end, 10);
            if (end == p + 1 || *end != ']' || idx < 0 || !cJSON_IsArray(v))
                return SH_ERR_NOT_FOUND;
            for (long k = 0; k < idx && it; k++) {
                it = it->next;
                child = sh_jnode_next(sc, ni, child);
            }
            p = end + 1;
        } else {
            size_t n = strcspn(p, ".[");
            if (n == 0 || !cJSON_IsObject(v))
                return SH_ERR_NOT_FOUND;
            while (it && !(it->string && strlen(it->string) == n && memcmp(it->string, p, n) == 0)) {
                it = it->next;
                child = sh_jnode_next(sc, ni, child);
            }
            p += n;
        }
        if (!it || child == SH_JNONE)
            return SH_ERR_NOT_FOUND;
        v = it;
        ni = child;
    }
    *line = (int)sc->nodes[ni].line;
    *col = (int)sc->nodes[ni].col;
    return SH_OK;
}
