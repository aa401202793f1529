/* Intonation: the melody of the take against the speaker's.
 *
 * Pitch (YIN, sh_features) means nothing across voices in Hz: a child, a
 * woman and a man reading the same sentence are an octave or more apart.
 * What a listener hears as the same intonation is the same movement around
 * each one's own usual pitch, so each contour is turned into semitones
 * around its own speaker's median pitch, and compared along the alignment
 * path (the take's frames on the speaker's time line). Three measurements:
 *   - correlation of the two contours over the frames both voice;
 *   - pitch range (10th to 90th percentile, semitones) of each;
 *   - the movement at the end of the speech (the last 0.3 s voiced against
 *     the 0.7 s voiced before it): a statement falls, a question rises.
 * Pure: no I/O, no globals. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score_int.h"
#include "shadowing/error.h"

/* Pairs of voiced frames along the path needed before anything is said. */
#define MIN_PAIRS 40

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* Semitones around the median of f0 over the voiced speech frames; NAN
 * elsewhere. A 5-frame median first drops single-frame octave errors,
 * and frames more than 9 semitones away are left out as tracker errors.
 * Returns the number of voiced frames, or -1 when out of memory. */
static long contour(const float *f0, const unsigned char *mask, size_t n, float *st, double *median_hz)
{
    float *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        st[i] = NAN;
        if (!mask[i] || !(f0[i] > 0))
            continue;
        float w[5];
        size_t k = 0;
        for (size_t j = i >= 2 ? i - 2 : 0; j <= i + 2 && j < n; j++)
            if (f0[j] > 0 && mask[j])
                w[k++] = f0[j];
        qsort(w, k, sizeof *w, cmp_float);
        st[i] = w[k / 2]; /* Hz for now */
        v[m++] = st[i];
    }
    *median_hz = 0;
    if (m > 0) {
        qsort(v, m, sizeof *v, cmp_float);
        *median_hz = v[m / 2];
        for (size_t i = 0; i < n; i++)
            if (!isnan(st[i])) {
                /* More than 9 semitones from the median is a pitch tracker
                 * octave error, not intonation: left out. */
                double s = 12.0 * log2((double)st[i] / *median_hz);
                st[i] = fabs(s) > 9.0 ? NAN : (float)s;
            }
    }
    free(v);
    return (long)m;
}

/* 10th to 90th percentile of the voiced frames of st. */
static double range_st(const float *st, size_t n)
{
    float *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(st[i]))
            v[m++] = st[i];
    double r = 0;
    if (m >= 10) {
        qsort(v, m, sizeof *v, cmp_float);
        r = (double)v[m * 9 / 10] - (double)v[m / 10];
    }
    free(v);
    return r;
}

/* The movement at the end: mean of the last `tail` voiced frames minus the
 * mean of the `before` voiced frames before them (semitones; negative: a
 * fall). NAN when there are not enough voiced frames. */
static double end_movement(const float *st, size_t n, size_t tail, size_t before)
{
    double a = 0, b = 0;
    size_t na = 0, nb = 0;
    for (size_t i = n; i-- > 0;) {
        if (isnan(st[i]))
            continue;
        if (na < tail) {
            a += st[i];
            na++;
        } else if (nb < before) {
            b += st[i];
            nb++;
        } else {
            break;
        }
    }
    if (na < tail / 2 || nb < before / 2)
        return NAN;
    return a / (double)na - b / (double)nb;
}

int sh_score_intonation(sh_score_result *r, const float *ref_f0, const float *take_f0)
{
    sh_score_intonation_result *it = &r->intonation;
    memset(it, 0, sizeof *it);
    it->score = -1;
    r->ref_pitch = malloc((r->ref_frames ? r->ref_frames : 1) * sizeof *r->ref_pitch);
    r->take_pitch = malloc((r->take_frames ? r->take_frames : 1) * sizeof *r->take_pitch);
    if (!r->ref_pitch || !r->take_pitch)
        return SH_ERR_NOMEM;
    long vr = contour(ref_f0, r->ref_mask, r->ref_frames, r->ref_pitch, &it->ref_median_hz);
    long vt = contour(take_f0, r->take_mask, r->take_frames, r->take_pitch, &it->take_median_hz);
    if (vr < 0 || vt < 0)
        return SH_ERR_NOMEM;
    it->ref_range_st = range_st(r->ref_pitch, r->ref_frames);
    it->take_range_st = range_st(r->take_pitch, r->take_frames);
    size_t tail = (size_t)lround(0.3 / r->hop_s), before = (size_t)lround(0.7 / r->hop_s);
    it->ref_end_st = end_movement(r->ref_pitch, r->ref_frames, tail, before);
    it->take_end_st = end_movement(r->take_pitch, r->take_frames, tail, before);

    /* Correlation along the path: each reference frame once (its first
     * take frame), both voiced. */
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    size_t pairs = 0, last_a = SIZE_MAX;
    for (size_t k = 0; k < r->path_len; k++) {
        size_t a = r->path[k].a, b = r->path[k].b;
        if (a == last_a)
            continue;
        last_a = a;
        float x = r->ref_pitch[a], y = r->take_pitch[b];
        if (isnan(x) || isnan(y))
            continue;
        sx += x;
        sy += y;
        sxx += (double)x * x;
        syy += (double)y * y;
        sxy += (double)x * y;
        pairs++;
    }
    it->pairs = (int)pairs;
    if (pairs < MIN_PAIRS)
        return SH_OK;
    double np = (double)pairs;
    double cov = sxy - sx * sy / np, vx = sxx - sx * sx / np, vy = syy - sy * sy / np;
    it->correlation = vx > 0 && vy > 0 ? cov / sqrt(vx * vy) : 0.0;
    it->measured = true;
    /* 100 when the contours move together (r >= 0.6) with at least half the
     * speaker's range, 0 when unrelated or flat. */
    double s = sh_score_ramp(it->correlation, 0.0, 0.6);
    if (it->ref_range_st > 0) {
        double rr = it->take_range_st / it->ref_range_st;
        s *= rr >= 0.5 ? 1.0 : rr <= 0.2 ? 0.0 : (rr - 0.2) / 0.3;
    }
    it->score = sh_score_clamp100(s);
    return SH_OK;
}
