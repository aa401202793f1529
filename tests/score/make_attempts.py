#!/usr/bin/env python3
"""make_attempts.py - synthetic learner attempts for validating the scorer.

Usage: make_attempts.py LESSON.json OUTDIR [--cues 1,2,...] [--refs]

For each chosen cue (1-based indexes; default all) writes into OUTDIR,
as 16 kHz mono 16-bit WAV:

  pN-good.wav     the cue's text in another voice at a similar pace
                  (espeak-ng -s 165), 0.4-0.8 s of silence around it
  pN-slow.wav     the same voice at -s 115 (~115 wpm)
  pN-fast.wav     the same voice at -s 235 (~235 wpm)
  pN-half.wav     the good take cut off at half its speech, then silence
  pN-other.wav    the NEXT paragraph's text (a wrong paragraph), good pace
  pN-noise.wav    4 s of pink noise at about -34 dBFS RMS, no speech
  pN-silence.wav  4 s of a quiet room (brown noise, about -67 dBFS RMS)
  pN-ref.wav      (with --refs) the cue read by espeak-ng -v en-us -s 165,
                  the demo lesson's reference voice, for `score --ref`

Every take has a faint brown-noise floor (a laptop microphone in a quiet room).
The voices rotate over espeak-ng voices other than the reference's en-us, so
the scorer never compares a voice with itself. Deterministic: fixed seeds,
`sox -R`; the same lesson gives byte-identical files.
"""

import argparse
import array
import json
import os
import random
import subprocess
import sys
import tempfile
import wave

RATE = 16000
VOICES = ["en-gb+f3", "en-gb-scotland", "en-029+m3", "en-gb-x-rp+f2", "en-gb+m4", "en-029+f4"]
REF_VOICE, REF_WPM = "en-us", 165
KINDS = ["good", "slow", "fast", "half", "other", "noise", "silence"]


def sox(*args):
    subprocess.run(["sox", "-R", "-D", "-V1"] + list(args), check=True)


def speak(text, voice, wpm, tmp, name):
    """Text -> 16 kHz 16-bit WAV at tmp/name (espeak-ng, then sox, -3 dB)."""
    raw = os.path.join(tmp, "espeak.wav")
    out = os.path.join(tmp, name)
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", raw, text], check=True)
    sox(raw, "-r", str(RATE), "-c", "1", "-b", "16", out, "vol", "0.7")
    return out


def speech_span(path, thr=64):
    """First and last sample index with |x| >= thr (espeak-ng writes exact
    silence around speech)."""
    with wave.open(path, "rb") as w:
        a = array.array("h", w.readframes(w.getnframes()))
    loud = [i for i in range(0, len(a), 16) if abs(a[i]) >= thr]
    return (loud[0], loud[-1] + 16) if loud else (0, 0)


def finish(speech, out, tmp, before, after, noise_vol=0.0015, cut_s=None):
    """Pad speech with silence, optionally cut it at cut_s seconds, and mix
    in a faint noise floor (a laptop microphone in a quiet room)."""
    body = os.path.join(tmp, "body.wav")
    effects = []
    if cut_s is not None:
        effects += ["trim", "0", "%.4f" % cut_s]
    effects += ["pad", "%.3f" % before, "%.3f" % after]
    sox(speech, body, *effects)
    with wave.open(body, "rb") as w:
        dur = w.getnframes() / RATE
    noise = os.path.join(tmp, "noise.wav")
    sox("-n", "-r", str(RATE), "-c", "1", "-b", "16", noise, "synth", "%.4f" % dur, "brownnoise", "vol", str(noise_vol))
    sox("-m", body, noise, out)


def only_noise(out, tmp, seconds, kind, vol):
    sox("-n", "-r", str(RATE), "-c", "1", "-b", "16", out, "synth", str(seconds), kind, "vol", str(vol))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lesson")
    ap.add_argument("outdir")
    ap.add_argument("--cues", default="")
    ap.add_argument("--refs", action="store_true")
    args = ap.parse_args()
    with open(args.lesson, encoding="utf-8") as f:
        cues = json.load(f)["cues"]
    chosen = [int(c) for c in args.cues.split(",") if c] or list(range(1, len(cues) + 1))
    os.makedirs(args.outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for n in chosen:
            cue = cues[n - 1]
            cid = cue.get("id", "p%d" % n)
            text = cue["text"]
            other = cues[n % len(cues)]["text"]
            voice = VOICES[(n - 1) % len(VOICES)]
            rng = random.Random(n * 7919)
            pre, post = rng.uniform(0.4, 0.8), rng.uniform(0.4, 0.8)
            base = os.path.join(args.outdir, cid + "-")
            if args.refs:
                speak(text, REF_VOICE, REF_WPM, tmp, "ref.wav")
                sox(os.path.join(tmp, "ref.wav"), base + "ref.wav")
            good = speak(text, voice, 165, tmp, "good.wav")
            finish(good, base + "good.wav", tmp, pre, post)
            finish(speak(text, voice, 115, tmp, "slow.wav"), base + "slow.wav", tmp, pre, post)
            finish(speak(text, voice, 235, tmp, "fast.wav"), base + "fast.wav", tmp, pre, post)
            b, e = speech_span(good)
            finish(good, base + "half.wav", tmp, pre, 1.5, cut_s=(b + (e - b) / 2) / RATE)
            finish(speak(other, voice, 165, tmp, "other.wav"), base + "other.wav", tmp, pre, post)
            only_noise(base + "noise.wav", tmp, 4, "pinknoise", 0.1)
            only_noise(base + "silence.wav", tmp, 4, "brownnoise", 0.0008)
    return 0


if __name__ == "__main__":
    sys.exit(main())
