#!/bin/bash
# Speech detection on real speech (speech.h) beside sh_vad (the peer, on the
# full-band envelope): the demo broadcast, espeak-ng takes of the demo
# lesson, and one espeak-ng sentence clean, after a 3 s silent lead-in, in
# pink and brown noise, and through a telephone band (300-3400 Hz, 8 kHz).
# Target: on the clean inputs the speech span agrees with sh_vad's within
# 0.1 s at both ends, the speech time within 5% and the pause count within
# one (a gap right at the 150 ms limit may go either way: sh_vad is a peer,
# not the truth); the noisy and telephone versions are printed to compare
# (sox -R: the same noise every run). Prints PASS/FAIL.
#
# Usage: tests/bench/speech_accuracy.sh [BUILDDIR]   (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
eval=$build/tests/bench/speech_eval
[ -x "$eval" ] || { echo "speech_accuracy: $eval not built (ninja -C $build)"; exit 1; }
out=$here/out/speech
mkdir -p "$out"
cd "$out"
sox "$root/assets/demo/broadcast.mp3" -r 16000 -c 1 -b 16 broadcast.wav trim 0.5 30 2>/dev/null
for p in p1 p5 p9 p14; do sox "$root/assets/demo/takes/$p.ogg" -r 16000 -c 1 -b 16 take_$p.wav 2>/dev/null; done
espeak-ng -v en-gb+f3 -s 150 -w es.wav "Shadowing is a way to practise speaking. You listen to a sentence, and then you repeat it at the same time as the speaker."
sox es.wav -r 16000 -b 16 sentence.wav
sox sentence.wav lead3s.wav pad 3 1
sox -R -n -r 16000 -c 1 -b 16 pinkn.wav synth 12 pinknoise vol 0.05
sox -R -n -r 16000 -c 1 -b 16 brownn.wav synth 12 brownnoise vol 0.1
sox -m lead3s.wav pinkn.wav pink.wav trim 0 12 2>/dev/null
sox -m lead3s.wav brownn.wav brown.wav trim 0 12 2>/dev/null
sox lead3s.wav -r 8000 phone8k.wav sinc 300-3400 2>/dev/null
sox phone8k.wav -r 16000 phone.wav 2>/dev/null
clean=(broadcast.wav take_p1.wav take_p5.wav take_p9.wav take_p14.wav sentence.wav lead3s.wav)
"$eval" "${clean[@]}" | tee clean.txt
"$eval" pink.wav brown.wav phone.wav phone8k.wav
# ours vs sh_vad on the clean inputs
awk '{
  k = 0; q = 0; t = 0
  for (i = 1; i <= NF; i++) {
    if ($i == "span") s[++k] = $(i+1)
    else if ($i == "pauses") p[++q] = $(i+1)
    else if ($i == "speech" && $(i+2) == "s") v[++t] = $(i+1)
  }
  split(s[1], a, "-"); split(s[2], b, "-")
  d = p[1] - p[2]
  if (a[1] - b[1] > 0.1 || b[1] - a[1] > 0.1 || a[2] - b[2] > 0.1 || b[2] - a[2] > 0.1 || d > 1 || d < -1 ||
      v[1] > 1.05 * v[2] || v[1] < 0.95 * v[2]) bad++
} END {
  if (bad) { printf "FAIL: %d of %d clean inputs differ from sh_vad\n", bad, NR; exit 1 }
  printf "PASS: all %d clean inputs agree with sh_vad (span within 0.1 s, speech time within 5%%, pauses within 1)\n", NR
}' clean.txt
