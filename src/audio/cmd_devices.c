/* shadowing devices: what PortAudio sees. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/cli.h"
#include "shadowing/audio.h"

extern const sh_command sh_cmd_devices;
static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        SH_CLI_HELP_OPTION,
        {"json", no_argument, NULL, 'j'},
        {"verbose", no_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, verbose = false;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': sh_cli_print_usage(&sh_cmd_devices, stdout); return SH_EXIT_OK;
        case 'j': json = true; break;
        case 'v': verbose = true; break;
        default: return sh_cli_getopt_error("devices", c, argc, argv);
        }
    }
    if (optind != argc)
        return sh_cli_usage_error("devices", "unexpected argument '%s'", argv[optind]);
    sh_error err = {0};
    char *out = NULL;
    if (sh_audio_list_devices(json, verbose, &out, &err) != SH_OK)
        return sh_cli_fail("%s", err.message);
    fputs(out, stdout);
    free(out);
    return SH_EXIT_OK;
}

extern const sh_command sh_cmd_devices;
const sh_command sh_cmd_devices = {
    .name = "devices",
    .summary = "list the sound devices (PortAudio)",
    .usage = "Usage: shadowing devices [--json] [--verbose]\n\n"
             "List the sound devices PortAudio finds: index, name, host API, input and\n"
             "output channels, default rate and latencies, and which are the defaults.\n"
             "Use the index or a part of the name with --device.\n\n"
             "  --json      one JSON array of objects (index, name, host_api,\n"
             "              max_input_channels, max_output_channels, default_sample_rate,\n"
             "              default_{low,high}_{input,output}_latency, default_input,\n"
             "              default_output)\n"
             "  --verbose   let ALSA/JACK print their probing messages\n",
    .run = run,
};
