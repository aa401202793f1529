#!/usr/bin/env python3
"""validate.py - does the scorer rank repeats the way a teacher would?

Usage: validate.py SHADOWING LESSON.json [--cues 1,2,...] [--work DIR]
                   [--check] [--markdown]

Makes synthetic attempts for each chosen cue (tests/score/make_attempts.py:
good, slow, fast, half, other, noise, silence, in espeak-ng voices other than
the lesson's), scores each with `shadowing score LESSON --cue ID TAKE --json`
and reports, per kind, the mean score and how often the expected ordering and
feedback hold:

  ordering   good > slow and good > fast; slow, fast > half;
             half > noise and half > silence
  feedback   slow -> "as long as the speaker", fast -> "too fast",
             half -> "stopped at", noise/silence -> "No speech detected"
  good -> none of those faults
  (and, reported only: other -> "check that you repeated the right one")

--markdown prints the table for doc/scoring.md; --check exits 1 unless the
ordering holds for >= 90% of the cues and the feedback for >= 90% of each
fault's takes (the test `score-validate` runs this on a subset of cues).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ["good", "slow", "fast", "half", "other", "noise", "silence"]
FEEDBACK = {
    "slow": "as long as the speaker",
    "fast": "too fast",
    "half": "stopped at",
    "noise": "No speech detected",
    "silence": "No speech detected",
    "other": "the right one",  # reported, not required: energy alone cannot hear words
}
FAULTS = [FEEDBACK[k] for k in ("slow", "fast", "half", "noise", "other")] + ["left out"]
FEEDBACK["good"] = None  # none of FAULTS
CHECKED = ["good", "slow", "fast", "half", "noise", "silence"]


def score(shadowing, lesson, cue, take):
    out = subprocess.run([shadowing, "score", lesson, "--cue", cue, take, "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("shadowing")
    ap.add_argument("lesson")
    ap.add_argument("--cues", default="")
    ap.add_argument("--work", default="")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    with open(args.lesson, encoding="utf-8") as f:
        cues = json.load(f)["cues"]
    chosen = [int(c) for c in args.cues.split(",") if c] or list(range(1, len(cues) + 1))

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or tmp
        need = [n for n in chosen
                if not all(os.path.exists(os.path.join(work, "%s-%s.wav" % (cues[n - 1].get("id", "p%d" % n), k)))
                           for k in KINDS)]
        if need:
            subprocess.run([sys.executable, os.path.join(HERE, "make_attempts.py"), args.lesson, work,
                            "--cues", ",".join(map(str, need))], check=True, stderr=subprocess.DEVNULL)
        results = {}
        for n in chosen:
            cid = cues[n - 1].get("id", "p%d" % n)
            results[cid] = {k: score(args.shadowing, args.lesson, cid,
                                     os.path.join(work, "%s-%s.wav" % (cid, k))) for k in KINDS}

    ids = list(results)
    order_ok, fb_ok, fb_total = 0, {k: 0 for k in FEEDBACK}, len(ids)
    failures = []
    for cid in ids:
        s = {k: results[cid][k]["score"] for k in KINDS}
        ok = (s["good"] > s["slow"] and s["good"] > s["fast"] and min(s["slow"], s["fast"]) > s["half"]
              and s["half"] > s["noise"] and s["half"] > s["silence"])
        order_ok += ok
        if not ok:
            failures.append("%s ordering: %s" % (cid, s))
        for k, want in FEEDBACK.items():
            fb = results[cid][k]["feedback"]
            if k == "good":
                # A good repeat is not blamed for a fault it does not have.
                ok = not any(w in line for line in fb for w in FAULTS)
            else:
                ok = any(want in line for line in fb)
            if ok:
                fb_ok[k] += 1
            elif k in CHECKED:
                failures.append("%s %s feedback: %s" % (cid, k, fb))

    def mean(k, field=None):
        vals = [results[c][k]["score"] if field is None else results[c][k]["subscores"][field] for c in ids]
        return sum(vals) / len(vals)

    if args.markdown:
        print("| kind | what it is | mean score | min | max | right feedback |")
        print("|---|---|---:|---:|---:|---:|")
        what = {
            "good": "same text, another voice, similar pace (-s 165), silence around",
            "slow": "same text at -s 115 (~115 wpm)",
            "fast": "same text at -s 235 (~235 wpm)",
            "half": "the good take cut off at half its speech",
            "other": "the next paragraph's text, good pace",
            "noise": "4 s of pink noise at about -34 dBFS",
            "silence": "4 s of a quiet room (about -67 dBFS)",
        }
        for k in KINDS:
            vals = [results[c][k]["score"] for c in ids]
            fbs = "%d/%d" % (fb_ok[k], fb_total) if k in fb_ok else "-"
            print("| %s | %s | %.1f | %d | %d | %s |" % (k, what[k], mean(k), min(vals), max(vals), fbs))
        print()
        print("Ordering (good > slow, fast > half > noise, silence) held for %d of %d paragraphs (%.0f%%)."
              % (order_ok, len(ids), 100.0 * order_ok / len(ids)))
        print()
        print("Mean sub-scores per kind (duration / energy / completeness / pauses / level):")
        print()
        for k in KINDS:
            print("- %s: %s" % (k, " / ".join("%.0f" % mean(k, f) for f in
                                             ["duration", "energy", "completeness", "pauses", "level"])))
    else:
        for cid in ids:
            print(cid, " ".join("%s=%d" % (k, results[cid][k]["score"]) for k in KINDS))
        print("ordering %d/%d" % (order_ok, len(ids)))
        for k in FEEDBACK:
            print("feedback %s %d/%d" % (k, fb_ok[k], fb_total))
    for f in failures:
        print("note:", f, file=sys.stderr)

    if args.check:
        bad = order_ok < 0.9 * len(ids) or any(fb_ok[k] < 0.9 * fb_total for k in CHECKED)
        if bad:
            print("FAIL: ordering or feedback below 90%", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
