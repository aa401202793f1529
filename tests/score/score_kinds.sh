#!/bin/bash
# Every kind of take of the hard set (tests/score/hardset.py) on two
# paragraphs of the demo lesson, in the validation half's voices (a flite
# and a festival voice: neither tuned the scorer), each kind under its own
# recording conditions. Asserts what a learner relies on: a correct repeat
# is excellent or good and above every faulty kind of its paragraph; hum,
# noise and silence are "no speech"; takes with speech never are; slow,
# fast and half takes are told what they did. Deterministic (the generator
# is seeded): the same takes and scores every run.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
out=$(python3 "$SRCDIR/tests/score/hardset.py" "$T/set" --cues 2,4 --broadcasts b1 --halves validation \
      --voices-per-family 1 -j 2 2>&1)
expect_status 0 "the generator makes every kind for two paragraphs"
expect_match "$out" '^hardset: 28 takes in ' "28 takes: 2 paragraphs x 14 kinds"
"$SHADOWING" score "$T/set/b1/lesson.json" --dir "$T/set/b1/validation" --json > "$T/all.jsonl" 2> "$T/err"
expect_status 0 "every take scores"
check() { # check DESCRIPTION PYTHON-CONDITION-ON r (dict kind -> result) for each paragraph
  expect_true "$1" python3 - "$T/all.jsonl" "$2" <<'PY'
import json, re, sys
by = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    cue, kind = d["file"].rsplit("/", 1)[1].split(".")[:2]
    by.setdefault(cue, {})[kind] = d
ok = True
def says(d, pat):
    return any(re.search(pat, f, re.I) for f in d["feedback"])
for cue, r in sorted(by.items()):
    if not eval(sys.argv[2], {"r": r, "says": says}):
        print(cue, {k: (v["score"], v["verdict"], v["feedback"][:2]) for k, v in sorted(r.items())})
        ok = False
sys.exit(not (ok and len(by) == 2))
PY
}
check "a correct repeat is excellent or good" 'r["correct"]["score"] >= 80 and r["correct"]["verdict"] in ("excellent", "good")'
check "a correct repeat ranks above every faulty kind" \
      'all(r["correct"]["score"] > r[k]["score"] for k in ("slow", "fast", "half", "leftout", "twice", "wrong", "mumble", "hum", "noise", "silence"))'
check "hum, noise and silence are no speech" 'all(r[k]["verdict"] == "no speech detected" for k in ("hum", "noise", "silence"))'
check "takes with speech (5 dB SNR included) are never 'no speech'" \
      'all(r[k]["verdict"] != "no speech detected" for k in r if k not in ("hum", "noise", "silence"))'
check "slow takes are told to speak faster" 'says(r["slow"], r"as long as the speaker")'
check "fast takes are told they were too fast" 'says(r["fast"], r"too fast")'
check "half takes are told where they stopped" 'says(r["half"], r"You stopped at about")'
check "a correct repeat is not blamed for a fault it lacks" \
      'not any(says(r["correct"], p) for p in (r"as long as", r"too fast", r"stopped at", r"left out", r"right one", r"No speech", r"too noisy"))'
finish
