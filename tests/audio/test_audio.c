/* Audio module unit tests: the lock-free ring, fades, the silence detector,
 * the config file, and the player/recorder engine driven through the null
 * and file backends (live loop/speed/pause changes, status). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio/internal.h"
#include "audio/ringbuf.h"
#include "core/config.h"
#include "shadowing/audio.h"

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void test_ringbuf_wrap(void **state)
{
    (void)state;
    sh_ringbuf rb;
    assert_int_equal(sh_ringbuf_init(&rb, 100), 0);
    assert_int_equal(sh_ringbuf_capacity(&rb), 128);
    float in[200], out[200];
    for (int i = 0; i < 200; i++)
        in[i] = (float)i;
    /* Fill, drain part, refill across the wrap point. */
    assert_int_equal(sh_ringbuf_write(&rb, in, 200), 128); /* only what fits */
    assert_int_equal(sh_ringbuf_writable(&rb), 0);
    assert_int_equal(sh_ringbuf_read(&rb, out, 100), 100);
    for (int i = 0; i < 100; i++)
        assert_true(out[i] == (float)i);
    assert_int_equal(sh_ringbuf_write(&rb, in + 128, 72), 72);
    assert_int_equal(sh_ringbuf_readable(&rb), 100);
    assert_int_equal(sh_ringbuf_read(&rb, out, 200), 100);
    for (int i = 0; i < 100; i++)
        assert_true(out[i] == (float)(100 + i));
    assert_int_equal(sh_ringbuf_read(&rb, out, 10), 0);
    sh_ringbuf_free(&rb);
}

/* Producer and consumer on two threads: every sample arrives once, in order. */
typedef struct {
    sh_ringbuf *rb;
    long total;
} prod_arg;

static void *producer(void *p)
{
    prod_arg *a = p;
    float buf[37];
    long next = 0;
    while (next < a->total) {
        int k = 0;
        for (; k < 37 && next + k < a->total; k++)
            buf[k] = (float)(next + k);
        size_t put = sh_ringbuf_write(a->rb, buf, (size_t)k);
        next += (long)put;
    }
    return NULL;
}

static void test_ringbuf_threads(void **state)
{
    (void)state;
    sh_ringbuf rb;
    assert_int_equal(sh_ringbuf_init(&rb, 256), 0);
    prod_arg a = {&rb, 200000};
    pthread_t t;
    pthread_create(&t, NULL, producer, &a);
    long got = 0;
    float buf[50];
    while (got < a.total) {
        size_t n = sh_ringbuf_read(&rb, buf, 50);
        for (size_t i = 0; i < n; i++)
            assert_true(buf[i] == (float)(got + (long)i));
        got += (long)n;
    }
    pthread_join(t, NULL);
    sh_ringbuf_free(&rb);
}

static void test_fades(void **state)
{
    (void)state;
    float x[1000];
    for (int i = 0; i < 1000; i++)
        x[i] = 1.0f;
    sh_audio_apply_fades(x, 1000, 100);
    assert_true(x[0] > 0 && x[0] < 0.001f);
    assert_true(x[999] > 0 && x[999] < 0.001f);
    assert_true(x[0] == x[999]);
    for (int i = 1; i < 100; i++)
        assert_true(x[i] > x[i - 1]);
    assert_true(x[99] > 0.999f);
    for (int i = 100; i < 900; i++)
        assert_true(x[i] == 1.0f);
    /* A segment shorter than two fades: fades meet in the middle. */
    float y[10];
    for (int i = 0; i < 10; i++)
        y[i] = 1.0f;
    sh_audio_apply_fades(y, 10, 100);
    assert_true(y[4] > 0.9f && y[4] == y[5]);
}

static bool feed_run(sh_silence *v, float db, double seconds)
{
    bool end = false;
    for (int i = 0; i < (int)lround(seconds / 0.01); i++)
        end = sh_silence_feed(v, db);
    return end;
}

static void test_silence_detector(void **state)
{
    (void)state;
    sh_silence v;
    /* A noisy room (-45 dBFS): speech at -20, then back to the noise. */
    sh_silence_init(&v, 0.01, 1.2);
    assert_false(feed_run(&v, -45, 1.0));
    assert_false(v.speech); /* noise alone is not speech */
    assert_true(v.threshold_db > -45 + 10);
    assert_false(feed_run(&v, -20, 1.0));
    assert_true(v.speech);
    assert_false(feed_run(&v, -45, 1.1));
    assert_true(feed_run(&v, -45, 0.11));
    /* Silence before any speech never ends the take. */
    sh_silence_init(&v, 0.01, 1.2);
    assert_false(feed_run(&v, -90, 5.0));
    /* A short click (50 ms) is not speech. */
    assert_false(feed_run(&v, -10, 0.05));
    assert_false(feed_run(&v, -90, 3.0));
    assert_false(v.speech);
    /* A pause shorter than --silence inside speech keeps recording. */
    sh_silence_init(&v, 0.01, 1.2);
    feed_run(&v, -70, 0.5);
    feed_run(&v, -25, 0.5);
    assert_false(feed_run(&v, -70, 0.8));
    assert_false(feed_run(&v, -25, 0.5));
    assert_false(feed_run(&v, -70, 1.0));
    assert_true(feed_run(&v, -70, 0.3));
    /* silence_s 0: never stops. */
    sh_silence_init(&v, 0.01, 0);
    feed_run(&v, -25, 1.0);
    assert_false(feed_run(&v, -90, 10.0));
}

static void test_config(void **state)
{
    (void)state;
    char dir[] = "/tmp/sh-audio-cfg-XXXXXX";
    assert_non_null(mkdtemp(dir));
    setenv("XDG_CONFIG_HOME", dir, 1);
    char *v = NULL;
    assert_int_equal(sh_config_get("latency_ms", &v, NULL), SH_ERR_NOT_FOUND);
    assert_int_equal(sh_config_set("latency_ms", "12.5", NULL), SH_OK);
    assert_int_equal(sh_config_set("other", "x y", NULL), SH_OK);
    assert_int_equal(sh_config_set("latency_ms", "40.0", NULL), SH_OK);
    assert_int_equal(sh_config_get("latency_ms", &v, NULL), SH_OK);
    assert_string_equal(v, "40.0");
    free(v);
    assert_int_equal(sh_config_get("other", &v, NULL), SH_OK);
    assert_string_equal(v, "x y");
    free(v);
    assert_int_equal(sh_config_set("bad\nkey", "1", NULL), SH_ERR_INVALID);
    sh_audio_config ac = sh_audio_config_init();
    sh_audio_config_load_latency(&ac);
    assert_true(fabs(ac.latency_ms - 40.0) < 1e-9);
    assert_int_equal(sh_config_set("latency_ms", NULL, NULL), SH_OK);
    assert_int_equal(sh_config_get("latency_ms", &v, NULL), SH_ERR_NOT_FOUND);
    char *path = sh_config_path();
    unlink(path);
    free(path);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/shadowing", dir);
    rmdir(sub);
    rmdir(dir);
    unsetenv("XDG_CONFIG_HOME");
}

static void test_options(void **state)
{
    (void)state;
    sh_audio_config c = sh_audio_config_init();
    sh_error err = {0};
    assert_int_equal(sh_audio_config_option(&c, SH_AUDIO_OPT_OUTPUT, "x.wav", &err), SH_OK);
    assert_int_equal(c.backend, SH_AUDIO_FILE);
    assert_int_equal(sh_audio_config_option(&c, SH_AUDIO_OPT_AUDIO, "null", &err), SH_OK);
    assert_int_equal(sh_audio_config_option(&c, SH_AUDIO_OPT_INPUT, "y.wav", &err), SH_OK);
    assert_int_equal(c.backend, SH_AUDIO_NULL); /* explicit --audio wins */
    assert_int_equal(sh_audio_config_option(&c, SH_AUDIO_OPT_AUDIO, "oss", &err), SH_ERR_INVALID);
    assert_non_null(strstr(err.message, "oss"));
    assert_int_equal(sh_audio_config_option(&c, SH_AUDIO_OPT_RATE, "12", &err), SH_ERR_INVALID);
    assert_int_equal(sh_audio_config_option(&c, SH_AUDIO_OPT_LATENCY, "23.5", &err), SH_OK);
    assert_true(c.latency_set && c.latency_ms == 23.5);
}

static float *ramp(size_t n)
{
    float *x = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++)
        x[i] = 0.5f * (float)sin((double)i * 0.01);
    return x;
}

/* Live control on the paced null backend: pause holds the position, loops
 * can be raised and lowered while playing, speed changes keep the place. */
static void test_player_live_control(void **state)
{
    (void)state;
    sh_audio_config c = sh_audio_config_init();
    c.backend = SH_AUDIO_NULL;
    c.rate = 8000;
    sh_audio *a = NULL;
    sh_error err = {0};
    assert_int_equal(sh_audio_open(&c, &a, &err), SH_OK);
    size_t n = 8000 * 3 / 10; /* 0.3 s */
    float *x = ramp(n);
    sh_play_params p = sh_play_params_init();
    p.loops = 0; /* endless */
    assert_int_equal(sh_audio_play(a, x, n, &p, &err), SH_OK);
    sh_play_status st;
    sh_audio_play_status(a, &st);
    assert_true(st.active);
    assert_true(fabs(st.length_s - 0.3) < 1e-9);
    sleep_ms(450);
    sh_audio_play_status(a, &st);
    assert_true(st.loop >= 1);
    assert_true(st.started_at > 0);
    sh_audio_play_pause(a, true);
    sleep_ms(30);
    sh_play_status p1, p2;
    sh_audio_play_status(a, &p1);
    sleep_ms(100);
    sh_audio_play_status(a, &p2);
    assert_true(p1.paused && p2.paused);
    assert_true(p1.frames_out == p2.frames_out);
    sh_audio_play_pause(a, false);
    /* Speed change while playing: same place, new speed reported. */
    assert_int_equal(sh_audio_play_set_speed(a, 0.75, &err), SH_OK);
    assert_int_equal(sh_audio_play_set_speed(a, 2.0, &err), SH_ERR_INVALID);
    sh_audio_play_status(a, &st);
    assert_true(fabs(st.speed - 0.75) < 1e-9);
    assert_true(st.active);
    /* Lower the loop count: it ends at the end of the current loop. */
    sh_audio_play_set_loops(a, 1);
    for (int i = 0; i < 100; i++) {
        sh_audio_play_status(a, &st);
        if (!st.active)
            break;
        sleep_ms(10);
    }
    assert_false(st.active);
    /* A speed change after the end does not start playback again. */
    assert_int_equal(sh_audio_play_set_speed(a, 1.0, NULL), SH_OK);
    sleep_ms(50);
    sh_audio_play_status(a, &st);
    assert_false(st.active);
    /* Stop while playing. */
    assert_int_equal(sh_audio_play(a, x, n, &p, &err), SH_OK);
    sleep_ms(50);
    sh_audio_play_stop(a);
    sleep_ms(50);
    sh_audio_play_status(a, &st);
    assert_false(st.active);
    free(x);
    sh_audio_close(a);
}

/* Engine through the unpaced file backend: the output WAV is exactly the
 * loops played, with gap_factor counted against gap_base_s. */
static void test_player_file_exact(void **state)
{
    (void)state;
    char path[] = "/tmp/sh-audio-play-XXXXXX.wav";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    sh_audio_config c = sh_audio_config_init();
    c.backend = SH_AUDIO_FILE;
    c.output_path = path;
    c.rate = 16000;
    c.deferred_start = true;
    sh_audio *a = NULL;
    sh_error err = {0};
    assert_int_equal(sh_audio_open(&c, &a, &err), SH_OK);
    size_t n = 1000;
    float *x = ramp(n);
    sh_play_params p = sh_play_params_init();
    p.loops = 3;
    p.gap_factor = 0.5;
    p.gap_base_s = 0.05; /* 800 samples: gap 400 */
    p.fade_s = 0;
    assert_int_equal(sh_audio_play(a, x, n, &p, &err), SH_OK);
    assert_int_equal(sh_audio_start(a, &err), SH_OK);
    sh_play_status st;
    do {
        sleep_ms(2);
        sh_audio_play_status(a, &st);
    } while (st.active);
    assert_int_equal(st.frames_out, 3 * 1000 + 2 * 400);
    sh_audio_close(a);
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    assert_non_null(sf);
    assert_int_equal(info.frames, 3800);
    float *y = malloc(3800 * sizeof(float));
    assert_int_equal(sf_readf_float(sf, y, 3800), 3800);
    sf_close(sf);
    for (size_t i = 0; i < 1000; i++) {
        assert_true(y[i] == x[i]);
        assert_true(y[1400 + i] == x[i]);
        assert_true(y[2800 + i] == x[i]);
    }
    for (size_t i = 1000; i < 1400; i++)
        assert_true(y[i] == 0.0f);
    free(y);
    free(x);
    unlink(path);
}

/* Progressive play (first piece, then the rest while playing) gives the
 * same samples as one sh_audio_play of the whole segment, fades included;
 * an early finish plays what arrived, faded at its real end. */
static float *play_to_file(const float *x, size_t n, size_t first, size_t total, bool progressive, size_t *out_n)
{
    char path[] = "/tmp/sh-audio-prog-XXXXXX.wav";
    int fd = mkstemps(path, 4);
    close(fd);
    sh_audio_config c = sh_audio_config_init();
    c.backend = SH_AUDIO_FILE;
    c.output_path = path;
    c.rate = 16000;
    c.deferred_start = true;
    sh_audio *a = NULL;
    sh_error err = {0};
    assert_int_equal(sh_audio_open(&c, &a, &err), SH_OK);
    sh_play_params p = sh_play_params_init();
    p.loops = 2;
    if (progressive) {
        assert_int_equal(sh_audio_play_begin(a, total, x, first, &p, &err), SH_OK);
        assert_int_equal(sh_audio_start(a, &err), SH_OK);
        assert_int_equal(sh_audio_play_set_speed(a, 0.8, &err), SH_ERR_INVALID); /* still loading */
        sleep_ms(20);
        assert_int_equal(sh_audio_play_append(a, x + first, n - first, &err), SH_OK);
        if (n < total)
            assert_int_equal(sh_audio_play_finish(a, &err), SH_OK);
        assert_int_equal(sh_audio_play_append(a, x, 1, &err), SH_ERR_INVALID); /* complete */
    } else {
        assert_int_equal(sh_audio_play(a, x, n, &p, &err), SH_OK);
        assert_int_equal(sh_audio_start(a, &err), SH_OK);
    }
    sh_play_status st;
    do {
        sleep_ms(2);
        sh_audio_play_status(a, &st);
    } while (st.active);
    sh_audio_close(a);
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    assert_non_null(sf);
    float *y = malloc((size_t)info.frames * sizeof(float) + 1);
    assert_int_equal(sf_readf_float(sf, y, info.frames), info.frames);
    sf_close(sf);
    unlink(path);
    *out_n = (size_t)info.frames;
    return y;
}

static void test_player_progressive(void **state)
{
    (void)state;
    size_t n = 4000, ny, nz;
    float *x = ramp(n);
    float *y = play_to_file(x, n, 0, n, false, &ny);
    float *z = play_to_file(x, n, 500, n, true, &nz);
    assert_int_equal(ny, 8000);
    assert_int_equal(nz, 8000);
    assert_memory_equal(y, z, ny * sizeof(float));
    free(y);
    free(z);
    /* The source ended early: 3000 of 4000 announced samples. */
    y = play_to_file(x, 3000, 0, 3000, false, &ny);
    z = play_to_file(x, 3000, 500, 4000, true, &nz);
    assert_int_equal(nz, 6000);
    assert_memory_equal(y, z, ny * sizeof(float));
    free(y);
    free(z);
    free(x);
}

/* Recorder from the file backend's input: samples, levels, clips, stop. */
static void test_recorder_levels(void **state)
{
    (void)state;
    char in[] = "/tmp/sh-audio-in-XXXXXX.wav";
    int fd = mkstemps(in, 4);
    close(fd);
    SF_INFO info = {.samplerate = 16000, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    SNDFILE *sf = sf_open(in, SFM_WRITE, &info);
    short buf[16000];
    /* 0.5 s quiet, 0.5 s loud square wave at full scale (clips). */
    for (int i = 0; i < 8000; i++)
        buf[i] = (short)((i % 2) ? 30 : -30);
    for (int i = 8000; i < 16000; i++)
        buf[i] = (short)((i / 20) % 2 ? 32767 : -32768);
    sf_writef_short(sf, buf, 16000);
    sf_close(sf);
    sh_audio_config c = sh_audio_config_init();
    c.backend = SH_AUDIO_FILE;
    c.input_path = in;
    c.playback = false;
    c.capture = true;
    sh_audio *a = NULL;
    sh_error err = {0};
    assert_int_equal(sh_audio_open(&c, &a, &err), SH_OK);
    assert_int_equal(sh_audio_rate(a), 16000);
    sh_record_params p = sh_record_params_init();
    p.silence_s = 0;
    assert_int_equal(sh_audio_record_start(a, &p, &err), SH_OK);
    assert_int_equal(sh_audio_record_start(a, &p, &err), SH_ERR_INVALID); /* already */
    sh_record_status st;
    do {
        sleep_ms(5);
        sh_audio_record_status(a, &st);
    } while (st.active);
    assert_int_equal(st.reason, SH_RECORD_INPUT_END);
    assert_true(st.clips > 1000);
    assert_true(st.level_db > -1.0f); /* the loud end */
    assert_true(st.speech);
    sh_recording r;
    assert_int_equal(sh_audio_record_stop(a, &r, &err), SH_OK);
    assert_int_equal(r.n, 16000);
    assert_int_equal(r.rate, 16000);
    for (int i = 0; i < 16000; i++)
        assert_true(r.samples[i] == (float)buf[i] / 32768.0f);
    sh_recording_free(&r);
    assert_int_equal(sh_audio_record_stop(a, &r, &err), SH_ERR_INVALID);
    sh_audio_close(a);
    unlink(in);
}

/* The stall watchdog: a stream whose callback stops running (a device
 * unplugged) becomes an error instead of a hang. White-box: the null
 * backend's thread is stopped under the engine's feet. */
static void test_stall_watchdog(void **state)
{
    (void)state;
    sh_audio_config c = sh_audio_config_init();
    c.backend = SH_AUDIO_NULL;
    sh_audio *a = NULL;
    sh_error err = {0};
    assert_int_equal(sh_audio_open(&c, &a, &err), SH_OK);
    assert_int_equal(sh_audio_error(a, &err), SH_OK);
    sleep_ms(30);
    assert_int_equal(sh_audio_error(a, &err), SH_OK); /* callbacks advance */
    a->drv->stop(a);                                  /* the "device" dies */
    assert_int_equal(sh_audio_error(a, &err), SH_OK);
    a->watch_since -= 10;                             /* ... 10 s ago */
    assert_int_equal(sh_audio_error(a, &err), SH_ERR_DEVICE);
    assert_non_null(strstr(err.message, "stopped responding"));
    sh_audio_close(a);
}

static void test_errors(void **state)
{
    (void)state;
    sh_audio_config c = sh_audio_config_init();
    c.backend = SH_AUDIO_FILE;
    c.capture = true;
    c.input_path = "/nonexistent/in.wav";
    sh_audio *a = NULL;
    sh_error err = {0};
    assert_int_equal(sh_audio_open(&c, &a, &err), SH_ERR_NOT_FOUND);
    assert_null(a);
    assert_non_null(strstr(err.message, "/nonexistent/in.wav"));
    c = sh_audio_config_init();
    c.backend = SH_AUDIO_NULL;
    assert_int_equal(sh_audio_open(&c, &a, &err), SH_OK);
    float x[10] = {0};
    sh_play_params p = sh_play_params_init();
    p.speed = 3;
    assert_int_equal(sh_audio_play(a, x, 10, &p, &err), SH_ERR_INVALID);
    assert_int_equal(sh_audio_play(a, x, 0, NULL, &err), SH_ERR_INVALID);
    /* No capture direction. */
    assert_int_equal(sh_audio_record_start(a, NULL, &err), SH_ERR_INVALID);
    sh_audio_close(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ringbuf_wrap),
        cmocka_unit_test(test_ringbuf_threads),
        cmocka_unit_test(test_fades),
        cmocka_unit_test(test_silence_detector),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_player_live_control),
        cmocka_unit_test(test_player_file_exact),
        cmocka_unit_test(test_player_progressive),
        cmocka_unit_test(test_recorder_levels),
        cmocka_unit_test(test_stall_watchdog),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
