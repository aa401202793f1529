/* shadowing - speech detection and syllable nuclei on speech features
 * (include/shadowing/features.h): robust to other voices, microphones and
 * rooms (steady fan noise down to about 5 dB SNR, mains hum, breath,
 * coughs, clicks).
 *
 * Pure computation: no I/O, no global state, deterministic bit for bit.
 * Frames are those of sh_features (10 ms by default, aligned with
 * sh_envelope), so masks and frame numbers line up with envelopes.
 */
#ifndef SHADOWING_SPEECH_H
#define SHADOWING_SPEECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shadowing/features.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Speech detection ----------------------------------------------------
 *
 * Energy finds where something is louder than the room; pitch decides
 * whether it is a voice.
 *  1. Noise floor: a low percentile of the speech-band levels (band_db) of
 *     the unvoiced frames (of all frames when fewer than
 *     min_evidence_frames are unvoiced), so that a voice never sets it.
 *     Digital silence (exact zeros, or 16-bit dither: a late start, an
 *     edited-in lead) is left out, unless it makes at least 3% of the
 *     frames between the first and the last voiced one: then the pauses
 *     themselves are digital silence (a noise gate, a synthetic voice) and
 *     it is the floor. A long quiet lead-in is room noise and sets it.
 *  2. Speech level: a high percentile of the voiced frames (f0 > 0). Fewer
 *     than min_evidence_frames voiced frames: no speech (steady noise, hum,
 *     silence, clicks: none of them has a moving pitch).
 *  3. Band SNR = speech level - noise floor. Below min_snr_db the voice is
 *     there but too buried to find its edges: too_noisy, no speech. (Also
 *     too_noisy: no run survives step 5 while the SNR is below twice
 *     min_snr_db.) Why 8 dB: the synthetic syllables of the tests keep 90%
 *     of their frames down to a band SNR of 8.5 dB (white noise at their
 *     own RMS level), 60% at 7 dB, 5% at 6 dB. For scale, in pink noise
 *     5 dB below them (RMS, full band) their band SNR is 14 dB, in brown
 *     noise 28 dB. Louder still (white noise 6 dB above them) the pitch is
 *     lost too: no voiced evidence, so no speech and not too_noisy; a
 *     caller can still tell the room is loud from noise_db.
 *  4. Runs of energy: a run starts above floor + max(min_on_db,
 *     on_ratio * SNR) and ends below floor + max(min_off_db, off_ratio *
 *     SNR); its rising edge (frames above the lower threshold just before)
 *     belongs to it. With an SNR above max_range_db (digital silence, a
 *     studio) the floor is taken as speech level - max_range_db and the
 *     SNR as max_range_db, so fading tails do not bridge the pauses.
 *  5. A run is speech when at least min_voiced_frames of its frames, and
 *     min_voiced_share of them, are voiced, or when it is unvoiced (a
 *     fricative, a stop burst) and lies between speech runs less than
 *     min_pause_frames away on both sides (all of it at most 2 *
 *     max_unvoiced_frames), or is at most max_unvoiced_frames long and
 *     within edge_gap_frames of one (a word-final /s/). Other runs are `rejected`:
 *     breath and coughs (aperiodic, and longer), clicks (too short to hold
 *     a pitch, and apart from speech), hum and machines (their constant
 *     pitch is not voiced: see drones in features.h).
 *  6. Gaps shorter than min_pause_frames between speech runs are filled
 *     (stops between syllables); the remaining gaps inside the span are the
 *     pauses (as sh_vad). */
typedef struct sh_speech_params {
    float noise_percentile;   /* noise floor: percentile of band_db, default 10 */
    float speech_percentile;  /* speech level: percentile of voiced frames' band_db, default 90 */
    float on_ratio;           /* run start: floor + on_ratio * SNR, default 0.30 ... */
    float min_on_db;          /* ... and at least this above the floor, default 5 */
    float off_ratio;          /* run end: floor + off_ratio * SNR, default 0.15 ... */
    float min_off_db;         /* ... and at least this above the floor, default 2.5 */
    float min_snr_db;         /* band SNR below this: too_noisy, default 8 ... */
    float min_voice_snr_db;   /* ... unless below this too: the "voice" is the noise itself
                                 (a hum's harmonics), no speech, default 3 */
    float min_level_db;       /* speech level below this dBFS: no speech, default -65 */
    float digital_silence_db; /* frames at or below are digital silence, default -99 */
    size_t min_evidence_frames; /* voiced frames needed in the recording, default 10 */
    size_t min_voiced_frames; /* voiced frames needed in a run, default 5 */
    float min_voiced_share;   /* and this share of its frames, default 0.2 ... */
    size_t plenty_voiced_frames; /* ... unless it holds this many voiced frames (a reverberant
                                    room fills the pauses of a sentence), default 50 */
    size_t min_pause_frames;  /* shorter gaps inside speech are filled, default 15 */
    size_t max_unvoiced_frames; /* longest unvoiced run kept at the edge of speech,
                                   twice that inside it, default 25 */
    size_t edge_gap_frames;   /* "beside": at most this gap at the edge of speech, default 5 */
    float max_range_db;       /* thresholds within this of the speech level, default 45 */
} sh_speech_params;

/* The defaults above, for 10 ms frames. */
sh_speech_params sh_speech_params_init(void);

typedef struct sh_speech_result {
    bool speech;           /* false: no speech, or too noisy (mask all zero) */
    bool too_noisy;        /* a voice is there (voiced evidence) but the band SNR is
                              below min_snr_db: ask for a quieter room */
    float noise_db;        /* noise floor, dBFS (speech band) */
    float speech_db;       /* speech level, dBFS (speech band); the floor without voice */
    float snr_db;          /* speech_db - noise_db */
    float on_db, off_db;   /* run thresholds used, dBFS (0 when not reached) */
    size_t first, end;     /* speech span [first, end); 0, 0 without speech */
    size_t speech_frames;  /* frames in the mask */
    size_t voiced_frames;  /* of them, voiced (f0 > 0) */
    size_t pauses;         /* gaps inside the span, each >= min_pause_frames */
    size_t rejected;       /* energy runs dropped as not speech (runs are examined only
                              when the recording has voiced evidence and is not too noisy) */
} sh_speech_result;

/* Speech in the features f (from sh_features_compute). Writes 1 (speech)
 * or 0 for each of the f->n frames into mask (caller-owned, f->n bytes;
 * may be NULL only when f->n is 0) and a summary into *out. p may be NULL
 * for the defaults. Returns SH_OK, SH_ERR_INVALID (NULL f or out, bad
 * params) or SH_ERR_NOMEM (it sorts copies of the levels). The pauses
 * themselves: sh_vad_pauses(mask, out->first, out->end, ...) from
 * analysis.h. */
int sh_speech_detect(const sh_speech_params *p, const sh_features *f, uint8_t *mask, sh_speech_result *out);

/* ---- Syllable nuclei -----------------------------------------------------
 *
 * After de Jong & Wempe (2009): a nucleus is a peak of the speech-band
 * level (smoothed over smooth_frames) that rises at least min_rise_db above
 * the dip before it and falls as much after it (or the speech ends), lies
 * inside the speech mask, is voiced (f0 > 0 within voiced_reach frames) and
 * is no more than max_below_db below the speech level (speech_percentile
 * of the masked frames). Speaking rate = nuclei per second of speech. */
typedef struct sh_nuclei_params {
    size_t smooth_frames;    /* centred moving average of band_db (odd), default 5 */
    float min_rise_db;       /* dip before and fall after a peak, default 2.5 */
    float max_below_db;      /* peak at least speech level - this, default 25 */
    float speech_percentile; /* speech level percentile of the masked frames, default 90 */
    size_t voiced_reach;     /* a voiced frame within this many frames of the peak, default 2 */
} sh_nuclei_params;

/* The defaults above. */
sh_nuclei_params sh_nuclei_params_init(void);

/* The nuclei of f inside speech_mask (f->n bytes, 1 = speech, e.g. from
 * sh_speech_detect): writes the frame numbers of up to `cap` of them, in
 * order, into frames (may be NULL when cap is 0) and returns how many there
 * are (snprintf style: more than cap means frames was too small). p may be
 * NULL for the defaults. Returns 0 for NULL f or mask or no speech. Needs
 * no heap memory (the speech level comes from a 0.1 dB histogram). */
size_t sh_syllable_nuclei(const sh_features *f, const uint8_t *speech_mask, const sh_nuclei_params *p,
                          uint32_t *frames, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
