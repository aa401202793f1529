/* The player: a segment rendered once (fades, tempo) and read by the
 * callback with loops, gaps, pause, volume and live tempo changes.
 *
 * Hand-over without locks: the control thread allocates an immutable
 * sh_render and publishes it through `pending` (an atomic exchange). The
 * callback takes it at the start of its next period and acknowledges its
 * generation number; renders older than the acknowledged one can no longer
 * be seen by the callback and are freed by the control thread. */
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio/internal.h"
#include "core/util.h"
#include "shadowing/decode.h"

sh_play_params sh_play_params_init(void)
{
    sh_play_params p;
    memset(&p, 0, sizeof p);
    p.loops = 1;
    p.speed = 1.0;
    p.volume = 1.0;
    p.fade_s = 0.005;
    return p;
}

void sh_audio_apply_fades(float *x, size_t n, size_t fade_n)
{
    if (fade_n > n / 2)
        fade_n = n / 2;
    /* Raised cosine: g(i) = sin^2(pi/2 * (i + 0.5) / fade_n). Symmetric, so
     * the fade-out is the fade-in reversed; half a sample of offset keeps
     * the first and last samples non-zero but tiny. */
    for (size_t i = 0; i < fade_n; i++) {
        double s = sin(M_PI / 2.0 * ((double)i + 0.5) / (double)fade_n);
        float g = (float)(s * s);
        x[i] *= g;
        x[n - 1 - i] *= g;
    }
}

/* ---- tempo change through GStreamer's scaletempo ---- */

int sh_audio_time_stretch(const float *x, size_t n, int rate, double speed, float **out,
                          size_t *out_n, sh_error *err)
{
    *out = NULL;
    *out_n = 0;
    if (!(speed >= 0.5 && speed <= 1.5) || rate <= 0 || n == 0)
        return sh_error_set(err, SH_ERR_INVALID, "speed %.2f is outside 0.5..1.5", speed);
    int rc = sh_gst_init(err);
    if (rc != SH_OK)
        return rc;
    size_t want = (size_t)llround((double)n / speed);
    /* scaletempo keeps back up to a stride plus its search window at the
     * end (tens of ms at 0.5x): pad the input so the real end comes out. */
    size_t pad = (size_t)rate / 4;
    GstElement *pipe = NULL, *src = NULL, *st = NULL, *conv = NULL, *sink = NULL;
    float *res = NULL;
    size_t got = 0;
    pipe = gst_pipeline_new("stretch");
    src = gst_element_factory_make("appsrc", NULL);
    st = gst_element_factory_make("scaletempo", NULL);
    conv = gst_element_factory_make("audioconvert", NULL);
    sink = gst_element_factory_make("appsink", NULL);
    if (!pipe || !src || !st || !conv || !sink) {
        if (pipe)
            gst_object_unref(pipe);
        if (src) gst_object_unref(src);
        if (st) gst_object_unref(st);
        if (conv) gst_object_unref(conv);
        if (sink) gst_object_unref(sink);
        return sh_error_set(err, SH_ERR_NO_PLUGIN,
                            "GStreamer's scaletempo is missing: install gstreamer1.0-plugins-good");
    }
    GstCaps *caps = gst_caps_new_simple("audio/x-raw", "format", G_TYPE_STRING, "F32LE", "rate", G_TYPE_INT,
                                        rate, "channels", G_TYPE_INT, 1, "layout", G_TYPE_STRING,
                                        "interleaved", NULL);
    g_object_set(src, "caps", caps, "format", GST_FORMAT_TIME, "handle-segment-change", TRUE, NULL);
    g_object_set(sink, "caps", caps, "sync", FALSE, NULL);
    gst_bin_add_many(GST_BIN(pipe), src, st, conv, sink, NULL);
    if (!gst_element_link_many(src, st, conv, sink, NULL)) {
        gst_caps_unref(caps);
        gst_object_unref(pipe);
        return sh_error_set(err, SH_ERR_DECODE, "cannot build the scaletempo pipeline");
    }
    res = malloc((want + 1) * sizeof(float));
    if (!res) {
        gst_caps_unref(caps);
        gst_object_unref(pipe);
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    }
    gst_element_set_state(pipe, GST_STATE_PLAYING);

    /* One buffer holding the segment and its padding, in a segment whose
     * rate is the speed: scaletempo turns that rate into a tempo change. */
    size_t total = n + pad;
    GstBuffer *buf = gst_buffer_new_allocate(NULL, total * sizeof(float), NULL);
    GstMapInfo map;
    gst_buffer_map(buf, &map, GST_MAP_WRITE);
    memcpy(map.data, x, n * sizeof(float));
    memset(map.data + n * sizeof(float), 0, pad * sizeof(float));
    gst_buffer_unmap(buf, &map);
    GST_BUFFER_PTS(buf) = 0;
    GST_BUFFER_DURATION(buf) = gst_util_uint64_scale(total, GST_SECOND, (guint64)rate);
    GstSegment seg;
    gst_segment_init(&seg, GST_FORMAT_TIME);
    seg.rate = speed;
    GstSample *sample = gst_sample_new(buf, caps, &seg, NULL);
    gst_buffer_unref(buf);
    gst_caps_unref(caps);
    gst_app_src_push_sample(GST_APP_SRC(src), sample);
    gst_sample_unref(sample);
    gst_app_src_end_of_stream(GST_APP_SRC(src));

    bool failed = false;
    for (;;) {
        GstSample *s = gst_app_sink_try_pull_sample(GST_APP_SINK(sink), 10 * GST_SECOND);
        if (!s) {
            failed = !gst_app_sink_is_eos(GST_APP_SINK(sink));
            break;
        }
        GstBuffer *b = gst_sample_get_buffer(s);
        if (b && gst_buffer_map(b, &map, GST_MAP_READ)) {
            size_t k = map.size / sizeof(float);
            if (k > want - got)
                k = want - got;
            memcpy(res + got, map.data, k * sizeof(float));
            got += k;
            gst_buffer_unmap(b, &map);
        }
        gst_sample_unref(s);
    }
    GstBus *bus = gst_element_get_bus(pipe);
    GstMessage *m = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR);
    if (m) {
        failed = true;
        gst_message_unref(m);
    }
    gst_object_unref(bus);
    gst_element_set_state(pipe, GST_STATE_NULL);
    gst_object_unref(pipe);
    if (failed) {
        free(res);
        return sh_error_set(err, SH_ERR_DECODE, "scaletempo failed to change the speed to %.2f", speed);
    }
    /* Padding makes this rare; should scaletempo still come up short, the
     * missing end is silence rather than a shorter loop. */
    if (got < want)
        memset(res + got, 0, (want - got) * sizeof(float));
    *out = res;
    *out_n = want;
    return SH_OK;
}

/* ---- control side ---- */

static void free_acked(sh_player *pl)
{
    uint64_t acked = atomic_load_explicit(&pl->acked_gen, memory_order_acquire);
    sh_render **pp = &pl->renders;
    while (*pp) {
        sh_render *r = *pp;
        if (r->gen < acked) {
            *pp = r->next;
            free(r->buf);
            free(r);
        } else {
            pp = &r->next;
        }
    }
}

static void post(sh_audio *a, sh_render *r)
{
    sh_player *pl = &a->player;
    r->gen = pl->next_gen++;
    r->next = pl->renders;
    pl->renders = r;
    sh_render *old = atomic_exchange_explicit(&pl->pending, r, memory_order_acq_rel);
    /* An older pending render the callback never took: unreachable now. */
    if (old) {
        for (sh_render **pp = &pl->renders; *pp; pp = &(*pp)->next)
            if (*pp == old) {
                *pp = old->next;
                break;
            }
        free(old->buf);
        free(old);
    }
    free_acked(pl);
}

static int render(sh_audio *a, double speed, sh_render **out, sh_error *err)
{
    sh_player *pl = &a->player;
    sh_render *r = calloc(1, sizeof *r);
    if (!r)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    int rc;
    if (fabs(speed - 1.0) < 1e-9) {
        r->buf = malloc(pl->orig_n * sizeof(float));
        if (!r->buf) {
            free(r);
            return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        }
        memcpy(r->buf, pl->orig, pl->orig_n * sizeof(float));
        r->n = pl->orig_n;
        speed = 1.0;
    } else if ((rc = sh_audio_time_stretch(pl->orig, pl->orig_n, a->rate, speed, &r->buf, &r->n, err)) !=
               SH_OK) {
        free(r);
        return rc;
    }
    sh_audio_apply_fades(r->buf, r->n, (size_t)lround(pl->params.fade_s * a->rate));
    atomic_init(&r->avail, r->n);
    atomic_init(&r->complete, true);
    r->seg_n = pl->orig_n;
    r->speed = speed;
    r->gap_base_n = pl->params.gap_base_s > 0 ? pl->params.gap_base_s * a->rate : (double)pl->orig_n;
    *out = r;
    return SH_OK;
}

static int check_params(const sh_play_params *prm, sh_error *err);

int sh_player_start(sh_audio *a, const float *samples, size_t n, const sh_play_params *p,
                    bool start_record, sh_error *err)
{
    sh_player *pl = &a->player;
    if (!a->playback)
        return sh_error_set(err, SH_ERR_INVALID, "audio: the stream was opened without playback");
    if (n == 0)
        return sh_error_set(err, SH_ERR_INVALID, "audio: nothing to play (empty segment)");
    sh_play_params prm = p ? *p : sh_play_params_init();
    int prc = check_params(&prm, err);
    if (prc != SH_OK)
        return prc;
    float *copy = malloc(n * sizeof(float));
    if (!copy)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    memcpy(copy, samples, n * sizeof(float));
    pl->loading = NULL; /* a new play ends any progressive load */
    float *old_orig = pl->orig;
    size_t old_n = pl->orig_n;
    sh_play_params old_params = pl->params;
    pl->orig = copy;
    pl->orig_n = n;
    pl->params = prm;
    sh_render *r = NULL;
    int rc = render(a, prm.speed, &r, err);
    if (rc != SH_OK) {
        pl->orig = old_orig;
        pl->orig_n = old_n;
        pl->params = old_params;
        free(copy);
        return rc;
    }
    free(old_orig);
    r->reset = true;
    r->start_record = start_record;
    if (start_record)
        atomic_store_explicit(&pl->shadow_posted, true, memory_order_release);
    atomic_store(&pl->loops, prm.loops);
    atomic_store(&pl->gap_s, prm.gap_s);
    atomic_store(&pl->gap_factor, prm.gap_factor);
    atomic_store(&pl->volume, prm.volume < 0 ? 0 : prm.volume > 2 ? 2 : prm.volume);
    atomic_store(&pl->paused, false);
    post(a, r);
    return SH_OK;
}

int sh_audio_play(sh_audio *a, const float *samples, size_t n, const sh_play_params *p, sh_error *err)
{
    return sh_player_start(a, samples, n, p, false, err);
}

static int check_params(const sh_play_params *prm, sh_error *err)
{
    if (!(prm->speed >= 0.5 && prm->speed <= 1.5))
        return sh_error_set(err, SH_ERR_INVALID, "speed %g is outside 0.5..1.5", prm->speed);
    if (prm->loops < 0 || !(prm->gap_s >= 0) || !(prm->gap_factor >= 0) || !(prm->fade_s >= 0))
        return sh_error_set(err, SH_ERR_INVALID, "audio: negative loops, gap or fade");
    return SH_OK;
}

int sh_audio_play_begin(sh_audio *a, size_t n_total, const float *first, size_t n_first, const sh_play_params *p,
                        sh_error *err)
{
    sh_player *pl = &a->player;
    if (!a->playback)
        return sh_error_set(err, SH_ERR_INVALID, "audio: the stream was opened without playback");
    if (n_total == 0 || n_first > n_total)
        return sh_error_set(err, SH_ERR_INVALID, "audio: bad progressive segment size");
    sh_play_params prm = p ? *p : sh_play_params_init();
    int rc = check_params(&prm, err);
    if (rc != SH_OK)
        return rc;
    if (fabs(prm.speed - 1.0) > 1e-9)
        return sh_error_set(err, SH_ERR_INVALID, "audio: progressive playback is at speed 1 only");
    float *orig = malloc(n_total * sizeof(float));
    sh_render *r = calloc(1, sizeof *r);
    float *buf = malloc(n_total * sizeof(float));
    if (!orig || !r || !buf) {
        free(orig);
        free(r);
        free(buf);
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    }
    free(pl->orig);
    pl->orig = orig;
    pl->orig_n = n_total;
    pl->params = prm;
    pl->params.speed = 1.0;
    r->buf = buf;
    r->n = n_total;
    r->seg_n = n_total;
    r->speed = 1.0;
    r->gap_base_n = prm.gap_base_s > 0 ? prm.gap_base_s * a->rate : (double)n_total;
    r->reset = true;
    atomic_init(&r->avail, 0);
    atomic_init(&r->complete, false);
    pl->loading = r;
    pl->received = 0;
    pl->fade_n = (size_t)lround(prm.fade_s * a->rate);
    if (pl->fade_n > n_total / 2)
        pl->fade_n = n_total / 2;
    atomic_store(&pl->loops, prm.loops);
    atomic_store(&pl->gap_s, prm.gap_s);
    atomic_store(&pl->gap_factor, prm.gap_factor);
    atomic_store(&pl->volume, prm.volume < 0 ? 0 : prm.volume > 2 ? 2 : prm.volume);
    atomic_store(&pl->paused, false);
    if (n_first && (rc = sh_audio_play_append(a, first, n_first, err)) != SH_OK)
        return rc;
    post(a, r);
    return SH_OK;
}

int sh_audio_play_append(sh_audio *a, const float *x, size_t n, sh_error *err)
{
    sh_player *pl = &a->player;
    sh_render *r = pl->loading;
    if (!r)
        return sh_error_set(err, SH_ERR_INVALID, "audio: no progressive play is loading");
    if (n > r->n - pl->received)
        return sh_error_set(err, SH_ERR_INVALID, "audio: more samples than announced");
    memcpy(pl->orig + pl->received, x, n * sizeof(float));
    memcpy(r->buf + pl->received, x, n * sizeof(float));
    /* The fade-in is applied before those samples are published. */
    for (size_t i = pl->received; i < pl->received + n && i < pl->fade_n; i++) {
        double s = sin(M_PI / 2.0 * ((double)i + 0.5) / (double)pl->fade_n);
        r->buf[i] *= (float)(s * s);
    }
    pl->received += n;
    /* Hold back the last fade_n samples: they may get the fade-out. */
    size_t pub = pl->received > pl->fade_n ? pl->received - pl->fade_n : 0;
    if (pub > atomic_load_explicit(&r->avail, memory_order_relaxed))
        atomic_store_explicit(&r->avail, pub, memory_order_release);
    if (pl->received == r->n)
        return sh_audio_play_finish(a, err);
    return SH_OK;
}

int sh_audio_play_finish(sh_audio *a, sh_error *err)
{
    sh_player *pl = &a->player;
    sh_render *r = pl->loading;
    if (!r)
        return sh_error_set(err, SH_ERR_INVALID, "audio: no progressive play is loading");
    size_t n = pl->received;
    size_t f = pl->fade_n;
    if (f > n / 2)
        f = n / 2;
    for (size_t i = 0; i < f; i++) {
        double s = sin(M_PI / 2.0 * ((double)i + 0.5) / (double)f);
        r->buf[n - 1 - i] *= (float)(s * s);
    }
    pl->orig_n = n;
    pl->loading = NULL;
    atomic_store_explicit(&r->avail, n, memory_order_release);
    atomic_store_explicit(&r->complete, true, memory_order_release);
    return SH_OK;
}

void sh_audio_play_stop(sh_audio *a)
{
    a->player.loading = NULL; /* its render may be freed from now on */
    sh_render *r = calloc(1, sizeof *r);
    if (r) {
        r->stop = true;
        post(a, r);
    } else {
        /* Out of memory: pausing at least silences it. */
        atomic_store(&a->player.paused, true);
    }
}

void sh_audio_play_pause(sh_audio *a, bool paused)
{
    atomic_store(&a->player.paused, paused);
}

int sh_audio_play_set_speed(sh_audio *a, double speed, sh_error *err)
{
    sh_player *pl = &a->player;
    if (!(speed >= 0.5 && speed <= 1.5))
        return sh_error_set(err, SH_ERR_INVALID, "speed %g is outside 0.5..1.5", speed);
    if (!pl->orig)
        return sh_error_set(err, SH_ERR_INVALID, "audio: nothing is loaded to change the speed of");
    if (pl->loading)
        return sh_error_set(err, SH_ERR_INVALID, "audio: the segment is still loading; try again");
    sh_render *r = NULL;
    int rc = render(a, speed, &r, err);
    if (rc != SH_OK)
        return rc;
    pl->params.speed = r->speed;
    post(a, r);
    return SH_OK;
}

void sh_audio_play_set_loops(sh_audio *a, int loops)
{
    atomic_store(&a->player.loops, loops < 0 ? 0 : loops);
    a->player.params.loops = loops;
}

void sh_audio_play_set_gap(sh_audio *a, double gap_s, double gap_factor)
{
    atomic_store(&a->player.gap_s, gap_s > 0 ? gap_s : 0);
    atomic_store(&a->player.gap_factor, gap_factor > 0 ? gap_factor : 0);
}

void sh_audio_play_set_volume(sh_audio *a, double volume)
{
    atomic_store(&a->player.volume, volume < 0 ? 0 : volume > 2 ? 2 : volume);
}

void sh_audio_play_status(const sh_audio *a, sh_play_status *st)
{
    sh_player *pl = &((sh_audio *)a)->player;
    memset(st, 0, sizeof *st);
    /* A play posted but not yet taken by the callback counts as active. */
    sh_render *p = atomic_load(&pl->pending);
    st->active = atomic_load(&pl->st_active) || (p && p->reset);
    st->paused = atomic_load(&pl->paused);
    st->in_gap = atomic_load(&pl->st_in_gap);
    st->loop = atomic_load(&pl->st_loop);
    st->loops = atomic_load(&pl->loops);
    st->position_s = atomic_load(&pl->st_pos_s);
    st->length_s = pl->orig_n ? (double)pl->orig_n / a->rate : 0;
    st->speed = pl->params.speed ? pl->params.speed : 1.0;
    st->frames_out = atomic_load(&pl->st_frames_out);
    st->started_at = atomic_load(&pl->st_started_at);
}

void sh_player_cleanup(sh_audio *a)
{
    sh_player *pl = &a->player;
    /* The stream is stopped: nothing can see the renders any more. */
    atomic_store(&pl->pending, NULL);
    while (pl->renders) {
        sh_render *r = pl->renders;
        pl->renders = r->next;
        free(r->buf);
        free(r);
    }
    free(pl->orig);
    pl->orig = NULL;
    pl->loading = NULL;
}

/* ---- callback side: no allocation, locks, logging or I/O below ---- */

static size_t gap_frames(sh_audio *a, const sh_render *r)
{
    double f = atomic_load_explicit(&a->player.gap_factor, memory_order_relaxed);
    double g = f > 0 ? f * r->gap_base_n / r->speed
                     : atomic_load_explicit(&a->player.gap_s, memory_order_relaxed) * a->rate;
    return g > 0 ? (size_t)llround(g) : 0;
}

unsigned long sh_player_process(sh_audio *a, float *out, unsigned long frames)
{
    sh_player *pl = &a->player;
    sh_render *p = atomic_exchange_explicit(&pl->pending, NULL, memory_order_acq_rel);
    if (p) {
        if (p->stop) {
            pl->active = false;
        } else if (!p->reset && (!pl->cur || !pl->active)) {
            /* A tempo change while nothing plays does not start playback
             * (the next sh_audio_play brings its own speed). */
        } else if (p->reset) {
            pl->pos = 0;
            pl->gap_left = 0;
            pl->loop = 0;
            pl->frames_out = 0;
            pl->active = true;
            atomic_store_explicit(&pl->st_started_at, 0.0, memory_order_relaxed);
            if (p->start_record)
                pl->shadow_begins = true;
        } else {
            /* Tempo change: continue at the same place in the segment. */
            double frac = pl->cur->n ? (double)pl->pos / (double)atomic_load(&pl->cur->avail) : 0;
            pl->pos = (size_t)(frac * (double)p->n);
            if (pl->pos > p->n)
                pl->pos = p->n;
            if (pl->gap_left)
                pl->gap_left = (size_t)((double)pl->gap_left * pl->cur->speed / p->speed);
        }
        pl->cur = p;
        atomic_store_explicit(&pl->acked_gen, p->gen, memory_order_release);
    }
    unsigned long i = 0;
    const sh_render *r = pl->cur;
    if (pl->active && r && !atomic_load_explicit(&pl->paused, memory_order_relaxed)) {
        float vol = (float)atomic_load_explicit(&pl->volume, memory_order_relaxed);
        /* complete is read before avail: a complete render's avail is final. */
        bool complete = atomic_load_explicit(&r->complete, memory_order_acquire);
        size_t avail = atomic_load_explicit(&r->avail, memory_order_acquire);
        size_t end = complete ? avail : r->n;
        while (i < frames) {
            if (pl->gap_left) {
                size_t k = frames - i < pl->gap_left ? frames - i : pl->gap_left;
                memset(out + i, 0, k * sizeof(float));
                pl->gap_left -= k;
                i += (unsigned long)k;
                continue;
            }
            if (pl->pos >= avail && !complete) {
                /* Loading has not kept up: silence, not garbage. */
                atomic_fetch_add_explicit(&pl->starved, 1, memory_order_relaxed);
                break;
            }
            if (pl->pos >= end) {
                pl->loop++;
                int loops = atomic_load_explicit(&pl->loops, memory_order_relaxed);
                if (loops > 0 && pl->loop >= loops) {
                    pl->active = false;
                    break;
                }
                pl->pos = 0;
                pl->gap_left = gap_frames(a, r);
                continue;
            }
            size_t k = frames - i < avail - pl->pos ? frames - i : avail - pl->pos;
            const float *src = r->buf + pl->pos;
            if (vol == 1.0f) {
                memcpy(out + i, src, k * sizeof(float));
            } else {
                for (size_t j = 0; j < k; j++)
                    out[i + j] = src[j] * vol;
            }
            pl->pos += k;
            i += (unsigned long)k;
        }
        /* A segment ending exactly on this period's end with no loop to
         * follow is finished now, not one period later. */
        if (pl->active && complete && pl->pos >= end && !pl->gap_left) {
            int loops = atomic_load_explicit(&pl->loops, memory_order_relaxed);
            if (loops > 0 && pl->loop + 1 >= loops) {
                pl->loop++;
                pl->active = false;
            }
        }
    }
    if (i < frames)
        memset(out + i, 0, (frames - i) * sizeof(float));
    if (i && pl->frames_out == 0) {
        atomic_store_explicit(&pl->st_started_at, sh_clock_now(), memory_order_relaxed);
    }
    pl->frames_out += i;
    atomic_store_explicit(&pl->st_active, pl->active, memory_order_relaxed);
    atomic_store_explicit(&pl->st_in_gap, pl->gap_left > 0, memory_order_relaxed);
    atomic_store_explicit(&pl->st_loop, pl->loop, memory_order_relaxed);
    if (r && r->n) {
        double segpos = pl->gap_left ? (double)r->seg_n : (double)pl->pos * (double)r->seg_n / (double)r->n;
        if (segpos > (double)r->seg_n)
            segpos = (double)r->seg_n;
        atomic_store_explicit(&pl->st_pos_s, segpos / a->rate, memory_order_relaxed);
    }
    atomic_store_explicit(&pl->st_frames_out, pl->frames_out, memory_order_relaxed);
    return i;
}
