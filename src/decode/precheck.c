/* What is checked before a GStreamer pipeline starts on a file (see
 * decoder_internal.h): the kind of file, and the header values that make
 * GStreamer stall or fail without saying why. Every error names the file
 * and says what to do. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode/decoder_internal.h"
#include "decode/header.h"

/* Enough for a WAV's "fmt " chunk after a LIST/bext chunk or two, and for
 * the start of an ID3 tag. */
#define HEAD_BYTES 65536

static int missing(const char *path, sh_error *err)
{
    /* A dangling symbolic link: say where it points. */
    struct stat lst;
    char target[PATH_MAX];
    ssize_t len;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) &&
        (len = readlink(path, target, sizeof target - 1)) > 0) {
        target[len] = '\0';
        return sh_error_set(err, SH_ERR_NOT_FOUND,
                            "%s: a symbolic link to %s, which does not exist: fix the link or give the audio "
                            "file itself",
                            path, target);
    }
    return sh_error_set(err, SH_ERR_NOT_FOUND, "%s: no such file", path);
}

static int not_a_file(const char *path, const struct stat *st, sh_error *err)
{
    if (S_ISDIR(st->st_mode))
        return sh_error_set(err, SH_ERR_NOT_AUDIO,
                            "%s: a folder, not an audio file: give a WAV, FLAC, Ogg or MP3 file inside it", path);
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        return sh_error_set(err, SH_ERR_NOT_AUDIO,
                            "%s: a device, not a file: record into a file first, or give a WAV, FLAC, Ogg or "
                            "MP3 file",
                            path);
    if (S_ISFIFO(st->st_mode))
        return sh_error_set(err, SH_ERR_NOT_AUDIO,
                            "%s: a named pipe (FIFO), not a file: audio is read with seeks, so save it into a "
                            "file first and give that",
                            path);
    if (S_ISSOCK(st->st_mode))
        return sh_error_set(err, SH_ERR_NOT_AUDIO, "%s: a socket, not a file: give a WAV, FLAC, Ogg or MP3 file",
                            path);
    return sh_error_set(err, SH_ERR_NOT_AUDIO, "%s: not a regular file: give a WAV, FLAC, Ogg or MP3 file", path);
}

int sh_decode_precheck(const char *path, unsigned long long *size, sh_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        if (e == ENOENT)
            return missing(path, err);
        if (e == ENOTDIR)
            return sh_error_set(err, SH_ERR_NOT_FOUND, "%s: no such file (a part of the path is not a folder)",
                                path);
        if (e == ELOOP)
            return sh_error_set(err, SH_ERR_NOT_FOUND,
                                "%s: too many levels of symbolic links (a link that points back to itself?): "
                                "fix the link (ls -l shows where it points)",
                                path);
        if (e == EACCES)
            return sh_error_set(err, SH_ERR_IO, "%s: permission denied: make it readable (chmod a+r)", path);
        return sh_error_set(err, SH_ERR_IO, "%s: cannot reach the file: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode))
        return not_a_file(path, &st, err);
    /* O_NONBLOCK: in case it turned into a FIFO since the stat. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        if (e == EACCES)
            return sh_error_set(err, SH_ERR_IO, "%s: permission denied: make it readable (chmod a+r)", path);
        return sh_error_set(err, SH_ERR_IO, "%s: cannot read the file: %s", path, strerror(e));
    }
    unsigned char *head = malloc(HEAD_BYTES);
    if (!head) {
        close(fd);
        return sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory", path);
    }
    ssize_t got = read(fd, head, HEAD_BYTES);
    int e = errno;
    close(fd);
    int rc = SH_OK;
    char why[200];
    if (got < 0) {
        rc = e == EISDIR ? sh_error_set(err, SH_ERR_NOT_AUDIO, "%s: a folder, not an audio file", path)
                         : sh_error_set(err, SH_ERR_IO, "%s: cannot read the file: %s", path, strerror(e));
    } else if (st.st_size == 0 && got > 0) {
        /* /proc, /sys: a size of 0 but something to read. */
        rc = sh_error_set(err, SH_ERR_NOT_AUDIO,
                          "%s: a system file with no fixed size (like those under /proc), not an audio file: "
                          "give a WAV, FLAC, Ogg or MP3 file",
                          path);
    } else if (got == 0) {
        rc = sh_error_set(err, SH_ERR_NOT_AUDIO, "%s: the file is empty (0 bytes): record or copy it again", path);
    } else if (sh_wav_header_problem(head, (size_t)got, why, sizeof why)) {
        rc = sh_error_set(err, SH_ERR_FORMAT,
                          "%s: a damaged WAV header: %s: record or export the file again",
                          path, why);
    } else if (sh_ogg_header_problem(head, (size_t)got, why, sizeof why)) {
        rc = sh_error_set(err, SH_ERR_FORMAT, "%s: a damaged Ogg file: %s: get a good copy, or export it again", path,
                          why);
    } else if (got >= 10 && memcmp(head, "ID3", 3) == 0 && sh_id3v2_size(head, (size_t)got) > (size_t)st.st_size) {
        rc = sh_error_set(err, SH_ERR_FORMAT,
                          "%s: its ID3 tag claims %zu bytes, more than the whole file (%lld bytes): the file is "
                          "cut short or damaged; download or copy it again",
                          path, sh_id3v2_size(head, (size_t)got), (long long)st.st_size);
    }
    free(head);
    if (rc == SH_OK && size)
        *size = (unsigned long long)st.st_size;
    return rc;
}

const char *sh_decode_sniff(const char *path)
{
    unsigned char head[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    ssize_t got = read(fd, head, sizeof head);
    close(fd);
    return got > 0 ? sh_sniff_kind(head, (size_t)got) : NULL;
}
