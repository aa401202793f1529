/* Formatting a score: JSON, CSV and the one-line envelope picture.
 * No I/O: everything is returned in memory. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/score.h"

/* A growing string; `oom` sticks once an allocation failed. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static char *sb_finish(sbuf *b)
{
    if (b->oom || !b->p) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

/* A JSON string literal (UTF-8 passed through, controls escaped). */
static void sb_json_str(sbuf *b, const char *s)
{
    sb_add(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            sb_add(b, e, 2);
        } else if (c < 0x20) {
            sb_printf(b, "\\u%04x", c);
        } else {
            sb_add(b, s, 1);
        }
    }
    sb_add(b, "\"", 1);
}

/* Numbers that are always valid JSON (no nan/inf). */
static double fin(double x)
{
    return isfinite(x) ? x : 0.0;
}

static void side_json(sbuf *b, const char *name, const sh_score_side *s)
{
    sb_printf(b, "\"%s\": {\"duration_s\": %.3f, \"speech\": %s, \"speech_begin_s\": %.3f, "
                 "\"speech_end_s\": %.3f, \"span_s\": %.3f, \"voiced_s\": %.3f, ",
              name, fin(s->duration_s), s->speech ? "true" : "false", fin(s->speech_begin_s),
              fin(s->speech_end_s), fin(s->span_s), fin(s->voiced_s));
    sb_printf(b, "\"noise_db\": %.1f, \"speech_db\": %.1f, \"peak\": %.4f, \"clipped\": %d, \"pauses\": %d}",
              fin(s->noise_db), fin(s->speech_db), fin(s->peak), s->clipped, s->pauses);
}

char *sh_score_to_json(const sh_score_result *r, const char *cue_id, const char *take_path)
{
    sbuf b = {0};
    sb_add(&b, "{", 1);
    if (cue_id) {
        sb_add(&b, "\"cue\": ", 7);
        sb_json_str(&b, cue_id);
        sb_add(&b, ", ", 2);
    }
    if (take_path) {
        sb_add(&b, "\"file\": ", 8);
        sb_json_str(&b, take_path);
        sb_add(&b, ", ", 2);
    }
    sb_printf(&b, "\"score\": %d, \"verdict\": ", r->total);
    sb_json_str(&b, r->verdict ? r->verdict : "");
    sb_add(&b, ", \"subscores\": {", 16);
    for (int i = 0; i < SH_SUB_COUNT; i++)
        sb_printf(&b, "%s\"%s\": %d", i ? ", " : "", sh_score_sub_name(i), r->sub[i]);
    sb_printf(&b, "}, \"measurements\": {\"duration_ratio\": %.3f, \"tempo_ratio\": %.3f, "
                  "\"coverage\": %.3f, \"completeness\": %.3f, ",
              fin(r->duration_ratio), fin(r->tempo_ratio), fin(r->coverage), fin(r->completeness));
    sb_printf(&b, "\"dtw_cost\": %.4f, \"dtw_null_cost\": %.4f, \"energy_ratio\": %.3f, "
                  "\"pauses_matched\": %d, \"pauses_missed\": %d, \"pauses_extra\": %d, ",
              fin(r->dtw_cost), fin(r->dtw_null_cost), fin(r->energy_ratio), r->pauses_matched,
              r->pauses_missed, r->pauses_extra);
    sb_printf(&b, "\"hesitations\": %d, \"hesitation_s\": %.2f, \"hesitation_at_s\": %.2f}, ", r->hesitations,
              fin(r->hesitation_s), fin(r->hesitation_at_s));
    side_json(&b, "reference", &r->ref);
    sb_add(&b, ", ", 2);
    side_json(&b, "take", &r->take);
    sb_add(&b, ", \"feedback\": [", 15);
    for (int i = 0; i < r->n_feedback; i++) {
        if (i)
            sb_add(&b, ", ", 2);
        sb_json_str(&b, r->feedback[i]);
    }
    sb_add(&b, "]}", 2);
    return sb_finish(&b);
}

const char *sh_score_csv_header(void)
{
    return "cue,file,score,verdict,duration,energy,completeness,pauses,level,"
           "duration_ratio,coverage,take_span_s,ref_span_s,feedback";
}

/* An RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void sb_csv_field(sbuf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        sb_add(b, s, strlen(s));
        return;
    }
    sb_add(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            sb_add(b, "\"", 1);
        sb_add(b, s, 1);
    }
    sb_add(b, "\"", 1);
}

char *sh_score_to_csv(const sh_score_result *r, const char *cue_id, const char *take_path)
{
    sbuf b = {0};
    sb_csv_field(&b, cue_id ? cue_id : "");
    sb_add(&b, ",", 1);
    sb_csv_field(&b, take_path ? take_path : "");
    sb_printf(&b, ",%d,", r->total);
    sb_csv_field(&b, r->verdict ? r->verdict : "");
    for (int i = 0; i < SH_SUB_COUNT; i++)
        sb_printf(&b, ",%d", r->sub[i]);
    sb_printf(&b, ",%.3f,%.3f,%.3f,%.3f,", fin(r->duration_ratio), fin(r->coverage), fin(r->take.span_s),
              fin(r->ref.span_s));
    /* All feedback lines in one field, separated by " / ". */
    sbuf fb = {0};
    for (int i = 0; i < r->n_feedback; i++) {
        if (i)
            sb_add(&fb, " / ", 3);
        sb_add(&fb, r->feedback[i], strlen(r->feedback[i]));
    }
    sb_csv_field(&b, fb.p ? fb.p : "");
    if (fb.oom)
        b.oom = 1;
    free(fb.p);
    return sb_finish(&b);
}

size_t sh_score_sparkline(const float *env, size_t n, size_t width, bool utf8, char *buf, size_t cap)
{
    static const char *const blocks[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                          "\u2585", "\u2586", "\u2587", "\u2588"};
    static const char ascii[] = " .:-=+*#";
    size_t len = 0;
    if (!buf || cap == 0)
        return 0;
    for (size_t c = 0; c < width && n > 0; c++) {
        /* Frames [c*n/width, (c+1)*n/width), at least one. */
        size_t a = c * n / width, e = (c + 1) * n / width;
        if (e <= a)
            e = a + 1;
        /* The cell's mean: syllables and pauses show as texture, where the
         * maximum would fill every cell of running speech. */
        double m = 0;
        for (size_t k = a; k < e && k < n; k++)
            m += env[k];
        m /= (double)(e - a);
        int lvl = (int)lround(m * 7.0);
        lvl = lvl < 0 ? 0 : lvl > 7 ? 7 : lvl;
        const char *s = utf8 ? blocks[lvl] : (char[2]){ascii[lvl], 0};
        size_t sl = strlen(s);
        if (len + sl + 1 > cap)
            break;
        memcpy(buf + len, s, sl);
        len += sl;
    }
    buf[len] = '\0';
    return len;
}
