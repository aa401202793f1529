#!/bin/bash
# Alignment accuracy of `shadowing cue align` over every test condition
# (espeak-ng broadcasts from the demo text, exact ground truth, MP3).
# Target (issue 6): median boundary error <= 60 ms, worst <= 250 ms.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SHADOWING:-$src/build/shadowing}
out=$src/tests/bench/out/align; mkdir -p "$out"
fail=0
for cond in clean short jingle longjingle outro announcer "jingle,announcer,outro" noise voice2 fast sentences "sentences,short" \
            "jingle,noise,voice2,short,sentences" "jingle,noise,fast,short,sentences" \
            "longjingle,outro,noise,voice2,short,sentences"; do
  d="$out/${cond//,/_}"
  "$src/tests/cue/make_broadcast.sh" "$d" "$cond" 5 >/dev/null 2>&1
  lame --quiet -b 64 "$d/broadcast.wav" "$d/broadcast.mp3"
  sed -i 's/broadcast.wav/broadcast.mp3/' "$d/lesson.json"
  "$bin" cue align "$d/lesson.json" -q -o "$d/aligned.json" >/dev/null 2>&1
  if res=$(python3 "$src/tests/cue/align_check.py" "$d/aligned.json" "$d/truth.tsv" 60 250); then v=PASS; else v=FAIL; fail=1; fi
  printf '%-38s %s  (target median <= 60 ms, worst <= 250 ms) %s\n' "$cond" "$res" "$v"
done
exit $fail
