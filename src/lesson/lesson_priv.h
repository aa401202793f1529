/* Internals of the lesson module shared by lesson.c (loading, validation)
 * and lesson_edit.c (the editing API). */
#ifndef SH_LESSON_PRIV_H
#define SH_LESSON_PRIV_H

#include <cjson/cJSON.h>

#include "lesson/jsonscan.h"
#include "shadowing/lesson.h"

/* Where a cue's values were in the file (0 when unknown, e.g. after edits). */
typedef struct sh_cue_loc {
    int id_line, id_col;
    int begin_line, begin_col;
    int end_line, end_col;
} sh_cue_loc;

/* An open-addressing set of cue ids (strings owned elsewhere: the tree or
 * gen_ids) with the 1-based cue that holds each (lesson_index.c). */
typedef struct sh_idset {
    const char **keys;
    int *cue;
    size_t cap, count;
} sh_idset;

/* Everything derived from the JSON tree. Built by sh_lesson_build_ (the
 * whole tree, validated) and then kept up to date by each edit in place
 * (lesson_edit.c): edits check their arguments against the same rules, so
 * the model stays what a fresh build of the tree would give. Strings point
 * into the tree, except generated ids (gen_ids) and audio_path. */
typedef struct sh_lesson_model {
    const char *title, *audio, *language, *translation_language, *source, *level, *notes;
    char *audio_path;
    sh_cue *cues;
    sh_cue_loc *locs;
    char **gen_ids; /* per cue: the generated id, or NULL when explicit */
    cJSON **objs;   /* per cue: its object in the tree */
    size_t ncues, cap; /* cap: room in cues, locs, gen_ids and objs */
    size_t ngen;       /* generated ids in gen_ids */
    sh_idset ids;      /* every cue's id -> its 1-based index */
    sh_vocab_entry *vocab;
    size_t nvocab, vocab_cap;
    sh_lesson_pron *prons; /* "pronunciations" (lesson_words.c) */
    size_t nprons;
    sh_playback_defaults defaults;
    int audio_line, audio_col;
    /* Problems found but not added to the diag list (over its cap). */
    int hidden_errors, hidden_warnings;
} sh_lesson_model;

struct sh_lesson {
    char *path;
    cJSON *root;
    sh_lesson_model m;
    /* Value locations from loading, valid until the first edit. */
    sh_jscan scan;
    bool edited;
    /* Full builds of the model (load, new, first edit, top-level edits):
     * a counter the unit tests use to check that editing n cues does not
     * rebuild n times. */
    unsigned long builds;
};

/* Internal build flags, beyond the public SH_LESSON_* load flags. */
enum {
    SH_LESSON_ALLOW_EMPTY_ = 1u << 16, /* zero cues is fine (a lesson being made) */
    /* Keep what could be read of an invalid lesson (the JSON parsed): load
     * still returns SH_ERR_FORMAT, but with the lesson, so that `check`
     * can also report on the audio in the same run. Read-only use. */
    SH_LESSON_KEEP_INVALID_ = 1u << 17,
};

/* Validate l->root and build a fresh model into l->m (the old one is freed).
 * `text`/`scan` (may be NULL) locate the diagnostics. Returns the number of
 * errors (out of memory counts as one); on errors l->m is left empty unless
 * flags has SH_LESSON_KEEP_INVALID_. */
int sh_lesson_build_(sh_lesson *l, const char *text, const sh_jscan *scan, unsigned flags, sh_diag *diag);
void sh_lesson_model_free_(sh_lesson_model *m);

/* The id set (lesson_index.c). init: room for n ids, false when out of
 * memory. get_or_add: the cue holding `id`, or 0 when absent; when absent
 * and cue > 0, `id` is added (the set grows; -1 when out of memory). */
bool sh_idset_init_(sh_idset *s, size_t n);
void sh_idset_free_(sh_idset *s);
int sh_idset_get_or_add_(sh_idset *s, const char *id, int cue);
int sh_idset_get_(const sh_idset *s, const char *id); /* the cue, or 0 */
/* Rebuild m->ids from m->cues (after cues moved or ids changed). */
bool sh_lesson_reindex_(sh_lesson_model *m);
/* Make room for n cues in the per-cue arrays; false when out of memory. */
bool sh_lesson_reserve_(sh_lesson_model *m, size_t n);

/* True when `id` is a valid cue id (letters, digits, '-', '_', '.', not
 * starting with '.', at most 64 bytes): ids name take files on disk. */
bool sh_lesson_id_valid_(const char *id);

/* ---- lesson_words.c: a cue's "words" and "pronunciations" ---- */

/* How lesson_words.c reports a problem at JSON node `ni` (at its value, or
 * at its key for report_key) about 1-based cue `cue` (0: none). */
typedef struct sh_lesson_wctx_ {
    void *ctx;
    const sh_jscan *sc; /* NULL after edits */
    void (*report)(void *ctx, uint32_t ni, int cue, const char *msg);
    void (*report_key)(void *ctx, uint32_t ni, int cue, const char *msg);
} sh_lesson_wctx_;

/* Validate and load cue `q`'s "words" (object `cue`, node cni) into
 * q->words (malloc'ed, freed with the model). Returns the errors found. */
int sh_lesson_cue_words_(const sh_lesson_wctx_ *w, const cJSON *cue, uint32_t cni, sh_cue *q);
/* Validate and load the root's "pronunciations" into m->prons. */
int sh_lesson_prons_(const sh_lesson_wctx_ *w, const cJSON *root, uint32_t rni, sh_lesson_model *m);
/* True when every timed word of q lies inside [begin, end] (NAN: open). */
bool sh_lesson_words_fit_(const sh_cue *q, double begin, double end);
/* lesson_edit.c: before an edit, the one full build of a loaded lesson
 * (SH_OK when already edited); a full build of the model (SH_ERR_NOMEM when
 * memory ran out). */
int sh_lesson_begin_edit_(sh_lesson *l);
int sh_lesson_rebuild_(sh_lesson *l);

#endif
