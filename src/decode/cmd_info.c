/* `shadowing info AUDIO [--json] [--exact]`: what an audio file holds. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/cli.h"
#include "shadowing/decode.h"

static const char usage[] =
    "Usage: shadowing info AUDIO [--json] [--exact]\n"
    "\n"
    "Describe an audio file: duration, sample rate, channels, codec, container\n"
    "and bitrate. Any format GStreamer can decode works (MP3, Ogg, FLAC, WAV,\n"
    "M4A, the sound track of a video...).\n"
    "\n"
    "Options:\n"
    "  --json     print one JSON object: path, duration, duration_exact, rate,\n"
    "             channels, codec, container, bitrate (null when unknown)\n"
    "  --exact    decode the whole file and count its samples instead of\n"
    "             trusting the duration the container announces\n"
    "  -h, --help show this help\n"
    "\n"
    "Exit status: 0 ok, 1 not a readable audio file, 2 usage error.\n";

static void add_str(cJSON *o, const char *key, const char *v)
{
    if (v && v[0])
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_num(cJSON *o, const char *key, double v, bool known)
{
    if (known)
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static int print_json(const char *path, const sh_audio_info *in)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return sh_cli_fail("out of memory");
    cJSON_AddStringToObject(o, "path", path);
    /* Milliseconds are plenty for a duration; exact values keep 6 digits. */
    double dur = in->duration_exact ? round(in->duration_s * 1e6) / 1e6 : round(in->duration_s * 1e3) / 1e3;
    add_num(o, "duration", dur, in->duration_s > 0);
    cJSON_AddBoolToObject(o, "duration_exact", in->duration_exact);
    add_num(o, "rate", in->rate, in->rate > 0);
    add_num(o, "channels", in->channels, in->channels > 0);
    add_str(o, "codec", in->codec);
    add_str(o, "container", in->container);
    add_num(o, "bitrate", in->bitrate, in->bitrate > 0);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        return sh_cli_fail("out of memory");
    puts(s);
    cJSON_free(s);
    return SH_EXIT_OK;
}

static void print_text(const char *path, const sh_audio_info *in)
{
    printf("file:       %s\n", path);
    if (in->duration_s > 0) {
        double t = in->duration_s;
        int h = (int)(t / 3600), m = (int)(fmod(t, 3600) / 60);
        double sec = fmod(t, 60);
        printf("duration:   %.3f s (%d:%02d:%06.3f, %s)\n", t, h, m, sec,
               in->duration_exact ? "exact, decoded" : "estimated from the container");
    } else {
        printf("duration:   unknown (--exact decodes the file to measure it)\n");
    }
    if (in->rate > 0)
        printf("rate:       %d Hz\n", in->rate);
    if (in->channels > 0)
        printf("channels:   %d\n", in->channels);
    printf("codec:      %s\n", in->codec[0] ? in->codec : "unknown");
    printf("container:  %s\n", in->container[0] ? in->container : "unknown");
    if (in->bitrate > 0)
        printf("bitrate:    %.0f kbit/s\n", in->bitrate / 1000.0);
    else
        printf("bitrate:    unknown\n");
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"exact", no_argument, NULL, 'e'},
        SH_CLI_HELP_OPTION,
        {NULL, 0, NULL, 0},
    };
    bool json = false, exact = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = true;
            break;
        case 'e':
            exact = true;
            break;
        case 'h':
            fputs(usage, stdout);
            return SH_EXIT_OK;
        default:
            return sh_cli_getopt_error("info", c, argc, argv);
        }
    }
    if (optind == argc)
        return sh_cli_usage_error("info", "missing the AUDIO file");
    if (argc - optind > 1)
        return sh_cli_usage_error("info", "expected one AUDIO file, got %d", argc - optind);
    const char *path = argv[optind];

    sh_audio_info in;
    sh_error err = {0};
    int rc = sh_audio_probe(path, exact, &in, &err);
    if (rc != SH_OK)
        return sh_cli_fail("%s", err.message[0] ? err.message : sh_strerror(rc));
    if (err.message[0]) /* truncated: decoded what was there */
        fprintf(stderr, "shadowing: warning: %s\n", err.message);
    if (json)
        return print_json(path, &in);
    print_text(path, &in);
    return SH_EXIT_OK;
}

const sh_command sh_cmd_info = {
    .name = "info",
    .summary = "describe an audio file (duration, rate, channels, codec)",
    .usage = usage,
    .run = run,
};
