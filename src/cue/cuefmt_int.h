/* Internal helpers shared by the cue format parsers and writers. */
#ifndef SH_CUE_CUEFMT_INT_H
#define SH_CUE_CUEFMT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"
#include "shadowing/cuefmt.h"

/* Lines of a buffer, CR LF or LF ended; `line` counts from 1. */
typedef struct cf_lines {
    const char *p, *end;
    int line;
} cf_lines;

void cf_lines_init(cf_lines *it, const char *data, size_t len);
/* Next line (without its end) into *s / *n; false at the end. */
bool cf_lines_next(cf_lines *it, const char **s, size_t *n);

/* Checks every parser does first: size limit, UTF-8 (one located error),
 * BOM skipped. On success *p / *n is the text to parse. */
int cf_begin(const char *data, size_t len, const char *name, sh_diag *diag, const char **p,
             size_t *n);

/* Growable string: core's (core/strbuf.h), under the names the parsers use. */
typedef sh_strbuf cf_buf;
#define cf_buf_add sh_strbuf_add
#define cf_buf_puts sh_strbuf_puts
#define cf_buf_printf sh_strbuf_printf
#define cf_buf_take sh_strbuf_take
#define cf_buf_free sh_strbuf_free

/* Trimmed copy of s[0..n) (ASCII and Unicode spaces U+3000/U+00A0 trimmed). */
char *cf_strndup_trim(const char *s, size_t n);
/* Trim in place helpers for (s, n) spans. */
void cf_trim(const char **s, size_t *n);
bool cf_blank(const char *s, size_t n);
/* Collapse runs of white space into one space, in place. */
void cf_squeeze(char *s);
/* Decode one UTF-8 code point at s (valid input assumed); returns its length. */
size_t cf_utf8_decode(const char *s, size_t n, unsigned *cp);

/* Split lines of a cue's text into English and translation: each line that
 * is mostly in another script goes to the translation. Both malloc'ed (or
 * NULL when empty). */
void cf_split_bilingual(const char *const *lines, size_t n, char **text, char **translation);

#endif
