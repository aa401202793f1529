/* shadowing - result codes and error messages.
 *
 * Every fallible function in libshadowing returns an int: SH_OK (0) or one
 * of the negative SH_ERR_* codes below (miniaudio style). Functions that talk
 * to the outside world (files, GStreamer, devices, SQLite) also take an
 * optional `sh_error *` that receives a one-line message a user can act on:
 * it names the file and says what to do. There is one table of generic
 * messages (sh_strerror), as in libsndfile.
 */
#ifndef SHADOWING_ERROR_H
#define SHADOWING_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sh_result {
    SH_OK = 0,
    SH_ERR_NOMEM = -1,       /* out of memory */
    SH_ERR_INVALID = -2,     /* invalid argument (a programming or usage error) */
    SH_ERR_IO = -3,          /* a read or write failed */
    SH_ERR_NOT_FOUND = -4,   /* file, cue or device does not exist */
    SH_ERR_FORMAT = -5,      /* malformed input file (JSON, LRC, text...) */
    SH_ERR_DECODE = -6,      /* audio could not be decoded */
    SH_ERR_NO_PLUGIN = -7,   /* a GStreamer plugin is missing for this format */
    SH_ERR_NOT_AUDIO = -8,   /* the file holds no audio stream */
    SH_ERR_DEVICE = -9,      /* sound device unavailable or failed */
    SH_ERR_DISK_FULL = -10,  /* no space left, or file size limit reached */
    SH_ERR_UNSUPPORTED = -11,/* feature not built in or not supported */
    SH_ERR_INTERRUPTED = -12,/* stopped by a signal or the user */
    SH_ERR_DATABASE = -13,   /* SQLite history database error */
    SH_ERR_TOO_LARGE = -14,  /* input exceeds a documented limit */
    SH_ERR_RANGE = -15,      /* value out of its allowed range */
    SH_ERR_LAST_ = -16
} sh_result;

/* A one-line, user-facing error message with its code. Functions fill it
 * only on failure; `message` is always NUL-terminated. Caller-owned, usually
 * on the stack: `sh_error err = {0};`. */
typedef struct sh_error {
    int code;
    char message[1024];
} sh_error;

/* Generic English text for a result code; never NULL, static storage. */
const char *sh_strerror(int code);

/* Fill `err` (may be NULL) with `code` and a printf-style message; returns
 * `code` so that callers can write `return sh_error_set(err, SH_ERR_IO, ...)`. */
int sh_error_set(sh_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif
