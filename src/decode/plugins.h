/* Which Debian package provides the GStreamer element for a media type.
 * Internal to the decode module; pure (a static table), unit-tested. */
#ifndef SH_DECODE_PLUGINS_H
#define SH_DECODE_PLUGINS_H

#include <stdbool.h>

/* The Debian 12 (GStreamer 1.22) package(s) that decode or demultiplex a
 * stream of caps `caps_str` (a caps string such as "audio/mpeg,
 * mpegversion=(int)1, layer=(int)3", or a bare media type). Returns a static
 * string such as "gstreamer1.0-plugins-good", or NULL when the type is not
 * in the table. */
const char *sh_plugin_package_for_caps(const char *caps_str);

/* Whether a missing element for `caps_str` matters for audio decoding: true
 * for audio types and for containers that may hold audio, false for video,
 * image and subtitle codecs (we never decode those). */
bool sh_plugin_caps_relevant(const char *caps_str);

/* The caps part of a missing-plugin installer detail string
 * ("gstreamer|1.0|app|desc|decoder-audio/mpeg, mpegversion=(int)1"):
 * copies "audio/mpeg, mpegversion=(int)1" into buf (size n). Returns false
 * when the string has no such field. */
bool sh_plugin_detail_caps(const char *detail, char *buf, unsigned n);

#endif
