#!/bin/bash
# Speed of `shadowing cue align --words` on a long broadcast: the demo
# broadcast (4:07, 18 paragraphs, 582 words) repeated K times (default 4:
# 16.5 minutes, 72 cues), pinned to one core; the figure is scaled to 60
# minutes. Peers in the same run: pocketsphinx_continuous (Debian package
# pocketsphinx) decoding the first 247.5 s of the same audio with its own
# language model (free recognition is slow: scaled), and the pause aligner
# alone (`cue align` without --words).
# Target (issue 11): 60-minute broadcast <= 90 s on one core.
#   tests/bench/words_speed.sh [BUILDDIR] [K]
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${1:-build}
K=${2:-4}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
files=()
for _ in $(seq "$K"); do files+=(assets/demo/broadcast.mp3); done
sox "${files[@]}" -r 16000 -c 1 "$out/long.wav" || exit 1
python3 - "$K" "$out/lesson.json" <<'PY'
import json, sys
k, path = int(sys.argv[1]), sys.argv[2]
demo = json.load(open("assets/demo/lesson.json", encoding="utf-8"))
dur = 247.5  # the demo broadcast's length (s)
cues = []
for r in range(k):
    for c in demo["cues"]:
        cues.append({"id": f"r{r}-{c['id']}", "begin": round(c["begin"] + r * dur, 3),
                     "end": round(c["end"] + r * dur, 3), "text": c["text"]})
json.dump({"shadowing": 1, "title": "long", "audio": "long.wav", "cues": cues}, open(path, "w"))
PY
secs=$(soxi -D "$out/long.wav")
run() { /usr/bin/time -f "%U %S %e %M" taskset -c 0 "$@" 2>&1 >/dev/null | tail -1; }
read -r u s e m < <(run "$B/shadowing" cue align "$out/lesson.json" --words -q -o "$out/o.json")
ours=$(echo "$u + $s" | bc)
read -r pu ps pe pm < <(run "$B/shadowing" cue align "$out/lesson.json" -q -o "$out/p.json")
pauses=$(echo "$pu + $ps" | bc)
echo "audio: $secs s ($K x the demo broadcast)"
printf 'cue align --words: %.1f s CPU (%.1f s wall), %d MB peak; scaled to 60 min: %.0f s CPU\n' \
  "$ours" "$e" $((m / 1024)) "$(echo "$ours * 3600 / $secs" | bc -l)"
printf 'cue align (pauses only): %.1f s CPU\n' "$pauses"
if command -v pocketsphinx_continuous >/dev/null; then
  # on the first demo broadcast only (free recognition is slow), scaled
  sox "$out/long.wav" "$out/one.wav" trim 0 247.5
  read -r qu qs qe qm < <(run pocketsphinx_continuous -infile "$out/one.wav" -logfn /dev/null)
  peer=$(echo "$qu + $qs" | bc)
  printf 'peer pocketsphinx_continuous (free recognition, LM) on 247.5 s: %.1f s CPU, %d MB; scaled to 60 min: %.0f s\n' \
    "$peer" $((qm / 1024)) "$(echo "$peer * 3600 / 247.5" | bc -l)"
else
  echo "peer pocketsphinx_continuous: not installed (apt-get install pocketsphinx)"
fi
scaled=$(echo "$ours * 3600 / $secs" | bc -l)
if [ "$(echo "$scaled <= 90" | bc)" -eq 1 ]; then echo "target <= 90 s per hour on one core: met"; exit 0; fi
echo "target <= 90 s per hour on one core: NOT met"; exit 1
