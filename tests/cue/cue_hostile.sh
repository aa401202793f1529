#!/bin/bash
# `shadowing cue` on hostile input and broken surroundings (issue 10, item 5):
# every message names the file, the place and what to do; nothing is said to
# have worked before the file is written; no control character reaches the
# terminal; a file of thousands of errors prints no more than `check` does.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
cd "$T" || exit 1
# 3 s of silence at 8 kHz, and a WAV that is only a header (no samples)
python3 - <<'EOF'
import struct
def wav(path, frames):
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 36 + 2 * frames) + b"WAVEfmt " +
                struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) + b"data" + struct.pack("<I", 2 * frames))
        f.write(b"\0" * (2 * frames))
wav("a.wav", 3 * 8000)
wav("empty.wav", 0)
EOF
printf '1\n00:00:00,000 --> 00:00:01,000\nHello there.\n\n2\n00:00:01,500 --> 00:00:02,000\nSecond one.\n' > two.srt

# -o a folder: refused before the import, and no "imported" line
mkdir out
err=$("$SHADOWING" cue import two.srt --audio a.wav -o out --force 2>&1)
expect_status 1 "import -o FOLDER fails"
expect_match "$err" '^shadowing: out is a folder: give the lesson.s file name, such as out/lesson.json$' \
  "import -o FOLDER says what to give"
expect_no_match "$err" 'imported' "import -o FOLDER does not claim it imported"
err=$("$SHADOWING" cue import two.srt --audio a.wav -o nodir/l.json 2>&1)
expect_status 1 "import -o into a missing folder fails"
expect_match "$err" 'the folder nodir does not exist: create it first \(mkdir -p nodir\)' "and names the folder"
expect_no_match "$err" 'imported' "and does not claim it imported"
err=$("$SHADOWING" cue init two.srt --audio a.wav -o out 2>&1)
expect_status 1 "init -o FOLDER fails"
expect_no_match "$err" 'kept|wrote' "init -o FOLDER reports nothing kept or written"
err=$("$SHADOWING" cue import two.srt --audio a.wav -o l.json 2>&1)
expect_status 0 "import two cues"
expect_match "$err" '^two.srt: imported 2 cues \(srt\) into l.json$' "the success line comes after writing"

# SRT with CR-only line ends (old Mac files) imports like any other
tr '\n' '\r' < two.srt > mac.srt
err=$("$SHADOWING" cue import mac.srt --audio a.wav -o mac.json 2>&1)
expect_status 0 "import CR-only SRT: $err"
got=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["cues"]; print(len(c), c[1]["text"], c[1]["begin"])' mac.json)
expect_match "$got" '^2 Second one. 1.5$' "CR-only SRT: both cues, texts and times"
# a bad line quoting control characters: escaped, never raw
printf '1\r00:00:00,000 -> \033[31mred\r\rx\n' > bad.srt
err=$("$SHADOWING" cue import bad.srt --audio a.wav --format srt 2>&1)
expect_status 1 "bad SRT fails"
expect_match "$err" "bad.srt:2:1: error: bad timing line '00:00:00,000 -> \\\\x1B\[31mred'" \
  "the timing line is named at line 2 with ESC escaped"
expect_no_match "$err" $'[\x01-\x09\x0b-\x1f\x7f]' "no control character in the messages"

# thousands of errors: the first 200 and the note `check` prints
python3 -c '
for i in range(2520): print("%d\nbad timing\nHello\n" % (i + 1))' > many.srt
err=$("$SHADOWING" cue import many.srt --audio a.wav --format srt 2>&1)
expect_status 1 "SRT with 2520 errors fails"
expect_true "at most 200 error lines (got $(printf '%s\n' "$err" | grep -c ': error: '))" \
  test "$(printf '%s\n' "$err" | grep -c ': error: ')" -eq 200
expect_match "$err" '^many.srt: note: 2320 more errors and 0 more warnings not shown: fix these first, then check again$' \
  "the note counts the rest, as check's does"

# UTF-16 without a byte order mark: named, with the conversion
iconv -f UTF-8 -t UTF-16LE two.srt > u16.srt
err=$("$SHADOWING" cue import u16.srt --audio a.wav --format srt 2>&1)
expect_status 1 "UTF-16LE SRT fails"
expect_match "$err" '^u16.srt:1: error: file is UTF-16; save it as UTF-8 \(e.g. iconv -f UTF-16LE -t UTF-8 FILE > NEW\)$' \
  "UTF-16LE without BOM is named"

# aeneas cut off, or nested 100k deep: where, and what
printf '{"fragments": [\n  {"id": "f1", "begin": "0.000", "end": "1.000", "lines": ["Hello there."]},\n  {"id": "f2", "begin": "1.0' > cut.json
err=$("$SHADOWING" cue import cut.json --audio a.wav --format aeneas 2>&1)
expect_status 1 "truncated aeneas fails"
expect_match "$err" '^cut.json:3:25: error: the file ends inside the string that starts here: was it cut off\?' \
  "truncated aeneas: line:column and 'was it cut off?'"
printf '{"fragments": [{"id": "f1", "begin": "0", "end": "1", "lines": ["A b."]}' > cut2.json
err=$("$SHADOWING" cue import cut2.json --audio a.wav --format aeneas 2>&1)
expect_match "$err" "^cut2.json:1:73: error: the file ends inside the array that starts at line 1, column 15: was it cut off\?" \
  "cut between fragments: names the array it ends in"
python3 -c "print('{\"fragments\": ' + '[' * 100000 + ']' * 100000 + '}')" > deep.json
err=$("$SHADOWING" cue import deep.json --audio a.wav --format aeneas 2>&1)
expect_status 1 "deep aeneas fails"
expect_match "$err" '^deep.json:1:78: error: nested deeper than 64 levels: an aeneas sync map needs about 10' \
  "deep aeneas: where and the limit"

# shift out of range: why and what to do; the lesson unchanged
cp l.json l0.json
err=$("$SHADOWING" cue shift l.json --by 1e308 2>&1)
expect_status 1 "shift --by 1e308 fails"
expect_match "$err" '^shadowing: l.json: shifting by 1e\+308 s would move cue "p2" \(#2\) past 360000 s, the limit of a lesson \(it ends at 2.000 s\): --by is in seconds; move forward by 359998.000 s at most$' \
  "shift past the limit says why and how far it can go"
err=$("$SHADOWING" cue shift l.json --by -0.5 --from 2 2>&1)
expect_status 0 "shift --from 2 back by 0.5"
err=$("$SHADOWING" cue shift l.json --by -2 2>&1)
expect_status 1 "shift before 0 fails"
expect_match "$err" 'would move cue "p1" \(#1\) before the start of the audio \(it begins at 0.000 s\): move back by 0.000 s at most, or move only the later cues with --from' \
  "shift before 0 says what to do"
got=$(python3 -c 'import json,sys; print([c["begin"] for c in json.load(open(sys.argv[1]))["cues"]])' l.json)
expect_match "$got" '^\[0, 1\]$' "refused shifts changed nothing"

# align on a WAV without samples: says so, not "invalid argument"
sed 's/"a.wav"/"empty.wav"/' l0.json > e.json
err=$("$SHADOWING" cue align e.json 2>&1)
expect_status 1 "align on a header-only WAV fails"
expect_match "$err" '^shadowing: empty.wav: the audio has no samples \(0 s\): it is only a header; export or download the broadcast again, or check that "audio" in e.json names the right file$' \
  "align names the audio and says it has no samples"
expect_no_match "$err" 'invalid argument' "not 'invalid argument'"
# on a silent one: says it is silent, not that it lacks pauses
err=$("$SHADOWING" cue align l0.json -o s.json 2>&1)
expect_status 1 "align on silence fails"
expect_match "$err" '^shadowing: a.wav: the audio \(3.0 s\) is silent \(its loudest moment is -[0-9]+ dBFS\): there is no speech to time' \
  "align on silence says so"
finish
