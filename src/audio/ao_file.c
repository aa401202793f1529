/* The file and null backends: a thread stands in for the sound card.
 *
 * file: what is played goes to a float WAV (only the frames that carry
 * playback, so the file holds exactly what was played); the "microphone" is
 * a WAV file (or samples handed over with sh_audio_set_input), read only
 * while the recorder wants input and from its beginning again at every
 * recording (the recorder counts them: rec.takes). Unpaced by default (as fast as the
 * recorder's writer drains); --realtime paces it against CLOCK_MONOTONIC,
 * counting an underrun whenever the thread wakes more than one period late
 * (a card with two periods of buffering would have run dry).
 * null: the same thread, always paced, with no files. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio/internal.h"
#include "core/util.h"

/* Samples handed from the control thread to the backend's thread. */
typedef struct mem_input {
    float *x;
    size_t n;
} mem_input;

typedef struct file_ao {
    SNDFILE *in, *out;
    /* sh_audio_set_input: the control thread posts, the backend's thread
     * takes it at the start of the next recording (and frees the old). */
    _Atomic(mem_input *) next_input;
    mem_input *mem;     /* [thread] the samples in use, or NULL: `in` */
    size_t mem_pos;
    unsigned long seen_takes;
    char *out_path;
    bool paced;
    unsigned period;
    float *inbuf, *outbuf;
    pthread_t thread;
    bool thread_running;
    _Atomic bool quit;
    bool in_eof;
} file_ao;

static void sleep_until(double t)
{
    struct timespec ts;
    ts.tv_sec = (time_t)t;
    ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

/* A new recording has started: its input starts over (a new take handed
 * over, or the same input from its first sample). */
static void start_take(file_ao *f)
{
    mem_input *m = atomic_exchange(&f->next_input, NULL);
    if (m) {
        if (f->mem)
            free(f->mem->x);
        free(f->mem);
        f->mem = m->n ? m : NULL;
        if (!m->n)
            free(m);
    }
    f->mem_pos = 0;
    if (f->in)
        sf_seek(f->in, 0, SEEK_SET);
    f->in_eof = false;
}

static sf_count_t read_input(file_ao *f, float *buf, sf_count_t want)
{
    if (!f->mem)
        return sf_readf_float(f->in, buf, want);
    size_t left = f->mem->n - f->mem_pos, k = (size_t)want < left ? (size_t)want : left;
    memcpy(buf, f->mem->x + f->mem_pos, k * sizeof *buf);
    f->mem_pos += k;
    return (sf_count_t)k;
}

static void *file_thread(void *arg)
{
    sh_audio *a = arg;
    file_ao *f = a->priv;
    const unsigned long P = f->period;
    const double period_s = (double)P / a->rate;
    if (f->paced) {
        /* Like a sound server's I/O thread: real-time priority when the
         * system allows it (root, or RLIMIT_RTPRIO), so other busy
         * processes do not make us late. Best effort: ignored if refused. */
        struct sched_param sp = {.sched_priority = 10};
        pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
    }
    double deadline = sh_clock_now();
    bool write_failed = false;
    while (!atomic_load(&f->quit)) {
        bool want = a->capture && sh_audio_capture_wanted(a);
        if (want && !f->paced && sh_audio_capture_full(a, P)) {
            /* Unpaced: wait for the writer rather than drop samples. */
            struct timespec ts = {0, 500000L};
            nanosleep(&ts, NULL);
            continue;
        }
        sh_ao_time t = {.dac_time = deadline, .adc_time = deadline, .input_frames = P};
        if (a->capture) {
            sf_count_t got = 0;
            unsigned long takes = atomic_load(&a->rec.takes);
            if (want && takes != f->seen_takes) {
                f->seen_takes = takes;
                start_take(f);
            }
            if (want && (f->in || f->mem) && !f->in_eof) {
                got = read_input(f, f->inbuf, (sf_count_t)P);
                if (got < (sf_count_t)P)
                    f->in_eof = true;
            } else if (want && !f->in && !f->mem) {
                got = (sf_count_t)P; /* no input file: silence */
                memset(f->inbuf, 0, P * sizeof(float));
            }
            if (got < (sf_count_t)P)
                memset(f->inbuf + got, 0, (P - (size_t)got) * sizeof(float));
            t.input_frames = (unsigned long)got;
            t.input_ended = f->in_eof;
            t.take = takes;
        }
        unsigned long live = sh_audio_process(a, a->playback ? f->outbuf : NULL,
                                              a->capture ? f->inbuf : NULL, P, &t);
        if (f->out && live && !write_failed) {
            if (sf_writef_float(f->out, f->outbuf, (sf_count_t)live) != (sf_count_t)live) {
                int e = errno;
                char msg[600];
                snprintf(msg, sizeof msg, "%s: cannot write: %s", f->out_path,
                         e == ENOSPC ? "disk full" : e == EFBIG ? "file size limit reached"
                                                   : e ? strerror(e) : sf_strerror(f->out));
                sh_audio_set_io_error(a, e == ENOSPC || e == EFBIG ? SH_ERR_DISK_FULL : SH_ERR_IO, msg);
                write_failed = true;
            }
        }
        if (f->paced) {
            deadline += period_s;
            double late = sh_clock_now() - deadline;
            if (late > period_s) {
                atomic_fetch_add(&a->underruns, 1);
                if (late > 1.0)
                    deadline = sh_clock_now(); /* stalled (suspend?): start over */
            }
            sleep_until(deadline);
        } else if (!live && !want) {
            /* Idle and unpaced: do not spin. */
            struct timespec ts = {0, 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    return NULL;
}

static int open_common(sh_audio *a, const sh_audio_config *cfg, bool files, sh_error *err)
{
    file_ao *f = calloc(1, sizeof *f);
    if (!f)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    a->priv = f;
    f->paced = files ? cfg->realtime : true;
    int rate = cfg->rate;
    if (files && cfg->input_path && cfg->capture) {
        SF_INFO info = {0};
        f->in = sf_open(cfg->input_path, SFM_READ, &info);
        if (!f->in) {
            int e = errno;
            free(f);
            a->priv = NULL;
            return sh_error_set(err, e == ENOENT ? SH_ERR_NOT_FOUND : SH_ERR_IO,
                                "%s: cannot read the input: %s", cfg->input_path,
                                e == ENOENT ? "no such file" : sf_strerror(NULL));
        }
        if (info.channels != 1) {
            sf_close(f->in);
            free(f);
            a->priv = NULL;
            return sh_error_set(err, SH_ERR_FORMAT, "%s: the input must be mono (it has %d channels)",
                                cfg->input_path, info.channels);
        }
        if (rate && rate != info.samplerate) {
            sf_close(f->in);
            free(f);
            a->priv = NULL;
            return sh_error_set(err, SH_ERR_INVALID, "%s: the input is at %d Hz, not the %d Hz asked for",
                                cfg->input_path, info.samplerate, rate);
        }
        rate = info.samplerate;
    }
    a->rate = rate ? rate : 48000;
    f->period = cfg->period_frames ? cfg->period_frames : (unsigned)(a->rate / 100);
    if (files && cfg->output_path && cfg->playback) {
        SF_INFO info = {.samplerate = a->rate, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
        f->out = sf_open(cfg->output_path, SFM_WRITE, &info);
        if (!f->out) {
            int e = errno;
            if (f->in)
                sf_close(f->in);
            free(f);
            a->priv = NULL;
            return sh_error_set(err, e == ENOSPC ? SH_ERR_DISK_FULL : SH_ERR_IO,
                                "%s: cannot create the output: %s", cfg->output_path,
                                e ? strerror(e) : sf_strerror(NULL));
        }
        /* As for recordings: a killed process leaves a valid WAV. */
        sf_command(f->out, SFC_SET_UPDATE_HEADER_AUTO, NULL, SF_TRUE);
        f->out_path = strdup(cfg->output_path);
    }
    f->inbuf = calloc(f->period, sizeof(float));
    f->outbuf = calloc(f->period, sizeof(float));
    if (!f->inbuf || !f->outbuf) {
        if (f->in)
            sf_close(f->in);
        if (f->out)
            sf_close(f->out);
        free(f->inbuf);
        free(f->outbuf);
        free(f->out_path);
        free(f);
        a->priv = NULL;
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    }
    if (files)
        snprintf(a->desc, sizeof a->desc, "file: %s%s%s%s", cfg->output_path ? cfg->output_path : "(discard)",
                 cfg->capture ? " <- " : "", cfg->capture ? (cfg->input_path ? cfg->input_path : "(silence)") : "",
                 f->paced ? " (real time)" : "");
    else
        snprintf(a->desc, sizeof a->desc, "null");
    return SH_OK;
}

static int file_open(sh_audio *a, const sh_audio_config *cfg, sh_error *err)
{
    return open_common(a, cfg, true, err);
}

static int null_open(sh_audio *a, const sh_audio_config *cfg, sh_error *err)
{
    return open_common(a, cfg, false, err);
}

static int file_set_input(sh_audio *a, const float *x, size_t n, sh_error *err)
{
    file_ao *f = a->priv;
    mem_input *m = calloc(1, sizeof *m);
    if (!m || (n && !(m->x = malloc(n * sizeof *x)))) {
        free(m);
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    }
    if (n)
        memcpy(m->x, x, n * sizeof *x);
    m->n = n;
    /* One not yet taken by the thread is replaced: free it here. */
    mem_input *old = atomic_exchange(&f->next_input, m);
    if (old)
        free(old->x);
    free(old);
    return SH_OK;
}

static int file_start(sh_audio *a, sh_error *err)
{
    file_ao *f = a->priv;
    atomic_store(&f->quit, false);
    if (pthread_create(&f->thread, NULL, file_thread, a) != 0)
        return sh_error_set(err, SH_ERR_DEVICE, "cannot start the file backend's thread");
    f->thread_running = true;
    return SH_OK;
}

static void file_stop(sh_audio *a)
{
    file_ao *f = a->priv;
    if (!f || !f->thread_running)
        return;
    atomic_store(&f->quit, true);
    pthread_join(f->thread, NULL);
    f->thread_running = false;
}

static void file_close(sh_audio *a)
{
    file_ao *f = a->priv;
    if (!f)
        return;
    file_stop(a);
    if (f->in)
        sf_close(f->in);
    mem_input *pending = atomic_exchange(&f->next_input, NULL);
    mem_input *inputs[2] = {pending, f->mem};
    for (int i = 0; i < 2; i++)
        if (inputs[i]) {
            free(inputs[i]->x);
            free(inputs[i]);
        }
    if (f->out && sf_close(f->out) != 0 && !atomic_load(&a->io_error))
        sh_audio_set_io_error(a, SH_ERR_IO, "cannot finish the output file");
    free(f->inbuf);
    free(f->outbuf);
    free(f->out_path);
    free(f);
    a->priv = NULL;
}

const sh_ao_driver sh_ao_file = {"file", file_open, file_start, file_stop, file_close, file_set_input};
const sh_ao_driver sh_ao_null = {"null", null_open, file_start, file_stop, file_close, NULL};
