#!/bin/bash
# The scorer on the hard validation set (issue 9, "Scores that hold for any
# voice and any room"): correct, faulty and empty takes in eight learner
# voices of three synthesizer families (espeak-ng, flite, festival) under
# recording conditions (phone, USB headset, laptop, fan noise, hum, reverb,
# clipping, too quiet, late start, coughs, breathing), against two
# broadcasts (B1 the demo lesson, espeak-ng; B2 the same text read by
# festival). Prints, for the tuning and the validation half, the score per
# kind and the issue's targets with PASS/FAIL; beside it, the same binary on
# the easy set (tests/score/validate.py: espeak-ng learners, clean takes).
# Exit status 1 when a target of the validation half fails.
#
# Usage: tests/bench/score_validation.sh [BUILDDIR]   (default: build)
# The set is made once into BUILDDIR/hardset (about 3.5 minutes of CPU,
# 4.5-13 minutes on two cores shared with other jobs) and remade only when
# tests/score/hardset*.py change; scores are cached per binary
# (BUILDDIR/hardset/.scores).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
bin=${SHADOWING:-$build/shadowing}
[ -x "$bin" ] || { echo "score_validation: $bin not built (.ci/build)"; exit 1; }
set_dir=$build/hardset
stamp=$(cat "$root/tests/score/hardset.py" "$root/tests/score/hardset_rooms.py" | sha256sum | cut -d" " -f1)
if [ "$(cat "$set_dir/.generator" 2>/dev/null)" != "$stamp" ]; then
  echo "== making the set in $set_dir"
  rm -rf "$set_dir"
  start=$(date +%s)
  python3 "$root/tests/score/hardset.py" "$set_dir" -j 2 || exit 1
  echo "$stamp" > "$set_dir/.generator"
  echo "   made in $(( $(date +%s) - start )) s"
fi
echo "== the hard set: $bin"
python3 "$root/tests/score/hardset_eval.py" "$bin" "$set_dir" --half both --check
status=$?
echo "== the easy set (tests/score/validate.py, espeak-ng learners, clean takes), same binary"
python3 "$root/tests/score/validate.py" "$bin" "$root/assets/demo/lesson.json" --work "$build/validate-easy" \
  2>/dev/null | tail -n 8
[ $status -eq 0 ] && echo "score_validation: validation-half targets PASS" || echo "score_validation: validation-half targets FAIL"
exit $status
