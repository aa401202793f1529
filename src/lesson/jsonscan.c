/* Pure JSON scanner: UTF-8, syntax with actionable messages, nesting limit,
 * and value locations. See jsonscan.h. Strict RFC 8259 grammar, so whatever
 * it accepts cJSON accepts too (cJSON is more lenient with numbers). */
#include "lesson/jsonscan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

typedef struct scanner {
    const unsigned char *p;
    size_t len, pos;
    uint32_t line, col;
    int max_depth, rec_depth;
    size_t max_values, nvalues;
    sh_jscan *out;
    /* What the file is, for messages ("an aeneas sync map"); NULL for a
     * lesson, which people write by hand: another file is written by a
     * program, so one that ends early was most likely cut off. */
    const char *what;
} scanner;

#define WHAT(s) ((s)->what ? (s)->what : "a lesson")

static int peek(const scanner *s)
{
    return s->pos < s->len ? s->p[s->pos] : -1;
}

/* Consume one byte, keeping line and column (columns count characters:
 * UTF-8 continuation bytes do not move the column). */
static void adv(scanner *s)
{
    unsigned char c = s->p[s->pos++];
    if (c == '\n') {
        s->line++;
        s->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        s->col++;
    }
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static bool fail_at(scanner *s, uint32_t line, uint32_t col, size_t off, const char *fmt, ...)
{
    sh_jscan *o = s->out;
    if (o->err_line)
        return false; /* keep the first error */
    o->err_line = line;
    o->err_col = col;
    o->err_off = off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->err_msg, sizeof o->err_msg, fmt, ap);
    va_end(ap);
    return false;
}

#define FAIL(s, ...) fail_at((s), (s)->line, (s)->col, (s)->pos, __VA_ARGS__)

/* Describe the character at pos for a message: 'x' or U+XXXX. */
static void describe_char(const scanner *s, char *buf, size_t size)
{
    if (s->pos >= s->len) {
        snprintf(buf, size, "end of file");
        return;
    }
    unsigned c = s->p[s->pos];
    if (c >= 0x21 && c < 0x7F) {
        snprintf(buf, size, "'%c'", (char)c);
        return;
    }
    unsigned cp = c;
    size_t n = 1;
    if (c >= 0xF0)
        cp = c & 0x07, n = 4;
    else if (c >= 0xE0)
        cp = c & 0x0F, n = 3;
    else if (c >= 0xC0)
        cp = c & 0x1F, n = 2;
    for (size_t i = 1; i < n && s->pos + i < s->len; i++)
        cp = (cp << 6) | (s->p[s->pos + i] & 0x3Fu);
    snprintf(buf, size, "U+%04X", cp);
}

static void skip_ws(scanner *s)
{
    while (s->pos < s->len) {
        unsigned char c = s->p[s->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        adv(s);
    }
}

static uint32_t push_node(scanner *s, sh_jtype type, uint32_t kl, uint32_t kc)
{
    sh_jscan *o = s->out;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        /* Never more nodes than values allowed (scan_value counts first). */
        if (s->max_values && cap > s->max_values)
            cap = s->max_values;
        sh_jnode *nn = realloc(o->nodes, cap * sizeof *nn);
        if (!nn) {
            o->nomem = true;
            return SH_JNONE;
        }
        o->nodes = nn;
        o->cap = cap;
    }
    sh_jnode *n = &o->nodes[o->n];
    memset(n, 0, sizeof *n);
    n->off = (uint32_t)s->pos;
    n->line = s->line;
    n->col = s->col;
    n->key_line = kl;
    n->key_col = kc;
    n->type = (uint8_t)type;
    n->next = SH_JNONE;
    return (uint32_t)o->n++;
}

static bool is_word_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool scan_value(scanner *s, int depth, uint32_t kl, uint32_t kc);

static bool hex4(const unsigned char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        v = (v << 4) | d;
    }
    *out = v;
    return true;
}

static bool scan_string(scanner *s)
{
    uint32_t sl = s->line, sc = s->col;
    size_t soff = s->pos;
    adv(s); /* opening quote */
    for (;;) {
        int c = peek(s);
        if (c < 0)
            return s->what ? fail_at(s, sl, sc, soff,
                                     "the file ends inside the string that starts here: was it cut off? "
                                     "Make it again (or add the closing '\"')")
                           : fail_at(s, sl, sc, soff,
                                     "string not closed before the end of the file: add the closing '\"'");
        if (c == '"') {
            adv(s);
            return true;
        }
        if (c == '\n' || c == '\r')
            return fail_at(s, sl, sc, soff,
                           "string not closed before the end of the line: add the closing '\"' "
                           "(write \\n for a line break inside a string)");
        if (c < 0x20)
            return FAIL(s, "control character U+%04X inside a string: remove it, or write it as an escape "
                           "such as \\t", (unsigned)c);
        if (c != '\\') {
            adv(s);
            continue;
        }
        /* Escape sequence. */
        if (s->pos + 1 >= s->len)
            return s->what ? fail_at(s, sl, sc, soff,
                                     "the file ends inside the string that starts here: was it cut off? "
                                     "Make it again (or add the closing '\"')")
                           : fail_at(s, sl, sc, soff,
                                     "string not closed before the end of the file: add the closing '\"'");
        int e = s->p[s->pos + 1];
        if (strchr("\"\\/bfnrt", e) && e) {
            adv(s);
            adv(s);
            continue;
        }
        if (e != 'u') {
            char what[16];
            s->pos++;
            describe_char(s, what, sizeof what);
            s->pos--;
            return FAIL(s, "invalid escape '\\' followed by %s: write \\\\ for a backslash", what);
        }
        unsigned cp;
        if (s->pos + 6 > s->len || !hex4(s->p + s->pos + 2, &cp))
            return FAIL(s, "\\u must be followed by 4 hex digits, as in \\u00e9");
        if (cp == 0)
            return FAIL(s, "\\u0000 (a NUL character) is not allowed in %s: remove it", WHAT(s));
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return FAIL(s, "unpaired UTF-16 surrogate \\u%04X: write the character itself (the file is UTF-8)", cp);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo;
            if (s->pos + 12 > s->len || s->p[s->pos + 6] != '\\' || s->p[s->pos + 7] != 'u' ||
                !hex4(s->p + s->pos + 8, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                return FAIL(s, "unpaired UTF-16 surrogate \\u%04X: write the character itself (the file is UTF-8)", cp);
            for (int i = 0; i < 12; i++)
                adv(s);
            continue;
        }
        for (int i = 0; i < 6; i++)
            adv(s);
    }
}

static bool scan_digits(scanner *s)
{
    int c = peek(s);
    if (c < '0' || c > '9')
        return false;
    while ((c = peek(s)) >= '0' && c <= '9')
        adv(s);
    return true;
}

static bool scan_number(scanner *s)
{
    uint32_t sl = s->line, sc = s->col;
    size_t soff = s->pos;
    if (peek(s) == '-')
        adv(s);
    int c = peek(s);
    if (c == '0') {
        adv(s);
        c = peek(s);
        if (c >= '0' && c <= '9')
            return fail_at(s, sl, sc, soff, "numbers cannot start with 0: write 12, not 012");
    } else if (!scan_digits(s)) {
        return fail_at(s, sl, sc, soff, "'-' must be followed by digits");
    }
    c = peek(s);
    if (c == '.') {
        adv(s);
        if (!scan_digits(s))
            return FAIL(s, "expected digits after the decimal point: write 12.0 or 12");
    }
    c = peek(s);
    if (c == 'e' || c == 'E') {
        adv(s);
        c = peek(s);
        if (c == '+' || c == '-')
            adv(s);
        if (!scan_digits(s))
            return FAIL(s, "expected digits in the exponent of the number");
    }
    c = peek(s);
    if (c == ':' && s->pos + 1 < s->len && s->p[s->pos + 1] >= '0' && s->p[s->pos + 1] <= '9')
        return fail_at(s, sl, sc, soff, "a time such as 1:02.5 must be a string: put it in double quotes");
    if (is_word_char(c) || c == '.')
        return FAIL(s, "unexpected character after a number: write numbers like 12.5 (no units, a '.' for the decimal point)");
    return true;
}

static bool expect_word(scanner *s, const char *w)
{
    size_t n = strlen(w);
    if (s->len - s->pos >= n && memcmp(s->p + s->pos, w, n) == 0 &&
        !(s->pos + n < s->len && is_word_char(s->p[s->pos + n]))) {
        for (size_t i = 0; i < n; i++)
            adv(s);
        return true;
    }
    return false;
}

static bool unexpected_value(scanner *s)
{
    int c = peek(s);
    if (c < 0)
        return FAIL(s, s->what ? "the file ends where a value should be: was it cut off? Make it again"
                               : "unexpected end of file: expected a value");
    if (c == '\'')
        return FAIL(s, "strings need double quotes (\"), not single quotes");
    if (c == '/')
        return FAIL(s, "JSON has no comments: remove it (put remarks in a \"notes\" field)");
    if (c == '}' || c == ']' || c == ',') {
        char what[16];
        describe_char(s, what, sizeof what);
        return FAIL(s, "expected a value before %s", what);
    }
    if (is_word_char(c)) {
        size_t e = s->pos;
        while (e < s->len && e - s->pos < 24 && is_word_char(s->p[e]))
            e++;
        return FAIL(s, "unknown word '%.*s': strings need double quotes; values are numbers, \"strings\", "
                       "true, false or null", (int)(e - s->pos), (const char *)s->p + s->pos);
    }
    char what[16];
    describe_char(s, what, sizeof what);
    return FAIL(s, "unexpected %s: expected a value (an object, array, \"string\", number, true, false or null)",
                what);
}

static bool scan_container(scanner *s, int depth, uint32_t idx, bool object)
{
    const char close = object ? '}' : ']';
    const char *kind = object ? "object" : "array";
    uint32_t ol = s->line, oc = s->col;
    if (depth + 1 > s->max_depth)
        return s->what ? FAIL(s, "nested deeper than %d levels: %s needs about 10; check that this file is one",
                              s->max_depth, s->what)
                       : FAIL(s, "nested deeper than %d levels: a lesson needs only a few; flatten this %s",
                              s->max_depth, kind);
    adv(s);
    uint32_t count = 0;
    uint32_t comma_line = 0, comma_col = 0;
    size_t comma_off = 0;
    for (;;) {
        skip_ws(s);
        int c = peek(s);
        if (c == close) {
            if (count > 0)
                return fail_at(s, comma_line, comma_col, comma_off,
                               "trailing comma before '%c': remove this comma", close);
            adv(s);
            break;
        }
        if (c < 0)
            return FAIL(s, "the file ends inside the %s that starts at line %u, column %u: %sadd the missing '%c'%s",
                        kind, ol, oc, s->what ? "was it cut off? Make it again (or " : "", close, s->what ? ")" : "");
        uint32_t kl = 0, kc = 0;
        if (object) {
            if (c != '"') {
                if (c == '\'')
                    return FAIL(s, "keys need double quotes (\"), not single quotes");
                if (c == '/')
                    return FAIL(s, "JSON has no comments: remove it (put remarks in a \"notes\" field)");
                if (is_word_char(c)) {
                    size_t e = s->pos;
                    while (e < s->len && e - s->pos < 24 && is_word_char(s->p[e]))
                        e++;
                    return FAIL(s, "keys need double quotes: write \"%.*s\"", (int)(e - s->pos),
                                (const char *)s->p + s->pos);
                }
                char what[16];
                describe_char(s, what, sizeof what);
                return FAIL(s, "expected a key in double quotes, found %s", what);
            }
            kl = s->line;
            kc = s->col;
            if (!scan_string(s))
                return false;
            skip_ws(s);
            if (peek(s) != ':') {
                char what[16];
                describe_char(s, what, sizeof what);
                return FAIL(s, "expected ':' after the key, found %s", what);
            }
            adv(s);
            skip_ws(s);
        }
        if (!scan_value(s, depth + 1, kl, kc))
            return false;
        count++;
        skip_ws(s);
        c = peek(s);
        if (c == ',') {
            comma_line = s->line;
            comma_col = s->col;
            comma_off = s->pos;
            adv(s);
            continue;
        }
        if (c == close) {
            adv(s);
            break;
        }
        if (c < 0)
            return FAIL(s, "the file ends inside the %s that starts at line %u, column %u: %sadd the missing '%c'%s",
                        kind, ol, oc, s->what ? "was it cut off? Make it again (or " : "", close, s->what ? ")" : "");
        if (c == '"' || c == '{' || c == '[' || (c >= '0' && c <= '9') || c == '-')
            return FAIL(s, "expected ',' or '%c': add a comma between %s", close,
                        object ? "members" : "elements");
        char what[16];
        describe_char(s, what, sizeof what);
        return FAIL(s, "expected ',' or '%c', found %s", close, what);
    }
    if (idx != SH_JNONE)
        s->out->nodes[idx].nkids = count;
    return true;
}

static bool scan_value(scanner *s, int depth, uint32_t kl, uint32_t kc)
{
    int c = peek(s);
    sh_jtype type;
    switch (c) {
    case '{': type = SH_J_OBJECT; break;
    case '[': type = SH_J_ARRAY; break;
    case '"': type = SH_J_STRING; break;
    case 't': type = SH_J_TRUE; break;
    case 'f': type = SH_J_FALSE; break;
    case 'n': type = SH_J_NULL; break;
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            type = SH_J_NUMBER;
        else
            return unexpected_value(s);
    }
    /* Counted before anything is recorded, so neither this node list nor
     * cJSON's tree (about 64 bytes a value) can grow past the limit. */
    if (s->max_values && ++s->nvalues > s->max_values)
        return s->what ? FAIL(s, "more than %zu JSON values in the file: %s needs far fewer; remove the data that "
                                 "is not part of it", s->max_values, s->what)
                       : FAIL(s, "more than %zu JSON values in the file: a lesson needs far fewer; remove the data "
                                 "that is not part of the lesson, or split the lesson", s->max_values);
    uint32_t idx = SH_JNONE;
    if (depth < s->rec_depth) {
        idx = push_node(s, type, kl, kc);
        if (idx == SH_JNONE)
            return false;
        s->out->nodes[idx].kids_recorded = depth + 1 < s->rec_depth;
    }
    size_t start = s->pos;
    bool ok;
    switch (type) {
    case SH_J_OBJECT: ok = scan_container(s, depth, idx, true); break;
    case SH_J_ARRAY: ok = scan_container(s, depth, idx, false); break;
    case SH_J_STRING: ok = scan_string(s); break;
    case SH_J_NUMBER: ok = scan_number(s); break;
    case SH_J_TRUE: ok = expect_word(s, "true") || unexpected_value(s); break;
    case SH_J_FALSE: ok = expect_word(s, "false") || unexpected_value(s); break;
    default: ok = expect_word(s, "null") || unexpected_value(s); break;
    }
    if (!ok)
        return false;
    if (idx != SH_JNONE) {
        s->out->nodes[idx].len = (uint32_t)(s->pos - start);
        s->out->nodes[idx].next = (uint32_t)s->out->n;
    }
    return true;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if it is invalid
 * (overlong forms, surrogates and code points above U+10FFFF included). */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (avail < n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static bool check_utf8(scanner *s)
{
    uint32_t line = 1, col = 1;
    for (size_t i = s->pos; i < s->len;) {
        size_t n = utf8_seq(s->p + i, s->len - i);
        if (n == 0)
            return fail_at(s, line, col, i,
                           "the file is not valid UTF-8 (byte 0x%02X at byte offset %zu): save it with UTF-8 "
                           "encoding", s->p[i], i);
        if (s->p[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += n;
    }
    return true;
}

bool sh_json_scan(const char *text, size_t len, int max_depth, size_t max_values, int record_depth,
                  sh_jscan *out)
{
    return sh_json_scan_as(text, len, NULL, max_depth, max_values, record_depth, out);
}

bool sh_json_scan_as(const char *text, size_t len, const char *what, int max_depth, size_t max_values,
                     int record_depth, sh_jscan *out)
{
    memset(out, 0, sizeof *out);
    scanner s = {
        .p = (const unsigned char *)text, .len = len, .line = 1, .col = 1, .max_depth = max_depth,
        .rec_depth = record_depth, .max_values = max_values, .out = out, .what = what,
    };
    if (len > UINT32_MAX - 1)
        return fail_at(&s, 1, 1, 0, "the file is too large");
    const char *utf16 = sh_text_utf16(text, len);
    if (utf16)
        return fail_at(&s, 1, 1, 0, "the file is %s, not UTF-8: save it as UTF-8 (e.g. iconv -f %s -t UTF-8 FILE > NEW)",
                       utf16[6] ? utf16 : "UTF-16 (with a byte order mark)", utf16);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        s.pos = 3; /* byte order mark: allowed, not counted as a column */
    if (!check_utf8(&s))
        return false;
    skip_ws(&s);
    if (s.pos >= s.len)
        return s.what ? FAIL(&s, "the file is empty: %s is a JSON object", s.what)
                      : FAIL(&s, "the file is empty: a lesson is a JSON object (see doc/lesson-format.md)");
    if (!scan_value(&s, 0, 0, 0))
        return false;
    skip_ws(&s);
    if (s.pos < s.len)
        return FAIL(&s, "extra text after the end of the JSON value: %s is one object; remove it", WHAT(&s));
    return true;
}

void sh_jscan_free(sh_jscan *s)
{
    if (!s)
        return;
    free(s->nodes);
    s->nodes = NULL;
    s->n = s->cap = 0;
}

void sh_json_linecol(const char *text, size_t len, size_t off, int *line, int *col)
{
    const unsigned char *p = (const unsigned char *)text;
    int l = 1, c = 1;
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    if (off > len)
        off = len;
    for (; i < off; i++) {
        if (p[i] == '\n') {
            l++;
            c = 1;
        } else if ((p[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

uint32_t sh_jnode_first(const sh_jscan *s, uint32_t i)
{
    if (i == SH_JNONE || i >= s->n || !s->nodes[i].kids_recorded || s->nodes[i].nkids == 0)
        return SH_JNONE;
    return i + 1;
}

uint32_t sh_jnode_next(const sh_jscan *s, uint32_t parent, uint32_t c)
{
    if (c == SH_JNONE || parent == SH_JNONE)
        return SH_JNONE;
    uint32_t n = s->nodes[c].next;
    return n < s->nodes[parent].next ? n : SH_JNONE;
}
