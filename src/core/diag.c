#include "shadowing/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct sh_diag {
    sh_diag_entry *items;
    size_t n, cap;
    size_t lost_errors; /* entries dropped for lack of memory */
};

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
    free(d);
}

void sh_diag_add(sh_diag *d, sh_diag_level level, const char *file, int line, int col,
                 const char *cue_id, int cue_index, const char *fmt, ...)
{
    if (!d)
        return;
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

char *sh_diag_format(const sh_diag_entry *e, char *buf, size_t size)
{
    if (!size)
        return buf;
    const char *file = e->file ? e->file : "shadowing";
    if (e->line > 0 && e->col > 0)
        snprintf(buf, size, "%s:%d:%d: %s: %s", file, e->line, e->col, level_name(e->level), e->message);
    else if (e->line > 0)
        snprintf(buf, size, "%s:%d: %s: %s", file, e->line, level_name(e->level), e->message);
    else
        snprintf(buf, size, "%s: %s: %s", file, level_name(e->level), e->message);
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
    if (d->lost_errors)
        fprintf(out, "shadowing: error: %zu more problems could not be reported (out of memory)\n",
                d->lost_errors);
}
