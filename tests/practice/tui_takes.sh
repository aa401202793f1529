#!/bin/bash
# The practice screen takes many takes in one session from files (issue 13,
# "Fix on the way"), through tmux:
#  - --input TAKE: every recording reads the file from its start, so the
#    second, third and tenth take (r) are scored like the first, each a WAV
#    as long as the input;
#  - --takes DIR: each paragraph records its own take, named as the batch
#    finds them (p1.ogg by id, 2.wav by number, another rate), again and again;
#  - an input file with no audio: the message says the input is used up, not
#    "check the microphone".
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
export XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
L="$SRCDIR/assets/demo/lesson.json"
D="$SRCDIR/assets/demo/takes"
DB="$XDG_DATA_HOME/shadowing/history.db"
sox "$D/p1.ogg" -r 16000 -c 1 -b 16 "$T/take.wav"
mkdir -p "$T/takes"
cp "$D/p1.ogg" "$T/takes/p1.ogg"
sox "$D/p2.ogg" -r 22050 -c 1 "$T/takes/2.wav"
SOCK="sh-test-$$"
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf $_sh_scratch' EXIT
screen() { tm capture-pane -t "$1" -p; }
# attempts CUE: "count seconds seconds ..." of the stored attempts at CUE (take lengths)
attempts() {
  python3 - "$DB" "$1" <<'PY'
import sqlite3, sys, wave
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT take FROM attempts WHERE cue_id = ? ORDER BY id", (sys.argv[2],)).fetchall()
lens = []
for (t,) in rows:
    w = wave.open(t)
    lens.append("%.1f" % (w.getnframes() / w.getframerate()))
print(len(rows), *lens)
PY
}
wait_attempts() { # wait_attempts CUE N: until N attempts at CUE are stored
  local end=$((SECONDS + 30))
  while [ $SECONDS -lt $end ]; do
    [ -f "$DB" ] && [ "$(attempts "$1" | cut -d' ' -f1)" -ge "$2" ] 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
wait_for() { # wait_for SESSION REGEX
  local end=$((SECONDS + 20))
  while [ $SECONDS -lt $end ]; do
    screen "$1" | grep -Eq -- "$2" && return 0
    sleep 0.1
  done
  return 1
}
in_len=$(soxi -D "$T/take.wav" | awk '{printf "%.1f", $1}')

# --input: the first take is recorded on opening; r records the next ones.
tm new-session -d -s i -x 100 -y 30 "$SHADOWING $L --audio file --input $T/take.wav; echo \$? > $T/exit_i; sleep 60"
expect_true "take 1 from --input is scored" wait_attempts p1 1
for k in 2 3 4 5 6 7 8 9 10; do
  wait_for i 'r: try again' || break
  tm send-keys -t i r
  wait_attempts p1 $k || { echo "FAIL: take $k from --input was not stored"; break; }
  case $k in 2|3|10) expect_no_match "$(screen i)" 'nothing was recorded' "take $k: no 'nothing was recorded'";; esac
done
a=$(attempts p1)
expect_match "$a" "^10( $in_len){10}\$" "ten takes from --input, each the whole input ($in_len s)"
expect_match "$(screen i)" '^  Score [0-9]+' "the tenth take's score card is shown"
tm send-keys -t i q
end=$((SECONDS + 10)); while [ ! -s "$T/exit_i" ] && [ $SECONDS -lt $end ]; do sleep 0.1; done

# --takes DIR in the screen: p1 by id (Ogg), p2 by number (a WAV at 22.05 kHz).
rm -f "$DB"*
p1_len=$(soxi -D "$D/p1.ogg" | awk '{printf "%.1f", $1}')
p2_len=$(soxi -D "$T/takes/2.wav" | awk '{printf "%.1f", $1}')
tm new-session -d -s t -x 100 -y 30 "$SHADOWING $L --takes $T/takes; echo \$? > $T/exit_t; sleep 60"
expect_true "p1's take from --takes is scored" wait_attempts p1 1
wait_for t 'r: try again'
tm send-keys -t t r
expect_true "a second take of p1 from --takes" wait_attempts p1 2
wait_for t 'r: try again'
tm send-keys -t t n
expect_true "n: p2 records its own take" wait_attempts p2 1
for k in 2 3 4 5 6 7 8; do
  wait_for t 'r: try again' || break
  tm send-keys -t t r
  wait_attempts p2 $k || { echo "FAIL: take $k of p2 from --takes was not stored"; break; }
done
expect_match "$(attempts p1)" "^2 $p1_len $p1_len\$" "p1: two takes, each p1.ogg whole"
expect_match "$(attempts p2)" "^8( $p2_len){8}\$" "p2: eight takes (the tenth of the session), each 2.wav whole"
wait_for t 'r: try again'
tm send-keys -t t n
expect_true "p3 has no take: the screen says how to name it" \
  wait_for t "no take for paragraph p3 \(name it p3\.wav or 3\.wav\)"
tm send-keys -t t q

# An input file that holds no audio: said so, not "check the microphone".
sox -n -r 16000 -c 1 -b 16 "$T/empty.wav" trim 0 0
tm new-session -d -s e -x 120 -y 30 "$SHADOWING $L --no-history --audio file --input $T/empty.wav; sleep 60"
expect_true "an empty input is said to be used up" wait_for e "nothing was recorded: the input file .*empty\.wav is used up"
expect_no_match "$(screen e)" 'microphone' "not the microphone"
tm send-keys -t e q
mkdir -p "$T/empty_takes"
cp "$T/empty.wav" "$T/empty_takes/p1.wav"
tm new-session -d -s f -x 160 -y 30 "$SHADOWING $L --no-history --takes $T/empty_takes; sleep 60"
expect_true "an empty take in --takes says so" wait_for f "the take .*empty_takes/p1\.wav|empty_takes/p1\.wav: .*empty"
expect_no_match "$(screen f)" 'microphone' "not the microphone (--takes)"
tm send-keys -t f q
sleep 0.5
expect_match "$(cat "$T/exit_i" 2>/dev/null)" '^0$' "--input session quits with 0"
expect_match "$(cat "$T/exit_t" 2>/dev/null)" '^0$' "--takes session quits with 0"
finish
