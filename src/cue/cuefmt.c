/* Cue documents and the helpers every format parser shares: line splitting,
 * UTF-8 checks, script detection, time stamps. Pure: no I/O. */
#include "shadowing/cuefmt.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "cue/cuefmt_int.h"

void sh_cue_doc_init(sh_cue_doc *doc)
{
    memset(doc, 0, sizeof *doc);
}

void sh_cue_doc_free(sh_cue_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n_cues; i++) {
        free(doc->cues[i].id);
        free(doc->cues[i].text);
        free(doc->cues[i].translation);
    }
    free(doc->cues);
    for (size_t i = 0; i < doc->n_vocab; i++) {
        free(doc->vocab[i].word);
        free(doc->vocab[i].ipa);
        free(doc->vocab[i].meaning);
    }
    free(doc->vocab);
    free(doc->title);
    free(doc->artist);
    free(doc->language);
    memset(doc, 0, sizeof *doc);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int sh_cue_doc_add(sh_cue_doc *doc, const char *id, double begin, double end, const char *text,
                   const char *translation, int line)
{
    if (doc->n_cues == doc->cap_cues) {
        size_t cap = doc->cap_cues ? doc->cap_cues * 2 : 16;
        sh_cue_entry *c = realloc(doc->cues, cap * sizeof *c);
        if (!c)
            return SH_ERR_NOMEM;
        doc->cues = c;
        doc->cap_cues = cap;
    }
    sh_cue_entry e = {
        .id = dup_or_null(id),
        .begin = begin,
        .end = end,
        .text = strdup(text ? text : ""),
        .translation = dup_or_null(translation),
        .line = line,
    };
    if ((id && !e.id) || !e.text || (translation && !e.translation)) {
        free(e.id);
        free(e.text);
        free(e.translation);
        return SH_ERR_NOMEM;
    }
    doc->cues[doc->n_cues++] = e;
    return SH_OK;
}

int sh_cue_doc_add_vocab(sh_cue_doc *doc, const char *word, const char *ipa, const char *meaning,
                         int line)
{
    if (doc->n_vocab == doc->cap_vocab) {
        size_t cap = doc->cap_vocab ? doc->cap_vocab * 2 : 16;
        sh_cue_vocab *v = realloc(doc->vocab, cap * sizeof *v);
        if (!v)
            return SH_ERR_NOMEM;
        doc->vocab = v;
        doc->cap_vocab = cap;
    }
    sh_cue_vocab e = {.word = strdup(word), .ipa = dup_or_null(ipa),
                      .meaning = dup_or_null(meaning), .line = line};
    if (!e.word || (ipa && !e.ipa) || (meaning && !e.meaning)) {
        free(e.word);
        free(e.ipa);
        free(e.meaning);
        return SH_ERR_NOMEM;
    }
    doc->vocab[doc->n_vocab++] = e;
    return SH_OK;
}

/* ---- formats ---- */

sh_cue_format sh_cue_format_from_name(const char *name)
{
    if (!name)
        return SH_CUEFMT_UNKNOWN;
    if (!strcasecmp(name, "lrc"))
        return SH_CUEFMT_LRC;
    if (!strcasecmp(name, "srt") || !strcasecmp(name, "subrip"))
        return SH_CUEFMT_SRT;
    if (!strcasecmp(name, "vtt") || !strcasecmp(name, "webvtt"))
        return SH_CUEFMT_VTT;
    if (!strcasecmp(name, "aeneas") || !strcasecmp(name, "json"))
        return SH_CUEFMT_AENEAS;
    if (!strcasecmp(name, "text") || !strcasecmp(name, "txt"))
        return SH_CUEFMT_TEXT;
    return SH_CUEFMT_UNKNOWN;
}

const char *sh_cue_format_name(sh_cue_format f)
{
    switch (f) {
    case SH_CUEFMT_TEXT: return "text";
    case SH_CUEFMT_LRC: return "lrc";
    case SH_CUEFMT_SRT: return "srt";
    case SH_CUEFMT_VTT: return "vtt";
    case SH_CUEFMT_AENEAS: return "aeneas";
    default: return "unknown";
    }
}

sh_cue_format sh_cue_format_detect(const char *path, const char *data, size_t len)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (dot && !strchr(dot, '/')) {
        sh_cue_format f = sh_cue_format_from_name(dot + 1);
        if (f != SH_CUEFMT_UNKNOWN)
            return f;
    }
    if (!data)
        return SH_CUEFMT_UNKNOWN;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF) {
        data += 3;
        len -= 3;
    }
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (len - i >= 6 && !memcmp(data + i, "WEBVTT", 6))
        return SH_CUEFMT_VTT;
    if (i < len && data[i] == '{')
        return SH_CUEFMT_AENEAS;
    if (i < len && data[i] == '[')
        return SH_CUEFMT_LRC;
    /* SRT: a number line, then a line with "-->". */
    size_t j = i;
    while (j < len && data[j] >= '0' && data[j] <= '9')
        j++;
    if (j > i) {
        cf_lines it;
        const char *ln;
        size_t lnn;
        cf_lines_init(&it, data + j, len - j);
        if (cf_lines_next(&it, &ln, &lnn) && cf_lines_next(&it, &ln, &lnn))
            for (size_t k = 0; k + 3 <= lnn; k++)
                if (!memcmp(ln + k, "-->", 3))
                    return SH_CUEFMT_SRT;
    }
    return SH_CUEFMT_TEXT;
}

int sh_cue_parse(sh_cue_format f, const char *data, size_t len, const char *name, sh_cue_doc *out,
                 sh_diag *diag)
{
    switch (f) {
    case SH_CUEFMT_TEXT: return sh_seedtext_parse(data, len, name, out, diag);
    case SH_CUEFMT_LRC: return sh_lrc_parse(data, len, name, out, diag);
    case SH_CUEFMT_SRT: return sh_srt_parse(data, len, name, out, diag);
    case SH_CUEFMT_VTT: return sh_vtt_parse(data, len, name, out, diag);
    case SH_CUEFMT_AENEAS: return sh_aeneas_parse(data, len, name, out, diag);
    default: return SH_ERR_INVALID;
    }
}

/* ---- lines ---- */

void cf_lines_init(cf_lines *it, const char *data, size_t len)
{
    it->p = data;
    it->end = data + len;
    it->line = 0;
}

bool cf_lines_next(cf_lines *it, const char **s, size_t *n)
{
    if (it->p >= it->end)
        return false;
    /* A line ends at "\n", "\r\n" or a lone "\r" (old Mac files). */
    const char *e = it->p;
    while (e < it->end && *e != '\n' && *e != '\r')
        e++;
    *s = it->p;
    *n = (size_t)(e - it->p);
    if (e < it->end)
        e += (*e == '\r' && e + 1 < it->end && e[1] == '\n') ? 2 : 1;
    it->p = e;
    it->line++;
    return true;
}

bool sh_cuefmt_utf8_valid(const char *data, size_t len, int *bad_line)
{
    const unsigned char *s = (const unsigned char *)data;
    int line = 1;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t k;
        unsigned cp, min;
        if (c == '\n' || (c == '\r' && (i + 1 == len || s[i + 1] != '\n'))) { /* as cf_lines_next */
            line++;
            i++;
            continue;
        }
        if (c == 0)
            goto bad;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, cp = c & 0x07, min = 0x10000;
        } else {
            goto bad;
        }
        if (len - i <= k)
            goto bad;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += k + 1;
    }
    return true;
bad:
    if (bad_line)
        *bad_line = line;
    return false;
}

size_t cf_utf8_decode(const char *p, size_t n, unsigned *cp)
{
    const unsigned char *s = (const unsigned char *)p;
    if (!n) {
        *cp = 0;
        return 0;
    }
    unsigned c = s[0];
    size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
    if (k >= n || (c >= 0x80 && k == 0)) {
        *cp = c;
        return 1;
    }
    unsigned v = k == 0 ? c : k == 1 ? (c & 0x1F) : k == 2 ? (c & 0x0F) : (c & 0x07);
    for (size_t j = 1; j <= k; j++) {
        if ((s[j] & 0xC0) != 0x80) {
            *cp = c;
            return 1;
        }
        v = (v << 6) | (s[j] & 0x3F);
    }
    *cp = v;
    return k + 1;
}

/* Letters that are not ASCII and not Latin-1/Latin Extended (accents are
 * English-compatible: café, naïve). General punctuation and CJK symbols
 * (U+2000-U+206F, U+3000-U+303F, U+FF00-U+FF0F...) are not letters. */
static bool foreign_letter(unsigned cp)
{
    if (cp < 0x250)
        return false;
    if (cp >= 0x2000 && cp <= 0x2BFF) /* punctuation, symbols, arrows */
        return false;
    if (cp >= 0x3000 && cp <= 0x303F) /* CJK punctuation */
        return false;
    if (cp >= 0xFF00 && cp <= 0xFF20) /* full-width punctuation and digits */
        return false;
    if ((cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65))
        return false;
    if (cp >= 0x0250 && cp <= 0x02FF) /* IPA, spacing modifiers */
        return false;
    if (cp >= 0xFE00 && cp <= 0xFE6F)
        return false;
    return true;
}

static bool ascii_letter(unsigned cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp < 0x250 && cp != 0xD7 && cp != 0xF7);
}

bool sh_cuefmt_is_foreign(const char *s)
{
    size_t latin = 0, foreign = 0, n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned cp;
        i += cf_utf8_decode(s + i, n - i, &cp);
        if (ascii_letter(cp))
            latin++;
        else if (foreign_letter(cp))
            foreign++;
    }
    /* A CJK character carries about as much as a word: weigh it 3 to 1. */
    return foreign > 0 && foreign * 3 >= latin;
}

int cf_begin(const char *data, size_t len, const char *name, sh_diag *diag, const char **p, size_t *n)
{
    if (len > SH_CUEFMT_MAX_BYTES) {
        sh_diag_add(diag, SH_DIAG_ERROR, name, 0, 0, NULL, 0,
                    "file is larger than the %u MiB limit for cue files", SH_CUEFMT_MAX_BYTES >> 20);
        return SH_ERR_TOO_LARGE;
    }
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF) {
        data += 3;
        len -= 3;
    }
    const char *utf16 = sh_text_utf16(data, len); /* with or without a byte order mark */
    if (utf16) {
        sh_diag_add(diag, SH_DIAG_ERROR, name, 1, 0, NULL, 0,
                    "file is UTF-16; save it as UTF-8 (e.g. iconv -f %s -t UTF-8 FILE > NEW)", utf16);
        return SH_ERR_FORMAT;
    }
    int bad = 0;
    if (!sh_cuefmt_utf8_valid(data, len, &bad)) {
        sh_diag_add(diag, SH_DIAG_ERROR, name, bad, 0, NULL, 0,
                    "not valid UTF-8 text; convert the file first (e.g. iconv -f GB18030 -t UTF-8)");
        return SH_ERR_FORMAT;
    }
    *p = data;
    *n = len;
    return SH_OK;
}

/* ---- strings ---- */

static size_t space_len(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n' || s[0] == '\f' ||
                   s[0] == '\v'))
        return 1;
    if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) /* NBSP */
        return 2;
    if (n >= 3 && (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
        (unsigned char)s[2] == 0x80) /* ideographic space */
        return 3;
    return 0;
}

static size_t space_len_back(const char *s, size_t n)
{
    if (n >= 1 && space_len(s + n - 1, 1))
        return 1;
    if (n >= 2 && space_len(s + n - 2, 2) == 2)
        return 2;
    if (n >= 3 && space_len(s + n - 3, 3) == 3)
        return 3;
    return 0;
}

void cf_trim(const char **s, size_t *n)
{
    size_t k;
    while (*n && (k = space_len(*s, *n))) {
        *s += k;
        *n -= k;
    }
    while (*n && (k = space_len_back(*s, *n)))
        *n -= k;
}

bool cf_blank(const char *s, size_t n)
{
    cf_trim(&s, &n);
    return n == 0;
}

char *cf_strndup_trim(const char *s, size_t n)
{
    cf_trim(&s, &n);
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

void cf_squeeze(char *s)
{
    size_t n = strlen(s), o = 0;
    bool sp = false;
    for (size_t i = 0; i < n;) {
        size_t k = space_len(s + i, n - i);
        if (k) {
            sp = o > 0;
            i += k;
            continue;
        }
        if (sp) {
            s[o++] = ' ';
            sp = false;
        }
        s[o++] = s[i++];
    }
    s[o] = '\0';
}

void cf_split_bilingual(const char *const *lines, size_t n, char **text, char **translation)
{
    cf_buf en = {0}, tr = {0};
    for (size_t i = 0; i < n; i++) {
        if (!lines[i][0])
            continue;
        cf_buf *b = sh_cuefmt_is_foreign(lines[i]) ? &tr : &en;
        if (b->n)
            cf_buf_add(b, " ", 1);
        cf_buf_puts(b, lines[i]);
    }
    /* A cue entirely in another script is still the cue's text. */
    if (!en.n && tr.n) {
        cf_buf t = en;
        en = tr;
        tr = t;
    }
    *text = en.n ? cf_buf_take(&en) : NULL;
    *translation = tr.n ? cf_buf_take(&tr) : NULL;
    cf_buf_free(&en);
    cf_buf_free(&tr);
}

char *sh_cuefmt_time(sh_cue_format f, double seconds, char *buf, size_t size)
{
    if (!(seconds >= 0) || !isfinite(seconds))
        seconds = 0;
    if (f == SH_CUEFMT_LRC) {
        long long cs = llround(seconds * 100.0);
        snprintf(buf, size, "%02lld:%02lld.%02lld", cs / 6000, (cs / 100) % 60, cs % 100);
        return buf;
    }
    long long ms = llround(seconds * 1000.0);
    snprintf(buf, size, "%02lld:%02lld:%02lld%c%03lld", ms / 3600000, (ms / 60000) % 60,
             (ms / 1000) % 60, f == SH_CUEFMT_SRT ? ',' : '.', ms % 1000);
    return buf;
}
