/* Small internal helpers shared by modules: formatted allocation, whole-file
 * reads with a size limit, atomic writes, paths. Not part of the public API. */
#ifndef SH_CORE_UTIL_H
#define SH_CORE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "shadowing/error.h"

/* malloc'ed printf; NULL when out of memory. Caller frees. */
char *sh_asprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
char *sh_vasprintf(const char *fmt, va_list ap);

/* Read a whole file into a malloc'ed, NUL-terminated buffer (*len excludes
 * the NUL). Fails with SH_ERR_TOO_LARGE above max_bytes, SH_ERR_NOT_FOUND if
 * absent, SH_ERR_IO otherwise; err names the file. Caller frees *out. */
int sh_read_file(const char *path, size_t max_bytes, char **out, size_t *len, sh_error *err);

/* Replace `path` atomically with `data`: write a temporary file in the same
 * folder, fsync it, rename it over `path`, fsync the folder. On any failure
 * (including a full disk) the old file is left untouched and the temporary
 * removed. */
int sh_write_file_atomic(const char *path, const void *data, size_t len, sh_error *err);

/* The folder part of `path` ("." when it has none), malloc'ed. */
char *sh_path_dirname(const char *path);
/* `rel` resolved against the folder of `base_file` (unchanged when absolute), malloc'ed. */
char *sh_path_resolve(const char *base_file, const char *rel);
/* Create a folder and its parents (mode 0700 for new ones). */
int sh_mkdir_p(const char *path, sh_error *err);

/* The program's own folder of each XDG kind (XDG Base Directory spec). */
typedef enum sh_xdg_kind {
    SH_XDG_CONFIG, /* $XDG_CONFIG_HOME/shadowing, default ~/.config/shadowing */
    SH_XDG_DATA,   /* $XDG_DATA_HOME/shadowing, default ~/.local/share/shadowing */
    SH_XDG_STATE,  /* $XDG_STATE_HOME/shadowing, default ~/.local/state/shadowing */
} sh_xdg_kind;
/* That folder's path, malloc'ed (caller frees); not created. The variable
 * counts only when it holds an absolute path, as the spec says; otherwise
 * the default under $HOME. NULL when neither is set, or out of memory. */
char *sh_xdg_dir(sh_xdg_kind kind);

/* Seconds on CLOCK_MONOTONIC (an arbitrary origin): for intervals,
 * deadlines and timestamps compared within one run. A vDSO read: no
 * syscall, no lock, so safe in the audio callback. */
double sh_clock_now(void);

/* Parse a whole string as a finite double / as an int in [lo, hi]. */
bool sh_parse_double(const char *s, double *out);
bool sh_parse_int(const char *s, long lo, long hi, long *out);

/* When `data` looks like UTF-16 text, its iconv encoding name: "UTF-16"
 * (a byte order mark), "UTF-16LE" or "UTF-16BE" (no mark: ASCII characters
 * leave a NUL byte in every other place, which UTF-8 text never has); else
 * NULL. The lesson loader and the cue importers both say so in one line
 * rather than "invalid UTF-8" or "unexpected U+0000". */
const char *sh_text_utf16(const char *data, size_t len);

#endif
