#!/bin/bash
# Speed of the lesson editors on big lessons (issue 10, item 2): `cue init`
# (article text), `cue import` (SRT) and `cue shift` at 10k and 40k cues,
# and `check` on the result. Target: each <= 2 s at 40k cues, and growing
# linearly (40k / 10k about 4x, not 16x). Peers, measured in the same run:
# `shadowing check` of the same lesson (a linear pass: read, validate) and
# python3's json.load + json.dump of it (read and write, no validation).
# Import decodes the audio too: its share is shown as `info --exact`.
#   tests/bench/cue_edit_speed.sh [BUILDDIR]
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SHADOWING:-${1:-$src/build}/shadowing}
[ -x "$bin" ] || bin=$src/build/shadowing
d=$src/tests/bench/out/cue_edit; mkdir -p "$d"
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
fails=0
printf '%6s %-22s %8s\n' cues command seconds
for n in 10000 40000; do
  # cue i: 10 ms of "speech" every 20 ms, so 40k cues fit in 800 s of audio
  # (8 kHz mono silence: the scan is cheap and the same for every n).
  python3 - "$d" "$n" <<'EOF'
import json, struct, sys, os
d, n = sys.argv[1], int(sys.argv[2])
def ts(t):
    ms = round(t * 1000); h, ms = divmod(ms, 3600000); m, ms = divmod(ms, 60000); s, ms = divmod(ms, 1000)
    return "%02d:%02d:%02d,%03d" % (h, m, s, ms)
with open(os.path.join(d, "cues%d.srt" % n), "w") as f:
    for i in range(n):
        f.write("%d\n%s --> %s\nParagraph number %d is read here.\n\n" % (i + 1, ts(i * 0.02), ts(i * 0.02 + 0.01), i + 1))
with open(os.path.join(d, "article%d.txt" % n), "w") as f:
    f.write("A very long article\n\n")
    for i in range(n):
        f.write("This is paragraph number %d of the article, read aloud.\n\n" % (i + 1))
wav = os.path.join(d, "audio.wav")
frames = 8000 * 801
if not os.path.exists(wav):
    with open(wav, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 36 + 2 * frames) + b"WAVEfmt " +
                struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) + b"data" + struct.pack("<I", 2 * frames))
        f.write(b"\0" * (2 * frames))
EOF
  t0=$(now); "$bin" cue import "$d/cues$n.srt" --audio "$d/audio.wav" -o "$d/imported$n.json" --force 2>/dev/null
  r1=$?; t1=$(now)
  "$bin" cue init "$d/article$n.txt" --audio "$d/audio.wav" -o "$d/init$n.json" --force 2>/dev/null
  r2=$?; t2=$(now)
  "$bin" cue shift "$d/imported$n.json" --by 0.5 -o "$d/shifted$n.json" 2>/dev/null
  r3=$?; t3=$(now)
  "$bin" check "$d/shifted$n.json" >/dev/null 2>&1
  t4=$(now)
  python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"), indent=2)' \
    "$d/shifted$n.json" "$d/py$n.json"
  t5=$(now)
  "$bin" info --exact "$d/audio.wav" >/dev/null 2>&1
  t6=$(now)
  got=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["cues"]))' "$d/shifted$n.json" 2>/dev/null)
  [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ $r3 -eq 0 ] && [ "$got" = "$n" ] || { echo "cue commands failed at $n cues" >&2; fails=$((fails + 1)); }
  imp=$(secs "$t0" "$t1"); ini=$(secs "$t1" "$t2"); shi=$(secs "$t2" "$t3")
  printf '%6d %-22s %8.3f\n' "$n" "cue import (srt)" "$imp" "$n" "cue init (text)" "$ini" "$n" "cue shift" "$shi" \
    "$n" "check (peer)" "$(secs "$t3" "$t4")" "$n" "python3 json (peer)" "$(secs "$t4" "$t5")" \
    "$n" "info --exact (decode)" "$(secs "$t5" "$t6")"
  eval "imp$n=$imp ini$n=$ini shi$n=$shi"
done
for c in imp ini shi; do
  a=$(eval echo "\$${c}10000"); b=$(eval echo "\$${c}40000")
  ok=$(echo "$b <= 2" | bc -l)
  printf '%s: 40k cues %.3f s (target <= 2 s: %s), 40k/10k %.1fx (quadratic would be 16x)\n' "$c" "$b" \
    "$([ "$ok" = 1 ] && echo PASS || echo FAIL)" "$(echo "$b / $a" | bc -l)"
  [ "$ok" = 1 ] || fails=$((fails + 1))
done
[ $fails -eq 0 ]
