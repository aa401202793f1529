#!/bin/bash
# Scoring speed and memory: a 30 s take against a 30 s reference, after
# decoding, beside a full (unbanded) DTW of the same envelopes.
# Target (issue 9: speech-band features and pitch included): <= 25 ms CPU and <= 16 MB
# extra memory. Prints PASS/FAIL.
#
# Usage: tests/bench/score_speed.sh [BUILDDIR]   (default: build)
# Runs twice: on synthetic 30 s speech-like signals, then on 30 s of the demo
# lesson (paragraphs joined) against 30 s of espeak-ng in another voice.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
bench=$build/tests/bench/score_bench
[ -x "$bench" ] || { echo "score_speed: $bench not built (ninja -C $build; not built with sanitizers)"; exit 1; }
out=$here/out/score
mkdir -p "$out"
status=0
echo "== synthetic speech-like signals"
"$bench" || status=1
echo "== demo lesson audio (first 30 s) vs espeak-ng en-gb+f3 reading the same text"
sox "$root/assets/demo/broadcast.mp3" -r 16000 -c 1 "$out/ref30.wav" trim 0.5 30 2>/dev/null
python3 - "$root/assets/demo/lesson.json" > "$out/text.txt" <<'PY'
import json, sys
cues = json.load(open(sys.argv[1], encoding="utf-8"))["cues"]
print(" ".join(c["text"] for c in cues[:3]))
PY
espeak-ng -v en-gb+f3 -s 165 -f "$out/text.txt" -w "$out/take_full.wav"
sox "$out/take_full.wav" -r 16000 -c 1 "$out/take30.wav" trim 0 30 2>/dev/null
"$bench" "$out/ref30.wav" "$out/take30.wav" || status=1
exit $status
