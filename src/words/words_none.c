/* Word timing when the build has no speech engine (meson -Dasr=disabled,
 * or pocketsphinx not installed): every entry point says so. */
#include <stddef.h>

#include "shadowing/words.h"

sh_words_config sh_words_config_init(void)
{
    sh_words_config c = {NULL, NULL, true, 6.0, 3, 1e-40, 1e-30};
    return c;
}

bool sh_words_available(void) { return false; }

sh_words *sh_words_open(const sh_words_config *cfg, sh_error *err)
{
    (void)cfg;
    sh_error_set(err, SH_ERR_UNSUPPORTED,
                 "word timing is off: this build has no speech recogniser (rebuild with pocketsphinx: install "
                 "libpocketsphinx-dev and pocketsphinx-en-us, meson -Dasr=enabled)");
    return NULL;
}

void sh_words_close(sh_words *w) { (void)w; }

int sh_words_set_prons(sh_words *w, const sh_words_pron *prons, size_t n, sh_error *err)
{
    (void)w;
    (void)prons;
    (void)n;
    return sh_error_set(err, SH_ERR_UNSUPPORTED, "word timing is off in this build");
}

int sh_words_align(sh_words *w, const char *text, const float *samples, size_t n, int rate, sh_word_time **out,
                   size_t *count, sh_error *err)
{
    (void)w;
    (void)text;
    (void)samples;
    (void)n;
    (void)rate;
    if (out)
        *out = NULL;
    if (count)
        *count = 0;
    return sh_error_set(err, SH_ERR_UNSUPPORTED, "word timing is off in this build");
}
