/* Editing lessons (the teacher tools build on this).
 *
 * Edits change the cJSON tree in place, so members this version does not
 * know survive, in their order. Every argument is checked before the tree
 * is touched, against the rules the loader applies: an edit that the
 * format would not allow returns SH_ERR_INVALID and changes nothing.
 *
 * The model (cues, ids, vocabulary) is then updated in place rather than
 * rebuilt from the whole tree: the first edit of a loaded lesson does one
 * full build (which forgets the file's value locations) and later edits
 * touch only what they change, so an editor that appends or moves n cues
 * costs O(n), not O(n^2) (lesson_index.c). Top-level string edits, which
 * are few, still rebuild.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "lesson/lesson_priv.h"

#define EDIT_FLAGS (SH_LESSON_ALLOW_UNTIMED | SH_LESSON_ALLOW_EMPTY_)

static int rebuild(sh_lesson *l)
{
    l->edited = true;
    int errors = sh_lesson_build_(l, NULL, NULL, EDIT_FLAGS, NULL);
    /* Arguments are checked beforehand, so only memory can fail here. */
    return errors == 0 ? SH_OK : SH_ERR_NOMEM;
}

/* Before the first change to a loaded lesson: one build without the text,
 * so that the model no longer claims locations in the file as loaded. */
static int begin_edit(sh_lesson *l)
{
    return l->edited ? SH_OK : rebuild(l);
}

/* After cues moved or ids changed: the id set again; a full build when
 * that runs out of memory (which then reports it). */
static int reindex(sh_lesson *l)
{
    return sh_lesson_reindex_(&l->m) ? SH_OK : rebuild(l);
}

int sh_lesson_begin_edit_(sh_lesson *l) { return begin_edit(l); }
int sh_lesson_rebuild_(sh_lesson *l) { return rebuild(l); }

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* Position of member `key` in obj, or -1. */
static int member_pos(const cJSON *obj, const char *key)
{
    int k = 0;
    for (const cJSON *it = obj->child; it; it = it->next, k++)
        if (it->string && strcmp(it->string, key) == 0)
            return k;
    return -1;
}

/* Link `item` into parent's child list before position `pos` (at the end
 * when pos >= size). cJSON_InsertItemInArray of cJSON 1.7.15 (Debian 12)
 * refuses valid positions other than 0, so we keep cJSON's list invariant
 * ourselves: child->prev is the last item, the last item's next is NULL. */
static void link_before(cJSON *parent, cJSON *after, cJSON *item)
{
    item->next = after;
    item->prev = after->prev;
    if (after == parent->child)
        parent->child = item;
    else
        item->prev->next = item;
    after->prev = item;
}

static bool list_insert(cJSON *parent, size_t pos, cJSON *item)
{
    cJSON *after = parent->child;
    for (size_t k = 0; k < pos && after; k++)
        after = after->next;
    if (!after)
        return cJSON_AddItemToArray(parent, item); /* keeps item->string */
    link_before(parent, after, item);
    return true;
}

/* Set obj[key] = item, keeping the member's place when it exists; a new
 * member goes right after the last of `after` (NULL-terminated) that is
 * present, else at the front when `after` is given, else at the end.
 * Takes ownership of item. */
static int put(cJSON *obj, const char *key, cJSON *item, const char *const *after)
{
    if (!item)
        return SH_ERR_NOMEM;
    if (member_pos(obj, key) >= 0)
        return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item) ? SH_OK : (cJSON_Delete(item), SH_ERR_NOMEM);
    int pos = -1;
    if (after) {
        pos = 0;
        for (const char *const *a = after; *a; a++) {
            int p = member_pos(obj, *a);
            if (p >= 0 && p + 1 > pos)
                pos = p + 1;
        }
    }
    if (!cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        return SH_ERR_NOMEM;
    }
    if (pos >= 0) {
        cJSON_DetachItemViaPointer(obj, item);
        list_insert(obj, (size_t)pos, item);
    }
    return SH_OK;
}

static void drop(cJSON *obj, const char *key)
{
    cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
}

/* Cue i's word times leave the tree and the model (they were timed for its
 * old text or no longer fit its times: rerun cue align --words). */
static void drop_words(sh_lesson *l, size_t i)
{
    drop(l->m.objs[i], "words");
    free((void *)l->m.cues[i].words);
    l->m.cues[i].words = NULL;
    l->m.cues[i].n_words = 0;
}

static cJSON *cues_array(sh_lesson *l)
{
    return cJSON_GetObjectItemCaseSensitive(l->root, "cues");
}

static cJSON *cue_obj(sh_lesson *l, size_t i)
{
    return i < l->m.ncues ? l->m.objs[i] : NULL;
}

/* A member as the loader reads it from a valid cue: a time (NAN when
 * absent), a string (NULL when absent). */
static double tree_time(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    double t;
    if (cJSON_IsNumber(v))
        return v->valuedouble;
    if (cJSON_IsString(v) && sh_time_parse(v->valuestring, &t))
        return t;
    return NAN;
}

static const char *tree_string(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Cue i's fields in the model again from its object, after an edit of it
 * (also after a failed one: a replaced member frees the old string). */
static void sync_cue(sh_lesson *l, size_t i)
{
    const cJSON *o = l->m.objs[i];
    sh_cue *q = &l->m.cues[i];
    q->begin = tree_time(o, "begin");
    q->end = tree_time(o, "end");
    q->text = tree_string(o, "text");
    q->translation = tree_string(o, "translation");
    q->notes = tree_string(o, "notes");
}

static bool time_ok(double t)
{
    return isnan(t) || (isfinite(t) && t >= 0 && t <= SH_LESSON_MAX_TIME);
}

static bool times_ok(double b, double e)
{
    return time_ok(b) && time_ok(e) && (isnan(b) || isnan(e) || round(b * 1000) < round(e * 1000));
}

static int put_time(cJSON *cue, const char *key, double t, const char *const *after)
{
    if (isnan(t)) {
        drop(cue, key);
        return SH_OK;
    }
    double ms = round(t * 1000.0) / 1000.0;
    const cJSON *old = cJSON_GetObjectItemCaseSensitive(cue, key);
    if (cJSON_IsString(old)) {
        char buf[32];
        return put(cue, key, cJSON_CreateString(sh_time_format(ms, buf, sizeof buf)), after);
    }
    return put(cue, key, cJSON_CreateNumber(ms), after);
}

static const char *const AFTER_ID[] = {"id", NULL};
static const char *const AFTER_BEGIN[] = {"id", "begin", NULL};
static const char *const AFTER_TEXT[] = {"id", "begin", "end", "text", NULL};

/* Write the generated ids into the file so that inserting or removing a cue
 * does not renumber the others (history and take files use ids). */
static int pin_ids(sh_lesson *l)
{
    sh_lesson_model *m = &l->m;
    if (!m->ngen)
        return SH_OK;
    int rc = SH_OK;
    for (size_t i = 0; i < m->ncues && rc == SH_OK; i++) {
        if (!m->gen_ids[i])
            continue;
        rc = put(m->objs[i], "id", cJSON_CreateString(m->gen_ids[i]), (const char *const[]){NULL});
        if (rc != SH_OK)
            break;
        m->cues[i].id = tree_string(m->objs[i], "id");
        free(m->gen_ids[i]);
        m->gen_ids[i] = NULL;
        m->ngen--;
    }
    /* the set's keys were the freed generated strings */
    int rc2 = reindex(l);
    return rc != SH_OK ? rc : rc2;
}

sh_lesson *sh_lesson_new(const char *path, const char *title, const char *audio)
{
    if (!title || !audio || blank(title) || blank(audio))
        return NULL;
    sh_lesson *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->edited = true;
    if (path && !(l->path = strdup(path)))
        goto fail;
    l->root = cJSON_CreateObject();
    if (!l->root || !cJSON_AddNumberToObject(l->root, "shadowing", SH_LESSON_FORMAT_VERSION) ||
        !cJSON_AddStringToObject(l->root, "title", title) || !cJSON_AddStringToObject(l->root, "audio", audio) ||
        !cJSON_AddArrayToObject(l->root, "cues"))
        goto fail;
    if (sh_lesson_build_(l, NULL, NULL, EDIT_FLAGS, NULL) != 0)
        goto fail;
    return l;
fail:
    sh_lesson_free(l);
    return NULL;
}

int sh_lesson_set_string(sh_lesson *l, const char *key, const char *value)
{
    if (!key || !*key || strcmp(key, "shadowing") == 0 || strcmp(key, "cues") == 0 ||
        strcmp(key, "vocabulary") == 0 || strcmp(key, "defaults") == 0)
        return SH_ERR_INVALID;
    bool required = strcmp(key, "title") == 0 || strcmp(key, "audio") == 0;
    if (required && (!value || blank(value)))
        return SH_ERR_INVALID;
    if (!value) {
        drop(l->root, key);
        return rebuild(l);
    }
    int rc = put(l->root, key, cJSON_CreateString(value), NULL);
    return rc == SH_OK ? rebuild(l) : rc;
}

int sh_lesson_set_cue_times(sh_lesson *l, size_t i, double begin, double end)
{
    cJSON *o = cue_obj(l, i);
    if (!o)
        return SH_ERR_NOT_FOUND;
    if (!times_ok(begin, end))
        return SH_ERR_INVALID;
    int rc = begin_edit(l);
    if (rc != SH_OK)
        return rc;
    o = cue_obj(l, i);
    /* Word times that no longer fit the cue are dropped (rerun cue align --words). */
    if (!sh_lesson_words_fit_(&l->m.cues[i], begin, end))
        drop_words(l, i);
    rc = put_time(o, "begin", begin, AFTER_ID);
    if (rc == SH_OK)
        rc = put_time(o, "end", end, AFTER_BEGIN);
    sync_cue(l, i);
    return rc;
}

int sh_lesson_set_cue_text(sh_lesson *l, size_t i, const char *text, const char *translation)
{
    cJSON *o = cue_obj(l, i);
    if (!o)
        return SH_ERR_NOT_FOUND;
    if (text && blank(text))
        return SH_ERR_INVALID;
    int rc = begin_edit(l);
    if (rc != SH_OK)
        return rc;
    o = cue_obj(l, i);
    if (text && strcmp(text, l->m.cues[i].text) != 0)
        drop_words(l, i); /* timed for the old text */
    if (text)
        rc = put(o, "text", cJSON_CreateString(text), (const char *const[]){"id", "begin", "end", NULL});
    if (rc == SH_OK && translation) {
        if (*translation)
            rc = put(o, "translation", cJSON_CreateString(translation), AFTER_TEXT);
        else
            drop(o, "translation");
    }
    sync_cue(l, i);
    return rc;
}

int sh_lesson_set_cue_string(sh_lesson *l, size_t i, const char *key, const char *value)
{
    cJSON *o = cue_obj(l, i);
    if (!o)
        return SH_ERR_NOT_FOUND;
    static const char *const ruled[] = {"id", "begin", "end", "text", "loops", "words"};
    if (!key || !*key)
        return SH_ERR_INVALID;
    for (size_t k = 0; k < sizeof ruled / sizeof *ruled; k++)
        if (strcmp(key, ruled[k]) == 0)
            return SH_ERR_INVALID;
    int rc = begin_edit(l);
    if (rc != SH_OK)
        return rc;
    o = cue_obj(l, i);
    if (!value)
        drop(o, key);
    else
        rc = put(o, key, cJSON_CreateString(value), NULL);
    sync_cue(l, i);
    return rc;
}

static bool id_used(const sh_lesson *l, const char *id)
{
    return sh_idset_get_(&l->m.ids, id) != 0;
}

int sh_lesson_insert_cue(sh_lesson *l, size_t at, const char *id, const char *text, const char *translation,
                         double begin, double end)
{
    if (at > l->m.ncues || at > (size_t)INT32_MAX - 1)
        return SH_ERR_NOT_FOUND;
    if (!text || blank(text) || !times_ok(begin, end))
        return SH_ERR_INVALID;
    if (id && (!sh_lesson_id_valid_(id) || id_used(l, id)))
        return SH_ERR_INVALID;
    int rc = begin_edit(l);
    if (rc == SH_OK)
        rc = pin_ids(l);
    if (rc != SH_OK)
        return rc;
    sh_lesson_model *m = &l->m;
    char *fresh = NULL;
    if (!id) {
        for (size_t n = at + 1;; n++) {
            free(fresh);
            if (!(fresh = sh_asprintf("p%zu", n)))
                return SH_ERR_NOMEM;
            if (!id_used(l, fresh))
                break;
        }
        id = fresh;
    }
    cJSON *cues = cues_array(l);
    if (!sh_lesson_reserve_(m, m->ncues + 1) || (!cues && !(cues = cJSON_AddArrayToObject(l->root, "cues")))) {
        free(fresh);
        return SH_ERR_NOMEM;
    }
    cJSON *o = cJSON_CreateObject();
    rc = SH_ERR_NOMEM;
    if (!o || !cJSON_AddStringToObject(o, "id", id))
        goto fail;
    if (!isnan(begin) && !cJSON_AddNumberToObject(o, "begin", round(begin * 1000.0) / 1000.0))
        goto fail;
    if (!isnan(end) && !cJSON_AddNumberToObject(o, "end", round(end * 1000.0) / 1000.0))
        goto fail;
    if (!cJSON_AddStringToObject(o, "text", text))
        goto fail;
    if (translation && *translation && !cJSON_AddStringToObject(o, "translation", translation))
        goto fail;
    free(fresh);
    /* Into the tree: after the last cue in O(1), or before cue `at`. */
    if (at == m->ncues) {
        if (!cJSON_AddItemToArray(cues, o)) {
            cJSON_Delete(o);
            return SH_ERR_NOMEM;
        }
    } else {
        link_before(cues, m->objs[at], o);
    }
    /* And into the model: room was reserved above, so nothing fails. */
    size_t tail = m->ncues - at;
    memmove(m->cues + at + 1, m->cues + at, tail * sizeof *m->cues);
    memmove(m->locs + at + 1, m->locs + at, tail * sizeof *m->locs);
    memmove(m->gen_ids + at + 1, m->gen_ids + at, tail * sizeof *m->gen_ids);
    memmove(m->objs + at + 1, m->objs + at, tail * sizeof *m->objs);
    m->ncues++;
    m->objs[at] = o;
    m->gen_ids[at] = NULL;
    memset(&m->locs[at], 0, sizeof m->locs[at]);
    m->cues[at] = (sh_cue){.id = tree_string(o, "id")};
    sync_cue(l, at);
    for (size_t k = at; k < m->ncues; k++)
        m->cues[k].index = (int)k + 1;
    if (tail == 0 && sh_idset_get_or_add_(&m->ids, m->cues[at].id, (int)at + 1) == 0)
        return SH_OK;
    return reindex(l);
fail:
    free(fresh);
    cJSON_Delete(o);
    return rc;
}

int sh_lesson_remove_cue(sh_lesson *l, size_t i)
{
    if (i >= l->m.ncues)
        return SH_ERR_NOT_FOUND;
    int rc = begin_edit(l);
    if (rc == SH_OK)
        rc = pin_ids(l);
    if (rc != SH_OK)
        return rc;
    sh_lesson_model *m = &l->m;
    cJSON_Delete(cJSON_DetachItemViaPointer(cues_array(l), m->objs[i]));
    free(m->gen_ids[i]); /* NULL: pinned above */
    free((void *)m->cues[i].words);
    size_t tail = m->ncues - i - 1;
    memmove(m->cues + i, m->cues + i + 1, tail * sizeof *m->cues);
    memmove(m->locs + i, m->locs + i + 1, tail * sizeof *m->locs);
    memmove(m->gen_ids + i, m->gen_ids + i + 1, tail * sizeof *m->gen_ids);
    memmove(m->objs + i, m->objs + i + 1, tail * sizeof *m->objs);
    m->ncues--;
    for (size_t k = i; k < m->ncues; k++)
        m->cues[k].index = (int)k + 1;
    return reindex(l);
}

int sh_lesson_add_vocab(sh_lesson *l, const char *word, const char *ipa, const char *meaning)
{
    if (!word || blank(word))
        return SH_ERR_INVALID;
    cJSON *voc = cJSON_GetObjectItemCaseSensitive(l->root, "vocabulary");
    if (voc && !cJSON_IsArray(voc))
        return SH_ERR_INVALID; /* cannot happen in a validated lesson */
    int rc = begin_edit(l);
    if (rc != SH_OK)
        return rc;
    sh_lesson_model *m = &l->m;
    if (m->nvocab == m->vocab_cap) {
        size_t cap = m->vocab_cap ? 2 * m->vocab_cap : 8;
        sh_vocab_entry *v = realloc(m->vocab, cap * sizeof *v);
        if (!v)
            return SH_ERR_NOMEM;
        m->vocab = v;
        m->vocab_cap = cap;
    }
    cJSON *e = cJSON_CreateObject();
    if (!e || !cJSON_AddStringToObject(e, "word", word) || (ipa && !cJSON_AddStringToObject(e, "ipa", ipa)) ||
        (meaning && !cJSON_AddStringToObject(e, "meaning", meaning)))
        goto nomem;
    if (!voc && !(voc = cJSON_AddArrayToObject(l->root, "vocabulary")))
        goto nomem;
    if (!cJSON_AddItemToArray(voc, e))
        goto nomem;
    m->vocab[m->nvocab++] = (sh_vocab_entry){tree_string(e, "word"), tree_string(e, "ipa"), tree_string(e, "meaning")};
    return SH_OK;
nomem:
    cJSON_Delete(e);
    return SH_ERR_NOMEM;
}

char *sh_lesson_to_json(const sh_lesson *l)
{
    char *s = cJSON_Print(l->root);
    if (!s)
        return NULL;
    /* cJSON indents with tabs and writes ":\t"; strings never hold a raw tab
     * (cJSON escapes it), so every tab here is layout: two spaces at the
     * start of a line, one space after a colon. */
    size_t n = 0, tabs = 0;
    for (const char *p = s; *p; p++, n++)
        tabs += *p == '\t';
    char *out = malloc(n + tabs + 2);
    if (!out) {
        free(s);
        return NULL;
    }
    char *w = out;
    bool line_start = true;
    for (const char *p = s; *p; p++) {
        if (*p == '\t') {
            if (line_start) {
                *w++ = ' ';
                *w++ = ' ';
            } else {
                *w++ = ' ';
            }
            continue;
        }
        line_start = *p == '\n';
        *w++ = *p;
    }
    *w++ = '\n';
    *w = '\0';
    free(s);
    return out;
}

int sh_lesson_save(const sh_lesson *l, const char *path, sh_error *err)
{
    if (!path)
        path = l->path;
    if (!path)
        return sh_error_set(err, SH_ERR_INVALID, "the lesson has no file name: give one to save it");
    char *json = sh_lesson_to_json(l);
    if (!json)
        return sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory writing the lesson", path);
    int rc = sh_write_file_atomic(path, json, strlen(json), err);
    free(json);
    return rc;
}
