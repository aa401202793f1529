#!/bin/bash
# The hard validation set (tests/score/hardset.py) and its evaluator
# (tests/score/hardset_eval.py) on a tiny subset: paragraphs 1, 3 and 5 of
# both broadcasts (B1 the demo lesson, B2 made with festival), one learner
# voice per synthesizer family (espeak-ng, flite, festival), the kinds
# correct, slow, half, silence and noise. Checks only what must hold for any
# scorer worth shipping, today and after a redesign: every take scores,
# the JSON has its keys, a correct repeat beats silence and noise, B2 passes
# `shadowing check`, and both the generator and the scorer are deterministic.
# The full set and the issue's targets are the benchmark
# tests/bench/score_validation.sh.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
gen() {
  python3 "$SRCDIR/tests/score/hardset.py" "$@" --halves tuning --voices-per-family 1 \
          --kinds correct,slow,half,silence,noise -j 2
}
out=$(gen "$T/a" --cues 1,3,5 2>&1)
expect_status 0 "the generator makes the subset"
expect_match "$out" '^hardset: 30 takes in ' "30 takes: 2 broadcasts x 3 paragraphs x 5 kinds"
# Determinism: a second run (B1, paragraphs 3 and 5: the festival and flite
# voices) gives the same bytes; every take depends only on its own seed.
out=$(gen "$T/b" --cues 3,5 --broadcasts b1 2>&1)
expect_status 0 "the generator runs a second time"
same() {
  local n=0 f
  for f in $(cd "$T/b" && find b1 -type f); do
    cmp -s "$T/a/$f" "$T/b/$f" || { echo "differs: $f"; return 1; }
    n=$((n + 1))
  done
  [ "$n" -eq 12 ] || { echo "$n files compared, expected 12"; return 1; }
}
expect_true "two runs give byte-identical files" same
expect_true "the manifest names 30 files that exist" python3 - "$T/a" <<'PY'
import json, os, sys
m = json.load(open(os.path.join(sys.argv[1], "manifest.json")))
t = m["takes"]
sys.exit(not (len(t) == 30 and all(os.path.exists(os.path.join(sys.argv[1], x["file"])) for x in t)
              and {x["family"] for x in t if x["family"]} == {"espeak", "flite", "festival"}))
PY
out=$("$SHADOWING" check "$T/a/b2/lesson.json" 2>&1)
expect_status 0 "shadowing check accepts the generated broadcast B2"
for b in b1 b2; do
  "$SHADOWING" score "$T/a/$b/lesson.json" --dir "$T/a/$b/tuning" --json > "$T/$b.jsonl" 2> "$T/$b.err"
  expect_status 0 "$b: every take scores (score --dir exits 0)"
done
expect_true "JSON keys, and correct > silence and noise in every paragraph" python3 - "$T" <<'PY'
import json, os, sys
ok = True
for b in ("b1", "b2"):
    res = {}
    for line in open(os.path.join(sys.argv[1], b + ".jsonl")):
        d = json.loads(line)
        for key, typ in (("cue", str), ("score", int), ("verdict", str), ("subscores", dict), ("feedback", list)):
            if not isinstance(d.get(key), typ):
                print("%s %s: %r is not a %s" % (b, d.get("file"), key, typ.__name__)); ok = False
        if not 0 <= d.get("score", -1) <= 100:
            print("%s %s: score %r" % (b, d["file"], d.get("score"))); ok = False
        res[os.path.basename(d["file"]).split(".")[:2][0], os.path.basename(d["file"]).split(".")[1]] = d["score"]
    if len(res) != 15:
        print("%s: %d results, expected 15" % (b, len(res))); ok = False
    for cue in ("p1", "p3", "p5"):
        c = res.get((cue, "correct"), -1)
        for k in ("silence", "noise"):
            if not c > res.get((cue, k), 101):
                print("%s %s: correct %s, %s %s" % (b, cue, c, k, res.get((cue, k)))); ok = False
sys.exit(not ok)
PY
take=$(ls "$T/a/b2/tuning/"p3.correct.* | head -1)
one=$("$SHADOWING" score "$T/a/b2/lesson.json" --cue p3 "$take" --json)
two=$("$SHADOWING" score "$T/a/b2/lesson.json" --cue p3 "$take" --json)
expect_true "two scores of the same take give the same JSON" test -n "$one" -a "$one" = "$two"
out=$(python3 "$SRCDIR/tests/score/hardset_eval.py" "$SHADOWING" "$T/a" --half tuning 2>&1)
expect_status 0 "the evaluator runs on the subset"
expect_match "$out" 'every take scores without error +.*0 errors PASS' "the evaluator reports no scoring error"
expect_match "$out" 'correct > silence in 100% +3/3' "the evaluator compares correct with silence per paragraph"
finish
