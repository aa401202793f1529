#!/bin/bash
# Word times of `cue align --words` on a generated broadcast with known
# word times (tests/words/word_times.py: the first demo paragraphs, each
# word synthesized alone by espeak-ng and joined with 0-60 ms gaps).
# The bounds are what this build measures with room to spare, not the
# issue's targets (median <= 50 ms, 95th percentile <= 150 ms), which it
# does not reach yet: see doc/teacher-tools.md, "Word times".
set -u
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 "$SRCDIR/tests/words/word_times.py" --shadowing "$SHADOWING" --out "$out" --paragraphs 1 \
  --max-median 100 --max-p95 200 --min-found 0.9
