/* The feedback lines and the verdict: what the learner reads, derived only
 * from the measurements and sub-scores in the result. Pure: no I/O. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "score_int.h"

void sh_score_add_feedback(sh_score_result *r, const char *fmt, ...)
{
    if (r->n_feedback >= SH_SCORE_MAX_FEEDBACK)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->feedback[r->n_feedback], sizeof r->feedback[0], fmt, ap);
    va_end(ap);
    r->n_feedback++;
}

const char *sh_score_verdict_for(int total)
{
    return total >= 85 ? "excellent" : total >= 70 ? "good" : total >= 50 ? "fair" : "weak";
}

void sh_score_write_feedback(const sh_score_params *p, sh_score_result *r)
{
    if (r->take.clipped > 0)
        sh_score_add_feedback(r, "Your recording clipped %d time%s: move back from the microphone or lower the input level",
                     r->take.clipped, r->take.clipped == 1 ? "" : "s");
    if (r->take.speech_db < p->quiet_db)
        sh_score_add_feedback(r, "Your voice was quiet (%.0f dBFS): move closer to the microphone or raise the input level",
                     r->take.speech_db);
    /* No better than chance: often another paragraph altogether, which
     * matters more than anything about pace. */
    if (r->energy_ratio >= p->wrong_text_ratio)
        sh_score_add_feedback(r, "Your rhythm does not follow this paragraph at all: check that you repeated the right one");
    bool early = r->coverage < 0.85;
    if (early) {
        /* The share of the paragraph reached, to the nearest 5%. */
        long pct = lround(r->coverage * 20.0) * 5;
        sh_score_add_feedback(r, "You stopped at about %ld%% of the paragraph: keep going to the end", pct);
    } else if (r->completeness < p->complete_good - 0.10) {
        /* Reached the end, but long stretches of the speaker's speech were
         * met with silence: skipped phrases. */
        long pct = lround((1.0 - r->completeness) * 20.0) * 5;
        sh_score_add_feedback(r, "You left out about %ld%% of the speaker's speech: say every phrase", pct);
    }
    if (r->hesitations > 0)
        sh_score_add_feedback(r, "You stopped for %.1f s at %.1f s%s: keep going, even if you miss a word",
                     r->hesitation_s, r->hesitation_at_s,
                     r->hesitations > 1 ? " (and hesitated more)" : "");
    if (r->tempo_ratio > p->duration_good)
        sh_score_add_feedback(r, "You took %.1fx as long as the speaker%s: speak a little faster and keep up with the voice",
                     r->tempo_ratio, early ? " for the part you said" : "");
    else if (r->tempo_ratio < 1.0 / p->duration_good)
        sh_score_add_feedback(r, "You were too fast: %.1fx the speaker's time%s; slow down and follow the speaker's rhythm",
                     r->tempo_ratio, early ? " for the part you said" : "");
    if (r->pauses_missed >= 2)
        sh_score_add_feedback(r, "You ran through %d of the speaker's pauses: pause where the speaker does",
                     r->pauses_missed);
    else if (r->pauses_extra >= 2)
        sh_score_add_feedback(r, "You paused %d times where the speaker did not: keep each phrase together",
                     r->pauses_extra);
    if (r->sub[SH_SUB_ENERGY] < 40 && r->energy_ratio < p->wrong_text_ratio)
        sh_score_add_feedback(r, "Your rhythm and stress differ from the speaker's: listen again and copy which words are loud");
    if (r->n_feedback == 0)
        sh_score_add_feedback(r, r->total >= 85 ? "Close to the speaker in pace, rhythm and length: well done"
                                       : "Listen once more and match the speaker's rhythm and stress");
}
