/* The scorer behind a plain struct (see practice.h for why). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "practice.h"
#include "shadowing/score.h"

const char *sh_practice_sub_name(int i)
{
    return sh_score_sub_name(i);
}

int sh_practice_score_compute(const float *ref, size_t nref, const float *take, size_t ntake, int rate,
                              const char *cue_id, const char *take_path, sh_practice_score *out,
                              sh_error *err)
{
    memset(out, 0, sizeof *out);
    sh_score_params p = sh_score_params_init();
    sh_score_result r;
    memset(&r, 0, sizeof r);
    int rc = sh_score_compute(&p, ref, nref, take, ntake, rate, &r);
    if (rc)
        return sh_error_set(err, rc, "cannot score %s: %s", take_path ? take_path : "the take",
                            sh_strerror(rc));
    out->total = r.total;
    _Static_assert(SH_PS_SUBS == SH_SUB_COUNT, "sub-score count");
    for (int i = 0; i < SH_PS_SUBS; i++)
        out->sub[i] = r.sub[i];
    snprintf(out->verdict, sizeof out->verdict, "%s", r.verdict ? r.verdict : "");
    out->n_feedback = r.n_feedback < 4 ? r.n_feedback : 4;
    for (int i = 0; i < out->n_feedback; i++)
        snprintf(out->feedback[i], sizeof out->feedback[i], "%s", r.feedback[i]);
    out->ref_span_s = r.ref.span_s;
    out->take_span_s = r.take.span_s;
    sh_score_sparkline(r.ref_env, r.ref_frames, 64, true, out->ref_spark, sizeof out->ref_spark);
    sh_score_sparkline(r.take_env, r.take_frames, 64, true, out->take_spark, sizeof out->take_spark);
    out->json = sh_score_to_json(&r, cue_id, take_path);
    sh_score_result_free(&r);
    if (!out->json)
        return sh_error_set(err, SH_ERR_NOMEM, "out of memory");
    return SH_OK;
}

void sh_practice_score_free(sh_practice_score *s)
{
    if (!s)
        return;
    free(s->json);
    s->json = NULL;
}
