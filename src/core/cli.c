#include "core/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "core/util.h"
#include "shadowing/diag.h"

/* The command table is generated from the modules' registrations
 * (sh_commands in meson) so a module adds a command without touching
 * a shared source file. */
#define X(n) extern const sh_command sh_cmd_##n;
SH_COMMANDS_XMACRO
#undef X

static const sh_command *const table[] = {
#define X(n) &sh_cmd_##n,
    SH_COMMANDS_XMACRO
#undef X
    NULL
};

const sh_command *const *sh_commands(void)
{
    return table;
}

const sh_command *sh_command_find(const char *name)
{
    for (size_t i = 0; table[i]; i++)
        if (strcmp(table[i]->name, name) == 0)
            return table[i];
    return NULL;
}

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

static int cmd_help(int argc, char **argv)
{
    if (argc > 2)
        return sh_cli_usage_error("help", "expected at most one command name");
    if (argc == 2 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0) {
        const sh_command *c = sh_command_find(argv[1]);
        if (!c)
            return sh_cli_usage_error("help", "unknown command '%s'", argv[1]);
        sh_cli_print_usage(c, stdout);
        return SH_EXIT_OK;
    }
    printf("shadowing %s - listen to a paragraph, repeat it, see how close you came\n\n"
           "Usage: shadowing LESSON.json            practise a lesson (same as 'practice')\n"
           "       shadowing COMMAND [OPTIONS] ...\n"
           "       shadowing help [COMMAND]\n"
           "       shadowing --version\n\n"
           "Commands:\n",
           SH_VERSION);
    for (size_t i = 0; table[i]; i++)
        printf("  %-10s %s\n", table[i]->name, table[i]->summary);
    printf("\nEvery command takes --help. Exit status: 0 success, 1 bad input or failure, "
           "2 usage error.\nSee shadowing(1) for keys, files and the lesson format.\n");
    return SH_EXIT_OK;
}

const sh_command sh_cmd_help = {
    .name = "help",
    .summary = "show this list, or a command's usage",
    .usage = "Usage: shadowing help [COMMAND]\n\n"
             "Without COMMAND, list the commands. With it, show that command's usage.\n",
    .run = cmd_help,
};
