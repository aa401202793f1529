/* One recording on its own: envelope, voice activity, level and clipping.
 * Pure: no I/O, no globals. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score_int.h"

#include "shadowing/envelope.h"
#include "shadowing/features.h"
#include "shadowing/speech.h"
#include "shadowing/error.h"


static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* The full-band speech level (what the microphone's gain sets): the 90th
 * percentile of the full-band frame levels inside the speech mask; -100
 * without speech. */
static double speech_level(const sh_score_params *p, const float *x, size_t nx, int rate,
                           const unsigned char *mask, const sh_features *feat, double *clarity)
{
    size_t nf = feat->n;
    sh_envelope_config ec = sh_envelope_config_init(rate);
    ec.window_s = p->window_s;
    ec.hop_s = p->hop_s;
    float *db = malloc((nf ? nf : 1) * sizeof *db);
    if (!db)
        return -100.0;
    long got = sh_envelope_compute(&ec, x, nx, db, nf);
    /* Clarity: the level above 1 kHz (consonants, upper formants) against
     * the whole level, over the voiced speech frames, each taken as its
     * rise over the same level in the room's noise (frames without speech):
     * muffled or mumbled speech rises below 1 kHz and hardly above it, and
     * a noisy room's own tilt drops out. A telephone band keeps both (there
     * the whole is the band). Without room frames, the plain tilt. */
    double hv = 0, fv = 0, hn = 0, fn = 0;
    size_t nv = 0, nn = 0;
    for (long i = 0; i < got && (size_t)i < nf; i++) {
        if (mask[i] && feat->f0_hz[i] > 0) {
            hv += (double)feat->high_db[i];
            fv += (double)db[i];
            nv++;
        } else if (!mask[i] && db[i] > -99.0f) {
            hn += (double)feat->high_db[i];
            fn += (double)db[i];
            nn++;
        }
    }
    if (nv && nn >= 20)
        *clarity = (hv - fv) / (double)nv - (hn - fn) / (double)nn;
    else
        *clarity = nv ? (hv - fv) / (double)nv : 0.0;
    size_t m = 0;
    for (long i = 0; i < got && (size_t)i < nf; i++)
        if (mask[i])
            db[m++] = db[i];
    double level = -100.0;
    if (m > 0) {
        qsort(db, m, sizeof *db, cmp_float);
        level = db[m * 9 / 10];
    }
    free(db);
    return level;
}

int sh_score_analyse_side(const sh_score_params *p, const float *x, size_t nx, int rate, side_work *w,
                          sh_score_side *s, float **norm, unsigned char **mask)
{
    sh_features_params fp = sh_features_params_init();
    fp.window_s = p->window_s;
    fp.hop_s = p->hop_s;
    int rc = sh_features_compute(&fp, x, nx, rate, &w->feat);
    if (rc != SH_OK)
        return rc;
    size_t nf = w->feat.n;
    w->n = nf;
    w->db = w->feat.band_db;
    *norm = malloc((nf ? nf : 1) * sizeof **norm);
    *mask = malloc(nf ? nf : 1);
    if (!*norm || !*mask)
        return SH_ERR_NOMEM;
    sh_speech_result sp;
    rc = sh_speech_detect(&p->speech, &w->feat, *mask, &sp);
    if (rc != SH_OK)
        return rc;
    /* The rest of the scorer reads the summary in sh_vad's terms. */
    memset(&w->vad, 0, sizeof w->vad);
    w->vad.speech = sp.speech;
    w->vad.first = sp.first;
    w->vad.end = sp.end;
    w->vad.voiced = sp.speech_frames;
    w->vad.pauses = sp.pauses;
    w->vad.noise_db = sp.noise_db;
    w->vad.floor_db = sp.noise_db;
    w->vad.peak_db = sp.speech_db;
    /* Clipping: count runs of samples at full scale, not samples, so one
     * overdriven syllable counts once. The peak pass vectorises; the run
     * count only runs when something reached the clip level. */
    /* |x| compared as integers (the IEEE bit pattern of a non-negative
     * float orders like its value), four lanes at a time. */
    uint32_t lane[4] = {0, 0, 0, 0};
    size_t i4 = 0;
    for (; i4 + 4 <= nx; i4 += 4) {
        for (int l = 0; l < 4; l++) {
            uint32_t u;
            memcpy(&u, &x[i4 + (size_t)l], sizeof u);
            u &= 0x7fffffffu;
            lane[l] = u > lane[l] ? u : lane[l];
        }
    }
    for (; i4 < nx; i4++) {
        uint32_t u;
        memcpy(&u, &x[i4], sizeof u);
        u &= 0x7fffffffu;
        lane[0] = u > lane[0] ? u : lane[0];
    }
    uint32_t top = lane[0];
    for (int l = 1; l < 4; l++)
        top = lane[l] > top ? lane[l] : top;
    /* An infinity or NaN sorts above every finite value this way: such a
     * recording is refused rather than scored as garbage. */
    if (top >= 0x7f800000u)
        return SH_ERR_INVALID;
    float peakf;
    memcpy(&peakf, &top, sizeof peakf);
    double peak = peakf;
    int clipped = 0;
    if (peak >= p->clip_level) {
        /* Clipped samples less than 10 ms apart belong to one event: a
         * lossy codec turns one flat top into ripples around full scale. */
        size_t gap = (size_t)rate / 100, last = 0;
        bool any = false;
        for (size_t i = 0; i < nx; i++) {
            if (fabs((double)x[i]) >= p->clip_level) {
                if (!any || i - last > gap)
                    clipped++;
                any = true;
                last = i;
            }
        }
    }
    double hop = p->hop_s;
    memset(s, 0, sizeof *s);
    s->too_noisy = sp.too_noisy;
    s->rejected = (int)sp.rejected;
    size_t nn = sp.speech ? sh_syllable_nuclei(&w->feat, *mask, NULL, NULL, 0) : 0;
    s->syllables = (int)nn;
    s->syllable_rate = sp.speech_frames ? (double)nn / ((double)sp.speech_frames * p->hop_s) : 0.0;
    s->speech_db = speech_level(p, x, nx, rate, *mask, &w->feat, &s->clarity_db);
    s->duration_s = (double)nx / rate;
    s->speech = w->vad.speech;
    s->speech_begin_s = (double)w->vad.first * hop;
    s->speech_end_s = (double)w->vad.end * hop;
    if (s->speech_end_s > s->duration_s)
        s->speech_end_s = s->duration_s;
    s->span_s = s->speech_end_s - s->speech_begin_s;
    s->voiced_s = (double)w->vad.voiced * hop;
    s->noise_db = w->vad.noise_db;
    s->peak = peak;
    s->clipped = clipped;
    s->pauses = (int)w->vad.pauses;
    s->snr_db = (double)sp.snr_db;

    return SH_OK;
}
