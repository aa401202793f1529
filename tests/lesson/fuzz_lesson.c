/* libFuzzer entry point for the lesson parser (pure: no I/O, no globals).
 * Build with clang -fsanitize=fuzzer,address against libshadowing; the
 * harness build belongs to the fuzzers option (meson_options.txt).
 * Invariants checked: no crash, leak or over-read on any input; a lesson
 * that loads saves to JSON that loads back to the same JSON. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    }
    sh_lesson_free(l);
    sh_diag_free(d);
    return 0;
}
