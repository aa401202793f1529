/* libFuzzer harness for the MP3 header parsers the decoder uses on its own
 * (src/decode/header.c and the frame walk of mp3index.c, pure): the ID3v2
 * tag size, the Layer III frame header, the Xing/Info test and the frame
 * walk that builds the seek index. Invariants: no crash or over-read on
 * any input; every walked frame lies inside the buffer and the frames
 * follow each other without a gap. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/header.h"
#include "decode/mp3index.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct walk {
    const unsigned char *buf;
    size_t n, next;
} walk;

static int on_frame(void *user, size_t at)
{
    walk *w = user;
    int spf, rate;
    if (at != w->next || at + 4 > w->n)
        abort();
    size_t len = sh_mp3_frame_length(w->buf + at, &spf, &rate);
    if (len < 4 || at + len > w->n)
        abort();
    w->next = at + len;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *p = malloc(size ? size : 1);
    if (!p)
        return 0;
    if (size)
        memcpy(p, data, size);
    size_t off = sh_id3v2_size(p, size);
    if (off < size && size - off >= 4) {
        int spf = 0, rate = 0;
        size_t len = sh_mp3_frame_length(p + off, &spf, &rate);
        if (len) {
            if (spf != 576 && spf != 1152)
                abort();
            if (rate < 8000 || rate > 48000)
                abort();
            (void)sh_mp3_is_xing_frame(p + off, size - off < len ? size - off : len);
            walk w = {p + off, size - off, 0};
            size_t used = 0;
            int rc = sh_mp3_walk(p + off, size - off, true, spf, rate, UINT64_MAX, &used, on_frame, &w);
            if (used != w.next || used > size - off || (rc != SH_MP3_MORE && rc != SH_MP3_END && rc != SH_MP3_BROKEN))
                abort();
        }
    }
    (void)sh_mp3_is_xing_frame(p, size);
    free(p);
    return 0;
}
