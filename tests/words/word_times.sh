#!/bin/bash
# Word times of `cue align --words` on generated broadcasts with known word
# times (tests/words/word_times.py): three demo paragraphs read continuously
# by espeak-ng, true times from espeak-ng's own word events, held to the
# issue's targets (median <= 50 ms, 95th percentile <= 150 ms, and 90% of
# the words found); and one paragraph of words synthesized one by one.
set -u
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
python3 "$SRCDIR/tests/words/word_times.py" --shadowing "$SHADOWING" --out "$out/c" --paragraphs 3 \
  --voice espeak-cont --max-median 50 --max-p95 150 --min-found 0.9 || status=1
python3 "$SRCDIR/tests/words/word_times.py" --shadowing "$SHADOWING" --out "$out/w" --paragraphs 1 \
  --voice espeak --max-median 50 --max-p95 150 --min-found 0.9 || status=1
exit $status
