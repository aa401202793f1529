/* Formatting a score: JSON, CSV and the one-line envelope picture.
 * No I/O: everything is returned in memory. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/strbuf.h"
#include "shadowing/score.h"

/* Numbers that are always valid (no nan/inf). */
static double fin(double x)
{
    return isfinite(x) ? x : 0.0;
}

/* A number rounded to `dec` decimals (cJSON prints the shortest form that
 * reads back the same, so 0.506 stays 0.506); null for nan/inf, which are
 * not JSON (a measurement that could not be made). */
static void add_num(cJSON *o, const char *name, double v, int dec)
{
    double s = pow(10.0, dec);
    if (isfinite(v))
        cJSON_AddNumberToObject(o, name, round(v * s) / s);
    else
        cJSON_AddNullToObject(o, name);
}

static cJSON *side_json(const sh_score_side *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    add_num(o, "duration_s", s->duration_s, 3);
    cJSON_AddBoolToObject(o, "speech", s->speech);
    add_num(o, "speech_begin_s", s->speech_begin_s, 3);
    add_num(o, "speech_end_s", s->speech_end_s, 3);
    add_num(o, "span_s", s->span_s, 3);
    add_num(o, "voiced_s", s->voiced_s, 3);
    add_num(o, "noise_db", s->noise_db, 1);
    add_num(o, "speech_db", s->speech_db, 1);
    add_num(o, "peak", s->peak, 4);
    cJSON_AddNumberToObject(o, "clipped", s->clipped);
    cJSON_AddNumberToObject(o, "pauses", s->pauses);
    add_num(o, "snr_db", s->snr_db, 1);
    cJSON_AddBoolToObject(o, "too_noisy", s->too_noisy);
    cJSON_AddNumberToObject(o, "rejected", s->rejected);
    cJSON_AddNumberToObject(o, "syllables", s->syllables);
    add_num(o, "syllable_rate", s->syllable_rate, 2);
    add_num(o, "clarity_db", s->clarity_db, 1);
    return o;
}

static cJSON *measurements_json(const sh_score_result *r)
{
    cJSON *m = cJSON_CreateObject();
    if (!m)
        return NULL;
    add_num(m, "duration_ratio", r->duration_ratio, 3);
    add_num(m, "tempo_ratio", r->tempo_ratio, 3);
    cJSON_AddBoolToObject(m, "pace_trusted", r->pace_trusted);
    add_num(m, "coverage", r->coverage, 3);
    add_num(m, "completeness", r->completeness, 3);
    add_num(m, "skipped_s", r->skipped_s, 2);
    add_num(m, "skipped_at_s", r->skipped_at_s, 2);
    add_num(m, "extra_s", r->extra_s, 2);
    add_num(m, "extra_at_s", r->extra_at_s, 2);
    add_num(m, "syllable_ratio", r->syllable_ratio, 3);
    add_num(m, "clarity_diff_db", r->clarity_diff_db, 1);
    add_num(m, "dtw_cost", r->dtw_cost, 4);
    add_num(m, "dtw_null_cost", r->dtw_null_cost, 4);
    add_num(m, "energy_ratio", r->energy_ratio, 3);
    cJSON_AddNumberToObject(m, "pauses_matched", r->pauses_matched);
    cJSON_AddNumberToObject(m, "pauses_missed", r->pauses_missed);
    cJSON_AddNumberToObject(m, "pauses_extra", r->pauses_extra);
    cJSON_AddNumberToObject(m, "hesitations", r->hesitations);
    add_num(m, "hesitation_s", r->hesitation_s, 2);
    add_num(m, "hesitation_at_s", r->hesitation_at_s, 2);
    return m;
}

char *sh_score_to_json(const sh_score_result *r, const char *cue_id, const char *take_path)
{
    cJSON *o = cJSON_CreateObject();
    char *out = NULL;
    if (!o)
        return NULL;
    if (cue_id && !cJSON_AddStringToObject(o, "cue", cue_id))
        goto fail;
    if (take_path && !cJSON_AddStringToObject(o, "file", take_path))
        goto fail;
    cJSON_AddNumberToObject(o, "score", r->total);
    cJSON_AddStringToObject(o, "verdict", r->verdict ? r->verdict : "");
    cJSON *subs = cJSON_AddObjectToObject(o, "subscores");
    if (!subs)
        goto fail;
    for (int i = 0; i < SH_SUB_COUNT; i++)
        cJSON_AddNumberToObject(subs, sh_score_sub_name(i), r->sub[i]);
    if (!cJSON_AddItemToObject(o, "measurements", measurements_json(r)) ||
        !cJSON_AddItemToObject(o, "reference", side_json(&r->ref)) ||
        !cJSON_AddItemToObject(o, "take", side_json(&r->take)))
        goto fail;
    const sh_score_intonation_result *it = &r->intonation;
    cJSON *io = cJSON_AddObjectToObject(o, "intonation");
    if (!io)
        goto fail;
    cJSON_AddBoolToObject(io, "measured", it->measured);
    if (it->measured)
        cJSON_AddNumberToObject(io, "score", it->score);
    else
        cJSON_AddNullToObject(io, "score");
    add_num(io, "correlation", it->correlation, 3);
    cJSON_AddNumberToObject(io, "pairs", it->pairs);
    add_num(io, "ref_median_hz", it->ref_median_hz, 1);
    add_num(io, "take_median_hz", it->take_median_hz, 1);
    add_num(io, "ref_range_st", it->ref_range_st, 2);
    add_num(io, "take_range_st", it->take_range_st, 2);
    add_num(io, "ref_end_st", it->ref_end_st, 2);
    add_num(io, "take_end_st", it->take_end_st, 2);
    cJSON *fb = cJSON_AddArrayToObject(o, "feedback");
    if (!fb)
        goto fail;
    for (int i = 0; i < r->n_feedback; i++)
        cJSON_AddItemToArray(fb, cJSON_CreateString(r->feedback[i]));
    if (cJSON_GetArraySize(fb) != r->n_feedback)
        goto fail;
    /* cJSON's buffer comes from its allocator (malloc unless the program
     * hooks it): copy it so the caller can free() it as documented. */
    char *s = cJSON_PrintUnformatted(o);
    if (s) {
        out = strdup(s);
        cJSON_free(s);
    }
fail:
    cJSON_Delete(o);
    return out;
}

const char *sh_score_csv_header(void)
{
    return "cue,file,score,verdict,duration,energy,completeness,pauses,level,"
           "duration_ratio,coverage,take_span_s,ref_span_s,feedback";
}

/* An RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_field(sh_strbuf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        sh_strbuf_add(b, s, strlen(s));
        return;
    }
    sh_strbuf_add(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            sh_strbuf_add(b, "\"", 1);
        sh_strbuf_add(b, s, 1);
    }
    sh_strbuf_add(b, "\"", 1);
}

char *sh_score_to_csv(const sh_score_result *r, const char *cue_id, const char *take_path)
{
    sh_strbuf b = {0};
    csv_field(&b, cue_id ? cue_id : "");
    sh_strbuf_add(&b, ",", 1);
    csv_field(&b, take_path ? take_path : "");
    sh_strbuf_printf(&b, ",%d,", r->total);
    csv_field(&b, r->verdict ? r->verdict : "");
    for (int i = 0; i < SH_SUB_COUNT; i++)
        sh_strbuf_printf(&b, ",%d", r->sub[i]);
    sh_strbuf_printf(&b, ",%.3f,%.3f,%.3f,%.3f,", fin(r->duration_ratio), fin(r->coverage), fin(r->take.span_s),
              fin(r->ref.span_s));
    /* All feedback lines in one field, separated by " / ". */
    sh_strbuf fb = {0};
    for (int i = 0; i < r->n_feedback; i++) {
        if (i)
            sh_strbuf_add(&fb, " / ", 3);
        sh_strbuf_add(&fb, r->feedback[i], strlen(r->feedback[i]));
    }
    csv_field(&b, fb.s ? fb.s : "");
    if (fb.oom)
        b.oom = true;
    sh_strbuf_free(&fb);
    return sh_strbuf_take(&b);
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
