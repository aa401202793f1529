/* The duration an audio file's header declares, read from its first bytes,
 * so that a truncated file can be told from a short one. Internal; pure. */
#ifndef SH_DECODE_HEADER_H
#define SH_DECODE_HEADER_H

#include <stdbool.h>
#include <stddef.h>

/* `p` holds the first `n` bytes of a file. Understands WAV (RIFF "data"
 * chunk size over the "fmt " block size and rate) and MP3 (frame count of a
 * Xing/Info header, after an optional ID3v2 tag). Returns true and the
 * declared seconds; false when the header declares nothing usable (other
 * formats, streaming WAVs with a 0 or 0xFFFFFFFF size, MP3s without a
 * Xing/Info frame). */
bool sh_header_declared_duration(const unsigned char *p, size_t n, double *seconds);

/* MPEG audio Layer III frame header at p[0..3]: returns the frame length in
 * bytes (0 when p is not a valid header) and sets *spf (samples per frame)
 * and *rate. */
size_t sh_mp3_frame_length(const unsigned char *p, int *spf, int *rate);

/* Size of a leading ID3v2 tag (0 when there is none; needs n >= 10). */
size_t sh_id3v2_size(const unsigned char *p, size_t n);

/* Whether the frame at p (length len) is a Xing/Info header frame, which
 * decoders drop (it carries no audio). */
bool sh_mp3_is_xing_frame(const unsigned char *p, size_t len);

#endif
