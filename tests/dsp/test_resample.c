/* sh_resample on fixed arrays: tones keep their level and frequency, what
 * the lower rate cannot hold is removed, lengths and edge cases. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "shadowing/error.h"
#include "shadowing/resample.h"

static float *tone(double hz, double rate, double amp, size_t n)
{
    float *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(amp * sin(2 * M_PI * hz * (double)i / rate));
    return x;
}

/* RMS of y[a..b) and the frequency by counting zero crossings. */
static double rms(const float *y, size_t a, size_t b)
{
    double s = 0;
    for (size_t i = a; i < b; i++)
        s += (double)y[i] * y[i];
    return sqrt(s / (double)(b - a));
}

static double crossings_hz(const float *y, size_t a, size_t b, double rate)
{
    size_t c = 0;
    for (size_t i = a + 1; i < b; i++)
        c += (y[i - 1] < 0) != (y[i] < 0);
    return (double)c / 2.0 / ((double)(b - a) / rate);
}

static void test_tone_kept(void **state)
{
    (void)state;
    const double rates[] = {44100, 48000, 22050, 11025};
    for (int k = 0; k < 4; k++) {
        size_t n = (size_t)rates[k]; /* one second */
        float *x = tone(1000.0, rates[k], 0.5, n), *y = NULL;
        size_t m = 0;
        assert_int_equal(sh_resample(x, n, rates[k], 16000, &y, &m), SH_OK);
        assert_int_equal(m, 16000);
        /* away from the edges: same level (0.5/sqrt 2) and pitch */
        assert_true(fabs(rms(y, 1000, 15000) - 0.5 / sqrt(2.0)) < 0.005);
        assert_true(fabs(crossings_hz(y, 1000, 15000, 16000) - 1000.0) < 2.0);
        free(x);
        free(y);
    }
}

static void test_alias_removed(void **state)
{
    (void)state;
    /* 11 kHz cannot exist at 16 kHz: it must not fold down to 5 kHz. */
    float *x = tone(11000.0, 48000, 0.5, 48000), *y = NULL;
    size_t m = 0;
    assert_int_equal(sh_resample(x, 48000, 48000, 16000, &y, &m), SH_OK);
    assert_true(rms(y, 1000, 15000) < 0.5 / sqrt(2.0) * 0.01); /* at least 40 dB down */
    free(x);
    free(y);
}

static void test_edges(void **state)
{
    (void)state;
    float *y = (float *)1;
    size_t m = 7;
    assert_int_equal(sh_resample(NULL, 0, 44100, 16000, &y, &m), SH_OK);
    assert_null(y);
    assert_int_equal(m, 0);
    float one = 1.0f;
    assert_int_equal(sh_resample(&one, 1, 44100, 16000, &y, &m), SH_OK);
    assert_int_equal(m, 0); /* round(1 * 16000 / 44100) */
    free(y);
    assert_int_equal(sh_resample(&one, 1, 0, 16000, &y, &m), SH_ERR_INVALID);
    assert_int_equal(sh_resample(&one, 1, 44100, 1e9, &y, &m), SH_ERR_INVALID);
    assert_int_equal(sh_resample(NULL, 5, 44100, 16000, &y, &m), SH_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tone_kept),
        cmocka_unit_test(test_alias_removed),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
