/* Why a file could not be opened or decoded, in one line that says what to
 * do (see decoder_internal.h), and the watch that gives up on a pipeline
 * that makes no progress. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <gst/gst.h>

#include "decode/decoder_internal.h"
#include "decode/plugins.h"

/* ---------------------------------------------------------------- stalls */

static double cpu_seconds(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t) != 0)
        return 0;
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void sh_stall_start(sh_stall_watch *w, double idle_limit)
{
    w->idle_limit = idle_limit;
    w->idle_since = w->busy_since = g_get_monotonic_time();
    w->cpu = cpu_seconds();
}

double sh_stall_check(sh_stall_watch *w, bool progressed)
{
    gint64 now = g_get_monotonic_time();
    double cpu = cpu_seconds();
    bool busy = cpu - w->cpu > SH_BUSY_CPU_S;
    w->cpu = cpu;
    if (progressed) {
        w->idle_since = w->busy_since = now;
        return 0;
    }
    if (busy)
        w->idle_since = now;
    double idle = (double)(now - w->idle_since) / G_TIME_SPAN_SECOND;
    double waited = (double)(now - w->busy_since) / G_TIME_SPAN_SECOND;
    if (idle > w->idle_limit)
        return idle;
    if (waited > SH_BUSY_TIMEOUT_S)
        return waited;
    return 0;
}


/* -------------------------------------------------------------- messages */

/* Whether GStreamer has an element, of a usable rank, that takes caps
 * `caps_str`: then a "missing plugin" message means the element refused
 * this file, not that it is missing. */
static bool have_element_for(const char *caps_str)
{
    GstCaps *caps = gst_caps_from_string(caps_str);
    if (!caps)
        return false;
    GList *all = gst_element_factory_list_get_elements(
        GST_ELEMENT_FACTORY_TYPE_DECODER | GST_ELEMENT_FACTORY_TYPE_DEMUXER, GST_RANK_MARGINAL);
    GList *ok = gst_element_factory_list_filter(all, caps, GST_PAD_SINK, FALSE);
    bool have = ok != NULL;
    gst_plugin_feature_list_free(ok);
    gst_plugin_feature_list_free(all);
    gst_caps_unref(caps);
    return have;
}

/* GStreamer's message without its final full stop, for inside ours. */
static const char *gst_text(const GError *e, char *buf, size_t size)
{
    g_strlcpy(buf, e && e->message ? e->message : "unknown error", size);
    size_t n = strlen(buf);
    if (n > 0 && buf[n - 1] == '.')
        buf[n - 1] = '\0';
    return buf;
}

/* What sh_decode_sniff says of a damaged audio file (not of a document). */
static bool damaged_audio(const char *kind)
{
    return strncmp(kind, "a damaged", 9) == 0 || strstr(kind, "Ogg") || strstr(kind, "AIFF");
}

/* A file no element recognised: say what it looks like. */
static int not_audio(const char *path, sh_error *err)
{
    const char *kind = sh_decode_sniff(path);
    if (!kind)
        return sh_error_set(err, SH_ERR_NOT_AUDIO, "%s: not audio GStreamer can read (its format is not recognised): %s",
                            path, SH_CONVERT_HINT);
    if (damaged_audio(kind))
        return sh_error_set(err, SH_ERR_NOT_AUDIO,
                            "%s: not audio GStreamer can read: it looks like %s; get a good copy, or %s", path, kind,
                            SH_CONVERT_HINT);
    return sh_error_set(err, SH_ERR_NOT_AUDIO,
                        "%s: not an audio file: it looks like %s; give the audio file instead (WAV, FLAC, Ogg, MP3...)",
                        path, kind);
}

int sh_decode_failure_message(const sh_failure *f, sh_error *err)
{
    const char *path = f->path, *missing_desc = f->missing_desc, *missing_caps = f->missing_caps;
    const char *other = f->other_stream, *bad_caps = f->bad_caps;
    const GError *e = f->error;
    bool audio = f->audio_linked, no_audio = f->no_audio;
    int rc;
    char gtext[256];
    if (bad_caps[0]) {
        rc = sh_error_set(err, SH_ERR_DECODE, "%s: GStreamer cannot handle its audio format (%s): %s", path,
                          bad_caps, SH_CONVERT_HINT);
    } else if (missing_desc[0] && !audio && have_element_for(missing_caps)) {
        const char *kind = sh_decode_sniff(path);
        rc = sh_error_set(err, SH_ERR_DECODE,
                          "%s: cannot decode it: GStreamer's %s refused this file%s%s (a damaged header or an unusual "
                          "variant): get a good copy, or %s",
                          path, missing_desc, kind ? ", which looks like " : "", kind ? kind : "", SH_CONVERT_HINT);
    } else if (missing_desc[0] && !audio) {
        const char *pkg = sh_plugin_package_for_caps(missing_caps);
        if (pkg)
            rc = sh_error_set(err, SH_ERR_NO_PLUGIN,
                              "%s: cannot decode it: GStreamer has no %s (missing or disabled plugin); "
                              "install the Debian package %s (sudo apt install %s)",
                              path, missing_desc, pkg, pkg);
        else
            rc = sh_error_set(err, SH_ERR_NO_PLUGIN,
                              "%s: cannot decode it: GStreamer has no %s (missing or disabled plugin); "
                              "try installing gstreamer1.0-plugins-bad, gstreamer1.0-plugins-ugly "
                              "and gstreamer1.0-libav",
                              path, missing_desc);
    } else if (e && e->domain == GST_RESOURCE_ERROR && e->code == GST_RESOURCE_ERROR_NOT_FOUND) {
        rc = sh_error_set(err, SH_ERR_NOT_FOUND, "%s: no such file (was it moved or deleted?)", path);
    } else if (e && e->domain == GST_RESOURCE_ERROR &&
               (e->code == GST_RESOURCE_ERROR_OPEN_READ || e->code == GST_RESOURCE_ERROR_READ)) {
        rc = sh_error_set(err, SH_ERR_IO, "%s: cannot read the file (%s): check the disk, or copy the file again",
                          path, gst_text(e, gtext, sizeof gtext));
    } else if (e && e->domain == GST_STREAM_ERROR && e->code == GST_STREAM_ERROR_TYPE_NOT_FOUND) {
        rc = not_audio(path, err);
    } else if (no_audio || !audio) {
        const char *kind = sh_decode_sniff(path);
        if (other[0])
            rc = sh_error_set(err, SH_ERR_NOT_AUDIO,
                              "%s: holds no audio stream, only %s; give an audio file or a video with sound",
                              path, other);
        else if (kind && !damaged_audio(kind))
            rc = not_audio(path, err); /* text named .mp3, ... */
        else if (e)
            rc = sh_error_set(err, SH_ERR_NOT_AUDIO,
                              "%s: its audio cannot be decoded (GStreamer: %s)%s%s: the file is damaged or an "
                              "unusual variant; get a good copy, or %s",
                              path, gst_text(e, gtext, sizeof gtext), kind ? "; it looks like " : "",
                              kind ? kind : "", SH_CONVERT_HINT);
        else
            rc = sh_error_set(err, SH_ERR_NOT_AUDIO, "%s: holds no audio stream: give a file with sound", path);
    } else {
        rc = sh_error_set(err, SH_ERR_DECODE, "%s: cannot decode the audio (GStreamer: %s): get a good copy, or %s",
                          path, gst_text(e, gtext, sizeof gtext), SH_CONVERT_HINT);
    }
    return rc;
}

