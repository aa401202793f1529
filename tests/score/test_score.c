/* The scoring core on synthetic "speech": tone-burst syllables with a
 * fixed rhythm of loud and soft syllables, gaps and pauses. A good take has
 * the same rhythm in another "voice" (pitch, small level changes); slow,
 * fast, half, noise and silence are derived from it. No files, no TTS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/error.h"
#include "shadowing/score.h"

#define RATE 16000
#define NSYL 60

typedef struct syl {
    double dur, amp, gap;
} syl;

static uint32_t rnd_state;
static double rnd(void)
{
    rnd_state = rnd_state * 1664525u + 1013904223u;
    return (double)(rnd_state >> 8) / 16777216.0;
}

/* A paragraph: syllables of 80-250 ms at varied levels, 30-70 ms apart,
 * a 350 ms pause after every 9th. */
static void make_text(syl *s, uint32_t seed)
{
    rnd_state = seed;
    for (int i = 0; i < NSYL; i++) {
        s[i].dur = 0.08 + 0.17 * rnd();
        s[i].amp = 0.08 + 0.5 * rnd();
        s[i].gap = (i % 9 == 8) ? 0.35 : 0.03 + 0.04 * rnd();
    }
}

/* Render syllables [0, nsyl) at `tempo` (time factor) with a carrier of
 * `freq` Hz, level jitter from `seed`, lead/tail silence and a noise floor. */
static float *render(const syl *s, int nsyl, double tempo, double freq, uint32_t seed, double lead,
                     double tail, double noise, size_t *n)
{
    double total = lead + tail;
    for (int i = 0; i < nsyl; i++)
        total += (s[i].dur + s[i].gap) * tempo;
    size_t len = (size_t)(total * RATE) + 1;
    float *x = calloc(len, sizeof *x);
    rnd_state = seed;
    size_t pos = (size_t)(lead * RATE);
    for (int i = 0; i < nsyl; i++) {
        size_t d = (size_t)(s[i].dur * tempo * RATE);
        double amp = s[i].amp * (0.85 + 0.3 * rnd());
        for (size_t k = 0; k < d && pos + k < len; k++) {
            double env = sin(M_PI * (double)k / (double)d); /* rise and fall */
            x[pos + k] = (float)(amp * env * sin(2 * M_PI * freq * (double)k / RATE));
        }
        pos += d + (size_t)(s[i].gap * tempo * RATE);
    }
    for (size_t k = 0; k < len; k++)
        x[k] += (float)(noise * (rnd() - 0.5));
    *n = len;
    return x;
}

typedef struct fixture {
    syl text[NSYL];
    float *ref;
    size_t nref;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    make_text(f->text, 42);
    f->ref = render(f->text, NSYL, 1.0, 180.0, 1, 0.0, 0.0, 0.001, &f->nref);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->ref);
    free(f);
    return 0;
}

static bool has_feedback(const sh_score_result *r, const char *needle)
{
    for (int i = 0; i < r->n_feedback; i++)
        if (strstr(r->feedback[i], needle))
            return true;
    return false;
}

static int score_take(const fixture *f, float *take, size_t n, sh_score_result *r)
{
    int rc = sh_score_compute(NULL, f->ref, f->nref, take, n, RATE, r);
    free(take);
    return rc;
}

/* Render with render() and score it (the length is known only after). */
static int score_rendered(const fixture *f, int nsyl, double tempo, uint32_t seed, double tail,
                          sh_score_result *r)
{
    size_t n;
    float *x = render(f->text, nsyl, tempo, 240.0, seed, 0.6, tail, 0.002, &n);
    return score_take(f, x, n, r);
}

static void test_ordering_and_feedback(void **state)
{
    fixture *f = *state;
    sh_score_result good, slow, fast, half, noise, silence;
    assert_int_equal(score_rendered(f, NSYL, 1.0, 2, 0.8, &good), SH_OK);
    assert_int_equal(score_rendered(f, NSYL, 1.45, 3, 0.8, &slow), SH_OK);
    assert_int_equal(score_rendered(f, NSYL, 0.7, 4, 0.8, &fast), SH_OK);
    assert_int_equal(score_rendered(f, NSYL / 2, 1.0, 5, 2.0, &half), SH_OK);
    /* Noise: loud white noise with no rhythm. Silence: a quiet room. */
    float *x = calloc(4 * RATE, sizeof *x);
    rnd_state = 9;
    for (size_t i = 0; i < 4 * RATE; i++)
        x[i] = (float)(0.1 * (rnd() - 0.5));
    assert_int_equal(score_take(f, x, 4 * RATE, &noise), SH_OK);
    x = calloc(4 * RATE, sizeof *x);
    for (size_t i = 0; i < 4 * RATE; i++)
        x[i] = (float)(0.0005 * (rnd() - 0.5));
    assert_int_equal(score_take(f, x, 4 * RATE, &silence), SH_OK);

    print_message("good %d slow %d fast %d half %d noise %d silence %d\n", good.total, slow.total, fast.total,
                  half.total, noise.total, silence.total);
    assert_true(good.total >= 85);
    assert_string_equal(good.verdict, "excellent");
    assert_true(good.total > slow.total && good.total > fast.total);
    assert_true(slow.total > half.total && fast.total > half.total);
    assert_true(half.total > noise.total && half.total > silence.total);
    assert_true(noise.total <= 5 && silence.total <= 5);

    /* The measurements behind them. */
    assert_true(good.coverage > 0.95 && good.completeness > 0.9);
    assert_true(fabs(good.duration_ratio - 1.0) < 0.1);
    assert_true(fabs(slow.tempo_ratio - 1.45) < 0.1);
    assert_true(fabs(fast.tempo_ratio - 0.7) < 0.07);
    assert_true(fast.coverage > 0.95);
    assert_true(half.coverage > 0.4 && half.coverage < 0.6);
    assert_true(half.completeness < 0.65);

    /* Feedback names the fault. */
    assert_true(has_feedback(&slow, "as long as the speaker"));
    assert_true(has_feedback(&fast, "too fast"));
    assert_false(has_feedback(&fast, "stopped"));
    assert_true(has_feedback(&half, "You stopped at about 50% of the paragraph"));
    assert_false(has_feedback(&good, "stopped"));
    assert_false(has_feedback(&good, "as long as"));
    assert_false(has_feedback(&good, "too fast"));
    assert_true(has_feedback(&noise, "No speech detected"));
    assert_true(has_feedback(&silence, "No speech detected"));
    assert_string_equal(noise.verdict, "no speech detected");
    assert_false(silence.take.speech);

    /* Feedback agrees with the sub-scores: "well done" only when every
     * sub-score is at least 50, and any sub-score under 50 gets a line. */
    sh_score_result *all[] = {&good, &slow, &fast, &half, &noise, &silence};
    for (size_t i = 0; i < 4; i++) {
        bool low = false;
        for (int k = 0; k < SH_SUB_COUNT; k++)
            low = low || all[i]->sub[k] < 50;
        assert_false(low && has_feedback(all[i], "well done"));
        assert_true(!low || (all[i]->n_feedback >= 1 && !has_feedback(all[i], "well done")));
    }
    for (size_t i = 0; i < 6; i++)
        sh_score_result_free(all[i]);
}

/* The sub-scores each name their fault: a take whose pauses sub-score is
 * under 50 is told about pauses even when nothing else is wrong (the
 * demo's p10 once had pauses 0 beside "well done"). */
static void test_feedback_names_low_subscores(void **state)
{
    fixture *f = *state;
    /* A speaker with a single pause, a take that runs through it: one
     * missed pause is below the "ran through N pauses" line (N >= 2), but
     * the pauses sub-score is 0 and must be named. */
    syl one[NSYL], none[NSYL];
    for (int i = 0; i < NSYL; i++) {
        one[i] = none[i] = f->text[i];
        one[i].gap = none[i].gap = i % 9 == 8 ? 0.05 : f->text[i].gap;
    }
    one[30].gap = 0.5;
    size_t nr, n;
    float *ref = render(one, NSYL, 1.0, 180.0, 1, 0.0, 0.0, 0.001, &nr);
    float *x = render(none, NSYL, 1.0, 240.0, 2, 0.6, 0.8, 0.002, &n);
    sh_score_result r;
    assert_int_equal(sh_score_compute(NULL, ref, nr, x, n, RATE, &r), SH_OK);
    print_message("one pause run through: total %d pauses %d (missed %d), %d lines\n", r.total,
                  r.sub[SH_SUB_PAUSES], r.pauses_missed, r.n_feedback);
    bool ok = r.sub[SH_SUB_PAUSES] < 50 && r.pauses_missed == 1 && has_feedback(&r, "pause") &&
              !has_feedback(&r, "well done");
    sh_score_result_free(&r);
    free(ref);
    free(x);
    assert_true(ok);
}

/* Four syllables of every nine mumbled away (silent, under a second each
 * time), the rest in time: the take reaches the end, but much of the
 * speaker's speech is met by silence. */
static void test_left_out(void **state)
{
    fixture *f = *state;
    syl cut[NSYL];
    for (int i = 0; i < NSYL; i++) {
        cut[i] = f->text[i];
        if (i % 9 >= 3 && i % 9 <= 5 && i < NSYL - 9)
            cut[i].amp = 0.0;
    }
    size_t n;
    float *x = render(cut, NSYL, 1.0, 240.0, 2, 0.6, 0.8, 0.002, &n);
    sh_score_result r;
    assert_int_equal(score_take(f, x, n, &r), SH_OK);
    print_message("left out: total %d coverage %.2f completeness %.2f\n", r.total, r.coverage, r.completeness);
    sh_score_result good;
    assert_int_equal(score_rendered(f, NSYL, 1.0, 2, 0.8, &good), SH_OK);
    /* The holes are where the speaker spoke: less of the speech matched,
     * named as pauses the speaker did not make (or as left out), never as
     * stopping early or speaking fast. */
    bool ok = r.completeness < 0.85 && r.completeness < good.completeness - 0.1 &&
              r.sub[SH_SUB_COMPLETENESS] < 95 && r.coverage > 0.9 && r.total < good.total &&
              (has_feedback(&r, "You left out about") || has_feedback(&r, "where the speaker did not")) &&
              !has_feedback(&r, "stopped") && !has_feedback(&r, "too fast");
    sh_score_result_free(&r);
    sh_score_result_free(&good);
    assert_true(ok);
}

/* A 2.5 s silence in the middle of a good repeat: a hesitation. It is
 * named, costs pause points, and does not pass for slow speech. */
static void test_hesitation(void **state)
{
    fixture *f = *state;
    syl text[NSYL];
    memcpy(text, f->text, sizeof text);
    text[NSYL / 2].gap += 2.5;
    size_t n;
    float *x = render(text, NSYL, 1.0, 240.0, 2, 0.6, 0.8, 0.002, &n);
    sh_score_result h, g;
    assert_int_equal(score_take(f, x, n, &h), SH_OK);
    assert_int_equal(score_rendered(f, NSYL, 1.0, 2, 0.8, &g), SH_OK);
    print_message("hesitation: total %d (good %d) tempo %.2f coverage %.2f\n", h.total, g.total, h.tempo_ratio,
                  h.coverage);
    bool ok = h.hesitations == 1 && fabs(h.hesitation_s - 2.5) < 0.3 && has_feedback(&h, "You stopped for 2.") &&
              fabs(h.tempo_ratio - 1.0) < 0.1 && h.coverage > 0.95 && h.completeness > 0.9 &&
              !has_feedback(&h, "as long as") && h.sub[SH_SUB_PAUSES] < g.sub[SH_SUB_PAUSES] &&
              h.total < g.total && h.total > g.total - 15;
    sh_score_result_free(&h);
    sh_score_result_free(&g);
    assert_true(ok);
}

static void test_level_faults(void **state)
{
    fixture *f = *state;
    sh_score_result r;
    size_t n;
    /* Overdriven: the good take 4x louder, hard-clipped at full scale. */
    float *x = render(f->text, NSYL, 1.0, 240.0, 2, 0.6, 0.8, 0.002, &n);
    for (size_t i = 0; i < n; i++)
        x[i] = fmaxf(-1.0f, fminf(1.0f, 4.0f * x[i]));
    assert_int_equal(score_take(f, x, n, &r), SH_OK);
    int events = r.take.clipped;
    assert_true(events > 5 && events < NSYL); /* about one per loud syllable */
    assert_true(r.sub[SH_SUB_LEVEL] < 80);
    assert_true(has_feedback(&r, "clipped"));
    assert_true(has_feedback(&r, "move back from the microphone"));
    sh_score_result_free(&r);
    /* Far too quiet (about -50 dBFS speech). */
    x = render(f->text, NSYL, 1.0, 240.0, 2, 0.6, 0.8, 0.00001, &n);
    for (size_t i = 0; i < n; i++)
        x[i] *= 0.006f;
    assert_int_equal(score_take(f, x, n, &r), SH_OK);
    assert_true(r.take.speech);
    assert_true(r.sub[SH_SUB_LEVEL] < 60);
    assert_true(has_feedback(&r, "quiet"));
    sh_score_result_free(&r);
}

static void test_deterministic(void **state)
{
    fixture *f = *state;
    size_t n;
    float *x = render(f->text, NSYL, 1.2, 240.0, 7, 0.3, 0.3, 0.003, &n);
    sh_score_result a, b;
    assert_int_equal(sh_score_compute(NULL, f->ref, f->nref, x, n, RATE, &a), SH_OK);
    assert_int_equal(sh_score_compute(NULL, f->ref, f->nref, x, n, RATE, &b), SH_OK);
    free(x);
    assert_int_equal(a.total, b.total);
    assert_memory_equal(a.sub, b.sub, sizeof a.sub);
    assert_memory_equal(&a.ref, &b.ref, sizeof a.ref);
    assert_memory_equal(&a.take, &b.take, sizeof a.take);
    assert_memory_equal(&a.dtw_cost, &b.dtw_cost, sizeof(double));
    assert_memory_equal(&a.completeness, &b.completeness, sizeof(double));
    assert_int_equal(a.path_len, b.path_len);
    assert_memory_equal(a.path, b.path, a.path_len * sizeof *a.path);
    assert_memory_equal(a.take_env, b.take_env, a.take_frames * sizeof(float));
    assert_memory_equal(a.feedback, b.feedback, sizeof a.feedback);
    char *ja = sh_score_to_json(&a, "p1", NULL), *jb = sh_score_to_json(&b, "p1", NULL);
    assert_string_equal(ja, jb);
    free(ja);
    free(jb);
    sh_score_result_free(&a);
    sh_score_result_free(&b);
}

static void test_edge_inputs(void **state)
{
    fixture *f = *state;
    sh_score_result r;
    /* Empty take: no speech. Empty or silent reference: said so. */
    assert_int_equal(sh_score_compute(NULL, f->ref, f->nref, NULL, 0, RATE, &r), SH_OK);
    assert_int_equal(r.total, 0);
    assert_false(r.take.speech);
    sh_score_result_free(&r);
    float z[1600] = {0};
    assert_int_equal(sh_score_compute(NULL, z, 1600, f->ref, f->nref, RATE, &r), SH_OK);
    assert_false(r.ref.speech);
    assert_string_equal(r.verdict, "no reference speech");
    assert_int_equal(r.total, 0);
    sh_score_result_free(&r);
    /* One sample each. */
    assert_int_equal(sh_score_compute(NULL, z, 1, z, 1, RATE, &r), SH_OK);
    assert_int_equal(r.total, 0);
    sh_score_result_free(&r);
    /* Bad arguments. */
    assert_int_equal(sh_score_compute(NULL, NULL, 10, z, 10, RATE, &r), SH_ERR_INVALID);
    assert_int_equal(sh_score_compute(NULL, z, 10, z, 10, 100, &r), SH_ERR_INVALID);
    sh_score_params p = sh_score_params_init();
    p.duration_bad = 1.0; /* below duration_good */
    assert_int_equal(sh_score_compute(&p, z, 10, z, 10, RATE, &r), SH_ERR_INVALID);
    sh_score_result_free(&r); /* harmless after a failure */
    /* A NaN or an infinity in either recording is refused. */
    float bad[1600] = {0};
    bad[800] = NAN;
    assert_int_equal(sh_score_compute(NULL, f->ref, f->nref, bad, 1600, RATE, &r), SH_ERR_INVALID);
    bad[800] = INFINITY;
    assert_int_equal(sh_score_compute(NULL, bad, 1600, f->ref, f->nref, RATE, &r), SH_ERR_INVALID);
}

/* Random recordings of every size and rate: no crash, scores in range,
 * the same result twice (the ASan build runs this too). */
static void test_random_inputs(void **state)
{
    (void)state;
    const int rates[] = {8000, 16000, 22050, 44100};
    rnd_state = 2024;
    for (int t = 0; t < 40; t++) {
        int rate = rates[t % 4];
        size_t na = (size_t)(rnd() * 2.5 * rate), nb = (size_t)(rnd() * 2.5 * rate);
        float *a = malloc((na + 1) * sizeof *a), *b = malloc((nb + 1) * sizeof *b);
        double ga = rnd(), gb = rnd() * 1.5; /* up to clipping */
        for (size_t i = 0; i < na; i++)
            a[i] = (float)(ga * (rnd() - 0.5) * ((i / 2000) % 3 == 0 ? 1.0 : 0.01));
        for (size_t i = 0; i < nb; i++)
            b[i] = (float)fmax(-1.0, fmin(1.0, gb * (rnd() - 0.5) * ((i / 3100) % 2 == 0 ? 1.0 : 0.02)));
        sh_score_result r1, r2;
        assert_int_equal(sh_score_compute(NULL, a, na, b, nb, rate, &r1), SH_OK);
        assert_int_equal(sh_score_compute(NULL, a, na, b, nb, rate, &r2), SH_OK);
        assert_true(r1.total >= 0 && r1.total <= 100);
        for (int i = 0; i < SH_SUB_COUNT; i++)
            assert_true(r1.sub[i] >= 0 && r1.sub[i] <= 100);
        assert_non_null(r1.verdict);
        assert_true(r1.n_feedback >= 1);
        assert_int_equal(r1.total, r2.total);
        assert_int_equal(r1.path_len, r2.path_len);
        char *j1 = sh_score_to_json(&r1, NULL, NULL), *j2 = sh_score_to_json(&r2, NULL, NULL);
        assert_string_equal(j1, j2);
        cJSON *o = cJSON_Parse(j1);
        assert_non_null(o);
        cJSON_Delete(o);
        free(j1);
        free(j2);
        sh_score_result_free(&r1);
        sh_score_result_free(&r2);
        free(a);
        free(b);
    }
}

static void test_json_csv(void **state)
{
    fixture *f = *state;
    size_t n;
    float *x = render(f->text, NSYL / 2, 1.0, 240.0, 5, 0.6, 2.0, 0.002, &n);
    sh_score_result r;
    assert_int_equal(score_take(f, x, n, &r), SH_OK);
    char *j = sh_score_to_json(&r, "p\"3", "takes/a b.wav");
    cJSON *o = cJSON_Parse(j);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItem(o, "cue")->valuestring, "p\"3");
    assert_int_equal(cJSON_GetObjectItem(o, "score")->valueint, r.total);
    assert_string_equal(cJSON_GetObjectItem(o, "verdict")->valuestring, r.verdict);
    cJSON *sub = cJSON_GetObjectItem(o, "subscores");
    const char *names[] = {"duration", "energy", "completeness", "pauses", "level"};
    for (int i = 0; i < 5; i++)
        assert_int_equal(cJSON_GetObjectItem(sub, names[i])->valueint, r.sub[i]);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "reference"), "voiced_s")));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "take"), "voiced_s")));
    cJSON *fb = cJSON_GetObjectItem(o, "feedback");
    assert_int_equal(cJSON_GetArraySize(fb), r.n_feedback);
    assert_string_equal(cJSON_GetArrayItem(fb, 0)->valuestring, r.feedback[0]);
    cJSON_Delete(o);
    free(j);

    /* CSV: as many fields as the header; quoted fields stay one field. */
    char *row = sh_score_to_csv(&r, "p,3", "a.wav");
    assert_non_null(row);
    assert_true(strncmp(row, "\"p,3\",a.wav,", 12) == 0);
    size_t hdr_fields = 1, row_fields = 1;
    for (const char *c = sh_score_csv_header(); *c; c++)
        hdr_fields += *c == ',';
    bool q = false;
    for (const char *c = row; *c; c++) {
        if (*c == '"')
            q = !q;
        else if (*c == ',' && !q)
            row_fields++;
    }
    assert_int_equal(row_fields, hdr_fields);
    free(row);

    /* Terminal picture: `width` cells. */
    char buf[3 * 40 + 1];
    assert_int_equal(sh_score_sparkline(r.ref_env, r.ref_frames, 40, false, buf, sizeof buf), 40);
    assert_int_equal(strlen(buf), 40);
    assert_int_equal(sh_score_sparkline(r.ref_env, r.ref_frames, 40, true, buf, sizeof buf), 120);
    assert_int_equal(sh_score_sparkline(r.ref_env, r.ref_frames, 40, false, buf, 11), 10);
    sh_score_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ordering_and_feedback),
        cmocka_unit_test(test_left_out),
        cmocka_unit_test(test_feedback_names_low_subscores),
        cmocka_unit_test(test_hesitation),
        cmocka_unit_test(test_level_faults),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_edge_inputs),
        cmocka_unit_test(test_json_csv),
        cmocka_unit_test(test_random_inputs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
