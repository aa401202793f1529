#include "shadowing/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct sh_diag {
    sh_diag_entry *items;
    size_t n, cap;
    size_t lost_errors; /* entries dropped for lack of memory */
    size_t limit;       /* keep at most this many entries (0: all) */
    size_t hidden[3];   /* entries over the limit, by level */
    char *hidden_file;  /* the file of the first of them */
};

#define HIDDEN_NOTE "%zu more errors and %zu more warnings not shown: fix these first, then check again"

void sh_diag_set_limit(sh_diag *d, size_t max)
{
    if (d)
        d->limit = max;
}

void sh_diag_note_hidden(sh_diag *d, const char *file, size_t errors, size_t warnings)
{
    if (errors || warnings)
        sh_diag_add(d, SH_DIAG_NOTE, file, 0, 0, NULL, 0, HIDDEN_NOTE, errors, warnings);
}

sh_diag *sh_diag_new(void)
{
    return calloc(1, sizeof(sh_diag));
}

void sh_diag_free(sh_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].file);
        free(d->items[i].cue_id);
        free(d->items[i].message);
    }
    free(d->items);
    free(d->hidden_file);
    free(d);
}

void sh_diag_add(sh_diag *d, sh_diag_level level, const char *file, int line, int col,
                 const char *cue_id, int cue_index, const char *fmt, ...)
{
    if (!d)
        return;
    if (d->limit && d->n >= d->limit) {
        if (!d->hidden[0] && !d->hidden[1] && !d->hidden[2] && file)
            d->hidden_file = strdup(file);
        d->hidden[level <= SH_DIAG_NOTE ? level : SH_DIAG_NOTE]++;
        return;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        sh_diag_entry *items = realloc(d->items, cap * sizeof *items);
        if (!items) {
            d->lost_errors++;
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = sh_vasprintf(fmt, ap);
    va_end(ap);
    sh_diag_entry e = {
        .level = level,
        .file = file ? strdup(file) : NULL,
        .line = line,
        .col = col,
        .cue_id = cue_id ? strdup(cue_id) : NULL,
        .cue_index = cue_index,
        .message = msg,
    };
    if (!msg || (file && !e.file) || (cue_id && !e.cue_id)) {
        free(e.file);
        free(e.cue_id);
        free(msg);
        d->lost_errors++;
        return;
    }
    d->items[d->n++] = e;
}

size_t sh_diag_count(const sh_diag *d, int level)
{
    if (!d)
        return 0;
    size_t c = 0;
    for (size_t i = 0; i < d->n; i++)
        if (level < 0 || (int)d->items[i].level == level)
            c++;
    if (level < 0 || level == SH_DIAG_ERROR)
        c += d->lost_errors;
    for (int k = 0; k < 3; k++)
        if (level < 0 || level == k)
            c += d->hidden[k];
    return c;
}

const sh_diag_entry *sh_diag_get(const sh_diag *d, size_t i)
{
    return (d && i < d->n) ? &d->items[i] : NULL;
}

static const char *level_name(sh_diag_level l)
{
    switch (l) {
    case SH_DIAG_ERROR: return "error";
    case SH_DIAG_WARNING: return "warning";
    default: return "note";
    }
}

size_t sh_diag_escape(const char *s, char *buf, size_t size, size_t pos)
{
    if (!size)
        return 0;
    if (pos >= size)
        pos = size - 1;
    for (const unsigned char *p = (const unsigned char *)s; s && *p; p++) {
        char esc[8];
        unsigned c = *p;
        if (c == '\r' || c == '\n' || c == '\t')
            snprintf(esc, sizeof esc, "\\%c", c == '\r' ? 'r' : c == '\n' ? 'n' : 't');
        else if (c < 0x20 || c == 0x7F)
            snprintf(esc, sizeof esc, "\\x%02X", c);
        else if (c == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) /* C1 controls, U+0080..U+009F */
            snprintf(esc, sizeof esc, "\\u%04X", (unsigned)*++p);
        else
            esc[0] = (char)c, esc[1] = '\0';
        size_t n = strlen(esc);
        if (pos + n >= size)
            break;
        memcpy(buf + pos, esc, n);
        pos += n;
    }
    buf[pos] = '\0';
    return pos;
}

char *sh_diag_format(const sh_diag_entry *e, char *buf, size_t size)
{
    if (!size)
        return buf;
    /* The file name and the message quote what the user gave (file names,
     * lines of their files): escaped, so that a carriage return or an
     * escape sequence in them cannot garble or forge the terminal line. */
    size_t pos = sh_diag_escape(e->file ? e->file : "shadowing", buf, size, 0);
    char at[64];
    if (e->line > 0 && e->col > 0)
        snprintf(at, sizeof at, ":%d:%d: %s: ", e->line, e->col, level_name(e->level));
    else if (e->line > 0)
        snprintf(at, sizeof at, ":%d: %s: ", e->line, level_name(e->level));
    else
        snprintf(at, sizeof at, ": %s: ", level_name(e->level));
    pos = sh_diag_escape(at, buf, size, pos);
    sh_diag_escape(e->message, buf, size, pos);
    return buf;
}

void sh_diag_print(const sh_diag *d, FILE *out, sh_diag_level max_level)
{
    if (!d)
        return;
    char buf[2048];
    for (size_t i = 0; i < d->n; i++) {
        if (d->items[i].level > max_level)
            continue;
        fprintf(out, "%s\n", sh_diag_format(&d->items[i], buf, sizeof buf));
    }
    size_t he = d->hidden[0], hw = max_level >= SH_DIAG_WARNING ? d->hidden[1] : 0;
    if (he || hw) {
        char msg[160];
        snprintf(msg, sizeof msg, HIDDEN_NOTE, he, hw);
        sh_diag_entry e = {.level = SH_DIAG_NOTE, .file = d->hidden_file, .message = msg};
        fprintf(out, "%s\n", sh_diag_format(&e, buf, sizeof buf));
    }
    if (d->lost_errors)
        fprintf(out, "shadowing: error: %zu more problems could not be reported (out of memory)\n",
                d->lost_errors);
}
