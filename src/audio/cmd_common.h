/* Helpers shared by the audio commands (internal). */
#ifndef SH_AUDIO_CMD_COMMON_H
#define SH_AUDIO_CMD_COMMON_H

#include <signal.h>
#include <stdbool.h>

#include "shadowing/audio.h"
#include "shadowing/decode.h"
#include "shadowing/lesson.h"

/* Set by SIGINT/SIGTERM while a command runs its loop. */
extern volatile sig_atomic_t sh_audio_cmd_interrupted;
void sh_audio_cmd_catch_signals(void);

/* Load LESSON and find the cue; prints the problem and returns an exit
 * status (non-zero) on failure. */
int sh_audio_cmd_load_cue(const char *cmd, const char *lesson_path, const char *cue_spec, sh_lesson **lesson,
                          const sh_cue **cue);

/* Decode the cue's segment [begin - lead, end + tail] at `rate`. Returns an
 * exit status, printing the error. *x malloc'ed. */
int sh_audio_cmd_decode_segment(const sh_lesson *l, const sh_cue *q, int rate, double lead, double tail, float **x,
                                size_t *n);

/* The default branch of an audio command's getopt loop: an audio option
 * (--audio, --device, ...) is applied to `ac` and -1 returned (go on);
 * anything else is a usage error, printed, and its exit status returned. */
int sh_audio_cmd_option(const char *cmd, sh_audio_config *ac, int c, int argc, char **argv);

/* Print the xrun counters (--verbose). */
void sh_audio_cmd_print_stats(const sh_audio *a);

/* Milliseconds since the command started (sh_audio_cmd_mark_start). */
void sh_audio_cmd_mark_start(void);
double sh_audio_cmd_elapsed_ms(void);

#endif
