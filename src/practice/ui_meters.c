/* The state line: playback progress with time, or the live input level
 * while recording. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"

static void bar(int width, double frac, chtype fill)
{
    if (width < 1)
        return;
    if (!(frac >= 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    int on = (int)lround(frac * width);
    addch('[');
    for (int i = 0; i < width; i++)
        addch(i < on ? fill : ' ');
    addch(']');
}

static void mmss(double s, char *buf, size_t n)
{
    if (!(s >= 0))
        s = 0;
    snprintf(buf, n, "%02d:%04.1f", (int)(s / 60), fmod(s, 60));
}

int sh_ui_draw_meters(const sh_ui_view *v, int row, int cols)
{
    const sh_session *s = v->s;
    char left[96], right[64];
    move(row, 0);
    clrtoeol();
    if (v->rec_active || s->state == SH_ST_RECORDING) {
        /* -60..0 dBFS across the bar: speech sits around -30..-10 */
        double frac = (v->rec_level_db + 60.0) / 60.0;
        snprintf(left, sizeof left, " REC %5.1f s ", v->rec_seconds);
        snprintf(right, sizeof right, " %4.0f dB%s", v->rec_level_db > -100 ? v->rec_level_db : -100.0,
                 v->rec_clips ? "  CLIP" : "");
        attron(COLOR_PAIR(SH_PAIR_REC) | A_BOLD);
        mvaddstr(row, 0, left);
        attroff(COLOR_PAIR(SH_PAIR_REC) | A_BOLD);
        int w = cols - (int)strlen(left) - (int)strlen(right) - 3;
        bar(w > 40 ? 40 : w, frac, '#');
        addstr(right);
    } else if (v->play_active || s->state == SH_ST_PLAYING || s->state == SH_ST_LOOPING ||
               s->state == SH_ST_REVIEWING || s->state == SH_ST_BEEP) {
        char pos[16], len[16], loop[32] = "";
        mmss(v->play_pos_s, pos, sizeof pos);
        mmss(v->play_len_s, len, sizeof len);
        if (s->state == SH_ST_LOOPING) {
            if (v->play_loops)
                snprintf(loop, sizeof loop, "  loop %d/%d", v->play_loop + 1, v->play_loops);
            else
                snprintf(loop, sizeof loop, "  loop %d", v->play_loop + 1);
        }
        const char *what = s->state == SH_ST_BEEP ? "your turn" : v->play_is_take ? "my take" : "reference";
        snprintf(left, sizeof left, " %s %s ", v->play_paused ? "||" : ">", what);
        snprintf(right, sizeof right, " %s / %s%s", pos, len, loop);
        mvaddstr(row, 0, left);
        int w = cols - (int)strlen(left) - (int)strlen(right) - 3;
        bar(w > 50 ? 50 : w, v->play_len_s > 0 ? v->play_pos_s / v->play_len_s : 0, '=');
        addstr(right);
    } else if (s->state == SH_ST_SCORING) {
        mvaddstr(row, 0, " scoring...");
    } else {
        attron(COLOR_PAIR(SH_PAIR_DIM));
        static const char *const hint[SH_MODE_COUNT_] = {
            " Enter: listen, then repeat   r: record now   ?: keys",
            " Enter: speak along with the speaker (headphones!)   ?: keys",
            " Enter: loop the paragraph   l: loop count   ?: keys",
            " Enter: my take, then the speaker   ?: keys",
        };
        mvaddstr(row, 0, s->finished    ? " lesson finished: g to go to a paragraph, q to quit"
                         : s->step_done ? " Enter: next paragraph   r: record   b: hear it again   ?: keys"
                                        : hint[s->mode]);
        attroff(COLOR_PAIR(SH_PAIR_DIM));
    }
    return row + 1;
}
