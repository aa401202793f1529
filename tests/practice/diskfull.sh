#!/bin/bash
# History on a full disk (a file size limit, as ulimit -f sets): the session
# says so in one line and exits 1, and the earlier attempts survive intact.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
export XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
L="$SRCDIR/assets/demo/lesson.json"
DB="$XDG_DATA_HOME/shadowing/history.db"
"$SHADOWING" practice "$L" --batch --takes "$SRCDIR/assets/demo/takes" --from p16 >/dev/null 2>&1
expect_status 0 "three earlier attempts"
# 8 KiB: the database exists already, its write-ahead log cannot grow.
err=$( (ulimit -f 8; "$SHADOWING" practice "$L" --batch --takes "$SRCDIR/assets/demo/takes" 2>&1 >/dev/null) )
expect_status 1 "a full disk fails the session"
expect_match "$err" 'history\.db: .*the disk is full: free some space' "the error says the disk is full and names the database"
expect_no_match "$err" 'File size limit|Killed|core dumped' "no signal death"
res=$(python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print("integrity", db.execute("PRAGMA integrity_check").fetchone()[0])
print("attempts", " ".join(r[0] for r in db.execute("SELECT cue_id FROM attempts ORDER BY id")))
PY
)
expect_match "$res" '^integrity ok$' "the database is intact after the failed writes"
expect_match "$res" '^attempts p16 p17 p18$' "earlier attempts all there, nothing half-written"
finish
