#include "shadowing/error.h"

#include <stdarg.h>
#include <stdio.h>

/* The one table of generic messages, indexed by -code. */
static const char *const messages[] = {
    [0] = "success",
    [-SH_ERR_NOMEM] = "out of memory",
    [-SH_ERR_INVALID] = "invalid argument",
    [-SH_ERR_IO] = "input/output error",
    [-SH_ERR_NOT_FOUND] = "not found",
    [-SH_ERR_FORMAT] = "malformed file",
    [-SH_ERR_DECODE] = "audio could not be decoded",
    [-SH_ERR_NO_PLUGIN] = "a GStreamer plugin needed for this format is missing",
    [-SH_ERR_NOT_AUDIO] = "not an audio file",
    [-SH_ERR_DEVICE] = "sound device error",
    [-SH_ERR_DISK_FULL] = "no space left on device",
    [-SH_ERR_UNSUPPORTED] = "not supported by this build",
    [-SH_ERR_INTERRUPTED] = "interrupted",
    [-SH_ERR_DATABASE] = "history database error",
    [-SH_ERR_TOO_LARGE] = "input too large",
    [-SH_ERR_RANGE] = "value out of range",
};

const char *sh_strerror(int code)
{
    if (code > 0 || code <= SH_ERR_LAST_)
        return "unknown error";
    return messages[-code];
}

int sh_error_set(sh_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}
