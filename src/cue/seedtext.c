/* Article text -> paragraphs, translations, vocabulary (`cue init`).
 *
 * Pages copied from learning sites (the seed page is typical) interleave the
 * English paragraphs with their translations, end with a vocabulary list
 * ("challenge ['tʃælindʒ]" then "n. 挑战" lines) and are wrapped in site
 * chrome: menus, breadcrumbs, QR-code and app prompts, comment links. The
 * reader is line based:
 *   - consecutive lines of the same script form a block (hard-wrapped
 *     paragraphs are joined);
 *   - a Latin block of >= 4 words that ends a sentence is a paragraph;
 *   - the first non-Latin block after a paragraph, before anything else
 *     that is kept, is its translation, unless it looks like chrome;
 *   - "word [ipa]" or "word /ipa/" starts a vocabulary entry, and the part-
 *     of-speech lines after it ("n. ...", "adj. ...") are its meanings;
 *   - a short non-chrome block before the first paragraph is the title;
 *   - everything else is dropped, with a note naming the line.
 * Pure: no I/O. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cue/cuefmt_int.h"
#include "shadowing/cuefmt.h"

enum kind { K_NONE, K_LATIN, K_FOREIGN };

typedef struct reader {
    sh_cue_doc *doc;
    sh_diag *diag;
    const char *name;
    /* the block being gathered */
    enum kind kind;
    cf_buf block;
    int block_line, block_lines;
    /* state */
    bool want_translation; /* the last kept thing is a paragraph without one */
    bool in_vocab_entry;
    cf_buf meaning;
    int rc;
} reader;

static const char *const chrome_markers[] = {
    "app", "二维码", "微信", "下载", "首页", "评论", "扫描", "分享", "关注", "登录", "注册",
    "位置", "编辑", "来源", "上一篇", "下一篇", "版权", "copyright", "©", "http", "www.",
    " > ", "|", "查看", "点击", "发布", "我来说", "最新文章", "推送", "添加方式", "联想记忆",
    "想一想再看", "重点单词", "打分", "跟读", "advert", "subscribe", "sign in", "log in",
};

/* A marker made of ASCII letters must stand as a word ("app" is not in
 * "apparent"); others (CJK, symbols) match anywhere. */
static bool contains_ci(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    bool word = isalpha((unsigned char)needle[0]);
    for (const char *p = s; *p; p++) {
        if (strncasecmp(p, needle, n) != 0)
            continue;
        if (!word || ((p == s || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[n])))
            return true;
    }
    return false;
}

static bool is_chrome(const char *s)
{
    for (size_t i = 0; i < sizeof chrome_markers / sizeof *chrome_markers; i++)
        if (contains_ci(s, chrome_markers[i]))
            return true;
    return false;
}

static size_t count_words(const char *s)
{
    size_t w = 0;
    bool in = false;
    for (; *s; s++) {
        bool letter = isalpha((unsigned char)*s) || (unsigned char)*s >= 0x80 || isdigit((unsigned char)*s);
        if (letter && !in)
            w++;
        in = letter || (in && (*s == '\'' || *s == '-'));
    }
    return w;
}

static bool has_letter(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned cp;
        i += cf_utf8_decode(s + i, n - i, &cp);
        if ((cp < 0x80 && isalpha((int)cp)) || (cp >= 0xC0 && !(cp >= 0x2000 && cp <= 0x2BFF) &&
                                                !(cp >= 0x3000 && cp <= 0x303F) &&
                                                !(cp >= 0xFF00 && cp <= 0xFF20)))
            return true;
    }
    return false;
}

/* Ends like a sentence: . ! ? possibly followed by closing quotes/brackets. */
static bool ends_sentence(const char *s)
{
    size_t n = strlen(s);
    while (n) {
        unsigned char c = (unsigned char)s[n - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']')
            n--;
        else if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
                 ((unsigned char)s[n - 1] == 0x9D || (unsigned char)s[n - 1] == 0x99))
            n -= 3; /* ” ’ */
        else
            break;
    }
    return n && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?' ||
                 (n >= 3 && !memcmp(s + n - 3, "\xE2\x80\xA6", 3)));
}

static void drop(reader *r, int line, const char *text, const char *why)
{
    char shown[64];
    size_t n = strlen(text);
    if (n > 48) {
        /* cut on a character boundary */
        size_t k = 48;
        while (k && ((unsigned char)text[k] & 0xC0) == 0x80)
            k--;
        memcpy(shown, text, k);
        memcpy(shown + k, "...", 4);
    } else {
        memcpy(shown, text, n + 1);
    }
    sh_diag_add(r->diag, SH_DIAG_NOTE, r->name, line, 0, NULL, 0, "dropped %s: %s", why, shown);
    r->doc->dropped_lines++;
}

static void set_rc(reader *r, int rc)
{
    if (rc != SH_OK && r->rc == SH_OK)
        r->rc = rc;
}

static void finish_vocab(reader *r)
{
    if (!r->in_vocab_entry)
        return;
    r->in_vocab_entry = false;
    if (r->meaning.n && r->doc->n_vocab) {
        sh_cue_vocab *v = &r->doc->vocab[r->doc->n_vocab - 1];
        free(v->meaning);
        v->meaning = cf_buf_take(&r->meaning);
        if (!v->meaning)
            set_rc(r, SH_ERR_NOMEM);
    }
    cf_buf_free(&r->meaning);
}

static void flush(reader *r)
{
    if (r->kind == K_NONE)
        return;
    char *s = cf_buf_take(&r->block);
    enum kind k = r->kind;
    int line = r->block_line, lines = r->block_lines;
    r->kind = K_NONE;
    if (!s) {
        set_rc(r, SH_ERR_NOMEM);
        return;
    }
    cf_squeeze(s);
    if (k == K_LATIN && count_words(s) >= 4 && ends_sentence(s)) {
        finish_vocab(r);
        set_rc(r, sh_cue_doc_add(r->doc, NULL, NAN, NAN, s, NULL, line));
        r->doc->kept_lines += (size_t)lines;
        r->want_translation = true;
    } else if (k == K_FOREIGN && r->want_translation && !is_chrome(s)) {
        sh_cue_entry *c = &r->doc->cues[r->doc->n_cues - 1];
        c->translation = s;
        s = NULL;
        r->doc->kept_lines += (size_t)lines;
        r->want_translation = false;
    } else if (r->doc->n_cues == 0 && !r->doc->title && !is_chrome(s) && strlen(s) <= 160 &&
               count_words(s) >= 1) {
        r->doc->title = s;
        s = NULL;
        r->doc->kept_lines += (size_t)lines;
    } else {
        drop(r, line, s, is_chrome(s) ? "site text" : k == K_LATIN ? "text that is not a paragraph"
                                                                   : "text that is not a translation");
        r->doc->dropped_lines += (size_t)lines - 1;
    }
    free(s);
}

/* "word [ipa]" or "word /ipa/": the word is Latin letters, spaces, ' and -. */
static bool vocab_entry(const char *s, size_t n, char **word, char **ipa)
{
    size_t i = 0;
    if (!n || !isalpha((unsigned char)s[0]))
        return false;
    while (i < n && (isalpha((unsigned char)s[i]) || s[i] == '\'' || s[i] == '-' ||
                     (s[i] == ' ' && i + 1 < n && isalpha((unsigned char)s[i + 1]))))
        i++;
    size_t wend = i;
    if (wend > 48)
        return false;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= n || i == wend)
        return false;
    char open = s[i], close = open == '[' ? ']' : open == '/' ? '/' : 0;
    if (!close || s[n - 1] != close || n - i < 3)
        return false;
    const char *ib = s + i + 1;
    size_t in = n - i - 2;
    if (memchr(ib, close, in) || memchr(ib, open, in))
        return false;
    *word = cf_strndup_trim(s, wend);
    *ipa = cf_strndup_trim(ib, in);
    return true;
}

/* "n. 挑战", "adj. 全球性的", "vt.&vi. ...": a part of speech then a dot. */
static bool meaning_line(const char *s, size_t n)
{
    static const char *const pos[] = {"n", "v", "vt", "vi", "adj", "adv", "prep", "conj", "pron",
                                      "num", "int", "interj", "art", "abbr", "aux", "det", "phr",
                                      "pl", "a", "ad", "modal"};
    size_t i = 0;
    while (i < n && isalpha((unsigned char)s[i]))
        i++;
    if (i == 0 || i >= n || s[i] != '.')
        return false;
    for (size_t k = 0; k < sizeof pos / sizeof *pos; k++)
        if (strlen(pos[k]) == i && strncasecmp(s, pos[k], i) == 0)
            return true;
    return false;
}

int sh_seedtext_parse(const char *data, size_t len, const char *name, sh_cue_doc *out, sh_diag *diag)
{
    const char *p;
    size_t n;
    int rc = cf_begin(data, len, name, diag, &p, &n);
    if (rc != SH_OK)
        return rc;
    reader r = {.doc = out, .diag = diag, .name = name, .rc = SH_OK};
    cf_lines it;
    cf_lines_init(&it, p, n);
    const char *s;
    size_t ln;
    while (cf_lines_next(&it, &s, &ln) && r.rc == SH_OK) {
        cf_trim(&s, &ln);
        if (!ln) {
            flush(&r);
            continue;
        }
        char *word, *ipa;
        if (vocab_entry(s, ln, &word, &ipa)) {
            flush(&r);
            finish_vocab(&r);
            if (!word || !ipa)
                set_rc(&r, SH_ERR_NOMEM);
            else
                set_rc(&r, sh_cue_doc_add_vocab(out, word, ipa, NULL, it.line));
            free(word);
            free(ipa);
            r.in_vocab_entry = true;
            r.want_translation = false;
            out->kept_lines++;
            continue;
        }
        if (r.in_vocab_entry && meaning_line(s, ln)) {
            flush(&r);
            if (r.meaning.n)
                cf_buf_add(&r.meaning, "; ", 2);
            cf_buf_add(&r.meaning, s, ln);
            out->kept_lines++;
            continue;
        }
        if (!has_letter(s, ln)) {
            flush(&r);
            char *t = cf_strndup_trim(s, ln);
            if (t)
                drop(&r, it.line, t, "a line without words");
            free(t);
            continue;
        }
        char *t = cf_strndup_trim(s, ln);
        if (!t) {
            set_rc(&r, SH_ERR_NOMEM);
            break;
        }
        enum kind k = sh_cuefmt_is_foreign(t) ? K_FOREIGN : K_LATIN;
        free(t);
        if (r.kind != k)
            flush(&r);
        if (r.kind == K_NONE) {
            r.kind = k;
            r.block_line = it.line;
            r.block_lines = 0;
        } else {
            cf_buf_add(&r.block, " ", 1);
        }
        cf_buf_add(&r.block, s, ln);
        r.block_lines++;
    }
    flush(&r);
    finish_vocab(&r);
    cf_buf_free(&r.block);
    cf_buf_free(&r.meaning);
    if (r.rc != SH_OK)
        return r.rc;
    if (out->n_cues == 0) {
        sh_diag_add(diag, SH_DIAG_ERROR, name, 0, 0, NULL, 0,
                    "no English paragraphs found (a paragraph is a line of 4 or more words that "
                    "ends a sentence, separated from the next by a blank line)");
        return SH_ERR_FORMAT;
    }
    return SH_OK;
}
