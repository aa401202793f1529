#!/bin/bash
# A class folder with hostile takes among good ones, scored by `score --dir`
# and `practice --batch`: every bad file is named with its own clear error
# (a WAV claiming 0xFFFFFFFF Hz used to stall each command for 30 s), the
# good takes are still scored, and the exit status is 1. How fast, beside
# the same folder without the bad files: tests/bench/hostile_dir.sh.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
export XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
L="$SRCDIR/assets/demo/lesson.json"
TK="$SRCDIR/assets/demo/takes"
sox -q -R -n -r 16000 -c 1 -b 16 "$T/good.wav" synth 2 pinknoise gain -10 || exit 1
sox -q "$T/good.wav" "$T/good.flac" || exit 1
mkdir "$T/h" "$T/class"
python3 "$SRCDIR/tests/decode/make_hostile.py" "$T/good.wav" "$T/good.flac" "$T/h" > "$T/list" || exit 1
re() { awk -F'\t' -v n="$1" '$1 == n {print $2}' "$T/list"; }

cp "$TK/p1.ogg" "$T/class/p1.ogg"
sox "$TK/p2.ogg" -r 16000 -c 1 "$T/class/p2.wav"
# take name <- hostile file (expected message)
declare -A bad=([p3.wav]=rate_ff.wav [p4.wav]=chan0.wav [p5.mp3]=notes.mp3 [p6.ogg]=garbage.ogg
                [p7.wav]=empty.wav [p8.mp3]=id3huge.mp3 [p9.flac]=rate_ff.flac [p10.wav]=block0.wav)
declare -A want
for t in "${!bad[@]}"; do cp "$T/h/${bad[$t]}" "$T/class/$t"; want[$t]=$(re "${bad[$t]}"); done
mkfifo "$T/class/p11.wav";            want[p11.wav]='a named pipe \(FIFO\), not a file'
ln -s nowhere.wav "$T/class/p12.wav"; want[p12.wav]='a symbolic link to nowhere\.wav, which does not exist'
ln -s p13.wav "$T/class/p13.wav";     want[p13.wav]='too many levels of symbolic links'

# score --dir
out=$("$SHADOWING" score "$L" --dir "$T/class" --json 2>"$T/err"); expect_status 1 "score --dir: exit 1 (bad takes)"
err=$(cat "$T/err")
python3 - "$out" <<'PY'
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines()]
assert sorted(l["cue"] for l in lines) == ["p1", "p2"], lines
assert all(l["score"] > 30 for l in lines), [l["score"] for l in lines]
PY
expect_status 0 "score --dir: the good takes p1 and p2 are scored"
for t in "${!want[@]}"; do
  expect_match "$err" "^shadowing: $T/class/$t: ${want[$t]}" "score --dir names $t: ${want[$t]}"
done
expect_no_match "$err" "did not start decoding|no progress" "score --dir: no stall"

# practice --batch
out=$("$SHADOWING" practice "$L" --batch --takes "$T/class" 2>"$T/err"); expect_status 1 "batch: exit 1 (bad takes)"
printf '%s\n' "$out" > "$T/out"
python3 - "$T/out" "$T/class" <<'PY'
import json, sys
lines = {l["cue"]: l for l in map(json.loads, open(sys.argv[1]))}
assert len(lines) == 18, len(lines)
for c in ("p1", "p2"):
    assert isinstance(lines[c]["score"], int) and lines[c]["score"] > 30, lines[c]
for i in range(3, 14):
    l = lines["p%d" % i]
    assert l["score"] is None and l["error"].startswith(sys.argv[2] + "/p%d." % i), l
PY
expect_status 0 "batch: p1, p2 scored; p3..p13 each an error naming its file"
for t in "${!want[@]}"; do
  expect_match "$(grep -F "\"cue\":\"${t%%.*}\"" "$T/out")" "${want[$t]}" "batch names $t: ${want[$t]}"
done
finish
