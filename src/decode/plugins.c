/* Media type -> Debian package that provides its GStreamer decoder or
 * demuxer, so that a "missing plugin" error can say what to install.
 *
 * Checked against Debian 12 (bookworm, GStreamer 1.22): `dpkg -S` for the
 * installed plugin files and the Gstreamer-Decoders field of
 * `apt-cache show gstreamer1.0-{plugins-base,plugins-good,plugins-ugly,
 * plugins-bad,libav}`. Notes: mpg123audiodec (MP3) moved from -ugly to -good
 * in GStreamer 1.18; "audio/mpeg" with mpegversion 2 or 4 is AAC, which only
 * -libav (avdec_aac) or -bad (faad) decode; asfdemux (WMA files) is in
 * -ugly but the WMA codec itself needs -libav. */
#include "decode/plugins.h"

#include <stdlib.h>
#include <string.h>

#define BASE "gstreamer1.0-plugins-base"
#define GOOD "gstreamer1.0-plugins-good"
#define UGLY "gstreamer1.0-plugins-ugly"
#define BAD "gstreamer1.0-plugins-bad"
#define LIBAV "gstreamer1.0-libav"

typedef struct entry {
    const char *type; /* media type (the caps structure name) */
    int mpegversion;  /* for audio/mpeg only; 0 = any */
    const char *package;
} entry;

static const entry table[] = {
    /* audio codecs */
    {"audio/mpeg", 1, GOOD}, /* MP1/MP2/MP3: mpg123audiodec */
    {"audio/mpeg", 2, LIBAV}, /* AAC: avdec_aac (faad is in -bad) */
    {"audio/mpeg", 4, LIBAV},
    {"audio/x-vorbis", 0, BASE},
    {"audio/x-opus", 0, BASE},
    {"audio/x-flac", 0, GOOD},
    {"audio/x-speex", 0, GOOD},
    {"audio/x-wavpack", 0, GOOD},
    {"audio/x-alaw", 0, GOOD},
    {"audio/x-mulaw", 0, GOOD},
    {"audio/x-wma", 0, LIBAV},
    {"audio/x-alac", 0, LIBAV},
    {"audio/x-ape", 0, LIBAV},
    {"audio/x-ffmpeg-parsed-ape", 0, LIBAV},
    {"audio/x-tta", 0, LIBAV},
    {"audio/x-adpcm", 0, LIBAV},
    {"audio/x-eac3", 0, LIBAV},
    {"audio/x-dts", 0, LIBAV},
    {"audio/x-true-hd", 0, LIBAV},
    {"audio/x-musepack", 0, LIBAV},
    {"audio/x-ac3", 0, LIBAV " or " UGLY},
    {"audio/ac3", 0, LIBAV " or " UGLY},
    {"audio/AMR", 0, UGLY},
    {"audio/AMR-WB", 0, UGLY},
    {"audio/x-gsm", 0, BAD},
    {"audio/ms-gsm", 0, BAD},
    {"audio/x-sbc", 0, BAD},
    /* containers */
    {"application/ogg", 0, BASE},
    {"audio/ogg", 0, BASE},
    {"audio/x-wav", 0, GOOD},
    {"audio/x-rf64", 0, GOOD},
    {"audio/x-au", 0, GOOD},
    {"application/x-id3", 0, GOOD},
    {"application/x-apetag", 0, GOOD},
    {"audio/x-m4a", 0, GOOD},
    {"application/x-3gp", 0, GOOD},
    {"video/quicktime", 0, GOOD},
    {"audio/x-matroska", 0, GOOD},
    {"video/x-matroska", 0, GOOD},
    {"audio/webm", 0, GOOD},
    {"video/webm", 0, GOOD},
    {"video/x-msvideo", 0, GOOD},
    {"video/x-flv", 0, GOOD},
    {"video/x-ms-asf", 0, UGLY " and " LIBAV},
    {"audio/x-aiff", 0, BAD},
    {"audio/x-w64", 0, BAD},
    {"video/mpegts", 0, BAD},
};

/* Copy the media type (up to the first ',' or blank) of a caps string. */
static void media_type(const char *caps, char *buf, size_t n)
{
    size_t i = 0;
    while (caps[i] && caps[i] != ',' && caps[i] != ' ' && caps[i] != ';' && i + 1 < n) {
        buf[i] = caps[i];
        i++;
    }
    buf[i] = '\0';
}

static int mpegversion(const char *caps)
{
    const char *p = strstr(caps, "mpegversion=");
    if (!p)
        return 0;
    p += strlen("mpegversion=");
    if (strncmp(p, "(int)", 5) == 0)
        p += 5;
    return atoi(p);
}

const char *sh_plugin_package_for_caps(const char *caps_str)
{
    if (!caps_str)
        return NULL;
    char type[128];
    media_type(caps_str, type, sizeof type);
    int mv = mpegversion(caps_str);
    /* MPEG program streams (video/mpeg, systemstream=true): mpegpsdemux. */
    if (strcmp(type, "video/mpeg") == 0 && strstr(caps_str, "systemstream=(boolean)true"))
        return BAD;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(table[i].type, type) != 0)
            continue;
        if (table[i].mpegversion && mv && table[i].mpegversion != mv)
            continue;
        return table[i].package;
    }
    return NULL;
}

bool sh_plugin_caps_relevant(const char *caps_str)
{
    if (!caps_str)
        return false;
    if (strncmp(caps_str, "audio/", 6) == 0)
        return true;
    /* Containers are in the table; video/image/subtitle codecs are not. */
    return sh_plugin_package_for_caps(caps_str) != NULL;
}

bool sh_plugin_detail_caps(const char *detail, char *buf, unsigned n)
{
    if (!detail || n == 0)
        return false;
    /* gstreamer|1.0|APP|DESCRIPTION|TYPE-CAPS: the fifth field. The
     * description may not contain '|' (the format forbids it). */
    const char *p = detail;
    for (int field = 0; field < 4; field++) {
        p = strchr(p, '|');
        if (!p)
            return false;
        p++;
    }
    const char *dash = strchr(p, '-');
    if (!dash)
        return false;
    size_t prefix = (size_t)(dash - p);
    /* "decoder-CAPS" (a demuxer or decoder for CAPS); "element-NAME" and
     * "urisource-PROTOCOL" do not name a media type. */
    if (!(prefix == 7 && strncmp(p, "decoder", 7) == 0))
        return false;
    p = dash + 1;
    size_t len = strlen(p);
    if (len >= n)
        len = n - 1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return len > 0;
}
