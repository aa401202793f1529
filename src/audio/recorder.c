/* The recorder: the callback pushes input samples into a lock-free ring; a
 * writer thread drains it into a WAV file (libsndfile, header updated after
 * every write so a crash leaves a valid file), measures the level, counts
 * clipped samples and runs the silence detector. */
#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio/internal.h"

/* ---- silence detector (pure) ---- */

#define VAD_MIN_THRESHOLD (-60.0f)
#define VAD_MAX_THRESHOLD (-30.0f)
#define VAD_ABOVE_FLOOR 12.0f
#define VAD_HYSTERESIS 3.0f
#define VAD_SPEECH_S 0.15
#define VAD_FLOOR_RISE_DB_PER_S 3.0

void sh_silence_init(sh_silence *v, double frame_s, double silence_s)
{
    memset(v, 0, sizeof *v);
    v->frame_s = frame_s;
    v->silence_s = silence_s;
    v->floor_db = 0; /* set by the first frame */
    v->threshold_db = VAD_MIN_THRESHOLD;
}

static float clampf(float x, float lo, float hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

bool sh_silence_feed(sh_silence *v, float level_db)
{
    if (v->elapsed_s == 0)
        v->floor_db = level_db;
    v->elapsed_s += v->frame_s;
    /* Noise floor: follows the level down at once, creeps up slowly so that
     * speech does not raise it; frozen while speech is going on. */
    if (level_db < v->floor_db)
        v->floor_db = level_db;
    else if (level_db < v->threshold_db)
        v->floor_db += (float)(VAD_FLOOR_RISE_DB_PER_S * v->frame_s);
    v->threshold_db = clampf(v->floor_db + VAD_ABOVE_FLOOR, VAD_MIN_THRESHOLD, VAD_MAX_THRESHOLD);
    if (level_db >= v->threshold_db) {
        v->speech_s += v->frame_s;
        if (v->speech_s >= VAD_SPEECH_S)
            v->speech = true;
    }
    if (level_db < v->threshold_db - VAD_HYSTERESIS)
        v->quiet_s += v->frame_s;
    else if (level_db >= v->threshold_db)
        v->quiet_s = 0;
    if (v->speech && v->silence_s > 0 && v->quiet_s >= v->silence_s - 1e-9)
        v->ended = true;
    return v->ended;
}

/* ---- writer thread ---- */

typedef struct sh_rec_writer {
    sh_audio *a;
    sh_record_params p;
    char *path;
    SNDFILE *sf;
    float *samples; /* keep_samples copy */
    size_t n, cap;
    uint64_t max_frames; /* 0 = none */
    sh_silence vad;
    size_t frame_len, frame_fill; /* 10 ms level frames */
    double frame_sumsq;
    float frame_peak;
    float recent_ms[5], recent_peak[5]; /* last 5 frames = 50 ms */
    int recent_i;
    int err_code;
    char err_msg[600];
} sh_rec_writer;

static float db(double power)
{
    return power > 1e-10 ? (float)(10.0 * log10(power)) : -100.0f;
}

static void level_frame_done(sh_rec_writer *w)
{
    sh_recorder *rec = &w->a->rec;
    double ms = w->frame_sumsq / (double)w->frame_len;
    w->recent_ms[w->recent_i] = (float)ms;
    w->recent_peak[w->recent_i] = w->frame_peak;
    w->recent_i = (w->recent_i + 1) % 5;
    double sum = 0;
    float pk = 0;
    for (int i = 0; i < 5; i++) {
        sum += w->recent_ms[i];
        if (w->recent_peak[i] > pk)
            pk = w->recent_peak[i];
    }
    atomic_store(&rec->level_db, db(sum / 5));
    atomic_store(&rec->peak_db, db((double)pk * pk));
    bool end = sh_silence_feed(&w->vad, db(ms));
    atomic_store(&rec->floor_db, w->vad.floor_db);
    atomic_store(&rec->speech, w->vad.speech);
    if (end) {
        int expect = SH_RECORD_RUNNING;
        atomic_compare_exchange_strong(&rec->reason, &expect, SH_RECORD_SILENCE);
    }
    w->frame_sumsq = 0;
    w->frame_peak = 0;
    w->frame_fill = 0;
}

static void fail_write(sh_rec_writer *w, int code, const char *why)
{
    sh_recorder *rec = &w->a->rec;
    w->err_code = code;
    snprintf(w->err_msg, sizeof w->err_msg, "%s: %s", w->path, why);
    atomic_store(&rec->error, code);
    int expect = SH_RECORD_RUNNING;
    atomic_compare_exchange_strong(&rec->reason, &expect, SH_RECORD_ERROR);
}

/* Consume one block from the ring: file, copy, levels, limits. Returns
 * false once the recording must end (limit reached or write failed). */
static bool consume(sh_rec_writer *w, const float *x, size_t n)
{
    sh_recorder *rec = &w->a->rec;
    uint64_t done = atomic_load(&rec->frames);
    if (w->max_frames && done + n >= w->max_frames) {
        n = (size_t)(w->max_frames - done);
        int expect = SH_RECORD_RUNNING;
        atomic_compare_exchange_strong(&rec->reason, &expect, SH_RECORD_MAX);
    }
    short pcm[4096];
    uint64_t clips = 0;
    for (size_t off = 0; off < n;) {
        size_t k = n - off < 4096 ? n - off : 4096;
        for (size_t i = 0; i < k; i++) {
            float v = x[off + i];
            /* 32767/32768: the largest 16-bit sample; anything at or past it
             * was clipped by the converter (or will be, here). */
            if (fabsf(v) >= 0.99996f)
                clips++;
            float s = v * 32768.0f;
            pcm[i] = (short)(s >= 32767.0f ? 32767 : s <= -32768.0f ? -32768 : lrintf(s));
            w->frame_sumsq += (double)v * v;
            if (fabsf(v) > w->frame_peak)
                w->frame_peak = fabsf(v);
            if (++w->frame_fill == w->frame_len)
                level_frame_done(w);
        }
        if (w->sf) {
            errno = 0;
            sf_count_t put = sf_writef_short(w->sf, pcm, (sf_count_t)k);
            if (put != (sf_count_t)k) {
                int e = errno;
                bool full = e == ENOSPC || e == EFBIG || e == EDQUOT ||
                            strstr(sf_strerror(w->sf), "space") || strstr(sf_strerror(w->sf), "too large");
                done += put > 0 ? (uint64_t)put : 0;
                atomic_store(&rec->frames, done);
                char why[300];
                snprintf(why, sizeof why, "%s while recording; the take so far (%.1f s) is kept",
                         full ? (e == EFBIG ? "file size limit reached" : "disk full")
                              : (e ? strerror(e) : sf_strerror(w->sf)),
                         (double)done / w->a->rate);
                fail_write(w, full ? SH_ERR_DISK_FULL : SH_ERR_IO, why);
                return false;
            }
        }
        if (w->p.keep_samples) {
            if (w->n + k > w->cap) {
                size_t nc = w->cap ? w->cap * 2 : (size_t)w->a->rate * 8;
                while (nc < w->n + k)
                    nc *= 2;
                float *ns = realloc(w->samples, nc * sizeof(float));
                if (!ns) {
                    fail_write(w, SH_ERR_NOMEM, "out of memory keeping the take");
                    return false;
                }
                w->samples = ns;
                w->cap = nc;
            }
            memcpy(w->samples + w->n, x + off, k * sizeof(float));
            w->n += k;
        }
        done += k;
        atomic_store(&rec->frames, done);
        off += k;
    }
    atomic_fetch_add(&rec->clips, clips);
    return atomic_load(&rec->reason) == SH_RECORD_RUNNING;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

static void *writer_main(void *arg)
{
    sh_rec_writer *w = arg;
    sh_recorder *rec = &w->a->rec;
    float buf[4800];
    for (;;) {
        size_t n = sh_ringbuf_read(&rec->rb, buf, sizeof buf / sizeof buf[0]);
        if (n) {
            if (!consume(w, buf, n))
                break;
            continue;
        }
        int st = atomic_load_explicit(&rec->state, memory_order_acquire);
        if (st == REC_STOPPED && sh_ringbuf_readable(&rec->rb) == 0)
            break; /* the callback acknowledged the stop and all is drained */
        if (atomic_load_explicit(&rec->input_ended, memory_order_acquire) &&
            sh_ringbuf_readable(&rec->rb) == 0) {
            int expect = SH_RECORD_RUNNING;
            atomic_compare_exchange_strong(&rec->reason, &expect, SH_RECORD_INPUT_END);
            break;
        }
        sleep_ms(5);
    }
    /* Tell the callback to stop pushing (if it still is). */
    int s = REC_CAPTURING;
    atomic_compare_exchange_strong(&rec->state, &s, REC_STOPPING);
    s = REC_ARMED;
    atomic_compare_exchange_strong(&rec->state, &s, REC_STOPPING);
    return NULL;
}

sh_record_params sh_record_params_init(void)
{
    sh_record_params p;
    memset(&p, 0, sizeof p);
    p.silence_s = 1.2;
    p.keep_samples = true;
    return p;
}

static void writer_free(sh_rec_writer *w)
{
    if (!w)
        return;
    if (w->sf)
        sf_close(w->sf);
    free(w->samples);
    free(w->path);
    free(w);
}

int sh_recorder_prepare(sh_audio *a, const sh_record_params *p, sh_error *err)
{
    sh_recorder *rec = &a->rec;
    if (!a->capture)
        return sh_error_set(err, SH_ERR_INVALID, "audio: the stream was opened without capture");
    if (rec->thread_running || rec->w)
        return sh_error_set(err, SH_ERR_INVALID, "audio: already recording");
    if (p->max_s < 0 || p->silence_s < 0)
        return sh_error_set(err, SH_ERR_INVALID, "audio: negative --max or --silence");
    sh_rec_writer *w = calloc(1, sizeof *w);
    if (!w)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    w->a = a;
    w->p = *p;
    w->max_frames = p->max_s > 0 ? (uint64_t)llround(p->max_s * a->rate) : 0;
    w->frame_len = (size_t)a->rate / 100;
    sh_silence_init(&w->vad, 0.01, p->silence_s);
    if (p->path) {
        w->path = strdup(p->path);
        SF_INFO info = {.samplerate = a->rate, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
        if (!w->path || !(w->sf = sf_open(p->path, SFM_WRITE, &info))) {
            int e = errno;
            int code = e == ENOSPC || e == EFBIG ? SH_ERR_DISK_FULL : SH_ERR_IO;
            sh_error_set(err, code, "%s: cannot create the recording: %s", p->path,
                         e ? strerror(e) : sf_strerror(NULL));
            writer_free(w);
            return code;
        }
        /* Rewrite the header after every write: a kill -9, a crash or a
         * full disk leaves a WAV whose length covers what was written. */
        sf_command(w->sf, SFC_SET_UPDATE_HEADER_AUTO, NULL, SF_TRUE);
        sf_command(w->sf, SFC_UPDATE_HEADER_NOW, NULL, 0);
    } else {
        w->path = strdup("(memory)");
    }
    sh_ringbuf_free(&rec->rb);
    /* Two seconds of slack: the writer can stall that long on a slow disk
     * before anything is lost. */
    if (sh_ringbuf_init(&rec->rb, (size_t)a->rate * 2) != 0) {
        writer_free(w);
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    }
    atomic_store(&rec->dropped, 0);
    atomic_store(&rec->input_ended, false);
    atomic_fetch_add(&rec->takes, 1); /* published by the state store that follows */
    atomic_store(&rec->reason, SH_RECORD_RUNNING);
    atomic_store(&rec->error, SH_OK);
    atomic_store(&rec->clips, 0);
    atomic_store(&rec->frames, 0);
    atomic_store(&rec->speech, false);
    atomic_store(&rec->level_db, -100.0f);
    atomic_store(&rec->peak_db, -100.0f);
    rec->w = w;
    if (pthread_create(&rec->thread, NULL, writer_main, w) != 0) {
        rec->w = NULL;
        writer_free(w);
        return sh_error_set(err, SH_ERR_NOMEM, "cannot start the recorder thread");
    }
    rec->thread_running = true;
    return SH_OK;
}

int sh_audio_record_start(sh_audio *a, const sh_record_params *p, sh_error *err)
{
    sh_record_params prm = p ? *p : sh_record_params_init();
    if (prm.shadow)
        return sh_error_set(err, SH_ERR_INVALID, "audio: use sh_audio_shadow_start for shadow mode");
    int rc = sh_recorder_prepare(a, &prm, err);
    if (rc != SH_OK)
        return rc;
    a->rec.skip = 0;
    atomic_store_explicit(&a->rec.state, REC_CAPTURING, memory_order_release);
    return SH_OK;
}

void sh_audio_record_status(const sh_audio *a, sh_record_status *st)
{
    sh_recorder *rec = &((sh_audio *)a)->rec;
    memset(st, 0, sizeof *st);
    int s = atomic_load(&rec->state);
    st->reason = (sh_record_stop_reason)atomic_load(&rec->reason);
    st->active = (s == REC_CAPTURING || s == REC_ARMED) && st->reason == SH_RECORD_RUNNING;
    st->seconds = (double)atomic_load(&rec->frames) / a->rate;
    st->level_db = atomic_load(&rec->level_db);
    st->peak_db = atomic_load(&rec->peak_db);
    st->clips = atomic_load(&rec->clips);
    st->speech = atomic_load(&rec->speech);
    st->noise_floor_db = atomic_load(&rec->floor_db);
    st->error = atomic_load(&rec->error);
}

int sh_audio_record_stop(sh_audio *a, sh_recording *out, sh_error *err)
{
    sh_recorder *rec = &a->rec;
    if (out)
        memset(out, 0, sizeof *out);
    if (!rec->w)
        return sh_error_set(err, SH_ERR_INVALID, "audio: not recording");
    int expect = SH_RECORD_RUNNING;
    atomic_compare_exchange_strong(&rec->reason, &expect, SH_RECORD_STOPPED);
    /* Ask the callback to stop pushing, and wait (bounded) for it to say so,
     * so that everything it captured reaches the file. */
    int s = atomic_load(&rec->state);
    if (s == REC_CAPTURING || s == REC_ARMED) {
        atomic_compare_exchange_strong(&rec->state, &s, REC_STOPPING);
    }
    for (int i = 0; i < 200 && atomic_load(&rec->state) == REC_STOPPING && a->started; i++) {
        struct timespec ts = {0, 1000000L};
        nanosleep(&ts, NULL);
    }
    atomic_store(&rec->state, REC_STOPPED);
    if (rec->thread_running) {
        pthread_join(rec->thread, NULL);
        rec->thread_running = false;
    }
    atomic_store(&rec->state, REC_IDLE);
    sh_rec_writer *w = rec->w;
    rec->w = NULL;
    int rc = w->err_code;
    if (rc != SH_OK)
        sh_error_set(err, rc, "%s", w->err_msg);
    if (w->sf) {
        int e = sf_close(w->sf);
        w->sf = NULL;
        if (e != 0 && rc == SH_OK)
            rc = sh_error_set(err, SH_ERR_IO, "%s: cannot finish the recording: %s", w->path,
                              sf_error_number(e));
    }
    if (out) {
        out->samples = w->samples;
        w->samples = NULL;
        out->n = (size_t)atomic_load(&rec->frames);
        if (w->p.keep_samples && out->n > w->n)
            out->n = w->n;
        out->rate = a->rate;
        out->reason = (sh_record_stop_reason)atomic_load(&rec->reason);
        out->clips = atomic_load(&rec->clips);
        out->dropped = atomic_load(&rec->dropped);
    }
    writer_free(w);
    sh_ringbuf_free(&rec->rb);
    return rc;
}

void sh_recording_free(sh_recording *rec)
{
    if (!rec)
        return;
    free(rec->samples);
    rec->samples = NULL;
}

void sh_recorder_cleanup(sh_audio *a)
{
    if (a->rec.w)
        sh_audio_record_stop(a, NULL, NULL);
    sh_ringbuf_free(&a->rec.rb);
}

/* ---- callback side ---- */

void sh_recorder_begin_shadow(sh_audio *a, const sh_ao_time *t)
{
    sh_recorder *rec = &a->rec;
    if (atomic_load_explicit(&rec->state, memory_order_acquire) != REC_ARMED)
        return;
    /* out[0] of this period is heard at dac_time; in[0] was captured at
     * adc_time. The take starts with the input sample captured when the
     * first reference sample was heard, plus the measured extra delay. */
    double d;
    if (t && (t->dac_time != 0 || t->adc_time != 0))
        d = (t->dac_time - t->adc_time) * a->rate;
    else /* no timestamps from the host API: its reported latencies */
        d = (a->out_latency_s + a->in_latency_s) * a->rate;
    long skip = lround(d) + a->latency_frames;
    rec->skip = skip > 0 ? skip : 0;
    atomic_store_explicit(&rec->state, REC_CAPTURING, memory_order_release);
}

void sh_recorder_process(sh_audio *a, const float *in, unsigned long frames, const sh_ao_time *t)
{
    sh_recorder *rec = &a->rec;
    int s = atomic_load_explicit(&rec->state, memory_order_acquire);
    if (s == REC_STOPPING) {
        /* Acknowledge: nothing more will be pushed. */
        atomic_store_explicit(&rec->state, REC_STOPPED, memory_order_release);
        return;
    }
    if (s != REC_CAPTURING || !in)
        return;
    /* Input read for the previous recording, while a new one started under
     * the backend's feet: its end (or tail) is not this recording's. */
    if (t && t->take && t->take != atomic_load_explicit(&rec->takes, memory_order_acquire))
        return;
    unsigned long n = t ? t->input_frames : frames;
    if (n > frames)
        n = frames;
    unsigned long off = 0;
    if (rec->skip > 0) {
        off = (unsigned long)rec->skip < n ? (unsigned long)rec->skip : n;
        rec->skip -= (long)off;
    }
    if (n > off) {
        size_t put = sh_ringbuf_write(&rec->rb, in + off, n - off);
        if (put < n - off) {
            atomic_fetch_add_explicit(&rec->dropped, n - off - put, memory_order_relaxed);
            atomic_fetch_add_explicit(&a->overruns, 1, memory_order_relaxed);
        }
    }
    if (t && t->input_ended)
        atomic_store_explicit(&rec->input_ended, true, memory_order_release);
}
