/* The lesson strip: best score per paragraph so far, the current one marked. */
#include <curses.h>
#include <math.h>
#include <stdio.h>

#include "ui.h"

static int pair_for(double score)
{
    return score >= 75 ? SH_PAIR_GOOD : score >= 50 ? SH_PAIR_FAIR : SH_PAIR_WEAK;
}

void sh_ui_draw_strip(const sh_ui_view *v, int row, int cols)
{
    const sh_practice_ctx *c = v->ctx;
    size_t cur = v->s->cue;
    move(row, 0);
    clrtoeol();
    mvaddstr(row, 0, " best:");
    int x = 6;
    const int cell = 5; /* "[ 78]" or "  -- " */
    size_t fit = cols > x ? (size_t)(cols - x) / cell : 0;
    /* keep the current paragraph visible on long lessons */
    size_t first = cur >= fit / 2 ? cur - fit / 2 : 0;
    if (first + fit > c->ncues)
        first = c->ncues > fit ? c->ncues - fit : 0;
    for (size_t i = first; i < c->ncues && i < first + fit; i++) {
        char buf[8];
        double b = c->best[i];
        if (isnan(b))
            snprintf(buf, sizeof buf, " --");
        else
            snprintf(buf, sizeof buf, "%3.0f", b);
        move(row, x);
        addch(i == cur ? '[' : ' ');
        int attr = isnan(b) ? COLOR_PAIR(SH_PAIR_DIM) : COLOR_PAIR(pair_for(b));
        if (i == cur)
            attr |= A_BOLD;
        attron(attr);
        addstr(buf);
        attroff(attr);
        addch(i == cur ? ']' : ' ');
        x += cell;
    }
}
