/* libFuzzer entry point for the lesson parser (pure: no I/O, no globals).
 * Build with clang -fsanitize=fuzzer,address against libshadowing; the
 * harness build belongs to the fuzzers option (meson_options.txt).
 * Invariants checked: no crash, leak or over-read on any input; a lesson
 * that loads saves to JSON that loads back to the same JSON; after edits
 * chosen by the input's bytes (insert, remove, move, retext: the lesson
 * updates its model in place, issue 10), the model reads as a reload of
 * the edited lesson does. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

#include "shadowing/lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_time(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* The edited lesson's model equals a fresh load of its JSON. */
static void check_model(const sh_lesson *l)
{
    char *j = sh_lesson_to_json(l);
    if (!j)
        return;
    sh_lesson *r = NULL;
    if (sh_lesson_parse(j, strlen(j), "edited.json", SH_LESSON_ALLOW_UNTIMED, &r, NULL) != SH_OK) {
        if (sh_lesson_cue_count(l) == 0) { /* a lesson with no cues is only valid while being made */
            free(j);
            return;
        }
        abort();
    }
    if (sh_lesson_cue_count(l) != sh_lesson_cue_count(r) || sh_lesson_vocab_count(l) != sh_lesson_vocab_count(r))
        abort();
    for (size_t i = 0; i < sh_lesson_cue_count(r); i++) {
        const sh_cue *a = sh_lesson_cue(l, i), *b = sh_lesson_cue(r, i);
        if (strcmp(a->id, b->id) != 0 || a->index != b->index || !same_time(a->begin, b->begin) ||
            !same_time(a->end, b->end) || !same_str(a->text, b->text) || !same_str(a->translation, b->translation) ||
            !same_str(a->notes, b->notes) || a->loops != b->loops || sh_lesson_find_cue(l, a->id) != a)
            abort();
    }
    sh_lesson_free(r);
    free(j);
}

/* Edits chosen by the input's bytes (from its end, so that they vary
 * independently of the JSON's beginning). */
static void edit(sh_lesson *l, const uint8_t *data, size_t size)
{
    size_t k = size;
    for (int step = 0; step < 8 && k >= 2; step++) {
        uint8_t op = data[--k], arg = data[--k];
        size_t n = sh_lesson_cue_count(l), at = n ? arg % n : 0;
        switch (op % 5) {
        case 0: (void)sh_lesson_insert_cue(l, arg % (n + 1), op & 8 ? "p2" : NULL, "Inserted.", NULL, NAN, NAN); break;
        case 1: (void)sh_lesson_remove_cue(l, at); break;
        case 2:
            if (n && !isnan(sh_lesson_cue(l, at)->begin))
                (void)sh_lesson_set_cue_times(l, at, sh_lesson_cue(l, at)->begin + arg / 100.0, NAN);
            break;
        case 3: (void)sh_lesson_set_cue_text(l, at, "Changed.", op & 16 ? "" : "改"); break;
        default: (void)sh_lesson_add_vocab(l, "word", op & 32 ? "/w/" : NULL, NULL); break;
        }
        check_model(l);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sh_diag *d = sh_diag_new();
    sh_lesson *l = NULL;
    if (sh_lesson_parse((const char *)data, size, "fuzz.json", SH_LESSON_ALLOW_UNTIMED, &l, d) == SH_OK) {
        char *j = sh_lesson_to_json(l);
        if (j) {
            sh_lesson *r = NULL;
            if (sh_lesson_parse(j, strlen(j), "again.json", SH_LESSON_ALLOW_UNTIMED, &r, NULL) != SH_OK)
                abort();
            char *j2 = sh_lesson_to_json(r);
            if (j2 && strcmp(j, j2) != 0)
                abort();
            free(j2);
            sh_lesson_free(r);
            free(j);
        }
        edit(l, data, size);
    }
    sh_lesson_free(l);
    sh_diag_free(d);
    return 0;
}
