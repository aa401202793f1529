/* Whole-file operations built on sh_decoder: probing, the streaming scan
 * (exact duration + energy envelope) and decoding a short take. */
#include "shadowing/decode.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decode/decoder_internal.h"

int sh_audio_probe(const char *path, bool exact, sh_audio_info *info, sh_error *err)
{
    if (!path || !info)
        return sh_error_set(err, SH_ERR_INVALID, "sh_audio_probe: bad arguments");
    memset(info, 0, sizeof *info);
    sh_decoder *d = NULL;
    /* At the native rate nothing is resampled, so --exact counts the
     * file's own samples. */
    int rc = sh_decoder_open_native(path, &d, err);
    if (rc != SH_OK)
        return rc;
    *info = *sh_decoder_info(d);
    if (exact) {
        uint64_t frames = 0;
        bool truncated = false;
        sh_error warn = {0};
        rc = sh_decoder_stream(d, NULL, NULL, &frames, &truncated, &warn);
        if (rc != SH_OK) {
            if (err)
                *err = warn;
            sh_decoder_close(d);
            return rc;
        }
        info->duration_s = (double)frames / sh_decoder_rate(d);
        info->duration_exact = true;
        /* A tag's bitrate may be the first frame's (VBR MP3 without a Xing
         * header); size over exact duration is the true average. */
        struct stat st;
        if (frames > 0 && sh_decoder_audio_only(d) && stat(path, &st) == 0)
            info->bitrate = (unsigned)lround((double)st.st_size * 8.0 / info->duration_s);
        if (truncated && err)
            *err = warn; /* SH_OK with the warning */
    }
    sh_decoder_close(d);
    return SH_OK;
}

typedef struct scan_state {
    sh_envelope env;
    float *frames; /* envelope so far */
    size_t len, cap;
    int rc;
} scan_state;

static int grow(scan_state *s, size_t need)
{
    if (s->len + need <= s->cap)
        return SH_OK;
    size_t cap = s->cap ? s->cap : 4096;
    while (cap < s->len + need)
        cap *= 2;
    float *p = realloc(s->frames, cap * sizeof(float));
    if (!p)
        return SH_ERR_NOMEM;
    s->frames = p;
    s->cap = cap;
    return SH_OK;
}

static int scan_block(void *user, const float *x, size_t n)
{
    scan_state *s = user;
    while (n > 0) {
        /* A block of n samples completes at most n/hop + 1 frames. */
        size_t room = n / s->env.hop + 2;
        if (grow(s, room) != SH_OK) {
            s->rc = SH_ERR_NOMEM;
            return 1;
        }
        size_t n_in = n, n_out = s->cap - s->len;
        sh_envelope_flow(&s->env, x, &n_in, s->frames + s->len, &n_out);
        s->len += n_out;
        x += n_in;
        n -= n_in;
    }
    return 0;
}

int sh_decode_scan(const char *path, int rate, const sh_envelope_config *cfg, sh_scan_result *out,
                   sh_error *err)
{
    if (!path || !out)
        return sh_error_set(err, SH_ERR_INVALID, "sh_decode_scan: bad arguments");
    memset(out, 0, sizeof *out);
    sh_decoder_config dc = sh_decoder_config_init(rate);
    sh_envelope_config ec = cfg ? *cfg : sh_envelope_config_init(dc.rate);
    if (ec.rate != dc.rate)
        return sh_error_set(err, SH_ERR_INVALID, "sh_decode_scan: envelope rate %d differs from scan rate %d",
                            ec.rate, dc.rate);
    scan_state s = {0};
    int rc = sh_envelope_init(&s.env, &ec);
    if (rc != SH_OK)
        return sh_error_set(err, rc, "sh_decode_scan: bad envelope settings");
    sh_decoder *d = NULL;
    rc = sh_decoder_open(path, &dc, &d, err);
    if (rc != SH_OK)
        goto fail;
    uint64_t frames = 0;
    bool truncated = false;
    sh_error warn = {0};
    rc = sh_decoder_stream(d, scan_block, &s, &frames, &truncated, &warn);
    if (rc != SH_OK) {
        if (rc == SH_ERR_INTERRUPTED && s.rc != SH_OK)
            rc = sh_error_set(err, s.rc, "%s: out of memory for the envelope", path);
        else if (err)
            *err = warn;
        goto fail;
    }
    for (;;) {
        if (grow(&s, 64) != SH_OK) {
            rc = sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory for the envelope", path);
            goto fail;
        }
        size_t made = sh_envelope_drain(&s.env, s.frames + s.len, s.cap - s.len);
        s.len += made;
        if (made == 0)
            break;
    }
    out->frames = frames;
    out->rate = dc.rate;
    out->duration_s = (double)frames / dc.rate;
    out->envelope = s.frames;
    out->envelope_len = s.len;
    out->truncated = truncated;
    if (truncated) {
        strncpy(out->warning, warn.message, sizeof out->warning - 1);
        out->warning[sizeof out->warning - 1] = '\0';
    }
    s.frames = NULL;
    rc = SH_OK;
fail:
    sh_decoder_close(d);
    sh_envelope_uninit(&s.env);
    free(s.frames);
    return rc;
}

void sh_scan_result_free(sh_scan_result *r)
{
    if (!r)
        return;
    free(r->envelope);
    r->envelope = NULL;
    r->envelope_len = 0;
}

typedef struct take_state {
    float *x;
    size_t len, cap, max;
    int why; /* SH_ERR_TOO_LARGE or SH_ERR_NOMEM when it stopped the stream */
} take_state;

static int take_block(void *user, const float *x, size_t n)
{
    take_state *t = user;
    if (t->len + n > t->max) {
        t->why = SH_ERR_TOO_LARGE;
        return 1;
    }
    if (t->len + n > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 65536;
        while (cap < t->len + n)
            cap *= 2;
        if (cap > t->max)
            cap = t->max;
        float *p = realloc(t->x, cap * sizeof(float));
        if (!p) {
            t->why = SH_ERR_NOMEM;
            return 1;
        }
        t->x = p;
        t->cap = cap;
    }
    memcpy(t->x + t->len, x, n * sizeof(float));
    t->len += n;
    return 0;
}

int sh_decode_file(const char *path, int rate, double max_seconds, float **out, size_t *n, sh_error *err)
{
    if (!path || !out || !n || !(max_seconds > 0) || !isfinite(max_seconds))
        return sh_error_set(err, SH_ERR_INVALID, "sh_decode_file: bad arguments");
    *out = NULL;
    *n = 0;
    sh_decoder_config dc = sh_decoder_config_init(rate);
    sh_decoder *d = NULL;
    int rc = sh_decoder_open(path, &dc, &d, err);
    if (rc != SH_OK)
        return rc;
    double est = sh_decoder_info(d)->duration_s;
    if (est > max_seconds + 1.0) {
        rc = sh_error_set(err, SH_ERR_TOO_LARGE, "%s: is %.1f s long; at most %.0f s is allowed here", path, est,
                          max_seconds);
        sh_decoder_close(d);
        return rc;
    }
    take_state t = {.max = (size_t)ceil(max_seconds * dc.rate)};
    uint64_t frames = 0;
    bool truncated = false;
    sh_error warn = {0};
    rc = sh_decoder_stream(d, take_block, &t, &frames, &truncated, &warn);
    sh_decoder_close(d);
    if (rc == SH_ERR_INTERRUPTED && t.why == SH_ERR_TOO_LARGE) {
        free(t.x);
        return sh_error_set(err, SH_ERR_TOO_LARGE, "%s: is longer than %.0f s, the most allowed here", path,
                            max_seconds);
    }
    if (rc == SH_ERR_INTERRUPTED) {
        free(t.x);
        return sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory", path);
    }
    if (rc != SH_OK) {
        free(t.x);
        if (err)
            *err = warn;
        return rc;
    }
    if (!t.x)
        t.x = malloc(sizeof(float));
    if (!t.x)
        return sh_error_set(err, SH_ERR_NOMEM, "%s: out of memory", path);
    if (truncated && err)
        *err = warn;
    *out = t.x;
    *n = t.len;
    return SH_OK;
}

/* Decode [from, to) and say how far the audio got: *got_s = to when all
 * of it is there, else the exact end; *none when not one sample came. */
static int reach(sh_decoder *d, double from, double to, double *got_s, bool *none, sh_error *err)
{
    float *x = NULL;
    size_t n = 0;
    int rc = sh_decoder_read_segment(d, from, to, &x, &n, err);
    free(x);
    if (rc != SH_OK)
        return rc;
    const double r = sh_decoder_rate(d);
    long long first = llround(from * r), last = llround(to * r);
    *none = n == 0;
    *got_s = (long long)n >= last - first ? to : (double)(first + (long long)n) / r;
    return SH_OK;
}

int sh_decoder_audio_end(sh_decoder *d, double t_s, double *end_s, sh_error *err)
{
    if (!d || !end_s || !isfinite(t_s))
        return sh_error_set(err, SH_ERR_INVALID, "sh_decoder_audio_end: bad arguments");
    *end_s = 0;
    if (t_s <= 0)
        return SH_OK;
    /* 1. The last 50 ms before t: a seek and a few frames. (Beyond a
     * million seconds, no audio lasts that long: go by the estimate.) */
    double got = 0;
    bool none = true;
    double from = t_s > 0.05 ? t_s - 0.05 : 0;
    int rc = SH_OK;
    if (t_s < 1e6) {
        rc = reach(d, from, t_s, &got, &none, err);
        if (rc != SH_OK || !none) {
            *end_s = got;
            return rc;
        }
    }
    /* 2. It ends before that: look around the container's estimate. */
    double est = sh_decoder_info(d)->duration_s;
    if (est > 0 && est < from) {
        double lo = est > 1.0 ? est - 1.0 : 0;
        rc = reach(d, lo, est + 1.0 < from ? est + 1.0 : from, &got, &none, err);
        if (rc != SH_OK)
            return rc;
        if (!none && got < (est + 1.0 < from ? est + 1.0 : from)) {
            *end_s = got;
            return SH_OK;
        }
    }
    /* 3. The estimate is off by more than a second (a VBR MP3 without a
     * seek table): count the samples. Only on this error path. */
    uint64_t frames = 0;
    bool truncated = false;
    sh_error warn = {0};
    rc = sh_decoder_stream(d, NULL, NULL, &frames, &truncated, &warn);
    if (rc != SH_OK) {
        if (err)
            *err = warn;
        return rc;
    }
    *end_s = (double)frames / sh_decoder_rate(d);
    if (*end_s > t_s)
        *end_s = t_s;
    return SH_OK;
}
