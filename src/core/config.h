/* The user's small settings file (src/core/config.c): one place for every
 * module's persistent preferences (today the measured audio latency, written
 * by `calibrate`, read by the audio engine). Internal. */
#ifndef SH_CORE_CONFIG_H
#define SH_CORE_CONFIG_H

#include "shadowing/error.h"

/* The user's config file: $XDG_CONFIG_HOME/shadowing/config (default
 * ~/.config), lines of key=value, '#' comments. malloc'ed path, caller frees;
 * NULL when neither XDG_CONFIG_HOME nor HOME is set. */
char *sh_config_path(void);
/* Read `key` into a malloc'ed string (*value, caller frees). Returns SH_OK,
 * SH_ERR_NOT_FOUND (no such key or no file), SH_ERR_IO. */
int sh_config_get(const char *key, char **value, sh_error *err);
/* Set `key` (a NULL value removes it), keeping the other lines, written
 * atomically. Errors: SH_ERR_IO, SH_ERR_DISK_FULL, SH_ERR_INVALID. */
int sh_config_set(const char *key, const char *value, sh_error *err);

#endif
