/* Voice activity on an energy envelope, and envelope normalisation.
 * See include/shadowing/analysis.h for the method and its parameters. */
#include "shadowing/analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/error.h"

sh_vad_params sh_vad_params_init(void)
{
    sh_vad_params p = {
        .noise_percentile = 10.0f,
        .peak_percentile = 95.0f,
        .on_ratio = 0.30f,
        .off_ratio = 0.20f,
        .min_on_db = 6.0f,
        .min_snr_db = 15.0f,
        .min_level_db = -65.0f,
        .digital_silence_db = -99.0f,
        .min_speech_frames = 5,
        .min_pause_frames = 15,
    };
    return p;
}

static int cmp_float(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

/* Nearest-rank percentile of a sorted array (n > 0). */
static float percentile(const float *sorted, size_t n, float pct)
{
    double pos = (double)pct / 100.0 * (double)(n - 1);
    size_t k = (size_t)floor(pos + 0.5);
    return sorted[k < n ? k : n - 1];
}

static bool params_ok(const sh_vad_params *p)
{
    return p->noise_percentile >= 0 && p->noise_percentile <= 100 && p->peak_percentile >= 0 &&
           p->peak_percentile <= 100 && p->noise_percentile <= p->peak_percentile &&
           p->on_ratio >= 0 && p->on_ratio <= 1 && p->off_ratio >= 0 && p->off_ratio <= p->on_ratio &&
           isfinite(p->min_on_db) && isfinite(p->min_snr_db) && isfinite(p->min_level_db) &&
           isfinite(p->digital_silence_db);
}

int sh_vad(const sh_vad_params *p, const float *db, size_t n, uint8_t *mask, sh_vad_result *out)
{
    if (!p || !out || (n && (!db || !mask)) || !params_ok(p))
        return SH_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (n == 0)
        return SH_OK;
    memset(mask, 0, n);

    float *sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return SH_ERR_NOMEM;
    memcpy(sorted, db, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_float);
    /* Digital silence (frames at the envelope's floor: a noise gate, an
     * edited-in gap, a synthetic voice) is not the room's noise: it would
     * put the floor tens of dB below the real one and let the room count as
     * speech. Leave it out while enough other frames remain. */
    size_t zero = 0;
    while (zero < n && sorted[zero] <= p->digital_silence_db)
        zero++;
    const float *lv = sorted;
    size_t nlv = n;
    if (n - zero >= n / 10 && n - zero > 0) {
        lv = sorted + zero;
        nlv = n - zero;
    }
    float floor_db = percentile(lv, nlv, p->noise_percentile);
    out->floor_db = percentile(sorted, n, p->noise_percentile);
    /* The speech level is a high percentile of the frames that rise
     * min_snr_db above the floor (a suffix of the sorted levels), not of all
     * frames: a short answer in a long, quiet recording must not drown in
     * its own silence. Without such frames the whole recording is used and
     * the contrast test below finds no speech. */
    size_t loud = n;
    while (loud > 0 && sorted[loud - 1] >= floor_db + p->min_snr_db)
        loud--;
    float peak_db = loud < n ? percentile(sorted + loud, n - loud, p->peak_percentile)
                             : percentile(lv, nlv, p->peak_percentile);
    free(sorted);

    float range = peak_db - floor_db;
    float on = floor_db + p->on_ratio * range, off = floor_db + p->off_ratio * range;
    if (on < floor_db + p->min_on_db)
        on = floor_db + p->min_on_db;
    if (off > on)
        off = on;
    out->noise_db = floor_db;
    out->peak_db = peak_db;
    out->on_db = on;
    out->off_db = off;
    if (range < p->min_snr_db || peak_db < p->min_level_db)
        return SH_OK; /* steady noise or silence: nothing rises out of it */

    /* Hysteresis: a run starts above `on` and lasts until below `off`; its
     * rising edge (frames above `off` just before) belongs to it too. */
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        if (!in && db[i] >= on) {
            in = true;
            for (size_t k = i; k > 0 && !mask[k - 1] && db[k - 1] >= off; k--)
                mask[k - 1] = 1;
        } else if (in && db[i] < off) {
            in = false;
        }
        mask[i] = in;
    }

    /* Fill short gaps between voiced runs: stops and breaths between
     * syllables are not pauses. */
    size_t last_end = SIZE_MAX; /* end of the previous voiced run */
    for (size_t i = 0; i < n; i++) {
        if (!mask[i])
            continue;
        if (last_end != SIZE_MAX && i > last_end && i - last_end < p->min_pause_frames)
            memset(mask + last_end, 1, i - last_end);
        while (i < n && mask[i])
            i++;
        last_end = i;
    }
    /* Drop runs too short to be speech. */
    for (size_t i = 0; i < n;) {
        if (!mask[i]) {
            i++;
            continue;
        }
        size_t s = i;
        while (i < n && mask[i])
            i++;
        if (i - s < p->min_speech_frames)
            memset(mask + s, 0, i - s);
    }

    size_t first = n, end = 0, voiced = 0;
    for (size_t i = 0; i < n; i++) {
        if (mask[i]) {
            if (first == n)
                first = i;
            end = i + 1;
            voiced++;
        }
    }
    if (voiced == 0)
        return SH_OK;
    out->speech = true;
    out->first = first;
    out->end = end;
    out->voiced = voiced;
    out->pauses = sh_vad_pauses(mask, first, end, NULL, 0);
    return SH_OK;
}

size_t sh_vad_pauses(const uint8_t *mask, size_t first, size_t end, sh_span *out, size_t cap)
{
    size_t count = 0;
    for (size_t i = first; i < end;) {
        if (mask[i]) {
            i++;
            continue;
        }
        size_t s = i;
        while (i < end && !mask[i])
            i++;
        /* A gap that reaches `end` is trailing silence, not a pause. */
        if (i == end)
            break;
        if (s > first) {
            if (count < cap)
                out[count] = (sh_span){s, i};
            count++;
        }
    }
    return count;
}

void sh_envelope_normalize(const float *db, size_t n, float floor_db, float peak_db, size_t smooth,
                           float *out)
{
    if (smooth == 0)
        smooth = 1;
    size_t half = smooth / 2;
    double range = (double)peak_db - (double)floor_db;
    for (size_t i = 0; i < n; i++) {
        /* Centred average over the frames that exist (shorter at the edges). */
        size_t lo = i >= half ? i - half : 0;
        size_t hi = i + half < n ? i + half : n - 1;
        double sum = 0.0;
        for (size_t k = lo; k <= hi; k++)
            sum += db[k];
        double v = sum / (double)(hi - lo + 1);
        double x = range > 0 ? (v - floor_db) / range : (v >= peak_db ? 1.0 : 0.0);
        out[i] = (float)(x < 0 ? 0 : x > 1 ? 1 : x);
    }
}
