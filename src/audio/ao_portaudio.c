/* The PortAudio backend: one callback stream, output, input or full duplex.
 *
 * PortAudio's host APIs (ALSA, JACK, OSS) print dozens of lines on stderr
 * while probing; fd 2 goes to /dev/null around Pa_Initialize, opening and
 * closing unless --verbose. The callback converts between the device's
 * channel count (mono when the device takes it, else the first channel /
 * all channels) and the engine's mono float, in preallocated buffers.
 * Compiled only when the portaudio feature is on (src/audio/meson.build);
 * device.c then lists it among the drivers. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <pa_linux_alsa.h>
#include <portaudio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audio/internal.h"
#include "core/strbuf.h"
#include "core/util.h"

#define SCRATCH_FRAMES 8192

typedef struct pa_ao {
    PaStream *stream;
    int out_ch, in_ch;
    float *scratch_out, *scratch_in;
    bool initialized;
    bool verbose;
} pa_ao;

static int pa_init(bool verbose, sh_error *err)
{
    int q = sh_quiet_begin(verbose);
    PaError e = Pa_Initialize();
    sh_quiet_end(q);
    if (e != paNoError)
        return sh_error_set(err, SH_ERR_DEVICE,
                            "cannot start PortAudio (%s); to work without a sound card use --audio file",
                            Pa_GetErrorText(e));
    return SH_OK;
}

static void pa_term(bool verbose)
{
    int q = sh_quiet_begin(verbose);
    Pa_Terminate();
    sh_quiet_end(q);
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* Find the device for one direction: index, exact name, then substring. */
static PaDeviceIndex find_device(const char *spec, bool input, sh_error *err)
{
    int count = Pa_GetDeviceCount();
    const char *dir = input ? "input" : "output";
    if (count <= 0) {
        sh_error_set(err, SH_ERR_DEVICE,
                     "no sound device found (PortAudio sees none); to play into or record from files use --audio file");
        return paNoDevice;
    }
    if (!spec) {
        PaDeviceIndex d = input ? Pa_GetDefaultInputDevice() : Pa_GetDefaultOutputDevice();
        if (d == paNoDevice)
            sh_error_set(err, SH_ERR_DEVICE,
                         "no default sound %s device; pick one with --device (see 'shadowing devices') or use --audio file",
                         dir);
        return d;
    }
    if (all_digits(spec)) {
        long i = strtol(spec, NULL, 10);
        if (i < count) {
            const PaDeviceInfo *di = Pa_GetDeviceInfo((PaDeviceIndex)i);
            if (di && (input ? di->maxInputChannels : di->maxOutputChannels) > 0)
                return (PaDeviceIndex)i;
            sh_error_set(err, SH_ERR_NOT_FOUND, "sound device %ld has no %s channels (see 'shadowing devices')",
                         i, dir);
            return paNoDevice;
        }
        sh_error_set(err, SH_ERR_NOT_FOUND, "no sound device number %s (there are %d; see 'shadowing devices')",
                     spec, count);
        return paNoDevice;
    }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < count; i++) {
            const PaDeviceInfo *di = Pa_GetDeviceInfo(i);
            if (!di || (input ? di->maxInputChannels : di->maxOutputChannels) <= 0)
                continue;
            if (pass == 0 ? strcasecmp(di->name, spec) == 0 : contains_ci(di->name, spec))
                return i;
        }
    sh_error_set(err, SH_ERR_NOT_FOUND, "no sound %s device named '%s' (see 'shadowing devices')", dir, spec);
    return paNoDevice;
}

static int pa_callback(const void *input, void *output, unsigned long frames,
                       const PaStreamCallbackTimeInfo *ti, PaStreamCallbackFlags flags, void *user)
{
    sh_audio *a = user;
    pa_ao *p = a->priv;
    if (flags & paOutputUnderflow)
        atomic_fetch_add_explicit(&a->underruns, 1, memory_order_relaxed);
    if (flags & paInputOverflow)
        atomic_fetch_add_explicit(&a->overruns, 1, memory_order_relaxed);
    const float *in = input;
    float *out = output;
    unsigned long done = 0;
    while (done < frames) {
        unsigned long k = frames - done < SCRATCH_FRAMES ? frames - done : SCRATCH_FRAMES;
        sh_ao_time t = {
            .dac_time = ti ? ti->outputBufferDacTime + (double)done / a->rate : 0,
            .adc_time = ti ? ti->inputBufferAdcTime + (double)done / a->rate : 0,
            .input_frames = k,
        };
        if (!a->playback || !a->capture)
            t.dac_time = t.adc_time = 0;
        const float *min = NULL;
        if (in) {
            if (p->in_ch == 1) {
                min = in + done;
            } else {
                for (unsigned long i = 0; i < k; i++)
                    p->scratch_in[i] = in[(done + i) * (unsigned long)p->in_ch];
                min = p->scratch_in;
            }
        }
        float *mout = NULL;
        if (out)
            mout = p->out_ch == 1 ? out + done : p->scratch_out;
        sh_audio_process(a, mout, min, k, &t);
        if (out && p->out_ch > 1)
            for (unsigned long i = 0; i < k; i++)
                for (int c = 0; c < p->out_ch; c++)
                    out[(done + i) * (unsigned long)p->out_ch + (unsigned long)c] = p->scratch_out[i];
        done += k;
    }
    return paContinue;
}

static int pa_open(sh_audio *a, const sh_audio_config *cfg, sh_error *err)
{
    pa_ao *p = calloc(1, sizeof *p);
    if (!p)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    a->priv = p;
    p->verbose = cfg->verbose;
    int rc = pa_init(cfg->verbose, err);
    if (rc != SH_OK)
        goto fail;
    p->initialized = true;
    PaDeviceIndex od = paNoDevice, id = paNoDevice;
    if (cfg->playback && (od = find_device(cfg->device, false, err)) == paNoDevice) {
        rc = err ? err->code : SH_ERR_DEVICE;
        goto fail;
    }
    if (cfg->capture) {
        id = find_device(cfg->device, true, err);
        /* A named output-only device: record from the default input. */
        if (id == paNoDevice && cfg->device && cfg->playback)
            id = find_device(NULL, true, err);
        if (id == paNoDevice) {
            rc = err ? err->code : SH_ERR_DEVICE;
            goto fail;
        }
    }
    const PaDeviceInfo *odi = od != paNoDevice ? Pa_GetDeviceInfo(od) : NULL;
    const PaDeviceInfo *idi = id != paNoDevice ? Pa_GetDeviceInfo(id) : NULL;
    if (!odi && !idi) {
        rc = sh_error_set(err, SH_ERR_DEVICE, "PortAudio lost the sound device; use --audio file");
        goto fail;
    }
    const PaDeviceInfo *main_di = odi ? odi : idi;
    double rate = cfg->rate ? cfg->rate : main_di->defaultSampleRate;
    PaStreamParameters op = {0}, ip = {0};
    if (odi) {
        op.device = od;
        op.sampleFormat = paFloat32;
        op.suggestedLatency = odi->defaultHighOutputLatency;
    }
    if (idi) {
        ip.device = id;
        ip.sampleFormat = paFloat32;
        ip.suggestedLatency = idi->defaultHighInputLatency;
    }
    PaError e = paNoError;
    /* Mono first; devices that refuse it (hw: with 2+ channels) get the
     * smallest count they take, up to 2. */
    for (int oc = 1; oc <= 2; oc++) {
        for (int ic = 1; ic <= 2; ic++) {
            op.channelCount = oc;
            ip.channelCount = ic;
            int q = sh_quiet_begin(cfg->verbose);
            e = Pa_OpenStream(&p->stream, idi ? &ip : NULL, odi ? &op : NULL, rate, paFramesPerBufferUnspecified,
                              paNoFlag, pa_callback, a);
            sh_quiet_end(q);
            if (e != paInvalidChannelCount)
                break;
        }
        if (e != paInvalidChannelCount)
            break;
    }
    if (e != paNoError) {
        rc = sh_error_set(err, SH_ERR_DEVICE, "cannot open the sound device '%s' at %.0f Hz (%s); use --audio file",
                          main_di->name, rate, Pa_GetErrorText(e));
        goto fail;
    }
    /* ALSA: run the callback thread with real-time priority when allowed
     * (PortAudio falls back quietly otherwise). */
    if (Pa_GetHostApiInfo(main_di->hostApi) && Pa_GetHostApiInfo(main_di->hostApi)->type == paALSA)
        PaAlsa_EnableRealtimeScheduling(p->stream, 1);
    p->out_ch = odi ? op.channelCount : 0;
    p->in_ch = idi ? ip.channelCount : 0;
    p->scratch_out = calloc(SCRATCH_FRAMES, sizeof(float));
    p->scratch_in = calloc(SCRATCH_FRAMES, sizeof(float));
    if (!p->scratch_out || !p->scratch_in) {
        rc = sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        goto fail;
    }
    const PaStreamInfo *si = Pa_GetStreamInfo(p->stream);
    a->rate = (int)(si ? si->sampleRate : rate);
    a->out_latency_s = si ? si->outputLatency : 0;
    a->in_latency_s = si ? si->inputLatency : 0;
    const PaHostApiInfo *hi = Pa_GetHostApiInfo(main_di->hostApi);
    snprintf(a->desc, sizeof a->desc, "%s: %s%s%s", hi ? hi->name : "PortAudio", odi ? odi->name : "",
             odi && idi ? " / " : "", idi ? idi->name : "");
    return SH_OK;
fail:
    if (p->stream)
        Pa_CloseStream(p->stream);
    if (p->initialized)
        pa_term(cfg->verbose);
    free(p->scratch_out);
    free(p->scratch_in);
    free(p);
    a->priv = NULL;
    return rc;
}

static int pa_start(sh_audio *a, sh_error *err)
{
    pa_ao *p = a->priv;
    int q = sh_quiet_begin(p->verbose);
    PaError e = Pa_StartStream(p->stream);
    sh_quiet_end(q);
    if (e != paNoError)
        return sh_error_set(err, SH_ERR_DEVICE, "cannot start the sound device (%s); use --audio file",
                            Pa_GetErrorText(e));
    return SH_OK;
}

static void pa_stop(sh_audio *a)
{
    pa_ao *p = a->priv;
    if (p && p->stream) {
        int q = sh_quiet_begin(p->verbose);
        /* Pa_StopStream plays out what is queued; the engine outputs
         * silence after the end, so nothing is cut. */
        Pa_StopStream(p->stream);
        sh_quiet_end(q);
    }
}

static void pa_close(sh_audio *a)
{
    pa_ao *p = a->priv;
    if (!p)
        return;
    int q = sh_quiet_begin(p->verbose);
    if (p->stream)
        Pa_CloseStream(p->stream);
    sh_quiet_end(q);
    if (p->initialized)
        pa_term(p->verbose);
    free(p->scratch_out);
    free(p->scratch_in);
    free(p);
    a->priv = NULL;
}

const sh_ao_driver sh_ao_portaudio = {"portaudio", pa_open, pa_start, pa_stop, pa_close, NULL};

/* ---- device list ---- */

/* A latency in seconds to 0.1 ms, as the text table prints it. */
static double round4(double s)
{
    return round(s * 1e4) / 1e4;
}

/* The devices as JSON (an array of objects, the fields of PaDeviceInfo),
 * or NULL when out of memory. Latencies rounded to 0.1 ms as the table shows. */
static char *devices_json(int count, PaDeviceIndex din, PaDeviceIndex dout)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; arr && i < count; i++) {
        const PaDeviceInfo *di = Pa_GetDeviceInfo(i);
        if (!di)
            continue;
        const PaHostApiInfo *hi = Pa_GetHostApiInfo(di->hostApi);
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            return NULL;
        }
        bool ok = cJSON_AddNumberToObject(o, "index", i) && cJSON_AddStringToObject(o, "name", di->name) &&
                  cJSON_AddStringToObject(o, "host_api", hi ? hi->name : "?") &&
                  cJSON_AddNumberToObject(o, "max_input_channels", di->maxInputChannels) &&
                  cJSON_AddNumberToObject(o, "max_output_channels", di->maxOutputChannels) &&
                  cJSON_AddNumberToObject(o, "default_sample_rate", round(di->defaultSampleRate)) &&
                  cJSON_AddNumberToObject(o, "default_low_input_latency", round4(di->defaultLowInputLatency)) &&
                  cJSON_AddNumberToObject(o, "default_low_output_latency", round4(di->defaultLowOutputLatency)) &&
                  cJSON_AddNumberToObject(o, "default_high_input_latency", round4(di->defaultHighInputLatency)) &&
                  cJSON_AddNumberToObject(o, "default_high_output_latency", round4(di->defaultHighOutputLatency)) &&
                  cJSON_AddBoolToObject(o, "default_input", i == din) &&
                  cJSON_AddBoolToObject(o, "default_output", i == dout);
        if (!ok) {
            cJSON_Delete(arr);
            return NULL;
        }
    }
    char *text = arr ? cJSON_Print(arr) : NULL;
    cJSON_Delete(arr);
    char *s = text ? sh_asprintf("%s\n", text) : NULL;
    cJSON_free(text);
    return s;
}

int sh_audio_list_devices(bool json, bool verbose, char **out, sh_error *err)
{
    *out = NULL;
    int rc = pa_init(verbose, err);
    if (rc != SH_OK)
        return rc;
    int count = Pa_GetDeviceCount();
    PaDeviceIndex din = Pa_GetDefaultInputDevice(), dout = Pa_GetDefaultOutputDevice();
    if (json) {
        char *s = devices_json(count, din, dout);
        pa_term(verbose);
        if (!s)
            return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
        *out = s;
        return SH_OK;
    }
    sh_strbuf b = {0};
    sh_strbuf_printf(&b, "%3s  %-32s %-6s %3s %3s %7s %9s %9s  %s\n", "#", "name", "api", "in", "out", "rate",
                     "lat.in", "lat.out", "default");
    for (int i = 0; i < count; i++) {
        const PaDeviceInfo *di = Pa_GetDeviceInfo(i);
        if (!di)
            continue;
        const PaHostApiInfo *hi = Pa_GetHostApiInfo(di->hostApi);
        const char *api = hi ? hi->name : "?";
        bool is_in = i == din, is_out = i == dout;
        char lin[16] = "-", lout[16] = "-";
        if (di->maxInputChannels > 0)
            snprintf(lin, sizeof lin, "%.1fms", di->defaultLowInputLatency * 1000);
        if (di->maxOutputChannels > 0)
            snprintf(lout, sizeof lout, "%.1fms", di->defaultLowOutputLatency * 1000);
        sh_strbuf_printf(&b, "%3d  %-32.32s %-6.6s %3d %3d %7.0f %9s %9s  %s%s%s\n", i, di->name, api,
                         di->maxInputChannels, di->maxOutputChannels, di->defaultSampleRate, lin, lout,
                         is_in ? "input" : "", is_in && is_out ? "," : "", is_out ? "output" : "");
    }
    pa_term(verbose);
    if (count <= 0) {
        sh_strbuf_free(&b);
        return sh_error_set(err, SH_ERR_DEVICE,
                            "no sound device found (PortAudio sees none); to play into or record from files use --audio file");
    }
    *out = sh_strbuf_take(&b);
    if (!*out)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    return SH_OK;
}
