/* Declared durations of WAV and MP3 files (see header.h). GStreamer itself
 * reports a WAV's duration from the bytes actually present, and a CBR MP3's
 * from the file size, so neither notices a truncated copy; the header still
 * says how long the file was meant to be. */
#include "decode/header.h"

#include <stdint.h>
#include <string.h>

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static bool wav_duration(const unsigned char *p, size_t n, double *seconds)
{
    if (n < 12 || memcmp(p, "RIFF", 4) != 0 || memcmp(p + 8, "WAVE", 4) != 0)
        return false;
    uint32_t rate = 0, block = 0;
    size_t off = 12;
    while (off + 8 <= n) {
        uint32_t size = le32(p + off + 4);
        if (memcmp(p + off, "fmt ", 4) == 0 && size >= 16 && off + 8 + 16 <= n) {
            rate = le32(p + off + 8 + 4);
            block = le16(p + off + 8 + 12);
        } else if (memcmp(p + off, "data", 4) == 0) {
            if (!rate || !block || size == 0 || size == 0xFFFFFFFFu)
                return false;
            *seconds = (double)(size / block) / rate;
            return true;
        }
        size_t next = off + 8 + (size_t)size + (size & 1);
        if (next <= off)
            return false;
        off = next;
    }
    return false;
}

size_t sh_id3v2_size(const unsigned char *p, size_t n)
{
    if (n < 10 || memcmp(p, "ID3", 3) != 0)
        return 0;
    size_t size = (size_t)(p[6] & 0x7f) << 21 | (size_t)(p[7] & 0x7f) << 14 | (size_t)(p[8] & 0x7f) << 7 |
                  (size_t)(p[9] & 0x7f);
    return 10 + size + ((p[5] & 0x10) ? 10 : 0);
}

size_t sh_mp3_frame_length(const unsigned char *p, int *spf, int *rate)
{
    static const int rates[3] = {44100, 48000, 32000};
    static const int kbps_v1[15] = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    static const int kbps_v2[15] = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
    if (p[0] != 0xFF || (p[1] & 0xE0) != 0xE0)
        return 0;
    int version = (p[1] >> 3) & 3; /* 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5 */
    int layer = (p[1] >> 1) & 3;   /* 1 = Layer III */
    int br_idx = (p[2] >> 4) & 15, rate_idx = (p[2] >> 2) & 3, pad = (p[2] >> 1) & 1;
    if (version == 1 || layer != 1 || br_idx == 0 || br_idx == 15 || rate_idx == 3)
        return 0;
    int r = rates[rate_idx] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
    int kbps = version == 3 ? kbps_v1[br_idx] : kbps_v2[br_idx];
    *rate = r;
    *spf = version == 3 ? 1152 : 576;
    return (size_t)((version == 3 ? 144000 : 72000) * kbps / r + pad);
}

/* Offset of the Xing/Info tag inside a Layer III frame: after the side
 * information. */
static size_t xing_offset(const unsigned char *p)
{
    int version = (p[1] >> 3) & 3;
    bool mono = ((p[3] >> 6) & 3) == 3;
    return 4 + (version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17));
}

bool sh_mp3_is_xing_frame(const unsigned char *p, size_t len)
{
    size_t x = xing_offset(p);
    return x + 4 <= len && (memcmp(p + x, "Xing", 4) == 0 || memcmp(p + x, "Info", 4) == 0);
}

static bool mp3_duration(const unsigned char *p, size_t n, double *seconds)
{
    size_t off = sh_id3v2_size(p, n);
    int spf = 0, rate = 0;
    if (off + 4 > n || !sh_mp3_frame_length(p + off, &spf, &rate))
        return false;
    size_t x = off + xing_offset(p + off);
    if (x + 12 > n || (memcmp(p + x, "Xing", 4) != 0 && memcmp(p + x, "Info", 4) != 0))
        return false;
    uint32_t flags = be32(p + x + 4);
    if (!(flags & 1))
        return false;
    uint32_t frames = be32(p + x + 8);
    if (frames == 0)
        return false;
    *seconds = (double)frames * spf / rate;
    return true;
}

bool sh_header_declared_duration(const unsigned char *p, size_t n, double *seconds)
{
    if (!p || !seconds)
        return false;
    return wav_duration(p, n, seconds) || mp3_duration(p, n, seconds);
}
