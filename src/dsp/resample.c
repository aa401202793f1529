/* Band-limited resampling for analysis: see include/shadowing/resample.h.
 * The kernel is tabulated at PHASES sub-sample positions and linearly
 * interpolated between them, so no sin() runs per tap. */
#include "shadowing/resample.h"

#include <math.h>
#include <stdlib.h>

#include "shadowing/error.h"

#define ZEROS 8     /* zero crossings on each side of the kernel */
#define PHASES 256  /* table entries per zero crossing */

int sh_resample(const float *x, size_t n, double from, double to, float **out, size_t *nout)
{
    if (!out || !nout || (n && !x) || !(from >= 1000 && from <= 1e6) || !(to >= 1000 && to <= 1e6))
        return SH_ERR_INVALID;
    *out = NULL;
    *nout = 0;
    if (n == 0)
        return SH_OK;
    size_t m = (size_t)llround((double)n * to / from);
    float *y = malloc((m ? m : 1) * sizeof *y);
    size_t tlen = (size_t)ZEROS * PHASES + 2;
    double *table = malloc(tlen * sizeof *table);
    if (!y || !table) {
        free(y);
        free(table);
        return SH_ERR_NOMEM;
    }
    /* Cut-off as a share of the input rate: 0.45 of the lower rate. */
    double fc = 0.45 * fmin(from, to) / from;
    for (size_t k = 0; k < tlen; k++) {
        double t = (double)k / PHASES; /* in units of 1/(2 fc) input samples */
        double s = t == 0 ? 1.0 : sin(M_PI * t) / (M_PI * t);
        double w = t >= ZEROS ? 0.0 : 0.42 + 0.5 * cos(M_PI * t / ZEROS) + 0.08 * cos(2 * M_PI * t / ZEROS);
        table[k] = s * w;
    }
    double scale = 2.0 * fc;               /* unity gain at DC */
    double reach = ZEROS / (2.0 * fc);     /* kernel half-width in input samples */
    for (size_t j = 0; j < m; j++) {
        double c = (double)j * from / to; /* input position of output j */
        long lo = (long)ceil(c - reach), hi = (long)floor(c + reach);
        if (lo < 0)
            lo = 0;
        if (hi > (long)n - 1)
            hi = (long)n - 1;
        double acc = 0;
        for (long i = lo; i <= hi; i++) {
            double u = fabs((double)i - c) * 2.0 * fc * PHASES;
            size_t k = (size_t)u;
            if (k + 1 >= tlen)
                continue;
            double f = u - (double)k;
            acc += (double)x[i] * (table[k] + f * (table[k + 1] - table[k]));
        }
        y[j] = (float)(acc * scale);
    }
    free(table);
    *out = y;
    *nout = m;
    return SH_OK;
}
