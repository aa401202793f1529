/* Decoding with GStreamer:
 *
 *   uridecodebin ! audioconvert ! appsink caps=audio/x-raw,format={F32LE,S16LE}
 *                                         sync=false max-buffers=N drop=false
 *
 * then, in our code: mix to mono float, resample to the caller's rate with
 * GStreamer's own resampler, cut to the requested samples.
 *
 * Mixing. The decoder's own format passes through (mpg123 gives S16
 * stereo; Vorbis, Opus and FLAC via audioconvert F32/S16): one tight loop
 * costs a fraction of audioconvert's generic S16 stereo -> F32 mono path
 * (one-hour MP3: 5.0 s CPU with it, 2.9 s without).
 *
 * Resampling. GstAudioResampler (libgstaudio, the engine of the
 * audioresample element, same method and quality), a new one per read. Not
 * audioresample in the pipeline: in GStreamer 1.22 a flushing seek resets
 * it through gst_audio_resampler_reset(), which clears the history and
 * samp_index but not samp_phase, so after a seek the output is shifted by a
 * fraction of a sample that depends on where the previous read stopped
 * (measured: up to 0.05 off on noise, changing from read to read).
 *
 * Passes. The pipeline is built once per file and kept PLAYING. A read
 * (a segment, or the whole stream) is a "pass": a flushing accurate seek,
 * after which a pad probe on the appsink's sink pad decodes every buffer
 * into the pass right in the streaming thread and drops it, until the pass
 * has what it wants or the stream ends; the caller waits on a condition.
 * No hand-over per buffer (two context switches each: a third of the CPU
 * time of a whole-file pass). Between passes buffers go to the appsink,
 * whose bounded queue parks the streaming thread: an idle decoder costs no
 * CPU and memory stays bounded.
 *
 * Sample-exact segments. An accurate seek makes the parser/decoder start
 * exactly at the seek time (the decoder clips its first buffer), but an MP3
 * decoder needs the frames before the first one it outputs (bit reservoir,
 * MDCT overlap) and the resampler needs its filter history. So we seek a
 * little earlier (SEEK_MARGIN_S) to a time on both the input and the output
 * sample grid (a multiple of 1/gcd(native rate, R)), decode from there and
 * keep only the samples whose index, taken from the buffer timestamps,
 * falls into [round(b*R), round(e*R)). Segments equal a full decode
 * bit for bit (WAV, FLAC, Vorbis) or within 1e-5 (MP3), also an hour in.
 *
 * MP3 specifics (GStreamer 1.22, mpegaudioparse + mpg123audiodec), see
 * mp3_seed_index and pass_feed: an accurate seek without an index parses
 * every frame from the start (0.2 s CPU to the middle of an hour), so we
 * hand the parser an exact index entry from our own frame index
 * (mp3index.c); its timestamps drift from the sample count by a truncated
 * nanosecond per frame, which we correct; and after a pass reached the end
 * later seeks were measured off, so we rebuild the pipeline then
 * (ensure_clean).
 *
 * Errors. A bus sync handler (called in the streaming threads) records the
 * first error, missing-plugin messages and the tags of the stream, and drops
 * every other message so that the bus never grows during an hour-long
 * pass. The caller's thread waits on the bus only while opening.
 */
#include "shadowing/decode.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <gst/base/gstbaseparse.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "decode/decoder_internal.h"
#include "decode/header.h"
#include "decode/mp3index.h"
#include "decode/plugins.h"

/* How long before a segment we start decoding: enough for the resampler's
 * filter (a few ms at the default quality) and for an MP3
 * decoder's bit reservoir and overlap (two or three 26 ms frames). */
#define SEEK_MARGIN_S 0.25
/* How long a pipeline may make no progress: see decoder_internal.h. */

/* GstAutoplugSelectResult (gst-plugins-base playback, not in a public
 * header): TRY, EXPOSE, SKIP. */
enum { AUTOPLUG_TRY = 0, AUTOPLUG_EXPOSE = 1 };

/* ------------------------------------------------------------------ init */

static int init_rc = SH_OK;
static char init_msg[512];

static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer user)
{
    (void)domain;
    (void)level;
    (void)message;
    (void)user;
}

/* GST_DEBUG unset, empty or 0: the user did not ask for GStreamer's
 * diagnostics. */
static bool gst_debug_wanted(void)
{
    const char *v = g_getenv("GST_DEBUG");
    return v && v[0] && strcmp(v, "0") != 0;
}

static gpointer do_gst_init(gpointer unused)
{
    (void)unused;
    GError *e = NULL;
    if (!gst_debug_wanted()) {
        /* GStreamer's debug log is off by default, but plugins also print
         * GLib warnings and criticals of their own (e.g. 1.22's
         * mpg123audiodec asserts "size > 0" on the gapless-trimmed first
         * frame of an MPEG-2 MP3, harmlessly). Users cannot act on those;
         * GST_DEBUG=2 brings them back. */
        static const char *const domains[] = {
            NULL, /* plugins' own g_warning()s, e.g. audioconvert's "no channel mask" */
            "GStreamer", "GStreamer-Base", "GStreamer-Audio", "GStreamer-App", "GStreamer-Pbutils",
            "GStreamer-Tag", "GStreamer-Video", "GStreamer-Riff", "GStreamer-Codecparsers",
        };
        for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++)
            g_log_set_handler(domains[i], G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_MESSAGE,
                              drop_log, NULL);
    }
    if (!gst_init_check(NULL, NULL, &e)) {
        init_rc = SH_ERR_UNSUPPORTED;
        snprintf(init_msg, sizeof init_msg,
                 "cannot initialise GStreamer: %s (is the gstreamer1.0-plugins-base package installed?)",
                 e && e->message ? e->message : "unknown error");
        g_clear_error(&e);
        return NULL;
    }
    if (!gst_debug_wanted())
        gst_debug_set_default_threshold(GST_LEVEL_NONE);
    gst_pb_utils_init();
    return NULL;
}

int sh_gst_init(sh_error *err)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, do_gst_init, NULL);
    if (init_rc != SH_OK)
        return sh_error_set(err, init_rc, "%s", init_msg);
    return SH_OK;
}

/* --------------------------------------------------------------- decoder */

typedef struct calib_frame {
    guint64 offset;
    GstClockTime pts, duration;
} calib_frame;

struct sh_decoder {
    char *path;
    int rate;          /* output rate; 0 until known for a native decoder */
    bool native;       /* output at the file's own rate */
    unsigned max_buffers;
    sh_audio_info info;

    GstElement *pipeline, *src, *convert, *sink;
    float *scratch;           /* resampler output for one buffer */
    size_t scratch_cap;
    float *mono;              /* one buffer mixed to mono float */
    size_t mono_cap;
    /* The pass being decoded (see run_pass): the appsink's pad probe feeds
     * it in the streaming thread. Guarded by pass_lock; pass_cond signals
     * its end. */
    GMutex pass_lock;
    GCond pass_cond;
    struct pass *active;
    bool await_flush;         /* drop data until the seek's flush is through */
    int pass_state;           /* 0 running, 1 end of stream, 2 stopped, < 0 error */
    bool cur_ok;              /* format of the buffers (from the caps event): */
    bool cur_s16;             /* S16LE (else F32LE) */
    int cur_channels, cur_rate;
    GstBus *bus;

    /* Written by streaming threads (pad-added, bus sync handler); guarded
     * by lock. */
    GMutex lock;
    bool audio_linked;
    bool collecting_tags;     /* only while opening */
    GstTagList *tags;
    char other_stream[64];    /* a non-audio stream's media type */
    char decoder_codec[96];   /* codec description from the decoder's caps */
    char missing_desc[160];   /* first relevant missing plugin */
    char missing_caps[160];
    char bad_caps[200];       /* raw audio caps our chain refused (a rate of -1...) */
    int failed;               /* atomic: an error was posted */
    GError *error;            /* the first error (guarded by lock) */
    char error_src[64];

    double declared_s;        /* duration the file header declares; 0 unknown */
    guint64 file_size;
    bool dirty;               /* a pass reached the end: rebuild before the next */
    bool described;           /* info filled (by the first pipeline) */

    /* Fast exact seeking in MP3s (see mp3index.h): the parser element, the
     * first frames it pushed (offset and timestamp, recorded by a pad probe
     * to learn how its offsets and timestamps relate to the file), and our
     * frame index. */
    GstElement *parser;
    calib_frame calib[8];
    int calib_n;              /* guarded by lock */
    int mp3_state;            /* 0 not tried, 1 usable, -1 not usable */
    sh_mp3_index mp3;
    gint64 mp3_delta;         /* file offset - parser offset */
    GstClockTime mp3_dur;     /* the parser's frame duration (truncated to the ns) */
    double mp3_drift;         /* its relative error: (exact - truncated) / truncated */
    bool mp3_drift_on;        /* mp3_dur and mp3_drift are known */
};

/* The duration a WAV or MP3 header declares (0 when it declares none). */
static double declared_duration(const char *path)
{
    unsigned char head[16384];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t got = read(fd, head, sizeof head);
    close(fd);
    double s = 0;
    if (got > 0 && sh_header_declared_duration(head, (size_t)got, &s))
        return s;
    return 0;
}

static bool is_raw_audio(const char *name)
{
    return strcmp(name, "audio/x-raw") == 0;
}

static void link_to_fakesink(sh_decoder *d, GstPad *pad)
{
    GstElement *fs = gst_element_factory_make("fakesink", NULL);
    if (!fs)
        return;
    /* async=false: it must not hold back the pipeline's preroll. */
    g_object_set(fs, "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add(GST_BIN(d->pipeline), fs);
    gst_element_sync_state_with_parent(fs);
    GstPad *sinkpad = gst_element_get_static_pad(fs, "sink");
    gst_pad_link(pad, sinkpad);
    gst_object_unref(sinkpad);
}

/* uridecodebin exposed a stream (streaming thread). The first raw audio
 * stream goes to our chain; anything else (a second audio track, a video,
 * image or subtitle stream we asked decodebin not to decode) to a fakesink
 * so that its demuxer does not stop with not-linked. */
static void on_pad_added(GstElement *src, GstPad *pad, gpointer user)
{
    (void)src;
    sh_decoder *d = user;
    GstCaps *caps = gst_pad_get_current_caps(pad);
    if (!caps)
        caps = gst_pad_query_caps(pad, NULL);
    const char *name = "";
    if (caps && gst_caps_get_size(caps) > 0)
        name = gst_structure_get_name(gst_caps_get_structure(caps, 0));

    g_mutex_lock(&d->lock);
    bool take = is_raw_audio(name) && !d->audio_linked;
    if (take) {
        GstAudioInfo ai;
        d->audio_linked = true;
        if (gst_audio_info_from_caps(&ai, caps)) {
            d->info.rate = GST_AUDIO_INFO_RATE(&ai);
            d->info.channels = GST_AUDIO_INFO_CHANNELS(&ai);
        }
    } else if (!is_raw_audio(name) && !d->other_stream[0]) {
        g_strlcpy(d->other_stream, name, sizeof d->other_stream);
    }
    g_mutex_unlock(&d->lock);

    if (take) {
        GstPad *sinkpad = gst_element_get_static_pad(d->convert, "sink");
        GstPadLinkReturn lr = gst_pad_link(pad, sinkpad);
        gst_object_unref(sinkpad);
        if (lr != GST_PAD_LINK_OK) {
            /* Our chain refuses these caps (e.g. a header's impossible
             * rate): nothing would ever reach the appsink and the preroll
             * would wait for ever. Say so at once. */
            gchar *cs = caps ? gst_caps_to_string(caps) : NULL;
            g_mutex_lock(&d->lock);
            g_strlcpy(d->bad_caps, cs ? cs : name, sizeof d->bad_caps);
            g_mutex_unlock(&d->lock);
            g_free(cs);
            link_to_fakesink(d, pad);
            gst_element_post_message(d->pipeline,
                                     gst_message_new_application(GST_OBJECT(d->pipeline),
                                                                 gst_structure_new_empty("sh-bad-caps")));
        }
    } else {
        link_to_fakesink(d, pad);
    }
    if (caps)
        gst_caps_unref(caps);
}

/* All streams are known: if none is audio the pipeline would never
 * preroll, so tell the opening thread. */
static void on_no_more_pads(GstElement *src, gpointer user)
{
    (void)src;
    sh_decoder *d = user;
    g_mutex_lock(&d->lock);
    bool audio = d->audio_linked;
    g_mutex_unlock(&d->lock);
    if (!audio)
        gst_element_post_message(d->pipeline,
                                 gst_message_new_application(GST_OBJECT(d->pipeline),
                                                             gst_structure_new_empty("sh-no-audio")));
}

/* decodebin is about to plug `factory` for `caps`. We never decode video,
 * images or subtitles: expose such streams still encoded (they go to a
 * fakesink), which costs nothing and avoids "missing plugin" errors for a
 * video codec when all we want is the sound track. */
static gint on_autoplug_select(GstElement *bin, GstPad *pad, GstCaps *caps, GstElementFactory *factory,
                               gpointer user)
{
    (void)bin;
    (void)pad;
    sh_decoder *d = user;
    const char *klass = gst_element_factory_get_metadata(factory, GST_ELEMENT_METADATA_KLASS);
    if (!klass || !strstr(klass, "Decoder"))
        return AUTOPLUG_TRY;
    if (strstr(klass, "Video") || strstr(klass, "Image") || strstr(klass, "Subtitle"))
        return AUTOPLUG_EXPOSE;
    if (strstr(klass, "Audio")) {
        gchar *desc = gst_pb_utils_get_codec_description(caps);
        g_mutex_lock(&d->lock);
        if (desc && !d->decoder_codec[0])
            g_strlcpy(d->decoder_codec, desc, sizeof d->decoder_codec);
        g_mutex_unlock(&d->lock);
        g_free(desc);
    }
    return AUTOPLUG_TRY;
}

static GstPadProbeReturn on_parser_buffer(GstPad *pad, GstPadProbeInfo *info, gpointer user)
{
    (void)pad;
    sh_decoder *d = user;
    GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER(info);
    g_mutex_lock(&d->lock);
    int n = d->calib_n;
    if (b && n < (int)G_N_ELEMENTS(d->calib)) {
        d->calib[n].offset = GST_BUFFER_OFFSET(b);
        d->calib[n].pts = GST_BUFFER_PTS(b);
        d->calib[n].duration = GST_BUFFER_DURATION(b);
        d->calib_n = ++n;
    }
    g_mutex_unlock(&d->lock);
    return n >= (int)G_N_ELEMENTS(d->calib) ? GST_PAD_PROBE_REMOVE : GST_PAD_PROBE_OK;
}

/* decodebin plugged an element somewhere inside: remember an MPEG audio
 * parser and watch its first frames. */
static void on_element_added(GstBin *bin, GstBin *sub, GstElement *el, gpointer user)
{
    (void)bin;
    (void)sub;
    sh_decoder *d = user;
    GstElementFactory *f = gst_element_get_factory(el);
    if (!f || !GST_IS_BASE_PARSE(el) || strcmp(GST_OBJECT_NAME(f), "mpegaudioparse") != 0)
        return;
    g_mutex_lock(&d->lock);
    bool first = d->parser == NULL;
    if (first)
        d->parser = gst_object_ref(el);
    g_mutex_unlock(&d->lock);
    if (!first)
        return;
    GstPad *src = gst_element_get_static_pad(el, "src");
    if (src) {
        gst_pad_add_probe(src, GST_PAD_PROBE_TYPE_BUFFER, on_parser_buffer, d, NULL);
        gst_object_unref(src);
    }
}

static GstBusSyncReply on_bus_sync(GstBus *bus, GstMessage *m, gpointer user)
{
    (void)bus;
    sh_decoder *d = user;
    switch (GST_MESSAGE_TYPE(m)) {
    case GST_MESSAGE_ELEMENT:
        if (gst_is_missing_plugin_message(m)) {
            gchar *desc = gst_missing_plugin_message_get_description(m);
            gchar *detail = gst_missing_plugin_message_get_installer_detail(m);
            char caps[160] = "";
            if (sh_plugin_detail_caps(detail, caps, sizeof caps) && sh_plugin_caps_relevant(caps)) {
                g_mutex_lock(&d->lock);
                if (!d->missing_desc[0]) {
                    g_strlcpy(d->missing_desc, desc ? desc : caps, sizeof d->missing_desc);
                    g_strlcpy(d->missing_caps, caps, sizeof d->missing_caps);
                }
                g_mutex_unlock(&d->lock);
            }
            g_free(desc);
            g_free(detail);
        }
        return GST_BUS_DROP;
    case GST_MESSAGE_TAG: {
        g_mutex_lock(&d->lock);
        if (d->collecting_tags) {
            GstTagList *t = NULL;
            gst_message_parse_tag(m, &t);
            if (t) {
                GstTagList *merged = gst_tag_list_merge(d->tags, t, GST_TAG_MERGE_KEEP);
                if (d->tags)
                    gst_tag_list_unref(d->tags);
                d->tags = merged;
                gst_tag_list_unref(t);
            }
        }
        g_mutex_unlock(&d->lock);
        return GST_BUS_DROP;
    }
    case GST_MESSAGE_ERROR: {
        GError *e = NULL;
        gst_message_parse_error(m, &e, NULL);
        g_mutex_lock(&d->lock);
        if (!d->error) {
            d->error = e;
            e = NULL;
            g_strlcpy(d->error_src, GST_MESSAGE_SRC_NAME(m) ? GST_MESSAGE_SRC_NAME(m) : "",
                      sizeof d->error_src);
        }
        g_mutex_unlock(&d->lock);
        g_clear_error(&e);
        g_atomic_int_set(&d->failed, 1);
        return GST_BUS_PASS;
    }
    case GST_MESSAGE_ASYNC_DONE:
    case GST_MESSAGE_APPLICATION:
        /* Only the opening thread waits for these; later ones are popped
         * and dropped at the next read (at most one per seek). */
        return GST_BUS_PASS;
    default:
        return GST_BUS_DROP;
    }
}

static void drain_bus(sh_decoder *d)
{
    GstMessage *m;
    while ((m = gst_bus_pop(d->bus)))
        gst_message_unref(m);
}

static void reset_error(sh_decoder *d)
{
    g_mutex_lock(&d->lock);
    g_clear_error(&d->error);
    d->error_src[0] = '\0';
    g_mutex_unlock(&d->lock);
    g_atomic_int_set(&d->failed, 0);
}

/* Turn the recorded failure into one actionable line (failure.c). */
static int describe_failure(sh_decoder *d, bool no_audio, sh_error *err)
{
    sh_failure f = {.path = d->path, .no_audio = no_audio};
    g_mutex_lock(&d->lock);
    g_strlcpy(f.missing_desc, d->missing_desc, sizeof f.missing_desc);
    g_strlcpy(f.missing_caps, d->missing_caps, sizeof f.missing_caps);
    g_strlcpy(f.other_stream, d->other_stream, sizeof f.other_stream);
    g_strlcpy(f.bad_caps, d->bad_caps, sizeof f.bad_caps);
    GError *e = d->error ? g_error_copy(d->error) : NULL;
    f.error = e;
    f.audio_linked = d->audio_linked;
    g_mutex_unlock(&d->lock);
    int rc = sh_decode_failure_message(&f, err);
    if (e)
        g_error_free(e);
    return rc;
}

sh_decoder_config sh_decoder_config_init(int rate)
{
    sh_decoder_config c = {
        .rate = rate > 0 ? rate : 16000,
        .max_buffers = 8,
    };
    return c;
}

static void fill_info_from_tags(sh_decoder *d)
{
    g_mutex_lock(&d->lock);
    d->collecting_tags = false;
    GstTagList *t = d->tags;
    d->tags = NULL;
    if (d->decoder_codec[0])
        g_strlcpy(d->info.codec, d->decoder_codec, sizeof d->info.codec);
    g_mutex_unlock(&d->lock);
    if (t) {
        gchar *s = NULL;
        guint br = 0;
        if (gst_tag_list_get_string(t, GST_TAG_AUDIO_CODEC, &s) && s && s[0])
            g_strlcpy(d->info.codec, s, sizeof d->info.codec);
        g_free(s);
        s = NULL;
        if (gst_tag_list_get_string(t, GST_TAG_CONTAINER_FORMAT, &s) && s)
            g_strlcpy(d->info.container, s, sizeof d->info.container);
        g_free(s);
        if ((gst_tag_list_get_uint(t, GST_TAG_NOMINAL_BITRATE, &br) && br) ||
            (gst_tag_list_get_uint(t, GST_TAG_BITRATE, &br) && br))
            d->info.bitrate = br;
        gst_tag_list_unref(t);
    }
}

static GstPadProbeReturn on_sink_data(GstPad *pad, GstPadProbeInfo *info, gpointer user);

/* Drop the pipeline and everything learnt from it (not the file's info). */
static void teardown_pipeline(sh_decoder *d)
{
    if (d->pipeline) {
        gst_element_set_state(d->pipeline, GST_STATE_NULL);
        gst_object_unref(d->pipeline);
    }
    if (d->bus) {
        gst_bus_set_sync_handler(d->bus, NULL, NULL, NULL);
        drain_bus(d);
        gst_object_unref(d->bus);
    }
    d->pipeline = d->src = d->convert = d->sink = NULL;
    d->bus = NULL;
    if (d->tags)
        gst_tag_list_unref(d->tags);
    d->tags = NULL;
    if (d->parser)
        gst_object_unref(d->parser);
    d->parser = NULL;
    sh_mp3_index_close(&d->mp3);
    d->mp3_state = 0;
    d->mp3_drift_on = false;
    d->calib_n = 0;
    d->audio_linked = false;
    d->other_stream[0] = d->missing_desc[0] = d->missing_caps[0] = d->bad_caps[0] = '\0';
    g_clear_error(&d->error);
    g_atomic_int_set(&d->failed, 0);
    d->dirty = false;
}

/* Build the pipeline for d->path, preroll it and set it running. */
static int build_pipeline(sh_decoder *d, sh_error *err)
{
    const char *path = d->path;
    int rc;
    d->collecting_tags = true;
    GError *gerr = NULL;
    gchar *uri = gst_filename_to_uri(path, &gerr);
    if (!uri) {
        rc = sh_error_set(err, SH_ERR_INVALID, "%s: bad file name: %s", path, gerr ? gerr->message : "");
        g_clear_error(&gerr);
        return rc;
    }

    d->pipeline = gst_pipeline_new("shadowing-decode");
    d->src = gst_element_factory_make("uridecodebin", NULL);
    d->convert = gst_element_factory_make("audioconvert", NULL);
    d->sink = gst_element_factory_make("appsink", NULL);
    if (!d->pipeline || !d->src || !d->convert || !d->sink) {
        /* Free the loose elements; the rest go with the pipeline. */
        GstElement **el[] = {&d->src, &d->convert, &d->sink};
        for (size_t i = 0; i < 3; i++)
            if (*el[i]) {
                gst_object_unref(gst_object_ref_sink(*el[i]));
                *el[i] = NULL;
            }
        g_free(uri);
        return sh_error_set(err, SH_ERR_NO_PLUGIN,
                            "GStreamer's basic elements (uridecodebin, audioconvert, appsink) "
                            "are missing; install the Debian package gstreamer1.0-plugins-base");
    }
    g_object_set(d->src, "uri", uri, NULL);
    g_free(uri);

    /* The native rate and channels: we mix and resample ourselves (see
     * top). */
    GstCaps *caps = gst_caps_from_string("audio/x-raw, format=(string){ F32LE, S16LE }, "
                                         "layout=(string)interleaved");
    g_object_set(d->sink, "caps", caps, "sync", FALSE, "max-buffers", d->max_buffers, "drop", FALSE,
                 "emit-signals", FALSE, NULL);
    gst_caps_unref(caps);

    GstPad *sinkpad = gst_element_get_static_pad(d->sink, "sink");
    gst_pad_add_probe(sinkpad,
                      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST |
                          GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
                      on_sink_data, d, NULL);
    gst_object_unref(sinkpad);
    gst_bin_add_many(GST_BIN(d->pipeline), d->src, d->convert, d->sink, NULL);
    if (!gst_element_link(d->convert, d->sink))
        return sh_error_set(err, SH_ERR_DECODE, "%s: cannot build the GStreamer pipeline", path);
    g_signal_connect(d->src, "pad-added", G_CALLBACK(on_pad_added), d);
    g_signal_connect(d->src, "no-more-pads", G_CALLBACK(on_no_more_pads), d);
    g_signal_connect(d->src, "autoplug-select", G_CALLBACK(on_autoplug_select), d);
    g_signal_connect(d->pipeline, "deep-element-added", G_CALLBACK(on_element_added), d);
    d->bus = gst_element_get_bus(d->pipeline);
    gst_bus_set_sync_handler(d->bus, on_bus_sync, d, NULL);

    /* Preroll: the first buffer reaches the appsink, or an error / "no
     * audio" comes back. */
    gst_element_set_state(d->pipeline, GST_STATE_PAUSED);
    bool no_audio = false, ready = false;
    sh_stall_watch sw;
    sh_stall_start(&sw, PREROLL_IDLE_S);
    double stalled = 0;
    for (;;) {
        GstMessage *m = gst_bus_timed_pop_filtered(d->bus, 100 * GST_MSECOND,
                                                   GST_MESSAGE_ERROR | GST_MESSAGE_ASYNC_DONE |
                                                       GST_MESSAGE_APPLICATION);
        if (!m) {
            if ((stalled = sh_stall_check(&sw, false)) > 0)
                break;
            continue;
        }
        GstMessageType type = GST_MESSAGE_TYPE(m);
        if (type == GST_MESSAGE_APPLICATION && (gst_structure_has_name(gst_message_get_structure(m), "sh-no-audio") ||
                                                gst_structure_has_name(gst_message_get_structure(m), "sh-bad-caps")))
            no_audio = true;
        else if (type == GST_MESSAGE_ASYNC_DONE && GST_MESSAGE_SRC(m) == GST_OBJECT(d->pipeline))
            ready = true;
        gst_message_unref(m);
        if (no_audio || ready || type == GST_MESSAGE_ERROR)
            break;
    }
    if (!ready || g_atomic_int_get(&d->failed)) {
        if (!no_audio && !g_atomic_int_get(&d->failed)) {
            const char *kind = sh_decode_sniff(path);
            return sh_error_set(err, SH_ERR_DECODE,
                                "%s: GStreamer made no progress opening it for %.1f s (%s%s): get a good copy on "
                                "a local disk, or %s",
                                path, stalled, kind ? "it looks like " : "a damaged file, or a stuck network drive?",
                                kind ? kind : "", SH_CONVERT_HINT);
        }
        return describe_failure(d, no_audio, err);
    }
    if (!d->described) { /* the first time: describe the file */
        d->described = true;
        gint64 dur = -1;
        if (gst_element_query_duration(d->pipeline, GST_FORMAT_TIME, &dur) && dur > 0)
            d->info.duration_s = (double)dur / GST_SECOND;
        fill_info_from_tags(d);
        d->declared_s = declared_duration(path);
        if (!d->info.bitrate && d->info.duration_s > 0)
            d->info.bitrate = (unsigned)lround((double)d->file_size * 8.0 / d->info.duration_s);
        if (d->native)
            d->rate = d->info.rate;
        if (d->rate <= 0 || d->info.rate <= 0)
            return sh_error_set(err, SH_ERR_DECODE, "%s: GStreamer reported no sample rate", path);
    } else {
        g_mutex_lock(&d->lock);
        d->collecting_tags = false;
        g_mutex_unlock(&d->lock);
    }

    /* Run: the streaming thread fills the bounded appsink queue and waits. */
    if (gst_element_set_state(d->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
        return describe_failure(d, false, err);
    return SH_OK;
}

/* After a pass reached the end of an MP3, later seeks with GStreamer
 * 1.22's mpegaudioparse were measured off by one to 47 samples (its own
 * index entries from that pass and its gapless end state; tested by
 * test_long_mp3_seek_exact). A new pipeline (~10 ms, once after a whole
 * pass) avoids it. */
static int ensure_clean(sh_decoder *d, sh_error *err)
{
    if (!d->dirty)
        return SH_OK;
    teardown_pipeline(d);
    return build_pipeline(d, err);
}

static int open_impl(const char *path, int rate, unsigned max_buffers, sh_decoder **out, sh_error *err)
{
    *out = NULL;
    int rc = sh_gst_init(err);
    if (rc != SH_OK)
        return rc;

    unsigned long long size = 0;
    rc = sh_decode_precheck(path, &size, err);
    if (rc != SH_OK)
        return rc;

    sh_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory", path);
    g_mutex_init(&d->lock);
    g_mutex_init(&d->pass_lock);
    g_cond_init(&d->pass_cond);
    d->path = strdup(path);
    d->rate = rate;
    d->native = rate == 0;
    d->max_buffers = max_buffers ? max_buffers : 8;
    d->file_size = (guint64)size;
    d->mp3.fd = -1;
    if (!d->path) {
        rc = sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory", path);
        goto fail;
    }
    rc = build_pipeline(d, err);
    if (rc != SH_OK)
        goto fail;
    *out = d;
    return SH_OK;

fail:
    sh_decoder_close(d);
    return rc;
}

int sh_decoder_open(const char *path, const sh_decoder_config *cfg, sh_decoder **out, sh_error *err)
{
    if (!out)
        return sh_error_set(err, SH_ERR_INVALID, "sh_decoder_open: no output pointer");
    *out = NULL;
    if (!path)
        return sh_error_set(err, SH_ERR_INVALID, "sh_decoder_open: no file name");
    sh_decoder_config def = sh_decoder_config_init(16000);
    if (!cfg)
        cfg = &def;
    if (cfg->rate <= 0 || cfg->rate > 768000)
        return sh_error_set(err, SH_ERR_INVALID, "%s: bad output sample rate %d Hz", path, cfg->rate);
    return open_impl(path, cfg->rate, cfg->max_buffers, out, err);
}

int sh_decoder_open_native(const char *path, sh_decoder **out, sh_error *err)
{
    if (!out || !path)
        return sh_error_set(err, SH_ERR_INVALID, "sh_decoder_open_native: bad arguments");
    return open_impl(path, 0, 8, out, err);
}

void sh_decoder_close(sh_decoder *d)
{
    if (!d)
        return;
    teardown_pipeline(d);
    g_mutex_clear(&d->lock);
    free(d->scratch);
    free(d->mono);
    g_mutex_clear(&d->pass_lock);
    g_cond_clear(&d->pass_cond);
    free(d->path);
    free(d);
}

const sh_audio_info *sh_decoder_info(const sh_decoder *d)
{
    return &d->info;
}

int sh_decoder_rate(const sh_decoder *d)
{
    return d->rate;
}

bool sh_decoder_audio_only(sh_decoder *d)
{
    g_mutex_lock(&d->lock);
    bool only = !d->other_stream[0];
    g_mutex_unlock(&d->lock);
    return only;
}

/* ------------------------------------------------------------- reading */

static int seek_to(sh_decoder *d, GstClockTime t)
{
    drain_bus(d);
    reset_error(d);
    if (!gst_element_seek(d->pipeline, 1.0, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                          GST_SEEK_TYPE_SET, (gint64)t, GST_SEEK_TYPE_NONE, -1))
        return SH_ERR_DECODE;
    return SH_OK;
}

static int pass_failure(sh_decoder *d, int rc, double at_s, sh_error *err)
{
    if (rc == SH_ERR_INTERRUPTED)
        return sh_error_set(err, SH_ERR_DECODE, "%s: decoding stalled at %.2f s", d->path, at_s);
    if (rc == SH_ERR_NOMEM)
        return sh_error_set(err, rc, "%s: out of memory while decoding", d->path);
    if (rc == SH_ERR_FORMAT)
        return sh_error_set(err, SH_ERR_DECODE,
                            "%s: the audio format changes at %.2f s; convert the file first "
                            "(e.g. sox IN.mp3 -r 44100 OUT.flac)",
                            d->path, at_s);
    return describe_failure(d, false, err);
}

/* Relate our frame numbering to the parser's offsets and timestamps from
 * the frames it pushed first. Any inconsistency: do not use the index. */
static int mp3_calibrate(sh_decoder *d)
{
    /* The probe sees the first frames while the pipeline fills its queue
     * just after opening; give it a moment (a file of fewer frames ends
     * first). */
    for (int waited = 0; waited < 300; waited++) {
        g_mutex_lock(&d->lock);
        int have = d->calib_n;
        g_mutex_unlock(&d->lock);
        if (have >= (int)G_N_ELEMENTS(d->calib) || gst_app_sink_is_eos(GST_APP_SINK(d->sink)))
            break;
        g_usleep(1000);
    }
    g_mutex_lock(&d->lock);
    int n = d->calib_n;
    calib_frame c[G_N_ELEMENTS(d->calib)];
    memcpy(c, d->calib, sizeof c);
    g_mutex_unlock(&d->lock);
    if (n < 6) /* not yet (a loaded machine): try again at the next read */
        return gst_app_sink_is_eos(GST_APP_SINK(d->sink)) ? -1 : 0;
    if (!sh_mp3_index_extend(&d->mp3, SH_MP3_HEAD) || d->mp3.head_n < (size_t)n + 1)
        return -1;
    /* The parser may or may not push a Xing frame first: find which of
     * our frames its first buffer is. */
    int ja = -1;
    for (int k = 0; k <= 1 && ja < 0; k++) {
        gint64 delta = (gint64)d->mp3.head[k] - (gint64)c[0].offset;
        bool ok = true;
        for (int i = 0; i < n && ok; i++)
            ok = c[i].offset != GST_BUFFER_OFFSET_NONE &&
                 (gint64)d->mp3.head[k + i] - (gint64)c[i].offset == delta;
        if (ok) {
            ja = k;
            d->mp3_delta = delta;
        }
    }
    if (ja < 0)
        return -1;
    /* The reference: the last frame seen, past any gapless trimming of the
     * first ones (whole frames from there on). Its first sample's index is
     * its timestamp in samples (the parser's timestamps drift by under a
     * nanosecond per frame, nothing yet at the 7th frame). */
    int r = n - 1;
    for (int i = r - 2; i <= r; i++)
        if (!GST_CLOCK_TIME_IS_VALID(c[i].pts) || !GST_CLOCK_TIME_IS_VALID(c[i - 1].pts) ||
            c[i].pts - c[i - 1].pts + 2 < d->mp3_dur || c[i].pts - c[i - 1].pts > d->mp3_dur + 2)
            return -1;
    return 1;
}

/* The timestamp the parser gives frame j (our numbering) when it reaches it
 * by scanning after a seek: frame durations (truncated to the nanosecond)
 * summed from the first audio frame, before any gapless trimming (which
 * the decoder applies later). Measured on 1.22: this differs from the
 * timestamps of a play from the start, which include the trimming. */
static GstClockTime mp3_frame_pts(const sh_decoder *d, guint64 j)
{
    guint64 first = d->mp3.xing ? 1 : 0;
    return j > first ? (j - first) * d->mp3_dur : 0;
}

/* Before an accurate seek to `t`: give the MPEG audio parser an exact index
 * entry (offset, timestamp) for the frame just before where it will look
 * (t minus its lead-in of a few frames), so that it starts there instead of
 * parsing from the beginning of the file. The entry is the one the parser
 * makes itself when it scans up to there after a seek. */
static void mp3_seed_index(sh_decoder *d, GstClockTime t)
{
    if (!d->parser || d->mp3_state < 0)
        return;
    if (!d->mp3_drift_on) {
        /* Frame length and rate from the first frame header: enough to
         * correct the parser's timestamps (pass_feed), index or not. */
        if (!sh_mp3_index_open(&d->mp3, d->path) || d->mp3.rate != d->info.rate) {
            d->mp3_state = -1;
            return;
        }
        d->mp3_dur = gst_util_uint64_scale((guint64)d->mp3.spf, GST_SECOND, (guint64)d->mp3.rate);
        d->mp3_drift = ((double)d->mp3.spf * 1e9 / d->mp3.rate - (double)d->mp3_dur) / (double)d->mp3_dur;
        d->mp3_drift_on = true;
    }
    if (d->mp3_state == 0) {
        d->mp3_state = mp3_calibrate(d);
        if (d->mp3_state <= 0)
            return; /* < 0: the parser scans from the start itself */
    }
    /* The parser looks up its index at t minus its lead-in, a bit
     * reservoir's worth of frames: 10 for MPEG-1, but 30 for MPEG-2/2.5
     * (576-sample frames; gst_base_parse_set_frame_rate in
     * mpegaudioparse's handle_frame). An entry after that point is of no
     * use: the parser would scan from the start again. So seed 6 frames
     * more than the lead-in before t. */
    const guint64 lead = (d->mp3.spf == 576 ? 30 : 10) + 6;
    GstClockTime want = t > lead * d->mp3_dur ? t - lead * d->mp3_dur : 0;
    guint64 j = (d->mp3.xing ? 1 : 0) + want / d->mp3_dur;
    if (j < SH_MP3_STRIDE)
        return; /* near the start the parser is quick anyway */
    if (!sh_mp3_index_extend(&d->mp3, j + 1)) {
        d->mp3_state = -1;
        return;
    }
    if (j >= d->mp3.frames)
        return; /* past the end: let the parser find out */
    guint64 off = 0;
    if (!sh_mp3_index_offset(&d->mp3, j, &off)) {
        d->mp3_state = -1;
        return;
    }
    gst_base_parse_add_index_entry(GST_BASE_PARSE(d->parser), off - (guint64)d->mp3_delta, mp3_frame_pts(d, j),
                                   TRUE, TRUE);
}

static gint64 gcd64(gint64 a, gint64 b)
{
    while (b) {
        gint64 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* One pass over the stream from some point on: native-rate mono buffers in,
 * output-rate samples with their stream index out. */
typedef int (*emit_fn)(void *user, gint64 index, const float *x, size_t n);

typedef struct pass {
    sh_decoder *d;
    GstAudioResampler *rs; /* NULL when the rates are equal */
    gint64 in_rate, out_rate, in_step; /* in_step: input samples per grid point */
    gint64 in_pos;  /* stream index of the next input sample; -1 before the first */
    gint64 out_pos; /* stream index of the next output sample */
    emit_fn emit;
    void *user;
    bool count_only; /* nobody looks at the samples: only count them */
} pass;

static int pass_init(pass *p, sh_decoder *d, emit_fn emit, void *user)
{
    memset(p, 0, sizeof *p);
    p->d = d;
    p->in_rate = d->info.rate;
    p->out_rate = d->rate;
    p->in_step = p->in_rate / gcd64(p->in_rate, p->out_rate);
    p->in_pos = -1;
    p->emit = emit;
    p->user = user;
    if (p->in_rate != p->out_rate) {
        GstStructure *opts = gst_structure_new_empty("GstAudioResampler.options");
        gst_audio_resampler_options_set_quality(GST_AUDIO_RESAMPLER_METHOD_KAISER,
                                                GST_AUDIO_RESAMPLER_QUALITY_DEFAULT, (gint)p->in_rate,
                                                (gint)p->out_rate, opts);
        p->rs = gst_audio_resampler_new(GST_AUDIO_RESAMPLER_METHOD_KAISER, GST_AUDIO_RESAMPLER_FLAG_NONE,
                                        GST_AUDIO_FORMAT_F32, 1, (gint)p->in_rate, (gint)p->out_rate, opts);
        gst_structure_free(opts);
        if (!p->rs)
            return SH_ERR_UNSUPPORTED;
    }
    return SH_OK;
}

static void pass_clear(pass *p)
{
    if (p->rs)
        gst_audio_resampler_free(p->rs);
    p->rs = NULL;
}

/* Make *buf hold at least n floats (it only grows: one buffer's worth). */
static bool grow_floats(float **buf, size_t *cap, size_t n)
{
    if (n <= *cap)
        return true;
    float *p = realloc(*buf, n * sizeof(float));
    if (!p)
        return false;
    *buf = p;
    *cap = n;
    return true;
}

static int resample_emit(pass *p, const float *x, size_t n)
{
    sh_decoder *d = p->d;
    size_t out_n = gst_audio_resampler_get_out_frames(p->rs, n);
    if (!grow_floats(&d->scratch, &d->scratch_cap, out_n))
        return SH_ERR_NOMEM;
    gpointer in[1] = {(gpointer)x}, out[1] = {d->scratch};
    gst_audio_resampler_resample(p->rs, in, n, out, out_n);
    int rc = out_n ? p->emit(p->user, p->out_pos, d->scratch, out_n) : 0;
    p->out_pos += (gint64)out_n;
    return rc;
}

/* Feed one decoded buffer. Returns the emit function's non-zero value to
 * stop, or a negative code. */
static int pass_feed(pass *p, GstBuffer *b, const float *x, size_t n)
{
    if (p->in_pos < 0) {
        gint64 idx = 0;
        if (GST_BUFFER_PTS_IS_VALID(b)) {
            GstClockTime pts = GST_BUFFER_PTS(b);
            idx = (gint64)gst_util_uint64_scale_round(pts, (guint64)p->in_rate, GST_SECOND);
            /* After a seek into an MP3 the parser's timestamps are sums of
             * frame durations truncated to the nanosecond (0.98 ns short
             * per frame at 44.1 kHz, 6 samples after an hour), and the
             * decoder clips the first frame to the segment by rounding
             * down: the first sample really is this many samples later.
             * Counted samples (a full decode) are exact. Measured against
             * full decodes at 10, 30 and 58 minutes. */
            if (p->d->mp3_drift_on)
                idx += (gint64)floor((double)pts * p->d->mp3_drift * (double)p->in_rate / 1e9);
        }
        /* Start on a grid point so that output sample k of this pass is
         * stream sample out_pos + k exactly. */
        gint64 aligned = (idx + p->in_step - 1) / p->in_step * p->in_step;
        size_t skip = (size_t)(aligned - idx);
        if (skip >= n)
            return 0;
        x += skip;
        n -= skip;
        p->in_pos = aligned;
        p->out_pos = aligned / p->in_step * (p->out_rate / gcd64(p->in_rate, p->out_rate));
    }
    p->in_pos += (gint64)n;
    if (!p->rs) {
        int rc = p->emit(p->user, p->out_pos, x, n);
        p->out_pos += (gint64)n;
        return rc;
    }
    return resample_emit(p, x, n);
}

/* End of stream: push the filter's tail out, up to the sample whose time
 * is the end of the input (ceil(in * R / Rin) samples in all). */
static int pass_finish(pass *p)
{
    if (!p->rs || p->in_pos < 0)
        return 0;
    gint64 end = (gint64)gst_util_uint64_scale_ceil((guint64)p->in_pos, (guint64)p->out_rate,
                                                    (guint64)p->in_rate);
    size_t lat = gst_audio_resampler_get_max_latency(p->rs);
    if (p->out_pos >= end || lat == 0)
        return 0;
    /* Feed zeros in one go, then emit only up to `end`. */
    sh_decoder *d = p->d;
    size_t out_n = gst_audio_resampler_get_out_frames(p->rs, lat * 2);
    if (!grow_floats(&d->scratch, &d->scratch_cap, out_n))
        return SH_ERR_NOMEM;
    gpointer out[1] = {d->scratch};
    gst_audio_resampler_resample(p->rs, NULL, lat * 2, out, out_n);
    size_t keep = (size_t)(end - p->out_pos);
    if (keep > out_n)
        keep = out_n;
    int rc = keep ? p->emit(p->user, p->out_pos, d->scratch, keep) : 0;
    p->out_pos += (gint64)keep;
    return rc;
}

/* The format of the buffers to come, from a caps event (streaming
 * thread, pass_lock held). */
static void set_format(sh_decoder *d, GstCaps *caps)
{
    GstAudioInfo ai;
    d->cur_ok = false;
    if (!caps || !gst_audio_info_from_caps(&ai, caps) || GST_AUDIO_INFO_CHANNELS(&ai) < 1)
        return;
    GstAudioFormat f = GST_AUDIO_INFO_FORMAT(&ai);
    if (f != GST_AUDIO_FORMAT_S16LE && f != GST_AUDIO_FORMAT_F32LE)
        return;
    d->cur_s16 = f == GST_AUDIO_FORMAT_S16LE;
    d->cur_channels = GST_AUDIO_INFO_CHANNELS(&ai);
    d->cur_rate = GST_AUDIO_INFO_RATE(&ai);
    d->cur_ok = true;
}

/* Mix one interleaved buffer to mono float (the mean of the channels,
 * like audioconvert's default matrix for stereo). Returns the samples,
 * pointing into the buffer itself when it already is mono float. */
static const float *to_mono(sh_decoder *d, const void *data, size_t bytes, size_t *frames)
{
    int ch = d->cur_channels;
    size_t n = bytes / ((d->cur_s16 ? 2u : 4u) * (size_t)ch);
    *frames = n;
    if (!d->cur_s16 && ch == 1)
        return data;
    if (!grow_floats(&d->mono, &d->mono_cap, n))
        return NULL;
    float *out = d->mono;
    if (d->cur_s16) {
        const int16_t *x = data;
        const float k = 1.0f / (32768.0f * (float)ch);
        if (ch == 2) {
            for (size_t i = 0; i < n; i++)
                out[i] = (float)(x[2 * i] + x[2 * i + 1]) * k;
        } else {
            for (size_t i = 0; i < n; i++) {
                int32_t sum = 0;
                for (int c = 0; c < ch; c++)
                    sum += x[i * (size_t)ch + (size_t)c];
                out[i] = (float)sum * k;
            }
        }
    } else {
        const float *x = data;
        const float k = 1.0f / (float)ch;
        for (size_t i = 0; i < n; i++) {
            float sum = 0;
            for (int c = 0; c < ch; c++)
                sum += x[i * (size_t)ch + (size_t)c];
            out[i] = sum * k;
        }
    }
    return out;
}

/* One buffer of the active pass (streaming thread, pass_lock held).
 * Returns 0, > 0 when the pass is complete, or a negative code. */
static int feed_buffer(sh_decoder *d, GstBuffer *b)
{
    if (!d->cur_ok || d->cur_rate != d->info.rate)
        return SH_ERR_FORMAT;
    GstMapInfo map;
    if (!gst_buffer_map(b, &map, GST_MAP_READ))
        return SH_ERR_DECODE;
    size_t frames = 0;
    const float *x;
    if (d->active->count_only) { /* e.g. info --exact: no need to mix */
        static const float unused[1];
        frames = map.size / ((d->cur_s16 ? 2u : 4u) * (size_t)d->cur_channels);
        x = unused;
    } else {
        x = to_mono(d, map.data, map.size, &frames);
    }
    int rc = x ? pass_feed(d->active, b, x, frames) : SH_ERR_NOMEM;
    gst_buffer_unmap(b, &map);
    return rc;
}

/* Probe on the appsink's sink pad. While a pass is active, every buffer
 * is decoded into it right here in the streaming thread and dropped: no
 * hand-over to our thread per buffer (two context switches each, a third
 * of the CPU time of a whole-file pass). Otherwise buffers go on to the
 * appsink, whose bounded queue parks the pipeline between reads (and lets
 * it preroll when opening). */
static GstPadProbeReturn on_sink_data(GstPad *pad, GstPadProbeInfo *info, gpointer user)
{
    (void)pad;
    sh_decoder *d = user;
    GstPadProbeReturn ret = GST_PAD_PROBE_OK;
    g_mutex_lock(&d->pass_lock);
    if (info->type & (GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH)) {
        GstEvent *e = GST_PAD_PROBE_INFO_EVENT(info);
        if (GST_EVENT_TYPE(e) == GST_EVENT_CAPS) {
            GstCaps *caps = NULL;
            gst_event_parse_caps(e, &caps);
            set_format(d, caps);
        } else if (GST_EVENT_TYPE(e) == GST_EVENT_FLUSH_STOP) {
            d->await_flush = false;
        } else if (GST_EVENT_TYPE(e) == GST_EVENT_EOS && d->active && !d->await_flush && d->pass_state == 0) {
            d->pass_state = 1;
            g_cond_signal(&d->pass_cond);
        }
    } else if (d->active && d->pass_state == 0) {
        /* Before the seek's flush: data from the old position. */
        if (!d->await_flush) {
            int rc = 0;
            if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
                rc = feed_buffer(d, GST_PAD_PROBE_INFO_BUFFER(info));
            } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
                GstBufferList *l = GST_PAD_PROBE_INFO_BUFFER_LIST(info);
                for (guint i = 0; i < gst_buffer_list_length(l) && rc == 0; i++)
                    rc = feed_buffer(d, gst_buffer_list_get(l, i));
            }
            if (rc != 0) {
                d->pass_state = rc > 0 ? 2 : rc;
                g_cond_signal(&d->pass_cond);
            }
        }
        ret = GST_PAD_PROBE_DROP;
    }
    g_mutex_unlock(&d->pass_lock);
    return ret;
}

/* Seek to t and decode from there into p until the end of the stream or
 * until p's emit function says stop. Returns 0 at the end of the stream, 1
 * when stopped, or a negative code (err filled; *decoded_s says how far the
 * input got). */
static int run_pass(sh_decoder *d, pass *p, GstClockTime t, double *decoded_s, sh_error *err)
{
    *decoded_s = 0;
    g_mutex_lock(&d->pass_lock);
    d->active = p;
    d->await_flush = true;
    d->pass_state = 0;
    g_mutex_unlock(&d->pass_lock);

    int rc = seek_to(d, t);
    if (rc != SH_OK) {
        g_mutex_lock(&d->pass_lock);
        d->active = NULL;
        g_mutex_unlock(&d->pass_lock);
        return sh_error_set(err, rc, "%s: cannot seek to %.3f s", d->path, (double)t / GST_SECOND);
    }
    /* Wait for the end, watching for errors and for a stall. */
    gint64 last_pos = -1;
    sh_stall_watch sw;
    sh_stall_start(&sw, IDLE_TIMEOUT_S);
    g_mutex_lock(&d->pass_lock);
    while (d->pass_state == 0) {
        g_cond_wait_until(&d->pass_cond, &d->pass_lock, g_get_monotonic_time() + 100 * G_TIME_SPAN_MILLISECOND);
        if (d->pass_state != 0)
            break;
        if (g_atomic_int_get(&d->failed)) {
            d->pass_state = SH_ERR_DECODE;
            break;
        }
        bool moved = p->in_pos != last_pos;
        last_pos = p->in_pos;
        if (sh_stall_check(&sw, moved) > 0) {
            d->pass_state = SH_ERR_INTERRUPTED;
            break;
        }
    }
    int state = d->pass_state;
    d->active = NULL;
    g_mutex_unlock(&d->pass_lock);

    *decoded_s = p->in_pos > 0 ? (double)p->in_pos / (double)p->in_rate : 0.0;
    if (state < 0)
        return pass_failure(d, state, *decoded_s, err);
    if (state == 2)
        return 1;
    d->dirty = true; /* reached the end of the stream (see ensure_clean) */
    rc = pass_finish(p);
    if (rc < 0)
        return sh_error_set(err, rc, "%s: out of memory while decoding", d->path);
    return rc > 0 ? 1 : 0;
}

typedef struct segment {
    float *buf;
    gint64 first, start, last; /* indices: buf[0] is `first`; fill [start, last) */
    gint64 reached;            /* filled up to here */
} segment;

static int segment_emit(void *user, gint64 idx, const float *x, size_t n)
{
    segment *g = user;
    gint64 lo = idx > g->start ? idx : g->start;
    gint64 hi = idx + (gint64)n < g->last ? idx + (gint64)n : g->last;
    if (hi > lo)
        memcpy(g->buf + (lo - g->first), x + (lo - idx), (size_t)(hi - lo) * sizeof(float));
    if (hi > g->reached)
        g->reached = hi;
    return idx + (gint64)n >= g->last ? 1 : 0;
}

int sh_decoder_read_segment(sh_decoder *d, double begin_s, double end_s, float **out, size_t *n,
                            sh_error *err)
{
    if (!d || !out || !n)
        return sh_error_set(err, SH_ERR_INVALID, "sh_decoder_read_segment: bad arguments");
    *out = NULL;
    *n = 0;
    if (!isfinite(begin_s) || !isfinite(end_s) || end_s < begin_s || end_s > 1e7 || begin_s < -1e7)
        return sh_error_set(err, SH_ERR_INVALID, "%s: bad segment %g..%g s", d->path, begin_s, end_s);
    const gint64 R = d->rate;
    segment g = {0};
    g.first = llround(begin_s * (double)R);
    g.last = llround(end_s * (double)R);
    size_t want = (size_t)(g.last - g.first);
    g.buf = calloc(want ? want : 1, sizeof(float)); /* zeros before 0 */
    if (!g.buf)
        return sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory for a %.1f s segment", d->path,
                            end_s - begin_s);
    g.start = g.first > 0 ? g.first : 0;
    g.reached = g.start;
    if (g.start >= g.last) {
        *out = g.buf;
        *n = want;
        return SH_OK;
    }

    int rc = ensure_clean(d, err);
    if (rc != SH_OK) {
        free(g.buf);
        return rc;
    }
    /* Seek a margin early, to a time on both sample grids (see top). */
    gint64 gcd = gcd64(d->info.rate, R);
    double from_s = (double)g.start / (double)R - SEEK_MARGIN_S;
    gint64 units = from_s > 0 ? (gint64)floor(from_s * (double)gcd) : 0;
    GstClockTime t = gst_util_uint64_scale((guint64)units, GST_SECOND, (guint64)gcd);
    mp3_seed_index(d, t);
    pass p;
    rc = pass_init(&p, d, segment_emit, &g);
    if (rc != SH_OK) {
        free(g.buf);
        return sh_error_set(err, rc, "%s: cannot resample from %d to %d Hz", d->path, d->info.rate, d->rate);
    }
    double at = 0;
    rc = run_pass(d, &p, t, &at, err);
    pass_clear(&p);
    if (rc < 0) {
        free(g.buf);
        return rc;
    }
    *out = g.buf;
    *n = (size_t)(g.reached - g.first);
    return SH_OK;
}

typedef struct stream_state {
    sh_decode_block_fn fn;
    void *user;
    uint64_t total;
    int stopped;
} stream_state;

static int stream_emit(void *user, gint64 idx, const float *x, size_t n)
{
    (void)idx;
    stream_state *st = user;
    st->total += n;
    if (st->fn && st->fn(st->user, x, n)) {
        st->stopped = 1;
        return 1;
    }
    return 0;
}

int sh_decoder_stream(sh_decoder *d, sh_decode_block_fn fn, void *user, uint64_t *total_frames,
                      bool *truncated, sh_error *err)
{
    if (total_frames)
        *total_frames = 0;
    if (truncated)
        *truncated = false;
    if (!d)
        return sh_error_set(err, SH_ERR_INVALID, "sh_decoder_stream: no decoder");
    int rc = ensure_clean(d, err);
    if (rc != SH_OK)
        return rc;
    stream_state st = {.fn = fn, .user = user};
    pass p;
    rc = pass_init(&p, d, stream_emit, &st);
    p.count_only = !fn && !p.rs;
    if (rc != SH_OK)
        return sh_error_set(err, rc, "%s: cannot resample from %d to %d Hz", d->path, d->info.rate, d->rate);
    double at = 0;
    sh_error why = {0};
    rc = run_pass(d, &p, 0, &at, &why);
    pass_clear(&p);
    if (total_frames)
        *total_frames = st.total;
    if (rc > 0)
        return SH_ERR_INTERRUPTED; /* fn asked to stop */
    if (rc < 0) {
        if (st.total == 0 || why.code == SH_ERR_NOMEM) {
            if (err)
                *err = why;
            return rc;
        }
        /* Decoded part of it: keep that, and say where it stopped. */
        if (truncated)
            *truncated = true;
        sh_error_set(err, SH_OK, "%s: decoding stopped at %.2f s: %s", d->path, at, why.message);
        return SH_OK;
    }
    /* The header announced more than there was: a truncated file. Only
     * the header's own figure (WAV data size, MP3 Xing/Info frame count) is
     * trusted: GStreamer's estimate may be the video's length or a guess
     * from the bitrate. Only a clear shortfall counts. */
    double got = (double)st.total / d->rate, announced = d->declared_s;
    if (announced > 0 && got < announced - 0.5 && got < announced * 0.98) {
        if (truncated)
            *truncated = true;
        sh_error_set(err, SH_OK,
                     "%s: the file ends early: decoded %.2f s of the %.2f s its header announces "
                     "(truncated download or copy?)",
                     d->path, got, announced);
    }
    return SH_OK;
}
