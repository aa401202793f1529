/* Cue documents -> LRC, SRT, WebVTT, aeneas JSON. Pure: no I/O. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cue/cuefmt_int.h"
#include "shadowing/cuefmt.h"

/* One line of text for line-based formats: newlines become spaces. */
static void put_line(cf_buf *b, const char *s)
{
    for (; *s; s++) {
        char c = (*s == '\n' || *s == '\r') ? ' ' : *s;
        cf_buf_add(b, &c, 1);
    }
}

/* A tag value in LRC cannot hold ']'. */
static void put_tag_value(cf_buf *b, const char *s)
{
    for (; *s; s++) {
        char c = (*s == '\n' || *s == '\r' || *s == ']') ? ' ' : *s;
        cf_buf_add(b, &c, 1);
    }
}

static char *write_lrc(const sh_cue_doc *d, unsigned flags)
{
    cf_buf b = {0};
    char t[32];
    if (d->title) {
        cf_buf_puts(&b, "[ti:");
        put_tag_value(&b, d->title);
        cf_buf_puts(&b, "]\n");
    }
    if (d->artist) {
        cf_buf_puts(&b, "[ar:");
        put_tag_value(&b, d->artist);
        cf_buf_puts(&b, "]\n");
    }
    cf_buf_puts(&b, "[by:shadowing]\n");
    for (size_t i = 0; i < d->n_cues; i++) {
        const sh_cue_entry *c = &d->cues[i];
        cf_buf_printf(&b, "[%s]", sh_cuefmt_time(SH_CUEFMT_LRC, c->begin, t, sizeof t));
        put_line(&b, c->text);
        if ((flags & SH_CUEFMT_BILINGUAL) && c->translation) {
            cf_buf_puts(&b, " | ");
            put_line(&b, c->translation);
        }
        cf_buf_puts(&b, "\n");
        /* LRC knows only starts: an empty stamp marks where this cue ends
         * unless the next one starts there (same hundredth). */
        long long e = llround(c->end * 100), nb = i + 1 < d->n_cues ? llround(d->cues[i + 1].begin * 100) : -1;
        if (e != nb)
            cf_buf_printf(&b, "[%s]\n", sh_cuefmt_time(SH_CUEFMT_LRC, c->end, t, sizeof t));
    }
    return cf_buf_take(&b);
}

static char *write_srt_vtt(const sh_cue_doc *d, unsigned flags, bool vtt)
{
    cf_buf b = {0};
    char t1[32], t2[32];
    sh_cue_format f = vtt ? SH_CUEFMT_VTT : SH_CUEFMT_SRT;
    if (vtt) {
        cf_buf_puts(&b, "WEBVTT");
        if (d->title) {
            cf_buf_puts(&b, " - ");
            put_line(&b, d->title);
        }
        cf_buf_puts(&b, "\n\n");
    }
    for (size_t i = 0; i < d->n_cues; i++) {
        const sh_cue_entry *c = &d->cues[i];
        if (vtt) {
            /* an identifier cannot contain "-->" or be empty */
            if (c->id && *c->id && !strstr(c->id, "-->")) {
                put_line(&b, c->id);
                cf_buf_puts(&b, "\n");
            }
        } else {
            cf_buf_printf(&b, "%zu\n", i + 1);
        }
        cf_buf_printf(&b, "%s --> %s\n", sh_cuefmt_time(f, c->begin, t1, sizeof t1),
                      sh_cuefmt_time(f, c->end, t2, sizeof t2));
        if (vtt) {
            /* escape what WebVTT would read as markup */
            for (const char *s = c->text; *s; s++) {
                if (*s == '&')
                    cf_buf_puts(&b, "&amp;");
                else if (*s == '<')
                    cf_buf_puts(&b, "&lt;");
                else if (*s == '>')
                    cf_buf_puts(&b, "&gt;");
                else
                    cf_buf_add(&b, *s == '\n' ? " " : s, 1);
            }
        } else {
            put_line(&b, c->text);
        }
        cf_buf_puts(&b, "\n");
        if ((flags & SH_CUEFMT_BILINGUAL) && c->translation) {
            put_line(&b, c->translation);
            cf_buf_puts(&b, "\n");
        }
        cf_buf_puts(&b, "\n");
    }
    return cf_buf_take(&b);
}

static char *write_aeneas(const sh_cue_doc *d, unsigned flags)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *frags = cJSON_AddArrayToObject(root, "fragments");
    char *out = NULL;
    if (!root || !frags)
        goto done;
    for (size_t i = 0; i < d->n_cues; i++) {
        const sh_cue_entry *c = &d->cues[i];
        char id[32], tb[32], te[32];
        cJSON *f = cJSON_CreateObject();
        if (!f || !cJSON_AddItemToArray(frags, f))
            goto done;
        if (c->id)
            cJSON_AddStringToObject(f, "id", c->id);
        else {
            snprintf(id, sizeof id, "f%06zu", i + 1);
            cJSON_AddStringToObject(f, "id", id);
        }
        snprintf(tb, sizeof tb, "%.3f", c->begin);
        snprintf(te, sizeof te, "%.3f", c->end);
        cJSON_AddStringToObject(f, "begin", tb);
        cJSON_AddStringToObject(f, "end", te);
        cJSON *lines = cJSON_AddArrayToObject(f, "lines");
        if (!lines)
            goto done;
        cJSON_AddItemToArray(lines, cJSON_CreateString(c->text));
        if ((flags & SH_CUEFMT_BILINGUAL) && c->translation)
            cJSON_AddItemToArray(lines, cJSON_CreateString(c->translation));
        cJSON_AddStringToObject(f, "language", d->language ? d->language : "eng");
        cJSON_AddArrayToObject(f, "children");
    }
    out = cJSON_Print(root);
    if (out) {
        /* cJSON_Print's buffer comes from cJSON's allocator; hand the caller
         * a plain malloc'ed copy with a final newline. */
        size_t n = strlen(out);
        char *copy = malloc(n + 2);
        if (copy) {
            memcpy(copy, out, n);
            copy[n] = '\n';
            copy[n + 1] = '\0';
        }
        cJSON_free(out);
        out = copy;
    }
done:
    cJSON_Delete(root);
    return out;
}

char *sh_cue_write(sh_cue_format f, const sh_cue_doc *doc, unsigned flags)
{
    for (size_t i = 0; i < doc->n_cues; i++)
        if (!isfinite(doc->cues[i].begin) || !isfinite(doc->cues[i].end))
            return NULL;
    switch (f) {
    case SH_CUEFMT_LRC: return write_lrc(doc, flags);
    case SH_CUEFMT_SRT: return write_srt_vtt(doc, flags, false);
    case SH_CUEFMT_VTT: return write_srt_vtt(doc, flags, true);
    case SH_CUEFMT_AENEAS: return write_aeneas(doc, flags);
    default: return NULL;
    }
}
