/* Speech detection and syllable nuclei on speech features.
 * See include/shadowing/speech.h for the method and its parameters. */
#include "shadowing/speech.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/analysis.h"
#include "shadowing/error.h"

sh_speech_params sh_speech_params_init(void)
{
    sh_speech_params p = {
        .noise_percentile = 10.0f,
        .speech_percentile = 90.0f,
        .on_ratio = 0.30f,
        .min_on_db = 5.0f,
        .off_ratio = 0.15f,
        .min_off_db = 2.5f,
        .min_snr_db = 8.0f,
        .min_level_db = -65.0f,
        .digital_silence_db = -99.0f,
        .min_evidence_frames = 10,
        .min_voiced_frames = 5,
        .min_voiced_share = 0.2f,
        .plenty_voiced_frames = 50,
        .min_voice_snr_db = 3.0f,
        .min_pause_frames = 15,
        .max_unvoiced_frames = 25,
        .max_range_db = 45.0f,
        .edge_gap_frames = 5,
    };
    return p;
}

sh_nuclei_params sh_nuclei_params_init(void)
{
    sh_nuclei_params p = {
        .smooth_frames = 5,
        .min_rise_db = 2.5f,
        .max_below_db = 25.0f,
        .speech_percentile = 90.0f,
        .voiced_reach = 2,
    };
    return p;
}

static int cmp_float(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

/* Nearest-rank percentile of v[0..n) (n > 0), sorting v in place. */
static float percentile(float *v, size_t n, float pct)
{
    qsort(v, n, sizeof *v, cmp_float);
    double pos = (double)pct / 100.0 * (double)(n - 1);
    size_t k = (size_t)floor(pos + 0.5);
    return v[k < n ? k : n - 1];
}

static bool params_ok(const sh_speech_params *p)
{
    return p->noise_percentile >= 0 && p->noise_percentile <= 100 && p->speech_percentile >= 0 &&
           p->speech_percentile <= 100 && p->on_ratio >= 0 && p->on_ratio <= 1 && p->off_ratio >= 0 &&
           p->off_ratio <= p->on_ratio && p->min_off_db <= p->min_on_db && isfinite(p->min_on_db) &&
           isfinite(p->min_off_db) && isfinite(p->min_snr_db) && isfinite(p->min_voice_snr_db) &&
           isfinite(p->min_level_db) &&
           isfinite(p->digital_silence_db) && p->max_range_db > 0 && p->min_voiced_share >= 0 && p->min_voiced_share <= 1;
}

typedef struct run {
    size_t s, e;     /* frames [s, e) */
    bool voiced;     /* holds a voice */
    bool keep;       /* speech */
} run;

/* Unvoiced runs are kept when they sit between voiced runs with gaps
 * under min_pause_frames on both sides, the whole stretch between the two
 * voiced runs being at most 2 * max_unvoiced_frames (a chain of them may:
 * /st/ in "first"), or when they are at most max_unvoiced_frames long and
 * touch a voiced run (a gap of at most edge_gap_frames: a word-final /s/).
 * Longer ones (a cough, a breath) are not speech even there. */
static void keep_consonants(run *r, size_t nr, const sh_speech_params *p)
{
    for (size_t i = 0; i < nr;) {
        if (r[i].voiced) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < nr && !r[j].voiced)
            j++;
        /* Unvoiced chain [i, j), voiced runs at i-1 and j when they exist. */
        bool inside = i > 0 && j < nr && r[j].s - r[i - 1].e <= 2 * p->max_unvoiced_frames;
        for (size_t k = i; inside && k <= j; k++)
            if (r[k].s - r[k - 1].e >= p->min_pause_frames)
                inside = false;
        for (size_t k = i; k < j; k++) {
            bool short_run = r[k].e - r[k].s <= p->max_unvoiced_frames;
            bool touches = (k == i && i > 0 && r[k].s - r[i - 1].e <= p->edge_gap_frames) ||
                           (k + 1 == j && j < nr && r[j].s - r[k].e <= p->edge_gap_frames);
            r[k].keep = inside || (short_run && touches);
        }
        i = j;
    }
}

int sh_speech_detect(const sh_speech_params *pp, const sh_features *f, uint8_t *mask, sh_speech_result *out)
{
    if (!f || !out || (f->n && (!mask || !f->band_db || !f->f0_hz)))
        return SH_ERR_INVALID;
    sh_speech_params p = pp ? *pp : sh_speech_params_init();
    if (!params_ok(&p))
        return SH_ERR_INVALID;
    memset(out, 0, sizeof *out);
    size_t n = f->n;
    if (n == 0)
        return SH_OK;
    memset(mask, 0, n);
    const float *db = f->band_db, *f0 = f->f0_hz;

    float *lv = malloc(n * sizeof *lv);
    if (!lv)
        return SH_ERR_NOMEM;
    /* 1. Noise floor, digital silence left out (all silence: no speech). */
    /* Digital silence inside the speech (between the first and the last
     * voiced frame, at least 3% of it) means the pauses themselves are
     * digital silence (a noise gate, a synthetic voice): then it is the
     * floor. Elsewhere (a late start, an edited-in lead) it is left out. */
    size_t fv = n, lvf = 0, inner = 0;
    for (size_t i = 0; i < n; i++)
        if (f0[i] > 0) {
            fv = fv < i ? fv : i;
            lvf = i;
        }
    for (size_t i = fv; i <= lvf && i < n; i++)
        inner += db[i] <= p.digital_silence_db;
    float silence_db = fv < n && inner >= 5 && (double)inner >= 0.03 * (double)(lvf - fv + 1)
                           ? -INFINITY
                           : p.digital_silence_db;
    size_t m = 0, mu = 0;
    for (size_t i = 0; i < n; i++)
        if (db[i] > silence_db && !(f0[i] > 0))
            lv[mu++] = db[i];
    m = mu;
    if (mu < p.min_evidence_frames) {
        /* (Nearly) every frame voiced: take them all. */
        m = 0;
        for (size_t i = 0; i < n; i++)
            if (db[i] > silence_db)
                lv[m++] = db[i];
    }
    if (m == 0) {
        out->noise_db = out->speech_db = db[0];
        free(lv);
        return SH_OK;
    }
    float noise = percentile(lv, m, p.noise_percentile);
    /* 2. Speech level from the voiced frames. */
    size_t nv = 0;
    for (size_t i = 0; i < n; i++)
        if (f0[i] > 0 && db[i] > p.digital_silence_db)
            lv[nv++] = db[i];
    float speech = nv ? percentile(lv, nv, p.speech_percentile) : noise;
    free(lv);
    out->noise_db = noise;
    out->speech_db = speech;
    out->snr_db = speech - noise;
    if (nv < p.min_evidence_frames || speech < p.min_level_db)
        return SH_OK;
    /* 3. A voice, but too buried in the noise to find its edges. Pitch
     * found at the level of the noise itself (under min_voice_snr_db: a
     * hum's harmonics, a whine) is no voice at all. */
    if (out->snr_db < p.min_snr_db) {
        out->too_noisy = out->snr_db >= p.min_voice_snr_db;
        return SH_OK;
    }
    /* 4. Runs of energy, with hysteresis. */
    /* Over a very quiet floor (digital silence, a studio) the thresholds
     * hang from the speech level instead: max_range_db below it at most,
     * or every fading tail would bridge the pauses. */
    float base = noise, snr = out->snr_db;
    if (snr > p.max_range_db) {
        base = speech - p.max_range_db;
        snr = p.max_range_db;
    }
    float on = base + (p.on_ratio * snr > p.min_on_db ? p.on_ratio * snr : p.min_on_db);
    float off = base + (p.off_ratio * snr > p.min_off_db ? p.off_ratio * snr : p.min_off_db);
    if (off > on)
        off = on;
    out->on_db = on;
    out->off_db = off;
    bool in = false;
    for (size_t i = 0; i < n; i++) {
        if (!in && db[i] >= on) {
            in = true;
            for (size_t k = i; k > 0 && !mask[k - 1] && db[k - 1] >= off; k--)
                mask[k - 1] = 1;
        } else if (in && db[i] < off) {
            in = false;
        }
        if (in)
            mask[i] = 1;
    }
    /* 5. A run is speech when it holds a voice, or when it is a short
     * unvoiced stretch (a fricative, a stop burst) inside speech or right
     * against it. */
    size_t nr = 0;
    for (size_t i = 0; i < n; i++)
        nr += mask[i] && (i == 0 || !mask[i - 1]);
    run *runs = malloc((nr ? nr : 1) * sizeof *runs);
    if (!runs)
        return SH_ERR_NOMEM;
    nr = 0;
    for (size_t i = 0; i < n;) {
        if (!mask[i]) {
            i++;
            continue;
        }
        size_t s = i, voiced = 0;
        for (; i < n && mask[i]; i++)
            voiced += f0[i] > 0;
        /* Plenty of voicing is speech whatever its share: reverberation
         * smears a whole sentence into one long run with its pauses filled. */
        bool ok = voiced >= p.min_voiced_frames &&
                  ((float)voiced >= p.min_voiced_share * (float)(i - s) || voiced >= p.plenty_voiced_frames);
        runs[nr++] = (run){s, i, ok, ok};
    }
    keep_consonants(runs, nr, &p);
    for (size_t k = 0; k < nr; k++) {
        if (!runs[k].keep) {
            memset(mask + runs[k].s, 0, runs[k].e - runs[k].s);
            out->rejected++;
        }
    }
    free(runs);
    /* 6. Fill the stops between syllables. */
    size_t last_end = SIZE_MAX;
    for (size_t i = 0; i < n;) {
        if (!mask[i]) {
            i++;
            continue;
        }
        if (last_end != SIZE_MAX && i - last_end < p.min_pause_frames)
            memset(mask + last_end, 1, i - last_end);
        while (i < n && mask[i])
            i++;
        last_end = i;
    }
    size_t first = n, end = 0;
    for (size_t i = 0; i < n; i++) {
        if (mask[i]) {
            if (first == n)
                first = i;
            end = i + 1;
            out->speech_frames++;
            out->voiced_frames += f0[i] > 0;
        }
    }
    if (out->speech_frames == 0) {
        /* The voice was heard but no run of it stood out from the noise. */
        out->too_noisy = out->snr_db < 2.0f * p.min_snr_db;
        return SH_OK;
    }
    out->speech = true;
    out->first = first;
    out->end = end;
    out->pauses = sh_vad_pauses(mask, first, end, NULL, 0);
    return SH_OK;
}

/* Centred moving average of db over `w` frames (those that exist). */
static float smoothed(const float *db, size_t n, size_t i, size_t w)
{
    size_t half = w / 2, lo = i >= half ? i - half : 0, hi = i + half < n ? i + half : n - 1;
    double sum = 0.0;
    for (size_t k = lo; k <= hi; k++)
        sum += db[k];
    return (float)(sum / (double)(hi - lo + 1));
}

static bool voiced_near(const float *f0, size_t n, size_t i, size_t reach)
{
    size_t lo = i >= reach ? i - reach : 0, hi = i + reach < n ? i + reach : n - 1;
    for (size_t k = lo; k <= hi; k++)
        if (f0[k] > 0)
            return true;
    return false;
}

/* Percentile of the masked levels from a histogram of 0.1 dB bins over
 * [-120, +40] dBFS: no sorting, no heap. */
static float masked_level(const float *db, const uint8_t *mask, size_t n, float pct)
{
    enum { LO = -1200, BINS = 1601 };
    uint32_t hist[BINS];
    memset(hist, 0, sizeof hist);
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (!mask[i] || !isfinite(db[i]))
            continue;
        long b = lround((double)db[i] * 10.0) - LO;
        b = b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
        hist[b]++;
        count++;
    }
    if (count == 0)
        return -INFINITY;
    size_t rank = (size_t)floor((double)pct / 100.0 * (double)(count - 1) + 0.5), seen = 0;
    for (size_t b = 0; b < BINS; b++) {
        seen += hist[b];
        if (seen > rank)
            return (float)((double)((long)b + LO) / 10.0);
    }
    return 40.0f;
}

size_t sh_syllable_nuclei(const sh_features *f, const uint8_t *speech_mask, const sh_nuclei_params *pp,
                          uint32_t *frames, size_t cap)
{
    if (!f || !speech_mask || f->n == 0 || !f->band_db || !f->f0_hz)
        return 0;
    sh_nuclei_params p = pp ? *pp : sh_nuclei_params_init();
    if (p.smooth_frames == 0)
        p.smooth_frames = 1;
    size_t n = f->n, count = 0;
    const float *db = f->band_db;
    float floor_db = masked_level(db, speech_mask, n, p.speech_percentile) - p.max_below_db;
    /* Peaks with hysteresis inside each run of the mask: a peak counts once
     * the level rose min_rise_db from the dip before and fell as much
     * after it, or the run ended. */
    for (size_t i = 0; i < n;) {
        if (!speech_mask[i]) {
            i++;
            continue;
        }
        float lo = smoothed(db, n, i, p.smooth_frames), pk = 0;
        size_t pkpos = 0;
        bool have = false;
        for (; i < n && speech_mask[i]; i++) {
            float v = smoothed(db, n, i, p.smooth_frames);
            if (!have) {
                if (v < lo)
                    lo = v;
                if (v - lo >= p.min_rise_db) {
                    have = true;
                    pk = v;
                    pkpos = i;
                }
            } else if (v > pk) {
                pk = v;
                pkpos = i;
            } else if (pk - v >= p.min_rise_db) {
                if (pk >= floor_db && voiced_near(f->f0_hz, n, pkpos, p.voiced_reach)) {
                    if (count < cap)
                        frames[count] = (uint32_t)pkpos;
                    count++;
                }
                have = false;
                lo = v;
            }
        }
        if (have && pk >= floor_db && voiced_near(f->f0_hz, n, pkpos, p.voiced_reach)) {
            if (count < cap)
                frames[count] = (uint32_t)pkpos;
            count++;
        }
    }
    return count;
}
