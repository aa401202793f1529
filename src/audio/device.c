/* The device layer: backend table, open/close, the engine's per-period
 * process function and the shared command-line options. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "audio/internal.h"
#include "config.h"
#include "core/config.h"
#include "core/util.h"

static const sh_ao_driver *const drivers[] = {
#if SH_HAVE_PORTAUDIO
    [SH_AUDIO_PORTAUDIO] = &sh_ao_portaudio,
#endif
    [SH_AUDIO_FILE] = &sh_ao_file,
    [SH_AUDIO_NULL] = &sh_ao_null,
};
static const char *const backend_names[] = {"portaudio", "file", "null"};

#if !SH_HAVE_PORTAUDIO
/* ao_portaudio.c, which lists the devices, is not built. */
int sh_audio_list_devices(bool json, bool verbose, char **out, sh_error *err)
{
    (void)json;
    (void)verbose;
    *out = NULL;
    return sh_error_set(err, SH_ERR_UNSUPPORTED, "built without PortAudio: only --audio file and null work");
}
#endif

const char *sh_audio_backend_name(sh_audio_backend b)
{
    return (unsigned)b < 3 ? backend_names[b] : NULL;
}

bool sh_audio_backend_parse(const char *name, sh_audio_backend *out)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, backend_names[i]) == 0) {
            *out = (sh_audio_backend)i;
            return true;
        }
    return false;
}

bool sh_audio_backend_available(sh_audio_backend b)
{
    return (unsigned)b < 3 && drivers[b] != NULL;
}

sh_audio_config sh_audio_config_init(void)
{
    sh_audio_config c;
    memset(&c, 0, sizeof c);
    c.backend = SH_HAVE_PORTAUDIO ? SH_AUDIO_PORTAUDIO : SH_AUDIO_FILE;
    c.playback = true;
    return c;
}

const char sh_audio_options_usage[] = SH_AUDIO_OPTIONS_USAGE;

int sh_audio_config_option(sh_audio_config *cfg, int code, const char *arg, sh_error *err)
{
    long v;
    double d;
    switch (code) {
    case SH_AUDIO_OPT_AUDIO:
        if (!sh_audio_backend_parse(arg, &cfg->backend))
            return sh_error_set(err, SH_ERR_INVALID,
                                "unknown audio backend '%s' (use portaudio, file or null)", arg);
        cfg->backend_set = true;
        return SH_OK;
    case SH_AUDIO_OPT_DEVICE:
        cfg->device = arg;
        return SH_OK;
    case SH_AUDIO_OPT_OUTPUT:
        cfg->output_path = arg;
        if (!cfg->backend_set)
            cfg->backend = SH_AUDIO_FILE;
        return SH_OK;
    case SH_AUDIO_OPT_INPUT:
        cfg->input_path = arg;
        if (!cfg->backend_set)
            cfg->backend = SH_AUDIO_FILE;
        return SH_OK;
    case SH_AUDIO_OPT_REALTIME:
        cfg->realtime = true;
        return SH_OK;
    case SH_AUDIO_OPT_RATE:
        if (!sh_parse_int(arg, 8000, 384000, &v))
            return sh_error_set(err, SH_ERR_INVALID, "--rate: '%s' is not a rate in 8000..384000", arg);
        cfg->rate = (int)v;
        return SH_OK;
    case SH_AUDIO_OPT_LATENCY:
        if (!sh_parse_double(arg, &d) || d < -1000 || d > 2000)
            return sh_error_set(err, SH_ERR_INVALID,
                                "--latency-ms: '%s' is not a number of milliseconds in -1000..2000", arg);
        cfg->latency_ms = d;
        cfg->latency_set = true;
        return SH_OK;
    case SH_AUDIO_OPT_VERBOSE:
        cfg->verbose = true;
        return SH_OK;
    default:
        return sh_error_set(err, SH_ERR_INVALID, "unknown audio option");
    }
}

void sh_audio_config_load_latency(sh_audio_config *cfg)
{
    if (cfg->latency_set)
        return;
    char *v = NULL;
    double d;
    if (sh_config_get("latency_ms", &v, NULL) == SH_OK && sh_parse_double(v, &d) && d > -1000 && d < 2000)
        cfg->latency_ms = d;
    free(v);
}

int sh_quiet_begin(bool verbose)
{
    if (verbose)
        return -1;
    fflush(stderr);
    int saved = dup(2);
    if (saved < 0)
        return -1;
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null < 0) {
        close(saved);
        return -1;
    }
    dup2(null, 2);
    close(null);
    return saved;
}

void sh_quiet_end(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
}

int sh_audio_open(const sh_audio_config *cfg, sh_audio **out, sh_error *err)
{
    *out = NULL;
    if (!cfg->playback && !cfg->capture)
        return sh_error_set(err, SH_ERR_INVALID, "audio: neither playback nor capture requested");
    if (!sh_audio_backend_available(cfg->backend))
        return sh_error_set(err, SH_ERR_UNSUPPORTED,
                            "audio backend '%s' is not built in; use --audio file",
                            sh_audio_backend_name(cfg->backend) ? sh_audio_backend_name(cfg->backend) : "?");
    sh_audio *a = calloc(1, sizeof *a);
    if (!a)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    a->cfg = *cfg;
    a->drv = drivers[cfg->backend];
    a->playback = cfg->playback;
    a->capture = cfg->capture;
    atomic_init(&a->player.pending, NULL);
    atomic_init(&a->player.loops, 1);
    atomic_init(&a->player.volume, 1.0);
    atomic_init(&a->player.st_speed, 1.0);
    atomic_init(&a->rec.state, REC_IDLE);
    atomic_init(&a->rec.level_db, -100.0f);
    atomic_init(&a->rec.peak_db, -100.0f);
    atomic_init(&a->rec.floor_db, -100.0f);
    a->player.next_gen = 1;
    int rc = a->drv->open(a, cfg, err);
    if (rc != SH_OK) {
        free(a);
        return rc;
    }
    a->latency_frames = lround(cfg->latency_ms * a->rate / 1000.0);
    if (!cfg->deferred_start) {
        rc = a->drv->start(a, err);
        if (rc != SH_OK) {
            a->drv->close(a);
            free(a);
            return rc;
        }
        a->started = true;
    }
    *out = a;
    return SH_OK;
}

int sh_audio_start(sh_audio *a, sh_error *err)
{
    if (a->started)
        return SH_OK;
    int rc = a->drv->start(a, err);
    if (rc == SH_OK)
        a->started = true;
    return rc;
}

void sh_audio_close(sh_audio *a)
{
    if (!a)
        return;
    if (a->started)
        a->drv->stop(a);
    a->started = false;
    sh_recorder_cleanup(a);
    a->drv->close(a);
    sh_player_cleanup(a);
    free(a);
}

int sh_audio_rate(const sh_audio *a)
{
    return a->rate;
}

const char *sh_audio_description(const sh_audio *a)
{
    return a->desc;
}

void sh_audio_get_stats(const sh_audio *a, sh_audio_stats *st)
{
    sh_audio *m = (sh_audio *)a;
    st->callbacks = atomic_load(&m->callbacks);
    st->frames = atomic_load(&m->frames);
    st->underruns = atomic_load(&m->underruns);
    st->dropped = atomic_load(&m->rec.dropped);
    st->overruns = atomic_load(&m->overruns);
    st->output_latency_s = a->out_latency_s;
    st->input_latency_s = a->in_latency_s;
}

int sh_audio_set_input(sh_audio *a, const float *samples, size_t n, sh_error *err)
{
    if (!a->drv->set_input || !a->capture)
        return sh_error_set(err, SH_ERR_UNSUPPORTED, "audio: takes from files need --audio file");
    return a->drv->set_input(a, samples, n, err);
}

bool sh_audio_input_ended(const sh_audio *a)
{
    return atomic_load(&((sh_audio *)a)->rec.input_ended);
}

void sh_audio_set_io_error(sh_audio *a, int code, const char *msg)
{
    int expected = 0;
    /* The message is written before the code is published; only the first
     * failure is kept (a later one would race with a reader). */
    if (atomic_load(&a->io_error) != 0)
        return;
    snprintf(a->io_error_msg, sizeof a->io_error_msg, "%s", msg);
    atomic_compare_exchange_strong(&a->io_error, &expected, code);
}

/* A stream whose callback has not run for this long is dead (a USB device
 * unplugged, a sound server gone): better an error than a hang. */
#define STALL_S 3.0

int sh_audio_error(const sh_audio *a, sh_error *err)
{
    sh_audio *m = (sh_audio *)a;
    int code = atomic_load(&m->io_error);
    if (code != 0)
        return sh_error_set(err, code, "%s", a->io_error_msg);
    if (!m->started)
        return SH_OK;
    uint64_t cb = atomic_load(&m->callbacks);
    double now = sh_clock_now();
    if (cb != m->watch_callbacks || m->watch_since == 0) {
        m->watch_callbacks = cb;
        m->watch_since = now;
    } else if (now - m->watch_since > STALL_S) {
        return sh_error_set(err, SH_ERR_DEVICE,
                            "the sound device stopped responding (%s); check it, or use --audio file", a->desc);
    }
    return SH_OK;
}

bool sh_audio_capture_wanted(sh_audio *a)
{
    int s = atomic_load_explicit(&a->rec.state, memory_order_acquire);
    /* Armed for shadow mode: input is wanted from the period that starts
     * the playback, not before (the file backend would consume it). */
    if (s == REC_ARMED)
        return atomic_load_explicit(&a->player.shadow_posted, memory_order_acquire);
    return s == REC_CAPTURING || s == REC_STOPPING;
}

bool sh_audio_capture_full(sh_audio *a, unsigned long frames)
{
    int s = atomic_load_explicit(&a->rec.state, memory_order_acquire);
    if (s != REC_CAPTURING)
        return false;
    return sh_ringbuf_writable(&a->rec.rb) < frames;
}

unsigned long sh_audio_process(sh_audio *a, float *out, const float *in, unsigned long frames,
                               const sh_ao_time *t)
{
    unsigned long live = 0;
    atomic_fetch_add_explicit(&a->callbacks, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&a->frames, frames, memory_order_relaxed);
    if (out) {
        live = sh_player_process(a, out, frames);
        /* Shadow mode: the player saw the period where the reference's
         * first sample goes out; the take starts in it (shadow.c). */
        if (a->player.shadow_begins) {
            a->player.shadow_begins = false;
            sh_recorder_begin_shadow(a, t);
            atomic_store_explicit(&a->player.shadow_posted, false, memory_order_release);
        }
    }
    if (a->capture)
        sh_recorder_process(a, in, frames, t);
    return live;
}
