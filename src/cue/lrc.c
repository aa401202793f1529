/* LRC lyrics files -> cues. Pure: no I/O.
 *
 *   [ti:Title] [ar:Artist] [by:Maker] [offset:+250]
 *   [00:12.30]First line | 第一行
 *   [00:15.80][01:20.00]A line sung twice
 *   [00:19.10]                      (a stamp alone ends the previous line)
 *
 * Minutes may exceed 59; tenths, hundredths or thousandths; "mm:ss:xx" (a
 * colon before the hundredths) is accepted as some editors write it; "h:mm:ss.xx" too. A positive
 * offset makes lyrics appear sooner (time = stamp - offset).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cue/cuefmt_int.h"
#include "shadowing/cuefmt.h"

typedef struct stamp {
    double t;
    char *text; /* may be "" */
    int line;
    size_t seq;
} stamp;

static int cmp_stamp(const void *a, const void *b)
{
    const stamp *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Parse "mm:ss", "mm:ss.x{1,3}", "mm:ss:xx", "h:mm:ss.xx". Returns 1 for a
 * valid stamp, 0 when it is not a time at all, -1 when it looks like one but
 * is malformed. */
static int parse_stamp(const char *s, size_t n, double *out)
{
    if (!n || !isdigit((unsigned char)s[0]))
        return 0;
    long f[3] = {0, 0, 0};
    int nf = 0;
    size_t i = 0;
    for (;;) {
        size_t d = 0;
        long v = 0;
        while (i < n && isdigit((unsigned char)s[i]) && d < 7) {
            v = v * 10 + (s[i] - '0');
            i++, d++;
        }
        if (d == 0 || (i < n && isdigit((unsigned char)s[i])))
            return -1;
        f[nf++] = v;
        if (i < n && s[i] == ':' && nf < 3) {
            i++;
            continue;
        }
        break;
    }
    if (nf < 2)
        return -1;
    double frac = 0;
    if (i < n && s[i] == '.') {
        i++;
        size_t d = 0;
        double scale = 0.1;
        while (i < n && isdigit((unsigned char)s[i]) && d < 3) {
            frac += (s[i] - '0') * scale;
            scale /= 10;
            i++, d++;
        }
        if (d == 0)
            return -1;
    } else if (nf == 3) {
        /* mm:ss:xx, hundredths after a colon (some editors write it) */
        if (f[2] >= 100)
            return -1;
        frac = (double)f[2] / 100.0;
        nf = 2;
    }
    if (i != n)
        return -1;
    double t;
    if (nf == 3) {
        if (f[1] >= 60 || f[2] >= 60)
            return -1;
        t = (double)f[0] * 3600 + (double)f[1] * 60 + (double)f[2];
    } else {
        if (f[1] >= 60)
            return -1;
        t = (double)f[0] * 60 + (double)f[1];
    }
    *out = t + frac;
    return 1;
}

/* Remove enhanced-LRC word stamps <mm:ss.xx> in place. */
static void strip_word_stamps(char *s)
{
    char *o = s;
    for (char *p = s; *p;) {
        if (*p == '<') {
            char *e = strchr(p, '>');
            double t;
            if (e && parse_stamp(p + 1, (size_t)(e - p - 1), &t) == 1) {
                p = e + 1;
                continue;
            }
        }
        *o++ = *p++;
    }
    *o = '\0';
}

static int add_stamp(stamp **v, size_t *n, size_t *cap, double t, const char *text, int line)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        stamp *nv = realloc(*v, c * sizeof *nv);
        if (!nv)
            return SH_ERR_NOMEM;
        *v = nv;
        *cap = c;
    }
    char *d = strdup(text);
    if (!d)
        return SH_ERR_NOMEM;
    (*v)[*n] = (stamp){.t = t, .text = d, .line = line, .seq = *n};
    (*n)++;
    return SH_OK;
}

/* "English | 中文" -> text, translation (fullwidth bar too). */
static void split_bar(const char *s, char **text, char **tr)
{
    const char *bar = strstr(s, " | ");
    size_t blen = 3;
    if (!bar) {
        bar = strstr(s, "\xEF\xBD\x9C"); /* ｜ */
        blen = 3;
    }
    if (!bar) {
        bar = strchr(s, '|');
        blen = 1;
    }
    if (bar) {
        char *a = cf_strndup_trim(s, (size_t)(bar - s));
        char *b = cf_strndup_trim(bar + blen, strlen(bar + blen));
        if (a && b && *a && *b) {
            *text = a;
            *tr = b;
            return;
        }
        free(a);
        free(b);
    }
    *text = strdup(s);
    *tr = NULL;
}

int sh_lrc_parse(const char *data, size_t len, const char *name, sh_cue_doc *out, sh_diag *diag)
{
    const char *p;
    size_t n;
    int rc = cf_begin(data, len, name, diag, &p, &n);
    if (rc != SH_OK)
        return rc;
    stamp *st = NULL;
    size_t nst = 0, cap = 0, errors = 0;
    double offset_ms = 0;
    cf_lines it;
    cf_lines_init(&it, p, n);
    const char *s;
    size_t ln;
    double *times = NULL;
    size_t ntimes = 0, captimes = 0;
    while (cf_lines_next(&it, &s, &ln)) {
        cf_trim(&s, &ln);
        if (!ln)
            continue;
        ntimes = 0;
        size_t i = 0;
        bool bad = false;
        while (i < ln && s[i] == '[') {
            const char *close = memchr(s + i, ']', ln - i);
            if (!close) {
                sh_diag_add(diag, SH_DIAG_ERROR, name, it.line, (int)i + 1, NULL, 0,
                            "unterminated tag: '[' without ']'");
                errors++;
                bad = true;
                break;
            }
            const char *tb = s + i + 1;
            size_t tn = (size_t)(close - tb);
            double t;
            int ps = parse_stamp(tb, tn, &t);
            if (ps == 1) {
                if (ntimes == captimes) {
                    size_t c = captimes ? captimes * 2 : 8;
                    double *nt = realloc(times, c * sizeof *nt);
                    if (!nt) {
                        rc = SH_ERR_NOMEM;
                        goto done;
                    }
                    times = nt;
                    captimes = c;
                }
                times[ntimes++] = t;
            } else if (ps == -1) {
                sh_diag_add(diag, SH_DIAG_ERROR, name, it.line, (int)i + 1, NULL, 0,
                            "bad time stamp '[%.*s]' (expected [mm:ss.xx], seconds below 60)",
                            (int)(tn > 40 ? 40 : tn), tb);
                errors++;
                bad = true;
            } else {
                const char *colon = memchr(tb, ':', tn);
                size_t kn = colon ? (size_t)(colon - tb) : 0;
                bool key = kn > 0;
                for (size_t k = 0; k < kn; k++)
                    if (!isalpha((unsigned char)tb[k]) && tb[k] != '#')
                        key = false;
                if (!key)
                    break; /* not a tag: text that starts with '[' */
                char *val = cf_strndup_trim(colon + 1, tn - kn - 1);
                if (!val) {
                    rc = SH_ERR_NOMEM;
                    goto done;
                }
                if (kn == 6 && !strncasecmp(tb, "offset", 6)) {
                    char *e;
                    double v = strtod(val, &e);
                    if (!*val || *e || !isfinite(v) || fabs(v) > 3.6e6) {
                        sh_diag_add(diag, SH_DIAG_ERROR, name, it.line, (int)i + 1, NULL, 0,
                                    "bad offset '%s' (expected milliseconds such as +250 or -120)", val);
                        errors++;
                        bad = true;
                    } else {
                        offset_ms = v;
                    }
                } else if (kn == 2 && !strncasecmp(tb, "ti", 2) && *val) {
                    free(out->title);
                    out->title = val;
                    val = NULL;
                } else if (kn == 2 && !strncasecmp(tb, "ar", 2) && *val) {
                    free(out->artist);
                    out->artist = val;
                    val = NULL;
                } else if ((kn == 2 || kn == 4) && (!strncasecmp(tb, "la", 2)) && *val) {
                    free(out->language);
                    out->language = val;
                    val = NULL;
                }
                free(val);
            }
            i = (size_t)(close - s) + 1;
            while (i < ln && (s[i] == ' ' || s[i] == '\t') && i + 1 < ln && s[i + 1] == '[')
                i++;
        }
        if (bad)
            continue;
        char *text = cf_strndup_trim(s + i, ln - i);
        if (!text) {
            rc = SH_ERR_NOMEM;
            goto done;
        }
        strip_word_stamps(text);
        cf_squeeze(text);
        if (ntimes == 0 && *text && i == 0)
            sh_diag_add(diag, SH_DIAG_WARNING, name, it.line, 1, NULL, 0,
                        "text without a time stamp ignored");
        for (size_t k = 0; k < ntimes && rc == SH_OK; k++)
            rc = add_stamp(&st, &nst, &cap, times[k], text, it.line);
        free(text);
        if (rc != SH_OK)
            goto done;
    }
    if (errors) {
        rc = SH_ERR_FORMAT;
        goto done;
    }
    for (size_t k = 0; k < nst; k++) {
        st[k].t -= offset_ms / 1000.0;
        if (st[k].t < 0)
            st[k].t = 0;
    }
    if (nst)
        qsort(st, nst, sizeof *st, cmp_stamp);
    size_t texts = 0;
    for (size_t k = 0; k < nst; k++)
        texts += st[k].text[0] != '\0';
    if (texts == 0) {
        sh_diag_add(diag, SH_DIAG_ERROR, name, 0, 0, NULL, 0,
                    "no time-stamped lines: expected lines like [00:12.30]Text");
        rc = SH_ERR_FORMAT;
        goto done;
    }
    for (size_t k = 0; k < nst && rc == SH_OK;) {
        if (!st[k].text[0]) {
            k++;
            continue;
        }
        char *text, *tr;
        split_bar(st[k].text, &text, &tr);
        if (!text) {
            free(tr);
            rc = SH_ERR_NOMEM;
            break;
        }
        size_t j = k + 1;
        /* two lines with the same stamp: the second is the translation */
        while (j < nst && st[j].t == st[k].t) {
            if (st[j].text[0] && !tr)
                tr = strdup(st[j].text);
            j++;
        }
        double end = j < nst ? st[j].t : NAN;
        rc = sh_cue_doc_add(out, NULL, st[k].t, end, text, tr, st[k].line);
        free(text);
        free(tr);
        k = j;
    }
done:
    for (size_t k = 0; k < nst; k++)
        free(st[k].text);
    free(st);
    free(times);
    return rc;
}
