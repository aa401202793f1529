/* Decoding tests: fixtures of known length made at test time with sox and
 * lame in a temporary folder; every segment is checked against a full
 * decode of the same file.
 *
 * Measured tolerances (GStreamer 1.22, Debian 12): WAV, FLAC and Vorbis
 * segments are bit-identical to the full decode; MP3 segments differ by at
 * most ~1e-5
 * (a fraction of one 16-bit step: the MP3 decoder's state after a seek),
 * so MP3 is compared within 1e-4 - a segment off by even one sample
 * differs by ~1e-1 on the noise used here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/header.h"
#include "decode/mp3index.h"
#include "decode/plugins.h"
#include "shadowing/decode.h"

#define RATE 16000
#define LEN_S 2.5 /* fixture length */

static char dir[256];

static char *fixture(const char *name)
{
    static char path[8][512];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static void run(const char *cmd)
{
    if (system(cmd) != 0) {
        fprintf(stderr, "fixture command failed: %s\n", cmd);
        exit(1);
    }
}

static int make_fixtures(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/sh-decode-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    char cmd[2048];
    /* Speech-like: pink noise in 4 Hz bursts, 44.1 kHz stereo, exactly
     * LEN_S seconds (110250 frames). Noise makes any shift by a sample
     * visible. */
    snprintf(cmd, sizeof cmd,
             "cd %s && sox -q -R -n -r 44100 -c 2 -b 16 noise.wav synth %g pinknoise tremolo 4 80 gain -8 && "
             "lame --quiet -b 128 noise.wav cbr.mp3 && "
             "lame --quiet -V 4 noise.wav vbr.mp3 && "
             "lame --quiet -V 4 -t noise.wav vbr_noxing.mp3 && "
             "sox noise.wav noise.flac && sox noise.wav noise.ogg && "
             /* A video without sound, and one with 1 s of sound. */
             "gst-launch-1.0 -q videotestsrc num-buffers=10 ! video/x-raw,width=32,height=24 ! matroskamux ! "
             "filesink location=silent.mkv && "
             "gst-launch-1.0 -q videotestsrc num-buffers=50 ! video/x-raw,width=32,height=24,framerate=25/1 ! "
             "mux. audiotestsrc num-buffers=30 samplesperbuffer=1470 ! audio/x-raw,rate=44100,channels=1 ! "
             "mux. matroskamux name=mux ! filesink location=video.mkv && "
             "head -c 20000 vbr.mp3 > truncated.mp3 && "
             "head -c 100000 noise.wav > truncated.wav && "
             /* 13 minutes without encoding 13 minutes: a 30 s MP3 without
              * a LAME tag, 26 times end to end (frames are self-contained). */
             "sox -q -R -n -r 44100 -c 1 -b 16 piece.wav synth 30 pinknoise tremolo 3 80 gain -8 && "
             "lame --quiet -b 64 -t piece.wav piece.mp3 && "
             "for i in $(seq 26); do cat piece.mp3; done > long.mp3 && rm piece.wav piece.mp3 && "
             /* MPEG-2 Layer III (576-sample frames, a 30-frame seek lead-in in
              * mpegaudioparse): 3 minutes at 22.05 kHz, VBR with a Xing frame. */
             "sox -q -R -n -r 22050 -c 1 -b 16 piece22.wav synth 180 pinknoise tremolo 3 80 gain -8 && "
             "lame --quiet -V 6 piece22.wav long22.mp3 && rm piece22.wav && "
             "printf 'just some text, not audio\\n' > text.txt && "
             "python3 -c \"import zlib,struct\n"
             "def ch(t,d): return struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d))\n"
             "raw=b''.join(b'\\\\0'+b'\\\\377\\\\0\\\\0'*8 for _ in range(8))\n"
             "open('image.png','wb').write(b'\\\\211PNG\\\\r\\\\n\\\\032\\\\n'+ch(b'IHDR',struct.pack('>IIBBBBB',8,8,8,2,0,0,0))"
             "+ch(b'IDAT',zlib.compress(raw))+ch(b'IEND',b''))\"",
             dir, LEN_S);
    run(cmd);
    return 0;
}

static int remove_fixtures(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

typedef struct acc {
    float *x;
    size_t n, cap;
} acc;

static int collect(void *user, const float *s, size_t n)
{
    acc *a = user;
    if (a->n + n > a->cap) {
        a->cap = (a->n + n) * 2;
        a->x = realloc(a->x, a->cap * sizeof(float));
        assert_non_null(a->x);
    }
    memcpy(a->x + a->n, s, n * sizeof(float));
    a->n += n;
    return 0;
}

static acc full_decode(const char *path, int rate)
{
    sh_decoder_config cfg = sh_decoder_config_init(rate);
    sh_decoder *d = NULL;
    sh_error err = {0};
    assert_int_equal(sh_decoder_open(path, &cfg, &d, &err), SH_OK);
    acc a = {0};
    uint64_t frames = 0;
    bool truncated = true;
    assert_int_equal(sh_decoder_stream(d, collect, &a, &frames, &truncated, &err), SH_OK);
    assert_false(truncated);
    assert_int_equal(frames, a.n);
    sh_decoder_close(d);
    return a;
}

static void test_wav_length_exact(void **state)
{
    (void)state;
    acc a = full_decode(fixture("noise.wav"), RATE);
    assert_int_equal(a.n, (size_t)lround(LEN_S * RATE));
    free(a.x);
    acc b = full_decode(fixture("noise.wav"), 44100);
    assert_int_equal(b.n, 110250);
    free(b.x);
}

/* GStreamer 1.22's mpegaudioparse reads LAME's gapless tag (encoder delay
 * and padding), so an MP3 with the tag decodes to its exact length. */
static void test_mp3_with_lame_tag_length_exact(void **state)
{
    (void)state;
    const char *files[] = {"cbr.mp3", "vbr.mp3"};
    for (size_t i = 0; i < 2; i++) {
        acc a = full_decode(fixture(files[i]), RATE);
        assert_int_equal(a.n, (size_t)lround(LEN_S * RATE));
        free(a.x);
    }
}

/* Without the tag (lame -t) the encoder delay (576) + decoder delay (529)
 * and the padding of the last frame stay in: the decode is a whole number
 * of 1152-sample frames, 1105 to 1105 + 1151 samples longer at 44.1 kHz. */
static void test_mp3_without_tag_keeps_padding(void **state)
{
    (void)state;
    acc a = full_decode(fixture("vbr_noxing.mp3"), 44100);
    assert_int_equal(a.n % 1152, 0);
    assert_true(a.n >= 110250 + 1105 && a.n < 110250 + 1105 + 1152);
    /* info --exact counts the same samples. */
    sh_audio_info pi;
    sh_error err = {0};
    assert_int_equal(sh_audio_probe(fixture("vbr_noxing.mp3"), true, &pi, &err), SH_OK);
    assert_true(pi.duration_exact);
    assert_true(fabs(pi.duration_s - (double)a.n / 44100) < 1e-9);
    free(a.x);
}

static void check_segments(const char *name, double tol)
{
    const char *path = fixture(name);
    acc full = full_decode(path, RATE);
    /* A fresh decoder for the reads: its first seek must be exact without
     * an index built by a previous full pass. */
    sh_decoder_config cfg = sh_decoder_config_init(RATE);
    sh_decoder *d = NULL;
    sh_error err = {0};
    assert_int_equal(sh_decoder_open(path, &cfg, &d, &err), SH_OK);
    const double segs[][2] = {
        {1.7311, 2.05}, /* the first read is deep in the file */
        {0.0, 0.3},
        {0.0105, 0.9},
        {1.2, 1.2001},  /* two samples */
        {-0.25, 0.1},   /* zero-filled before 0 */
        {2.1, LEN_S},   /* up to the very end */
        {2.3, 4.0},     /* past the end: shorter */
        {0.61, 0.6101},
        {1.7311, 2.05}, /* again, after other reads */
    };
    for (size_t i = 0; i < sizeof segs / sizeof segs[0]; i++) {
        float *x = NULL;
        size_t n = 0;
        assert_int_equal(sh_decoder_read_segment(d, segs[i][0], segs[i][1], &x, &n, &err), SH_OK);
        long first = lround(segs[i][0] * RATE), last = lround(segs[i][1] * RATE);
        long want_end = last < (long)full.n ? last : (long)full.n;
        assert_int_equal((long)n, want_end - first);
        double maxd = 0;
        for (size_t k = 0; k < n; k++) {
            long idx = first + (long)k;
            float ref = idx < 0 ? 0.0f : full.x[idx];
            double dd = fabs((double)ref - (double)x[k]);
            if (dd > maxd)
                maxd = dd;
        }
        if (maxd > tol)
            fail_msg("%s: segment %g..%g differs from the full decode by %g (tolerance %g)", name, segs[i][0],
                     segs[i][1], maxd, tol);
        free(x);
    }
    sh_decoder_close(d);
    free(full.x);
}

static void test_segments_wav(void **state)
{
    (void)state;
    check_segments("noise.wav", 1e-6);
}

static void test_segments_cbr_mp3(void **state)
{
    (void)state;
    check_segments("cbr.mp3", 1e-4);
}

static void test_segments_vbr_mp3(void **state)
{
    (void)state;
    check_segments("vbr.mp3", 1e-4);
}

/* Vorbis decodes to float (the other mixing path) and seeks in Ogg. */
static void test_segments_vorbis(void **state)
{
    (void)state;
    check_segments("noise.ogg", 1e-5);
}

static void test_segments_flac(void **state)
{
    (void)state;
    acc a = full_decode(fixture("noise.flac"), RATE);
    assert_int_equal(a.n, (size_t)lround(LEN_S * RATE));
    free(a.x);
    check_segments("noise.flac", 1e-6);
}

/* The sound track of a video; the video stream is not decoded. */
static void test_video_with_sound(void **state)
{
    (void)state;
    acc a = full_decode(fixture("video.mkv"), RATE);
    assert_int_equal(a.n, RATE); /* 30 buffers of 1470 samples at 44.1 kHz: 1 s */
    free(a.x);
    sh_audio_info in;
    sh_error err = {0};
    assert_int_equal(sh_audio_probe(fixture("video.mkv"), false, &in, &err), SH_OK);
    assert_int_equal(in.rate, 44100);
    assert_int_equal(in.channels, 1);
    assert_string_equal(in.container, "Matroska");
}

static void test_segments_vbr_mp3_without_seek_table(void **state)
{
    (void)state;
    check_segments("vbr_noxing.mp3", 1e-4);
}

/* Windows of a full decode, kept while streaming (13 minutes at 16 kHz
 * would be 50 MB). */
typedef struct windows {
    const double (*at)[2];
    size_t count;
    float *x[8];
    size_t pos;
} windows;

static int keep_windows(void *user, const float *s, size_t n)
{
    windows *w = user;
    for (size_t i = 0; i < w->count; i++) {
        size_t a = (size_t)lround(w->at[i][0] * RATE), b = (size_t)lround(w->at[i][1] * RATE);
        size_t lo = w->pos > a ? w->pos : a, hi = w->pos + n < b ? w->pos + n : b;
        if (hi > lo)
            memcpy(w->x[i] + (lo - a), s + (lo - w->pos), (hi - lo) * sizeof(float));
    }
    w->pos += n;
    return 0;
}

/* Far into a long MP3 the parser's timestamps drift from the sample count
 * (frame durations truncated to the nanosecond: one sample at 44.1 kHz
 * after about 10 minutes) and our own frame index seeds the parser: the
 * segments must still equal the full decode, on a fresh decoder and on one
 * that just made the full pass. */
static void check_long_mp3(const char *name, const double (*at)[2], size_t count, double min_s)
{
    windows w = {.at = at, .count = count};
    assert_true(count <= sizeof w.x / sizeof w.x[0]);
    for (size_t i = 0; i < w.count; i++) {
        w.x[i] = calloc((size_t)lround((at[i][1] - at[i][0]) * RATE) + 1, sizeof(float));
        assert_non_null(w.x[i]);
    }
    sh_decoder *full = NULL, *fresh = NULL;
    sh_error err = {0};
    assert_int_equal(sh_decoder_open(fixture(name), NULL, &full, &err), SH_OK);
    uint64_t frames = 0;
    assert_int_equal(sh_decoder_stream(full, keep_windows, &w, &frames, NULL, &err), SH_OK);
    assert_true(frames > min_s * RATE);
    assert_int_equal(sh_decoder_open(fixture(name), NULL, &fresh, &err), SH_OK);
    sh_decoder *both[2] = {fresh, full};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < w.count; i++) {
            float *x = NULL;
            size_t n = 0;
            assert_int_equal(sh_decoder_read_segment(both[k], at[i][0], at[i][1], &x, &n, &err), SH_OK);
            assert_int_equal(n, (size_t)lround((at[i][1] - at[i][0]) * RATE));
            double maxd = 0;
            for (size_t j = 0; j < n; j++)
                maxd = fmax(maxd, fabs((double)x[j] - (double)w.x[i][j]));
            if (maxd > 1e-4)
                fail_msg("%s: %s decoder: segment at %g s differs from the full decode by %g", name,
                         k ? "used" : "fresh", at[i][0], maxd);
            free(x);
        }
    }
    sh_decoder_close(fresh);
    sh_decoder_close(full);
    for (size_t i = 0; i < w.count; i++)
        free(w.x[i]);
}

static void test_long_mp3_seek_exact(void **state)
{
    (void)state;
    static const double at[][2] = {{30.5, 31.0}, {401.3, 401.8}, {700.0, 700.5}, {776.2, 776.9}};
    check_long_mp3("long.mp3", at, sizeof at / sizeof at[0], 780);
}

/* MPEG-2 (22.05 kHz, 576-sample frames): the parser looks 30 frames back
 * from a seek, not 10, so the index entry we seed must lie further back;
 * its offset and timestamp must be those of the same frame. */
static void test_long_mp3_22khz_seek_exact(void **state)
{
    (void)state;
    static const double at[][2] = {{2.0, 2.5}, {20.3, 20.9}, {95.1, 97.6}, {177.0, 179.5}};
    check_long_mp3("long22.mp3", at, sizeof at / sizeof at[0], 179.5);
}

/* A read at the native rate (no resampler) is exact too. */
static void test_segment_native_rate(void **state)
{
    (void)state;
    acc full = full_decode(fixture("noise.wav"), 44100);
    sh_decoder_config cfg = sh_decoder_config_init(44100);
    sh_decoder *d = NULL;
    sh_error err = {0};
    assert_int_equal(sh_decoder_open(fixture("noise.wav"), &cfg, &d, &err), SH_OK);
    assert_int_equal(sh_decoder_rate(d), 44100);
    float *x = NULL;
    size_t n = 0;
    assert_int_equal(sh_decoder_read_segment(d, 1.0, 1.5, &x, &n, &err), SH_OK);
    assert_int_equal(n, 22050);
    assert_memory_equal(x, full.x + 44100, n * sizeof(float));
    free(x);
    sh_decoder_close(d);
    free(full.x);
}

static void test_info(void **state)
{
    (void)state;
    sh_decoder *d = NULL;
    sh_error err = {0};
    assert_int_equal(sh_decoder_open(fixture("vbr.mp3"), NULL, &d, &err), SH_OK);
    const sh_audio_info *in = sh_decoder_info(d);
    assert_int_equal(in->rate, 44100);
    assert_int_equal(in->channels, 2);
    assert_true(fabs(in->duration_s - LEN_S) < 0.05);
    assert_non_null(strstr(in->codec, "MP3"));
    assert_int_equal(sh_decoder_rate(d), 16000);
    sh_decoder_close(d);

    sh_audio_info pi;
    assert_int_equal(sh_audio_probe(fixture("noise.wav"), false, &pi, &err), SH_OK);
    assert_false(pi.duration_exact);
    assert_true(fabs(pi.duration_s - LEN_S) < 1e-3);
    assert_int_equal(pi.bitrate, 44100 * 2 * 16);
    assert_string_equal(pi.container, "WAV");
}

static void test_scan(void **state)
{
    (void)state;
    sh_scan_result r;
    sh_error err = {0};
    assert_int_equal(sh_decode_scan(fixture("vbr.mp3"), RATE, NULL, &r, &err), SH_OK);
    assert_int_equal(r.frames, (uint64_t)lround(LEN_S * RATE));
    assert_int_equal(r.rate, RATE);
    assert_true(fabs(r.duration_s - LEN_S) < 1e-9);
    assert_false(r.truncated);
    /* ceil(N / hop) frames of 10 ms. */
    assert_int_equal(r.envelope_len, (r.frames + 159) / 160);
    /* The envelope is the one of the full decode. */
    acc full = full_decode(fixture("vbr.mp3"), RATE);
    sh_envelope_config ec = sh_envelope_config_init(RATE);
    float *env = malloc(r.envelope_len * sizeof(float));
    assert_int_equal(sh_envelope_compute(&ec, full.x, full.n, env, r.envelope_len), (long)r.envelope_len);
    assert_memory_equal(env, r.envelope, r.envelope_len * sizeof(float));
    /* 4 Hz bursts: loud and quiet frames both present. */
    float lo = 0, hi = -200;
    for (size_t i = 0; i < r.envelope_len; i++) {
        lo = r.envelope[i] < lo ? r.envelope[i] : lo;
        hi = r.envelope[i] > hi ? r.envelope[i] : hi;
    }
    assert_true(hi - lo > 10.0f);
    free(env);
    free(full.x);
    sh_scan_result_free(&r);
}

static void test_decode_file(void **state)
{
    (void)state;
    float *x = NULL;
    size_t n = 0;
    sh_error err = {0};
    assert_int_equal(sh_decode_file(fixture("cbr.mp3"), RATE, 10.0, &x, &n, &err), SH_OK);
    assert_int_equal(n, (size_t)lround(LEN_S * RATE));
    free(x);
    x = NULL;
    assert_int_equal(sh_decode_file(fixture("cbr.mp3"), RATE, 1.0, &x, &n, &err), SH_ERR_TOO_LARGE);
    assert_null(x);
    assert_non_null(strstr(err.message, "cbr.mp3"));
}

static void expect_error(const char *name, int code, const char *needle)
{
    sh_decoder *d = NULL;
    sh_error err = {0};
    const char *path = fixture(name);
    assert_int_equal(sh_decoder_open(path, NULL, &d, &err), code);
    assert_null(d);
    assert_int_equal(err.code, code);
    if (!strstr(err.message, path) || !strstr(err.message, needle))
        fail_msg("message for %s lacks '%s': %s", name, needle, err.message);
    assert_null(strchr(err.message, '\n'));
    sh_scan_result r;
    assert_int_equal(sh_decode_scan(path, RATE, NULL, &r, &err), code);
    sh_audio_info in;
    assert_int_equal(sh_audio_probe(path, false, &in, &err), code);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("missing.mp3", SH_ERR_NOT_FOUND, "no such file");
    expect_error("text.txt", SH_ERR_NOT_AUDIO, "not an audio file");
    expect_error("image.png", SH_ERR_NOT_AUDIO, "no audio stream");
    expect_error("silent.mkv", SH_ERR_NOT_AUDIO, "no audio stream, only video");
    expect_error(".", SH_ERR_NOT_AUDIO, "folder");
}

static void test_truncated(void **state)
{
    (void)state;
    const char *names[] = {"truncated.mp3", "truncated.wav"};
    for (size_t i = 0; i < 2; i++) {
        sh_scan_result r;
        sh_error err = {0};
        assert_int_equal(sh_decode_scan(fixture(names[i]), RATE, NULL, &r, &err), SH_OK);
        assert_true(r.truncated);
        assert_non_null(strstr(r.warning, names[i]));
        assert_non_null(strstr(r.warning, "ends early"));
        /* Partial audio: more than nothing, less than the whole. */
        assert_true(r.duration_s > 0.2 && r.duration_s < LEN_S - 0.5);
        char got[32];
        snprintf(got, sizeof got, "%.2f s", r.duration_s);
        assert_non_null(strstr(r.warning, got));
        sh_scan_result_free(&r);
    }
}

static void test_plugin_table(void **state)
{
    (void)state;
    assert_string_equal(sh_plugin_package_for_caps("audio/mpeg, mpegversion=(int)1, layer=(int)3"),
                        "gstreamer1.0-plugins-good");
    assert_string_equal(sh_plugin_package_for_caps("audio/mpeg, mpegversion=(int)4, stream-format=(string)raw"),
                        "gstreamer1.0-libav");
    assert_string_equal(sh_plugin_package_for_caps("audio/x-vorbis"), "gstreamer1.0-plugins-base");
    assert_string_equal(sh_plugin_package_for_caps("audio/x-opus"), "gstreamer1.0-plugins-base");
    assert_string_equal(sh_plugin_package_for_caps("audio/x-flac, framed=(boolean)true"),
                        "gstreamer1.0-plugins-good");
    assert_string_equal(sh_plugin_package_for_caps("audio/x-wma, wmaversion=(int)2"), "gstreamer1.0-libav");
    assert_non_null(strstr(sh_plugin_package_for_caps("video/x-ms-asf"), "gstreamer1.0-plugins-ugly"));
    assert_null(sh_plugin_package_for_caps("video/x-h264"));
    assert_null(sh_plugin_package_for_caps(NULL));
    assert_true(sh_plugin_caps_relevant("audio/x-something-new"));
    assert_true(sh_plugin_caps_relevant("video/quicktime"));
    assert_false(sh_plugin_caps_relevant("video/x-h264, stream-format=(string)avc"));
    char caps[128];
    assert_true(sh_plugin_detail_caps(
        "gstreamer|1.0|shadowing|MPEG-1 Layer 3 (MP3) decoder|decoder-audio/mpeg, mpegversion=(int)1", caps,
        sizeof caps));
    assert_string_equal(caps, "audio/mpeg, mpegversion=(int)1");
    assert_false(sh_plugin_detail_caps("gstreamer|1.0|x|desc|element-foo", caps, sizeof caps));
    assert_false(sh_plugin_detail_caps("garbage", caps, sizeof caps));
}

static void test_header_duration(void **state)
{
    (void)state;
    /* A 44-byte WAV header: 16-bit stereo 44.1 kHz, 441000 data bytes = 2.5 s. */
    unsigned char wav[44] = "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x02\0\x44\xac\0\0\x10\xb1\x02\0\x04\0\x10\0"
                            "data";
    uint32_t size = 441000;
    for (int i = 0; i < 4; i++)
        wav[40 + i] = (unsigned char)(size >> (8 * i));
    double s = 0;
    assert_true(sh_header_declared_duration(wav, sizeof wav, &s));
    assert_true(fabs(s - 2.5) < 1e-9);
    /* Streaming WAV (size 0xFFFFFFFF): unknown. */
    memset(wav + 40, 0xff, 4);
    assert_false(sh_header_declared_duration(wav, sizeof wav, &s));
    assert_false(sh_header_declared_duration((const unsigned char *)"hello", 5, &s));
    assert_false(sh_header_declared_duration(wav, 20, &s));
    /* The lame fixture's Xing header: 96 frames of 1152 at 44.1 kHz (plus
     * the Xing frame itself is not counted). */
    FILE *f = fopen(fixture("vbr.mp3"), "rb");
    assert_non_null(f);
    unsigned char head[4096];
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    assert_true(sh_header_declared_duration(head, got, &s));
    assert_true(s > LEN_S && s < LEN_S + 0.06);
}

static void test_mp3_headers(void **state)
{
    (void)state;
    int spf = 0, rate = 0;
    /* MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417 bytes. */
    const unsigned char h1[4] = {0xFF, 0xFB, 0x90, 0x64};
    assert_int_equal(sh_mp3_frame_length(h1, &spf, &rate), 417);
    assert_int_equal(spf, 1152);
    assert_int_equal(rate, 44100);
    /* The same with the padding bit: 418. */
    const unsigned char h2[4] = {0xFF, 0xFB, 0x92, 0x64};
    assert_int_equal(sh_mp3_frame_length(h2, &spf, &rate), 418);
    /* MPEG-2 Layer III, 64 kbit/s, 22.05 kHz: 72000 * 64 / 22050 = 208. */
    const unsigned char h3[4] = {0xFF, 0xF3, 0x80, 0xC4};
    assert_int_equal(sh_mp3_frame_length(h3, &spf, &rate), 208);
    assert_int_equal(spf, 576);
    assert_int_equal(rate, 22050);
    /* Not Layer III, free format, bad rate, no sync: 0. */
    const unsigned char bad[][4] = {
        {0xFF, 0xFD, 0x90, 0x64}, {0xFF, 0xFB, 0x00, 0x64}, {0xFF, 0xFB, 0x9C, 0x64}, {0x7F, 0xFB, 0x90, 0x64}};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(sh_mp3_frame_length(bad[i], &spf, &rate), 0);
    /* ID3v2: syncsafe size + 10 (+ 10 with a footer). */
    const unsigned char id3[10] = {'I', 'D', '3', 4, 0, 0x00, 0, 0, 0x01, 0x7F};
    assert_int_equal(sh_id3v2_size(id3, 10), 10 + 255);
    const unsigned char id3f[10] = {'I', 'D', '3', 4, 0, 0x10, 0, 0, 0x01, 0x7F};
    assert_int_equal(sh_id3v2_size(id3f, 10), 20 + 255);
    assert_int_equal(sh_id3v2_size((const unsigned char *)"ID3", 3), 0);
}

/* The checks that run before any pipeline (issue 10): impossible WAV
 * "fmt " values, a damaged first Ogg page, what a non-audio file looks like. */
static void test_wav_header_problem(void **state)
{
    (void)state;
    unsigned char wav[44] = "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x02\0\x44\xac\0\0\x10\xb1\x02\0\x04\0\x10\0"
                            "data\x10\0\0\0";
    char why[200];
    assert_false(sh_wav_header_problem(wav, sizeof wav, why, sizeof why));
    assert_string_equal(why, "");
    unsigned char b[44];
    memcpy(b, wav, sizeof b);
    memset(b + 24, 0xff, 4); /* rate 0xFFFFFFFF: stalled GStreamer for 30 s */
    assert_true(sh_wav_header_problem(b, sizeof b, why, sizeof why));
    assert_non_null(strstr(why, "sample rate of 4294967295 Hz"));
    assert_true(sh_wav_header_problem(b, sizeof b, NULL, 0));
    memcpy(b, wav, sizeof b);
    b[22] = b[23] = 0; /* no channels */
    assert_true(sh_wav_header_problem(b, sizeof b, why, sizeof why));
    assert_non_null(strstr(why, "0 channels"));
    memcpy(b, wav, sizeof b);
    b[32] = 3; /* block 3 for 16-bit stereo */
    assert_true(sh_wav_header_problem(b, sizeof b, why, sizeof why));
    assert_non_null(strstr(why, "block size (3 bytes)"));
    memcpy(b, wav, sizeof b);
    b[34] = 0; /* 0 bits */
    assert_true(sh_wav_header_problem(b, sizeof b, why, sizeof why));
    memcpy(b, wav, sizeof b);
    memset(b + 28, 0, 4); /* 0 bytes per second */
    assert_true(sh_wav_header_problem(b, sizeof b, why, sizeof why));
    memcpy(b, wav, sizeof b);
    b[16] = 14; /* a "fmt " chunk too short */
    assert_true(sh_wav_header_problem(b, sizeof b, why, sizeof why));
    /* IMA ADPCM (tag 0x11): 4 bits in 1024-byte blocks is fine. */
    memcpy(b, wav, sizeof b);
    b[20] = 0x11;
    b[32] = 0x00, b[33] = 0x04, b[34] = 4;
    assert_false(sh_wav_header_problem(b, sizeof b, why, sizeof why));
    /* Data before the format. */
    unsigned char d[52] = "RIFF\0\0\0\0WAVEdata\0\0\0\0fmt \x10\0\0\0\x01\0\x01\0\x80\x3e\0\0\0\x7d\0\0\x02\0\x10\0";
    assert_true(sh_wav_header_problem(d, 48, why, sizeof why));
    assert_non_null(strstr(why, "before the \"fmt \" chunk"));
    /* Cut inside the chunk, or not a WAV: nothing to say. */
    assert_false(sh_wav_header_problem(wav, 30, why, sizeof why));
    assert_false(sh_wav_header_problem((const unsigned char *)"OggS", 4, why, sizeof why));
}

static void test_ogg_header_problem(void **state)
{
    (void)state;
    FILE *f = fopen(fixture("noise.ogg"), "rb");
    assert_non_null(f);
    unsigned char head[8192];
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    char why[200];
    assert_false(sh_ogg_header_problem(head, got, why, sizeof why));
    head[40] ^= 0x55; /* inside the first page: the checksum no longer matches */
    assert_true(sh_ogg_header_problem(head, got, why, sizeof why));
    assert_non_null(strstr(why, "wrong checksum"));
    head[40] ^= 0x55;
    head[4] = 1;
    assert_true(sh_ogg_header_problem(head, got, why, sizeof why));
    assert_non_null(strstr(why, "version 1"));
    assert_false(sh_ogg_header_problem(head, 20, why, sizeof why));
}

static void test_sniff_kind(void **state)
{
    (void)state;
#define KIND(lit) sh_sniff_kind((const unsigned char *)(lit), sizeof(lit) - 1)
    assert_string_equal(KIND("Repeat after the speaker.\nThen record.\n"), "text");
    assert_non_null(strstr(KIND("%PDF-1.7\n%\xe2\xe3"), "PDF"));
    assert_non_null(strstr(KIND("  {\"shadowing\": 1}"), "JSON"));
    assert_non_null(strstr(KIND("<!DOCTYPE html><html>"), "HTML page"));
    assert_non_null(strstr(KIND("PK\3\4\x14\0\0\0"), "ZIP"));
    assert_non_null(strstr(KIND("OggS\0\2"), "Ogg"));
    assert_non_null(strstr(KIND("RIFF\0\0\0\0WAVEfmt "), "damaged WAV"));
    assert_null(KIND("\x01\x02\x03\x04\x05\x06\x07\x08\x00\x00\xff\xfe\x10"));
    assert_null(sh_sniff_kind(NULL, 0));
    unsigned char zeros[100] = {0};
    assert_non_null(strstr(sh_sniff_kind(zeros, sizeof zeros), "zero bytes"));
#undef KIND
}

static int count_frame(void *user, size_t at)
{
    (void)at;
    (*(int *)user)++;
    return 0;
}

static void test_mp3_walk(void **state)
{
    (void)state;
    /* Three MPEG-1 128 kbit/s 44.1 kHz frames (417 bytes) and an ID3v1 tag. */
    unsigned char buf[3 * 417 + 128];
    memset(buf, 0, sizeof buf);
    for (int i = 0; i < 3; i++)
        memcpy(buf + i * 417, "\xFF\xFB\x90\x64", 4);
    memcpy(buf + 3 * 417, "TAG", 3);
    int n = 0;
    size_t used = 0;
    assert_int_equal(sh_mp3_walk(buf, sizeof buf, true, 1152, 44100, UINT64_MAX, &used, count_frame, &n),
                     SH_MP3_END);
    assert_int_equal(n, 3);
    assert_int_equal(used, 3 * 417);
    /* At most 2 frames asked for: stops there, more to come. */
    n = 0;
    assert_int_equal(sh_mp3_walk(buf, sizeof buf, true, 1152, 44100, 2, &used, count_frame, &n), SH_MP3_MORE);
    assert_int_equal(n, 2);
    assert_int_equal(used, 2 * 417);
    /* A cut last frame: the end of the file, or read on. */
    n = 0;
    assert_int_equal(sh_mp3_walk(buf, 2 * 417 + 100, true, 1152, 44100, UINT64_MAX, &used, count_frame, &n),
                     SH_MP3_END);
    assert_int_equal(n, 2);
    assert_int_equal(sh_mp3_walk(buf, 2 * 417 + 100, false, 1152, 44100, UINT64_MAX, &used, NULL, NULL),
                     SH_MP3_MORE);
    assert_int_equal(used, 2 * 417);
    /* Junk between frames, or another rate: broken. */
    buf[417] = 0x12;
    assert_int_equal(sh_mp3_walk(buf, sizeof buf, true, 1152, 44100, UINT64_MAX, &used, NULL, NULL), SH_MP3_BROKEN);
    assert_int_equal(used, 417);
    buf[417] = 0xFF;
    assert_int_equal(sh_mp3_walk(buf, sizeof buf, true, 1152, 48000, UINT64_MAX, &used, NULL, NULL), SH_MP3_BROKEN);
}

/* Where the audio ends, without decoding all of it, equals a full count. */
static void test_audio_end(void **state)
{
    (void)state;
    const char *names[] = {"noise.wav", "cbr.mp3", "vbr.mp3", "vbr_noxing.mp3", "noise.ogg", "noise.flac"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        sh_decoder_config c = sh_decoder_config_init(RATE);
        sh_decoder *d = NULL;
        sh_error err = {0};
        assert_int_equal(sh_decoder_open(fixture(names[i]), &c, &d, &err), SH_OK);
        uint64_t frames = 0;
        bool cut = false;
        assert_int_equal(sh_decoder_stream(d, NULL, NULL, &frames, &cut, &err), SH_OK);
        double exact = (double)frames / RATE, end = -1;
        assert_int_equal(sh_decoder_audio_end(d, 1.0, &end, &err), SH_OK);
        assert_true(end == 1.0);
        assert_int_equal(sh_decoder_audio_end(d, 10.0, &end, &err), SH_OK);
        if (fabs(end - exact) > 0.5 / RATE)
            fail_msg("%s: audio ends at %.6f s, a full decode says %.6f s", names[i], end, exact);
        for (double far = 1e5; far < 1e9; far *= 1e3) { /* far past: via the estimate */
            assert_int_equal(sh_decoder_audio_end(d, far, &end, &err), SH_OK);
            if (fabs(end - exact) > 0.5 / RATE)
                fail_msg("%s: from %g s: %.6f s, a full decode says %.6f s", names[i], far, end, exact);
        }
        sh_decoder_close(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plugin_table),
        cmocka_unit_test(test_header_duration),
        cmocka_unit_test(test_mp3_headers),
        cmocka_unit_test(test_wav_header_problem),
        cmocka_unit_test(test_ogg_header_problem),
        cmocka_unit_test(test_sniff_kind),
        cmocka_unit_test(test_mp3_walk),
        cmocka_unit_test(test_audio_end),
        cmocka_unit_test(test_wav_length_exact),
        cmocka_unit_test(test_mp3_with_lame_tag_length_exact),
        cmocka_unit_test(test_mp3_without_tag_keeps_padding),
        cmocka_unit_test(test_segments_wav),
        cmocka_unit_test(test_segments_cbr_mp3),
        cmocka_unit_test(test_segments_vbr_mp3),
        cmocka_unit_test(test_segments_vbr_mp3_without_seek_table),
        cmocka_unit_test(test_segments_vorbis),
        cmocka_unit_test(test_segments_flac),
        cmocka_unit_test(test_video_with_sound),
        cmocka_unit_test(test_segment_native_rate),
        cmocka_unit_test(test_long_mp3_seek_exact),
        cmocka_unit_test(test_long_mp3_22khz_seek_exact),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_decode_file),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_truncated),
    };
    return cmocka_run_group_tests(tests, make_fixtures, remove_fixtures);
}
