/* libFuzzer harness for the words module's pure parts: text normalisation
 * (sh_text_words_split) and the IPA -> phone table, on any bytes. Checks
 * the invariants callers rely on: token word indexes in range and in order,
 * every text word with at least one token, tokens of lower-case ASCII
 * letters and apostrophes, and phone strings the validator accepts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/words.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    sh_text_words tw;
    if (sh_text_words_split(text, &tw) == SH_OK) {
        size_t prev = 0;
        char *seen = calloc(tw.n_words + 1, 1);
        for (size_t i = 0; i < tw.n_tokens; i++) {
            const sh_word_token *t = &tw.tokens[i];
            if (t->word >= tw.n_words || t->word < prev || !t->text[0])
                abort();
            for (const char *p = t->text; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || *p == '\''))
                    abort();
            prev = t->word;
            if (seen)
                seen[t->word] = 1;
        }
        for (size_t i = 0; seen && i < tw.n_words; i++)
            if (!seen[i] || !tw.words[i][0])
                abort();
        free(seen);
        sh_text_words_free(&tw);
    }
    char buf[4096];
    size_t unk;
    if (sh_words_ipa_to_phones(text, buf, sizeof buf, &unk) > 0 && !sh_words_phones_valid(buf, NULL))
        abort();
    sh_words_phones_valid(text, NULL);
    free(text);
    return 0;
}
