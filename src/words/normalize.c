/* Text normalisation for broadcast English (see include/shadowing/words.h):
 * text words as the learner reads them, and the tokens a speaker says.
 * Pure: no I/O, no globals, no speech engine (tested and fuzzed alone). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "shadowing/error.h"
#include "shadowing/words.h"

/* ---- numbers ---- */

static const char *const ONES[] = {"zero",    "one",     "two",       "three",    "four",
                                   "five",    "six",     "seven",     "eight",    "nine",
                                   "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                   "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const TENS[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
static const char *const SCALES[] = {"", "thousand", "million", "billion", "trillion"};

typedef struct sbuf {
    char *p;
    size_t size, len;
    bool over;
} sbuf;

static void sb_word(sbuf *b, const char *w)
{
    size_t n = strlen(w), need = n + (b->len ? 1 : 0);
    if (b->over || b->len + need + 1 > b->size) {
        b->over = true;
        return;
    }
    if (b->len)
        b->p[b->len++] = ' ';
    memcpy(b->p + b->len, w, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void below_thousand(sbuf *b, unsigned v)
{
    if (v >= 100) {
        sb_word(b, ONES[v / 100]);
        sb_word(b, "hundred");
        v %= 100;
        if (!v)
            return;
    }
    if (v < 20) {
        sb_word(b, ONES[v]);
    } else {
        sb_word(b, TENS[v / 10]);
        if (v % 10)
            sb_word(b, ONES[v % 10]);
    }
}

char *sh_words_number(unsigned long long v, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    buf[0] = '\0';
    if (v >= 1000000000000000ULL)
        return buf;
    sbuf b = {buf, size, 0, false};
    if (v == 0) {
        sb_word(&b, "zero");
    } else {
        unsigned groups[5] = {0};
        for (int g = 0; g < 5; g++) {
            groups[g] = (unsigned)(v % 1000);
            v /= 1000;
        }
        for (int g = 4; g >= 0; g--) {
            if (!groups[g])
                continue;
            below_thousand(&b, groups[g]);
            if (g)
                sb_word(&b, SCALES[g]);
        }
    }
    if (b.over)
        buf[0] = '\0';
    return buf;
}

/* A year as said: 1100-1999 and 2010-2099 in two pairs ("nineteen
 * ninety", "twenty twenty six", "nineteen hundred", "nineteen oh five"),
 * 2000-2009 as a number ("two thousand six"). */
static void year_words(sbuf *b, unsigned y)
{
    char tmp[128];
    if (y >= 2000 && y < 2010) {
        sb_word(b, sh_words_number(y, tmp, sizeof tmp));
        return;
    }
    below_thousand(b, y / 100);
    unsigned lo = y % 100;
    if (lo == 0) {
        sb_word(b, "hundred");
    } else if (lo < 10) {
        sb_word(b, "oh");
        sb_word(b, ONES[lo]);
    } else {
        below_thousand(b, lo);
    }
}

/* ---- the token list ---- */

typedef struct tlist {
    sh_text_words *tw;
    size_t cap_tokens, cap_words;
    bool nomem;
} tlist;

/* Append one token (a lower-cased copy of [s, s+n) keeping letters and
 * apostrophes; nothing when that leaves it empty). */
static void add_token(tlist *t, const char *s, size_t n, size_t word)
{
    char tok[SH_WORDS_MAX_TOKEN + 1];
    size_t k = 0;
    for (size_t i = 0; i < n && k < SH_WORDS_MAX_TOKEN; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isalpha(ch) && ch < 128)
            tok[k++] = (char)tolower(ch);
        else if (ch == '\'' && k > 0)
            tok[k++] = '\'';
    }
    while (k > 0 && tok[k - 1] == '\'')
        k--; /* "companies'" -> "companies" */
    if (k == 0)
        return;
    tok[k] = '\0';
    sh_text_words *tw = t->tw;
    if (tw->n_tokens == t->cap_tokens) {
        size_t nc = t->cap_tokens ? t->cap_tokens * 2 : 32;
        sh_word_token *p = realloc(tw->tokens, nc * sizeof *p);
        if (!p) {
            t->nomem = true;
            return;
        }
        tw->tokens = p;
        t->cap_tokens = nc;
    }
    memcpy(tw->tokens[tw->n_tokens].text, tok, k + 1);
    tw->tokens[tw->n_tokens].word = word;
    tw->n_tokens++;
}

/* Append each space-separated word of `words`. */
static void add_words(tlist *t, const char *words, size_t word)
{
    const char *p = words;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        if (q > p)
            add_token(t, p, (size_t)(q - p), word);
        p = q;
    }
}

/* ---- pieces of a text word ---- */

/* Upper-case words said as words, not letter by letter. */
static const char *const SAID_AS_WORDS[] = {"NASA",  "NATO", "OPEC",  "UNESCO", "UNICEF", "COVID", "ASEAN", "FIFA",
                                            "NAFTA", "AIDS", "SARS",  "LASER",  "RADAR",  "SCUBA", "NASDAQ", "OK",
                                            "I",     "A",    NULL};

static bool said_as_word(const char *s, size_t n)
{
    for (size_t i = 0; SAID_AS_WORDS[i]; i++)
        if (strlen(SAID_AS_WORDS[i]) == n && strncmp(SAID_AS_WORDS[i], s, n) == 0)
            return true;
    return false;
}

/* Letters run [s, s+n): an abbreviation ("US", "GPU", "GPUs") is spelt
 * letter by letter, other words are one token. */
static void letters(tlist *t, const char *s, size_t n, size_t word)
{
    /* "ChatGPT", "iPhoneXS": a word ending in two or more capitals after a
     * lower-case letter is the word, then an abbreviation. */
    size_t tail = 0;
    while (tail < n && isupper((unsigned char)s[n - 1 - tail]))
        tail++;
    if (tail >= 2 && tail < n && islower((unsigned char)s[n - 1 - tail])) {
        letters(t, s, n - tail, word);
        letters(t, s + n - tail, tail, word);
        return;
    }
    size_t upper = 0;
    for (size_t i = 0; i < n; i++)
        upper += isupper((unsigned char)s[i]) != 0;
    bool plural = n >= 3 && s[n - 1] == 's' && upper == n - 1; /* "GPUs" */
    size_t core = plural ? n - 1 : n;
    if (core >= 2 && upper == core && core <= 5 && !said_as_word(s, core)) {
        for (size_t i = 0; i < core; i++) {
            char l[4] = {(char)tolower((unsigned char)s[i]), 0, 0, 0};
            if (plural && i + 1 == core) {
                l[1] = '\'';
                l[2] = 's';
            }
            add_token(t, l, strlen(l), word);
        }
        return;
    }
    add_token(t, s, n, word);
}

/* The last token as an ordinal ("three" -> "third") or plural ("ninety"
 * -> "nineties"), in place. */
static void inflect_last(tlist *t, size_t first, bool ordinal)
{
    sh_text_words *tw = t->tw;
    if (tw->n_tokens <= first)
        return;
    char *w = tw->tokens[tw->n_tokens - 1].text;
    size_t n = strlen(w);
    static const struct {
        const char *from, *ord;
    } irregular[] = {{"one", "first"},  {"two", "second"},  {"three", "third"},
                     {"five", "fifth"}, {"eight", "eighth"}, {"nine", "ninth"},
                     {"twelve", "twelfth"}};
    if (ordinal) {
        for (size_t i = 0; i < sizeof irregular / sizeof *irregular; i++)
            if (!strcmp(w, irregular[i].from)) {
                strcpy(w, irregular[i].ord);
                return;
            }
    }
    if (n + 4 > SH_WORDS_MAX_TOKEN)
        return;
    if (w[n - 1] == 'y') {
        strcpy(w + n - 1, ordinal ? "ieth" : "ies");
    } else {
        strcpy(w + n, ordinal ? "th" : "s");
    }
}

typedef struct num {
    unsigned long long ip; /* integer part */
    char frac[24];         /* digits after the point, as written */
    size_t len;            /* bytes consumed */
    bool grouped;          /* had thousands commas */
    size_t int_digits;
    bool ok;
} num;

/* A number at s: digits with optional thousands commas and a decimal part. */
static num parse_num(const char *s, size_t n)
{
    num r = {0};
    size_t i = 0, digits = 0;
    while (i < n) {
        if (isdigit((unsigned char)s[i])) {
            if (r.ip < 100000000000000000ULL)
                r.ip = r.ip * 10 + (unsigned long long)(s[i] - '0');
            else
                r.ip = ~0ULL;
            digits++;
            i++;
        } else if (s[i] == ',' && digits > 0 && i + 3 < n && isdigit((unsigned char)s[i + 1]) &&
                   isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3]) &&
                   (i + 4 >= n || !isdigit((unsigned char)s[i + 4]))) {
            r.grouped = true;
            i++;
        } else {
            break;
        }
    }
    if (digits == 0)
        return r;
    r.int_digits = digits;
    if (i + 1 < n && s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
        i++;
        size_t k = 0;
        while (i < n && isdigit((unsigned char)s[i])) {
            if (k + 1 < sizeof r.frac)
                r.frac[k++] = s[i];
            i++;
        }
        r.frac[k] = '\0';
    }
    r.len = i;
    r.ok = r.ip != ~0ULL && r.ip < 1000000000000000ULL;
    return r;
}

static void say_num(tlist *t, const num *x, size_t word)
{
    char tmp[512];
    add_words(t, sh_words_number(x->ip, tmp, sizeof tmp), word);
    if (x->frac[0]) {
        add_token(t, "point", 5, word);
        for (const char *d = x->frac; *d; d++)
            add_token(t, ONES[*d - '0'], strlen(ONES[*d - '0']), word);
    }
}

static bool is_scale(const char *s, size_t n, const char **canon)
{
    static const struct {
        const char *w, *c;
    } sc[] = {{"thousand", "thousand"}, {"million", "million"},   {"billion", "billion"}, {"trillion", "trillion"},
              {"k", "thousand"},        {"m", "million"},         {"mn", "million"},      {"bn", "billion"},
              {"b", "billion"},         {"tn", "trillion"},       {NULL, NULL}};
    for (size_t i = 0; sc[i].w; i++)
        if (strlen(sc[i].w) == n && strncasecmp(sc[i].w, s, n) == 0) {
            *canon = sc[i].c;
            return true;
        }
    return false;
}

/* One part of a text word (no hyphen or slash inside): number forms,
 * letters, or a mix ("H100", "5G"). `next` is the following text word
 * (NULL at the end), for "$5.6 million"; sets *dollars_after when the
 * "dollars" belongs after that next word. */
static void part(tlist *t, const char *s, size_t n, size_t word, const char *next, size_t next_n, bool *dollars_after)
{
    size_t i = 0;
    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '$' || ch == '#' || ch == '&' || ch == '+' || ch == '@' || ch == '%') {
            bool money = ch == '$';
            if (ch == '#')
                add_token(t, "number", 6, word);
            else if (ch == '&')
                add_token(t, "and", 3, word);
            else if (ch == '+')
                add_token(t, "plus", 4, word);
            else if (ch == '@')
                add_token(t, "at", 2, word);
            else if (ch == '%')
                add_token(t, "percent", 7, word);
            i++;
            if (!money)
                continue;
            num x = parse_num(s + i, n - i);
            if (!x.ok)
                continue; /* a lone "$" is not said */
            i += x.len;
            const char *canon = NULL;
            size_t rest = n - i;
            bool attached = rest > 0 && is_scale(s + i, rest, &canon);
            bool cents = !attached && strlen(x.frac) == 2 && !(next && is_scale(next, next_n, &canon));
            if (cents) {
                num whole = x;
                whole.frac[0] = '\0';
                say_num(t, &whole, word);
                add_words(t, whole.ip == 1 ? "dollar" : "dollars", word);
                unsigned c = (unsigned)((x.frac[0] - '0') * 10 + (x.frac[1] - '0'));
                if (c) {
                    char tmp[64];
                    add_words(t, sh_words_number(c, tmp, sizeof tmp), word);
                    add_words(t, c == 1 ? "cent" : "cents", word);
                }
                continue;
            }
            say_num(t, &x, word);
            if (attached) {
                add_words(t, canon, word);
                add_words(t, "dollars", word);
                i = n;
            } else if (next && is_scale(next, next_n, &canon)) {
                *dollars_after = true;
            } else {
                add_words(t, x.ip == 1 && !x.frac[0] ? "dollar" : "dollars", word);
            }
            continue;
        }
        if (isdigit(ch)) {
            num x = parse_num(s + i, n - i);
            if (!x.ok) { /* too long: digit by digit */
                add_token(t, ONES[ch - '0'], strlen(ONES[ch - '0']), word);
                i++;
                continue;
            }
            i += x.len;
            size_t first = t->tw->n_tokens;
            const char *suf = s + i;
            size_t sl = 0;
            while (i + sl < n && isalpha((unsigned char)suf[sl]))
                sl++;
            bool ord = !x.frac[0] && sl == 2 &&
                       (!strncasecmp(suf, "st", 2) || !strncasecmp(suf, "nd", 2) || !strncasecmp(suf, "rd", 2) ||
                        !strncasecmp(suf, "th", 2));
            bool decade = !x.frac[0] && sl == 1 && suf[0] == 's' && x.ip % 10 == 0;
            bool year = !x.frac[0] && !x.grouped && x.int_digits == 4 && x.ip >= 1100 && x.ip <= 2099;
            if (year || (decade && x.int_digits == 4)) {
                char tmp[256];
                sbuf b = {tmp, sizeof tmp, 0, false};
                tmp[0] = '\0';
                year_words(&b, (unsigned)x.ip);
                add_words(t, tmp, word);
            } else {
                say_num(t, &x, word);
            }
            if (ord || decade) {
                inflect_last(t, first, ord);
                i += sl;
            } else if (i < n && s[i] == '%') {
                add_token(t, "percent", 7, word);
                i++;
            }
            continue;
        }
        if ((isalpha(ch) && ch < 128) || ch == '\'') {
            size_t j = i;
            while (j < n && ((isalpha((unsigned char)s[j]) && (unsigned char)s[j] < 128) || s[j] == '\''))
                j++;
            letters(t, s + i, j - i, word);
            i = j;
            continue;
        }
        i++; /* other symbols are not said */
    }
}

/* ---- text words ---- */

/* Copy [s, s+n) with typographic apostrophes as ' and Latin-1 letters
 * with accents as their base letter ("café" -> "cafe"): the tokens are
 * ASCII. The display word keeps the original. */
static size_t fold(const char *s, size_t n, char *out, size_t size)
{
    static const char LAT1[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0x98 || (unsigned char)s[i + 2] == 0x99)) {
            out[k++] = '\'';
            i += 2;
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94)) {
            out[k++] = '-'; /* en and em dashes join like hyphens */
            i += 2;
        } else if (c == 0xC3 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0xBF) {
            out[k++] = LAT1[(unsigned char)s[i + 1] - 0x80];
            i++;
        } else {
            out[k++] = (char)c;
        }
    }
    out[k] = '\0';
    return k;
}

static bool lead_punct(unsigned char c) { return strchr("\"'([{<*_", c) != NULL && c; }
static bool trail_punct(unsigned char c) { return strchr("\"')]}>,.;:!?*_", c) != NULL && c; }

/* Strip the punctuation around a chunk [*s, *s+*n): ASCII quotes and
 * brackets, and the UTF-8 curly quotes, ellipsis and dashes. A final "."
 * stays after initials ("U.S."). */
static void strip(const char **s, size_t *n)
{
    const unsigned char *p = (const unsigned char *)*s;
    size_t len = *n;
    for (;;) {
        if (len && lead_punct(p[0])) {
            p++;
            len--;
        } else if (len >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
                   (p[2] == 0x9C || p[2] == 0x98 || p[2] == 0x93 || p[2] == 0x94 || p[2] == 0xA6)) {
            p += 3;
            len -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (len && trail_punct(p[len - 1])) {
            if (p[len - 1] == '.' && len >= 4 && p[len - 3] == '.' && isalpha(p[len - 2]))
                break; /* "U.S." */
            len--;
        } else if (len >= 3 && p[len - 3] == 0xE2 && p[len - 2] == 0x80 &&
                   (p[len - 1] == 0x9D || p[len - 1] == 0x99 || p[len - 1] == 0x93 || p[len - 1] == 0x94 ||
                    p[len - 1] == 0xA6)) {
            len -= 3;
        } else {
            break;
        }
    }
    *s = (const char *)p;
    *n = len;
}

static bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* Next chunk after *pos (whitespace separated): start and length, false at the end. */
static bool next_chunk(const char *text, size_t *pos, const char **s, size_t *n)
{
    size_t i = *pos;
    while (text[i] && is_space((unsigned char)text[i]))
        i++;
    if (!text[i])
        return false;
    size_t j = i;
    while (text[j] && !is_space((unsigned char)text[j]))
        j++;
    *s = text + i;
    *n = j - i;
    *pos = j;
    return true;
}

/* Dotted initials "U.S." / "U.S" -> "US" in place; returns the new length. */
static size_t undot(char *w, size_t n)
{
    if (n < 3)
        return n;
    for (size_t i = 0; i < n; i++) {
        bool letter_pos = i % 2 == 0;
        if (letter_pos ? !isupper((unsigned char)w[i]) : w[i] != '.')
            return n;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i += 2)
        w[k++] = w[i];
    w[k] = '\0';
    return k;
}

int sh_text_words_split(const char *text, sh_text_words *out)
{
    if (!out)
        return SH_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (!text)
        return SH_ERR_INVALID;
    tlist t = {.tw = out};
    size_t pos = 0;
    const char *s, *ns = NULL;
    size_t n, nn = 0;
    bool dollars_pending = false;
    char buf[256], nbuf[256];
    bool have = next_chunk(text, &pos, &s, &n);
    while (have && !t.nomem) {
        size_t npos = pos;
        bool have_next = next_chunk(text, &npos, &ns, &nn);
        const char *ds = s;
        size_t dn = n;
        strip(&ds, &dn);
        size_t fl = fold(ds, dn, buf, sizeof buf);
        fl = undot(buf, fl);
        size_t fnn = 0;
        if (have_next) {
            const char *nds = ns;
            size_t ndn = nn;
            strip(&nds, &ndn);
            fnn = fold(nds, ndn, nbuf, sizeof nbuf);
        }
        size_t word = out->n_words, before = out->n_tokens;
        bool dollars_after = false;
        /* parts split at hyphens, slashes and colons ("state-of-the-art", "and/or", "10:30") */
        size_t a = 0;
        while (a < fl) {
            size_t b = a;
            while (b < fl && buf[b] != '-' && buf[b] != '/' && buf[b] != ':')
                b++;
            if (b > a) {
                bool last = b >= fl;
                part(&t, buf + a, b - a, word, last && have_next ? nbuf : NULL, fnn, &dollars_after);
            }
            a = b + 1;
        }
        if (out->n_tokens > before && dollars_pending)
            add_token(&t, "dollars", 7, word);
        if (out->n_tokens > before) {
            dollars_pending = dollars_after;
            if (out->n_words == t.cap_words) {
                size_t nc = t.cap_words ? t.cap_words * 2 : 32;
                char **p = realloc(out->words, nc * sizeof *p);
                if (!p) {
                    t.nomem = true;
                    break;
                }
                out->words = p;
                t.cap_words = nc;
            }
            char *w = malloc(dn + 1);
            if (!w) {
                t.nomem = true;
                break;
            }
            memcpy(w, ds, dn);
            w[dn] = '\0';
            out->words[out->n_words++] = w;
        } else if (dollars_pending) {
            dollars_pending = false;
        }
        s = ns;
        n = nn;
        pos = npos;
        have = have_next;
    }
    if (t.nomem) {
        sh_text_words_free(out);
        return SH_ERR_NOMEM;
    }
    return SH_OK;
}

void sh_text_words_free(sh_text_words *tw)
{
    if (!tw)
        return;
    for (size_t i = 0; i < tw->n_words; i++)
        free(tw->words[i]);
    free(tw->words);
    free(tw->tokens);
    memset(tw, 0, sizeof *tw);
}
