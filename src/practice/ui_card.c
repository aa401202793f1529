/* The score card: total and verdict, sub-scores, feedback, and the two
 * envelopes (reference above, take below) as one line each. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

static int pair_for(int score)
{
    return score >= 75 ? SH_PAIR_GOOD : score >= 50 ? SH_PAIR_FAIR : SH_PAIR_WEAK;
}

int sh_ui_draw_card(const sh_ui_view *v, int row, int max_row, int cols)
{
    const sh_practice_score *sc = v->score;
    if (!sc || row >= max_row)
        return row;
    char buf[256];
    move(row, 0);
    clrtoeol();
    move(row, 2);
    attron(A_BOLD | COLOR_PAIR(pair_for(sc->total)));
    snprintf(buf, sizeof buf, "Score %d", sc->total);
    addstr(buf);
    attroff(A_BOLD | COLOR_PAIR(pair_for(sc->total)));
    snprintf(buf, sizeof buf, "  %s  ", sc->verdict);
    addstr(buf);
    for (int i = 0; i < SH_PS_SUBS; i++) {
        snprintf(buf, sizeof buf, " %s %d", sh_practice_sub_name(i), sc->sub[i]);
        if (getcurx(stdscr) + (int)strlen(buf) >= cols)
            break;
        addstr(buf);
    }
    row++;
    for (int i = 0; i < sc->n_feedback && row < max_row; i++, row++) {
        move(row, 0);
        clrtoeol();
        move(row, 4);
        sh_ui_put(sc->feedback[i], strlen(sc->feedback[i]), cols - 6);
    }
    if (row < max_row) {
        move(row, 0);
        clrtoeol();
        mvaddstr(row, 2, "ref ");
        attron(COLOR_PAIR(SH_PAIR_DIM));
        sh_ui_put(sc->ref_spark, strlen(sc->ref_spark), cols - 8);
        attroff(COLOR_PAIR(SH_PAIR_DIM));
        row++;
    }
    if (row < max_row) {
        move(row, 0);
        clrtoeol();
        mvaddstr(row, 2, "you ");
        attron(COLOR_PAIR(pair_for(sc->total)));
        sh_ui_put(sc->take_spark, strlen(sc->take_spark), cols - 8);
        attroff(COLOR_PAIR(pair_for(sc->total)));
        row++;
    }
    return row;
}
