/* shadowing - entry point: dispatch to a command. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "commands.h"

static int looks_like_lesson(const char *arg)
{
    size_t n = strlen(arg);
    struct stat st;
    return (n > 5 && strcmp(arg + n - 5, ".json") == 0) || (stat(arg, &st) == 0 && S_ISREG(st.st_mode));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "Usage: shadowing LESSON.json | shadowing COMMAND [OPTIONS]\n"
                        "Try 'shadowing help'.\n");
        return SH_EXIT_USAGE;
    }
    /* Past a file size limit (ulimit -f) a write should fail with EFBIG, which
     * every writer reports and survives (recordings stay valid WAVs, history
     * rolls back), instead of the default SIGXFSZ killing the process. */
    signal(SIGXFSZ, SIG_IGN);

    const char *first = argv[1];
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        printf("shadowing %s\n", SH_VERSION);
        return SH_EXIT_OK;
    }
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0)
        first = "help";

    const sh_command *cmd = sh_command_find(first);
    if (cmd)
        return cmd->run(argc - 1, argv + 1);

    /* `shadowing LESSON.json [OPTIONS]` is `shadowing practice LESSON.json [OPTIONS]`. */
    const sh_command *practice = sh_command_find("practice");
    if (practice && first[0] != '-' && looks_like_lesson(first)) {
        argv[0] = (char *)"practice";
        return practice->run(argc, argv);
    }
    fprintf(stderr, "shadowing: unknown command '%s'\nTry 'shadowing help'.\n", first);
    return SH_EXIT_USAGE;
}
