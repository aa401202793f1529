/* A growable, always NUL-terminated string: the one string builder every
 * module uses (cue writers, device lists, reports). Internal.
 *
 *   sh_strbuf b = {0};
 *   sh_strbuf_puts(&b, "x");  sh_strbuf_printf(&b, "%d", 3);
 *   char *s = sh_strbuf_take(&b);   (NULL only when out of memory)
 *
 * Out of memory is sticky: once an allocation failed, `oom` is set, later
 * calls do nothing and sh_strbuf_take returns NULL, so callers check once at
 * the end instead of after every append. */
#ifndef SH_CORE_STRBUF_H
#define SH_CORE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sh_strbuf {
    char *s;    /* the text so far, NUL-terminated; NULL while empty */
    size_t n;   /* its length, without the NUL */
    size_t cap; /* bytes allocated at s */
    bool oom;   /* an allocation failed: the text is incomplete */
} sh_strbuf;

/* Append n bytes of s (they may contain NULs). */
void sh_strbuf_add(sh_strbuf *b, const char *s, size_t n);
/* Append the NUL-terminated string s. */
void sh_strbuf_puts(sh_strbuf *b, const char *s);
/* Append printf-formatted text, of any length. */
void sh_strbuf_printf(sh_strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The text (an empty string when nothing was added; NULL when out of memory),
 * malloc'ed: ownership moves to the caller. The buffer is reset either way. */
char *sh_strbuf_take(sh_strbuf *b);
/* Free the text and reset the buffer. */
void sh_strbuf_free(sh_strbuf *b);

#endif
