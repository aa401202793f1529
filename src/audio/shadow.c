/* Shadow mode: play the reference and record the repeat over it, the take
 * starting with the input captured when the first reference sample is heard.
 * The one place where the player and the recorder meet on the control side
 * (on the callback side it is sh_audio_process in device.c), so that
 * player.c and recorder.c need not call each other. */
#include "audio/internal.h"

int sh_audio_shadow_start(sh_audio *a, const float *samples, size_t n, const sh_play_params *pp,
                          const sh_record_params *rp, sh_error *err)
{
    if (!a->playback || !a->capture)
        return sh_error_set(err, SH_ERR_INVALID, "audio: shadow mode needs a full-duplex stream");
    sh_record_params prm = rp ? *rp : sh_record_params_init();
    prm.shadow = true;
    atomic_store(&a->player.shadow_posted, false);
    int rc = sh_recorder_prepare(a, &prm, err);
    if (rc != SH_OK)
        return rc;
    /* Armed: the callback switches to capturing in the period where the
     * first reference sample goes out. */
    atomic_store_explicit(&a->rec.state, REC_ARMED, memory_order_release);
    rc = sh_player_start(a, samples, n, pp, true, err);
    if (rc != SH_OK) {
        sh_audio_record_stop(a, NULL, NULL);
        return rc;
    }
    return SH_OK;
}
