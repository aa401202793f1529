#!/bin/bash
# Decoding one 15 s cue in the middle of the 60-minute MP3 (30:00-30:15),
# from a cold start of the decoder: open (build + preroll the pipeline) +
# accurate seek + decode + resample to 16 kHz. Target: <= 100 ms wall.
# Worst of 5 runs. The peer is what we would do without seeking: decoding
# from the start up to the end of that cue.
. "$(dirname "$0")/decode_common.sh"

worst=0
for i in 1 2 3 4 5; do
  line=$("$BENCH" cue "$MP3" 1800 1815)
  echo "run $i: $line"
  total=$(printf '%s\n' "$line" | sed -n 's/.*total \([0-9.]*\) ms.*/\1/p')
  worst=$(awk -v a="$total" -v b="$worst" 'BEGIN{print (a > b) ? a : b}')
done
peer=$("$BENCH" linear "$MP3" 1815)
echo "peer (no seek): $peer"
if awk -v w="$worst" 'BEGIN{exit !(w <= 100)}'; then verdict=PASS; else verdict=FAIL; fi
echo "one cue in the middle of 60 min: worst $worst ms, target <= 100 ms: $verdict"
[ "$verdict" = PASS ]
