/* The command table of the `shadowing` program (src/commands.c): the front
 * end's view of every module's commands. Internal; only front ends include it. */
#ifndef SH_COMMANDS_H
#define SH_COMMANDS_H

#include "core/cli.h"

/* Every command, in the order modules registered them (src/meson.build),
 * NULL-terminated. Static storage; never freed. */
const sh_command *const *sh_commands(void);
/* The command named `name`, or NULL when there is none. */
const sh_command *sh_command_find(const char *name);

#endif
