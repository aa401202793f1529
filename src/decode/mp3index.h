/* A sparse, exact frame index of an MP3 file, built by walking the frame
 * headers (no decoding). Internal to the decode module.
 *
 * Why: GStreamer's mpegaudioparse can only make an accurate seek from its
 * own index, which it builds while playing; before that it parses every
 * frame from the start of the file through the GStreamer machinery (0.2 s
 * CPU to reach the middle of an hour). Walking the headers here costs a few
 * milliseconds per hour of audio, and the decoder hands the parser an index
 * entry just before each seek (see decoder.c). */
#ifndef SH_DECODE_MP3INDEX_H
#define SH_DECODE_MP3INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SH_MP3_STRIDE 16 /* frames between stored offsets (~0.4 s) */
#define SH_MP3_HEAD 16   /* offsets of the first frames, kept for calibration */

typedef struct sh_mp3_index {
    int fd;
    uint64_t pos;          /* file offset of the next frame to scan */
    uint64_t frames;       /* frames scanned so far (a Xing frame included) */
    uint64_t *offsets;     /* offsets[i]: file offset of frame i * SH_MP3_STRIDE */
    size_t n, cap;
    uint64_t head[SH_MP3_HEAD]; /* offsets of frames 0.. (head_n of them) */
    size_t head_n;
    int spf, rate;         /* samples per frame, sample rate (constant) */
    bool xing;             /* frame 0 is a Xing/Info frame (no audio) */
    bool done;             /* reached the end of the audio frames */
    bool broken;           /* something unexpected: do not use */
} sh_mp3_index;

/* The frame walk itself, pure (no I/O; fuzzed): walks the Layer III frames
 * of buf[0..n) from its start, calling on_frame(user, offset) (may be
 * NULL) for each whole frame, at most max_frames of them; every frame must
 * have `spf` samples at `rate` Hz. `last`: buf ends where the file does.
 * *used receives the bytes walked. Returns SH_MP3_MORE (read on from
 * *used), SH_MP3_END (the audio ended: a trailing tag, a cut last frame of
 * the file) or SH_MP3_BROKEN (not a frame, a change of format, or on_frame
 * returned non-zero). */
enum { SH_MP3_MORE = 0, SH_MP3_END = 1, SH_MP3_BROKEN = -1 };
int sh_mp3_walk(const unsigned char *buf, size_t n, bool last, int spf, int rate, uint64_t max_frames,
                size_t *used, int (*on_frame)(void *user, size_t at), void *user);

/* Open `path` and find its first frame. Returns false (and leaves nothing
 * to free) when it is not a plain Layer III stream. */
bool sh_mp3_index_open(sh_mp3_index *ix, const char *path);
/* Scan until at least `frames` frames are known or the end. Returns false
 * when the index turned out unusable (garbage between frames, a change of
 * rate or layer). */
bool sh_mp3_index_extend(sh_mp3_index *ix, uint64_t frames);
/* File offset of frame j (< frames): from the stored offset before it,
 * walking at most SH_MP3_STRIDE - 1 headers. False on a read error. */
bool sh_mp3_index_offset(const sh_mp3_index *ix, uint64_t j, uint64_t *offset);
void sh_mp3_index_close(sh_mp3_index *ix);

#endif
