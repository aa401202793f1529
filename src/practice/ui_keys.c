/* The practice screen: drawing it all from the session's state, the
 * go-to prompt and the keys (each key is one session event). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui.h"
#include "ui_session.h"

void sh_ui_draw_screen(ui *u)
{
    erase();
    int rows = LINES, cols = COLS;
    if (rows < MIN_ROWS || cols < MIN_COLS) {
        mvaddstr(0, 0, "shadowing: the window is too small");
        char b[64];
        snprintf(b, sizeof b, "need %dx%d, have %dx%d", MIN_COLS, MIN_ROWS, cols, rows);
        mvaddstr(1, 0, b);
        mvaddstr(2, 0, "enlarge it, or q to quit");
        refresh();
        return;
    }
    sh_ui_view v;
    memset(&v, 0, sizeof v);
    v.s = &u->s;
    v.ctx = &u->ctx;
    v.status = u->status;
    v.status_error = u->status_error;
    if (u->playing) {
        sh_play_status ps;
        sh_audio_play_status(u->audio, &ps);
        v.play_active = ps.active;
        v.play_paused = ps.paused;
        v.play_pos_s = ps.position_s;
        v.play_len_s = ps.length_s;
        v.play_loop = ps.loop;
        v.play_loops = ps.loops;
        v.play_is_take = u->play_is_take;
        /* the rendered buffer is in stretched time: show lesson time */
        v.play_pos_s = v.play_pos_s * (u->play_speed_pct / 100.0) + u->play_offset_s;
        v.play_len_s = v.play_len_s * (u->play_speed_pct / 100.0) + u->play_offset_s;
    }
    if (u->recording) {
        sh_record_status rs;
        sh_audio_record_status(u->audio, &rs);
        v.rec_active = rs.active;
        v.rec_seconds = rs.seconds;
        v.rec_level_db = rs.level_db;
        v.rec_clips = (unsigned long)rs.clips;
        v.rec_max_s = u->rec_max_s;
    }
    scored *sc = sh_ui_slot(u, u->shown_seq);
    if (u->s.has_score && u->shown_seq && sc->seq == u->shown_seq && sc->valid && sc->cue == u->s.cue)
        v.score = &sc->score;

    int row = sh_ui_draw_header(&v, 0, cols);
    row = sh_ui_draw_meters(&v, row, cols);
    row++;
    int card_rows = v.score ? 3 + v.score->n_feedback : 0;
    int bottom = rows - 3; /* status, strip, keys */
    row = sh_ui_draw_text(&v, row, bottom - card_rows - 1, cols);
    if (v.score)
        sh_ui_draw_card(&v, bottom - card_rows, bottom, cols);
    move(rows - 3, 0);
    clrtoeol();
    if (u->prompt) {
        mvaddstr(rows - 3, 1, "Go to paragraph (number or id, Enter/Esc): ");
        addstr(u->prompt_buf);
    } else if (u->status[0]) {
        if (u->status_error)
            attron(COLOR_PAIR(SH_PAIR_WEAK) | A_BOLD);
        move(rows - 3, 1);
        sh_ui_put(u->status, strlen(u->status), cols - 2);
        if (u->status_error)
            attroff(COLOR_PAIR(SH_PAIR_WEAK) | A_BOLD);
    }
    sh_ui_draw_strip(&v, rows - 2, cols);
    attron(A_REVERSE);
    move(rows - 1, 0);
    for (int x = 0; x < cols; x++)
        addch(' ');
    const char *keys = " space pause  Enter step  n/p next/prev  r record  a/b take/ref  [ ] speed  t text  ? help  q quit";
    move(rows - 1, 0);
    sh_ui_put(keys, strlen(keys), cols);
    attroff(A_REVERSE);
    if (u->s.help)
        sh_ui_draw_help(rows, cols);
    refresh();
}

static void prompt_key(ui *u, int ch)
{
    size_t len = strlen(u->prompt_buf);
    if (ch == 27) {
        u->prompt = false;
    } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        u->prompt = false;
        const sh_cue *q = sh_lesson_find_cue(u->ctx.lesson, u->prompt_buf);
        if (!q) {
            sh_ui_status(u, true, "no paragraph '%s' (1-%zu)", u->prompt_buf, u->ctx.ncues);
            return;
        }
        sh_session_event ev = {.type = SH_EV_KEY, .key = SH_KEY_GOTO, .cue = (size_t)q->index - 1};
        sh_ui_events(u, &ev);
    } else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len > 0) {
        u->prompt_buf[len - 1] = 0;
    } else if (ch > 32 && ch < 127 && len + 1 < sizeof u->prompt_buf) {
        u->prompt_buf[len] = (char)ch;
        u->prompt_buf[len + 1] = 0;
    }
}

void sh_ui_on_key(ui *u, int ch)
{
    if (u->prompt) {
        prompt_key(u, ch);
        return;
    }
    if (u->s.help && ch != '?' && ch != 'q') {
        u->s.help = false; /* any key closes the help */
        return;
    }
    switch (ch) {
    case ' ': sh_ui_key(u, SH_KEY_PAUSE); break;
    case KEY_LEFT: case 'p': sh_ui_key(u, SH_KEY_PREV); break;
    case KEY_RIGHT: case 'n': sh_ui_key(u, SH_KEY_NEXT); break;
    case '\n': case '\r': case KEY_ENTER: sh_ui_key(u, SH_KEY_STEP); break;
    case 'r': sh_ui_key(u, SH_KEY_RECORD); break;
    case 'a': sh_ui_key(u, SH_KEY_MY_TAKE); break;
    case 'b': sh_ui_key(u, SH_KEY_REFERENCE); break;
    case 'l': sh_ui_key(u, SH_KEY_LOOPS); break;
    case '[': sh_ui_key(u, SH_KEY_SLOWER); break;
    case ']': sh_ui_key(u, SH_KEY_FASTER); break;
    case 't': sh_ui_key(u, SH_KEY_TRANSLATION); break;
    case 'v': sh_ui_key(u, SH_KEY_VOCABULARY); break;
    case 'm':
        sh_ui_key(u, SH_KEY_MODE);
        sh_ui_status(u, false, u->s.mode == SH_MODE_SHADOW ? "Shadow mode: use headphones, Enter to start"
                                                          : "Mode: %s, Enter to start",
                   sh_practice_mode_name(u->s.mode));
        break;
    case 'g':
        u->prompt = true;
        u->prompt_buf[0] = 0;
        break;
    case '?': sh_ui_key(u, SH_KEY_HELP); break;
    case 'q': case 'Q': sh_ui_key(u, SH_KEY_QUIT); break;
    case 12: /* Ctrl-L */ clearok(curscr, TRUE); break;
    default: break;
    }
}
