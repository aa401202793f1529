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

#endif
