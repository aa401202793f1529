/* The --plot picture: reference and take envelopes one above the other,
 * then the take warped onto the reference's time line and drawn over it.
 * Plain SVG 1.1 with no scripts or external fonts, readable in a browser. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shadowing/error.h"
#include "shadowing/score.h"

#define W 1000.0
#define LEFT 70.0
#define RIGHT 20.0
#define PANEL_H 120.0
#define REF_COLOR "#1f6fb4"
#define TAKE_COLOR "#d6452a"
#define PAUSE_COLOR "#f2b134"
#define VOICED_COLOR "#eef3f8"

typedef struct panel {
    double top;     /* y of the panel's top */
    double seconds; /* time shown across the panel */
} panel;

static double px_x(const panel *p, double t)
{
    return LEFT + (W - LEFT - RIGHT) * (p->seconds > 0 ? t / p->seconds : 0);
}

static double px_y(const panel *p, double v)
{
    return p->top + PANEL_H * (1.0 - (v < 0 ? 0 : v > 1 ? 1 : v));
}

/* XML text: escape the five special characters. */
static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void frame_and_axis_y(FILE *f, const panel *p, const char *label, const char *top, const char *bottom)
{
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"white\" stroke=\"#999\"/>\n",
            LEFT, p->top, W - LEFT - RIGHT, PANEL_H);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" font-weight=\"bold\">", LEFT, p->top - 6);
    xml_text(f, label);
    fputs("</text>\n", f);
    /* Ticks every 1, 2, 5 or 10 s: at most about 20 labels. */
    double step = p->seconds <= 20 ? 1 : p->seconds <= 40 ? 2 : p->seconds <= 100 ? 5 : 10;
    for (double t = 0; t <= p->seconds + 1e-9; t += step) {
        double x = px_x(p, t);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\"/>\n", x, p->top + PANEL_H,
                x, p->top + PANEL_H + 4);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">%g s</text>\n",
                x, p->top + PANEL_H + 15, t);
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">%s</text>\n",
            LEFT - 6, p->top + 10, top);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">%s</text>\n",
            LEFT - 6, p->top + PANEL_H, bottom);
}

static void frame_and_axis(FILE *f, const panel *p, const char *label)
{
    frame_and_axis_y(f, p, label, "loud", "quiet");
}

/* Shade [t0, t1) across the panel. */
static void band(FILE *f, const panel *p, double t0, double t1, const char *color, double opacity)
{
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\"/>\n",
            px_x(p, t0), p->top, px_x(p, t1) - px_x(p, t0), PANEL_H, color, opacity);
}

/* An envelope as a line, one point per pixel column (the column's maximum,
 * so short syllables stay visible). `off` shifts it on the time axis. */
static void curve(FILE *f, const panel *p, const float *v, size_t n, double hop, double off,
                  const char *color, double width, bool filled)
{
    if (n == 0)
        return;
    size_t cols = (size_t)(W - LEFT - RIGHT);
    double total = (double)n * hop;
    size_t used = (size_t)ceil((double)cols * total / p->seconds);
    if (used > cols)
        used = cols;
    if (used < 1)
        used = 1;
    fputs(filled ? "<polygon points=\"" : "<polyline points=\"", f);
    if (filled)
        fprintf(f, "%.1f,%.1f ", px_x(p, off), px_y(p, 0));
    for (size_t c = 0; c < used; c++) {
        size_t a = c * n / used, e = (c + 1) * n / used;
        if (e <= a)
            e = a + 1;
        float m = 0;
        for (size_t k = a; k < e && k < n; k++)
            if (v[k] > m)
                m = v[k];
        double t = off + ((double)a + (double)(e - a) / 2.0) * hop;
        fprintf(f, "%.1f,%.1f ", px_x(p, t), px_y(p, m));
    }
    if (filled)
        fprintf(f, "%.1f,%.1f\" fill=\"%s\" fill-opacity=\"0.35\" stroke=\"%s\" stroke-width=\"%.1f\"/>\n",
                px_x(p, off + total), px_y(p, 0), color, color, width);
    else
        fprintf(f, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"/>\n", color, width);
}

/* Pauses as amber bands. With `state` (the aligned panel), a reference
 * pause the take ran through is labelled "missed" in red. */
static void pauses(FILE *f, const panel *p, const sh_span *s, int n, double hop, double off,
                   const unsigned char *state, const char *flagged)
{
    for (int i = 0; i < n; i++) {
        double t0 = off + (double)s[i].begin * hop, t1 = off + (double)s[i].end * hop;
        bool flag = state && state[i] == 1;
        band(f, p, t0, t1, PAUSE_COLOR, 0.55);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" text-anchor=\"middle\" fill=\"%s\">%s</text>\n",
                px_x(p, (t0 + t1) / 2), p->top + 10, flag ? "#c0392b" : "#8a5a00", flag ? flagged : "pause");
    }
}

/* A pitch contour (semitones, NAN where unvoiced) as line pieces that
 * break where the voice stops; +-PITCH_ST fills the panel. */
#define PITCH_ST 8.0
static void pitch_line(FILE *f, const panel *p, const float *st, size_t n, double hop, const char *color)
{
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        if (isnan(st[i])) {
            if (open)
                fputs("\"/>\n", f);
            open = false;
            continue;
        }
        if (!open)
            fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.4\" points=\"", color);
        open = true;
        double v = 0.5 + (double)st[i] / (2 * PITCH_ST);
        fprintf(f, "%.1f,%.1f ", px_x(p, ((double)i + 0.5) * hop), px_y(p, v));
    }
    if (open)
        fputs("\"/>\n", f);
}

static void pitch_panel(FILE *f, const panel *p, const sh_score_result *r, double hop)
{
    const sh_score_intonation_result *it = &r->intonation;
    char label[160];
    if (it->measured)
        snprintf(label, sizeof label, "Intonation (semitones around each voice's median): correlation %.2f, range %.0f vs %.0f st",
                 it->correlation, it->take_range_st, it->ref_range_st);
    else
        snprintf(label, sizeof label, "Intonation (semitones around each voice's median): not enough voiced speech to compare");
    frame_and_axis_y(f, p, label, "+8 st", "-8 st");
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", LEFT, px_y(p, 0.5),
            W - RIGHT, px_y(p, 0.5));
    if (!r->ref_pitch || !r->take_pitch || !r->ref.speech || r->path_len == 0)
        return;
    size_t a0 = (size_t)lround(r->ref.speech_begin_s / hop);
    size_t n = r->ref_frames > a0 ? r->ref_frames - a0 : 0;
    float *warped = malloc((n ? n : 1) * sizeof *warped);
    if (!warped)
        return;
    for (size_t i = 0; i < n; i++)
        warped[i] = NAN;
    for (size_t k = 0; k < r->path_len;) {
        size_t a = r->path[k].a, cnt = 0;
        double sum = 0;
        for (; k < r->path_len && r->path[k].a == a; k++)
            if (!isnan(r->take_pitch[r->path[k].b])) {
                sum += r->take_pitch[r->path[k].b];
                cnt++;
            }
        if (a >= a0 && a - a0 < n && cnt)
            warped[a - a0] = (float)(sum / (double)cnt);
    }
    pitch_line(f, p, r->ref_pitch + a0, n, hop, REF_COLOR);
    pitch_line(f, p, warped, n, hop, TAKE_COLOR);
    free(warped);
}

int sh_score_svg(const sh_score_result *r, const char *title, FILE *f)
{
    double hop = r->hop_s > 0 ? r->hop_s : 0.01;
    double tref = (double)r->ref_frames * hop, ttake = (double)r->take_frames * hop;
    double span = tref > ttake ? tref : ttake;
    if (span <= 0)
        span = 1;
    const double H = 40 + 4 * (PANEL_H + 60) + 30;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n"
               "<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\"/>\n",
            W, H, W, H);
    /* Title: the total and every sub-score. */
    fprintf(f, "<text x=\"%.1f\" y=\"24\" font-size=\"16\" font-weight=\"bold\">", LEFT);
    if (title) {
        xml_text(f, title);
        fputs(": ", f);
    }
    fprintf(f, "%d/100 ", r->total);
    xml_text(f, r->verdict ? r->verdict : "");
    fputs("</text>\n", f);
    fprintf(f, "<text x=\"%.1f\" y=\"42\" font-size=\"12\" fill=\"#333\">", LEFT);
    for (int i = 0; i < SH_SUB_COUNT; i++)
        fprintf(f, "%s%s %d", i ? "  \xc2\xb7  " : "", sh_score_sub_name(i), r->sub[i]);
    fputs("</text>\n", f);

    /* 1: reference, whole recording; speech span shaded, pauses marked. */
    panel p1 = {70, span};
    frame_and_axis(f, &p1, "Speaker (reference)");
    if (r->ref.speech)
        band(f, &p1, r->ref.speech_begin_s, r->ref.speech_end_s, VOICED_COLOR, 1.0);
    pauses(f, &p1, r->ref_pauses, r->ref.pauses, hop, 0, NULL, NULL);
    curve(f, &p1, r->ref_env, r->ref_frames, hop, 0, REF_COLOR, 1.0, true);

    /* 2: take, same time scale. */
    panel p2 = {70 + PANEL_H + 60, span};
    frame_and_axis(f, &p2, "You (take)");
    if (r->take.speech)
        band(f, &p2, r->take.speech_begin_s, r->take.speech_end_s, VOICED_COLOR, 1.0);
    pauses(f, &p2, r->take_pauses, r->take.pauses, hop, 0, r->take_pause_state, "hesitation");
    curve(f, &p2, r->take_env, r->take_frames, hop, 0, TAKE_COLOR, 1.0, true);
    if (!r->take.speech)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\" text-anchor=\"middle\" fill=\"%s\">no speech "
                   "detected</text>\n", (LEFT + W - RIGHT) / 2, p2.top + PANEL_H / 2, TAKE_COLOR);

    /* 3: the take warped onto the reference's speech span, drawn over it. */
    panel p3 = {70 + 2 * (PANEL_H + 60), r->ref.speech ? r->ref.span_s : span};
    if (p3.seconds <= 0)
        p3.seconds = span;
    frame_and_axis(f, &p3, "Aligned: your take (red) warped onto the speaker's time line (blue)");
    if (r->path_len > 0 && r->ref.speech) {
        size_t a0 = (size_t)lround(r->ref.speech_begin_s / hop);
        size_t n = r->ref_frames > a0 ? r->ref_frames - a0 : 0;
        float *warped = calloc(n ? n : 1, sizeof *warped);
        float *refpart = r->ref_env + a0;
        if (warped) {
            /* Mean of the take frames mapped to each reference frame. */
            size_t covered = 0;
            for (size_t k = 0; k < r->path_len;) {
                size_t a = r->path[k].a, cnt = 0;
                double sum = 0;
                while (k < r->path_len && r->path[k].a == a) {
                    sum += r->take_env[r->path[k].b];
                    cnt++;
                    k++;
                }
                if (a >= a0 && a - a0 < n) {
                    warped[a - a0] = (float)(sum / (double)cnt);
                    covered = a - a0 + 1;
                }
            }
            size_t nref_span = (size_t)lround(r->ref.span_s / hop);
            if (nref_span > n)
                nref_span = n;
            pauses(f, &p3, r->ref_pauses, r->ref.pauses, hop, -(double)a0 * hop, r->ref_pause_state, "missed");
            if (covered < nref_span)
                band(f, &p3, (double)covered * hop, (double)nref_span * hop, "#999999", 0.25);
            curve(f, &p3, refpart, nref_span, hop, 0, REF_COLOR, 1.6, false);
            curve(f, &p3, warped, covered, hop, 0, TAKE_COLOR, 1.6, false);
            if (covered < nref_span) {
                double cx = (px_x(&p3, (double)covered * hop) + px_x(&p3, (double)nref_span * hop)) / 2;
                fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"90\" height=\"18\" rx=\"3\" fill=\"white\" "
                           "stroke=\"#999\"/>\n", cx - 45, p3.top + PANEL_H / 2 - 13);
                fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" fill=\"#444\">"
                           "not reached</text>\n", cx, p3.top + PANEL_H / 2);
            }
            free(warped);
        }
    }
    if (r->path_len == 0)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"middle\" fill=\"#444\">nothing to "
                   "align: %s</text>\n", (LEFT + W - RIGHT) / 2, p3.top + PANEL_H / 2,
                !r->ref.speech ? "the reference has no speech" : "no speech in the take");
    /* 4: intonation, both pitch contours in semitones around each one's
     * own median, the take's warped onto the speaker's time line. */
    panel p4 = {70 + 3 * (PANEL_H + 60), p3.seconds};
    pitch_panel(f, &p4, r, hop);

    /* Legend. */
    double ly = p4.top + PANEL_H + 36;
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\" fill-opacity=\"0.55\"/>"
               "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">pause (&#8805; 150 ms); \"missed\": the "
               "speaker paused, you did not</text>\n",
            LEFT, ly - 9, PAUSE_COLOR, LEFT + 20, ly);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\" stroke=\"#999\"/>"
               "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">speech span (silence trimmed)</text>\n",
            LEFT + 400, ly - 9, VOICED_COLOR, LEFT + 420, ly);
    fputs("</svg>\n", f);
    return ferror(f) ? SH_ERR_IO : SH_OK;
}
