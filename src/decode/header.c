/* Declared durations of WAV and MP3 files (see header.h). GStreamer itself
 * reports a WAV's duration from the bytes actually present, and a CBR MP3's
 * from the file size, so neither notices a truncated copy; the header still
 * says how long the file was meant to be. */
#include "decode/header.h"

#include <stdint.h>
#include <stdio.h>
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
    if (len < 4)
        return false;
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

/* ---- impossible WAV headers ---------------------------------------------- */

#define WAVE_PCM 1
#define WAVE_FLOAT 3
#define WAVE_EXTENSIBLE 0xFFFEu

/* Say why (when asked) and return true. */
#define PROBLEM(...) ((why && size ? (void)snprintf(why, size, __VA_ARGS__) : (void)0), true)

bool sh_wav_header_problem(const unsigned char *p, size_t n, char *why, size_t size)
{
    if (why && size)
        why[0] = '\0';
    if (!p || n < 12 || (memcmp(p, "RIFF", 4) != 0 && memcmp(p, "RF64", 4) != 0 && memcmp(p, "BW64", 4) != 0) ||
        memcmp(p + 8, "WAVE", 4) != 0)
        return false;
    size_t off = 12;
    while (off + 8 <= n) {
        uint32_t csize = le32(p + off + 4);
        if (memcmp(p + off, "fmt ", 4) == 0) {
            if (csize < 16)
                return PROBLEM("its \"fmt \" chunk is %u bytes long (at least 16 are needed)", (unsigned)csize);
            if (off + 8 + 16 > n)
                return false; /* cut inside our look-ahead: GStreamer decides */
            const unsigned char *f = p + off + 8;
            unsigned tag = le16(f), channels = le16(f + 2), align = le16(f + 12), bits = le16(f + 14);
            uint32_t rate = le32(f + 4), byte_rate = le32(f + 8);
            if (tag == WAVE_EXTENSIBLE && csize >= 40 && off + 8 + 26 <= n)
                tag = le16(f + 24); /* the sub-format GUID starts with the plain tag */
            if (channels == 0 || channels > SH_WAV_MAX_CHANNELS)
                return PROBLEM("it claims %u channels (1 to " SH_STR(SH_WAV_MAX_CHANNELS) " are possible)",
                               channels);
            if (rate < SH_WAV_MIN_RATE || rate > SH_WAV_MAX_RATE)
                return PROBLEM("it claims a sample rate of %u Hz (" SH_STR(SH_WAV_MIN_RATE) " to " SH_STR(
                                   SH_WAV_MAX_RATE) " Hz are possible)",
                               (unsigned)rate);
            if (align == 0)
                return PROBLEM("it claims a block size of %u bytes", align);
            if (byte_rate == 0)
                return PROBLEM("it claims %u bytes per second", (unsigned)byte_rate);
            if (tag == WAVE_PCM || tag == WAVE_FLOAT) {
                if (bits == 0 || bits > 64)
                    return PROBLEM("it claims %u bits per sample (1 to 64 are possible)", bits);
                if (align != channels * ((bits + 7u) / 8u))
                    return PROBLEM("its block size (%u bytes) does not match its %u channel(s) of %u bits", align,
                                   channels, bits);
            }
            return false;
        }
        if (memcmp(p + off, "data", 4) == 0)
            return PROBLEM("its audio data comes before the \"fmt \" chunk that describes it");
        size_t next = off + 8 + (size_t)csize + (csize & 1);
        if (next <= off)
            return false;
        off = next;
    }
    return false;
}

/* ---- a damaged first Ogg page ---------------------------------------------- */

/* The Ogg page checksum: CRC-32, polynomial 0x04C11DB7, no reflection,
 * initial value 0, computed with the checksum field as zeros. */
static uint32_t ogg_crc(const unsigned char *p, size_t n)
{
    uint32_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (i >= 22 && i < 26) ? 0 : p[i];
        crc ^= (uint32_t)b << 24;
        for (int k = 0; k < 8; k++)
            crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
    }
    return crc;
}

bool sh_ogg_header_problem(const unsigned char *p, size_t n, char *why, size_t size)
{
    if (why && size)
        why[0] = '\0';
    if (!p || n < 27 || memcmp(p, "OggS", 4) != 0)
        return false;
    if (p[4] != 0)
        return PROBLEM("its first page has version %u (only 0 exists)", (unsigned)p[4]);
    if (!(p[5] & 0x02))
        return PROBLEM("its first page does not begin a stream");
    size_t segs = p[26], len = 27 + segs;
    if (len > n)
        return false; /* longer than our look-ahead: GStreamer decides */
    for (size_t i = 0; i < segs; i++)
        len += p[27 + i];
    if (len > n)
        return false;
    if (ogg_crc(p, len) != le32(p + 22))
        return PROBLEM("its first page is corrupt (wrong checksum)");
    return false;
}

/* ---- what a file that is not audio looks like ------------------------------ */

static bool starts(const unsigned char *p, size_t n, const char *magic, size_t len)
{
    return n >= len && memcmp(p, magic, len) == 0;
}

/* Mostly printable text (ASCII or UTF-8, also UTF-16 with a BOM). */
static bool looks_like_text(const unsigned char *p, size_t n)
{
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return true;
    if (n == 0)
        return false;
    size_t bad = 0, m = n < 4096 ? n : 4096;
    for (size_t i = 0; i < m; i++) {
        unsigned char c = p[i];
        if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b))
            bad++;
    }
    return bad * 100 <= m; /* at most 1% control bytes */
}

const char *sh_sniff_kind(const unsigned char *p, size_t n)
{
    if (!p)
        return NULL;
    static const struct {
        const char *magic;
        size_t len;
        const char *kind;
    } known[] = {
        {"PK\3\4", 4, "a ZIP archive (or a .docx, .xlsx, .epub document)"},
        {"%PDF", 4, "a PDF document"},
        {"\x89PNG", 4, "a PNG image"},
        {"\xFF\xD8\xFF", 3, "a JPEG image"},
        {"GIF8", 4, "a GIF image"},
        {"\x1F\x8B", 2, "a gzip archive"},
        {"BZh", 3, "a bzip2 archive"},
        {"\xFD" "7zXZ", 5, "an xz archive"},
        {"7z\xBC\xAF", 4, "a 7-Zip archive"},
        {"Rar!", 4, "a RAR archive"},
        {"\x7F" "ELF", 4, "a program (ELF)"},
        {"SQLite format 3", 15, "an SQLite database"},
        {"OggS", 4, "a damaged or unusual Ogg file"},
        {"fLaC", 4, "a damaged FLAC file"},
        {"ID3", 3, "a damaged MP3 file (an ID3 tag)"},
        {"FORM", 4, "an AIFF/IFF file"},
        {"\x1A\x45\xDF\xA3", 4, "a damaged Matroska/WebM file"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (starts(p, n, known[i].magic, known[i].len))
            return known[i].kind;
    if (n >= 12 && starts(p, n, "RIFF", 4))
        return memcmp(p + 8, "WAVE", 4) == 0 ? "a damaged WAV file" : "a RIFF file that is not a WAV";
    if (n >= 8 && memcmp(p + 4, "ftyp", 4) == 0)
        return "a damaged MP4/M4A file";
    size_t z = 0, m = n < 4096 ? n : 4096;
    while (z < m && p[z] == 0)
        z++;
    if (m >= 16 && z == m)
        return "nothing but zero bytes (an unfinished download or copy?)";
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (n - i >= 5 && (memcmp(p + i, "<!DOC", 5) == 0 || memcmp(p + i, "<html", 5) == 0 ||
                       memcmp(p + i, "<HTML", 5) == 0))
        return "an HTML page (a web page saved instead of its audio?)";
    if (!looks_like_text(p, n))
        return NULL;
    if (i < n && (p[i] == '{' || p[i] == '['))
        return "JSON text (a lesson file?)";
    if (n - i >= 6 && memcmp(p + i, "WEBVTT", 6) == 0)
        return "WebVTT subtitles";
    if (i < n && p[i] == '<')
        return "XML or HTML text";
    return "text";
}
