/* shadowing - cue file formats for the teacher tools: article text (a page
 * like the seed: English paragraphs, each followed by its translation, and a
 * vocabulary list), LRC, SubRip (SRT), WebVTT and aeneas sync-map JSON.
 *
 * Every parser is pure: text in, an sh_cue_doc out, no I/O and no globals,
 * so each is unit-tested on strings and fuzzed (tests/fuzz/). Problems go to
 * an sh_diag list as `FILE:LINE: error: MESSAGE` (all of them, not only the
 * first). Every parser accepts a UTF-8 byte order mark and CRLF or CR-only
 * (old Mac) line ends, and refuses input that is not UTF-8 with one error
 * naming the line (UTF-16, with or without a byte order mark, is named).
 *
 * The writers are the inverse: an sh_cue_doc to a malloc'ed string.
 * Resolution: LRC 10 ms, SRT/WebVTT/aeneas 1 ms.
 */
#ifndef SHADOWING_CUEFMT_H
#define SHADOWING_CUEFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "shadowing/diag.h"
#include "shadowing/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Inputs larger than this are refused by the parsers (SH_ERR_TOO_LARGE). */
#define SH_CUEFMT_MAX_BYTES (16u << 20)

/* One paragraph (cue). Strings are owned by the document. */
typedef struct sh_cue_entry {
    char *id;          /* may be NULL (the lesson then numbers it p1, p2...) */
    double begin, end; /* seconds; NAN when the format does not say */
    char *text;        /* English text, never NULL or empty */
    char *translation; /* may be NULL */
    int line;          /* line in the source where the cue starts */
} sh_cue_entry;

typedef struct sh_cue_vocab {
    char *word;    /* never NULL */
    char *ipa;     /* may be NULL */
    char *meaning; /* may be NULL; several meaning lines joined with "; " */
    int line;
} sh_cue_vocab;

/* A parsed cue file. Caller-owned: sh_cue_doc_init, then sh_cue_doc_free. */
typedef struct sh_cue_doc {
    sh_cue_entry *cues;
    size_t n_cues, cap_cues;
    sh_cue_vocab *vocab;
    size_t n_vocab, cap_vocab;
    char *title;    /* may be NULL: LRC [ti:], the page's headline */
    char *artist;   /* may be NULL: LRC [ar:] */
    char *language; /* may be NULL: aeneas "language", LRC [la:] */
    /* What the article-text reader kept and dropped (sh_seedtext_parse). */
    size_t kept_lines, dropped_lines;
} sh_cue_doc;

void sh_cue_doc_init(sh_cue_doc *doc);
/* Free everything the document owns and zero it; NULL is allowed. */
void sh_cue_doc_free(sh_cue_doc *doc);
/* Append a cue (strings copied; id, translation may be NULL). Returns SH_OK
 * or SH_ERR_NOMEM. */
int sh_cue_doc_add(sh_cue_doc *doc, const char *id, double begin, double end, const char *text,
                   const char *translation, int line);
int sh_cue_doc_add_vocab(sh_cue_doc *doc, const char *word, const char *ipa, const char *meaning,
                         int line);

typedef enum sh_cue_format {
    SH_CUEFMT_UNKNOWN = 0,
    SH_CUEFMT_TEXT,   /* article text (cue init) */
    SH_CUEFMT_LRC,
    SH_CUEFMT_SRT,
    SH_CUEFMT_VTT,
    SH_CUEFMT_AENEAS,
} sh_cue_format;

/* "lrc", "srt", "vtt" (or "webvtt"), "aeneas" (or "json"), "text";
 * SH_CUEFMT_UNKNOWN otherwise. */
sh_cue_format sh_cue_format_from_name(const char *name);
const char *sh_cue_format_name(sh_cue_format f);
/* Guess a file's format from its name's extension, then its first bytes. */
sh_cue_format sh_cue_format_detect(const char *path, const char *data, size_t len);

/* Parsers. `name` names the input in diagnostics. Return SH_OK, or
 * SH_ERR_FORMAT when at least one error was added to `diag` (the document
 * then holds what could be read; free it either way), SH_ERR_TOO_LARGE,
 * SH_ERR_NOMEM. Warnings (e.g. an unknown LRC tag) do not fail. */

/* Article text: English paragraphs (Latin-script blocks of >= 4 words that
 * end a sentence), each paired with the following non-Latin paragraph as its
 * translation; a vocabulary list of "word [ipa]" lines followed by meaning
 * lines ("n. ...", "adj. ..."); a headline before the first paragraph as the
 * title. Everything else (menus, QR-code and app prompts, comment links) is
 * dropped: a note per dropped line goes to `diag`, and kept_lines /
 * dropped_lines count them. Cues get NAN times. */
int sh_seedtext_parse(const char *data, size_t len, const char *name, sh_cue_doc *out, sh_diag *diag);

/* LRC: [mm:ss], [mm:ss.xx], [mm:ss.xxx] stamps (several on one line repeat
 * it), [offset:+/-ms] (positive = earlier), ID tags (ti, ar, al, by, la...),
 * enhanced-LRC word stamps <mm:ss.xx> removed, bilingual "English | other"
 * or two lines with the same stamp. Only starts are known: each cue's end is
 * the next stamp (a stamp with no text ends the previous cue), the last
 * ends NAN (the caller puts the audio's end there). Cues are sorted by time. */
int sh_lrc_parse(const char *data, size_t len, const char *name, sh_cue_doc *out, sh_diag *diag);

/* SubRip: numbered blocks "hh:mm:ss,mmm --> hh:mm:ss,mmm" then text lines;
 * lines mostly in another script than Latin become the translation; <i>,
 * <b>, <font> and {\an8} markup is removed. The cue number becomes the id
 * "p<N>". */
int sh_srt_parse(const char *data, size_t len, const char *name, sh_cue_doc *out, sh_diag *diag);

/* WebVTT: "WEBVTT" header, NOTE / STYLE / REGION blocks skipped, optional
 * cue identifiers kept as ids, "[hh:]mm:ss.mmm --> [hh:]mm:ss.mmm" with cue
 * settings ignored, <v>, <c>, <i>... tags and timestamp tags removed, the
 * entities &amp; &lt; &gt; &nbsp; &lrm; &rlm; decoded. */
int sh_vtt_parse(const char *data, size_t len, const char *name, sh_cue_doc *out, sh_diag *diag);

/* aeneas sync map: {"fragments": [{"id", "begin": "0.000", "end": "2.680",
 * "lines": [...], "language"}, ...]}; times as strings or numbers; lines in
 * another script than Latin become the translation; empty fragments (the
 * aeneas head/tail) are skipped. */
int sh_aeneas_parse(const char *data, size_t len, const char *name, sh_cue_doc *out, sh_diag *diag);

/* Parse `data` as format `f` (not UNKNOWN). */
int sh_cue_parse(sh_cue_format f, const char *data, size_t len, const char *name, sh_cue_doc *out,
                 sh_diag *diag);

/* Writer flags. */
enum {
    SH_CUEFMT_BILINGUAL = 1u << 0, /* write translations too */
};

/* Writers: the document as a malloc'ed NUL-terminated string (caller frees),
 * or NULL when out of memory or a cue has no times (only TEXT-less formats
 * need times: every writer needs them). LRC writes [ti:]/[ar:] tags, one
 * "[mm:ss.xx]text" line per cue and an empty "[mm:ss.xx]" line where a cue
 * ends before the next begins (so ends survive a round trip); bilingual
 * lines as "text | translation". */
char *sh_cue_write(sh_cue_format f, const sh_cue_doc *doc, unsigned flags);

/* Helpers shared by the parsers, exposed for tests. */

/* Check UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF, no NUL).
 * Returns true when valid; otherwise *bad_line is the 1-based line of the
 * first bad byte. */
bool sh_cuefmt_utf8_valid(const char *data, size_t len, int *bad_line);
/* True when the text is mostly in a script other than Latin (Chinese,
 * Japanese, Korean, Cyrillic, Arabic...): its non-ASCII letters outnumber a
 * third of its letters. */
bool sh_cuefmt_is_foreign(const char *s);
/* Format seconds as a format's time stamp into buf: LRC "mm:ss.xx", SRT
 * "hh:mm:ss,mmm", VTT "hh:mm:ss.mmm". Returns buf. */
char *sh_cuefmt_time(sh_cue_format f, double seconds, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
