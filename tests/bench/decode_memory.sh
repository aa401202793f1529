#!/bin/bash
# Peak memory of `shadowing check` on a 60-minute lesson (it decodes the
# whole audio once, streaming, for the exact duration and the envelope).
# Target: peak RSS <= 64 MB, i.e. memory independent of the lesson length.
# The peer is the same check on a 1-minute cut of the audio: if memory grew
# with length, the two would differ by far more than the envelope (1.4 MB/h).
. "$(dirname "$0")/decode_common.sh"

SHORT=$OUT/bench1.mp3
SHORT_LESSON=$OUT/bench1.json
if [ ! -s "$SHORT" ]; then
  sox -q "$MP3" -b 16 -e signed -t raw - trim 0 60 |
    lame --quiet -r -s 44.1 --bitwidth 16 --signed --little-endian -V 4 - "$SHORT"
fi
if [ ! -s "$SHORT_LESSON" ]; then
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['audio']='bench1.mp3'; d['cues']=d['cues'][:4]; json.dump(d, open(sys.argv[2],'w'))" \
    "$LESSON" "$SHORT_LESSON"
fi

if "$SHADOWING" help check >/dev/null 2>&1; then
  what="shadowing check"
  read -r _ _ long < <(cpu_of "$SHADOWING" check "$LESSON")
  read -r _ _ short < <(cpu_of "$SHADOWING" check "$SHORT_LESSON")
else
  # `check` (the lesson module) is not built yet: measure the scan it runs.
  what="sh_decode_scan (check not built)"
  read -r _ _ long < <(cpu_of "$BENCH" scan "$MP3")
  read -r _ _ short < <(cpu_of "$BENCH" scan "$SHORT")
fi
printf '%-46s %10s\n' "" "peak RSS"
printf '%-46s %7.1f MB\n' "ours: $what, 60-minute lesson" "$(awk -v k="$long" 'BEGIN{print k/1024}')"
printf '%-46s %7.1f MB\n' "peer: the same on a 1-minute lesson" "$(awk -v k="$short" 'BEGIN{print k/1024}')"
if [ "$long" -le 65536 ]; then verdict=PASS; else verdict=FAIL; fi
echo "60-minute peak RSS $(awk -v k="$long" 'BEGIN{printf "%.1f", k/1024}') MB, target <= 64 MB: $verdict"
[ "$verdict" = PASS ]
