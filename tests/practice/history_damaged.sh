#!/bin/bash
# Practice never stops for the history (issue 10, items 4 and 5):
#  - damaged (not SQLite, truncated, "database disk image is malformed", not
#    our tables, a newer schema): practice moves it aside (named in one line),
#    starts a new one and goes on, exit 0; the file moved aside keeps its bytes;
#  - `history` only reads: it says "cannot read the history FILE: it is
#    damaged (...)" and what to do, and changes nothing;
#  - unwritable (a folder in its place, a full disk when it is created): the
#    batch prints every score, says once that the history is off, exit 1
#    (scores given but not stored; --no-history gives 0).
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
L="$SRCDIR/assets/demo/lesson.json"
D="$SRCDIR/assets/demo/takes"
fresh() { # fresh NAME: a new data folder; sets DB
  export XDG_DATA_HOME="$T/$1/data" XDG_STATE_HOME="$T/$1/state"
  DB="$XDG_DATA_HOME/shadowing/history.db"
  mkdir -p "$XDG_DATA_HOME/shadowing"
}
batch() { "$SHADOWING" practice "$L" --batch --takes "$D" --from p16 2>"$T/err"; }
count() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM attempts").fetchone()[0])' "$1"; }
# damaged CASE DESCRIPTION REASON: the history and practice on a damaged $DB
damaged() {
  local case=$1 reason=$3 before out err n aside
  before=$(sha256sum < "$DB")
  out=$("$SHADOWING" history "$L" 2>&1); expect_status 1 "$case: history fails"
  expect_match "$out" "^shadowing: cannot read the history $DB: it is $reason: move it aside, or" \
    "$case: history says it cannot read the file, what is wrong and what to do"
  expect_match "$out" 'practice moves it aside and starts a new one' "$case: history points at the way forward"
  expect_match "$(sha256sum < "$DB")" "^$before\$" "$case: history left the file as it was"
  out=$(batch); expect_status 0 "$case: practice goes on"
  err=$(cat "$T/err")
  expect_match "$(grep -cE '"score": ?[0-9]' <<<"$out")" '^3$' "$case: every paragraph scored and printed"
  expect_match "$out" '"cue": ?"p17", ?"file": ?.*"score": ?[0-9]+' "$case: p17 scored"
  expect_match "$(grep -c . <<<"$err")" '^1$' "$case: one line on stderr"
  expect_match "$err" "^shadowing: $DB: .*$2.*; moved it to $DB\.damaged-[0-9]{8}-[0-9]{6} and started a new one\$" \
    "$case: the line names the file, what is wrong and where it went"
  aside=$(ls "$DB".damaged-* 2>/dev/null | head -1)
  expect_match "$(sha256sum < "${aside:-/dev/null}")" "^$before\$" "$case: the damaged file is kept, unchanged"
  expect_match "$(count "$DB")" '^3$' "$case: the new history holds this run's attempts"
  out=$("$SHADOWING" history "$L" 2>&1); expect_status 0 "$case: history reads the new one"
  expect_match "$out" '^3 attempts on 3 of 18 paragraphs' "$case: history shows them"
}

fresh garbage
head -c 5000 /dev/urandom > "$DB"
damaged "not SQLite" "the history is damaged \(file is not a database\)" "damaged \(file is not a database\)"

# A real history cut in half: SQLite says "database disk image is malformed".
fresh truncated
batch >/dev/null; expect_status 0 "truncated: earlier attempts"
python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executemany("INSERT INTO attempts(lesson_id, cue_id, cue_index, time_ms, mode, speed, total, take) "
               "VALUES(1, 'p1', 1, ?, 'batch', 1, 50, ?)", [(i, "x" * 300) for i in range(400)])
db.commit()
db.execute("PRAGMA journal_mode=DELETE")
db.close()
PY
size=$(stat -c %s "$DB")
truncate -s $((size / 2)) "$DB"
damaged "truncated" "the history is damaged \(database disk image is malformed\)" \
  "damaged \(database disk image is malformed\)"

fresh newer
batch >/dev/null
python3 -c 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("PRAGMA user_version=7"); d.commit()' "$DB"
damaged "newer schema" "the history is from a newer shadowing \(schema version 7, this one knows up to 1\)" \
  "from a newer shadowing \(schema version 7, this one knows up to 1\)"

fresh schema
python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE lessons(name TEXT)")
db.execute("CREATE TABLE attempts(x)")
db.execute("PRAGMA user_version=1")
db.commit()
PY
damaged "other tables" "the file is not a shadowing history \(schema version 1, but no such column: id\)" \
  "not a shadowing history \(schema version 1, but no such column: id\)"

# Hand-edited: the schema's rules dropped, a row without a cue, one without a
# mode. Loading skips them (the fuzzer's invariant); history and practice work.
fresh edited
batch >/dev/null
python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
ALTER TABLE attempts RENAME TO old;
CREATE TABLE attempts(id INTEGER PRIMARY KEY, lesson_id, cue_id, cue_index, time_ms, mode, speed, total,
  duration, energy, completeness, pauses, level, verdict, take);
INSERT INTO attempts SELECT * FROM old; DROP TABLE old;
CREATE INDEX attempts_by_cue ON attempts(lesson_id, cue_id, time_ms);
INSERT INTO attempts(lesson_id, cue_id, cue_index, time_ms, mode, speed, total) VALUES(1, NULL, 3, 1, 'repeat', 1, 40);
INSERT INTO attempts(lesson_id, cue_id, cue_index, time_ms, mode, speed, total)
  VALUES(1, 'p2', 2, 99999999999999999, NULL, 1, 40);
""")
PY
for f in "" --json --csv; do
  out=$("$SHADOWING" history "$L" $f 2>&1); expect_status 0 "hand-edited: history $f"
  expect_match "$out" 'p17' "hand-edited: history $f shows the attempts that make sense"
done
out=$("$SHADOWING" history "$L" --json)
expect_match "$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])["attempts"]))' "$out")" '^3$' \
  "hand-edited: the two broken rows are left out"
batch >/dev/null; expect_status 0 "hand-edited: practice goes on"

# Unwritable: a folder where the database should be.
fresh folder
mkdir "$DB"
out=$(batch); expect_status 1 "folder: scores given, not stored: status 1"
err=$(cat "$T/err")
expect_match "$(grep -cE '"score": ?[0-9]' <<<"$out")" '^3$' "folder: every take scored and printed"
expect_match "$(grep -c . <<<"$err")" '^1$' "folder: said once"
expect_match "$err" "^shadowing: $DB: this is a folder, not a database: move it away, or use --history-db FILE; going on without history" \
  "folder: names the file, what is wrong, what to do, that the history is off"
"$SHADOWING" practice "$L" --batch --takes "$D" --from p16 --no-history >/dev/null 2>&1
expect_status 0 "folder: --no-history scores with status 0"
out=$("$SHADOWING" history "$L" 2>&1); expect_status 1 "folder: history fails"
expect_match "$out" "^shadowing: cannot read the history $DB: it is a folder, not a database" "folder: history says so, as reading"

# A full disk when the history is created (a file size limit of 0, on the
# program alone: its output goes into a pipe, which the limit does not cover).
fresh full
both=$(sh -c 'ulimit -f 0; exec "$@"' sh "$SHADOWING" practice "$L" --batch --takes "$D" --from p16 2>&1)
expect_status 1 "disk full: scores given, not stored: status 1"
err=$(grep -v '^{' <<<"$both")
expect_match "$(grep -cE '"score": ?[0-9]' <<<"$both")" '^3$' "disk full: every take scored and printed"
expect_match "$(grep -c . <<<"$err")" '^1$' "disk full: said once"
expect_match "$err" "^shadowing: $DB: .*the disk is full: free some space .*going on without history" \
  "disk full: names the file, says the disk is full and that the history is off"
finish
