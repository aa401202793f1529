#!/bin/bash
# Under load (both cores busy with other processes), 60 s of play+record
# (shadow mode: full duplex) through the file backend paced in real time:
# target 0 underruns and 0 overruns. The same run on an idle machine is
# printed beside it as the baseline (no other peer paces a file in real time).
. "$(dirname "$0")/audio_common.sh"
IN=$OUT/mic60.wav
[ -s "$IN" ] || sox -q -n -r 48000 -c 1 -b 16 "$IN" synth 62 pinknoise tremolo 3.5 85 gain -12

run() { # run LABEL: prints the counters line
  local log; log=$(mktemp)
  /usr/bin/time -f '%U %S %e' -o "$log.time" \
    "$SHADOWING" record "$LESSON" --cue p2 --shadow --realtime --input "$IN" --output "$OUT/played60.wav" \
      -o "$OUT/take60.wav" --verbose </dev/null >/dev/null 2>"$log"
  local line; line=$(grep '^audio: file' "$log")
  local u o d
  u=$(echo "$line" | sed -E 's/.*underruns ([0-9]+).*/\1/')
  o=$(echo "$line" | sed -E 's/.*overruns ([0-9]+).*/\1/')
  d=$(echo "$line" | sed -E 's/.*\(([0-9]+) samples dropped\).*/\1/')
  printf '%-10s underruns %s, overruns %s, dropped %s samples; CPU %s s user+sys over %s s\n' "$1" "$u" "$o" "$d" \
    "$(awk '{print $1 + $2}' "$log.time")" "$(awk '{print $3}' "$log.time")"
  rm -f "$log" "$log.time"
  [ "$u" = 0 ] && [ "$o" = 0 ] && [ "$d" = 0 ]
}

idle_ok=0; run idle || idle_ok=1
# Load: one busy loop per core (plus one), for the whole run.
pids=()
for _ in $(seq $(( $(nproc) + 1 ))); do (while :; do :; done) & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
load_ok=0; run "loaded" || load_ok=1
kill "${pids[@]}" 2>/dev/null; trap - EXIT
frames=$(python3 "$SRC/tests/audio/wavtool.py" info "$OUT/take60.wav" 2>/dev/null | awk '{print $3}' || true)
echo "take: ${frames:-?} samples at 48 kHz (the 60.35 s segment + 1.5 s)"
if [ "$load_ok" = 0 ]; then verdict=PASS; else verdict=FAIL; fi
echo "60 s play+record under load: target 0 underruns/overruns: $verdict (idle baseline: $([ "$idle_ok" = 0 ] && echo clean || echo NOT clean))"
[ "$verdict" = PASS ]
