#!/bin/bash
# `shadowing check`: good and bad lessons against a generated 6 s WAV, the
# text and --json outputs, exit codes, and the bundled demo lesson.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch D

sox -n -r 16000 -c 1 -b 16 "$D/a.wav" synth 6 sine 300 vol 0.5
mkdir -p "$D/sub"
cp "$D/a.wav" "$D/sub/b.wav"
printf 'not audio at all\n' > "$D/notes.txt"

# json FILE EXPR: evaluate a Python expression over the JSON document j.
json() {
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

cat > "$D/good.json" <<'EOF'
{"shadowing": 1, "title": "Good", "audio": "a.wav",
 "cues": [
  {"id": "p1", "begin": 0.5, "end": 2.5, "text": "One."},
  {"id": "p2", "begin": "00:03.000", "end": 5.75, "text": "Two.", "translation": "二。"}
 ]}
EOF
out=$("$SHADOWING" check "$D/good.json" 2>"$D/err"); expect_status 0 "good lesson is valid"
expect_match "$out" "^$D/good.json: OK: 2 cues, 0:06.0 of audio, 0 warnings\$" "summary line"
expect_true "nothing on stderr for a clean lesson" test ! -s "$D/err"

"$SHADOWING" check --json "$D/good.json" > "$D/good.out" 2>"$D/err"; expect_status 0 "good lesson --json"
expect_true "--json prints nothing on stderr" test ! -s "$D/err"
expect_match "$(json "$D/good.out" 'list(j.keys())')" "^\['valid', 'cues', 'audio_duration', 'warnings', 'errors'\]$" "--json keys"
expect_match "$(json "$D/good.out" '(j["valid"], j["cues"], j["warnings"], j["errors"])')" "^\(True, 2, \[\], \[\]\)$" "--json good values"
expect_match "$(json "$D/good.out" 'abs(j["audio_duration"] - 6.0) < 0.002')" "^True$" "exact duration"

# Audio relative to the lesson's folder, not the current one.
sed 's/"a.wav"/"sub\/b.wav"/' "$D/good.json" > "$D/rel.json"
(cd / && "$SHADOWING" check "$D/rel.json" >/dev/null 2>&1); expect_status 0 "audio resolved against the lesson's folder"

# A cue past the end of the audio: located at its "end".
cat > "$D/long.json" <<'EOF'
{"shadowing": 1, "title": "Long", "audio": "a.wav",
 "cues": [
  {"id": "p1", "begin": 0.5, "end": 2.5, "text": "One."},
  {"id": "p2", "begin": 3,
   "end": 7.5, "text": "Two."}
 ]}
EOF
out=$("$SHADOWING" check "$D/long.json" 2>"$D/err"); expect_status 1 "cue past the end of the audio"
expect_match "$(cat "$D/err")" "^$D/long.json:5:11: error: cue \"p2\" \(#2\): \"end\" 00:07.500 is after the end of the audio \(00:06.000\): make it 00:06.000 or earlier" "end past audio located"
expect_match "$out" "^$D/long.json: INVALID: 1 error, 0 warnings\$" "invalid summary"
"$SHADOWING" check "$D/long.json" --json > "$D/long.out" 2>/dev/null; expect_status 1 "--json invalid exit status"
expect_match "$(json "$D/long.out" '(j["valid"], j["cues"], len(j["errors"]))')" "^\(False, 2, 1\)$" "--json invalid values"
expect_match "$(json "$D/long.out" '[j["errors"][0][k] for k in ("file","line","column","cue")]')" "^\['$D/long.json', 5, 11, 'p2'\]$" "--json error fields"
expect_match "$(json "$D/long.out" 'j["errors"][0]["text"]')" "^$D/long.json:5:11: error: cue \"p2\" \(#2\): \"end\"" "--json error text"

# Missing audio: located at the "audio" value.
sed 's/"a.wav"/"missing.mp3"/' "$D/good.json" > "$D/noaudio.json"
"$SHADOWING" check "$D/noaudio.json" >/dev/null 2>"$D/err"; expect_status 1 "missing audio"
expect_match "$(cat "$D/err")" "^$D/noaudio.json:1:44: error: audio file \"missing.mp3\" not found \(looked for $D/missing.mp3\)" "missing audio located"
"$SHADOWING" check --json "$D/noaudio.json" > "$D/noaudio.out"
expect_match "$(json "$D/noaudio.out" '(j["valid"], j["audio_duration"], j["errors"][0]["line"], j["errors"][0]["column"], j["errors"][0]["cue"])')" "^\(False, None, 1, 44, None\)$" "--json missing audio"

# Not an audio file.
sed 's/"a.wav"/"notes.txt"/' "$D/good.json" > "$D/text.json"
"$SHADOWING" check "$D/text.json" >/dev/null 2>"$D/err"; expect_status 1 "audio that is not audio"
expect_match "$(cat "$D/err")" "^$D/text.json:1:44: error: audio: " "not-audio error located at \"audio\""

# A truncated audio file: decoded as far as it goes, with a warning at "audio".
head -c 30000 "$SRCDIR/assets/demo/broadcast.mp3" > "$D/trunc.mp3"
printf '{"shadowing": 1, "title": "T", "audio": "trunc.mp3",\n "cues": [{"begin": 0.5, "end": 1.5, "text": "x"}]}\n' > "$D/trunc.json"
out=$("$SHADOWING" check "$D/trunc.json" 2>"$D/err"); expect_status 0 "truncated audio is a warning"
expect_match "$(cat "$D/err")" "^$D/trunc.json:1:41: warning: audio: " "truncation warning located at \"audio\""
expect_match "$out" "OK: 1 cue, 0:0[0-9]\.[0-9] of audio, 1 warning\$" "truncated summary"

# Warnings do not fail the check.
cat > "$D/warn.json" <<'EOF'
{"shadowing": 1, "title": "Warn", "audio": "a.wav",
 "cues": [{"begin": 0.5, "end": 0.8, "text": "Hi."}, {"begin": 1, "end": 3, "text": "Two."}]}
EOF
out=$("$SHADOWING" check "$D/warn.json" 2>"$D/err"); expect_status 0 "warnings only"
expect_match "$out" "OK: 2 cues, 0:06.0 of audio, 1 warning\$" "warning counted"
expect_match "$(cat "$D/err")" "^$D/warn.json:2:21: warning: cue \"p1\" \(#1\): lasts only 0.3 s" "warning located"
"$SHADOWING" check --json "$D/warn.json" > "$D/warn.out"
expect_match "$(json "$D/warn.out" '(j["valid"], len(j["warnings"]), j["warnings"][0]["cue"], j["warnings"][0]["line"], j["warnings"][0]["column"])')" "^\(True, 1, 'p1', 2, 21\)$" "--json warning"

# Broken JSON: a syntax error with its place; all schema errors at once.
printf '{"shadowing": 1,\n "title": "x",\n "cues": [1 2]}\n' > "$D/syntax.json"
"$SHADOWING" check "$D/syntax.json" >/dev/null 2>"$D/err"; expect_status 1 "syntax error"
expect_match "$(cat "$D/err")" "^$D/syntax.json:3:13: error: expected ',' or '\]': add a comma between elements\$" "syntax error located"
printf '{"shadowing": 1, "audio": "a.wav",\n "cues": [{"begin": 2, "end": 1, "text": "x"}, {"begin": 0, "end": 1}]}\n' > "$D/schema.json"
"$SHADOWING" check --json "$D/schema.json" > "$D/schema.out"; expect_status 1 "schema errors"
expect_match "$(json "$D/schema.out" '[(e["line"], e["column"]) for e in j["errors"]]')" "^\[\(1, 1\), \(2, 31\), \(2, 48\)\]$" "every schema error, located"
expect_match "$(json "$D/schema.out" 'j["errors"][2]["message"]')" "^cue \"p2\" \(#2\): missing \"text\"" "message names the cue"

# A cue file with errors still gets its audio checked: one run shows all.
printf '{"shadowing": 1, "title": "T", "audio": "gone.mp3",\n "cues": [{"begin": 2, "end": 1, "text": "x"}]}\n' > "$D/both.json"
"$SHADOWING" check --json "$D/both.json" > "$D/both.out"; expect_status 1 "cue and audio errors"
expect_match "$(json "$D/both.out" '[(e["line"], e["column"], e["message"][:20]) for e in j["errors"]]')" "^\[\(1, 41, 'audio file \"gone.mp3'\), \(2, 31, 'cue \"p1\" \(#1\): \"end\"'\)\]$" "both reported, in file order"
sed 's/"gone.mp3"/"a.wav"/; s/"end": 1,/"end": 9,/' "$D/both.json" > "$D/both2.json"
"$SHADOWING" check --json "$D/both2.json" > "$D/both2.out"; expect_status 1 "end past audio in a valid cue file"
expect_match "$(json "$D/both2.out" '(j["cues"], round(float(j["audio_duration"]), 3), j["errors"][0]["line"], j["errors"][0]["column"])')" "^\(1, 6.0, 2, 31\)$" "duration checked"

# A missing lesson file.
"$SHADOWING" check "$D/none.json" >/dev/null 2>"$D/err"; expect_status 1 "missing lesson"
expect_match "$(cat "$D/err")" "^$D/none.json: error: cannot open: No such file or directory" "missing lesson message"

# Usage errors.
"$SHADOWING" check >/dev/null 2>&1; expect_status 2 "no lesson given"
"$SHADOWING" check a.json b.json >/dev/null 2>&1; expect_status 2 "two lessons"
err=$("$SHADOWING" check --frob "$D/good.json" 2>&1 >/dev/null); expect_status 2 "unknown option"
expect_match "$err" "unknown option '--frob'" "unknown option named"
out=$("$SHADOWING" check --help); expect_status 0 "--help"
expect_match "$out" "^Usage: shadowing check LESSON" "--help usage"

# The full example of doc/lesson-format.md is a valid lesson.
python3 -c 'import re,sys; print(re.search(r"```json\n(.*?)```", open(sys.argv[1]).read(), re.S).group(1))' \
  "$SRCDIR/doc/lesson-format.md" | sed 's/"broadcast.mp3"/"ex.wav"/' > "$D/example.json"
sox -n -r 16000 -c 1 -b 16 "$D/ex.wav" synth 46 sine 300 vol 0.5
out=$("$SHADOWING" check "$D/example.json" 2>"$D/err"); expect_status 0 "documented example is valid"
expect_match "$out" "OK: 3 cues, 0:46.0 of audio, 0 warnings\$" "documented example summary"

# The bundled demo lesson is valid.
out=$("$SHADOWING" check "$SRCDIR/assets/demo/lesson.json" 2>"$D/err"); expect_status 0 "demo lesson is valid"
expect_match "$out" "OK: 18 cues, [0-9]+:[0-9]{2}\.[0-9] of audio, 0 warnings\$" "demo summary"
"$SHADOWING" check --json "$SRCDIR/assets/demo/lesson.json" > "$D/demo.out"
expect_match "$(json "$D/demo.out" '(j["valid"], j["cues"], j["audio_duration"] > 200)')" "^\(True, 18, True\)$" "demo --json"
# A lesson saved as UTF-16 (issue 10): named, with the conversion, not
# "unexpected U+0000" or "not valid UTF-8"
for enc in UTF-16LE UTF-16BE UTF-16; do
  iconv -f UTF-8 -t $enc "$D/good.json" > "$D/u16.json"
  err=$("$SHADOWING" check "$D/u16.json" 2>&1 >/dev/null); expect_status 1 "$enc lesson is refused"
  want=$enc; [ $enc = UTF-16 ] && want='UTF-16 \(with a byte order mark\)'
  expect_match "$err" "^$D/u16.json:1:1: error: the file is $want, not UTF-8: save it as UTF-8 \(e.g. iconv -f $enc -t UTF-8 FILE > NEW\)\$" \
    "$enc lesson: says UTF-16 and how to convert"
done
finish
