/* Internals of `shadowing cue` shared by cmd_cue.c (options, dispatch) and
 * cue_commands.c (the subcommands). */
#ifndef SH_CUE_CMD_CUE_INT_H
#define SH_CUE_CMD_CUE_INT_H

#include <stdbool.h>

/* The parsed command line: option values (NULL / false when not given)
 * and the positional arguments. */
typedef struct sh_cue_opts {
    const char *output, *audio, *format, *title, *from, *cue;
    double by;
    bool have_by, sentences, bilingual, verbose, quiet, force, words, words_only;
    int nargs;
    char **args;
} sh_cue_opts;

/* The subcommands: each prints its problems and returns an exit status
 * (SH_EXIT_OK, SH_EXIT_USAGE, SH_EXIT_BAD_INPUT). */
int sh_cue_cmd_init(const sh_cue_opts *o);
int sh_cue_cmd_align(const sh_cue_opts *o);
int sh_cue_cmd_import(const sh_cue_opts *o);
int sh_cue_cmd_export(const sh_cue_opts *o);
int sh_cue_cmd_shift(const sh_cue_opts *o);
int sh_cue_cmd_split(const sh_cue_opts *o);
int sh_cue_cmd_merge(const sh_cue_opts *o);

#endif
