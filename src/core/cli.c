#include "core/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "shadowing/diag.h"

void sh_cli_print_usage(const sh_command *cmd, FILE *out)
{
    fputs(cmd->usage, out);
    size_t n = strlen(cmd->usage);
    if (n && cmd->usage[n - 1] != '\n')
        fputc('\n', out);
}

int sh_cli_usage_error(const char *name, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "shadowing %s: ", name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'shadowing help %s'.\n", name);
    return SH_EXIT_USAGE;
}

int sh_cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = sh_vasprintf(fmt, ap);
    va_end(ap);
    /* one line: control characters from file names or contents escaped */
    char line[2048];
    sh_diag_escape(msg ? msg : "out of memory", line, sizeof line, 0);
    fprintf(stderr, "shadowing: %s\n", line);
    free(msg);
    return SH_EXIT_BAD_INPUT;
}

int sh_cli_getopt_error(const char *name, int c, int argc, char **argv)
{
    /* getopt leaves the word it took the option from at argv[optind - 1],
     * except inside a short cluster (-jx): there optind still points at the
     * cluster and argv[optind - 1] is the word before it. optopt is 0 for an
     * unknown or ambiguous long option; otherwise it is the short option's
     * character, or the long option's val for --cue (no value: always the
     * last word) and --json=1 (a value it does not take). */
    const char *prev = optind > 0 && optind - 1 < argc ? argv[optind - 1] : "";
    bool long_opt = optopt == 0 || optopt > 0xFF;
    if (!long_opt && strncmp(prev, "--", 2) == 0) {
        /* A long option's error, unless getopt is inside a cluster that
         * holds the character (the word before it happens to be --x). */
        const char *cur = optind < argc ? argv[optind] : NULL;
        bool in_cluster = cur && cur[0] == '-' && cur[1] != '-' && strchr(cur + 1, optopt);
        long_opt = !in_cluster;
    }
    if (!long_opt) {
        char o = (char)optopt;
        if (c == ':')
            return sh_cli_usage_error(name, "option '-%c' needs a value", o);
        return sh_cli_usage_error(name, "unknown option '-%c'", o);
    }
    int n = (int)strcspn(prev, "=");
    if (c == ':' || (optopt != 0 && !prev[n])) /* '?' too when the loop's options lack the leading ':' */
        return sh_cli_usage_error(name, "option '%.*s' needs a value", n, prev);
    if (optopt != 0)
        return sh_cli_usage_error(name, "option '%.*s' takes no value", n, prev);
    return sh_cli_usage_error(name, "unknown option '%.*s'", n, prev);
}
