#!/bin/bash
# Speed of `shadowing cue align` on a 60-minute MP3 broadcast (the demo
# paragraphs read 16 times, 288 cues), on one core. Target: <= 10 s.
# Peer: echogarden (TTS + DTW) reports about 53 s for 36 minutes, i.e.
# 88 s for 60 minutes. Also shows a plain GStreamer decode of the same file.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SHADOWING:-$src/build/shadowing}
d=$src/tests/bench/out/align60; mkdir -p "$d"
if [ ! -f "$d/broadcast.mp3" ]; then
  "$src/tests/cue/make_broadcast.sh" "$d" clean 1 16 >/dev/null 2>&1
  lame --quiet -b 64 "$d/broadcast.wav" "$d/broadcast.mp3" && rm "$d/broadcast.wav"
  sed -i 's/broadcast.wav/broadcast.mp3/' "$d/lesson.json"
fi
dur=$(soxi -D "$d/broadcast.mp3" 2>/dev/null || echo 0)
t0=$(date +%s.%N)
sum=$(taskset -c 0 "$bin" cue align "$d/lesson.json" -o "$d/aligned.json" 2>/dev/null | tail -1)
t1=$(date +%s.%N)
taskset -c 0 "$bin" info --exact "$d/broadcast.mp3" >/dev/null 2>&1
t2=$(date +%s.%N)
taskset -c 0 gst-launch-1.0 -q filesrc location="$d/broadcast.mp3" ! decodebin ! audioconvert ! audioresample ! \
  audio/x-raw,rate=16000,channels=1 ! fakesink sync=false 2>/dev/null
t3=$(date +%s.%N)
total=$(echo "$t1 - $t0" | bc); info=$(echo "$t2 - $t1" | bc); gst=$(echo "$t3 - $t2" | bc)
dec=$(echo "$sum" | sed -n 's/.*decoding \([0-9.]*\) s.*/\1/p'); ali=$(echo "$sum" | sed -n 's/.*alignment \([0-9.]*\) s.*/\1/p')
peer=$(echo "53 * $dur / (36 * 60)" | bc -l)
res=$(python3 "$src/tests/cue/align_check.py" "$d/aligned.json" "$d/truth.tsv")
echo "$sum"
printf 'audio %.0f s (%d cues), one core:\n' "$dur" "$(grep -c . "$d/truth.tsv")"
printf '  cue align, total          %6.2f s   (decode pass %.2f s + alignment %.3f s)\n' "$total" "$dec" "$ali"
printf '  shadowing info --exact    %6.2f s   (our decode of the same file)\n' "$info"
printf '  gst-launch decode only    %6.2f s\n' "$gst"
printf '  echogarden (peer, scaled) %6.0f s   (53 s for 36 min)\n' "$peer"
printf '  ratio peer / ours         %6.1fx\n' "$(echo "$peer / $total" | bc -l)"
printf '  accuracy: %s\n' "$res"
printf 'target: alignment <= 10 s: %s; whole command <= 10 s: %s\n' \
  "$(echo "$ali <= 10" | bc -l | sed 's/1/PASS/;s/0/FAIL/')" "$(echo "$total <= 10" | bc -l | sed 's/1/PASS/;s/0/FAIL/')"
