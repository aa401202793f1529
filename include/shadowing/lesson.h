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
/* At most this many JSON values (objects, arrays, strings, numbers, true,
 * false, null; keys do not count) in a cue file: bounds the memory a
 * hostile file can cost (100-200 bytes a value, so at most ~200 MB) far
 * below what 16 MiB of "[0,0,0,..." would (8 million values, ~1 GB). A real
 * lesson has about 10 a cue. */
#define SH_LESSON_MAX_VALUES 1000000u
#define SH_LESSON_MAX_TIME 360000.0     /* cue times above 100 hours are refused */

/* Load flags. */
enum {
    /* Accept cues without begin/end (a lesson made by `cue init`, not yet
     * aligned): their begin and end are NAN. */
    SH_LESSON_ALLOW_UNTIMED = 1u << 0,
};

/* One word of a cue's text with its time on the audio (the optional
 * "words" of a cue, written by `cue align --words`). */
typedef struct sh_cue_word {
    const char *text;  /* the text word, as sh_text_words_split gives it */
    double begin, end; /* seconds; NAN when the word was not found */
} sh_cue_word;

/* A pronunciation from the lesson's "pronunciations" object. */
typedef struct sh_lesson_pron {
    const char *word;   /* as written ("DeepSeek") */
    const char *phones; /* the model's phones ("D IY P S IY K") */
} sh_lesson_pron;

typedef struct sh_cue {
    const char *id;          /* never NULL: "p<index>" (or the next free "pN") when absent */
    int index;               /* 1-based position in the lesson */
    double begin, end;       /* seconds; NAN when untimed */
    const char *text;        /* English paragraph, never NULL or empty */
    const char *translation; /* may be NULL */
    const char *notes;       /* may be NULL */
    int loops;               /* 0 when not set */
    int line, col;           /* where the cue object starts in the file; 0 if unknown */
    const sh_cue_word *words; /* word times, one per text word; NULL when the cue has none */
    size_t n_words;
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
 * problem; past 200, a note counts the rest) with *out NULL. Columns count
 * characters (code points) from 1. */
int sh_lesson_load(const char *path, unsigned flags, sh_lesson **out, sh_diag *diag);

/* The same from memory (`json` need not be NUL-terminated); `name` (may be
 * NULL) is used in diagnostics and to resolve the relative audio path.
 * Pure: no I/O, no globals (safe to fuzz: tests/lesson/fuzz_lesson.c). */
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

/* The lesson's "pronunciations" (word -> phones), validated on load. */
size_t sh_lesson_pron_count(const sh_lesson *l);
const sh_lesson_pron *sh_lesson_pron_at(const sh_lesson *l, size_t i);

size_t sh_lesson_vocab_count(const sh_lesson *l);
const sh_vocab_entry *sh_lesson_vocab(const sh_lesson *l, size_t i);

/* Check the cues against the decoded audio's exact duration: an error for
 * every cue that ends after the audio (located at its "end" value). Returns
 * the number of errors added. */
int sh_lesson_check_audio_duration(const sh_lesson *l, double duration_s, sh_diag *diag);
/* The same check for cues [first, last) (0-based), at `level` (an error,
 * or a warning for a command that goes on with the audio there is).
 * Returns the number of cues that end after the audio. */
int sh_lesson_check_cues_duration(const sh_lesson *l, size_t first, size_t last, double duration_s,
                                  sh_diag_level level, sh_diag *diag);

struct sh_decoder;
/* For a command about to use cues [first, last): the same check against the
 * audio open in `dec` (the lesson's audio), without decoding all of it: one
 * short read before the latest cue end (see sh_decoder_audio_end). Adds the
 * located message for each cue that ends after the audio to diag at
 * `level` and returns their number (0: all fit); *audio_end_s (may be
 * NULL) receives where the audio ends, or the latest cue end when the audio
 * lasts that long. A negative SH_ERR_* code with err set when the audio
 * cannot be decoded. */
int sh_lesson_check_cues_in_audio(const sh_lesson *l, size_t first, size_t last, struct sh_decoder *dec,
                                  sh_diag_level level, sh_diag *diag, double *audio_end_s, sh_error *err);
/* The same as errors, printed on stderr: returns 0 when every cue fits, 1
 * (an exit status) when one does not or the audio cannot be read. */
int sh_lesson_require_cues_in_audio(const sh_lesson *l, size_t first, size_t last, struct sh_decoder *dec);

/* Where the value at `path` was in the loaded file: `path` is a member
 * path such as "audio", "cues[2].end" (0-based index) or "defaults.loops".
 * Lines and columns are 1-based; columns count characters (code points).
 * Returns SH_OK, or SH_ERR_NOT_FOUND when there is no such value, it is
 * nested deeper than the fields of a cue's words, or the lesson has been edited since
 * loading (locations are only known for the file as loaded). */
int sh_lesson_locate(const sh_lesson *l, const char *path, int *line, int *col);

/* Times. sh_time_parse accepts plain seconds ("3.25") or "[hh:]mm:ss[.fff]"
 * ("1:02:03.5", "02:03"): the first field may be any size (up to 9 digits),
 * later fields are exactly two digits below 60; only the last field takes a
 * fraction. Surrounding spaces are ignored. No sign, exponent, "inf" or
 * locale decimal comma. Returns false on bad syntax (*out untouched).
 * sh_time_format writes "mm:ss.fff" or "h:mm:ss.fff" (rounded to the
 * millisecond; "--:--.---" for NAN) and returns buf. */
bool sh_time_parse(const char *s, double *out);
char *sh_time_format(double seconds, char *buf, size_t size);

/* ---- Editing (teacher tools). Every edit invalidates sh_cue and
 * sh_vocab_entry pointers and the locations of sh_lesson_locate. Edits keep
 * every member this version does not know, and the order of members.
 * Each returns SH_OK, SH_ERR_NOT_FOUND (cue index out of range),
 * SH_ERR_INVALID (a value the format does not allow: the lesson is left
 * unchanged) or SH_ERR_NOMEM. Edits update the lesson in place, checking
 * their arguments by the loader's rules: appending a cue or changing one
 * costs O(1), inserting or removing one in the middle O(n) copying, so an
 * editor of n cues is linear; only top-level string edits (title, audio...)
 * and the first edit of a loaded lesson rebuild the whole model. ---- */

/* A new lesson with no cues; `path` is where it will be saved (resolves
 * the audio path). NULL when out of memory or title/audio are NULL/empty. */
sh_lesson *sh_lesson_new(const char *path, const char *title, const char *audio);
/* Set a top-level string member ("title", "audio", "language", "source",
 * ... or any other name); NULL removes it. "title" and "audio" cannot be
 * removed or emptied; "shadowing", "cues", "vocabulary" and "defaults" are
 * not strings (SH_ERR_INVALID). */
int sh_lesson_set_string(sh_lesson *l, const char *key, const char *value);
/* Set cue i's times, rounded to the millisecond; NAN removes one. Finite
 * times must be in [0, SH_LESSON_MAX_TIME] with begin < end when both are
 * set. A time written as a string in the file stays a string ("01:02.500"). */
int sh_lesson_set_cue_times(sh_lesson *l, size_t i, double begin, double end);
/* Set cue i's text and translation: NULL leaves a field as it is; text must
 * not be blank; translation "" removes the translation. */
int sh_lesson_set_cue_text(sh_lesson *l, size_t i, const char *text, const char *translation);
/* Set or remove (NULL) a string member of cue i, such as "notes". "id",
 * "begin", "end", "text" and "loops" have their own rules: refused here. */
int sh_lesson_set_cue_string(sh_lesson *l, size_t i, const char *key, const char *value);
/* Insert a cue before position `at` (== count appends). id NULL: a fresh
 * unique "pN"; otherwise a valid id (letters, digits, '-', '_', '.') not
 * used yet. text must not be blank; translation may be NULL; begin/end
 * may be NAN. Inserting or removing a cue first writes the generated ids
 * of the other cues into the file, so that their ids do not shift. */
int sh_lesson_insert_cue(sh_lesson *l, size_t at, const char *id, const char *text,
                         const char *translation, double begin, double end);
int sh_lesson_remove_cue(sh_lesson *l, size_t i);
/* Set cue i's word times: words[0..n) must be the cue's text words in
 * order (sh_text_words_split), times rounded to the millisecond, NAN for a
 * word not found, found words in order, not overlapping and inside the
 * cue's times when it has them. n == 0 removes them. Changing a cue's text
 * removes its words; changing its times removes them when they no longer
 * fit (rerun `cue align --words`). */
int sh_lesson_set_cue_words(sh_lesson *l, size_t i, const sh_cue_word *words, size_t n);
/* Append a vocabulary entry; word must not be blank, ipa/meaning may be NULL. */
int sh_lesson_add_vocab(sh_lesson *l, const char *word, const char *ipa, const char *meaning);
/* The lesson as pretty JSON, 2-space indent, UTF-8 as is, ending with a
 * newline (malloc'ed, caller frees), or NULL when out of memory. */
char *sh_lesson_to_json(const sh_lesson *l);
/* Write the lesson to `path` (NULL: the lesson's own path) atomically
 * (temp file + fsync + rename): a failure leaves the old file intact.
 * Returns SH_OK or SH_ERR_IO / SH_ERR_DISK_FULL / SH_ERR_NOMEM with err. */
int sh_lesson_save(const sh_lesson *l, const char *path, sh_error *err);

#ifdef __cplusplus
}
#endif
#endif
