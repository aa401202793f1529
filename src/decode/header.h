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

/* Limits of a WAV header we hand to GStreamer: beyond them the header is
 * damaged (GStreamer 1.22's wavparse stalls on a rate of 0xFFFFFFFF and
 * fails vaguely on the rest). 768 kHz is also the decoder's highest output
 * rate; 64 channels GStreamer's own limit. */
#define SH_WAV_MIN_RATE 1000
#define SH_WAV_MAX_RATE 768000
#define SH_WAV_MAX_CHANNELS 64
#define SH_STR_(x) #x
#define SH_STR(x) SH_STR_(x)

/* `p` holds the first `n` bytes of a file. True when it is a WAV (RIFF,
 * RF64 or BW64) whose "fmt " chunk is impossible: channels, rate, block
 * size, byte rate or bits per sample out of range or inconsistent (for PCM
 * and float), or data before the format. `why` (size bytes, may be NULL)
 * then says which value, as "it claims a sample rate of 4294967295 Hz
 * (1000 to 768000 Hz are possible)". False for a sound header, another
 * format, or a header longer than n. */
bool sh_wav_header_problem(const unsigned char *p, size_t n, char *why, size_t size);

/* `p` holds the first `n` bytes of a file. True when it is an Ogg stream
 * whose first page is damaged: a version other than 0, no beginning of a
 * stream, or a wrong checksum (GStreamer 1.22's oggdemux sometimes waits
 * for ever on such a file instead of failing). `why` as above. False for
 * a sound first page, another format, or a page longer than n. */
bool sh_ogg_header_problem(const unsigned char *p, size_t n, char *why, size_t size);

/* What the first `n` bytes of a file that GStreamer does not read look
 * like: "text", "a PDF document", "a damaged Ogg file"...; NULL when
 * nothing is recognised. A static string. */
const char *sh_sniff_kind(const unsigned char *p, size_t n);

/* Whether the frame at p (length len) is a Xing/Info header frame, which
 * decoders drop (it carries no audio). */
bool sh_mp3_is_xing_frame(const unsigned char *p, size_t len);

#endif
