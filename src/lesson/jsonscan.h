/* A small, pure JSON scanner that runs before cJSON.
 *
 * cJSON builds the tree but says nothing about where a value was in the
 * text (and only a byte offset for syntax errors). This scanner walks the
 * same text once and:
 *   - rejects invalid UTF-8, pointing at the first bad byte;
 *   - enforces a nesting limit before cJSON recurses (cJSON's own limit,
 *     CJSON_NESTING_LIMIT, is 1000: far too deep for us);
 *   - enforces a limit on the number of values before cJSON allocates one
 *     item (about 64 bytes) per value, so that a hostile file of millions
 *     of tiny values ("[0,0,0,...") cannot cost a gigabyte;
 *   - reports syntax errors with a message a teacher can act on ("JSON has
 *     no comments", "trailing comma before ']'", ...) instead of an offset;
 *   - records where each value starts (line, column, byte range) for the
 *     first `record_depth` levels, in pre-order, so that the validator can
 *     walk cJSON's tree and this node list side by side: child k of a cJSON
 *     object or array is child k here, because both keep members in order
 *     (cJSON keeps duplicate keys as separate members too).
 *
 * Lines are 1-based and split at '\n'. Columns are 1-based and count
 * Unicode characters (code points), not bytes: a tab is one column and a
 * CJK character is one column. A UTF-8 byte order mark at the start is
 * skipped and not counted. UTF-16 text (sh_text_utf16) is refused in one
 * message that says so.
 *
 * Pure: no I/O, no globals (safe to fuzz).
 */
#ifndef SH_LESSON_JSONSCAN_H
#define SH_LESSON_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SH_JNONE UINT32_MAX /* "no node" */

typedef enum sh_jtype {
    SH_J_NULL, SH_J_FALSE, SH_J_TRUE, SH_J_NUMBER, SH_J_STRING, SH_J_ARRAY, SH_J_OBJECT
} sh_jtype;

typedef struct sh_jnode {
    uint32_t off, len;          /* the value's bytes in the text */
    uint32_t line, col;         /* where the value starts */
    uint32_t key_line, key_col; /* where its key starts (object members), else 0 */
    uint32_t next;              /* index of the first node after this subtree */
    uint32_t nkids;             /* number of members/elements (recorded or not) */
    uint8_t type;               /* sh_jtype */
    bool kids_recorded;         /* false below record_depth */
} sh_jnode;

typedef struct sh_jscan {
    sh_jnode *nodes; /* pre-order; nodes[0] is the top-level value */
    size_t n, cap;
    /* On failure: */
    bool nomem;
    uint32_t err_line, err_col; /* 1-based */
    size_t err_off;
    char err_msg[256];
} sh_jscan;

/* Scan `text` (len bytes; a leading BOM is allowed). Returns true when the
 * text is one valid JSON value (with optional surrounding whitespace) in
 * valid UTF-8, nested at most `max_depth` deep, made of at most
 * `max_values` values (every object, array, string, number, true, false and
 * null counts, keys do not; 0 = no limit). On false, err_* say where and why
 * (or nomem is set); past the value limit the error is at the first value
 * too many, and at most `max_values` nodes were ever allocated. Free with
 * sh_jscan_free either way. */
bool sh_json_scan(const char *text, size_t len, int max_depth, size_t max_values, int record_depth,
                  sh_jscan *out);
/* The same for a JSON file that is not a lesson: `what` names it in the
 * messages ("an aeneas sync map"; NULL: a lesson), and a file that ends
 * early is reported as most likely cut off. */
bool sh_json_scan_as(const char *text, size_t len, const char *what, int max_depth, size_t max_values,
                     int record_depth, sh_jscan *out);
void sh_jscan_free(sh_jscan *s);

/* Line and column (as above) of byte `off` in `text`. */
void sh_json_linecol(const char *text, size_t len, size_t off, int *line, int *col);

/* First child of node `i` (SH_JNONE if none recorded), and the sibling after
 * child `c` within parent `i`'s subtree (SH_JNONE after the last). */
uint32_t sh_jnode_first(const sh_jscan *s, uint32_t i);
uint32_t sh_jnode_next(const sh_jscan *s, uint32_t parent, uint32_t c);

#endif
