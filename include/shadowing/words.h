/* shadowing - words: the words a speaker says in a paragraph, and where on
 * the audio each one is.
 *
 * Two layers:
 *   - text normalisation (pure, always built, no speech engine): a paragraph
 *     as the learner reads it ("$5.6 million", "98%", "in 2026", "US",
 *     "DeepSeek's") split into its text words, and the spoken tokens of each
 *     ("five point six million dollars", "ninety eight percent", "twenty
 *     twenty six", "u s", "deepseek's"). Every token keeps the index of the
 *     text word it came from, so times found for tokens map back to the
 *     words on screen;
 *   - word timing (pocketsphinx 0.8+5prealpha in grammar mode, built with
 *     the meson feature `asr`): the paragraph's tokens as a finite-state
 *     grammar run over audio at 16 kHz. Without `asr`, sh_words_open fails
 *     with SH_ERR_UNSUPPORTED and a message that says word timing is off.
 *
 * Pronunciations come from the model's dictionary (cmudict-en-us); a word
 * that is not in it gets one from espeak-ng's IPA mapped to the model's
 * phones (sh_words_ipa_to_phones), or from the lesson's "pronunciations"
 * object, which wins over both.
 *
 * Threads: a sh_words handle is one decoder for one thread at a time; use
 * one handle per thread. Decoding costs about a tenth of real time: never
 * call sh_words_align from an audio callback.
 */
#ifndef SHADOWING_WORDS_H
#define SHADOWING_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "shadowing/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- text normalisation (pure) ---- */

/* Longest spoken token or text word kept (bytes); longer ones are cut. */
#define SH_WORDS_MAX_TOKEN 63

typedef struct sh_word_token {
    char text[SH_WORDS_MAX_TOKEN + 1]; /* lower-case ASCII letters and ', never empty */
    size_t word;                       /* index of the text word it came from */
} sh_word_token;

typedef struct sh_text_words {
    char **words;          /* the text words as written, punctuation around them removed */
    size_t n_words;
    sh_word_token *tokens; /* spoken tokens, in order; each text word has at least one */
    size_t n_tokens;
} sh_text_words;

/* Split `text` (UTF-8) into text words and spoken tokens. A text word is a
 * run of non-space characters with the punctuation around it removed
 * (quotes, brackets, , . ; : ! ?); a run with no letter or digit (a dash)
 * is no word. Tokens: numbers (cardinals up to 999 trillion, decimals
 * "5.6" -> "five point six", grouped "1,200"), money ("$5.6 million" ->
 * ... "million dollars", "$3" -> "three dollars", cents), percentages
 * ("98%", "98 percent"), years (1100-2099 standing alone: "2026" -> "twenty
 * twenty six", "2000" -> "two thousand", "1990s"), ordinals ("3rd", "21st"),
 * decades, upper-case abbreviations spelt as letters ("US", "AI", "GPU",
 * "U.S."; a list of those said as words, such as "NASA", stays a word),
 * hyphenated words (one token per part), possessives and contractions kept
 * as one token ("Washington's"). Returns SH_OK with *out filled (free with
 * sh_text_words_free), or SH_ERR_NOMEM / SH_ERR_INVALID (NULL text).
 * Pure: no I/O, no globals. */
int sh_text_words_split(const char *text, sh_text_words *out);
void sh_text_words_free(sh_text_words *tw);

/* The number `v` (0 <= v < 10^15) as spoken English tokens separated by
 * single spaces ("one hundred twenty three") into buf; returns buf, or ""
 * when it does not fit or is out of range. */
char *sh_words_number(unsigned long long v, char *buf, size_t size);

/* ---- phones (pure) ---- */

/* The 39 phones of the CMU / pocketsphinx en-us model (AA AE ... ZH). */
extern const char *const sh_words_phones[];
extern const size_t sh_words_phone_count;

/* True when `phones` is one or more of sh_words_phones separated by single
 * spaces (stress digits are not allowed). On false, *bad_at (may be NULL)
 * is the byte offset of the first bad phone (or of the bad spacing). */
bool sh_words_phones_valid(const char *phones, size_t *bad_at);

/* Map an IPA transcription (as espeak-ng --ipa writes it: stress marks,
 * length marks and syllable marks allowed) to the model's phones,
 * space-separated, into buf. Greedy longest match over a table of IPA
 * symbols (diphthongs and affricates first); symbols the table does not
 * know are skipped and counted in *unknown (may be NULL). Returns the
 * number of phones written (0 when none, or when buf is too small). */
size_t sh_words_ipa_to_phones(const char *ipa, char *buf, size_t size, size_t *unknown);

/* ---- word timing (pocketsphinx; needs the `asr` build feature) ---- */

/* A pronunciation given by the lesson: `word` as in the text ("DeepSeek",
 * any case), `phones` in the model's phone set ("D IY P S IY K"). */
typedef struct sh_words_pron {
    const char *word;
    const char *phones;
} sh_words_pron;

typedef struct sh_words_config {
    const char *model_dir;  /* acoustic model folder; NULL: from pkg-config at build time */
    const char *dict_path;  /* pronunciation dictionary; NULL: cmudict-en-us.dict beside it */
    bool use_espeak;        /* words missing from the dictionary from espeak-ng; true */
    double skip_penalty;    /* grammar: natural-log cost of leaving a text word out; 6.0 */
    int max_skip;           /* longest run of words one skip arc jumps over; 3 */
    double beam;            /* pocketsphinx -beam; 1e-40 */
    double wbeam;           /* pocketsphinx -wbeam; 1e-30 */
} sh_words_config;

/* Defaults as documented above. */
sh_words_config sh_words_config_init(void);

/* One word of the text and where it was found. */
typedef struct sh_word_time {
    const char *text;   /* the text word (points into the handle; valid until the next call) */
    double begin, end;  /* seconds from the start of the samples; -1 when not found */
    bool found;
} sh_word_time;

typedef struct sh_words sh_words;

/* True when this build can time words (the `asr` feature). */
bool sh_words_available(void);

/* Open a decoder: load the acoustic model and the dictionary (about 45 MB
 * resident, about 0.3 s). Returns a handle (close with sh_words_close), or
 * NULL with err: SH_ERR_UNSUPPORTED when built without `asr` (the message
 * says word timing is off), SH_ERR_NOT_FOUND when the model is missing,
 * SH_ERR_NOMEM. cfg NULL: defaults. */
sh_words *sh_words_open(const sh_words_config *cfg, sh_error *err);
void sh_words_close(sh_words *w);

/* Pronunciations that win over the dictionary and espeak-ng for this
 * handle, until the next call (copied). Each phones string must pass
 * sh_words_phones_valid (SH_ERR_INVALID, naming the word, otherwise). */
int sh_words_set_prons(sh_words *w, const sh_words_pron *prons, size_t n, sh_error *err);

/* Time every word of `text` on samples[0..n) (mono, `rate` must be 16000).
 * *out (owned by the handle, valid until the next call or close) gets one
 * entry per text word of sh_text_words_split, in order; *count their number.
 * A text word is found when at least one of its tokens is; its begin is
 * its first found token's begin, its end its last one's end. Returns SH_OK
 * (possibly with no word found: speech that does not match the text),
 * SH_ERR_INVALID (bad arguments, rate), SH_ERR_NOMEM, or SH_ERR_DECODE
 * when the decoder fails. */
int sh_words_align(sh_words *w, const char *text, const float *samples, size_t n, int rate,
                   sh_word_time **out, size_t *count, sh_error *err);

#ifdef __cplusplus
}
#endif
#endif
