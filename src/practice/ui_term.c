/* The practice screen's terminal safety: see ui_session.h. */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/util.h"
#include "ui.h"
#include "ui_session.h"

volatile sig_atomic_t sh_ui_quit_signal;
int sh_ui_wake_pipe[2] = {-1, -1};
static struct termios saved_termios;
static volatile sig_atomic_t have_termios, screen_up;

static void on_quit_signal(int sig)
{
    int saved = errno;
    sh_ui_quit_signal = sig;
    if (sh_ui_wake_pipe[1] >= 0) {
        ssize_t r = write(sh_ui_wake_pipe[1], "q", 1);
        (void)r;
    }
    errno = saved;
}

static void on_fatal_signal(int sig)
{
    if (screen_up) {
        static const char reset[] = "\033[?1049l\033[?25h\033[0m\r\n";
        if (have_termios)
            tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
        ssize_t r = write(STDOUT_FILENO, reset, sizeof reset - 1);
        (void)r;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void restore_at_exit(void)
{
    if (screen_up) {
        endwin();
        screen_up = 0;
    }
}

int sh_ui_redirect_stderr(void)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    char *dir = sh_xdg_dir(SH_XDG_STATE);
    int fd = -1;
    if (dir && sh_mkdir_p(dir, NULL) == SH_OK) {
        char *log = sh_asprintf("%s/practice.log", dir);
        if (log)
            fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        free(log);
    }
    free(dir);
    if (fd < 0)
        fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
    return saved;
}

void sh_ui_restore_stderr(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_quit_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static void init_colors(void)
{
    if (!has_colors())
        return;
    start_color();
    use_default_colors();
    init_pair(SH_PAIR_HEADER, COLOR_WHITE, COLOR_BLUE);
    init_pair(SH_PAIR_VOCAB, COLOR_CYAN, -1);
    init_pair(SH_PAIR_GOOD, COLOR_GREEN, -1);
    init_pair(SH_PAIR_FAIR, COLOR_YELLOW, -1);
    init_pair(SH_PAIR_WEAK, COLOR_RED, -1);
    init_pair(SH_PAIR_REC, COLOR_RED, -1);
    init_pair(SH_PAIR_DIM, COLOR_BLUE, -1);
}

void sh_ui_term_start(void)
{
    if (tcgetattr(STDIN_FILENO, &saved_termios) == 0)
        have_termios = 1;
    install_signals();
    atexit(restore_at_exit);
    initscr();
    screen_up = 1;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    init_colors();
}

void sh_ui_term_end(void)
{
    if (screen_up) {
        endwin();
        screen_up = 0;
    }
}
