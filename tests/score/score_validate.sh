#!/bin/bash
# Ranking: synthetic espeak-ng attempts (good, slow, fast, half, other,
# noise, silence) for 8 of the demo lesson's 18 paragraphs, scored with
# `shadowing score`. Asserts, for >= 90% of the paragraphs, good > slow and
# fast > half > noise and silence, and that the feedback names the fault
# (slow / fast / stopped early / no speech). The full table in
# doc/scoring.md comes from the same script over all 18 paragraphs.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
out=$(python3 "$SRCDIR/tests/score/validate.py" "$SHADOWING" "$SRCDIR/assets/demo/lesson.json" \
      --cues 1,3,5,8,10,12,15,17 --work "$T" --check 2>&1)
expect_status 0 "ordering and feedback hold for >= 90% of paragraphs"
printf '%s\n' "$out" | grep -v CRITICAL | grep -v '^$'
expect_match "$out" '^ordering [78]/8$' "ordering reported"
finish
