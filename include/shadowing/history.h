/* shadowing - practice history in SQLite.
 *
 * One database per user, $XDG_DATA_HOME/shadowing/history.db (default
 * ~/.local/share/shadowing/history.db), shared by every lesson:
 *
 *   lessons  (id, hash UNIQUE, path, title, last_cue, last_seen)
 *   attempts (id, lesson_id, cue_id, cue_index, time_ms, mode, speed, total,
 *             duration, energy, completeness, pauses, level, verdict, take)
 *
 * The schema carries a version in PRAGMA user_version and is migrated
 * forward step by step when an older database is opened; a database made by
 * a newer shadowing is refused rather than damaged. The journal is WAL with
 * synchronous=FULL and a busy timeout, so a second shadowing (or `shadowing
 * history` run while practising) waits instead of failing, and every
 * attempt is written in ONE transaction (lesson row, attempt row, resume
 * position): a process killed at any moment loses at most the attempt in
 * progress and never leaves a half-written row or a corrupt file.
 *
 * A lesson is identified by content, not by path (moving a lesson folder
 * keeps its history): see sh_lesson_identity.
 *
 * Ownership: sh_history is created by sh_history_open and freed by
 * sh_history_close. Strings handed to callbacks are valid only during the
 * call. The handle is not thread-safe: use it from one thread.
 */
#ifndef SHADOWING_HISTORY_H
#define SHADOWING_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shadowing/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version this build writes (PRAGMA user_version). */
#define SH_HISTORY_SCHEMA_VERSION 1
/* Hex SHA-256 plus NUL. */
#define SH_LESSON_HASH_LEN 65

typedef struct sh_history sh_history;

/* $XDG_DATA_HOME/shadowing (or ~/.local/share/shadowing when unset or not
 * absolute, as the XDG spec says), malloc'ed; NULL without HOME or memory.
 * Not created. */
char *sh_history_data_dir(void);

/* The lesson's identity: hex SHA-256 (GLib GChecksum) over
 *   "shadowing-lesson-1\n", the lesson file's bytes,
 *   the audio file's size (decimal) and its first and last MiB.
 * The whole cue file is hashed (it is small) so a re-timed lesson starts a
 * new history; the audio is sampled (an hour of MP3 is 60 MB and hashing it
 * all would cost most of the start-up budget), and size plus both ends tell
 * apart any two real recordings. The audio's mtime is deliberately left
 * out: copying a lesson folder must not lose its history. `audio_path` may
 * be NULL (or missing) to hash the lesson alone. Returns SH_OK, or
 * SH_ERR_NOT_FOUND / SH_ERR_IO naming the file. */
int sh_lesson_identity(const char *lesson_path, const char *audio_path, char out[SH_LESSON_HASH_LEN],
                       sh_error *err);

/* Open (creating it and its folder if needed) the database at `path`; NULL
 * means the default under sh_history_data_dir(). Applies migrations, WAL,
 * busy timeout, and checks that the tables are the ones this version
 * uses. Errors, each with a one-line message naming the file and what to
 * do:
 *   SH_ERR_FORMAT      damaged (not SQLite, truncated, "database disk image
 *                      is malformed") or not a shadowing history (other
 *                      tables): sh_history_move_aside it and open again;
 *   SH_ERR_UNSUPPORTED written by a newer shadowing (left untouched);
 *   SH_ERR_IO          cannot be created or written (read-only file or
 *                      folder, a folder in its place);
 *   SH_ERR_DISK_FULL   no space (or a file size limit);
 *   SH_ERR_DATABASE    anything else SQLite reports (busy for 5 s...). */
int sh_history_open(const char *path, sh_history **out, sh_error *err);
/* Open an existing database for reading only (`shadowing history`): never
 * creates, migrates or writes it, and words its errors as reading ("cannot
 * read the history FILE: ..."). SH_ERR_NOT_FOUND (err untouched) when there
 * is no database yet, or an empty one; otherwise the errors above. */
int sh_history_open_readonly(const char *path, sh_history **out, sh_error *err);
/* Rename a damaged database `path` to "<path>.damaged-YYYYmmdd-HHMMSS"
 * (its -wal log beside it under the matching name, so the pair still opens
 * with sqlite3), leaving the way free for a new one. Never deletes
 * anything. *moved_to receives the new name (malloc'ed). Errors: SH_ERR_IO
 * (the folder is read-only...), SH_ERR_NOMEM. */
int sh_history_move_aside(const char *path, char **moved_to, sh_error *err);
/* Close; NULL is allowed. */
void sh_history_close(sh_history *h);
/* The database file's path (owned by h). */
const char *sh_history_path(const sh_history *h);
/* PRAGMA user_version of the open database. */
int sh_history_schema_version(sh_history *h);

/* One attempt at one paragraph. Sub-scores are 0..100 or NAN when the
 * scorer did not give them. Strings are borrowed. */
typedef struct sh_attempt {
    int64_t id;          /* set by the database */
    const char *cue_id;  /* "p3" */
    int cue_index;       /* 1-based */
    int64_t time_ms;     /* Unix time of the attempt in ms; 0 = now */
    const char *mode;    /* "repeat", "shadow", "batch" ... */
    double speed;        /* playback speed the learner heard */
    double total;        /* 0..100 */
    double duration, energy, completeness, pauses, level;
    const char *verdict; /* may be NULL */
    const char *take;    /* path of the saved take, may be NULL */
} sh_attempt;

/* A fresh attempt with the sub-scores NAN and speed 1. */
sh_attempt sh_attempt_init(void);

/* Store one attempt, in one transaction together with the lesson row
 * (created or refreshed with `lesson_path` and `title`, both may be NULL)
 * and the lesson's resume position (set to this cue). *id_out (may be
 * NULL) receives the new row's id. SH_ERR_DATABASE on failure, in which
 * case nothing was written. */
int sh_history_add_attempt(sh_history *h, const char *lesson_hash, const char *lesson_path,
                           const char *title, const sh_attempt *a, int64_t *id_out, sh_error *err);

/* Remember the paragraph the learner is on (resume), creating the lesson
 * row if needed. */
int sh_history_set_position(sh_history *h, const char *lesson_hash, const char *lesson_path,
                            const char *title, const char *cue_id, sh_error *err);
/* The remembered paragraph id into buf; SH_ERR_NOT_FOUND (err untouched)
 * when the lesson has none. */
int sh_history_get_position(sh_history *h, const char *lesson_hash, char *buf, size_t size,
                            sh_error *err);

/* An edited lesson file is a new lesson (its hash changed). To keep the
 * learner's place and say where the old attempts went: the most recently
 * seen OTHER version of the lesson stored for the same path. Fills cue_buf
 * with its resume position ("" when none) and *attempts with its attempt
 * count. SH_ERR_NOT_FOUND (err untouched) when there is no other version. */
int sh_history_previous_version(sh_history *h, const char *lesson_hash, const char *lesson_path, char *cue_buf,
                                size_t size, int *attempts, sh_error *err);

/* Called once per attempt of the lesson, oldest first; return non-zero to
 * stop. cue_id and mode are never NULL and total and speed are finite: rows
 * of a hand-edited database that break the schema's rules are skipped.
 * Read errors: SH_ERR_FORMAT for a damaged file, else as sh_history_open. */
typedef int (*sh_attempt_fn)(void *user, const sh_attempt *a);
int sh_history_foreach_attempt(sh_history *h, const char *lesson_hash, sh_attempt_fn fn, void *user,
                               sh_error *err);

/* Per-paragraph summary. */
typedef struct sh_cue_summary {
    const char *cue_id;
    int cue_index;
    int attempts;
    double best;   /* highest total */
    double latest; /* total of the most recent attempt */
    double first;  /* total of the first attempt */
    int64_t latest_ms;
} sh_cue_summary;
typedef int (*sh_cue_summary_fn)(void *user, const sh_cue_summary *s);
/* One call per paragraph with attempts, in cue_index order; cue_id is never
 * NULL. */
int sh_history_foreach_cue(sh_history *h, const char *lesson_hash, sh_cue_summary_fn fn, void *user,
                           sh_error *err);

/* Where takes of this lesson are saved: <data dir>/takes/<first 16 hex of
 * hash>, malloc'ed (not created). NULL without memory or HOME. */
char *sh_history_takes_dir(const char *lesson_hash);

#ifdef __cplusplus
}
#endif
#endif
