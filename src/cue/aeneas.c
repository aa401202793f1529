/* aeneas sync-map JSON -> cues. Pure: no I/O.
 *
 *   {"fragments": [
 *     {"id": "f000001", "begin": "0.000", "end": "2.680",
 *      "lines": ["First paragraph."], "language": "eng", "children": []},
 *     ...]}
 *
 * aeneas writes times as strings; numbers are accepted too. The lesson
 * loader's JSON scanner checks the text first (syntax errors with their
 * line:column and what to do, a file cut off, a nesting and a value limit
 * before cJSON recurses or allocates), then cJSON parses it; a small
 * scanner finds the line where each fragment starts so that schema errors
 * point at it. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cue/cuefmt_int.h"
#include "lesson/jsonscan.h"
#include "shadowing/cuefmt.h"

/* aeneas nests fragments in "children" (paragraph, sentence, word: about
 * 10 JSON levels); far more is not a sync map, and a hostile file must not
 * make cJSON recurse 100k deep. */
#define AENEAS_MAX_DEPTH 64
/* Values: a fragment has about 8; this bounds cJSON's memory (about 64
 * bytes a value) for a 16 MiB file of "[0,0,0,...". */
#define AENEAS_MAX_VALUES 2000000u

/* Lines where the objects of the top-level "fragments" array start. */
static int *fragment_lines(const char *p, size_t n, size_t *count)
{
    int *lines = NULL;
    size_t nl = 0, cap = 0;
    int line = 1, depth = 0;
    bool in_str = false, esc = false, frag_array = false;
    const char *key = NULL, *str_start = NULL;
    size_t key_len = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\n')
            line++;
        if (in_str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"') {
                in_str = false;
                if (depth == 1) {
                    key = str_start;
                    key_len = (size_t)(p + i - str_start);
                }
            }
            continue;
        }
        if (c == '"') {
            in_str = true;
            str_start = p + i + 1;
        } else if (c == '{' || c == '[') {
            if (c == '[' && depth == 1)
                frag_array = key && key_len == 9 && !memcmp(key, "fragments", 9);
            if (c == '{' && depth == 2 && frag_array) {
                if (nl == cap) {
                    size_t nc = cap ? cap * 2 : 64;
                    int *nv = realloc(lines, nc * sizeof *nv);
                    if (!nv)
                        break;
                    lines = nv;
                    cap = nc;
                }
                lines[nl++] = line;
            }
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
            if (depth == 1 && c == ']')
                frag_array = false;
        }
    }
    *count = nl;
    return lines;
}

static bool get_time(const cJSON *o, const char *key, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
        return isfinite(*out) && *out >= 0;
    }
    if (cJSON_IsString(v) && v->valuestring[0]) {
        char *e;
        *out = strtod(v->valuestring, &e);
        return !*e && isfinite(*out) && *out >= 0;
    }
    return false;
}

int sh_aeneas_parse(const char *data, size_t len, const char *name, sh_cue_doc *out, sh_diag *diag)
{
    const char *p;
    size_t n;
    int rc = cf_begin(data, len, name, diag, &p, &n);
    if (rc != SH_OK)
        return rc;
    sh_jscan sc;
    bool scanned = sh_json_scan_as(p, n, "an aeneas sync map", AENEAS_MAX_DEPTH, AENEAS_MAX_VALUES, 0, &sc);
    sh_jscan_free(&sc);
    if (!scanned) {
        if (sc.nomem)
            return SH_ERR_NOMEM;
        sh_diag_add(diag, SH_DIAG_ERROR, name, (int)sc.err_line, (int)sc.err_col, NULL, 0, "%s", sc.err_msg);
        return SH_ERR_FORMAT;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(p, n, &end, false);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        int line = 1, col = 1;
        if (at && at >= p && at <= p + n) {
            for (const char *q = p; q < at; q++) {
                if (*q == '\n')
                    line++, col = 1;
                else
                    col++;
            }
        }
        /* the scanner accepted it: out of memory, or cJSON is stricter */
        sh_diag_add(diag, SH_DIAG_ERROR, name, line, col, NULL, 0,
                    "JSON syntax error (or out of memory) here: check the JSON syntax");
        return SH_ERR_FORMAT;
    }
    size_t nlines = 0;
    int *lines = fragment_lines(p, n, &nlines);
    size_t errors = 0;
    const cJSON *frags = cJSON_GetObjectItemCaseSensitive(root, "fragments");
    if (!cJSON_IsObject(root) || !cJSON_IsArray(frags)) {
        sh_diag_add(diag, SH_DIAG_ERROR, name, 1, 1, NULL, 0,
                    "not an aeneas sync map: expected an object with a \"fragments\" array");
        rc = SH_ERR_FORMAT;
        goto done;
    }
    size_t k = 0;
    for (const cJSON *f = frags->child; f; f = f->next, k++) {
        int line = k < nlines ? lines[k] : 0;
        if (!cJSON_IsObject(f)) {
            sh_diag_add(diag, SH_DIAG_ERROR, name, line, 0, NULL, 0,
                        "fragment %zu: expected an object", k + 1);
            errors++;
            continue;
        }
        const cJSON *jl = cJSON_GetObjectItemCaseSensitive(f, "lines");
        if (jl && !cJSON_IsArray(jl)) {
            sh_diag_add(diag, SH_DIAG_ERROR, name, line, 0, NULL, 0,
                        "fragment %zu: \"lines\" must be an array of strings", k + 1);
            errors++;
            continue;
        }
        size_t nl = (size_t)cJSON_GetArraySize(jl);
        const char **txt = calloc(nl ? nl : 1, sizeof *txt);
        if (!txt) {
            rc = SH_ERR_NOMEM;
            goto done;
        }
        size_t m = 0;
        bool bad = false;
        for (const cJSON *s = jl ? jl->child : NULL; s; s = s->next) {
            if (!cJSON_IsString(s)) {
                bad = true;
                break;
            }
            txt[m++] = s->valuestring;
        }
        if (bad) {
            sh_diag_add(diag, SH_DIAG_ERROR, name, line, 0, NULL, 0,
                        "fragment %zu: \"lines\" must be an array of strings", k + 1);
            errors++;
            free(txt);
            continue;
        }
        double b = 0, e = 0;
        bool okb = get_time(f, "begin", &b), oke = get_time(f, "end", &e);
        if (!okb || !oke) {
            sh_diag_add(diag, SH_DIAG_ERROR, name, line, 0, NULL, 0,
                        "fragment %zu: missing or bad \"%s\" (expected seconds as a string, e.g. \"2.680\")",
                        k + 1, okb ? "end" : "begin");
            errors++;
            free(txt);
            continue;
        }
        if (e < b) {
            sh_diag_add(diag, SH_DIAG_ERROR, name, line, 0, NULL, 0,
                        "fragment %zu ends before it begins (%.3f s --> %.3f s)", k + 1, b, e);
            errors++;
            free(txt);
            continue;
        }
        char *text = NULL, *tr = NULL;
        /* trim each line and drop empty ones */
        char **clean = calloc(m ? m : 1, sizeof *clean);
        size_t mc = 0;
        if (!clean) {
            free(txt);
            rc = SH_ERR_NOMEM;
            goto done;
        }
        for (size_t i = 0; i < m; i++) {
            char *c = cf_strndup_trim(txt[i], strlen(txt[i]));
            if (c && *c) {
                cf_squeeze(c);
                clean[mc++] = c;
            } else {
                free(c);
            }
        }
        cf_split_bilingual((const char *const *)clean, mc, &text, &tr);
        for (size_t i = 0; i < mc; i++)
            free(clean[i]);
        free(clean);
        free(txt);
        if (text) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(f, "id");
            const cJSON *lang = cJSON_GetObjectItemCaseSensitive(f, "language");
            if (cJSON_IsString(lang) && lang->valuestring[0] && !out->language)
                out->language = strdup(lang->valuestring);
            rc = sh_cue_doc_add(out, cJSON_IsString(id) && id->valuestring[0] ? id->valuestring : NULL,
                                b, e, text, tr, line);
        }
        free(text);
        free(tr);
        if (rc != SH_OK)
            goto done;
    }
    if (errors)
        rc = SH_ERR_FORMAT;
    else if (out->n_cues == 0) {
        sh_diag_add(diag, SH_DIAG_ERROR, name, 1, 1, NULL, 0, "no fragments with text");
        rc = SH_ERR_FORMAT;
    }
done:
    free(lines);
    cJSON_Delete(root);
    return rc;
}
