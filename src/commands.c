/* The command table: every module's commands, gathered at the top of the
 * program beside main(), so that core/ (the ground floor every module uses)
 * calls nothing above it. Also the `help` command, which lists the table. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "sh_commands.h"

/* Generated from the modules' registrations (sh_commands in meson, written
 * to sh_commands.h) so a module adds a command without touching a shared
 * source file. */
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
