/* The user's small config file: key=value lines under
 * $XDG_CONFIG_HOME/shadowing/config. Unknown lines and comments are kept
 * when a key is set, and the file is replaced atomically. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/util.h"

#define CONFIG_MAX_BYTES (256u << 10)

char *sh_config_path(void)
{
    char *dir = sh_xdg_dir(SH_XDG_CONFIG);
    char *path = dir ? sh_asprintf("%s/config", dir) : NULL;
    free(dir);
    return path;
}

static bool valid_key(const char *k)
{
    if (!*k)
        return false;
    for (; *k; k++)
        if (!isalnum((unsigned char)*k) && *k != '_' && *k != '-' && *k != '.')
            return false;
    return true;
}

/* Does `line` (not NUL-terminated, length n) set `key`? Returns the value's
 * start or NULL. */
static const char *line_value(const char *line, size_t n, const char *key)
{
    while (n && isspace((unsigned char)*line)) {
        line++;
        n--;
    }
    size_t kl = strlen(key);
    if (n < kl || strncmp(line, key, kl) != 0)
        return NULL;
    const char *p = line + kl, *end = line + n;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || *p != '=')
        return NULL;
    p++;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

int sh_config_get(const char *key, char **value, sh_error *err)
{
    *value = NULL;
    char *path = sh_config_path();
    if (!path)
        return sh_error_set(err, SH_ERR_NOT_FOUND, "no config file (neither XDG_CONFIG_HOME nor HOME is set)");
    char *data = NULL;
    size_t len = 0;
    int rc = sh_read_file(path, CONFIG_MAX_BYTES, &data, &len, err);
    free(path);
    if (rc != SH_OK)
        return rc;
    rc = sh_error_set(err, SH_ERR_NOT_FOUND, "config: no key '%s'", key);
    for (char *line = data; line < data + len;) {
        char *nl = memchr(line, '\n', (size_t)(data + len - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(data + len - line);
        const char *v = line_value(line, n, key);
        if (v) {
            const char *e = line + n;
            while (e > v && isspace((unsigned char)e[-1]))
                e--;
            free(*value);
            *value = strndup(v, (size_t)(e - v));
            rc = *value ? SH_OK : sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        }
        line += n + 1;
    }
    free(data);
    return rc;
}

int sh_config_set(const char *key, const char *value, sh_error *err)
{
    if (!valid_key(key) || (value && strpbrk(value, "\n\r")))
        return sh_error_set(err, SH_ERR_INVALID, "config: bad key or value for '%s'", key);
    char *path = sh_config_path();
    if (!path)
        return sh_error_set(err, SH_ERR_INVALID, "cannot locate the config file: set HOME or XDG_CONFIG_HOME");
    char *dir = sh_path_dirname(path);
    char *data = NULL, *outbuf = NULL;
    size_t len = 0;
    int rc = dir ? sh_mkdir_p(dir, err) : sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    if (rc != SH_OK)
        goto done;
    rc = sh_read_file(path, CONFIG_MAX_BYTES, &data, &len, err);
    if (rc == SH_ERR_NOT_FOUND) {
        data = strdup("# shadowing settings (key=value)\n");
        len = data ? strlen(data) : 0;
        rc = data ? SH_OK : SH_ERR_NOMEM;
    }
    if (rc != SH_OK)
        goto done;
    size_t cap = len + strlen(key) + (value ? strlen(value) : 0) + 4;
    outbuf = malloc(cap);
    if (!outbuf) {
        rc = sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t o = 0;
    bool written = false;
    for (char *line = data; line < data + len;) {
        char *nl = memchr(line, '\n', (size_t)(data + len - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(data + len - line);
        if (line_value(line, n, key)) {
            if (value && !written)
                o += (size_t)sprintf(outbuf + o, "%s=%s\n", key, value);
            written = true;
        } else {
            memcpy(outbuf + o, line, n);
            o += n;
            outbuf[o++] = '\n';
        }
        line += n + 1;
    }
    if (value && !written)
        o += (size_t)sprintf(outbuf + o, "%s=%s\n", key, value);
    rc = sh_write_file_atomic(path, outbuf, o, err);
done:
    free(outbuf);
    free(data);
    free(dir);
    free(path);
    return rc;
}
