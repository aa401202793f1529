/* Before and while the practice screen comes up: the lesson's audio decodes
 * and every cue ends within it, as `check` reports it (see practice.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli.h"
#include "core/util.h"
#include "practice.h"
#include "shadowing/decode.h"

/* The problems, one line each (malloc'ed), or NULL when all is well. */
static char *check_audio(const sh_lesson *l)
{
    sh_error err = {0};
    sh_decoder *dec = NULL;
    sh_decoder_config dc = sh_decoder_config_init(16000);
    if (sh_gst_init(&err) != SH_OK || sh_decoder_open(sh_lesson_audio_path(l), &dc, &dec, &err) != SH_OK)
        return sh_asprintf("shadowing: %s\n", err.message);
    sh_diag *diag = sh_diag_new();
    int n = sh_lesson_check_cues_in_audio(l, 0, sh_lesson_cue_count(l), dec, SH_DIAG_ERROR, diag, NULL, &err);
    sh_decoder_close(dec);
    char *text = NULL;
    if (n < 0) {
        text = sh_asprintf("shadowing: %s\n", err.message);
    } else if (n > 0) {
        size_t len = 0, cap = 0;
        char line[2048];
        const sh_diag_entry *e;
        for (size_t i = 0; (e = sh_diag_get(diag, i)); i++) {
            sh_diag_format(e, line, sizeof line);
            size_t k = strlen(line);
            if (len + k + 2 > cap) {
                size_t c2 = (cap + k + 2) * 2;
                char *p = realloc(text, c2);
                if (!p)
                    break;
                text = p;
                cap = c2;
            }
            memcpy(text + len, line, k);
            len += k;
            text[len++] = '\n';
            text[len] = '\0';
        }
        if (!text)
            text = sh_asprintf("shadowing: %s: a cue ends after the end of the audio: run 'shadowing check %s'\n",
                               sh_lesson_path(l), sh_lesson_path(l));
    }
    sh_diag_free(diag);
    return text;
}

int sh_practice_check_audio(const sh_lesson *l)
{
    char *text = check_audio(l);
    if (!text)
        return 0;
    fputs(text, stderr);
    free(text);
    return 1;
}

struct sh_audio_check {
    const sh_lesson *lesson;
    int wake_fd;
    pthread_t thread;
    pthread_mutex_t lock;
    bool done;
    char *problems;
};

static void *check_main(void *arg)
{
    sh_audio_check *c = arg;
    char *text = check_audio(c->lesson);
    pthread_mutex_lock(&c->lock);
    c->problems = text;
    c->done = true;
    pthread_mutex_unlock(&c->lock);
    if (c->wake_fd >= 0) {
        char b = 'c';
        ssize_t w = write(c->wake_fd, &b, 1); /* a full pipe already wakes the loop */
        (void)w;
    }
    return NULL;
}

sh_audio_check *sh_practice_check_audio_start(const sh_lesson *l, int wake_fd)
{
    sh_audio_check *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->lesson = l;
    c->wake_fd = wake_fd;
    pthread_mutex_init(&c->lock, NULL);
    if (pthread_create(&c->thread, NULL, check_main, c) != 0) {
        pthread_mutex_destroy(&c->lock);
        free(c);
        return NULL;
    }
    return c;
}

bool sh_practice_check_audio_done(sh_audio_check *c, const char **problems)
{
    pthread_mutex_lock(&c->lock);
    bool done = c->done;
    *problems = done ? c->problems : NULL;
    pthread_mutex_unlock(&c->lock);
    return done;
}

void sh_practice_check_audio_free(sh_audio_check *c)
{
    if (!c)
        return;
    pthread_join(c->thread, NULL);
    pthread_mutex_destroy(&c->lock);
    free(c->problems);
    free(c);
}
