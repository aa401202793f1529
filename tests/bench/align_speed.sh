#!/bin/bash
# Speed of `shadowing cue align` on a 60-minute MP3 broadcast (the demo
# paragraphs read 16 times, 288 cues), on one core. Target: <= 10 s.
# Peer: echogarden (TTS + DTW) reports about 53 s for 36 minutes, i.e.
# 88 s for 60 minutes. Also shows a plain GStreamer decode of the same file.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SHADOWING:-$src/build/src/shadowing}
d=$src/tests/bench/out/align60; mkdir -p "$d"
if [ ! -f "$d/broadcast.mp3" ]; then
  "$src/tests/cue/make_broadcast.sh" "$d" clean 1 16 >/dev/null 2>&1
  lame --quiet -b 64 "$d/broadcast.wav" "$d/broadcast.mp3" && rm "$d/broadcast.wav"
  sed -i 's/broadcast.wav/broadcast.mp3/' "$d/lesson.json"
fi
dur=$(soxi -D "$d/broadcast.mp3" 2>/dev/null || echo 0)
t0=$(date +%s.%N)
taskset -c 0 "$bin" cue align "$d/lesson.json" -q -o "$d/aligned.json" >/dev/null 2>&1
t1=$(date +%s.%N)
taskset -c 0 gst-launch-1.0 -q filesrc location="$d/broadcast.mp3" ! decodebin ! audioconvert ! audioresample ! \
  audio/x-raw,rate=16000,channels=1 ! fakesink sync=false
t2=$(date +%s.%N)
ours=$(echo "$t1 - $t0" | bc); dec=$(echo "$t2 - $t1" | bc)
peer=$(echo "53 * $dur / (36 * 60)" | bc -l)
res=$(python3 "$src/tests/cue/align_check.py" "$d/aligned.json" "$d/truth.tsv")
v=$(echo "$ours <= 10" | bc -l | sed 's/1/PASS/;s/0/FAIL/')
printf 'audio %.0f s; cue align %.2f s (of which decoding; gst-launch decode alone %.2f s); echogarden scaled %.0f s (%.0fx faster); target <= 10 s: %s; accuracy %s\n' \
  "$dur" "$ours" "$dec" "$peer" "$(echo "$peer / $ours" | bc -l)" "$v" "$res"
