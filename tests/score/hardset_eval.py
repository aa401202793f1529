#!/usr/bin/env python3
"""hardset_eval.py - measure the scorer on the hard validation set (issue 9).

Usage: hardset_eval.py SHADOWING SETDIR [--half tuning|validation|both]
                       [--markdown] [--check] [--json] [-j JOBS] [--verbose]

SETDIR is made by tests/score/hardset.py. Every take is scored with
`SHADOWING score bN/lesson.json --dir bN/HALF --json` (one process per
folder, JOBS at a time); the results are cached in SETDIR/.scores/, keyed by
the binary's size and mtime, the lesson and every take's SHA-256, so a
second run with the same binary and set costs nothing.

For each half (tuning, validation) and for B1, B2 and both together it
prints the score per kind (mean, min, max), the mean sub-scores per kind
(whatever keys "subscores" has), a few measurements beside the true facts,
the mean score per learner voice, and the issue's targets with PASS/FAIL
(evaluate() below; the feedback patterns, the faults a correct take must not
be blamed for and the ladder of kinds are the tables FEEDBACK, BLAME and
LADDER just below). A "paragraph" in the targets is one cue of one
broadcast in one half: 18 per broadcast, 36 for both. Thresholds stated "of
18" are scaled to the number of paragraphs. "Above" is strictly above;
"correct_fan10 above every faulty kind" means above all ten faulty takes of
its paragraph at once. Spearman uses average ranks for ties, per paragraph
(then averaged) and pooled over the half; a paragraph whose scores are all
equal counts 0. A take the scorer failed on counts against every target.

--markdown  the same tables in Markdown, for doc/scoring.md
--check     exit 1 when a target of the validation half fails (column "both")
--json      print the raw results (manifest row + the scorer's JSON) instead
"""

import argparse
import hashlib
import json
import math
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

# ---------------------------------------------------------------- easy to change
# Feedback that names each problem (regular expressions, case-insensitive).
FEEDBACK = {
    "slow": r"as long as|took longer|faster",
    "fast": r"too fast|slow down",
    "half": r"stopped at|keep going to the end|did not finish",
    "leftout": r"left out|skipped|say every phrase",
    "wrong": r"right one|right paragraph",
    "nospeech": r"no speech",
    "noisy": r"too noisy",
}
# A correct repeat blamed for any of these is blamed for a fault it lacks.
BLAME = ["slow", "fast", "half", "leftout", "wrong", "nospeech", "noisy"]
# The ladder a teacher would rank the kinds by (higher is better).
LADDER = {"correct": 7, "correct_room": 7, "correct_fan10": 6, "correct_fan5": 6,
          "slow": 5, "fast": 5, "twice": 4, "leftout": 4, "half": 3,
          "mumble": 2, "wrong": 2, "hum": 1, "noise": 1, "silence": 1}
KINDS = list(LADDER)
FAULTY = ["slow", "fast", "half", "leftout", "twice", "wrong", "mumble", "hum", "noise", "silence"]
VOICE_KINDS = ["correct", "correct_room", "correct_fan10", "slow", "fast", "half", "leftout", "wrong", "mumble"]
MEASURES = ["tempo_ratio", "duration_ratio", "coverage", "completeness", "energy_ratio"]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def score_folder(shadowing, setdir, lesson, folder, files):
    """{basename: result or {"error": ...}} for the files of one folder."""
    st = os.stat(shadowing)
    key = hashlib.sha256()
    key.update(("%s %d %d\n" % (os.path.realpath(shadowing), st.st_size, st.st_mtime_ns)).encode())
    key.update(sha256(os.path.join(setdir, lesson)).encode())
    for f in sorted(files):
        key.update(("%s %s\n" % (f, sha256(os.path.join(setdir, folder, f)))).encode())
    cache = os.path.join(setdir, ".scores", key.hexdigest() + ".json")
    if os.path.exists(cache):
        with open(cache, encoding="utf-8") as f:
            return json.load(f)
    r = subprocess.run([shadowing, "score", os.path.join(setdir, lesson), "--dir",
                        os.path.join(setdir, folder), "--json"], capture_output=True, text=True)
    out = {}
    for line in r.stdout.splitlines():
        if line.strip():
            d = json.loads(line)
            out[os.path.basename(d["file"])] = d
    err = [l for l in r.stderr.splitlines() if l.strip()]
    for f in files:
        if f not in out:
            why = [l for l in err if f in l] or err[-1:] or ["no result (exit %d)" % r.returncode]
            out[f] = {"error": why[0]}
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache + ".tmp", "w", encoding="utf-8") as f:
        json.dump(out, f)
    os.replace(cache + ".tmp", cache)
    return out


def score_all(shadowing, setdir, takes, jobs):
    folders = {}
    for t in takes:
        folders.setdefault((t["lesson"], os.path.dirname(t["file"])), []).append(os.path.basename(t["file"]))
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = {k: ex.submit(score_folder, shadowing, setdir, k[0], k[1], v) for k, v in folders.items()}
        res = {k: f.result() for k, f in futs.items()}
    for t in takes:
        t["result"] = res[(t["lesson"], os.path.dirname(t["file"]))][os.path.basename(t["file"])]


# ---------------------------------------------------------------- statistics

def mean(v):
    return sum(v) / len(v) if v else float("nan")


def ranks(v):
    """Average ranks (1-based), ties sharing the mean of their positions."""
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(x, y):
    rx, ry = ranks(x), ranks(y)
    mx, my = mean(rx), mean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return 0.0  # all scores equal: no ranking at all
    return sxy / math.sqrt(sxx * syy)


def says(take, what):
    fb = take["result"].get("feedback", [])
    return any(re.search(FEEDBACK[what], line, re.I) for line in fb)


def score_of(take):
    return take["result"].get("score", -1)


# ---------------------------------------------------------------- the targets

def evaluate(takes):
    """Figures and targets for one set of takes (one half, one or both
    broadcasts). Returns (per-kind rows, targets, notes)."""
    by = {}
    for t in takes:
        by.setdefault((t["broadcast"], t["cue"]), {})[t["kind"]] = t
    units = sorted(by)
    n = len(units)
    T = []  # (name, value shown, passed)
    misses = {}  # target name -> the paragraphs or takes that miss it

    def share(pred, need_kinds, name=None, show=()):
        ok = tot = 0
        for u in units:
            if all(k in by[u] for k in need_kinds):
                tot += 1
                # a take the scorer failed on counts against the target
                good = not any("error" in by[u][k]["result"] for k in need_kinds) and bool(pred(by[u]))
                ok += good
                if not good and name:
                    misses.setdefault(name, []).append("%s %s %s (%s)" % (
                        u[0], u[1], by[u][need_kinds[0]]["voice"],
                        ", ".join("%s %s" % (k, score_of(by[u][k])) for k in show if k in by[u])))
        return ok, tot

    def frac_target(name, ok, tot, need):
        passed = tot > 0 and ok >= need * tot - 1e-9
        T.append((name, "%d/%d (%.0f%%)" % (ok, tot, 100.0 * ok / tot if tot else 0), passed, tot))

    kinds = [k for k in KINDS if any(t["kind"] == k for t in takes)]
    scores = {k: [score_of(t) for t in takes if t["kind"] == k and "error" not in t["result"]] for k in kinds}
    for k, lim in (("correct_room", 80), ("correct", 88)):
        if scores.get(k):
            m = mean(scores[k])
            T.append(("%s mean >= %d" % (k, lim), "%.1f" % m, m >= lim, len(scores[k])))
    for k in ("slow", "fast", "half", "leftout"):
        nm = "correct > %s in >= 90%%" % k
        ok, tot = share(lambda d, k=k: score_of(d["correct"]) > score_of(d[k]), ["correct", k], nm, ["correct", k])
        if tot:
            frac_target(nm, ok, tot, 0.9)
    for k in ("silence", "noise", "hum"):
        nm = "correct > %s in 100%%" % k
        ok, tot = share(lambda d, k=k: score_of(d["correct"]) > score_of(d[k]), ["correct", k], nm, ["correct", k])
        if tot:
            frac_target(nm, ok, tot, 1.0)
    nm = "correct_fan10 within 15 points of correct in >= 90%"
    ok, tot = share(lambda d: abs(score_of(d["correct"]) - score_of(d["correct_fan10"])) <= 15,
                    ["correct", "correct_fan10"], nm, ["correct", "correct_fan10"])
    if tot:
        frac_target(nm, ok, tot, 0.9)
    faulty_present = [k for k in FAULTY if k in kinds]
    if "correct_fan10" in kinds and faulty_present:
        nm = "correct_fan10 > every faulty kind in >= 85%"
        ok, tot = share(lambda d: all(score_of(d["correct_fan10"]) > score_of(d[k]) for k in faulty_present if k in d),
                        ["correct_fan10"], nm, ["correct_fan10"] + faulty_present)
        frac_target(nm, ok, tot, 0.85)
    # Spearman with the ladder, per paragraph (averaged) and pooled.
    per = []
    for u in units:
        ks = [k for k in by[u] if "error" not in by[u][k]["result"]]
        if len(ks) >= 3:
            per.append(spearman([LADDER[k] for k in ks], [score_of(by[u][k]) for k in ks]))
    if per:
        m = mean(per)
        T.append(("Spearman with the ladder, per paragraph (mean) >= 0.75", "%.3f (min %.2f)" % (m, min(per)),
                  m >= 0.75, len(per)))
        ok_t = [t for t in takes if "error" not in t["result"]]
        rho = spearman([LADDER[t["kind"]] for t in ok_t], [score_of(t) for t in ok_t])
        T.append(("Spearman with the ladder, pooled >= 0.75", "%.3f" % rho, rho >= 0.75, len(ok_t)))
    for k in ("slow", "fast", "half"):
        ks = [t for t in takes if t["kind"] == k]
        if ks:
            ok = sum(says(t, k) for t in ks)
            nm = "feedback names %s in >= 16 of 18" % k
            frac_target(nm, ok, len(ks), 16 / 18)
            misses[nm] = ["%s: %s" % (t["file"], " / ".join(t["result"].get("feedback", []))) for t in ks if not says(t, k)]
    cs = [t for t in takes if t["kind"] == "correct"]
    if cs:
        blamed = [t for t in cs if "error" in t["result"] or any(says(t, w) for w in BLAME)]
        bad = len(blamed)
        lim = math.floor(2 / 18 * len(cs) + 1e-9)
        nm = "correct blamed for a fault it lacks in <= 2 of 18"
        T.append((nm, "%d/%d" % (bad, len(cs)), bad <= lim, len(cs)))
        misses[nm] = ["%s: %s" % (t["file"], " / ".join(t["result"].get("feedback", []))) for t in blamed]
    sp = [t for t in takes if t["facts"].get("speech") and t["facts"].get("snr_db", 99) >= 5]
    if sp:
        bad = [t for t in sp if "error" in t["result"] or says(t, "nospeech")
               or t["result"].get("verdict") == "no speech detected"]
        nm = "'No speech' on takes with speech at >= 5 dB SNR: 0"
        T.append((nm, "%d/%d" % (len(bad), len(sp)), not bad, len(sp)))
        misses[nm] = ["%s (%s)" % (t["file"], ",".join(c["name"] for c in t["conditions"]) or "-") for t in bad]
    errs = [t for t in takes if "error" in t["result"]]
    T.append(("every take scores without error", "%d errors" % len(errs), not errs, len(takes)))
    notes = {"_misses": misses}
    cor = [t for t in takes if t["kind"].startswith("correct")]
    notes["'right one' on correct takes (all 4 correct kinds)"] = "%d/%d" % (sum(says(t, "wrong") for t in cor), len(cor))
    for k in ("wrong", "leftout", "twice", "mumble"):
        ks = [t for t in takes if t["kind"] == k]
        if ks:
            w = {"wrong": "wrong", "leftout": "leftout", "twice": "slow", "mumble": "leftout"}[k]
            notes["%s told '%s' (reported only)" % (k, FEEDBACK[w])] = "%d/%d" % (sum(says(t, w) for t in ks), len(ks))
    if "correct" in kinds:
        fan = [t for t in takes if "fan" in t["kind"] or any(c["name"].startswith("fan") for c in t["conditions"])]
        ns = [t for t in fan if says(t, "nospeech")]
        notes["'No speech' on takes with fan noise (5-15 dB SNR)"] = "%d/%d" % (len(ns), len(fan))
    # per-kind rows
    rows = []
    subkeys = []
    for t in takes:
        for k in t["result"].get("subscores", {}):
            if k not in subkeys:
                subkeys.append(k)
    for k in kinds:
        ks = [t for t in takes if t["kind"] == k and "error" not in t["result"]]
        if not ks:
            continue
        s = [score_of(t) for t in ks]
        row = {"kind": k, "n": len(ks), "mean": mean(s), "min": min(s), "max": max(s),
               "sub": {sk: mean([t["result"]["subscores"].get(sk, 0) for t in ks]) for sk in subkeys},
               "meas": {}, "true": {}}
        for mk in MEASURES:
            v = [t["result"].get("measurements", {}).get(mk) for t in ks]
            v = [x for x in v if isinstance(x, (int, float))]
            if v:
                row["meas"][mk] = mean(v)
        for fk in ("span_ratio", "said_share"):
            v = [t["facts"][fk] for t in ks if fk in t["facts"]]
            if v:
                row["true"][fk] = mean(v)
        rows.append(row)
    voices = {}
    for t in takes:
        if t["voice"] and "error" not in t["result"]:
            voices.setdefault((t["family"], t["voice"]), {}).setdefault(t["kind"], []).append(score_of(t))
    notes["_voices"] = voices
    return rows, subkeys, T, notes


# ---------------------------------------------------------------- printing

def fmt_rows(rows, subkeys, md, extra=None):
    """extra: {label: {kind: mean}} shown as columns "label mean"."""
    out = []
    extra = extra or {}
    meas = [m for m in MEASURES if any(m in r["meas"] for r in rows)]
    head = (["kind", "n", "mean", "min", "max"] + ["%s mean" % l for l in extra] + subkeys
            + ["true span", "true said"] + ["m.%s" % m for m in meas])
    if md:
        out.append("| " + " | ".join(head) + " |")
        out.append("|---|" + "---:|" * (len(head) - 1))
    else:
        out.append("  ".join("%-13s" % head[0:1][0] if i == 0 else "%8s" % h[:8] for i, h in enumerate(head)))
    for r in rows:
        cells = [r["kind"], "%d" % r["n"], "%.1f" % r["mean"], "%d" % r["min"], "%d" % r["max"]]
        cells += ["%.1f" % e[r["kind"]] if r["kind"] in e else "-" for e in extra.values()]
        cells += ["%.0f" % r["sub"][k] for k in subkeys]
        cells += ["%.2f" % r["true"][k] if k in r["true"] else "-" for k in ("span_ratio", "said_share")]
        cells += ["%.2f" % r["meas"][m] if m in r["meas"] else "-" for m in meas]
        if md:
            out.append("| " + " | ".join(cells) + " |")
        else:
            out.append("  ".join("%-13s" % c if i == 0 else "%8s" % c for i, c in enumerate(cells)))
    return out


def report(half, sets, md, verbose=False):
    """sets: [(label, takes)]; prints the kind tables and a targets table
    with one column per label. Returns the targets of the last label."""
    print(("### %s half" if md else "=== %s half") % half)
    print()
    results = [(label, evaluate(ts)) for label, ts in sets if ts]
    # One table per broadcast in text; in Markdown only the last (both
    # broadcasts when there are two), with each broadcast's mean beside.
    shown = results[-1:] if md else results
    extra = {}
    if md and len(results) > 1:
        extra = {label: {r["kind"]: r["mean"] for r in rows} for label, (rows, _, _, _) in results[:-1]}
    for label, (rows, subkeys, T, notes) in shown:
        print(("**Scores per kind, %s half, %s** (n takes; mean, min, max score; mean sub-scores; "
               "true span = take speech / reference cue span, true said = share of the words said "
               "(both from the manifest); m.* = the scorer's mean measurements)" if md
               else "--- scores per kind, %s half, %s (m.* = mean measurements)") % (half, label))
        print()
        for line in fmt_rows(rows, subkeys, md, extra):
            print(line)
        print()
    names = []
    for _, (_, _, T, _) in results:
        for t in T:
            if t[0] not in names:
                names.append(t[0])
    labels = [l for l, _ in results]
    cell = {}
    for label, (_, _, T, _) in results:
        for name, val, ok, _n in T:
            cell[(name, label)] = "%s %s" % (val, "PASS" if ok else "FAIL")
    print(("**Targets, %s half**" if md else "--- targets, %s half") % half)
    print()
    if md:
        print("| target | " + " | ".join(labels) + " |")
        print("|---|" + "---|" * len(labels))
        for nm in names:
            print("| %s | %s |" % (nm, " | ".join(cell.get((nm, l), "-") for l in labels)))
    else:
        print("%-58s %s" % ("target", "".join("%-22s" % l for l in labels)))
        for nm in names:
            print("%-58s %s" % (nm, "".join("%-22s" % cell.get((nm, l), "-") for l in labels)))
    last = results[-1][1][2] if results else []
    print(("%d of %d targets pass (%s half, %s)" if not md else "%d of %d targets pass (%s half, %s).")
          % (sum(1 for t in last if t[2]), len(last), half, labels[-1] if labels else "-"))
    print()
    for label, (_, _, _, notes) in results:
        for k, v in notes.items():
            if not k.startswith("_"):
                print(("- %s, %s: %s" if md else "  %s, %s: %s") % (label, k, v))
    print()
    label, (_, _, _, notes) = results[-1]
    if verbose:
        for name, items in notes["_misses"].items():
            if items:
                print("  misses of '%s' (%s, %s):" % (name, half, label))
                for it in items:
                    print("    " + it)
        print()
    voices = notes["_voices"]
    vk = [k for k in VOICE_KINDS if any(k in d for d in voices.values())]
    print(("**Mean score per learner voice, %s %s**" if md else "--- mean score per learner voice, %s %s") % (half, label))
    print()
    if md:
        print("| family | voice | " + " | ".join(vk) + " |")
        print("|---|---|" + "---:|" * len(vk))
    else:
        print("%-9s %-22s " % ("family", "voice") + " ".join("%9s" % k[:9] for k in vk))
    for (fam, voice), d in sorted(voices.items()):
        cells = ["%.1f" % mean(d[k]) if k in d else "-" for k in vk]
        if md:
            print("| %s | %s | %s |" % (fam, voice, " | ".join(cells)))
        else:
            print("%-9s %-22s " % (fam, voice) + " ".join("%9s" % c for c in cells))
    print()
    return results[-1][1][2] if results else []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("shadowing")
    ap.add_argument("setdir")
    ap.add_argument("--half", default="both", choices=["tuning", "validation", "both"])
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true",
                    help="one line per take, and the paragraphs or takes that miss each target")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args()
    with open(os.path.join(args.setdir, "manifest.json"), encoding="utf-8") as f:
        takes = json.load(f)["takes"]
    halves = ["tuning", "validation"] if args.half == "both" else [args.half]
    takes = [t for t in takes if t["half"] in halves]
    score_all(args.shadowing, args.setdir, takes, args.jobs)
    if args.json:
        json.dump(takes, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if args.verbose:
        for t in takes:
            r = t["result"]
            print("%-34s %-14s %-9s %3s %s %s" % (t["file"], t["voice"], ",".join(c["name"] for c in t["conditions"]) or "-",
                                               r.get("score", "ERR"), r.get("subscores", r.get("error")), " / ".join(r.get("feedback", []))))
        print()
    check_bad = []
    b2 = os.path.join(args.setdir, "b2", "lesson.json")
    if os.path.exists(b2):
        r = subprocess.run([args.shadowing, "check", b2], capture_output=True, text=True)
        print("%s check b2/lesson.json: %s" % ("-" if args.markdown else "",
                                               "accepted" if r.returncode == 0 else
                                               "REFUSED (exit %d): %s" % (r.returncode, r.stderr.strip()[:300])))
        print()
        if r.returncode != 0:
            check_bad.append("b2 lesson refused by check")
    for half in halves:
        ht = [t for t in takes if t["half"] == half]
        bcs = sorted({t["broadcast"] for t in ht})
        sets = [(b, [t for t in ht if t["broadcast"] == b]) for b in bcs]
        if len(bcs) > 1:
            sets.append(("both", ht))
        T = report(half, sets, args.markdown, args.verbose)
        if half == "validation":
            check_bad += [name for name, _, ok, _ in T if not ok]
    if args.check and "validation" in halves and check_bad:
        print("FAIL (validation half): " + "; ".join(check_bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
