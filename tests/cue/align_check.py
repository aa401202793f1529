#!/usr/bin/env python3
"""Compare an aligned lesson with the ground truth of make_broadcast.sh.

    align_check.py LESSON.json TRUTH.tsv [MEDIAN_MS WORST_MS]

Prints "median N ms worst N ms (cue, edge)" over every begin and end; with
limits, exits 1 when either is exceeded."""
import json
import sys


def seconds(v):
    if isinstance(v, (int, float)):
        return float(v)
    parts = [float(x) for x in v.split(":")]
    t = 0.0
    for p in parts:
        t = t * 60 + p
    return t


lesson = json.load(open(sys.argv[1], encoding="utf-8"))
truth = {}
for line in open(sys.argv[2], encoding="utf-8"):
    cid, b, e = line.rstrip("\n").split("\t")[:3]
    truth[cid] = (float(b), float(e))
errs = []
for c in lesson["cues"]:
    if "begin" not in c or "end" not in c:
        print("cue %s has no times" % c["id"])
        sys.exit(1)
    tb, te = truth[c["id"]]
    errs.append((abs(seconds(c["begin"]) - tb), c["id"], "begin"))
    errs.append((abs(seconds(c["end"]) - te), c["id"], "end"))
if len(lesson["cues"]) != len(truth):
    print("lesson has %d cues, truth %d" % (len(lesson["cues"]), len(truth)))
    sys.exit(1)
vals = sorted(e[0] for e in errs)
n = len(vals)
median = (vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2) * 1000
worst = max(errs)
print("median %.0f ms worst %.0f ms (%s %s)" % (median, worst[0] * 1000, worst[1], worst[2]))
if len(sys.argv) > 4 and (median > float(sys.argv[3]) or worst[0] * 1000 > float(sys.argv[4])):
    sys.exit(1)
