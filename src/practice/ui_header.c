/* The header line: title, paragraph n/N, mode, loops, speed. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

int sh_ui_draw_header(const sh_ui_view *v, int row, int cols)
{
    const sh_session *s = v->s;
    char right[160], loops[16];
    if (s->loops == 0)
        snprintf(loops, sizeof loops, "inf");
    else
        snprintf(loops, sizeof loops, "%d", s->loops);
    /* Without a history the learner should know all along that nothing
     * is kept (it was said once in the status line). */
    snprintf(right, sizeof right, " paragraph %zu/%zu | %s | loops %s | speed %.2fx%s ", s->cue + 1,
             s->cfg.cues, sh_practice_mode_name(s->mode), loops, s->speed_pct / 100.0,
             v->ctx->history_off ? " | no history" : "");
    int rcols = (int)strlen(right);
    attron(A_REVERSE | A_BOLD);
    move(row, 0);
    for (int x = 0; x < cols; x++)
        addch(' ');
    move(row, 1);
    const char *title = sh_lesson_title(v->ctx->lesson);
    sh_ui_put(title, strlen(title), cols - rcols - 2);
    if (rcols < cols)
        mvaddstr(row, cols - rcols, right);
    attroff(A_REVERSE | A_BOLD);
    return row + 1;
}
