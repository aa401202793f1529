#!/bin/bash
# The headless practice session: takes by id and by number, --cue/--from,
# one JSON line per paragraph, attempts stored in the history (the same
# scores), resume position, `history` in text, JSON and CSV.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
export XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
L="$SRCDIR/assets/demo/lesson.json"
D="$SRCDIR/assets/demo/takes"
mkdir -p "$T/takes"
cp "$D/p16.ogg" "$T/takes/p16.ogg"                    # by id
sox "$D/p17.ogg" -r 16000 -c 1 "$T/takes/17.wav"     # by 1-based number, another format
echo "not audio" > "$T/takes/notes.txt"              # ignored

out=$("$SHADOWING" practice "$L" --batch --takes "$T/takes" --from p16 2>"$T/err"); expect_status 0 "batch from p16"
expect_match "$(wc -l <<<"$out")" '^3$' "one line per paragraph p16..p18"
python3 - "$out" <<'PY' || { echo "FAIL: JSON lines"; exit 1; }
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines()]
assert [l["cue"] for l in lines] == ["p16", "p17", "p18"], lines
assert 0 <= lines[0]["score"] <= 100 and 0 <= lines[1]["score"] <= 100
assert lines[1]["file"].endswith("/17.wav"), lines[1]
assert set(lines[0]["subscores"]) == {"duration", "energy", "completeness", "pauses", "level"}
assert lines[2]["score"] is None and lines[2]["error"] == "no take", lines[2]
PY
expect_status 0 "batch JSON: cues, scores, take by number, missing take"

DB="$XDG_DATA_HOME/shadowing/history.db"
expect_true "history database created under XDG_DATA_HOME" test -f "$DB"
rows=$(python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("PRAGMA user_version").fetchone()[0], db.execute("PRAGMA journal_mode").fetchone()[0])
for r in db.execute("SELECT cue_id, cue_index, mode, speed, total, take IS NOT NULL FROM attempts ORDER BY id"):
    print(*r)
print("last", db.execute("SELECT last_cue FROM lessons").fetchone()[0])
PY
)
expect_match "$rows" '^1 wal$' "schema version 1, WAL"
s16=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1].splitlines()[0])["score"])' "$out")
expect_match "$rows" "^p16 16 batch 1.0 $s16.0 1$" "stored p16 with the printed score and its take"
expect_match "$rows" '^p17 17 batch' "stored p17"
expect_no_match "$rows" '^p18' "nothing stored without a take"
expect_match "$rows" '^last p18$' "resume position at the last paragraph run"

out=$("$SHADOWING" practice "$L" --batch --takes "$T/takes" --cue 16 2>/dev/null); expect_status 0 "batch --cue"
expect_match "$(wc -l <<<"$out")" '^1$' "--cue runs one paragraph"

h=$("$SHADOWING" history "$L"); expect_status 0 "history"
expect_match "$h" '^p16 +2 ' "p16 has two attempts"
expect_match "$h" 'resume at p16' "resume position"
expect_match "$h" 'mean' "trend"
hj=$("$SHADOWING" history "$L" --json); expect_status 0 "history --json"
python3 - "$hj" "$s16" <<'PY' || { echo "FAIL: history JSON"; exit 1; }
import json, sys
d = json.loads(sys.argv[1])
assert d["resume"] == "p16"
assert len(d["attempts"]) == 3
p = {x["cue"]: x for x in d["paragraphs"]}
assert p["p16"]["attempts"] == 2 and p["p16"]["best"] == float(sys.argv[2]) == p["p16"]["latest"]
assert d["trend"][0]["attempts"] == 3
assert len(d["lesson"]["id"]) == 64
PY
expect_status 0 "history JSON: attempts, best, latest, trend"
hc=$("$SHADOWING" history "$L" --csv); expect_status 0 "history --csv"
expect_match "$(head -1 <<<"$hc")" '^time,cue,index,mode,speed,score,duration,energy,completeness,pauses,level,verdict,take$' "CSV header"
expect_match "$(wc -l <<<"$hc")" '^4$' "CSV: header and 3 attempts"

# an edited lesson file is a new lesson; history says where the old attempts are
python3 - "$L" "$T/edit.json" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
d["audio"] = os.path.join(os.path.dirname(sys.argv[1]), d["audio"])
json.dump(d, open(sys.argv[2], "w"))
PY
"$SHADOWING" practice "$T/edit.json" --batch --takes "$T/takes" --cue p16 >/dev/null 2>&1
expect_status 0 "batch on a copy of the lesson"
sed -i 's/Highlighting that/Highlighting, that/' "$T/edit.json"
h=$("$SHADOWING" history "$T/edit.json"); expect_status 0 "history of the edited lesson"
expect_match "$h" 'lesson file changed since 1 earlier attempt' "edited lesson: old attempts accounted for"
expect_match "$h" 'No attempts yet' "edited lesson: a new history"

# errors
"$SHADOWING" practice "$L" --batch >/dev/null 2>&1; expect_status 2 "--batch needs --takes"
err=$("$SHADOWING" practice "$L" --batch --takes "$T/takes" --cue p99 2>&1 >/dev/null); expect_status 1 "unknown cue"
expect_match "$err" "no paragraph 'p99'" "unknown cue named"
"$SHADOWING" practice "$L" --speed 2 >/dev/null 2>&1; expect_status 2 "speed out of range"
err=$("$SHADOWING" practice "$L" </dev/null 2>&1 >/dev/null); expect_status 1 "no terminal"
expect_match "$err" 'needs a terminal.*--batch' "no terminal: says how to run headless"
mkdir -p "$T/empty"
err=$("$SHADOWING" practice "$L" --batch --takes "$T/empty" 2>&1 >/dev/null); expect_status 1 "no takes at all"
expect_match "$err" 'no takes found' "no takes: says how to name them"
finish
