#!/bin/bash
# kill -9 during a recording: the history database opens cleanly
# (integrity_check), every earlier attempt is there, it takes new ones, and
# the take being recorded is a valid WAV holding what was captured.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
export XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
L="$SRCDIR/assets/demo/lesson.json"
DB="$XDG_DATA_HOME/shadowing/history.db"
"$SHADOWING" practice "$L" --batch --takes "$SRCDIR/assets/demo/takes" --from p16 >/dev/null 2>&1
expect_status 0 "three earlier attempts"
sox "$SRCDIR/assets/demo/takes/p1.ogg" -r 16000 -c 1 -b 16 "$T/take.wav"
SOCK="sh-test-$$"
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf $_sh_scratch' EXIT
tm new-session -d -s p -x 100 -y 30 \
  "echo \$\$ > $T/pid; exec $SHADOWING $L --audio file --realtime --input $T/take.wav"
# the session resumes where the batch ended (p18); r records at once (after the beep)
end=$((SECONDS + 10)); while ! tm capture-pane -t p -p | grep -q "paragraph 18/18" && [ $SECONDS -lt $end ]; do sleep 0.1; done
tm send-keys -t p r
end=$((SECONDS + 10)); while ! tm capture-pane -t p -p | grep -Eq 'REC +[1-9]' && [ $SECONDS -lt $end ]; do sleep 0.1; done
expect_match "$(tm capture-pane -t p -p)" 'REC +[0-9.]+ s' "recording is running"
kill -9 "$(cat "$T/pid")"
sleep 0.3
res=$(python3 - "$DB" "$XDG_DATA_HOME/shadowing/takes" <<'PY'
import sqlite3, sys, os, wave
db = sqlite3.connect(sys.argv[1])
print("integrity", db.execute("PRAGMA integrity_check").fetchone()[0])
print("attempts", " ".join(r[0] for r in db.execute("SELECT cue_id FROM attempts ORDER BY id")))
for root, _, files in os.walk(sys.argv[2]):
    for f in files:
        w = wave.open(os.path.join(root, f))
        print("take", f.split("-")[0], w.getnframes() > 1600)
PY
)

expect_match "$res" '^integrity ok$' "the database opens cleanly after kill -9"
expect_match "$res" '^attempts p16 p17 p18$' "earlier attempts all there, nothing half-written"
expect_match "$res" '^take p18 True$' "the interrupted take is a valid WAV with audio"
"$SHADOWING" practice "$L" --batch --takes "$SRCDIR/assets/demo/takes" --cue p1 >/dev/null 2>&1
expect_status 0 "the database takes new attempts"
n=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM attempts").fetchone()[0])' "$DB")
expect_match "$n" '^4$' "four attempts now"

# A fatal signal while the screen is up: the terminal is restored (the
# alternate screen left) before the process dies with that signal.
rm -f "$T/pid"
tm new-session -d -s f -x 100 -y 30 \
  "sh -c 'echo \$\$ > $T/pid; exec $SHADOWING $L --no-history --audio file --realtime'; echo STATUS=\$?; sleep 60"
end=$((SECONDS + 10)); while ! tm capture-pane -t f -p | grep -q 'paragraph 1/18' && [ $SECONDS -lt $end ]; do sleep 0.1; done
kill -SEGV "$(cat "$T/pid")"
end=$((SECONDS + 10)); while ! tm capture-pane -t f -p | grep -q 'STATUS=' && [ $SECONDS -lt $end ]; do sleep 0.1; done
s=$(tm capture-pane -t f -p)
expect_match "$s" 'STATUS=139' "died of SIGSEGV (re-raised after restoring the terminal)"
expect_no_match "$s" 'paragraph 1/18' "the alternate screen was left"
finish
