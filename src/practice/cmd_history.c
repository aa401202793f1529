/* `shadowing history LESSON [--json|--csv]`: attempts, best and latest per
 * paragraph, and the trend (mean score per day). */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cli.h"
#include "core/util.h"
#include "practice.h"

extern const sh_command sh_cmd_history;

typedef struct row {
    int64_t id, time_ms;
    char *cue, *mode, *verdict, *take;
    int index;
    double speed, total, sub[5];
} row;

typedef struct rows {
    row *v;
    size_t n, cap;
    bool oom;
} rows;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int collect(void *user, const sh_attempt *a)
{
    rows *r = user;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        row *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            r->oom = true;
            return 1;
        }
        r->v = v;
        r->cap = cap;
    }
    row *w = &r->v[r->n++];
    *w = (row){.id = a->id, .time_ms = a->time_ms, .cue = dup_or_null(a->cue_id), .mode = dup_or_null(a->mode),
               .verdict = dup_or_null(a->verdict), .take = dup_or_null(a->take), .index = a->cue_index,
               .speed = a->speed, .total = a->total,
               .sub = {a->duration, a->energy, a->completeness, a->pauses, a->level}};
    return 0;
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].cue);
        free(r->v[i].mode);
        free(r->v[i].verdict);
        free(r->v[i].take);
    }
    free(r->v);
}

/* A time the calendar cannot show (a hand-edited time_ms) prints as "?". */
static void time_of(int64_t ms, char buf[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
        snprintf(buf, 32, "?");
}

static void day_of(int64_t ms, char buf[16])
{
    char t[32];
    time_of(ms, t);
    snprintf(buf, 16, "%.10s", t);
}

/* Days in order with their attempt count and mean score (rows are sorted by time). */
typedef struct day {
    char date[16];
    int attempts;
    double sum;
} day;

static day *trend(const rows *r, size_t *n)
{
    day *d = calloc(r->n ? r->n : 1, sizeof *d);
    *n = 0;
    if (!d)
        return NULL;
    for (size_t i = 0; i < r->n; i++) {
        char date[16];
        day_of(r->v[i].time_ms, date);
        if (*n == 0 || strcmp(d[*n - 1].date, date) != 0)
            snprintf(d[(*n)++].date, sizeof d->date, "%s", date);
        d[*n - 1].attempts++;
        d[*n - 1].sum += r->v[i].total;
    }
    return d;
}

typedef struct cues {
    sh_cue_summary *v;
    char **ids;
    size_t n, cap;
} cues;

static int collect_cue(void *user, const sh_cue_summary *s)
{
    cues *c = user;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        sh_cue_summary *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return 1;
        c->v = v;
        char **ids = realloc(c->ids, cap * sizeof *ids);
        if (!ids)
            return 1;
        c->ids = ids;
        c->cap = cap;
    }
    c->ids[c->n] = strdup(s->cue_id);
    c->v[c->n] = *s;
    c->v[c->n].cue_id = c->ids[c->n];
    c->n++;
    return 0;
}

static void add_num_or_null(cJSON *o, const char *k, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static const char *const sub_names[5] = {"duration", "energy", "completeness", "pauses", "level"};

static int print_json(const sh_practice_ctx *c, const rows *r, const cues *q, const day *d, size_t nd,
                      const char *resume)
{
    cJSON *root = cJSON_CreateObject(), *lesson = cJSON_AddObjectToObject(root, "lesson");
    cJSON_AddStringToObject(lesson, "title", sh_lesson_title(c->lesson));
    cJSON_AddStringToObject(lesson, "path", c->lesson_path);
    cJSON_AddStringToObject(lesson, "id", c->hash);
    cJSON_AddNumberToObject(lesson, "paragraphs", (double)c->ncues);
    if (resume)
        cJSON_AddStringToObject(root, "resume", resume);
    else
        cJSON_AddNullToObject(root, "resume");
    cJSON *att = cJSON_AddArrayToObject(root, "attempts");
    for (size_t i = 0; i < r->n; i++) {
        const row *w = &r->v[i];
        cJSON *o = cJSON_CreateObject();
        char t[32];
        time_of(w->time_ms, t);
        cJSON_AddStringToObject(o, "cue", w->cue);
        cJSON_AddNumberToObject(o, "index", w->index);
        cJSON_AddStringToObject(o, "time", t);
        cJSON_AddStringToObject(o, "mode", w->mode);
        cJSON_AddNumberToObject(o, "speed", w->speed);
        cJSON_AddNumberToObject(o, "score", w->total);
        cJSON *sub = cJSON_AddObjectToObject(o, "subscores");
        for (int k = 0; k < 5; k++)
            add_num_or_null(sub, sub_names[k], w->sub[k]);
        if (w->verdict)
            cJSON_AddStringToObject(o, "verdict", w->verdict);
        if (w->take)
            cJSON_AddStringToObject(o, "take", w->take);
        cJSON_AddItemToArray(att, o);
    }
    cJSON *par = cJSON_AddArrayToObject(root, "paragraphs");
    for (size_t i = 0; i < q->n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "cue", q->v[i].cue_id);
        cJSON_AddNumberToObject(o, "index", q->v[i].cue_index);
        cJSON_AddNumberToObject(o, "attempts", q->v[i].attempts);
        cJSON_AddNumberToObject(o, "best", q->v[i].best);
        cJSON_AddNumberToObject(o, "latest", q->v[i].latest);
        cJSON_AddNumberToObject(o, "first", q->v[i].first);
        cJSON_AddItemToArray(par, o);
    }
    cJSON *tr = cJSON_AddArrayToObject(root, "trend");
    for (size_t i = 0; i < nd; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "day", d[i].date);
        cJSON_AddNumberToObject(o, "attempts", d[i].attempts);
        cJSON_AddNumberToObject(o, "mean", round(d[i].sum / d[i].attempts * 10) / 10);
        cJSON_AddItemToArray(tr, o);
    }
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!s)
        return sh_cli_fail("out of memory");
    puts(s);
    free(s);
    return SH_EXIT_OK;
}

static void csv_field(const char *s)
{
    if (!s)
        return;
    if (strpbrk(s, ",\"\n\r")) {
        putchar('"');
        for (; *s; s++) {
            if (*s == '"')
                putchar('"');
            putchar(*s);
        }
        putchar('"');
    } else {
        fputs(s, stdout);
    }
}

static void csv_num(double v)
{
    if (isfinite(v))
        printf("%g", v);
}

static int print_csv(const rows *r)
{
    puts("time,cue,index,mode,speed,score,duration,energy,completeness,pauses,level,verdict,take");
    for (size_t i = 0; i < r->n; i++) {
        const row *w = &r->v[i];
        char t[32];
        time_of(w->time_ms, t);
        printf("%s,", t);
        csv_field(w->cue);
        printf(",%d,", w->index);
        csv_field(w->mode);
        printf(",%g,%g", w->speed, w->total);
        for (int k = 0; k < 5; k++) {
            putchar(',');
            csv_num(w->sub[k]);
        }
        putchar(',');
        csv_field(w->verdict);
        putchar(',');
        csv_field(w->take);
        putchar('\n');
    }
    return SH_EXIT_OK;
}

static int print_text(const sh_practice_ctx *c, const rows *r, const cues *q, const day *d, size_t nd,
                      const char *resume)
{
    printf("%s\n%s\n", sh_lesson_title(c->lesson), c->lesson_path);
    char prev[256];
    int prev_n = 0;
    if (c->history && sh_history_previous_version(c->history, c->hash, c->lesson_path, prev, sizeof prev, &prev_n, NULL) ==
            SH_OK && prev_n > 0)
        printf("(the lesson file changed since %d earlier attempt%s: they stay stored under its previous "
               "version)\n", prev_n, prev_n == 1 ? "" : "s");
    if (r->n == 0) {
        printf("No attempts yet. Practise with: shadowing %s\n", c->lesson_path);
        return SH_EXIT_OK;
    }
    printf("%zu attempts on %zu of %zu paragraphs; resume at %s\n\n", r->n, q->n, c->ncues,
           resume ? resume : "the start");
    printf("%-10s %8s %5s %7s %6s %7s\n", "paragraph", "attempts", "best", "latest", "first", "change");
    for (size_t i = 0; i < q->n; i++) {
        const sh_cue_summary *s = &q->v[i];
        printf("%-10s %8d %5.0f %7.0f %6.0f %+7.0f\n", s->cue_id, s->attempts, s->best, s->latest, s->first,
               s->latest - s->first);
    }
    printf("\nTrend (mean score per day):\n");
    for (size_t i = 0; i < nd; i++)
        printf("  %s  %3d attempts  mean %5.1f\n", d[i].date, d[i].attempts, d[i].sum / d[i].attempts);
    printf("\nLatest attempts:\n");
    for (size_t i = r->n > 10 ? r->n - 10 : 0; i < r->n; i++) {
        const row *w = &r->v[i];
        char t[32];
        time_of(w->time_ms, t);
        printf("  %s  %-8s %3.0f  %-6s x%.2f  %s\n", t, w->cue, w->total, w->mode, w->speed,
               w->verdict ? w->verdict : "");
    }
    return SH_EXIT_OK;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"csv", no_argument, NULL, 'c'},
        {"history-db", required_argument, NULL, 'D'}, SH_CLI_HELP_OPTION, {NULL, 0, NULL, 0}};
    bool json = false, csv = false;
    const char *db = NULL;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'j': json = true; break;
        case 'c': csv = true; break;
        case 'D': db = optarg; break;
        case 'h': sh_cli_print_usage(&sh_cmd_history, stdout); return SH_EXIT_OK;
        default: return sh_cli_getopt_error("history", ch, argc, argv);
        }
    }
    if (optind != argc - 1)
        return sh_cli_usage_error("history", "expected one lesson file");
    if (json && csv)
        return sh_cli_usage_error("history", "--json and --csv exclude each other");
    sh_practice_ctx c;
    sh_error err = {0};
    if (sh_practice_ctx_open(&c, argv[optind], db, SH_CTX_HISTORY_READ, &err))
        return sh_cli_fail("%s", err.message);
    rows r = {0};
    cues q = {0};
    int status = SH_EXIT_BAD_INPUT;
    day *d = NULL;
    size_t nd = 0;
    char resume[256];
    /* No database yet (c.history NULL): no attempts. */
    bool has_resume = c.history && sh_history_get_position(c.history, c.hash, resume, sizeof resume, NULL) == SH_OK;
    if (c.history && (sh_history_foreach_attempt(c.history, c.hash, collect, &r, &err) ||
                      sh_history_foreach_cue(c.history, c.hash, collect_cue, &q, &err))) {
        sh_cli_fail("%s", err.message);
        goto done;
    }
    if (r.oom || !(d = trend(&r, &nd))) {
        sh_cli_fail("out of memory");
        goto done;
    }
    if (json)
        status = print_json(&c, &r, &q, d, nd, has_resume ? resume : NULL);
    else if (csv)
        status = print_csv(&r);
    else
        status = print_text(&c, &r, &q, d, nd, has_resume ? resume : NULL);
done:
    free(d);
    for (size_t i = 0; i < q.n; i++)
        free(q.ids[i]);
    free(q.ids);
    free(q.v);
    rows_free(&r);
    sh_practice_ctx_close(&c);
    return status;
}

const sh_command sh_cmd_history = {
    .name = "history",
    .summary = "show your attempts at a lesson: best and latest per paragraph, the trend",
    .usage = "Usage: shadowing history LESSON.json [--json | --csv] [--history-db FILE]\n"
             "\n"
             "Show every stored attempt at LESSON, the best and latest score per paragraph\n"
             "and the mean score per day. The history lives in\n"
             "$XDG_DATA_HOME/shadowing/history.db (default ~/.local/share/shadowing).\n"
             "\n"
             "  --json             one JSON object: lesson, resume, attempts, paragraphs, trend\n"
             "  --csv              one CSV row per attempt\n"
             "  --history-db FILE  use another history database\n"
             "  -h, --help         show this help\n",
    .run = run,
};
