#!/bin/bash
# Decode speed: our full decode of a 60-minute MP3 against gst-launch-1.0
# decoding the same file, CPU time (user+sys), best of 3 runs each.
# Target: our speed >= 0.9 x the peer's (peer CPU / our CPU >= 0.9).
#
# Like with like: both decode every frame of the file with the same
# GStreamer MP3 decoder (mpg123) at its native rate and throw the samples
# away: the peer into fakesink (its audioconvert and audioresample
# negotiate passthrough), ours (`shadowing info --exact`) by counting them
# in our pad probe. Two more lines, for information: ours with every block
# mixed to mono float and handed to a callback (decode_bench native), and
# the 16 kHz scan that `check` runs (plus resampling and the envelope).
. "$(dirname "$0")/decode_common.sh"

best() { # best CMD...: lowest CPU of 3 runs -> "CPU WALL RSS"
  local b="" r
  for _ in 1 2 3; do
    r=$(cpu_of "$@")
    if [ -z "$b" ] || awk -v a="${r%% *}" -v c="${b%% *}" 'BEGIN{exit !(a < c)}'; then b=$r; fi
  done
  echo "$b"
}
read -r ours ours_wall _ < <(best "$SHADOWING" info --exact "$MP3")
read -r peer peer_wall _ < <(best gst-launch-1.0 -q filesrc location="$MP3" ! decodebin ! audioconvert ! \
                              audioresample ! fakesink sync=false)
read -r cb cb_wall _ < <(best "$BENCH" native "$MP3")
read -r scan scan_wall _ < <(best "$BENCH" scan "$MP3")

printf 'file: %s (60 min, 44.1 kHz stereo VBR MP3)\n' "$MP3"
printf '%-58s %8s %8s\n' "" "CPU s" "wall s"
printf '%-58s %8.2f %8.2f\n' "ours: shadowing info --exact (counts samples)" "$ours" "$ours_wall"
printf '%-58s %8.2f %8.2f\n' "peer: gst-launch-1.0 filesrc ! decodebin ! ... ! fakesink" "$peer" "$peer_wall"
printf '%-58s %8.2f %8.2f\n' "(info) ours: mono float blocks to a callback" "$cb" "$cb_wall"
printf '%-58s %8.2f %8.2f\n' "(info) ours: 16 kHz scan + envelope, as check does" "$scan" "$scan_wall"
ratio=$(awk -v o="$ours" -v p="$peer" 'BEGIN{printf "%.2f", p / o}')
if awk -v r="$ratio" 'BEGIN{exit !(r >= 0.9)}'; then verdict=PASS; else verdict=FAIL; fi
echo "speed ratio (peer CPU / our CPU): $ratio, target >= 0.90: $verdict"
[ "$verdict" = PASS ]
