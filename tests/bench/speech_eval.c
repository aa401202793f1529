/* speech_eval - speech detection and syllable nuclei (speech.h) on audio
 * files, beside sh_vad on the full-band envelope (the peer), one line per
 * file: span, speech time, pauses, rejected runs, nuclei per second.
 *
 * Usage: speech_eval FILE.wav...   (any rate sh_features accepts: 8, 16,
 *                                   32 kHz; mono, read with libsndfile) */
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>

#include "shadowing/analysis.h"
#include "shadowing/envelope.h"
#include "shadowing/features.h"
#include "shadowing/speech.h"

int main(int argc, char **argv)
{
    int status = 0;
    for (int a = 1; a < argc; a++) {
        SF_INFO info = {0};
        SNDFILE *sf = sf_open(argv[a], SFM_READ, &info);
        if (!sf || info.channels != 1) {
            fprintf(stderr, "speech_eval: %s: cannot read it as mono audio: convert it with sox first\n", argv[a]);
            if (sf)
                sf_close(sf);
            status = 1;
            continue;
        }
        size_t n = (size_t)info.frames;
        float *x = malloc((n ? n : 1) * sizeof *x);
        sf_readf_float(sf, x, info.frames);
        sf_close(sf);
        sh_features f;
        if (sh_features_compute(NULL, x, n, info.samplerate, &f) != 0) {
            fprintf(stderr, "speech_eval: %s: rate %d Hz not supported (8, 16 or 32 kHz)\n", argv[a], info.samplerate);
            free(x);
            status = 1;
            continue;
        }
        uint8_t *m = malloc(f.n ? f.n : 1), *vm = malloc(f.n ? f.n : 1);
        float *env = malloc((f.n ? f.n : 1) * sizeof *env);
        sh_speech_result r;
        sh_speech_detect(NULL, &f, m, &r);
        size_t k = sh_syllable_nuclei(&f, m, NULL, NULL, 0);
        sh_envelope_config ec = sh_envelope_config_init(info.samplerate);
        sh_envelope_compute(&ec, x, n, env, f.n);
        sh_vad_params vp = sh_vad_params_init();
        sh_vad_result v;
        sh_vad(&vp, env, f.n, vm, &v);
        double h = f.hop_s;
        printf("%-16s ours: %s span %5.2f-%5.2f s speech %5.2f s pauses %2zu rejected %2zu snr %4.1f dB "
               "nuclei %3zu (%.2f/s) | sh_vad: %s span %5.2f-%5.2f s speech %5.2f s pauses %2zu\n",
               argv[a], r.speech ? "speech" : r.too_noisy ? "NOISY " : "none  ", (double)r.first * h,
               (double)r.end * h, (double)r.speech_frames * h, r.pauses, r.rejected, (double)r.snr_db, k,
               r.speech_frames ? (double)k / ((double)r.speech_frames * h) : 0.0, v.speech ? "speech" : "none  ",
               (double)v.first * h, (double)v.end * h, (double)v.voiced * h, v.pauses);
        free(x);
        free(m);
        free(vm);
        free(env);
        sh_features_free(&f);
    }
    return status;
}
