/* The lesson model's cue index: ids -> cues in a hash set, and arrays that
 * grow geometrically, so that edits update the model in place.
 *
 * A full build validates the whole tree and costs time linear in the
 * lesson; an editor that rebuilt after every inserted cue cost the square
 * of the cue count (40k cues took minutes). The build leaves its id set in
 * the model, and the edits (lesson_edit.c) keep the set and the arrays up
 * to date: appending a cue or moving one costs O(1), inserting or removing
 * in the middle O(n) memmoves, with no revalidation of the other cues.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson_priv.h"

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

bool sh_idset_init_(sh_idset *s, size_t n)
{
    memset(s, 0, sizeof *s);
    s->cap = 16;
    while (s->cap < 2 * n + 2)
        s->cap *= 2;
    s->keys = calloc(s->cap, sizeof *s->keys);
    s->cue = calloc(s->cap, sizeof *s->cue);
    if (!s->keys || !s->cue) {
        sh_idset_free_(s);
        return false;
    }
    return true;
}

void sh_idset_free_(sh_idset *s)
{
    free(s->keys);
    free(s->cue);
    memset(s, 0, sizeof *s);
}

/* Double the table when it is half full (keeps probes short). */
static bool grow(sh_idset *s)
{
    if (s->cap && 2 * (s->count + 1) <= s->cap)
        return true;
    sh_idset bigger;
    if (!sh_idset_init_(&bigger, s->count + 1))
        return false;
    for (size_t i = 0; i < s->cap; i++)
        if (s->keys[i])
            sh_idset_get_or_add_(&bigger, s->keys[i], s->cue[i]);
    sh_idset_free_(s);
    *s = bigger;
    return true;
}

int sh_idset_get_(const sh_idset *s, const char *id)
{
    if (!s->cap)
        return 0;
    for (size_t i = (size_t)hash_str(id) & (s->cap - 1); s->keys[i]; i = (i + 1) & (s->cap - 1))
        if (strcmp(s->keys[i], id) == 0)
            return s->cue[i];
    return 0;
}

int sh_idset_get_or_add_(sh_idset *s, const char *id, int cue)
{
    if (!s->cap)
        return (cue > 0 && grow(s)) ? sh_idset_get_or_add_(s, id, cue) : 0;
    size_t i = (size_t)hash_str(id) & (s->cap - 1);
    while (s->keys[i]) {
        if (strcmp(s->keys[i], id) == 0)
            return s->cue[i];
        i = (i + 1) & (s->cap - 1);
    }
    if (cue <= 0)
        return 0;
    if (2 * (s->count + 1) > s->cap) {
        if (!grow(s))
            return -1;
        return sh_idset_get_or_add_(s, id, cue);
    }
    s->keys[i] = id;
    s->cue[i] = cue;
    s->count++;
    return 0;
}

bool sh_lesson_reindex_(sh_lesson_model *m)
{
    sh_idset fresh;
    if (!sh_idset_init_(&fresh, m->ncues))
        return false;
    for (size_t i = 0; i < m->ncues; i++)
        if (sh_idset_get_or_add_(&fresh, m->cues[i].id, (int)i + 1) < 0) {
            sh_idset_free_(&fresh);
            return false;
        }
    sh_idset_free_(&m->ids);
    m->ids = fresh;
    return true;
}

bool sh_lesson_reserve_(sh_lesson_model *m, size_t n)
{
    if (n <= m->cap)
        return true;
    size_t cap = m->cap ? m->cap : 8;
    while (cap < n)
        cap *= 2;
    /* Each array is replaced only when its realloc succeeds, so a failure
     * leaves a consistent (if partly larger) model. */
    sh_cue *cues = realloc(m->cues, cap * sizeof *cues);
    if (!cues)
        return false;
    m->cues = cues;
    sh_cue_loc *locs = realloc(m->locs, cap * sizeof *locs);
    if (!locs)
        return false;
    m->locs = locs;
    char **gen = realloc(m->gen_ids, cap * sizeof *gen);
    if (!gen)
        return false;
    m->gen_ids = gen;
    cJSON **objs = realloc(m->objs, cap * sizeof *objs);
    if (!objs)
        return false;
    m->objs = objs;
    m->cap = cap;
    return true;
}
