/* The feedback lines and the verdict: what the learner reads, derived only
 * from the measurements and sub-scores in the result. Pure: no I/O.
 *
 * Rules (doc/scoring.md, "Feedback"): one line per real problem, the most
 * important first; a line only where its measurement can be trusted (the
 * pace needs the syllable rate to agree); never "well done" beside a
 * sub-score under 50, and every sub-score under 50 gets a line that says
 * what to do about it. */
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

/* Take syllables per second against the speaker's: > 1 faster. 0 when
 * either has no syllables counted. */
static double rate_ratio(const sh_score_result *r)
{
    return r->ref.syllable_rate > 0 && r->take.syllable_rate > 0 ? r->take.syllable_rate / r->ref.syllable_rate
                                                                  : 0.0;
}

bool sh_score_stopped_early(const sh_score_params *p, const sh_score_result *r)
{
    /* The coverage search alone takes some fast readings for half ones;
     * the syllable count tells them apart (a fast reader says them all). */
    return r->coverage < p->early_coverage &&
           (r->syllable_ratio <= 0 || r->syllable_ratio < p->early_syllables);
}

bool sh_score_wrong_paragraph(const sh_score_params *p, const sh_score_result *r)
{
    /* Strong evidence only: no better than chance at following the
     * paragraph's loud and soft syllables, AND little of its speech
     * matched. A correct repeat in another voice can be near chance on
     * one of them, not on both (doc/scoring.md: validation). */
    return r->energy_ratio >= p->wrong_text_ratio && r->completeness < p->wrong_completeness;
}

void sh_score_write_feedback(const sh_score_params *p, sh_score_result *r)
{
    bool said[SH_SUB_COUNT] = {false};
    if (r->take.clipped > 0) {
        sh_score_add_feedback(r, "Your recording clipped %d time%s: move back from the microphone or lower the input level",
                              r->take.clipped, r->take.clipped == 1 ? "" : "s");
        said[SH_SUB_LEVEL] = true;
    }
    if (r->take.speech_db < p->quiet_db) {
        sh_score_add_feedback(r, "Your voice was quiet (%.0f dBFS): move closer to the microphone or raise the input level",
                              r->take.speech_db);
        said[SH_SUB_LEVEL] = true;
    }
    if (sh_score_wrong_paragraph(p, r)) {
        sh_score_add_feedback(r, "This does not follow the paragraph's rhythm at all: check that you repeated the right one");
        said[SH_SUB_ENERGY] = said[SH_SUB_COMPLETENESS] = true;
    }
    bool early = sh_score_stopped_early(p, r);
    if (early) {
        /* The share of the paragraph reached, to the nearest 5%. */
        long pct = lround(r->coverage * 20.0) * 5;
        sh_score_add_feedback(r, "You stopped at about %ld%% of the paragraph: keep going to the end", pct);
        said[SH_SUB_COMPLETENESS] = said[SH_SUB_DURATION] = true;
    } else if (r->completeness < p->leftout_completeness && !said[SH_SUB_COMPLETENESS]) {
        /* Reached the end, but long stretches of the speaker's speech were
         * met by nothing like them: skipped or mumbled phrases. */
        long pct = lround((1.0 - r->completeness) * 20.0) * 5;
        sh_score_add_feedback(r, "You left out about %ld%% of the speaker's speech: say every phrase", pct);
        said[SH_SUB_COMPLETENESS] = true;
    }
    if (r->extra_s >= p->extra_s) {
        sh_score_add_feedback(r, "You said %.1f s more than the speaker has here (a phrase twice?): say each phrase once",
                              r->extra_s);
        said[SH_SUB_DURATION] = true;
    }
    if (r->hesitations > 0) {
        sh_score_add_feedback(r, "You stopped for %.1f s at %.1f s%s: keep going, even if you miss a word",
                              r->hesitation_s, r->hesitation_at_s,
                              r->hesitations > 1 ? " (and hesitated more)" : "");
        said[SH_SUB_PAUSES] = true;
    }
    /* The pace is told only where two measurements agree on its direction:
     * time for the share said, and syllables per second. */
    double rr = rate_ratio(r);
    /* Far enough off, the time alone is trusted (noise adds syllable peaks
     * of its own, and takes them away). */
    double far = p->pace_tolerance * p->pace_tolerance;
    if (r->pace_trusted && r->tempo_ratio > p->pace_tolerance && ((rr > 0 && rr < 1.0) || r->tempo_ratio > far)) {
        sh_score_add_feedback(r, "You took %.1fx as long as the speaker%s: speak a little faster and keep up with the voice",
                              r->tempo_ratio, early ? " for the part you said" : "");
        said[SH_SUB_DURATION] = true;
    } else if (r->pace_trusted && r->tempo_ratio < 1.0 / p->pace_tolerance &&
               (rr > p->fast_syllables || r->tempo_ratio < 1.0 / far)) {
        sh_score_add_feedback(r, "You were too fast: %.1fx the speaker's time%s; slow down and follow the speaker's rhythm",
                              r->tempo_ratio, early ? " for the part you said" : "");
        said[SH_SUB_DURATION] = true;
    }
    if (r->pauses_missed >= 2 && r->pauses_missed > r->pauses_extra) {
        sh_score_add_feedback(r, "You ran through %d of the speaker's pauses: pause where the speaker does",
                              r->pauses_missed);
        said[SH_SUB_PAUSES] = true;
    } else if (r->pauses_extra >= 2) {
        sh_score_add_feedback(r, "You paused %d times where the speaker did not: keep each phrase together",
                              r->pauses_extra);
        said[SH_SUB_PAUSES] = true;
    }
    if (r->clarity_diff_db < p->muffled_db)
        sh_score_add_feedback(r, "Your voice sounded muffled or mumbled: open your mouth and say every sound clearly");
    /* Every sub-score under 50 gets its line. */
    if (r->sub[SH_SUB_DURATION] < 50 && !said[SH_SUB_DURATION])
        sh_score_add_feedback(r, "Your speaking time was %.1fx the speaker's: match the speaker's length", r->duration_ratio);
    if (r->sub[SH_SUB_COMPLETENESS] < 50 && !said[SH_SUB_COMPLETENESS])
        sh_score_add_feedback(r, "Only %.0f%% of the speaker's speech was matched by yours: say every phrase",
                              100.0 * r->completeness);
    if (r->sub[SH_SUB_ENERGY] < 50 && !said[SH_SUB_ENERGY])
        sh_score_add_feedback(r, "Your rhythm and stress differ from the speaker's: listen again and copy which words are loud");
    if (r->sub[SH_SUB_PAUSES] < 50 && !said[SH_SUB_PAUSES])
        sh_score_add_feedback(r, "Your pauses were not where the speaker's are: pause where the speaker does");
    if (r->sub[SH_SUB_LEVEL] < 50 && !said[SH_SUB_LEVEL])
        sh_score_add_feedback(r, "Your recording level was poor: check the microphone's position and input level");
    /* Intonation, when it was measured and something is clearly off. */
    const sh_score_intonation_result *it = &r->intonation;
    if (it->measured && r->n_feedback < SH_SCORE_MAX_FEEDBACK) {
        if (isfinite(it->ref_end_st) && isfinite(it->take_end_st) && it->ref_end_st <= -p->end_move_st &&
            it->take_end_st > -p->end_move_st / 3)
            sh_score_add_feedback(r, "Your voice stayed flat at the end where the speaker's fell: let it fall at the end");
        else if (isfinite(it->ref_end_st) && isfinite(it->take_end_st) && it->ref_end_st >= p->end_move_st &&
                 it->take_end_st < p->end_move_st / 3)
            sh_score_add_feedback(r, "Your voice did not rise at the end where the speaker's did: let it rise like a question");
        else if (it->ref_range_st >= 4.0 && it->take_range_st < 0.5 * it->ref_range_st)
            sh_score_add_feedback(r, "Your voice stayed flat (a range of %.0f semitones, the speaker's %.0f): let it rise and fall like the speaker's",
                                  it->take_range_st, it->ref_range_st);
    }
    if (r->n_feedback == 0) {
        bool all_good = true;
        for (int i = 0; i < SH_SUB_COUNT; i++)
            all_good = all_good && r->sub[i] >= 50;
        sh_score_add_feedback(r, r->total >= 85 && all_good
                                     ? "Close to the speaker in pace, rhythm and length: well done"
                                     : "Listen once more and match the speaker's rhythm and stress");
    }
}
