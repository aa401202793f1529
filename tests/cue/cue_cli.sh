#!/bin/bash
# `shadowing cue` end to end: init on the seed page, align, export and
# import round trips through every format, shift / split / merge, errors.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
seed="$SRCDIR/tests/data/cue/seed_page.txt"
"$SRCDIR/tests/cue/make_broadcast.sh" "$T/b" clean 3 >/dev/null 2>&1
expect_status 0 "make a clean broadcast"
cp "$seed" "$T/article.txt"

# init: 18 paragraphs with translations, 10 words, chrome dropped
err=$("$SHADOWING" cue init "$T/article.txt" --audio "$T/b/broadcast.wav" -o "$T/b/l.json" 2>&1)
expect_status 0 "cue init"
expect_match "$err" 'kept 18 paragraphs \(18 with a translation\), 10 vocabulary entries' "init reports what it kept"
expect_match "$err" 'dropped [0-9]+ lines' "init reports what it dropped"
n=$(python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); print(len(l["cues"]), len(l["vocabulary"]), l["audio"], l["cues"][6]["translation"][:3], "begin" in l["cues"][0])' "$T/b/l.json")
expect_match "$n" '^18 10 broadcast.wav 杨健说 False$' "init lesson: cues, vocabulary, audio path, translation, untimed"
v=$("$SHADOWING" cue init "$T/article.txt" --audio "$T/b/broadcast.wav" -v 2>&1 >/dev/null)
expect_match "$v" 'article.txt:11: note: dropped site text: 扫描二维码' "init -v lists dropped lines with their line"

err=$("$SHADOWING" cue init "$T/article.txt" --audio "$T/b/broadcast.wav" -o "$T/b/l.json" 2>&1)
expect_status 1 "init refuses to replace a lesson"
expect_match "$err" 'already exists; use --force' "init says how to replace it"
"$SHADOWING" cue init "$T/article.txt" --audio "$T/b/broadcast.wav" -o "$T/b/l.json" --force 2>/dev/null
expect_status 0 "init --force replaces it"

# align fills the times; the lesson then passes check-style loading
out=$("$SHADOWING" cue align "$T/b/l.json" 2>&1)
expect_status 0 "cue align"
expect_match "$out" 'p18 .*confidence' "align prints a confidence per cue"
res=$(python3 "$SRCDIR/tests/cue/align_check.py" "$T/b/l.json" "$T/b/truth.tsv" 60 250)
expect_status 0 "clean broadcast aligned within targets: $res"

# the bundled demo lesson: drop its exact times, align, compare
mkdir -p "$T/demo"
python3 - "$SRCDIR/assets/demo/lesson.json" "$T/demo" <<'PY'
import json, os, sys
l = json.load(open(sys.argv[1], encoding="utf-8")); out = sys.argv[2]
with open(out + "/truth.tsv", "w") as f:
    for c in l["cues"]:
        f.write("%s\t%s\t%s\n" % (c["id"], c.pop("begin"), c.pop("end")))
l["audio"] = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), l["audio"])
json.dump(l, open(out + "/lesson.json", "w", encoding="utf-8"), ensure_ascii=False)
PY
"$SHADOWING" cue align "$T/demo/lesson.json" -q >/dev/null 2>&1
expect_status 0 "align the demo lesson"
res=$(python3 "$SRCDIR/tests/cue/align_check.py" "$T/demo/lesson.json" "$T/demo/truth.tsv" 60 250)
expect_status 0 "demo lesson re-aligned within targets: $res"

# export / import round trips keep ids, texts and times
for f in lrc srt vtt aeneas; do
  "$SHADOWING" cue export "$T/b/l.json" --format $f --bilingual -o "$T/b/out.$f"
  expect_status 0 "export $f"
  err=$("$SHADOWING" cue import "$T/b/out.$f" --audio "$T/b/broadcast.wav" -o "$T/b/back_$f.json" 2>&1)
  expect_status 0 "import $f: $err"
  cmp=$(python3 - "$T/b/l.json" "$T/b/back_$f.json" "$f" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2])); f = sys.argv[3]
res = 0.0105 if f == "lrc" else 0.0015
assert len(a["cues"]) == len(b["cues"]), "count"
for x, y in zip(a["cues"], b["cues"]):
    assert x["id"] == y["id"], (x["id"], y["id"])
    assert x["text"] == y["text"], (x["text"], y["text"])
    assert x.get("translation") == y.get("translation"), x["id"]
    assert abs(x["begin"] - y["begin"]) <= res, (x["id"], x["begin"], y["begin"])
    assert abs(x["end"] - y["end"]) <= res, (x["id"], x["end"], y["end"])
print("same")
PY
)
  expect_match "$cmp" '^same$' "round trip through $f"
done
vtt=$("$SHADOWING" cue export "$T/b/l.json" --format vtt)
expect_match "$vtt" '^WEBVTT' "vtt export starts with the header"
expect_match "$vtt" '^00:00:[0-9]{2}\.[0-9]{3} --> ' "vtt times use a dot"
srt=$("$SHADOWING" cue export "$T/b/l.json" --format srt)
expect_match "$srt" '^00:00:[0-9]{2},[0-9]{3} --> ' "srt times use a comma"
ae=$("$SHADOWING" cue export "$T/b/l.json" --format aeneas)
expect_match "$ae" '"begin":[[:space:]]*"[0-9]+\.[0-9]{3}"' "aeneas times are strings"

# LRC import: ends are the next start trimmed to the speech, the last the audio's end
printf '[ti:Two]\n[00:00.00]%s\n[00:18.30]%s\n' "$(sed -n 1p "$SRCDIR/tests/data/cue/demo_paragraphs.txt")" \
  "$(sed -n 2p "$SRCDIR/tests/data/cue/demo_paragraphs.txt")" >"$T/b/two.lrc"
"$SHADOWING" cue import "$T/b/two.lrc" --audio "$T/b/broadcast.wav" -o "$T/b/two.json" 2>/dev/null
expect_status 0 "import lrc"
e1=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["cues"]; print("%.2f %.2f" % (c[0]["end"], c[1]["end"]))' "$T/b/two.json")
t1=$(awk -F'\t' 'NR==1{print $3}' "$T/b/truth.tsv")
d1=$(awk -v a="${e1%% *}" -v b="$t1" 'BEGIN{d=a-b; if (d<0) d=-d; print (d < 0.05) ? "near" : "far"}')
expect_match "$d1" '^near$' "LRC end trimmed from 18.30 to the speech edge ($e1 vs $t1)"

# shift, merge, split: atomic edits that keep unknown fields
python3 - "$T/b/l.json" <<'PY'
import json, sys
l = json.load(open(sys.argv[1])); l["x-custom"] = {"keep": True}; l["cues"][2]["x-note"] = "mine"
json.dump(l, open(sys.argv[1], "w"), ensure_ascii=False, indent=2)
PY
b3=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cues"][2]["begin"])' "$T/b/l.json")
"$SHADOWING" cue shift "$T/b/l.json" --by -0.25 --from p3 2>/dev/null
expect_status 0 "shift --by -0.25 --from p3"
got=$(python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); c=l["cues"]; print(round(c[2]["begin"]-float(sys.argv[2]),3), c[2]["x-note"], l["x-custom"]["keep"])' "$T/b/l.json" "$b3")
expect_match "$got" '^-0.25 mine True$' "shift moved p3 and kept unknown fields"
err=$("$SHADOWING" cue shift "$T/b/l.json" --by -1000 2>&1); expect_status 1 "shift before the start is refused"
expect_match "$err" 'before the start' "shift says why"
"$SHADOWING" cue merge "$T/b/l.json" p5 p6 2>/dev/null; expect_status 0 "merge p5 p6"
m=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["cues"]; print(len(c), c[4]["id"], c[5]["id"], c[4]["text"].endswith("progress."))' "$T/b/l.json")
expect_match "$m" '^17 p5 p7 True$' "merge joined p5 and p6"
err=$("$SHADOWING" cue merge "$T/b/l.json" p1 p3 2>&1); expect_status 1 "merging non-neighbours is refused"
out=$("$SHADOWING" cue split "$T/b/l.json" --cue p8 --sentences 2>&1); expect_status 0 "split p8 into sentences"
s=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["cues"]; s=[x for x in c if x["id"].startswith("p8-")]; print(len(s), all(a["end"] <= b["begin"] for a, b in zip(s, s[1:])), s[0]["text"][:30])' "$T/b/l.json")
expect_match "$s" '^3 True "The Chinese market will' "split made 3 timed sentence cues"

# errors: located, exit 1; usage errors exit 2
printf '1\n00:00:01,000 --> 00:00:0x,000\nA\n' >"$T/bad.srt"
err=$("$SHADOWING" cue import "$T/bad.srt" --audio "$T/b/broadcast.wav" 2>&1); expect_status 1 "bad srt"
expect_match "$err" 'bad.srt:2:1: error: bad timing line' "srt error names file and line"
printf '[00:01.00]caf\xe9\n' >"$T/latin1.lrc"
err=$("$SHADOWING" cue import "$T/latin1.lrc" --audio "$T/b/broadcast.wav" 2>&1); expect_status 1 "latin-1 lrc"
expect_match "$err" 'latin1.lrc:1: error: not valid UTF-8' "non-UTF-8 refused clearly"
"$SHADOWING" cue export "$T/b/l.json" --format doc >/dev/null 2>&1; expect_status 2 "unknown export format"
"$SHADOWING" cue init "$T/article.txt" >/dev/null 2>&1; expect_status 2 "init without --audio"
"$SHADOWING" cue frob >/dev/null 2>&1; expect_status 2 "unknown subcommand"
"$SHADOWING" cue init "$T/article.txt" --audio "$T/b/broadcast.wav" -o "$T/u.json" 2>/dev/null
err=$("$SHADOWING" cue export "$T/u.json" --format srt 2>&1); expect_status 1 "export of an untimed lesson"
expect_match "$err" "run 'shadowing cue align" "export says to align first"
finish
