/* Where the history lives and how a lesson is recognised: the data folder
 * (XDG), the takes folder, the lesson's identity (SHA-256 of its content).
 * See include/shadowing/history.h. */
#include "shadowing/history.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

char *sh_history_data_dir(void)
{
    return sh_xdg_dir(SH_XDG_DATA);
}

char *sh_history_takes_dir(const char *lesson_hash)
{
    char *d = sh_history_data_dir();
    if (!d)
        return NULL;
    char *t = sh_asprintf("%s/takes/%.16s", d, lesson_hash);
    free(d);
    return t;
}

/* Feed up to `len` bytes of fd from `off` into the checksum. */
static int hash_range(GChecksum *ck, int fd, off_t off, size_t len)
{
    unsigned char buf[65536];
    while (len > 0) {
        size_t want = len < sizeof buf ? len : sizeof buf;
        ssize_t got = pread(fd, buf, want, off);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (got == 0)
            break;
        g_checksum_update(ck, buf, (gsize)got);
        off += got;
        len -= (size_t)got;
    }
    return 0;
}

int sh_lesson_identity(const char *lesson_path, const char *audio_path, char out[SH_LESSON_HASH_LEN],
                       sh_error *err)
{
    enum { MIB = 1 << 20 };
    int rc = SH_OK, fd = -1;
    GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
    if (!ck)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    g_checksum_update(ck, (const guchar *)"shadowing-lesson-1\n", 19);

    fd = open(lesson_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = sh_error_set(err, errno == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO, "%s: %s", lesson_path,
                          strerror(errno));
        goto out;
    }
    if (hash_range(ck, fd, 0, (size_t)-1 / 2) < 0) {
        rc = sh_error_set(err, SH_ERR_IO, "%s: %s", lesson_path, strerror(errno));
        goto out;
    }
    close(fd);
    fd = -1;

    if (audio_path && (fd = open(audio_path, O_RDONLY | O_CLOEXEC)) >= 0) {
        struct stat st;
        if (fstat(fd, &st) < 0) {
            rc = sh_error_set(err, SH_ERR_IO, "%s: %s", audio_path, strerror(errno));
            goto out;
        }
        char sz[32];
        int n = snprintf(sz, sizeof sz, "\n%lld\n", (long long)st.st_size);
        g_checksum_update(ck, (const guchar *)sz, (gssize)n);
        int r1 = hash_range(ck, fd, 0, MIB);
        int r2 = st.st_size > MIB ? hash_range(ck, fd, st.st_size - MIB, MIB) : 0;
        if (r1 < 0 || r2 < 0) {
            rc = sh_error_set(err, SH_ERR_IO, "%s: %s", audio_path, strerror(errno));
            goto out;
        }
    }
    snprintf(out, SH_LESSON_HASH_LEN, "%s", g_checksum_get_string(ck));
out:
    if (fd >= 0)
        close(fd);
    g_checksum_free(ck);
    return rc;
}
