#include "core/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

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
    fputs("shadowing: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return SH_EXIT_BAD_INPUT;
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
