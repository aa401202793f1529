#!/bin/bash
# End to end through tmux: the practice screen on the demo lesson with the
# file backend and a take as the microphone. Opening the lesson plays
# paragraph 1, beeps, records the take, scores it and shows the card; then
# keys: t (translation), ] (speed), n (next), q (quit). Asserts what the
# screen shows and the history row written.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
export XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
L="$SRCDIR/assets/demo/lesson.json"
sox "$SRCDIR/assets/demo/takes/p1.ogg" -r 16000 -c 1 -b 16 "$T/take.wav"
SOCK="sh-test-$$"
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf $_sh_scratch' EXIT
screen() { tm capture-pane -t p -p; }
wait_for() { # wait_for REGEX [SECONDS]: until the screen matches
  local end=$((SECONDS + ${2:-20}))
  while [ $SECONDS -lt $end ]; do
    screen | grep -Eq -- "$1" && return 0
    sleep 0.1
  done
  return 1
}

tm new-session -d -s p -x 100 -y 30 \
  "$SHADOWING $L --audio file --input $T/take.wav --output $T/out.wav; echo \$? > $T/exit; sleep 60"
expect_true "the score card appears" wait_for '^  Score [0-9]+'
s=$(screen)
expect_match "$s" 'Firms look to Chinese chips to train AI' "title in the header"
expect_match "$s" 'paragraph 1/18 \| repeat \| loops 3 \| speed 1\.00x' "header: paragraph, mode, loops, speed"
expect_match "$s" '^  The meteoric rise of DeepSeek, a Chinese private artificial intelligence' "paragraph text, wrapped"
expect_match "$s" '专家表示' "translation shown"
expect_match "$s" 'duration [0-9]+ energy [0-9]+ completeness [0-9]+ pauses [0-9]+ level [0-9]+' "sub-scores"
expect_match "$s" '^  ref [▁▂▃▄▅▆▇█]+' "reference envelope picture"
expect_match "$s" '^  you [▁▂▃▄▅▆▇█]+' "take envelope picture"
score=$(sed -nE 's/^  Score ([0-9]+).*/\1/p' <<<"$s")
expect_match "$s" "best:\[ *$score\]" "lesson strip shows the best score"
expect_no_match "$s" 'CRITICAL|ALSA|GStreamer|WARN' "no library noise on screen"

tm send-keys -t p t
expect_true "t hides the translation" wait_for 'speed 1\.00x' 2
sleep 0.3
expect_no_match "$(screen)" '专家表示' "translation hidden"
tm send-keys -t p ']'
expect_true "] shows speed 1.05x" wait_for 'speed 1\.05x' 5
tm send-keys -t p n
expect_true "n goes to paragraph 2" wait_for 'paragraph 2/18' 5
s=$(screen)
expect_match "$s" '^  Highlighting that DeepSeek has developed' "paragraph 2 text"
expect_no_match "$s" '^  Score' "no score card on the new paragraph"
tm send-keys -t p '?'
expect_true "? shows the help" wait_for 'this help' 5
tm send-keys -t p '?'
tm send-keys -t p q
end=$((SECONDS + 10)); while [ ! -s "$T/exit" ] && [ $SECONDS -lt $end ]; do sleep 0.1; done
expect_match "$(cat "$T/exit" 2>/dev/null)" '^0$' "q quits with status 0"

rows=$(python3 - "$XDG_DATA_HOME/shadowing/history.db" <<'PY'
import sqlite3, sys, wave
db = sqlite3.connect(sys.argv[1])
for cue, mode, speed, total, take in db.execute("SELECT cue_id, mode, speed, total, take FROM attempts"):
    w = wave.open(take)
    print(cue, mode, speed, int(total), w.getnframes() > 16000)
print("last", db.execute("SELECT last_cue FROM lessons").fetchone()[0])
PY
)
expect_match "$rows" "^p1 repeat 1.0 $score True$" "history row: p1, mode, speed, the score shown, its take WAV"
expect_match "$rows" '^last p2$' "resume position follows navigation"
expect_true "the played reference was written" test -s "$T/out.wav"

# Loop mode: two loops with a 0.5 s gap, written to the output exactly
# (segment = [begin - lead, end + tail] at the device rate, 48 kHz here).
tm new-session -d -s l -x 100 -y 30 \
  "$SHADOWING $L --no-history --mode loop --loops 2 --gap 0.5 --output $T/loop.wav"
end=$((SECONDS + 15)); while ! tm capture-pane -t l -p | grep -q 'Enter: next paragraph'; do [ $SECONDS -lt $end ] || break; sleep 0.1; done
expect_match "$(tm capture-pane -t l -p)" 'paragraph 1/18 \| loop \| loops 2' "loop mode in the header"
tm send-keys -t l q
sleep 0.5
want=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["cues"][0]; f=d["defaults"]; print(2*round((c["end"]+f["tail"]-(c["begin"]-f["lead"]))*48000)+24000)' "$L")
expect_match "$(soxi -s "$T/loop.wav" 2>/dev/null)" "^$want\$" "two loops and the gap, sample exact"

# A window below 40x12 gets a polite message; back to size, the screen returns.
# Ctrl-C quits cleanly (status 0) and leaves the terminal usable.
rm -f "$T/exit"
tm new-session -d -s c -x 100 -y 30 \
  "$SHADOWING $L --audio file --realtime --output $T/out2.wav; echo \$? > $T/exit; echo AFTER; sleep 60"
end=$((SECONDS + 10)); while ! tm capture-pane -t c -p | grep -q 'paragraph'; do [ $SECONDS -lt $end ] || break; sleep 0.1; done
# a speed change mid-paragraph goes on from where it was
end=$((SECONDS + 10)); while ! tm capture-pane -t c -p | grep -Eq '> reference .* 00:0[2-9]'; do [ $SECONDS -lt $end ] || break; sleep 0.05; done
tm send-keys -t c '['
end=$((SECONDS + 5)); while ! tm capture-pane -t c -p | grep -q 'speed 0.95x'; do [ $SECONDS -lt $end ] || break; sleep 0.05; done
sleep 0.5
pos=$(tm capture-pane -t c -p | sed -nE 's/.*> reference .* 00:([0-9.]+) \/.*/\1/p')
expect_true "speed change keeps the place (at ${pos:-?} s)" awk -v p="${pos:-0}" 'BEGIN{exit !(p >= 2.0)}'
tm resize-window -t c -x 30 -y 10
end=$((SECONDS + 5)); while ! tm capture-pane -t c -p | grep -q 'too small'; do [ $SECONDS -lt $end ] || break; sleep 0.1; done
expect_match "$(tm capture-pane -t c -p)" 'need 40x12, have 30x10' "too small: says what it needs"
tm resize-window -t c -x 100 -y 30
end=$((SECONDS + 5)); while ! tm capture-pane -t c -p | grep -q 'paragraph 2/18'; do [ $SECONDS -lt $end ] || break; sleep 0.1; done
expect_match "$(tm capture-pane -t c -p)" 'paragraph 2/18 \| repeat' "back to size: the screen returns (resumed at p2)"
tm send-keys -t c C-c
end=$((SECONDS + 10)); while [ ! -s "$T/exit" ] && [ $SECONDS -lt $end ]; do sleep 0.1; done
expect_match "$(cat "$T/exit" 2>/dev/null)" '^0$' "Ctrl-C quits with status 0"
sleep 0.3
s=$(tm capture-pane -t c -p)
expect_match "$s" '^AFTER$' "the shell's output shows after the screen is gone"
expect_no_match "$s" 'paragraph 2/18' "the alternate screen was left"
finish
