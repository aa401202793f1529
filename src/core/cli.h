/* The command-line helpers every command uses for --help, usage errors and
 * exit codes, and the shape of a command. Internal. The table of commands
 * itself lives at the top, in src/commands.c. */
#ifndef SH_CORE_CLI_H
#define SH_CORE_CLI_H

#include <stdio.h>

/* Exit statuses, the same for every command. */
enum { SH_EXIT_OK = 0, SH_EXIT_BAD_INPUT = 1, SH_EXIT_USAGE = 2 };

typedef struct sh_command {
    const char *name;     /* "info" */
    const char *summary;  /* one line for `shadowing help` */
    const char *usage;    /* full text for `shadowing help NAME` and NAME --help;
                             starts with the "Usage:" lines */
    /* argv[0] is the command name; returns an exit status. */
    int (*run)(int argc, char **argv);
} sh_command;

/* Print the command's usage text to `out`. */
void sh_cli_print_usage(const sh_command *cmd, FILE *out);
/* Print "shadowing NAME: MESSAGE" and a hint to `shadowing help NAME` on
 * stderr; returns SH_EXIT_USAGE. */
int sh_cli_usage_error(const char *name, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Print "shadowing: MESSAGE" on stderr (one line); returns SH_EXIT_BAD_INPUT. */
int sh_cli_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Report an option error from getopt_long and return SH_EXIT_USAGE. Call it
 * for ':' and '?' (and for any value the loop does not expect), with
 * opterr = 0 set before the loop so that getopt prints nothing itself; put
 * ':' first in the short options so that a missing value is ':' rather than
 * '?'. It prints, through sh_cli_usage_error:
 *   ':'  "option '--cue' needs a value" (or '-o' for a short option);
 *   '?'  "unknown option '--frobnicate'" (the word, without "=VALUE"),
 *        "unknown option '-x'" (the character, even inside a cluster such
 *        as -jx), or "option '--json' takes no value" for --json=1.
 * `argc`/`argv` are the loop's, read right after getopt_long returned. */
int sh_cli_getopt_error(const char *name, int c, int argc, char **argv);

/* Standard preamble for a command's getopt loop: handles -h/--help by
 * printing usage (returns 1 then; the caller exits 0). */
#define SH_CLI_HELP_OPTION {"help", no_argument, NULL, 'h'}

#endif
