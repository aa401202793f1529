/* Pronunciations for words the dictionary lacks (DeepSeek, Huawei, MetaX):
 * espeak-ng's IPA for the word, mapped to the model's phones by the table
 * in phones.c. espeak-ng keeps one global state, so every call holds a
 * mutex; it is initialised once, on first use, with no audio output. */
#include <pthread.h>
#include <string.h>

#include "config.h"
#include "shadowing/words.h"
#include "words/words_int.h"

#if SH_HAVE_ESPEAK
#include <espeak-ng/speak_lib.h>

static pthread_mutex_t g2p_lock = PTHREAD_MUTEX_INITIALIZER;
static int g2p_state; /* 0 untried, 1 ready, -1 failed */

bool sh_words_g2p_(const char *word, char *buf, size_t size)
{
    bool ok = false;
    if (!word || !*word || !buf || size == 0)
        return false;
    pthread_mutex_lock(&g2p_lock);
    if (g2p_state == 0) {
        g2p_state = -1;
        if (espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT) > 0 &&
            espeak_SetVoiceByName("en-us") == EE_OK)
            g2p_state = 1;
    }
    if (g2p_state == 1) {
        char ipa[512];
        size_t len = 0;
        ipa[0] = '\0';
        const void *p = word;
        /* One clause at a time until the text is used up (p becomes NULL). */
        while (p) {
            const char *ph = espeak_TextToPhonemes(&p, espeakCHARS_UTF8, espeakPHONEMES_IPA);
            if (!ph)
                break;
            size_t n = strlen(ph);
            if (len + n + 2 > sizeof ipa)
                break;
            if (len)
                ipa[len++] = ' ';
            memcpy(ipa + len, ph, n + 1);
            len += n;
        }
        ok = sh_words_ipa_to_phones(ipa, buf, size, NULL) > 0;
    }
    pthread_mutex_unlock(&g2p_lock);
    return ok;
}
#else
bool sh_words_g2p_(const char *word, char *buf, size_t size)
{
    (void)word;
    (void)buf;
    (void)size;
    return false;
}
#endif
