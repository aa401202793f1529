#!/bin/bash
# play --words: a run of words loops sample-exact on the lesson's word
# times, with the same --loops and --gap as a paragraph; lead and tail
# default to 0; located errors for a cue without words, a bad range, a
# range past the last word and a range with no timed word. No recogniser
# needed: the word times are written by hand.
set -u
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/audio/fixtures.sh"
mkscratch T
sox -n -r 48000 -c 1 -b 16 "$T/src.wav" synth 6 sine 300:900 vol 0.5
cat > "$T/lesson.json" <<JSON
{"shadowing": 1, "title": "words test", "audio": "src.wav",
 "cues": [{"id": "p1", "begin": 1.0, "end": 2.5, "text": "Hello there, my friend.",
           "words": [{"text": "Hello", "begin": 1.0, "end": 1.3},
                     {"text": "there", "begin": 1.35, "end": 1.7},
                     {"text": "my", "begin": null, "end": null},
                     {"text": "friend", "begin": 2.0, "end": 2.5}]},
          {"id": "p2", "begin": 3, "end": 4.25, "text": "No words here."}]}
JSON
L=$T/lesson.json
"$SHADOWING" check "$L" >/dev/null; expect_status 0 "a lesson with word times is valid"

# words 2-3: "there" (1.35) to "my" (not timed): the run ends at "there" (1.7).
"$SHADOWING" play "$L" --cue p1 --words 2-3 --output "$T/w.wav"; expect_status 0 "play words 2-3"
out=$($WAVTOOL check-play "$T/src.wav" "$T/w.wav" 64800 81600 240 1 0 2>&1)
expect_match "$out" '^ok 16800 samples' "words 2-3 are 1.35-1.70 s, sample for sample, no lead or tail"

"$SHADOWING" play "$L" --cue p1 --words 1-4 --loops 3 --gap 0.25 --output "$T/w3.wav"; expect_status 0 "3 loops"
out=$($WAVTOOL check-play "$T/src.wav" "$T/w3.wav" 48000 120000 240 3 12000 2>&1)
expect_match "$out" '^ok' "words 1-4 loop three times with exactly 0.25 s between"

"$SHADOWING" play "$L" --cue p1 --words 4 --lead 0.1 --output "$T/w4.wav"; expect_status 0 "one word with a lead"
out=$($WAVTOOL check-play "$T/src.wav" "$T/w4.wav" 91200 120000 240 1 0 2>&1)
expect_match "$out" '^ok' "--words 4 --lead 0.1 starts 0.1 s before the word"

out=$("$SHADOWING" play "$L" --cue p2 --words 1-2 --output "$T/x.wav" 2>&1); expect_status 1 "a cue without words"
expect_match "$out" "cue \"p2\" has no word times: run 'shadowing cue align" "says how to get word times"
out=$("$SHADOWING" play "$L" --cue p1 --words 3-9 --output "$T/x.wav" 2>&1); expect_status 1 "past the last word"
expect_match "$out" 'has 4 words, not 9' "names the number of words"
out=$("$SHADOWING" play "$L" --cue p1 --words 3 --output "$T/x.wav" 2>&1); expect_status 1 "an untimed word"
expect_match "$out" 'none of words 3-3 was found' "a run with no timed word is refused"
out=$("$SHADOWING" play "$L" --cue p1 --words 4-2 --output "$T/x.wav" 2>&1); expect_status 2 "a reversed range"
expect_match "$out" "is not a range of word numbers" "usage error"

# cue shift moves the word times with their cue; cue text changes drop them.
"$SHADOWING" cue shift "$L" --by 0.5 -o "$T/shifted.json" 2>/dev/null; expect_status 0 "cue shift"
out=$(python3 -c "import json,sys; w=json.load(open(sys.argv[1]))['cues'][0]['words']; print(w[0]['begin'], w[3]['end'], w[2]['begin'])" "$T/shifted.json")
expect_match "$out" '^1.5 3(.0)? None$' "the words moved by 0.5 s with the cue; an untimed word stays untimed"
"$SHADOWING" check "$T/shifted.json" >/dev/null; expect_status 0 "the shifted lesson is valid"
finish
