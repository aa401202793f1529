/* Dynamic time warping: a Sakoe-Chiba banded version that keeps only the
 * band (one back-pointer byte per cell, two rows of costs) and the textbook
 * full-matrix version it is tested and benchmarked against.
 * See include/shadowing/analysis.h for the contract. */
#include "shadowing/analysis.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/error.h"

enum { DIR_START = 0, DIR_DIAG = 1, DIR_UP = 2, DIR_LEFT = 3 };

#define MAX_LEN ((size_t)1 << 31)

void sh_dtw_band_row(size_t i, size_t na, size_t nb, size_t band, size_t *lo, size_t *hi)
{
    /* Row i of the scaled diagonal covers the columns floor(i*nb/na) ..
     * ceil((i+1)*nb/na) - 1; widening both ends by `band` keeps every row
     * connected to the next (hi(i-1) >= lo(i) - 1), so a path always exists. */
    uint64_t c0 = (uint64_t)i * nb / na;
    uint64_t c1 = ((uint64_t)(i + 1) * nb + na - 1) / na; /* exclusive */
    *lo = c0 > band ? (size_t)(c0 - band) : 0;
    uint64_t h = c1 - 1 + band;
    *hi = h < nb - 1 ? (size_t)h : nb - 1;
}

static void result_empty(sh_dtw_result *out)
{
    memset(out, 0, sizeof *out);
}

/* Arrays present when non-empty, lengths that fit the uint32 path steps. */
static bool args_ok(const float *a, size_t na, const float *b, size_t nb)
{
    return (!na || a) && (!nb || b) && na < MAX_LEN && nb < MAX_LEN;
}

/* Reverse the back-tracked path in place and fill the summary. */
static void finish_path(sh_dtw_result *out, size_t len, double total)
{
    for (size_t k = 0; k < len / 2; k++) {
        sh_dtw_step t = out->path[k];
        out->path[k] = out->path[len - 1 - k];
        out->path[len - 1 - k] = t;
    }
    out->len = len;
    out->total_cost = total;
    out->mean_cost = total / (double)len;
}

/* One row of the banded recurrence. prev and cur are indexed by column + 1:
 * slot 0 is a permanent +inf sentinel, and every slot a row may read that
 * does not belong to the previous row's band holds +inf (see run_band), so
 * the loop needs no bounds tests. Ties go to the diagonal, then up. */
static inline void band_row(const float *b, double ai, size_t lo, size_t hi, const double *prev,
                            double *cur, uint8_t *drow)
{
    double left = INFINITY;
    for (size_t j = lo; j <= hi; j++) {
        double d = fabs(ai - (double)b[j]);
        double best = prev[j];      /* (i-1, j-1) */
        uint8_t how = DIR_DIAG;
        if (prev[j + 1] < best) {   /* (i-1, j) */
            best = prev[j + 1];
            how = DIR_UP;
        }
        if (left < best) {          /* (i, j-1) */
            best = left;
            how = DIR_LEFT;
        }
        left = best + d;
        cur[j + 1] = left;
        if (drow)
            drow[j] = how;
    }
}

/* The banded forward pass. With dir (one byte per band cell, rows at
 * start[i]) it records back-pointers; without, it only returns the cost. */
static int run_band(const float *a, size_t na, const float *b, size_t nb, size_t band, const size_t *start,
                    uint8_t *dir, double *total)
{
    double *prev = malloc((nb + 2) * sizeof *prev), *cur = malloc((nb + 2) * sizeof *cur);
    if (!prev || !cur) {
        free(prev);
        free(cur);
        return SH_ERR_NOMEM;
    }
    for (size_t j = 0; j < nb + 2; j++)
        prev[j] = cur[j] = INFINITY;
    /* Row 0: from the start cell, left steps only. */
    size_t lo, hi;
    sh_dtw_band_row(0, na, nb, band, &lo, &hi);
    double acc = 0;
    for (size_t j = 0; j <= hi; j++) {
        acc += fabs((double)a[0] - (double)b[j]);
        prev[j + 1] = acc;
        if (dir)
            dir[j] = j ? DIR_LEFT : DIR_START;
    }
    for (size_t i = 1; i < na; i++) {
        sh_dtw_band_row(i, na, nb, band, &lo, &hi);
        band_row(b, (double)a[i], lo, hi, prev, cur, dir ? dir + start[i] - lo : NULL);
        /* Slot lo (column lo-1) may hold a value from two rows ago: the
         * next row must see +inf there. Columns past hi were never written. */
        cur[lo] = INFINITY;
        double *t = prev;
        prev = cur;
        cur = t;
    }
    *total = prev[nb];
    free(prev);
    free(cur);
    return SH_OK;
}

int sh_dtw_banded_cost(const float *a, size_t na, const float *b, size_t nb, size_t band, double *mean_cost)
{
    if (!mean_cost || !args_ok(a, na, b, nb))
        return SH_ERR_INVALID;
    *mean_cost = 0;
    if (na == 0 || nb == 0)
        return SH_OK;
    if (band > na + nb)
        band = na + nb;
    /* The same recurrence and tie order as run_band, carrying the length of
     * the chosen path beside its cost so the mean is sh_dtw_banded's. */
    double *prev = malloc((nb + 2) * sizeof *prev), *cur = malloc((nb + 2) * sizeof *cur);
    uint32_t *plen = malloc((nb + 2) * sizeof *plen), *clen = malloc((nb + 2) * sizeof *clen);
    if (!prev || !cur || !plen || !clen) {
        free(prev);
        free(cur);
        free(plen);
        free(clen);
        return SH_ERR_NOMEM;
    }
    for (size_t j = 0; j < nb + 2; j++) {
        prev[j] = cur[j] = INFINITY;
        plen[j] = clen[j] = 0;
    }
    size_t lo, hi;
    sh_dtw_band_row(0, na, nb, band, &lo, &hi);
    double acc = 0;
    for (size_t j = 0; j <= hi; j++) {
        acc += fabs((double)a[0] - (double)b[j]);
        prev[j + 1] = acc;
        plen[j + 1] = (uint32_t)(j + 1);
    }
    for (size_t i = 1; i < na; i++) {
        sh_dtw_band_row(i, na, nb, band, &lo, &hi);
        double ai = a[i], left = INFINITY;
        uint32_t left_len = 0;
        for (size_t j = lo; j <= hi; j++) {
            double d = fabs(ai - (double)b[j]);
            double best = prev[j];
            uint32_t len = plen[j];
            if (prev[j + 1] < best) {
                best = prev[j + 1];
                len = plen[j + 1];
            }
            if (left < best) {
                best = left;
                len = left_len;
            }
            left = best + d;
            left_len = len + 1;
            cur[j + 1] = left;
            clen[j + 1] = left_len;
        }
        cur[lo] = INFINITY;
        double *t = prev;
        prev = cur;
        cur = t;
        uint32_t *tl = plen;
        plen = clen;
        clen = tl;
    }
    *mean_cost = prev[nb] / (double)plen[nb];
    free(prev);
    free(cur);
    free(plen);
    free(clen);
    return SH_OK;
}

int sh_dtw_banded(const float *a, size_t na, const float *b, size_t nb, size_t band, sh_dtw_result *out)
{
    if (!out)
        return SH_ERR_INVALID;
    result_empty(out);
    if (!args_ok(a, na, b, nb))
        return SH_ERR_INVALID;
    if (na == 0 || nb == 0)
        return SH_OK;
    if (band > na + nb)
        band = na + nb; /* wider changes nothing; keeps the arithmetic small */

    size_t *start = malloc((na + 1) * sizeof *start); /* offset of row i's cells */
    uint8_t *dir = NULL;
    int rc = SH_ERR_NOMEM;
    if (!start)
        goto fail;
    size_t cells = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo, hi;
        sh_dtw_band_row(i, na, nb, band, &lo, &hi);
        start[i] = cells;
        cells += hi - lo + 1;
    }
    start[na] = cells;
    dir = malloc(cells);
    out->path = malloc((na + nb - 1) * sizeof *out->path);
    if (!dir || !out->path)
        goto fail;
    double total;
    rc = run_band(a, na, b, nb, band, start, dir, &total);
    if (rc != SH_OK)
        goto fail;

    /* Back-track from the last cell along the stored pointers. */
    size_t i = na - 1, j = nb - 1, len = 0;
    for (;;) {
        out->path[len++] = (sh_dtw_step){(uint32_t)i, (uint32_t)j};
        size_t lo, hi;
        sh_dtw_band_row(i, na, nb, band, &lo, &hi);
        uint8_t how = dir[start[i] + (j - lo)];
        if (how == DIR_START)
            break;
        if (how != DIR_LEFT)
            i--;
        if (how != DIR_UP)
            j--;
    }
    finish_path(out, len, total);
    out->cells = cells;
    out->work_bytes = cells + (na + 1) * sizeof *start + 2 * (nb + 2) * sizeof(double);
    rc = SH_OK;
fail:
    if (rc != SH_OK)
        sh_dtw_result_free(out);
    free(start);
    free(dir);
    return rc;
}

int sh_dtw_full(const float *a, size_t na, const float *b, size_t nb, sh_dtw_result *out)
{
    if (!out)
        return SH_ERR_INVALID;
    result_empty(out);
    if (!args_ok(a, na, b, nb))
        return SH_ERR_INVALID;
    if (na == 0 || nb == 0)
        return SH_OK;
    if (nb > SIZE_MAX / sizeof(double) / na)
        return SH_ERR_NOMEM;
    double *D = malloc(na * nb * sizeof *D);
    out->path = malloc((na + nb - 1) * sizeof *out->path);
    if (!D || !out->path) {
        free(D);
        sh_dtw_result_free(out);
        return SH_ERR_NOMEM;
    }
#define AT(r, c) D[(r) * nb + (c)]
    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++) {
            double d = fabs((double)a[i] - (double)b[j]);
            double best = INFINITY;
            if (i > 0 && j > 0)
                best = AT(i - 1, j - 1);
            if (i > 0 && AT(i - 1, j) < best)
                best = AT(i - 1, j);
            if (j > 0 && AT(i, j - 1) < best)
                best = AT(i, j - 1);
            AT(i, j) = (i == 0 && j == 0) ? d : best + d;
        }
    }
    /* Back-track by choosing the cheapest predecessor, with the same tie
     * order as the forward pass (diagonal, up, left). */
    size_t i = na - 1, j = nb - 1, len = 0;
    for (;;) {
        out->path[len++] = (sh_dtw_step){(uint32_t)i, (uint32_t)j};
        if (i == 0 && j == 0)
            break;
        int how = DIR_START;
        double best = INFINITY;
        if (i > 0 && j > 0) {
            best = AT(i - 1, j - 1);
            how = DIR_DIAG;
        }
        if (i > 0 && AT(i - 1, j) < best) {
            best = AT(i - 1, j);
            how = DIR_UP;
        }
        if (j > 0 && AT(i, j - 1) < best)
            how = DIR_LEFT;
        if (how != DIR_LEFT)
            i--;
        if (how != DIR_UP)
            j--;
    }
    double total = AT(na - 1, nb - 1);
#undef AT
    finish_path(out, len, total);
    out->cells = na * nb;
    out->work_bytes = na * nb * sizeof *D;
    free(D);
    return SH_OK;
}

void sh_dtw_result_free(sh_dtw_result *r)
{
    if (!r)
        return;
    free(r->path);
    r->path = NULL;
    r->len = 0;
}
