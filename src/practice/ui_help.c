/* The help overlay (every key) and the clipped UTF-8 writer. */
#include <curses.h>
#include <string.h>

#include "ui.h"

void sh_ui_put(const char *s, size_t n, int maxcols)
{
    /* addnstr takes bytes; cut at the last character that still fits. */
    size_t used = 0;
    int cols = 0;
    while (used < n) {
        size_t len = 1;
        unsigned char c = (unsigned char)s[used];
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        if (used + len > n)
            break;
        int w = sh_text_columns(s + used, len);
        if (cols + w > maxcols)
            break;
        cols += w;
        used += len;
    }
    if (used)
        addnstr(s, (int)used);
}

static const char *const help_lines[] = {
    "Keys",
    "",
    "space        pause / resume; stop recording",
    "Enter        next step (play, record, score, next)",
    "n  right     next paragraph",
    "p  left      previous paragraph",
    "g            go to paragraph (type its number)",
    "r            record (again) now",
    "a            play my last take",
    "b            play the reference",
    "m            mode: repeat, shadow, loop, review",
    "l            loop count 1 2 3 5 10 endless",
    "[  ]         speed -/+ 0.05 (0.50 - 1.50)",
    "t            translation on/off",
    "v            vocabulary list on/off",
    "?            this help",
    "q            quit",
    "",
    "Shadow mode records while playing: use headphones.",
};

void sh_ui_draw_help(int rows, int cols)
{
    int n = (int)(sizeof help_lines / sizeof help_lines[0]);
    int w = 56 < cols - 2 ? 56 : cols - 2, h = n + 2 < rows - 2 ? n + 2 : rows - 2;
    int y0 = (rows - h) / 2, x0 = (cols - w) / 2;
    for (int y = 0; y < h; y++) {
        move(y0 + y, x0);
        for (int x = 0; x < w; x++)
            addch(' ');
    }
    attron(A_BOLD);
    mvaddch(y0, x0, ACS_ULCORNER);
    mvhline(y0, x0 + 1, ACS_HLINE, w - 2);
    mvaddch(y0, x0 + w - 1, ACS_URCORNER);
    mvvline(y0 + 1, x0, ACS_VLINE, h - 2);
    mvvline(y0 + 1, x0 + w - 1, ACS_VLINE, h - 2);
    mvaddch(y0 + h - 1, x0, ACS_LLCORNER);
    mvhline(y0 + h - 1, x0 + 1, ACS_HLINE, w - 2);
    mvaddch(y0 + h - 1, x0 + w - 1, ACS_LRCORNER);
    attroff(A_BOLD);
    for (int i = 0; i < n && i < h - 2; i++) {
        move(y0 + 1 + i, x0 + 2);
        if (i == 0)
            attron(A_BOLD);
        sh_ui_put(help_lines[i], strlen(help_lines[i]), w - 4);
        if (i == 0)
            attroff(A_BOLD);
    }
}
