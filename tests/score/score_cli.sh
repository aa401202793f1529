#!/bin/bash
# `shadowing score` from the command line: a lesson cue, --ref, --dir with
# CSV, --json, --plot, and the errors (exit 1 naming the file, 2 for usage).
# Uses the demo lesson's recorded takes (assets/demo/takes: p1 good, p2 slow,
# p3 fast, p4 half) and fixtures made here with sox.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
L=$SRCDIR/assets/demo/lesson.json
TK=$SRCDIR/assets/demo/takes

# One take, text output: total, sub-scores, feedback.
out=$("$SHADOWING" score "$L" --cue p1 "$TK/p1.ogg" 2>/dev/null); expect_status 0 "score a good take"
expect_match "$out" '^p1: [0-9]+/100 (excellent|good)$' "good take: total and verdict"
for s in duration energy completeness pauses level; do
  expect_match "$out" "^  $s +[0-9]+ " "text shows the $s sub-score"
done

# --json: one object of the documented shape; faults named in the feedback.
json() { "$SHADOWING" score "$L" --cue "$1" "$2" --json 2>/dev/null; }
check_json() { # check_json JSON PYTHON-CONDITION DESCRIPTION
  python3 -c 'import json,sys; o=json.loads(sys.argv[1]); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
  expect_status 0 "$3"
}
j=$(json p1 "$TK/p1.ogg"); expect_status 0 "--json"
check_json "$j" 'o["cue"]=="p1" and 0<=o["score"]<=100 and isinstance(o["verdict"],str)' "json: cue, score, verdict"
check_json "$j" 'sorted(o["subscores"])==["completeness","duration","energy","level","pauses"] and all(0<=v<=100 for v in o["subscores"].values())' "json: five sub-scores 0-100"
check_json "$j" 'o["reference"]["voiced_s"]>5 and o["take"]["voiced_s"]>5 and o["take"]["speech"] is True' "json: reference and take measurements"
check_json "$j" 'isinstance(o["feedback"],list) and len(o["feedback"])>=1' "json: feedback lines"
good=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["score"])' "$j")
j2=$(json 2 "$TK/p2.ogg"); check_json "$j2" 'any("as long as the speaker" in f for f in o["feedback"])' "slow take (cue by index): told to speed up"
j3=$(json p3 "$TK/p3.ogg"); check_json "$j3" 'any("too fast" in f for f in o["feedback"])' "fast take: told to slow down"
j4=$(json p4 "$TK/p4.ogg"); check_json "$j4" 'any("stopped at about" in f for f in o["feedback"]) and o["measurements"]["coverage"]<0.7' "half take: stopped early"

# Background noise about 15 dB below the speech does not change the verdict
# much: both envelopes are compared over the same dynamic range.
d=$(soxi -D "$TK/p1.ogg")
sox -n -r 16000 -c 1 "$T/pink.wav" synth "$d" pinknoise vol 0.02 2>/dev/null
sox -m -v 1 "$TK/p1.ogg" -v 1 "$T/pink.wav" -r 16000 "$T/noisy.wav" 2>/dev/null
jn=$(json p1 "$T/noisy.wav")
check_json "$jn" 'abs(o["score"]-'"$good"')<=10 and o["subscores"]["energy"]>=60' "noisy take scores close to the clean one"

# Silence and noise: no speech, score near zero.
sox -n -r 16000 -c 1 "$T/silence.wav" synth 3 brownnoise vol 0.0008 2>/dev/null
sox -n -r 16000 -c 1 "$T/noise.flac" synth 3 pinknoise vol 0.1 2>/dev/null
for f in silence.wav noise.flac; do
  j=$(json p1 "$T/$f"); expect_status 0 "score $f"
  check_json "$j" 'o["score"]<=5 and o["verdict"]=="no speech detected" and any("No speech detected" in x for x in o["feedback"])' "$f: no speech detected"
done

# Overdriven (20 dB too loud, clipped) and through a lossy codec: clipping
# is counted as events, about the same in Ogg as in WAV.
sox "$TK/p1.ogg" "$T/loud.ogg" gain 20 2>/dev/null; sox "$TK/p1.ogg" "$T/loud.wav" gain 20 2>/dev/null
jo=$(json p1 "$T/loud.ogg"); jw=$(json p1 "$T/loud.wav")
check_json "$jo" 'o["subscores"]["level"]<50 and o["take"]["clipped"]>10 and any("clipped" in f and "move back" in f for f in o["feedback"])' "clipped take: told to move back"
cw=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["take"]["clipped"])' "$jw")
check_json "$jo" 'abs(o["take"]["clipped"]-'"$cw"')<=0.3*'"$cw" "clipping events: Ogg close to WAV"

# --ref: two plain files. The reference is cue p1 cut from the lesson audio.
sox "$SRCDIR/assets/demo/broadcast.mp3" -r 16000 -c 1 "$T/ref.wav" trim 0.5 =19.655 2>/dev/null
j=$("$SHADOWING" score --ref "$T/ref.wav" "$TK/p1.ogg" --json 2>/dev/null); expect_status 0 "--ref"
check_json "$j" '"cue" not in o and abs(o["score"]-'"$good"')<=15' "--ref scores like the lesson cue"

# --plot: an SVG with the title, both panels and the pauses.
"$SHADOWING" score "$L" --cue p4 "$TK/p4.ogg" --plot "$T/p4.svg" >/dev/null 2>&1; expect_status 0 "--plot"
expect_true "plot is well-formed XML" python3 -c 'import sys,xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$T/p4.svg"
svg=$(cat "$T/p4.svg")
expect_match "$svg" 'p4: [0-9]+/100' "plot title has the total"
expect_match "$svg" 'duration [0-9]+ .*completeness [0-9]+' "plot title has the sub-scores"
expect_match "$svg" '>pause<' "plot marks pauses"
expect_match "$svg" 'not reached' "plot shows the part not reached"

# --dir: a teacher's folder, takes named by id or index, CSV.
mkdir "$T/class"
cp "$TK/p1.ogg" "$T/class/p1.ogg"; cp "$TK/p1.ogg" "$T/class/p1.again.ogg"
cp "$TK/p2.ogg" "$T/class/2.ogg"; cp "$T/silence.wav" "$T/class/p5.wav"
echo "notes" > "$T/class/readme.txt"
csv=$("$SHADOWING" score "$L" --dir "$T/class" --csv 2>"$T/err"); expect_status 0 "--dir --csv"
expect_match "$(head -1 <<<"$csv")" '^cue,file,score,verdict,duration,energy,completeness,pauses,level' "CSV header"
expect_match "$csv" '^p1,[^,]*p1\.ogg,[0-9]+,' "CSV row for p1.ogg"
expect_match "$csv" '^p2,[^,]*2\.ogg,[0-9]+,' "CSV row for 2.ogg (by index)"
expect_match "$csv" '^p5,[^,]*p5\.wav,0,no speech detected' "CSV row for a silent take"
expect_match "$csv" '^p1,[^,]*p1\.again\.ogg,[0-9]+,' "CSV row for a second take of p1"
expect_true "CSV has a header and four rows" test "$(wc -l <<<"$csv")" -eq 5
s1=$(grep 'p1\.ogg' <<<"$csv" | cut -d, -f3); s2=$(grep 'p1\.again' <<<"$csv" | cut -d, -f3)
expect_true "the same take scores the same ($s1, $s2)" test "$s1" = "$s2"
expect_match "$(cat "$T/err")" "readme.txt: no cue 'readme'" "a stray file is named and skipped"
out=$("$SHADOWING" score "$L" --dir "$T/class" --json 2>/dev/null); expect_status 0 "--dir --json"
expect_true "--dir --json: one object per take" test "$(grep -c '^{"cue"' <<<"$out")" -eq 4

# Errors: one line naming the file and what to do; exit 1.
err=$("$SHADOWING" score "$L" --cue p1 "$T/missing.wav" 2>&1 >/dev/null); expect_status 1 "missing take"
expect_match "$err" 'missing\.wav' "missing take is named"
expect_true "missing take: one line" test "$(grep -vc CRITICAL <<<"$err")" -le 1
echo "not audio" > "$T/text.wav"
err=$("$SHADOWING" score "$L" --cue p1 "$T/text.wav" 2>&1 >/dev/null); expect_status 1 "not an audio file"
expect_match "$err" 'text\.wav' "non-audio take is named"
err=$("$SHADOWING" score "$L" --cue p99 "$TK/p1.ogg" 2>&1 >/dev/null); expect_status 1 "unknown cue"
expect_match "$err" "no cue 'p99'" "unknown cue is named"
err=$("$SHADOWING" score "$T/nolesson.json" --cue p1 "$TK/p1.ogg" 2>&1 >/dev/null); expect_status 1 "missing lesson"
expect_match "$err" 'nolesson\.json' "missing lesson is named"
err=$("$SHADOWING" score "$L" --dir "$T/nodir" 2>&1 >/dev/null); expect_status 1 "missing folder"
expect_match "$err" 'nodir' "missing folder is named"

err=$("$SHADOWING" score --ref "$T/silence.wav" "$TK/p1.ogg" 2>&1 >/dev/null); expect_status 1 "silent reference"
expect_match "$err" 'silence\.wav: no speech in this reference' "silent reference is named"

# Usage errors: exit 2.
"$SHADOWING" score >/dev/null 2>&1; expect_status 2 "no arguments"
"$SHADOWING" score "$L" "$TK/p1.ogg" >/dev/null 2>&1; expect_status 2 "no --cue"
"$SHADOWING" score "$L" --cue p1 "$TK/p1.ogg" --csv >/dev/null 2>&1; expect_status 2 "--csv without --dir"
"$SHADOWING" score --ref "$T/ref.wav" >/dev/null 2>&1; expect_status 2 "--ref without a take"
"$SHADOWING" score "$L" --cue p1 "$TK/p1.ogg" --bogus >/dev/null 2>&1; expect_status 2 "unknown option"
"$SHADOWING" score "$L" --cue >/dev/null 2>&1; expect_status 2 "--cue without a value"
"$SHADOWING" score "$L" --dir "$T/class" --cue p1 >/dev/null 2>&1; expect_status 2 "--dir with --cue"
"$SHADOWING" score "$L" --dir "$T/class" --plot "$T/x.svg" >/dev/null 2>&1; expect_status 2 "--dir with --plot"
out=$("$SHADOWING" score --help); expect_status 0 "--help"
expect_match "$out" '^Usage: shadowing score' "--help shows usage"
finish
