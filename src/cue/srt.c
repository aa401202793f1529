/* SubRip (SRT) and WebVTT subtitles -> cues. Pure: no I/O.
 *
 * Both are blocks separated by blank lines: an optional number / identifier,
 * a timing line "BEGIN --> END", then the text lines. They differ in the
 * header (WebVTT starts with "WEBVTT"), the decimal mark (SRT ',' and
 * WebVTT '.'; each accepts the other, as players do), comment and style
 * blocks (WebVTT NOTE, STYLE, REGION: skipped), cue settings after the end
 * time (ignored) and markup (SRT <i>/<font>/{\an8}; WebVTT <v Name>, <c>,
 * <00:00:01.000> and entities).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cue/cuefmt_int.h"
#include "shadowing/cuefmt.h"

/* "[h]h:mm:ss,mmm" / "mm:ss.mmm" at s; returns chars used or 0. */
static size_t parse_time(const char *s, size_t n, bool hours_optional, double *out)
{
    long f[3];
    int nf = 0;
    size_t i = 0;
    for (;;) {
        size_t d = 0;
        long v = 0;
        while (i < n && isdigit((unsigned char)s[i]) && d < 6) {
            v = v * 10 + (s[i] - '0');
            i++, d++;
        }
        if (d == 0)
            return 0;
        f[nf++] = v;
        if (nf < 3 && i < n && s[i] == ':') {
            i++;
            continue;
        }
        break;
    }
    if (nf < 2 || (nf == 2 && !hours_optional))
        return 0;
    if (i >= n || (s[i] != ',' && s[i] != '.'))
        return 0;
    i++;
    size_t d = 0;
    double frac = 0, scale = 0.1;
    while (i < n && isdigit((unsigned char)s[i]) && d < 3) {
        frac += (s[i] - '0') * scale;
        scale /= 10;
        i++, d++;
    }
    if (d == 0 || (i < n && isdigit((unsigned char)s[i])))
        return 0;
    double h = nf == 3 ? (double)f[0] : 0, m = (double)f[nf - 2], sec = (double)f[nf - 1];
    if (m >= 60 || sec >= 60)
        return 0;
    *out = h * 3600 + m * 60 + sec + frac;
    return i;
}

/* "BEGIN --> END[ settings]". Returns true when well formed. */
static bool parse_timing(const char *s, size_t n, bool vtt, double *b, double *e)
{
    size_t i = parse_time(s, n, vtt, b);
    if (!i)
        return false;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (n - i < 3 || memcmp(s + i, "-->", 3))
        return false;
    i += 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t k = parse_time(s + i, n - i, vtt, e);
    if (!k)
        return false;
    i += k;
    /* after the end time: SRT coordinates / VTT settings, after white space */
    return i == n || s[i] == ' ' || s[i] == '\t';
}

static bool has_arrow(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (!memcmp(s + i, "-->", 3))
            return true;
    return false;
}

/* SRT markup is a few HTML-like tags; any other '<' is text ("<one>"). */
static bool srt_tag(const char *s, size_t n)
{
    static const char *const tags[] = {"i", "b", "u", "s", "font"};
    size_t i = 1;
    if (i < n && s[i] == '/')
        i++;
    for (size_t k = 0; k < sizeof tags / sizeof *tags; k++) {
        size_t tl = strlen(tags[k]);
        if (n - i >= tl && !strncasecmp(s + i, tags[k], tl) &&
            (s[i + tl] == '>' || s[i + tl] == ' '))
            return true;
    }
    return false;
}

/* Remove markup: WebVTT tags (all of them; text '<' is escaped there) and
 * entities, SRT's <i>/<b>/<u>/<font> and {\...} overrides. */
static char *clean_text(const char *s, size_t n, bool vtt)
{
    static const struct { const char *e; const char *r; } ent[] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&nbsp;", " "},
        {"&lrm;", ""},  {"&rlm;", ""}, {"&quot;", "\""}, {"&apos;", "'"},
    };
    cf_buf b = {0};
    for (size_t i = 0; i < n;) {
        if (s[i] == '<') {
            const char *e = memchr(s + i, '>', n - i);
            if (e && (vtt || srt_tag(s + i, (size_t)(e - s - i) + 1))) {
                i = (size_t)(e - s) + 1;
                continue;
            }
        }
        if (s[i] == '{' && i + 1 < n && s[i + 1] == '\\') {
            const char *e = memchr(s + i, '}', n - i);
            if (e) {
                i = (size_t)(e - s) + 1;
                continue;
            }
        }
        if (s[i] == '&' && vtt) {
            bool done = false;
            for (size_t k = 0; k < sizeof ent / sizeof *ent; k++) {
                size_t el = strlen(ent[k].e);
                if (n - i >= el && !memcmp(s + i, ent[k].e, el)) {
                    cf_buf_puts(&b, ent[k].r);
                    i += el;
                    done = true;
                    break;
                }
            }
            if (done)
                continue;
        }
        cf_buf_add(&b, s + i, 1);
        i++;
    }
    char *r = cf_buf_take(&b);
    if (r) {
        cf_squeeze(r);
    }
    return r;
}

typedef struct block_text {
    char **lines;
    size_t n, cap;
} block_text;

static int bt_add(block_text *bt, char *s)
{
    if (!s)
        return SH_ERR_NOMEM;
    if (bt->n == bt->cap) {
        size_t c = bt->cap ? bt->cap * 2 : 4;
        char **nl = realloc(bt->lines, c * sizeof *nl);
        if (!nl) {
            free(s);
            return SH_ERR_NOMEM;
        }
        bt->lines = nl;
        bt->cap = c;
    }
    bt->lines[bt->n++] = s;
    return SH_OK;
}

static void bt_clear(block_text *bt)
{
    for (size_t i = 0; i < bt->n; i++)
        free(bt->lines[i]);
    bt->n = 0;
}

static int parse_blocks(const char *data, size_t len, const char *name, sh_cue_doc *out,
                        sh_diag *diag, bool vtt)
{
    const char *p;
    size_t n;
    int rc = cf_begin(data, len, name, diag, &p, &n);
    if (rc != SH_OK)
        return rc;
    cf_lines it;
    cf_lines_init(&it, p, n);
    const char *s;
    size_t ln;
    size_t errors = 0;
    block_text bt = {0};
    const char *fmt = vtt ? "hh:mm:ss.mmm --> hh:mm:ss.mmm" : "hh:mm:ss,mmm --> hh:mm:ss,mmm";

    if (vtt) {
        bool ok = cf_lines_next(&it, &s, &ln);
        if (!ok || ln < 6 || memcmp(s, "WEBVTT", 6) || (ln > 6 && s[6] != ' ' && s[6] != '\t')) {
            sh_diag_add(diag, SH_DIAG_ERROR, name, 1, 1, NULL, 0,
                        "missing 'WEBVTT' header on the first line");
            return SH_ERR_FORMAT;
        }
        /* the rest of the header, up to the first blank line */
        while (cf_lines_next(&it, &s, &ln) && !cf_blank(s, ln)) {
        }
    }
    for (;;) {
        /* skip blank lines between blocks */
        bool more;
        while ((more = cf_lines_next(&it, &s, &ln)) && cf_blank(s, ln)) {
        }
        if (!more)
            break;
        int block_line = it.line;
        char *id = NULL;
        cf_trim(&s, &ln);
        if (vtt && ((ln >= 4 && !memcmp(s, "NOTE", 4) && (ln == 4 || s[4] == ' ' || s[4] == '\t')) ||
                    (ln >= 5 && !memcmp(s, "STYLE", 5) && (ln == 5 || s[5] == ' ' || s[5] == '\t')) ||
                    (ln >= 6 && !memcmp(s, "REGION", 6) && (ln == 6 || s[6] == ' ' || s[6] == '\t')))) {
            while (cf_lines_next(&it, &s, &ln) && !cf_blank(s, ln)) {
            }
            continue;
        }
        if (!has_arrow(s, ln)) {
            if (!vtt) {
                bool digits = ln > 0;
                for (size_t k = 0; k < ln; k++)
                    digits = digits && isdigit((unsigned char)s[k]);
                if (!digits || ln > 9) {
                    sh_diag_add(diag, SH_DIAG_ERROR, name, it.line, 1, NULL, 0,
                                "expected a cue number or a timing line '%s'", fmt);
                    errors++;
                    goto skip_block;
                }
                id = malloc(ln + 2);
                if (!id) {
                    rc = SH_ERR_NOMEM;
                    goto done;
                }
                id[0] = 'p';
                memcpy(id + 1, s, ln);
                id[ln + 1] = '\0';
            } else {
                id = cf_strndup_trim(s, ln);
                if (!id) {
                    rc = SH_ERR_NOMEM;
                    goto done;
                }
            }
            if (!cf_lines_next(&it, &s, &ln) || cf_blank(s, ln)) {
                sh_diag_add(diag, SH_DIAG_ERROR, name, it.line, 1, NULL, 0,
                            "expected a timing line '%s' after the cue %s", fmt,
                            vtt ? "identifier" : "number");
                errors++;
                free(id);
                continue;
            }
            cf_trim(&s, &ln);
        }
        double b, e;
        if (!parse_timing(s, ln, vtt, &b, &e)) {
            sh_diag_add(diag, SH_DIAG_ERROR, name, it.line, 1, NULL, 0,
                        "bad timing line '%.*s' (expected '%s')", (int)(ln > 60 ? 60 : ln), s, fmt);
            errors++;
            free(id);
            goto skip_block;
        }
        int timing_line = it.line;
        if (e < b) {
            sh_diag_add(diag, SH_DIAG_ERROR, name, it.line, 1, NULL, 0,
                        "cue ends before it begins (%.3f s --> %.3f s)", b, e);
            errors++;
        }
        bt_clear(&bt);
        while (cf_lines_next(&it, &s, &ln) && !cf_blank(s, ln)) {
            rc = bt_add(&bt, clean_text(s, ln, vtt));
            if (rc != SH_OK) {
                free(id);
                goto done;
            }
        }
        char *text = NULL, *tr = NULL;
        cf_split_bilingual((const char *const *)bt.lines, bt.n, &text, &tr);
        if (!text) {
            sh_diag_add(diag, SH_DIAG_WARNING, name, timing_line, 1, NULL, 0,
                        "cue without text skipped");
        } else if (e >= b) {
            rc = sh_cue_doc_add(out, id, b, e, text, tr, block_line);
        }
        free(text);
        free(tr);
        free(id);
        if (rc != SH_OK)
            goto done;
        continue;
    skip_block:
        while (cf_lines_next(&it, &s, &ln) && !cf_blank(s, ln)) {
        }
    }
    if (errors) {
        rc = SH_ERR_FORMAT;
    } else if (out->n_cues == 0) {
        sh_diag_add(diag, SH_DIAG_ERROR, name, 0, 0, NULL, 0, "no cues found");
        rc = SH_ERR_FORMAT;
    }
done:
    bt_clear(&bt);
    free(bt.lines);
    return rc;
}

int sh_srt_parse(const char *data, size_t len, const char *name, sh_cue_doc *out, sh_diag *diag)
{
    return parse_blocks(data, len, name, out, diag, false);
}

int sh_vtt_parse(const char *data, size_t len, const char *name, sh_cue_doc *out, sh_diag *diag)
{
    return parse_blocks(data, len, name, out, diag, true);
}
