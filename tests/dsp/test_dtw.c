/* Dynamic time warping on fixed arrays: known paths and costs, band edge
 * cases, banded == full, empty and one-frame inputs, determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/analysis.h"
#include "shadowing/error.h"

/* cmocka's assert_float_equal works in float; costs are doubles. */
#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

/* A valid path: starts at (0,0), ends at (na-1,nb-1), each step (1,1),
 * (1,0) or (0,1), and its total is the sum of the local costs. */
static void check_path(const sh_dtw_result *r, const float *a, size_t na, const float *b, size_t nb)
{
    assert_true(r->len >= (na > nb ? na : nb));
    assert_true(r->len <= na + nb - 1);
    assert_int_equal(r->path[0].a, 0);
    assert_int_equal(r->path[0].b, 0);
    assert_int_equal(r->path[r->len - 1].a, na - 1);
    assert_int_equal(r->path[r->len - 1].b, nb - 1);
    double sum = fabs((double)a[0] - (double)b[0]);
    for (size_t k = 1; k < r->len; k++) {
        uint32_t da = r->path[k].a - r->path[k - 1].a, db = r->path[k].b - r->path[k - 1].b;
        assert_true(da <= 1 && db <= 1 && da + db >= 1);
        sum += fabs((double)a[r->path[k].a] - (double)b[r->path[k].b]);
    }
    assert_near(r->total_cost, sum, 1e-9);
    assert_near(r->mean_cost, sum / (double)r->len, 1e-12);
}

static void test_known_values(void **state)
{
    (void)state;
    sh_dtw_result r;
    /* Identical sequences: the diagonal, cost 0. */
    float x[3] = {0, 1, 2};
    assert_int_equal(sh_dtw_banded(x, 3, x, 3, 1, &r), SH_OK);
    assert_int_equal(r.len, 3);
    for (uint32_t k = 0; k < 3; k++) {
        assert_int_equal(r.path[k].a, k);
        assert_int_equal(r.path[k].b, k);
    }
    assert_near(r.total_cost, 0.0, 0);
    sh_dtw_result_free(&r);

    /* By hand: a = 0 2 4, b = 1 3. D = [1 4; 2 2; 5 3]; from (2,1) the
     * diagonal (1,0) and the up-step (1,1) tie at 2: the diagonal wins;
     * from (1,0) only up. Path (0,0) (1,0) (2,1), total 3. */
    float a[3] = {0, 2, 4}, b[2] = {1, 3};
    assert_int_equal(sh_dtw_full(a, 3, b, 2, &r), SH_OK);
    assert_int_equal(r.len, 3);
    assert_int_equal(r.path[1].a, 1);
    assert_int_equal(r.path[1].b, 0);
    assert_int_equal(r.path[2].a, 2);
    assert_int_equal(r.path[2].b, 1);
    assert_near(r.total_cost, 3.0, 0);
    assert_near(r.mean_cost, 1.0, 0);
    check_path(&r, a, 3, b, 2);
    sh_dtw_result_free(&r);
    assert_int_equal(sh_dtw_banded(a, 3, b, 2, 0, &r), SH_OK);
    assert_near(r.total_cost, 3.0, 0);
    assert_int_equal(r.path[1].a, 1);
    assert_int_equal(r.path[1].b, 0);
    sh_dtw_result_free(&r);

    /* A repeated frame is absorbed: 0 0 1 against 0 1 costs nothing. */
    float c[3] = {0, 0, 1}, d[2] = {0, 1};
    assert_int_equal(sh_dtw_banded(c, 3, d, 2, 1, &r), SH_OK);
    assert_near(r.total_cost, 0.0, 0);
    assert_int_equal(r.len, 3);
    sh_dtw_result_free(&r);
}

static void test_empty_and_one_frame(void **state)
{
    (void)state;
    sh_dtw_result r;
    float a[4] = {1, 2, 3, 5}, one = 2;
    assert_int_equal(sh_dtw_banded(NULL, 0, a, 4, 3, &r), SH_OK);
    assert_int_equal(r.len, 0);
    assert_null(r.path);
    assert_near(r.total_cost, 0.0, 0);
    assert_int_equal(sh_dtw_full(a, 4, NULL, 0, &r), SH_OK);
    assert_int_equal(r.len, 0);
    /* One frame each. */
    assert_int_equal(sh_dtw_banded(&one, 1, a, 1, 0, &r), SH_OK);
    assert_int_equal(r.len, 1);
    assert_near(r.total_cost, 1.0, 0);
    sh_dtw_result_free(&r);
    /* One frame against four: every step a horizontal move, cost 1+0+1+3. */
    for (size_t band = 0; band < 6; band++) {
        assert_int_equal(sh_dtw_banded(&one, 1, a, 4, band, &r), SH_OK);
        assert_int_equal(r.len, 4);
        assert_near(r.total_cost, 5.0, 0);
        check_path(&r, &one, 1, a, 4);
        sh_dtw_result_free(&r);
        assert_int_equal(sh_dtw_banded(a, 4, &one, 1, band, &r), SH_OK);
        assert_int_equal(r.len, 4);
        assert_near(r.total_cost, 5.0, 0);
        sh_dtw_result_free(&r);
    }
    /* Bad arguments. */
    double mean = -1;
    assert_int_equal(sh_dtw_banded_cost(a, 4, NULL, 0, 2, &mean), SH_OK);
    assert_near(mean, 0.0, 0);
    assert_int_equal(sh_dtw_banded_cost(&one, 1, a, 4, 0, &mean), SH_OK);
    assert_near(mean, 5.0 / 4.0, 0);
    assert_int_equal(sh_dtw_banded_cost(a, 4, a, 4, 0, NULL), SH_ERR_INVALID);
    assert_int_equal(sh_dtw_banded(NULL, 3, a, 4, 1, &r), SH_ERR_INVALID);
    assert_int_equal(sh_dtw_full(a, 4, NULL, 2, &r), SH_ERR_INVALID);
    assert_int_equal(sh_dtw_banded(a, 4, a, 4, 1, NULL), SH_ERR_INVALID);
}

static float *noise(size_t n, uint32_t seed)
{
    float *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        x[i] = (float)(seed >> 8) / 16777216.0f;
    }
    return x;
}

static void test_band_rows(void **state)
{
    (void)state;
    size_t lo, hi;
    /* Square, band 0: the diagonal cell only. */
    sh_dtw_band_row(5, 10, 10, 0, &lo, &hi);
    assert_int_equal(lo, 5);
    assert_int_equal(hi, 5);
    sh_dtw_band_row(5, 10, 10, 2, &lo, &hi);
    assert_int_equal(lo, 3);
    assert_int_equal(hi, 7);
    /* Clamped at the edges. */
    sh_dtw_band_row(0, 10, 10, 4, &lo, &hi);
    assert_int_equal(lo, 0);
    assert_int_equal(hi, 4);
    sh_dtw_band_row(9, 10, 10, 4, &lo, &hi);
    assert_int_equal(lo, 5);
    assert_int_equal(hi, 9);
    /* Twice as many columns: row i covers columns 2i and 2i+1. */
    sh_dtw_band_row(3, 5, 10, 0, &lo, &hi);
    assert_int_equal(lo, 6);
    assert_int_equal(hi, 7);
    /* Every shape: rows connected, first and last cells inside. */
    size_t shapes[][2] = {{1, 1}, {1, 9}, {9, 1}, {7, 3}, {3, 7}, {100, 7}, {7, 100}, {13, 13}, {64, 63}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t na = shapes[s][0], nb = shapes[s][1];
        for (size_t band = 0; band < 4; band++) {
            size_t plo = 0, phi = 0;
            for (size_t i = 0; i < na; i++) {
                sh_dtw_band_row(i, na, nb, band, &lo, &hi);
                assert_true(lo <= hi && hi < nb);
                if (i == 0)
                    assert_int_equal(lo, 0);
                else
                    assert_true(lo >= plo && hi >= phi && phi + 1 >= lo);
                plo = lo;
                phi = hi;
            }
            assert_int_equal(phi, nb - 1);
        }
    }
}

/* Band >= max(na, nb) is the full matrix: the same result bit for bit. */
static void test_banded_equals_full(void **state)
{
    (void)state;
    size_t shapes[][2] = {{50, 50}, {80, 37}, {37, 80}, {1, 40}, {40, 1}, {200, 11}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t na = shapes[s][0], nb = shapes[s][1];
        float *a = noise(na, (uint32_t)(s + 1)), *b = noise(nb, (uint32_t)(s + 100));
        sh_dtw_result f, r;
        assert_int_equal(sh_dtw_full(a, na, b, nb, &f), SH_OK);
        check_path(&f, a, na, b, nb);
        assert_int_equal(sh_dtw_banded(a, na, b, nb, na > nb ? na : nb, &r), SH_OK);
        assert_int_equal(r.len, f.len);
        assert_memory_equal(r.path, f.path, f.len * sizeof *f.path);
        assert_memory_equal(&r.total_cost, &f.total_cost, sizeof(double));
        assert_int_equal(r.cells, na * nb);
        sh_dtw_result_free(&r);
        /* Narrower bands: a valid path that never beats the full optimum,
         * and the cost never rises as the band widens. */
        double prev = INFINITY;
        for (size_t band = 0; band <= 8; band++) {
            assert_int_equal(sh_dtw_banded(a, na, b, nb, band, &r), SH_OK);
            check_path(&r, a, na, b, nb);
            assert_true(r.total_cost >= f.total_cost);
            assert_true(r.total_cost <= prev);
            prev = r.total_cost;
            /* The cost-only version agrees bit for bit. */
            double mean;
            assert_int_equal(sh_dtw_banded_cost(a, na, b, nb, band, &mean), SH_OK);
            assert_memory_equal(&mean, &r.mean_cost, sizeof mean);
            sh_dtw_result_free(&r);
        }
        sh_dtw_result_free(&f);
        free(a);
        free(b);
    }
}

/* The band keeps memory at O(N x band): far below the full matrix. */
static void test_band_memory(void **state)
{
    (void)state;
    size_t n = 3000;
    float *a = noise(n, 7), *b = noise(n, 8);
    sh_dtw_result r;
    assert_int_equal(sh_dtw_banded(a, n, b, n, 30, &r), SH_OK);
    assert_true(r.cells <= n * 61);
    assert_true(r.work_bytes < n * 61 + 16 * n + 16 * n + 64);
    check_path(&r, a, n, b, n);
    sh_dtw_result_free(&r);
    /* Very different lengths, band 0: still a path through every row. */
    assert_int_equal(sh_dtw_banded(a, n, b, 7, 0, &r), SH_OK);
    check_path(&r, a, n, b, 7);
    sh_dtw_result_free(&r);
    free(a);
    free(b);
}

static void test_deterministic(void **state)
{
    (void)state;
    float *a = noise(500, 3), *b = noise(420, 4);
    sh_dtw_result r1, r2;
    assert_int_equal(sh_dtw_banded(a, 500, b, 420, 25, &r1), SH_OK);
    assert_int_equal(sh_dtw_banded(a, 500, b, 420, 25, &r2), SH_OK);
    assert_int_equal(r1.len, r2.len);
    assert_memory_equal(r1.path, r2.path, r1.len * sizeof *r1.path);
    assert_memory_equal(&r1.total_cost, &r2.total_cost, sizeof(double));
    sh_dtw_result_free(&r1);
    sh_dtw_result_free(&r2);
    sh_dtw_result_free(&r2); /* freeing twice is allowed */
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_empty_and_one_frame),
        cmocka_unit_test(test_band_rows),
        cmocka_unit_test(test_banded_equals_full),
        cmocka_unit_test(test_band_memory),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
