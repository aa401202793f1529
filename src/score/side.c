/* One recording on its own: envelope, voice activity, level and clipping.
 * Pure: no I/O, no globals. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score_int.h"

#include "shadowing/features.h"
#include "shadowing/error.h"


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
    rc = sh_vad(&p->vad, w->db, nf, *mask, &w->vad);
    if (rc != SH_OK)
        return rc;
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
    s->duration_s = (double)nx / rate;
    s->speech = w->vad.speech;
    s->speech_begin_s = (double)w->vad.first * hop;
    s->speech_end_s = (double)w->vad.end * hop;
    if (s->speech_end_s > s->duration_s)
        s->speech_end_s = s->duration_s;
    s->span_s = s->speech_end_s - s->speech_begin_s;
    s->voiced_s = (double)w->vad.voiced * hop;
    s->noise_db = w->vad.noise_db;
    s->speech_db = w->vad.peak_db;
    s->peak = peak;
    s->clipped = clipped;
    s->pauses = (int)w->vad.pauses;
    s->snr_db = (double)(w->vad.peak_db - w->vad.noise_db);
    /* Clarity: how much of the voice is above 1 kHz (the consonants and the
     * upper formants), over the voiced speech frames. */
    double tilt = 0;
    size_t nv = 0;
    for (size_t i = 0; i < nf; i++)
        if ((*mask)[i] && w->feat.f0_hz[i] > 0) {
            tilt += (double)(w->feat.high_db[i] - w->feat.low_db[i]);
            nv++;
        }
    s->clarity_db = nv ? tilt / (double)nv : 0.0;
    return SH_OK;
}
