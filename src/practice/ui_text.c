/* Text layout for the practice screen: UTF-8 word wrap measured with
 * wcwidth, vocabulary marking. Pure (no curses), unit-tested. */
/* wcwidth is X/Open: not declared under _POSIX_C_SOURCE alone (with the
 * screen built, ncursesw's flags happened to define it; without, nothing did). */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "ui.h"

/* Decode one UTF-8 character at s (n bytes left): its length in bytes and
 * its code point (0xFFFD with length 1 for a bad byte). */
static size_t utf8_next(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len;
    uint32_t c;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    } else if ((u[0] & 0xE0) == 0xC0) {
        len = 2;
        c = u[0] & 0x1F;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3;
        c = u[0] & 0x0F;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4;
        c = u[0] & 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (u[i] & 0x3F);
    }
    *cp = c;
    return len;
}

static int char_cols(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 0x20 && cp != 0x7F ? 1 : 0;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

int sh_text_columns(const char *s, size_t n)
{
    int cols = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        i += utf8_next(s + i, n - i, &cp);
        cols += char_cols(cp);
    }
    return cols;
}

static void push(sh_wrap_line *out, size_t cap, size_t *count, size_t b, size_t e, int cols)
{
    if (*count < cap)
        out[*count] = (sh_wrap_line){b, e, cols};
    (*count)++;
}

size_t sh_wrap_text(const char *text, int width, sh_wrap_line *out, size_t cap)
{
    size_t n = strlen(text), count = 0;
    if (width < 1)
        width = 1;
    size_t line_b = 0, i = 0;
    int line_cols = 0;
    /* Last place the line may break: after a space (brk_e ends the line,
     * brk_next starts the next) or before a wide character. */
    size_t brk_e = 0, brk_next = 0;
    int brk_cols = -1;
    while (line_b < n && text[line_b] == ' ')
        line_b++;
    i = line_b;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_next(text + i, n - i, &cp);
        if (cp == '\n') {
            size_t e = i;
            while (e > line_b && text[e - 1] == ' ')
                e--;
            push(out, cap, &count, line_b, e, sh_text_columns(text + line_b, e - line_b));
            line_b = i + 1;
            while (line_b < n && text[line_b] == ' ')
                line_b++;
            i = line_b;
            line_cols = 0;
            brk_cols = -1;
            continue;
        }
        int w = char_cols(cp);
        if (cp == ' ') {
            /* break opportunity: the line may end before this space */
            brk_e = i;
            brk_cols = line_cols;
            brk_next = i + 1;
            while (brk_next < n && text[brk_next] == ' ')
                brk_next++;
        } else if (w == 2 && i > line_b) {
            brk_e = i;
            brk_cols = line_cols;
            brk_next = i;
        }
        if (cp != ' ' && line_cols + w > width && i > line_b) {
            if (brk_cols >= 0 && brk_e > line_b) {
                push(out, cap, &count, line_b, brk_e, brk_cols);
                line_b = brk_next;
            } else { /* a word longer than the line: cut it */
                push(out, cap, &count, line_b, i, line_cols);
                line_b = i;
            }
            line_cols = sh_text_columns(text + line_b, i - line_b);
            brk_cols = -1;
            continue; /* measure this character again on the new line */
        }
        line_cols += w;
        i += len;
    }
    /* trailing spaces do not make a line */
    size_t e = n;
    while (e > line_b && text[e - 1] == ' ')
        e--;
    if (e > line_b || count == 0)
        push(out, cap, &count, line_b, e, sh_text_columns(text + line_b, e - line_b));
    return count;
}

static bool is_word_char(unsigned char c)
{
    return isalnum(c) || c == '\'' || c >= 0x80;
}

/* Case-insensitive ASCII compare of n bytes. */
static bool same_ci(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return false;
    return true;
}

size_t sh_mark_vocabulary(const char *text, const char *const *words, size_t nwords, unsigned char *mark)
{
    static const char *const endings[] = {"", "s", "es", "ed", "d", "ing", NULL};
    size_t n = strlen(text), found = 0;
    memset(mark, 0, n);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && is_word_char((unsigned char)text[i - 1]))
            continue; /* only at the start of a word */
        for (size_t w = 0; w < nwords; w++) {
            const char *word = words[w];
            size_t wl = word ? strlen(word) : 0;
            if (wl == 0 || wl > n - i || !same_ci(text + i, word, wl))
                continue;
            for (size_t k = 0; endings[k]; k++) {
                size_t el = strlen(endings[k]);
                size_t end = i + wl + el;
                if (end > n || !same_ci(text + i + wl, endings[k], el))
                    continue;
                if (end < n && is_word_char((unsigned char)text[end]))
                    continue;
                memset(mark + i, 1, end - i);
                found++;
                break;
            }
        }
    }
    return found;
}
