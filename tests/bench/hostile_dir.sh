#!/bin/bash
# A class folder with hostile takes scored as fast as one without them
# (issue 10, item 1). The peer is the same lesson and the same good takes
# without the bad files, measured in the same run:
#   score --dir:        the 18 demo takes, then the same plus 16 bad files
#                       named as extra takes (p3.bad.wav...): the extra cost
#                       per bad file is judged;
#   practice --batch:   the 18 demo takes, then 9 of them replaced by bad
#                       files: must not take longer (less to score).
# Bad files: tests/decode/make_hostile.py (a WAV claiming 0xFFFFFFFF Hz,
# which cost 30 s each before, 0 channels, a 256 MB ID3 tag, garbage Ogg,
# text, HTML, ZIP, an empty file...) plus a FIFO and a symbolic link loop.
# Also the longest any single hostile file keeps `info` waiting (<= 2 s).
# Target: <= 0.25 s per bad file (a failed decode is a few ms; before, the
# 0xFFFFFFFF WAV alone cost 30 s). 3 runs each, the median is judged.
#
# Usage: tests/bench/hostile_dir.sh [BUILDDIR]   (default: build)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
SHADOWING=${SHADOWING:-$build/shadowing}
[ -x "$SHADOWING" ] || { echo "hostile_dir: build first: $SHADOWING missing"; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/sh-bench-XXXXXX")
trap 'rm -rf "$T"' EXIT
export XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
L=$root/assets/demo/lesson.json
sox -q -R -n -r 16000 -c 1 -b 16 "$T/good.wav" synth 2 pinknoise gain -10
sox -q "$T/good.wav" "$T/good.flac"
mkdir "$T/h" "$T/clean" "$T/dirty" "$T/batch_clean" "$T/batch_dirty"
python3 "$root/tests/decode/make_hostile.py" "$T/good.wav" "$T/good.flac" "$T/h" > "$T/list"
cp "$root"/assets/demo/takes/p*.ogg "$T/clean/"
cp "$root"/assets/demo/takes/p*.ogg "$T/dirty/"
cp "$root"/assets/demo/takes/p*.ogg "$T/batch_clean/"
cp "$root"/assets/demo/takes/p*.ogg "$T/batch_dirty/"
i=1; nrep=0
while IFS=$'\t' read -r name _; do
  cp "$T/h/$name" "$T/dirty/p$i.bad.${name##*.}"
  if [ $i -le 18 ] && [ $((i % 2)) -eq 1 ]; then
    rm -f "$T/batch_dirty/p$i.ogg"; cp "$T/h/$name" "$T/batch_dirty/p$i.${name##*.}"; nrep=$((nrep + 1))
  fi
  i=$((i + 1))
done < "$T/list"
mkfifo "$T/dirty/p2.fifo.wav"; ln -s p4.loop.wav "$T/dirty/p4.loop.wav"
nbad=$(( $(ls "$T/dirty" | wc -l) - 18 ))

secs() { # secs CMD...: wall seconds of one run (exit status ignored)
  local s e
  s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
  awk -v a="$s" -v b="$e" 'BEGIN{printf "%.3f", (b - a) / 1e9}'
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
run3() { median3 "$(secs "$@")" "$(secs "$@")" "$(secs "$@")"; }

sc=$(run3 "$SHADOWING" score "$L" --dir "$T/clean" --json)
sd=$(run3 "$SHADOWING" score "$L" --dir "$T/dirty" --json)
bc=$(run3 "$SHADOWING" practice "$L" --batch --takes "$T/batch_clean" --no-history)
bd=$(run3 "$SHADOWING" practice "$L" --batch --takes "$T/batch_dirty" --no-history)
# Each hostile file alone: the longest any one makes `info` wait, beside
# `info` on the good WAV.
worst=0; worst_name=
for f in "$T"/h/* "$T/dirty/p2.fifo.wav" "$T/dirty/p4.loop.wav" /dev/zero /proc/self/status; do
  t=$(secs "$SHADOWING" info "$f")
  if awk -v a="$t" -v b="$worst" 'BEGIN{exit !(a > b)}'; then worst=$t; worst_name=$(basename "$f"); fi
done
good=$(run3 "$SHADOWING" info "$T/good.wav")

per=$(awk -v a="$sc" -v b="$sd" -v n="$nbad" 'BEGIN{d=(b-a)/n; if (d<0) d=0; printf "%.3f", d}')
echo "score --dir, 18 good takes:                     $sc s"
echo "score --dir, the same plus $nbad bad files:         $sd s  ($per s per bad file)"
echo "practice --batch, 18 good takes:                $bc s"
echo "practice --batch, $nrep of them replaced by bad files: $bd s"
echo "info on one file: the good WAV $good s; the slowest hostile file ($worst_name) $worst s (target <= 2 s)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
verdict=PASS
awk -v p="$per" 'BEGIN{exit !(p <= 0.25)}' || verdict=FAIL
awk -v c="$bc" -v d="$bd" -v n="$nrep" 'BEGIN{exit !(d <= c + 0.25 * n)}' || verdict=FAIL
awk -v w="$worst" 'BEGIN{exit !(w <= 2)}' || verdict=FAIL
echo "hostile class folder: $per s per bad file (score --dir), batch $bd s vs $bc s clean, target <= 0.25 s per bad file: $verdict"
[ "$verdict" = PASS ]
