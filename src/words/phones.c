/* The model's phone set and the IPA -> phone table used for words missing
 * from the dictionary (see include/shadowing/words.h). Pure. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "shadowing/words.h"

/* The CI phones of pocketsphinx-en-us (cmudict-en-us.dict uses exactly
 * these; SIL and the noise phones are not for words). */
const char *const sh_words_phones[] = {"AA", "AE", "AH", "AO", "AW", "AY", "B",  "CH", "D",  "DH", "EH", "ER", "EY",
                                       "F",  "G",  "HH", "IH", "IY", "JH", "K",  "L",  "M",  "N",  "NG", "OW", "OY",
                                       "P",  "R",  "S",  "SH", "T",  "TH", "UH", "UW", "V",  "W",  "Y",  "Z",  "ZH"};
const size_t sh_words_phone_count = sizeof sh_words_phones / sizeof *sh_words_phones;

static bool known_phone(const char *s, size_t n)
{
    for (size_t i = 0; i < sh_words_phone_count; i++)
        if (strlen(sh_words_phones[i]) == n && memcmp(sh_words_phones[i], s, n) == 0)
            return true;
    return false;
}

bool sh_words_phones_valid(const char *phones, size_t *bad_at)
{
    if (bad_at)
        *bad_at = 0;
    if (!phones || !*phones)
        return false;
    size_t i = 0;
    for (;;) {
        size_t j = i;
        while (phones[j] && phones[j] != ' ')
            j++;
        if (j == i || !known_phone(phones + i, j - i)) {
            if (bad_at)
                *bad_at = i;
            return false;
        }
        if (!phones[j])
            return true;
        i = j + 1; /* exactly one space between phones */
    }
}

/* IPA (UTF-8) -> model phones. Longest match first: the table is searched
 * in order and the longer sequences come first. espeak-ng's en-us IPA uses
 * r-coloured vowels (ɚ, ɜː), the flap ɾ and ɐ for a weak "a"; en-gb's uses
 * ɒ, ɛə, ɪə, ʊə, which American phones approximate. */
static const struct {
    const char *ipa, *phones;
} IPA[] = {
    {"aɪɚ", "AY ER"}, {"aʊɚ", "AW ER"}, {"ɪɚ", "IH R"},  {"ɛɚ", "EH R"},  {"ʊɚ", "UH R"},  {"ɔɚ", "AO R"},
    {"ɑɚ", "AA R"},   {"ɜɹ", "ER"},     {"ɪə", "IH R"},  {"ɛə", "EH R"},  {"ʊə", "UH R"},  {"aɪ", "AY"},
    {"aʊ", "AW"},     {"eɪ", "EY"},     {"oʊ", "OW"},    {"əʊ", "OW"},    {"ɔɪ", "OY"},    {"tʃ", "CH"},
    {"dʒ", "JH"},     {"ɚ", "ER"},      {"ɝ", "ER"},     {"ɜ", "ER"},     {"ɑ", "AA"},     {"ɒ", "AA"},
    {"æ", "AE"},      {"ʌ", "AH"},      {"ə", "AH"},     {"ɐ", "AH"},     {"ɔ", "AO"},     {"ɛ", "EH"},
    {"e", "EH"},      {"ɪ", "IH"},      {"ᵻ", "IH"},     {"i", "IY"},     {"ʊ", "UH"},     {"u", "UW"},
    {"o", "OW"},      {"a", "AA"},      {"ŋ", "NG"},     {"θ", "TH"},     {"ð", "DH"},     {"ʃ", "SH"},
    {"ʒ", "ZH"},      {"ɹ", "R"},       {"r", "R"},      {"ɾ", "T"},      {"ʔ", "T"},      {"ɡ", "G"},
    {"g", "G"},       {"j", "Y"},       {"x", "K"},      {"ɬ", "L"},      {"ɫ", "L"},      {"b", "B"},
    {"d", "D"},       {"f", "F"},       {"h", "HH"},     {"k", "K"},      {"l", "L"},      {"m", "M"},
    {"n", "N"},       {"p", "P"},       {"s", "S"},      {"t", "T"},      {"v", "V"},      {"w", "W"},
    {"z", "Z"},       {"ʍ", "W"},       {"ç", "HH"},
};

/* Marks that carry no phone: stress, length, syllabic, syllable breaks, tie. */
static size_t skip_mark(const unsigned char *p)
{
    static const char *const marks[] = {"ˈ", "ˌ", "ː", "ˑ", "\xcc\xa9", "\xcd\xa1", "\xcc\xaf", ".", "-", " ",
                                        "'", ",", "\xe2\x80\x8d", NULL};
    for (size_t i = 0; marks[i]; i++) {
        size_t n = strlen(marks[i]);
        if (strncmp((const char *)p, marks[i], n) == 0)
            return n;
    }
    return 0;
}

size_t sh_words_ipa_to_phones(const char *ipa, char *buf, size_t size, size_t *unknown)
{
    size_t count = 0, len = 0, unk = 0;
    if (unknown)
        *unknown = 0;
    if (!buf || size == 0)
        return 0;
    buf[0] = '\0';
    if (!ipa)
        return 0;
    const unsigned char *p = (const unsigned char *)ipa;
    while (*p) {
        size_t m = skip_mark(p);
        if (m) {
            p += m;
            continue;
        }
        size_t best = 0, bi = 0;
        for (size_t i = 0; i < sizeof IPA / sizeof *IPA; i++) {
            size_t n = strlen(IPA[i].ipa);
            if (n > best && strncmp((const char *)p, IPA[i].ipa, n) == 0) {
                best = n;
                bi = i;
            }
        }
        if (!best) {
            unk++;
            p++;
            while ((*p & 0xC0) == 0x80) /* the rest of a UTF-8 character */
                p++;
            continue;
        }
        const char *ph = IPA[bi].phones;
        size_t pl = strlen(ph);
        if (len + pl + 2 > size) {
            buf[0] = '\0';
            if (unknown)
                *unknown = unk;
            return 0;
        }
        if (len)
            buf[len++] = ' ';
        memcpy(buf + len, ph, pl + 1);
        len += pl;
        count += 1 + (size_t)(strchr(ph, ' ') != NULL);
        p += best;
    }
    if (unknown)
        *unknown = unk;
    return count;
}
