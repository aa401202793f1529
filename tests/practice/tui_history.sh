#!/bin/bash
# The practice screen never stops for the history (issue 10, item 4),
# through tmux with the file backend and a take as the microphone:
#  - a damaged history.db: the screen comes up, the take is scored, stored in
#    a new history; one line names where the damaged one went (on the screen's
#    status line, and on the terminal after quitting);
#  - an unusable one (a folder in its place): the screen comes up, says so,
#    marks the header "no history" all along, scores the take and still saves
#    it in the takes folder.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
export XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
L="$SRCDIR/assets/demo/lesson.json"
DB="$XDG_DATA_HOME/shadowing/history.db"
sox "$SRCDIR/assets/demo/takes/p1.ogg" -r 16000 -c 1 -b 16 "$T/take.wav"
SOCK="sh-test-$$"
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf $_sh_scratch' EXIT
wait_for() { # wait_for SESSION REGEX
  local end=$((SECONDS + 20))
  while [ $SECONDS -lt $end ]; do
    tm capture-pane -t "$1" -p | grep -Eq -- "$2" && return 0
    sleep 0.05
  done
  return 1
}
take() { # take SESSION: Enter skips the reference, records 1.5 s, Enter stops: scored
  tm send-keys -t "$1" Enter
  wait_for "$1" 'REC +[0-9]'
  sleep 1.5
  tm send-keys -t "$1" Enter
}

mkdir -p "$XDG_DATA_HOME/shadowing"
head -c 3000 /dev/urandom > "$DB"
tm new-session -d -s d -x 200 -y 30 \
  "$SHADOWING $L --audio file --realtime --input $T/take.wav; echo STATUS=\$?; sleep 60"
expect_true "damaged: the status line says where it went" \
  wait_for d "history is damaged \(file is not a database\); moved it to .*history\.db\.damaged-"
take d
expect_true "damaged: the take is scored" wait_for d '^  Score [0-9]+'
tm send-keys -t d q
expect_true "damaged: quits with 0" wait_for d '^STATUS=0$'
s=$(tm capture-pane -t d -p)
expect_match "$s" "^shadowing: $DB: the history is damaged \(file is not a database\); moved it to $DB\.damaged-" \
  "damaged: the line is on the terminal after the screen"
n=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM attempts").fetchone()[0])' "$DB")
expect_match "$n" '^1$' "damaged: the new history holds the attempt"
expect_true "damaged: the old file is kept" test -s "$(ls "$DB".damaged-* | head -1)"

rm -rf "$XDG_DATA_HOME"
mkdir -p "$DB"
tm new-session -d -s u -x 200 -y 30 \
  "$SHADOWING $L --audio file --realtime --input $T/take.wav; echo STATUS=\$?; sleep 60"
expect_true "unusable: the status line says the history is off" \
  wait_for u "this is a folder, not a database: move it away.*going on without history"
take u
expect_true "unusable: the take is scored" wait_for u '^  Score [0-9]+'
expect_match "$(tm capture-pane -t u -p | head -1)" 'paragraph 1/18 \| repeat \| loops 3 \| speed 1\.00x \| no history' \
  "unusable: the header says no history"
tm send-keys -t u q
expect_true "unusable: quits with 0" wait_for u '^STATUS=0$'
takes=$(find "$XDG_DATA_HOME/shadowing/takes" -name 'p1-*.wav' 2>/dev/null | wc -l)
expect_match "$takes" '^1$' "unusable: the take is still saved in the takes folder"
finish
