/* shadowing - lessons: an audio file plus a JSON cue file (format version 1,
 * doc/lesson-format.md) that times each English paragraph.
 *
 * All JSON handling (cJSON) stays inside this module. Loading validates the
 * whole file and reports every problem into an sh_diag list in the GNU form
 * PATH:LINE:COL, naming the cue by id and index. The lesson keeps the parsed
 * JSON tree, so editing functions (used by the teacher tools) preserve fields
 * this version does not know.
 *
 * Ownership: a lesson is created by sh_lesson_load/parse/new and freed with
 * sh_lesson_free. Every pointer a getter returns (strings, sh_cue) is owned
 * by the lesson and valid until it is freed or edited.
 */
#ifndef SHADOWING_LESSON_H
#define SHADOWING_LESSON_H

#include <stdbool.h>
#include <stddef.h>

#include "shadowing/diag.h"
#include "shadowing/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SH_LESSON_FORMAT_VERSION 1
#define SH_LESSON_MAX_BYTES (16u << 20) /* larger cue files are refused */
#define SH_LESSON_MAX_DEPTH 32          /* JSON nesting limit */

/* Load flags. */
enum {
    /* Accept cues without begin/end (a lesson made by `cue init`, not yet
     * aligned): their begin and end are NAN. */
    SH_LESSON_ALLOW_UNTIMED = 1u << 0,
};

typedef struct sh_cue {
    const char *id;          /* never NULL: "p<index>" when absent in the file */
    int index;               /* 1-based position in the lesson */
    double begin, end;       /* seconds; NAN when untimed */
    const char *text;        /* English paragraph, never NULL or empty */
    const char *translation; /* may be NULL */
    const char *notes;       /* may be NULL */
    int loops;               /* 0 when not set */
    int line, col;           /* where the cue object starts in the file; 0 if unknown */
} sh_cue;

typedef struct sh_vocab_entry {
    const char *word;    /* never NULL */
    const char *ipa;     /* may be NULL */
    const char *meaning; /* may be NULL */
} sh_vocab_entry;

/* Playback defaults, from the lesson's "defaults" object or built in. */
typedef struct sh_playback_defaults {
    double lead_s;     /* audio played before begin; built-in 0.05 */
    double tail_s;     /* audio played after end; built-in 0.3 (no clipped endings) */
    double gap_s;      /* silence between loops in seconds; built-in 0 */
    double gap_factor; /* or as a multiple of the cue length ("x1.2"); 0 = unused */
    int loops;         /* times to play; built-in 1, 0 = endless */
} sh_playback_defaults;

typedef struct sh_lesson sh_lesson;

/* Read, parse and validate the lesson at `path`. Every problem goes to
 * `diag` (may be NULL); warnings do not fail the load. Returns SH_OK and a
 * new lesson in *out, or SH_ERR_NOT_FOUND / SH_ERR_IO / SH_ERR_TOO_LARGE
 * (file level, one diagnostic) or SH_ERR_FORMAT (one diagnostic per
 * problem) with *out NULL. */
int sh_lesson_load(const char *path, unsigned flags, sh_lesson **out, sh_diag *diag);

/* The same from memory; `name` is used in diagnostics and to resolve the
 * relative audio path. Pure: no I/O (safe to fuzz). */
int sh_lesson_parse(const char *json, size_t len, const char *name, unsigned flags,
                    sh_lesson **out, sh_diag *diag);

/* Free a lesson; NULL is allowed. */
void sh_lesson_free(sh_lesson *lesson);

const char *sh_lesson_path(const sh_lesson *l);       /* name given when loading */
const char *sh_lesson_title(const sh_lesson *l);      /* never NULL */
const char *sh_lesson_audio(const sh_lesson *l);      /* "audio" as written */
const char *sh_lesson_audio_path(const sh_lesson *l); /* resolved against the lesson's folder */
const char *sh_lesson_language(const sh_lesson *l);   /* default "en" */
const char *sh_lesson_translation_language(const sh_lesson *l); /* may be NULL */
const char *sh_lesson_source(const sh_lesson *l);     /* may be NULL */
const char *sh_lesson_level(const sh_lesson *l);      /* may be NULL */
const char *sh_lesson_notes(const sh_lesson *l);      /* may be NULL */
const sh_playback_defaults *sh_lesson_defaults(const sh_lesson *l);

size_t sh_lesson_cue_count(const sh_lesson *l);
/* Cue i (0-based), or NULL when out of range. */
const sh_cue *sh_lesson_cue(const sh_lesson *l, size_t i);
/* A cue by id ("p3") or 1-based index ("3"); an id wins over an index.
 * NULL when there is none. */
const sh_cue *sh_lesson_find_cue(const sh_lesson *l, const char *id_or_index);

size_t sh_lesson_vocab_count(const sh_lesson *l);
const sh_vocab_entry *sh_lesson_vocab(const sh_lesson *l, size_t i);

/* Check the cues against the decoded audio's exact duration: an error for
 * every cue that ends after the audio (located at its "end" value). Returns
 * the number of errors added. */
int sh_lesson_check_audio_duration(const sh_lesson *l, double duration_s, sh_diag *diag);

/* Times. sh_time_parse accepts a number string or "[hh:]mm:ss[.fff]"
 * (minutes and seconds < 60 after the first field). Returns false on bad
 * syntax. sh_time_format writes "mm:ss.fff" or "h:mm:ss.fff". */
bool sh_time_parse(const char *s, double *out);
char *sh_time_format(double seconds, char *buf, size_t size);

/* ---- Editing (teacher tools). Every edit invalidates sh_cue pointers. ---- */

/* A new lesson with no cues; `path` is where it will be saved (resolves
 * the audio path). NULL when out of memory. */
sh_lesson *sh_lesson_new(const char *path, const char *title, const char *audio);
int sh_lesson_set_string(sh_lesson *l, const char *key, const char *value); /* top-level field; NULL removes */
int sh_lesson_set_cue_times(sh_lesson *l, size_t i, double begin, double end); /* NAN removes */
int sh_lesson_set_cue_text(sh_lesson *l, size_t i, const char *text, const char *translation);
/* Insert a cue before position `at` (== count appends). id NULL: a fresh
 * unique "pN". begin/end may be NAN. */
int sh_lesson_insert_cue(sh_lesson *l, size_t at, const char *id, const char *text,
                         const char *translation, double begin, double end);
int sh_lesson_remove_cue(sh_lesson *l, size_t i);
int sh_lesson_add_vocab(sh_lesson *l, const char *word, const char *ipa, const char *meaning);
/* The lesson as pretty JSON (malloc'ed, caller frees), or NULL. */
char *sh_lesson_to_json(const sh_lesson *l);
/* Write the lesson to `path` atomically (temp file + rename): a failure
 * leaves the old file intact. */
int sh_lesson_save(const sh_lesson *l, const char *path, sh_error *err);

#ifdef __cplusplus
}
#endif
#endif
