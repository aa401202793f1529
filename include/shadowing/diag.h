/* shadowing - located diagnostics (errors and warnings about input files).
 *
 * Validators (lesson loader, cue importers) report every problem they find
 * into an sh_diag list instead of stopping at the first, so a teacher fixes
 * a cue file in one pass. Each entry prints in the GNU form
 *     PATH:LINE:COL: error: MESSAGE
 * (LINE/COL omitted when unknown), which editors and CI logs understand.
 */
#ifndef SHADOWING_DIAG_H
#define SHADOWING_DIAG_H

#include <stdio.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sh_diag_level {
    SH_DIAG_ERROR = 0,
    SH_DIAG_WARNING = 1,
    SH_DIAG_NOTE = 2
} sh_diag_level;

/* One diagnostic. All strings are owned by the list. */
typedef struct sh_diag_entry {
    sh_diag_level level;
    char *file;      /* may be NULL */
    int line;        /* 1-based; 0 when unknown */
    int col;         /* 1-based, in characters (code points); 0 when unknown */
    char *cue_id;    /* cue the problem is about, or NULL */
    int cue_index;   /* 1-based index of that cue; 0 when none */
    char *message;   /* without the "error:" prefix or location */
} sh_diag_entry;

typedef struct sh_diag sh_diag;

/* The most diagnostics a validator shows for one file (like gcc
 * -fmax-errors): a broken 16 MiB file could otherwise print millions of
 * lines. `check` and the cue importers both stop there. */
#define SH_DIAG_MAX_SHOWN 200

/* Create an empty list. Returns NULL when out of memory. Free with sh_diag_free. */
sh_diag *sh_diag_new(void);
/* Free the list and every entry; NULL is allowed. */
void sh_diag_free(sh_diag *d);

/* Append a diagnostic. `file` and `cue_id` are copied and may be NULL; line,
 * col and cue_index may be 0. The message is printf-formatted. Out of memory
 * is remembered (sh_diag_count still counts the entry as an error) rather
 * than reported, so validators can call this without checking. `d` may be
 * NULL, in which case nothing happens. */
void sh_diag_add(sh_diag *d, sh_diag_level level, const char *file, int line, int col,
                 const char *cue_id, int cue_index, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 8, 9)))
#endif
    ;

/* Keep at most `max` entries (0: no limit, the default). Entries past it
 * are counted by level, not kept; sh_diag_count includes them and
 * sh_diag_print ends with the note of sh_diag_note_hidden. */
void sh_diag_set_limit(sh_diag *d, size_t max);
/* Add the note that says how many problems were not shown ("N more errors
 * and M more warnings not shown: fix these first, then check again"), for
 * validators that count past their own cap; nothing when both are 0. */
void sh_diag_note_hidden(sh_diag *d, const char *file, size_t errors, size_t warnings);

/* Number of entries of `level`; pass -1 for all entries. */
size_t sh_diag_count(const sh_diag *d, int level);
/* Entry i (0-based, in order of addition), or NULL when out of range. */
const sh_diag_entry *sh_diag_get(const sh_diag *d, size_t i);

/* Format one entry as "FILE:LINE:COL: error: MESSAGE" into buf (always
 * NUL-terminated, truncated if needed). Control characters in the file
 * name and the message are escaped (\r, \n, \t, \xHH, \u0085), so one
 * entry is one printable line. Returns buf. */
char *sh_diag_format(const sh_diag_entry *e, char *buf, size_t size);
/* Copy `s` into buf from offset `pos` with control characters escaped as
 * above, stopping before an escape that would not fit; buf stays NUL-
 * terminated. Returns the new end offset. Used by sh_diag_format and by
 * the command-line error messages (sh_cli_fail). */
size_t sh_diag_escape(const char *s, char *buf, size_t size, size_t pos);
/* Print every entry of at most `max_level` severity (SH_DIAG_WARNING prints
 * errors and warnings), one per line. */
void sh_diag_print(const sh_diag *d, FILE *out, sh_diag_level max_level);

#ifdef __cplusplus
}
#endif
#endif
