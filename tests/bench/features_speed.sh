#!/bin/bash
# Speech features speed: sh_features_compute on 30 s at 16 kHz (synthetic
# speech in pink noise), beside sh_envelope_compute and a textbook 16 kHz
# YIN measured in the same run. Target (scorer rebuild): <= 5 ms CPU
# (median of 21 runs), so a 30 s take against a 30 s paragraph stays within
# the scorer's 25 ms. Prints PASS/FAIL.
#
# Usage: tests/bench/features_speed.sh [BUILDDIR]   (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
bench=$build/tests/bench/features_bench
[ -x "$bench" ] || { echo "features_speed: $bench not built (ninja -C $build)"; exit 1; }
"$bench" 21
