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
  pN-noise.wav    4 s of pink-ish noise at about -30 dBFS, no speech
  pN-silence.wav  4 s of a quiet room (about -65 dBFS noise)
  pN-ref.wav      (with --refs) the cue read by espeak-ng -v en-us -s 165,
                  the demo lesson's reference voice, for `score --ref`

Every take has a faint noise floor (a laptop microphone in a quiet room).
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


def speak(text, voice, wpm, tmp):
    """Text -> list of int samples at RATE (espeak-ng, then sox to 16 kHz)."""
    raw = os.path.join(tmp, "espeak.wav")
    out = os.path.join(tmp, "16k.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", raw, text], check=True)
    subprocess.run(["sox", "-R", "-D", raw, "-r", str(RATE), "-c", "1", "-b", "16", out], check=True)
    with wave.open(out, "rb") as w:
        a = array.array("h", w.readframes(w.getnframes()))
    return list(a)


def speech_edges(x, thr=64):
    idx = [i for i, v in enumerate(x) if abs(v) >= thr]
    return (idx[0], idx[-1] + 1) if idx else (0, 0)


def room(n, rng, amp):
    """n samples of faint, slightly low-passed noise."""
    out, prev = [], 0.0
    for _ in range(n):
        prev = 0.7 * prev + 0.3 * rng.gauss(0.0, amp)
        out.append(prev)
    return out


def mix(speech, rng, before, after, gain=0.7, noise_amp=60.0):
    body = [0.0] * int(before * RATE) + [v * gain for v in speech] + [0.0] * int(after * RATE)
    noise = room(len(body), rng, noise_amp)
    return [max(-32768, min(32767, int(round(a + b)))) for a, b in zip(body, noise)]


def write(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(array.array("h", samples).tobytes())


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
                write(base + "ref.wav", speak(text, REF_VOICE, REF_WPM, tmp))
            good = speak(text, voice, 165, tmp)
            write(base + "good.wav", mix(good, rng, pre, post))
            write(base + "slow.wav", mix(speak(text, voice, 115, tmp), rng, pre, post))
            write(base + "fast.wav", mix(speak(text, voice, 235, tmp), rng, pre, post))
            b, e = speech_edges(good)
            write(base + "half.wav", mix(good[: b + (e - b) // 2], rng, pre, 1.5))
            write(base + "other.wav", mix(speak(other, voice, 165, tmp), rng, pre, post))
            write(base + "noise.wav", [max(-32768, min(32767, int(round(v)))) for v in room(4 * RATE, rng, 1800.0)])
            write(base + "silence.wav", mix([], rng, 4.0, 0.0, noise_amp=25.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
