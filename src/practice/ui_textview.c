/* The paragraph: English text word-wrapped with vocabulary words
 * highlighted, the translation below (toggle), the vocabulary list
 * (toggle). */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define MAX_LINES 64

/* Draw text wrapped into [row, max_row) with a left margin; marks (may be
 * NULL) select bytes drawn with `mark_attr`. Returns the next row. */
static int draw_wrapped(const char *text, const unsigned char *marks, int row, int max_row, int cols,
                        int attr, int mark_attr)
{
    sh_wrap_line lines[MAX_LINES];
    int width = cols - 4;
    size_t n = sh_wrap_text(text, width, lines, MAX_LINES);
    if (n > MAX_LINES)
        n = MAX_LINES;
    for (size_t i = 0; i < n && row < max_row; i++, row++) {
        move(row, 0);
        clrtoeol();
        move(row, 2);
        size_t b = lines[i].begin;
        while (b < lines[i].end) {
            /* one run of equal marking */
            size_t e = b;
            int m = marks ? marks[b] : 0;
            while (e < lines[i].end && (marks ? marks[e] : 0) == m)
                e++;
            int a = m ? mark_attr : attr;
            attron(a);
            int x = getcurx(stdscr);
            sh_ui_put(text + b, e - b, cols - 2 - x);
            attroff(a);
            b = e;
        }
    }
    return row;
}

int sh_ui_draw_text(const sh_ui_view *v, int row, int max_row, int cols)
{
    const sh_lesson *l = v->ctx->lesson;
    const sh_cue *q = sh_lesson_cue(l, v->s->cue);
    if (!q)
        return row;
    size_t nv = sh_lesson_vocab_count(l);
    const char **words = calloc(nv ? nv : 1, sizeof *words);
    unsigned char *marks = malloc(strlen(q->text) + 1);
    if (words && marks) {
        for (size_t i = 0; i < nv; i++)
            words[i] = sh_lesson_vocab(l, i)->word;
        sh_mark_vocabulary(q->text, words, nv, marks);
    }
    row = draw_wrapped(q->text, words && marks ? marks : NULL, row, max_row, cols, A_BOLD,
                       A_BOLD | A_UNDERLINE | COLOR_PAIR(SH_PAIR_VOCAB));
    if (v->s->translation && q->translation && row + 1 < max_row) {
        row++;
        row = draw_wrapped(q->translation, NULL, row, max_row, cols, COLOR_PAIR(SH_PAIR_DIM), 0);
    }
    if (v->s->vocabulary && row + 1 < max_row) {
        row++;
        /* the words of this paragraph, then a hint when there are none */
        int shown = 0;
        for (size_t i = 0; i < nv && row < max_row; i++) {
            const sh_vocab_entry *e = sh_lesson_vocab(l, i);
            const char *one[1] = {e->word};
            if (!sh_mark_vocabulary(q->text, one, 1, marks))
                continue;
            move(row, 2);
            clrtoeol();
            attron(COLOR_PAIR(SH_PAIR_VOCAB) | A_BOLD);
            sh_ui_put(e->word, strlen(e->word), cols - 4);
            attroff(COLOR_PAIR(SH_PAIR_VOCAB) | A_BOLD);
            if (e->ipa) {
                addstr("  ");
                sh_ui_put(e->ipa, strlen(e->ipa), cols - 2 - getcurx(stdscr));
            }
            if (e->meaning) {
                addstr("  ");
                sh_ui_put(e->meaning, strlen(e->meaning), cols - 2 - getcurx(stdscr));
            }
            row++;
            shown++;
        }
        if (!shown && row < max_row)
            mvaddstr(row++, 2, "(no vocabulary words in this paragraph)");
    }
    free(words);
    free(marks);
    return row;
}
