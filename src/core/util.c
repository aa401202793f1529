#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *sh_xdg_dir(sh_xdg_kind kind)
{
    static const char *const var[] = {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"};
    static const char *const dflt[] = {".config", ".local/share", ".local/state"};
    if ((unsigned)kind > SH_XDG_STATE)
        return NULL;
    const char *x = getenv(var[kind]);
    if (x && x[0] == '/')
        return sh_asprintf("%s/shadowing", x);
    const char *home = getenv("HOME");
    if (!home || !home[0])
        return NULL;
    return sh_asprintf("%s/%s/shadowing", home, dflt[kind]);
}

double sh_clock_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

char *sh_vasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *sh_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = sh_vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

int sh_read_file(const char *path, size_t max_bytes, char **out, size_t *len, sh_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        return sh_error_set(err, e == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO,
                            "%s: cannot open: %s", path, strerror(e));
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = SH_OK;
    for (;;) {
        if (cap - n < 65536) {
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > max_bytes + 1)
                ncap = max_bytes + 1;
            if (ncap <= n) {
                rc = sh_error_set(err, SH_ERR_TOO_LARGE,
                                  "%s: file is larger than the %zu MiB limit", path, max_bytes >> 20);
                goto fail;
            }
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                rc = sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory reading the file", path);
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                rc = sh_error_set(err, SH_ERR_IO, "%s: read error: %s", path, strerror(errno));
                goto fail;
            }
            break;
        }
        if (n > max_bytes) {
            rc = sh_error_set(err, SH_ERR_TOO_LARGE,
                              "%s: file is larger than the %zu MiB limit", path, max_bytes >> 20);
            goto fail;
        }
    }
    fclose(f);
    if (!buf && !(buf = malloc(1)))
        return sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory", path);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return SH_OK;
fail:
    fclose(f);
    free(buf);
    return rc;
}

char *sh_path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

char *sh_path_resolve(const char *base_file, const char *rel)
{
    if (rel[0] == '/')
        return strdup(rel);
    char *dir = sh_path_dirname(base_file);
    if (!dir)
        return NULL;
    char *r = strcmp(dir, ".") == 0 ? strdup(rel) : sh_asprintf("%s/%s", dir, rel);
    free(dir);
    return r;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int sh_write_file_atomic(const char *path, const void *data, size_t len, sh_error *err)
{
    char *tmp = sh_asprintf("%s.tmp.XXXXXX", path);
    if (!tmp)
        return sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory", path);
    int rc = SH_OK;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = sh_error_set(err, errno == ENOSPC ? SH_ERR_DISK_FULL : SH_ERR_IO,
                          "%s: cannot create a temporary file beside it: %s", path, strerror(errno));
        free(tmp);
        return rc;
    }
    /* mkstemp creates 0600; a lesson or export should get the usual umask. */
    mode_t um = umask(0);
    umask(um);
    (void)fchmod(fd, 0666 & ~um);
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        rc = sh_error_set(err, (e == ENOSPC || e == EFBIG || e == EDQUOT) ? SH_ERR_DISK_FULL : SH_ERR_IO,
                          "%s: write failed, file left unchanged: %s", path, strerror(e));
        close(fd);
        goto fail;
    }
    if (close(fd) != 0) {
        rc = sh_error_set(err, SH_ERR_IO, "%s: write failed, file left unchanged: %s", path, strerror(errno));
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        rc = sh_error_set(err, SH_ERR_IO, "%s: cannot replace the file: %s", path, strerror(errno));
        goto fail;
    }
    /* Make the rename itself durable. */
    char *dir = sh_path_dirname(path);
    if (dir) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    free(tmp);
    return SH_OK;
fail:
    unlink(tmp);
    free(tmp);
    return rc;
}

int sh_mkdir_p(const char *path, sh_error *err)
{
    char *p = strdup(path);
    if (!p)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0700) != 0 && errno != EEXIST) {
                int e = errno;
                int rc = sh_error_set(err, SH_ERR_IO, "%s: cannot create folder: %s", p, strerror(e));
                free(p);
                return rc;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return SH_OK;
}

bool sh_parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool sh_parse_int(const char *s, long lo, long hi, long *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end != '\0' || errno == ERANGE || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

const char *sh_text_utf16(const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return "UTF-16";
    /* The first 512 bytes decide. A character U+xx00 (rare) puts its NUL in
     * the other place: a few of those are allowed; binary data, with NULs
     * anywhere, is not UTF-16. */
    size_t n = (len < 512 ? len : 512) & ~(size_t)1, even = 0, odd = 0;
    for (size_t i = 0; i < n; i += 2) {
        even += p[i] == 0 && p[i + 1] != 0;
        odd += p[i] != 0 && p[i + 1] == 0;
    }
    size_t pairs = n / 2;
    if (pairs && odd * 4 >= pairs && even * 8 <= odd)
        return "UTF-16LE";
    if (pairs && even * 4 >= pairs && odd * 8 <= even)
        return "UTF-16BE";
    return NULL;
}
