/* Sparse MP3 frame index (see mp3index.h). */
#include "decode/mp3index.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/header.h"

#define CHUNK (256 * 1024)

static bool add_frame(sh_mp3_index *ix, uint64_t off)
{
    if (ix->frames < SH_MP3_HEAD)
        ix->head[ix->head_n++] = off;
    if (ix->frames % SH_MP3_STRIDE == 0) {
        if (ix->n == ix->cap) {
            size_t cap = ix->cap ? ix->cap * 2 : 1024;
            uint64_t *p = realloc(ix->offsets, cap * sizeof *p);
            if (!p)
                return false;
            ix->offsets = p;
            ix->cap = cap;
        }
        ix->offsets[ix->n++] = off;
    }
    ix->frames++;
    return true;
}

bool sh_mp3_index_open(sh_mp3_index *ix, const char *path)
{
    memset(ix, 0, sizeof *ix);
    ix->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (ix->fd < 0)
        return false;
    unsigned char head[4096];
    ssize_t got = pread(ix->fd, head, sizeof head, 0);
    if (got < 10)
        goto fail;
    size_t off = sh_id3v2_size(head, (size_t)got);
    unsigned char h[4096];
    got = pread(ix->fd, h, sizeof h, (off_t)off);
    if (got < 4)
        goto fail;
    size_t len = sh_mp3_frame_length(h, &ix->spf, &ix->rate);
    /* The first frame must follow the tag directly and be followed by
     * another one: otherwise leave the file to GStreamer alone. */
    if (!len)
        goto fail;
    ix->xing = sh_mp3_is_xing_frame(h, (size_t)got < len ? (size_t)got : len);
    ix->pos = off;
    return true;
fail:
    close(ix->fd);
    ix->fd = -1;
    return false;
}

int sh_mp3_walk(const unsigned char *buf, size_t n, bool last, int spf, int rate, uint64_t max_frames,
                size_t *used, int (*on_frame)(void *user, size_t at), void *user)
{
    size_t at = 0;
    int rc = SH_MP3_MORE;
    uint64_t seen = 0;
    while (at + 4 <= n && seen < max_frames) {
        int f_spf = 0, f_rate = 0;
        size_t len = sh_mp3_frame_length(buf + at, &f_spf, &f_rate);
        if (!len) {
            /* Tags at the end (ID3v1, APE, Lyrics3) end the audio;
             * anything else means junk that GStreamer would resync
             * over differently: give up on the index. */
            if (memcmp(buf + at, "TAG", 3) == 0 || memcmp(buf + at, "APET", 4) == 0 ||
                memcmp(buf + at, "LYRI", 4) == 0) {
                rc = SH_MP3_END;
                break;
            }
            rc = SH_MP3_BROKEN;
            break;
        }
        if (f_spf != spf || f_rate != rate) {
            rc = SH_MP3_BROKEN;
            break;
        }
        if (at + len > n) {
            if (last) /* a cut last frame: the end */
                rc = SH_MP3_END;
            break;
        }
        if (on_frame && on_frame(user, at) != 0) {
            rc = SH_MP3_BROKEN;
            break;
        }
        seen++;
        at += len;
    }
    if (rc == SH_MP3_MORE && last && at + 4 > n)
        rc = SH_MP3_END; /* fewer than 4 bytes left: nothing more */
    *used = at;
    return rc;
}

typedef struct walk_ctx {
    sh_mp3_index *ix;
    uint64_t base;
} walk_ctx;

static int index_frame(void *user, size_t at)
{
    walk_ctx *w = user;
    return add_frame(w->ix, w->base + at) ? 0 : -1;
}

bool sh_mp3_index_extend(sh_mp3_index *ix, uint64_t frames)
{
    if (ix->broken)
        return false;
    unsigned char *buf = NULL;
    while (!ix->done && ix->frames < frames) {
        if (!buf && !(buf = malloc(CHUNK)))
            goto broken;
        ssize_t got = pread(ix->fd, buf, CHUNK, (off_t)ix->pos);
        if (got < 4) {
            ix->done = true;
            break;
        }
        walk_ctx w = {ix, ix->pos};
        size_t at = 0;
        int rc = sh_mp3_walk(buf, (size_t)got, got < CHUNK, ix->spf, ix->rate, frames - ix->frames, &at,
                             index_frame, &w);
        if (rc == SH_MP3_BROKEN)
            goto broken;
        if (rc == SH_MP3_END)
            ix->done = true;
        ix->pos += at;
        if (at == 0 && !ix->done)
            goto broken; /* a frame larger than a chunk */
    }
    free(buf);
    return true;
broken:
    free(buf);
    ix->broken = true;
    return false;
}

bool sh_mp3_index_offset(const sh_mp3_index *ix, uint64_t j, uint64_t *offset)
{
    if (j >= ix->frames)
        return false;
    uint64_t off = ix->offsets[j / SH_MP3_STRIDE];
    unsigned steps = (unsigned)(j % SH_MP3_STRIDE);
    if (steps == 0) {
        *offset = off;
        return true;
    }
    /* Layer III frames are at most 1441 bytes (320 kbit/s at 32 kHz). */
    unsigned char buf[SH_MP3_STRIDE * 1448];
    ssize_t got = pread(ix->fd, buf, sizeof buf, (off_t)off);
    size_t at = 0;
    for (unsigned i = 0; i < steps; i++) {
        int spf, rate;
        if (got < 0 || at + 4 > (size_t)got)
            return false;
        size_t len = sh_mp3_frame_length(buf + at, &spf, &rate);
        if (!len)
            return false;
        at += len;
    }
    *offset = off + at;
    return true;
}

void sh_mp3_index_close(sh_mp3_index *ix)
{
    if (ix->fd >= 0)
        close(ix->fd);
    ix->fd = -1;
    free(ix->offsets);
    ix->offsets = NULL;
}
