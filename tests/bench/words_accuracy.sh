#!/bin/bash
# Word-time accuracy of `shadowing cue align --words` on generated broadcasts
# with known word times (tests/words/word_times.py), all 18 demo paragraphs:
#   espeak-cont       continuous espeak-ng (en-us, 165 wpm), truth from its word events
#   flite-cont:slt    continuous flite, voice slt, truth from its segment times
#   flite-cont:kal16  continuous flite, voice kal16
#   espeak, flite:slt words synthesized one by one, joined with 0-60 ms gaps
# Peer (same run, same audio): the words spread over the true cue in
# proportion to their letters (no recogniser).
# Target (issue 11): median word-boundary error <= 50 ms, 95th percentile
# <= 150 ms on espeak-ng and flite voices.
#   tests/bench/words_accuracy.sh [BUILDDIR]
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${1:-build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for v in espeak-cont flite-cont:slt flite-cont:kal16 espeak flite:slt; do
  python3 tests/words/word_times.py --shadowing "$B/shadowing" --out "$out/$v" --paragraphs 18 --voice "$v" \
    --max-median 50 --max-p95 150 || status=1
done
exit $status
