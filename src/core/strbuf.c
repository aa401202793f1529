#include "core/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sh_strbuf_add(sh_strbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (n >= (size_t)-1 / 2 - b->n) {
        b->oom = true;
        return;
    }
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    if (n)
        memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void sh_strbuf_puts(sh_strbuf *b, const char *s)
{
    sh_strbuf_add(b, s, strlen(s));
}

void sh_strbuf_printf(sh_strbuf *b, const char *fmt, ...)
{
    /* Most appends are short: format on the stack, allocate only beyond. */
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        sh_strbuf_add(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sh_strbuf_add(b, big, (size_t)n);
    free(big);
}

char *sh_strbuf_take(sh_strbuf *b)
{
    if (b->oom) {
        sh_strbuf_free(b);
        return NULL;
    }
    char *s = b->s ? b->s : strdup("");
    memset(b, 0, sizeof *b);
    return s;
}

void sh_strbuf_free(sh_strbuf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}
