#!/bin/bash
# `cue align` accuracy on broadcasts made with espeak-ng from the demo text,
# with exact ground truth (tests/cue/make_broadcast.sh). One condition that
# combines the hard cases (jingle intro, noise bed, another voice and rate,
# 0.4 s pauses between paragraphs and as long between sentences) keeps the
# suite fast; tests/bench/align_accuracy.sh runs each condition.
# Targets (issue 6): median boundary error <= 60 ms, worst <= 250 ms.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
for cond in "jingle,noise,voice2,short,sentences"; do
  d="$T/${cond//,/_}"
  "$SRCDIR/tests/cue/make_broadcast.sh" "$d" "$cond" 11 >/dev/null 2>&1
  expect_status 0 "make broadcast $cond"
  # MP3, as teachers have it (the decoder, gapless handling and all)
  lame --quiet -b 64 "$d/broadcast.wav" "$d/broadcast.mp3"
  sed -i 's/broadcast.wav/broadcast.mp3/' "$d/lesson.json"
  out=$("$SHADOWING" cue align "$d/lesson.json" -o "$d/aligned.json" 2>&1)
  expect_status 0 "cue align $cond"
  expect_match "$out" '^aligned 18 cues' "align reports a summary ($cond)"
  res=$(python3 "$SRCDIR/tests/cue/align_check.py" "$d/aligned.json" "$d/truth.tsv" 60 250)
  expect_status 0 "accuracy $cond: $res"
  echo "$cond: $res"
done
finish
