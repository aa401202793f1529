/* Internal to src/practice: the practice screen's pieces. Text layout
 * (ui_text.c) is pure and unit-tested; the drawing files take a read-only
 * view of the session and draw one part of the screen each. */
#ifndef SH_PRACTICE_UI_H
#define SH_PRACTICE_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "practice.h"
#include "shadowing/session.h"

/* ---- text layout (ui_text.c, pure) -------------------------------------- */

/* One wrapped line: bytes [begin, end) of the text, `cols` terminal columns. */
typedef struct sh_wrap_line {
    size_t begin, end;
    int cols;
} sh_wrap_line;

/* Word-wrap UTF-8 `text` to `width` columns, measuring with wcwidth (CJK
 * and other wide characters take 2 columns; scripts without spaces break
 * between any two wide characters; a word longer than the width is broken).
 * Spaces at the break are dropped; '\n' forces a break. Writes up to `cap`
 * lines and returns how many there are (more than cap: out was too small).
 * Invalid UTF-8 bytes count one column each. Needs an UTF-8 LC_CTYPE for
 * wcwidth; in the C locale every non-ASCII character counts one column. */
size_t sh_wrap_text(const char *text, int width, sh_wrap_line *out, size_t cap);

/* Terminal columns of `n` bytes of UTF-8. */
int sh_text_columns(const char *s, size_t n);

/* Marks the bytes of `text` that belong to a vocabulary word (case-
 * insensitive ASCII match at word boundaries; "a lot of" style phrases
 * match too; a word also matches with a plural/verb ending s/es/ed/ing).
 * mark[0..strlen(text)) receives 1 inside a match, else 0. Returns the
 * number of matches. */
size_t sh_mark_vocabulary(const char *text, const char *const *words, size_t nwords, unsigned char *mark);

/* ---- the view every drawing function reads (ui_main.c fills it) --------- */
typedef struct sh_ui_view {
    const sh_session *s;
    const sh_practice_ctx *ctx;
    const char *status;          /* one line: what happens, an error, a hint */
    bool status_error;
    /* playback */
    bool play_active, play_paused;
    double play_pos_s, play_len_s; /* in the lesson's own time */
    int play_loop, play_loops;
    bool play_is_take;
    /* recording */
    bool rec_active;
    double rec_seconds, rec_max_s;
    float rec_level_db;
    unsigned long rec_clips;
    /* last score of the current paragraph (NULL: none) */
    const sh_practice_score *score;
    /* go-to prompt */
    bool prompt;
    const char *prompt_text;
    const char *audio_desc;
} sh_ui_view;

/* Drawing (each in its own file, ncursesw). Row arguments are screen rows;
 * each returns the next free row. */
int sh_ui_draw_header(const sh_ui_view *v, int row, int cols);
int sh_ui_draw_text(const sh_ui_view *v, int row, int max_row, int cols);
int sh_ui_draw_meters(const sh_ui_view *v, int row, int cols);
int sh_ui_draw_card(const sh_ui_view *v, int row, int max_row, int cols);
void sh_ui_draw_strip(const sh_ui_view *v, int row, int cols);
void sh_ui_draw_help(int rows, int cols);
/* Write `n` bytes of UTF-8 at the cursor, clipped to `maxcols` columns. */
void sh_ui_put(const char *s, size_t n, int maxcols);

/* Colour pairs (set up by ui_main.c when the terminal has colours). */
enum { SH_PAIR_HEADER = 1, SH_PAIR_VOCAB, SH_PAIR_GOOD, SH_PAIR_FAIR, SH_PAIR_WEAK, SH_PAIR_REC, SH_PAIR_DIM };

#endif
