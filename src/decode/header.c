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

static bool mp3_duration(const unsigned char *p, size_t n, double *seconds)
{
    size_t off = 0;
    if (n >= 10 && memcmp(p, "ID3", 3) == 0) {
        size_t size = (size_t)(p[6] & 0x7f) << 21 | (size_t)(p[7] & 0x7f) << 14 | (size_t)(p[8] & 0x7f) << 7 |
                      (size_t)(p[9] & 0x7f);
        off = 10 + size + ((p[5] & 0x10) ? 10 : 0);
    }
    if (off + 4 > n || p[off] != 0xFF || (p[off + 1] & 0xE0) != 0xE0)
        return false;
    int version = (p[off + 1] >> 3) & 3; /* 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5 */
    int layer = (p[off + 1] >> 1) & 3;   /* 1 = Layer III */
    int rate_idx = (p[off + 2] >> 2) & 3;
    bool mono = ((p[off + 3] >> 6) & 3) == 3;
    if (version == 1 || layer != 1 || rate_idx == 3)
        return false;
    static const int rates[3] = {44100, 48000, 32000};
    int rate = rates[rate_idx] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
    int spf = version == 3 ? 1152 : 576;
    /* The Xing/Info header follows the side information. */
    size_t side = version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17);
    size_t x = off + 4 + side;
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
