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

/* Number of entries of `level`; pass -1 for all entries. */
size_t sh_diag_count(const sh_diag *d, int level);
/* Entry i (0-based, in order of addition), or NULL when out of range. */
const sh_diag_entry *sh_diag_get(const sh_diag *d, size_t i);

/* Format one entry as "FILE:LINE:COL: error: MESSAGE" into buf (always
 * NUL-terminated, truncated if needed). Returns buf. */
char *sh_diag_format(const sh_diag_entry *e, char *buf, size_t size);
/* Print every entry of at most `max_level` severity (SH_DIAG_WARNING prints
 * errors and warnings), one per line. */
void sh_diag_print(const sh_diag *d, FILE *out, sh_diag_level max_level);

#ifdef __cplusplus
}
#endif
#endif
