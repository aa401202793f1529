/* The envelope aligner on synthetic envelopes with known boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/align.h"
#include "shadowing/error.h"

/* 10 ms frames. Speech: -20 dB with a syllable dip every 200 ms (never a
 * pause); silence: `quiet` dB with a little deterministic jitter. */
typedef struct synth {
    float *env;
    size_t n, cap;
    float quiet;
    unsigned seed;
} synth;

static float jitter(synth *s)
{
    s->seed = s->seed * 1103515245u + 12345u;
    return (float)((s->seed >> 16) % 100) / 100.0f - 0.5f;
}

static void push(synth *s, float v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->env = realloc(s->env, s->cap * sizeof *s->env);
        assert_non_null(s->env);
    }
    s->env[s->n++] = v;
}

static double now(const synth *s)
{
    return (double)s->n * 0.01;
}

static void speech(synth *s, double secs)
{
    size_t n = (size_t)lround(secs * 100);
    for (size_t i = 0; i < n; i++)
        push(s, (i % 20 < 3 ? -35.0f : -20.0f) + 2 * jitter(s));
}

static void quiet(synth *s, double secs)
{
    size_t n = (size_t)lround(secs * 100);
    for (size_t i = 0; i < n; i++)
        push(s, s->quiet + jitter(s));
}

/* Paragraph i: `sent` sentences of `len` seconds separated by `inner`
 * pauses; paragraphs separated by `gap`. Records the truth. */
static void build(synth *s, size_t np, const int *sent, const double *len, double inner, double gap,
                  double *tb, double *te, double *w)
{
    for (size_t i = 0; i < np; i++) {
        tb[i] = now(s);
        for (int k = 0; k < sent[i]; k++) {
            if (k)
                quiet(s, inner);
            speech(s, len[i]);
        }
        te[i] = now(s);
        w[i] = (te[i] - tb[i]) * 15.0; /* text weight proportional to duration */
        quiet(s, gap);
    }
}

static void check(const sh_align_cue *o, const double *tb, const double *te, size_t n, double tol)
{
    for (size_t i = 0; i < n; i++) {
        if (fabs(o[i].begin - tb[i]) > tol || fabs(o[i].end - te[i]) > tol) {
            print_error("unit %zu: got %.3f-%.3f, want %.3f-%.3f\n", i + 1, o[i].begin, o[i].end, tb[i], te[i]);
            fail();
        }
    }
}

static const int SENT[] = {3, 1, 2, 4, 2, 1, 3, 2};
static const double LEN[] = {3.0, 4.0, 2.5, 2.0, 3.5, 5.0, 1.8, 3.0};
#define NP (sizeof SENT / sizeof *SENT)

static void test_inner_pauses_as_long(void **state)
{
    (void)state;
    synth s = {.quiet = -100.0f, .seed = 1};
    double tb[NP], te[NP], w[NP];
    quiet(&s, 0.5);
    build(&s, NP, SENT, LEN, 0.4, 0.4, tb, te, w);
    sh_align_config c = sh_align_config_init(NULL);
    sh_align_cue o[NP];
    sh_align_stats st;
    assert_int_equal(sh_align_envelope(&c, s.env, s.n, 0, 0, false, NULL, w, NP, o, &st), SH_OK);
    check(o, tb, te, NP, 0.03);
    assert_true(st.floor_db < -90);
    free(s.env);
}

static void test_noise_bed_and_jingle(void **state)
{
    (void)state;
    synth s = {.quiet = -50.0f, .seed = 7};
    double tb[NP], te[NP], w[NP];
    /* a steady 3 s "jingle" as loud as speech, then a pause */
    for (int i = 0; i < 300; i++)
        push(&s, -22.0f + jitter(&s));
    quiet(&s, 0.8);
    build(&s, NP, SENT, LEN, 0.5, 0.45, tb, te, w);
    sh_align_config c = sh_align_config_init(NULL);
    sh_align_cue o[NP];
    sh_align_stats st;
    assert_int_equal(sh_align_envelope(&c, s.env, s.n, 0, 0, false, NULL, w, NP, o, &st), SH_OK);
    check(o, tb, te, NP, 0.03);
    assert_true(st.floor_db > -52 && st.floor_db < -48); /* adapted to the noise */
    assert_true(fabs(st.intro_s - 3.0) < 0.05);         /* the jingle was left out */
    free(s.env);
}

static void test_pinned_range_and_confidence(void **state)
{
    (void)state;
    synth s = {.quiet = -100.0f, .seed = 3};
    double tb[NP], te[NP], w[NP];
    quiet(&s, 1.0);
    build(&s, NP, SENT, LEN, 0.4, 0.6, tb, te, w);
    /* split paragraph 4 (four 2 s sentences) inside its own range */
    size_t from = (size_t)lround(tb[3] * 100) - 2, to = (size_t)lround(te[3] * 100) + 2;
    double sw[4] = {30, 30, 30, 30};
    sh_align_cue o[4];
    sh_align_config c = sh_align_config_init(NULL);
    sh_align_levels lv;
    sh_align_measure(s.env, s.n, 0, 0, &lv);
    assert_int_equal(sh_align_envelope(&c, s.env, s.n, from, to, true, &lv, sw, 4, o, NULL), SH_OK);
    for (int k = 0; k < 4; k++) {
        double b = tb[3] + k * 2.4, e = b + 2.0;
        assert_true(fabs(o[k].begin - b) < 0.03);
        assert_true(fabs(o[k].end - e) < 0.03);
        assert_false(o[k].doubtful);
    }
    /* more units than pauses: refused */
    double many[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    sh_align_cue o8[8];
    assert_int_equal(sh_align_envelope(&c, s.env, s.n, from, to, true, &lv, many, 8, o8, NULL), SH_ERR_RANGE);
    /* bad arguments */
    assert_int_equal(sh_align_envelope(&c, s.env, s.n, 10, 5, false, NULL, sw, 4, o, NULL), SH_ERR_INVALID);
    double zero[1] = {0};
    assert_int_equal(sh_align_envelope(&c, s.env, s.n, 0, 0, false, NULL, zero, 1, o, NULL), SH_ERR_INVALID);
    free(s.env);
}

static void test_doubtful_when_text_does_not_say(void **state)
{
    (void)state;
    /* two units of equal weight over three equal sentences: the boundary
     * can be after the first or the second sentence equally well */
    synth s = {.quiet = -100.0f, .seed = 5};
    quiet(&s, 0.5);
    for (int k = 0; k < 3; k++) {
        speech(&s, 3.0);
        quiet(&s, 0.5);
    }
    double w[2] = {40, 40};
    sh_align_cue o[2];
    sh_align_config c = sh_align_config_init(NULL);
    assert_int_equal(sh_align_envelope(&c, s.env, s.n, 0, 0, false, NULL, w, 2, o, NULL), SH_OK);
    assert_true(o[0].doubtful && o[1].doubtful);
    assert_true(o[0].end_confidence < 0.5);
    free(s.env);
}

/* Found by fuzz_align: a pause whose frames all lie between the edge and the
 * pause thresholds made the cue before end after the cue after began. */
static void test_murmur_pause_no_overlap(void **state)
{
    (void)state;
    synth s = {.quiet = -50.0f, .seed = 11};
    quiet(&s, 0.5);
    speech(&s, 4.0);
    for (int i = 0; i < 60; i++) /* a 0.6 s "pause" at -44 dB: above the edge threshold */
        push(&s, -44.0f);
    speech(&s, 4.0);
    quiet(&s, 0.5);
    double w[2] = {60, 60};
    sh_align_cue o[2];
    sh_align_config c = sh_align_config_init(NULL);
    sh_align_stats st;
    assert_int_equal(sh_align_envelope(&c, s.env, s.n, 0, 0, false, NULL, w, 2, o, &st), SH_OK);
    assert_true(st.edge_db < -44.0f && st.pause_db > -44.0f);
    assert_true(o[0].end <= o[1].begin);
    assert_true(fabs(o[0].end - 4.5) < 0.03 && fabs(o[1].begin - 5.1) < 0.03);
    free(s.env);
}

static void test_trim_end(void **state)
{
    (void)state;
    synth s = {.quiet = -100.0f, .seed = 9};
    quiet(&s, 0.3);
    speech(&s, 2.0); /* ends at 2.3 */
    quiet(&s, 1.0);
    speech(&s, 1.0); /* 3.3 - 4.3 */
    sh_align_config c = sh_align_config_init(NULL);
    sh_align_levels lv;
    sh_align_measure(s.env, s.n, 0, 0, &lv);
    assert_true(fabs(sh_align_trim_end(&c, &lv, s.env, s.n, 0.3, 3.3) - 2.3) < 0.03);
    /* speech right up to the end: unchanged */
    assert_true(fabs(sh_align_trim_end(&c, &lv, s.env, s.n, 0.3, 1.5) - 1.5) < 1e-9);
    free(s.env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inner_pauses_as_long),
        cmocka_unit_test(test_noise_bed_and_jingle),
        cmocka_unit_test(test_pinned_range_and_confidence),
        cmocka_unit_test(test_doubtful_when_text_does_not_say),
        cmocka_unit_test(test_murmur_pause_no_overlap),
        cmocka_unit_test(test_trim_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
