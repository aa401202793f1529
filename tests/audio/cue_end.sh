#!/bin/bash
# A cue that ends after the audio (1.0-10.0 s on a 6 s file) and one past
# it (7-9 s): every command that uses a cue says so as `check` does, at the
# cue's "end" (FILE:LINE:COL: error: cue "ID" (#N): ...) with exit 1; `play`
# plays what there is and warns in the same words (exit 0). It used to play
# 5 s with exit 0 and nothing said, and `score` blamed the cue's speech.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
export XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
sox "$SRCDIR/assets/demo/broadcast.mp3" -r 16000 -c 1 -b 16 "$T/six.wav" trim 0 6 2>/dev/null || exit 1
cat > "$T/l.json" <<'JSON'
{
  "shadowing": 1,
  "title": "Six seconds",
  "audio": "six.wav",
  "cues": [
    {"id": "p1", "begin": 0.5, "end": 5.5, "text": "The meteoric rise of DeepSeek"},
    {"id": "p2", "begin": 1.0,
     "end": 10.0, "text": "ends after the audio"},
    {"id": "p3", "begin": 7.0,
     "end": 9.0, "text": "lies past the audio"}
  ]
}
JSON
L="$T/l.json"
E2="^$L:8:13: error: cue \"p2\" \(#2\): \"end\" 00:10\.000 is after the end of the audio \(00:06\.000\): make it 00:06\.000 or earlier"
E3="^$L:10:13: error: cue \"p3\" \(#3\): \"end\" 00:09\.000 is after the end of the audio \(00:06\.000\)"
err=$("$SHADOWING" check "$L" 2>&1 >/dev/null); expect_status 1 "check: invalid"
expect_match "$err" "$E2" "check: the message every command repeats"

# play: what exists is played, with the warning (where the audio ends, what to fix).
err=$("$SHADOWING" play "$L" --cue p2 --audio file --output "$T/p2.wav" 2>&1 >/dev/null); expect_status 0 "play p2: plays"
expect_match "$err" "${E2/error:/warning:}" "play p2: warns at the cue's end"
expect_true "play p2: one line" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
d=$(soxi -D "$T/p2.wav" 2>/dev/null)
expect_true "play p2: 0.95..6 s played ($d s)" awk -v d="$d" 'BEGIN{exit !(d > 5.0 && d < 5.1)}'
err=$("$SHADOWING" play "$L" --cue p2 --speed 0.8 --audio file --output "$T/p2s.wav" 2>&1 >/dev/null)
expect_status 0 "play p2 slower: plays"
expect_match "$err" "${E2/error:/warning:}" "play p2 slower: warns too"
err=$("$SHADOWING" play "$L" --cue p1 --audio file --output "$T/p1.wav" 2>&1 >/dev/null); expect_status 0 "play p1"
expect_true "play p1: nothing said" test -z "$err"
err=$("$SHADOWING" play "$L" --cue p3 --audio file --output "$T/p3.wav" 2>&1 >/dev/null); expect_status 1 "play p3: nothing to play"
expect_match "$err" "$E3" "play p3: the located error"

# record: refused before anything is recorded.
sox "$T/six.wav" "$T/take.wav" trim 0.5 5 2>/dev/null
err=$("$SHADOWING" record "$L" --cue p2 --audio file --input "$T/take.wav" -o "$T/rec.wav" 2>&1 >/dev/null </dev/null)
expect_status 1 "record p2: refused"
expect_match "$err" "$E2" "record p2: the located error"
expect_true "record p2: no take written" test ! -e "$T/rec.wav"
"$SHADOWING" record "$L" --cue p1 --audio file --input "$T/take.wav" -o "$T/rec1.wav" >/dev/null 2>&1 </dev/null
expect_status 0 "record p1: records"

# score: the cue's fault, not "no speech".
for c in p2 p3; do
  err=$("$SHADOWING" score "$L" --cue $c "$T/take.wav" 2>&1 >/dev/null); expect_status 1 "score $c: exit 1"
  expect_match "$err" "$([ $c = p2 ] && echo "$E2" || echo "$E3")" "score $c: the located error"
  expect_no_match "$err" "no speech|lies past" "score $c: not blamed on speech"
done
"$SHADOWING" score "$L" --cue p1 "$T/take.wav" >/dev/null 2>&1; expect_status 0 "score p1: scored"

# practice --batch: the located errors, an error line for those cues, the others scored.
mkdir "$T/takes"; for c in p1 p2 p3; do cp "$T/take.wav" "$T/takes/$c.wav"; done
out=$("$SHADOWING" practice "$L" --batch --takes "$T/takes" 2>"$T/err"); expect_status 1 "batch: exit 1"
expect_match "$(cat "$T/err")" "$E2" "batch: p2's located error"
expect_match "$(cat "$T/err")" "$E3" "batch: p3's located error"
python3 - "$out" <<'PY'
import json, sys
l = {o["cue"]: o for o in map(json.loads, sys.argv[1].splitlines())}
assert isinstance(l["p1"]["score"], int), l["p1"]
for c in ("p2", "p3"):
    assert l[c]["score"] is None and "after the end of the audio (00:06.000)" in l[c]["error"], l[c]
PY
expect_status 0 "batch: p1 scored, p2 and p3 an error line each"

# The practice screen refuses the lesson before it starts (a terminal via script).
out=$(timeout 20 script -qec "$SHADOWING practice $L --audio null" /dev/null </dev/null); expect_status 1 "screen: exit 1"
plain=$(printf '%s\n' "$out" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[()][A-Z0-9]//g; s/\x1b[=>]//g')
expect_match "$plain" "${E2#^}" "screen: p2's located error"
expect_match "$plain" "${E3#^}" "screen: p3's located error"
finish
