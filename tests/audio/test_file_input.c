/* The file backend's microphone over many recordings on one stream (what
 * the practice screen does, take after take): each recording reads the
 * input from its first sample to its end, exactly; samples handed over with
 * sh_audio_set_input replace it from the next recording on, again from
 * their start each time; other backends refuse them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shadowing/audio.h"

#define RATE 16000
#define N_IN 1600

static char in_path[64];
static short in_buf[N_IN];

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int make_input(void **state)
{
    (void)state;
    snprintf(in_path, sizeof in_path, "/tmp/sh-file-input-XXXXXX.wav");
    int fd = mkstemps(in_path, 4);
    if (fd < 0)
        return -1;
    close(fd);
    SF_INFO info = {.samplerate = RATE, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    SNDFILE *sf = sf_open(in_path, SFM_WRITE, &info);
    if (!sf)
        return -1;
    for (int i = 0; i < N_IN; i++) /* a ramp: every sample tells its place */
        in_buf[i] = (short)(i * 16 - 12800);
    sf_writef_short(sf, in_buf, N_IN);
    sf_close(sf);
    return 0;
}

static int remove_input(void **state)
{
    (void)state;
    unlink(in_path);
    return 0;
}

/* One recording to the input's end; returns what was captured. */
static sh_recording record_once(sh_audio *a)
{
    sh_record_params p = sh_record_params_init();
    p.silence_s = 0;
    sh_error err = {0};
    sh_recording r;
    memset(&r, 0, sizeof r);
    assert_int_equal(sh_audio_record_start(a, &p, &err), SH_OK);
    sh_record_status st;
    do {
        sleep_ms(1);
        sh_audio_record_status(a, &st);
    } while (st.active);
    assert_int_equal(st.reason, SH_RECORD_INPUT_END);
    assert_int_equal(sh_audio_record_stop(a, &r, &err), SH_OK);
    return r;
}

static sh_audio *open_file_backend(void)
{
    sh_audio_config c = sh_audio_config_init();
    c.backend = SH_AUDIO_FILE;
    c.input_path = in_path;
    c.playback = false;
    c.capture = true;
    sh_audio *a = NULL;
    sh_error err = {0};
    assert_int_equal(sh_audio_open(&c, &a, &err), SH_OK);
    return a;
}

static void test_every_recording_reads_the_input_from_the_start(void **state)
{
    (void)state;
    sh_audio *a = open_file_backend();
    /* Many, back to back: a recording that started while the previous
     * one's last period was still in flight once inherited its end. */
    for (int k = 0; k < 200; k++) {
        sh_recording r = record_once(a);
        assert_int_equal(r.n, N_IN);
        assert_true(r.samples[0] == (float)in_buf[0] / 32768.0f);
        assert_true(r.samples[N_IN - 1] == (float)in_buf[N_IN - 1] / 32768.0f);
        assert_true(sh_audio_input_ended(a));
        sh_recording_free(&r);
    }
    sh_audio_close(a);
}

static void test_set_input_replaces_it_from_the_next_recording(void **state)
{
    (void)state;
    sh_audio *a = open_file_backend();
    float x[800];
    for (int i = 0; i < 800; i++)
        x[i] = (float)i / 1000.0f;
    sh_error err = {0};
    assert_int_equal(sh_audio_set_input(a, x, 800, &err), SH_OK);
    x[0] = 9; /* copied: later changes do not reach the stream */
    for (int k = 0; k < 3; k++) {
        sh_recording r = record_once(a);
        assert_int_equal(r.n, 800);
        assert_true(r.samples[0] == 0.0f);
        assert_true(r.samples[799] == 0.799f);
        sh_recording_free(&r);
    }
    /* n == 0: back to the input file */
    assert_int_equal(sh_audio_set_input(a, NULL, 0, &err), SH_OK);
    sh_recording r = record_once(a);
    assert_int_equal(r.n, N_IN);
    sh_recording_free(&r);
    /* handed over and never used: freed with the stream */
    assert_int_equal(sh_audio_set_input(a, x, 800, &err), SH_OK);
    assert_int_equal(sh_audio_set_input(a, x, 400, &err), SH_OK);
    sh_audio_close(a);
}

static void test_set_input_needs_the_file_backend(void **state)
{
    (void)state;
    sh_audio_config c = sh_audio_config_init();
    c.backend = SH_AUDIO_NULL;
    c.capture = true;
    sh_audio *a = NULL;
    sh_error err = {0};
    assert_int_equal(sh_audio_open(&c, &a, &err), SH_OK);
    float x[4] = {0};
    assert_int_equal(sh_audio_set_input(a, x, 4, &err), SH_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "--audio file"));
    sh_audio_close(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_recording_reads_the_input_from_the_start),
        cmocka_unit_test(test_set_input_replaces_it_from_the_next_recording),
        cmocka_unit_test(test_set_input_needs_the_file_backend),
    };
    return cmocka_run_group_tests(tests, make_input, remove_input);
}
