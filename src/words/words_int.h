/* Internals of the words module. */
#ifndef SH_WORDS_INT_H
#define SH_WORDS_INT_H

#include <stdbool.h>
#include <stddef.h>

/* A pronunciation for `word` (lower-case token) from espeak-ng's IPA mapped
 * to the model's phones, into buf. Serialised by a mutex (espeak-ng keeps
 * global state). Returns false when espeak-ng is not built in, fails, or
 * gives no phone. */
bool sh_words_g2p_(const char *word, char *buf, size_t size);

#endif
