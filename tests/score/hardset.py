#!/usr/bin/env python3
"""hardset.py - the hard validation set for the scorer: many voices, many rooms.

Usage: hardset.py [OUTDIR] [--cues 1,2,...] [--halves tuning,validation]
                  [--broadcasts b1,b2] [--kinds correct,slow,...]
                  [--voices-per-family N] [-j JOBS]

Writes into OUTDIR (default build/hardset; never elsewhere in the repository):

  b1/lesson.json, b1/broadcast.mp3   broadcast B1: the bundled demo lesson as is
                                     (espeak-ng en-us, 165 wpm)
  b2/lesson.json, b2/broadcast.flac  broadcast B2: the same 18 paragraphs read by
                                     festival kal_diphone, 0.8-1.2 s pauses, cue
                                     times the exact speech edges
  bN/HALF/pK.KIND.EXT                one take: broadcast bN, learner half HALF
                                     (tuning or validation), cue pK; the file name
                                     up to the first dot is the cue id, so
                                     `shadowing score bN/lesson.json --dir bN/HALF`
                                     scores a whole folder
  manifest.json                      every take with what is known about it

Learner voices come in two halves that share no voice (and no speaker), each
holding all three synthesizer families; no learner voice is a broadcast voice
(festival kal_diphone is B2's speaker, so neither it nor flite kal/kal16 is a
learner). Within a half the voices go round the paragraphs (shifted by two
for B2), and every take of one paragraph is in that paragraph's voice.

Kinds of take (KINDS below): correct (clean, "no room"), correct_room (1-2
recording conditions), correct_fan10 / correct_fan5 (fan noise at 10 / 5 dB
SNR only), slow (0.65x the speaking rate), fast (1.45x), half (the first half
of the words), leftout (a middle sentence, or clause, or phrase, left out
without a pause), twice (a sentence or clause said twice), wrong (the next
paragraph's text), mumble (low-passed quiet speech, or a babble of three
other voices), hum, noise (fan noise, sometimes a cough), silence (a quiet
room). Every faulty kind with speech gets 1-2 recording conditions, drawn
per take with a fixed seed (CONDITIONS and render() in hardset_rooms.py).
Deterministic: seeded random.Random per take, sox -R; running it twice gives
byte-identical files (every take depends only on its own seed, so a subset
run gives the same bytes for the takes it shares with the full set, B2's
audio aside: B2 holds only the chosen paragraphs). About 3.5 minutes of CPU
for the 1008 takes. tests/score/hardset_eval.py scores the set.
"""

import argparse
import array
import json
import math
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

from hardset_rooms import (RATE, add_at, burst, draw_conditions, edges, hum_wave, make_bank, mix,
                           noise_in, read_wav, render, sox, write_f32, write_take, write_wav, F32,
                           FLOOR_DB)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEMO = os.path.join(REPO, "assets", "demo", "lesson.json")

# Learner voices: (family, voice, its speaking-time ratio to B1 at the
# neutral rate, measured over p1, p3, p5 and p10). The ratio sets each
# take's rate so that a "correct" take is at the speaker's pace (+-7%).
HALVES = {
    "tuning": [("espeak", "en-gb+f3", 0.981), ("flite", "awb", 1.026),
               ("festival", "ked_diphone", 0.963), ("espeak", "en-029+m3", 0.979),
               ("espeak", "en-gb-x-rp+f2", 1.0)],
    "validation": [("espeak", "en-gb-scotland", 0.968), ("flite", "rms", 1.130),
                   ("festival", "cmu_us_slt_arctic_hts", 1.040), ("espeak", "en-029+f4", 1.008),
                   ("flite", "slt", 0.989)],
}
B2_VOICE = ("festival", "kal_diphone")
B2_RATIO = 0.965            # festival kal_diphone's speaking time / B1's
B2_SEED = 20250211
BROADCAST_OFFSET = {"b1": 0, "b2": 2}   # voice rotation shift per broadcast

KINDS = ["correct", "correct_room", "correct_fan10", "correct_fan5", "slow", "fast", "half",
         "leftout", "twice", "wrong", "mumble", "hum", "noise", "silence"]
SPEECH_KINDS = set(KINDS) - {"hum", "noise", "silence"}
TEMPO = {"slow": 0.65, "fast": 1.45}   # speaking-rate factor (duration / factor)
# Words the synthesizers misread, respelled for the speech only.
SPEECH_FIXES = [(r"\$5\.6 million", "5.6 million dollars"), (r"\bGPUs\b", "G P U's"),
                (r"\bHuawei\b", "Hwah way"), (r"\bJian\b", "Jyen")]


def speech_text(text):
    for pat, rep in SPEECH_FIXES:
        text = re.sub(pat, rep, text)
    return text


# ------------------------------------------------------------------ synthesis

def synth(family, voice, text, stretch, tmp, name):
    """Text -> 16 kHz mono int16 array, cut at its speech edges. stretch is
    the duration factor (>1 slower)."""
    txt = os.path.join(tmp, name + ".txt")
    raw = os.path.join(tmp, name + ".raw.wav")
    out = os.path.join(tmp, name + ".wav")
    with open(txt, "w", encoding="utf-8") as f:
        f.write(speech_text(text) + "\n")
    q = subprocess.DEVNULL
    if family == "espeak":
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(round(165 / stretch)), "-w", raw, "-f", txt],
                       check=True, stderr=q)
    elif family == "flite":
        subprocess.run(["flite", "-voice", voice, "--setf", "duration_stretch=%.4f" % stretch,
                        "-f", txt, "-o", raw], check=True, stderr=q, stdout=q)
    elif voice.endswith("_hts"):
        # The HTS engine ignores Duration_Stretch; its -r is the speaking rate.
        subprocess.run(["text2wave", "-eval", "(voice_%s)" % voice, "-eval",
                        "(set! hts_engine_params (append %s::hts_engine_params (list (list \"-r\" %.4f))))"
                        % (voice, 1 / stretch), txt, "-o", raw], check=True, stderr=q, stdout=q)
    else:
        subprocess.run(["text2wave", "-eval", "(voice_%s)" % voice, "-eval",
                        "(Parameter.set 'Duration_Stretch %.4f)" % stretch, txt, "-o", raw],
                       check=True, stderr=q, stdout=q)
    sox(raw, "-r", RATE, "-c", 1, "-b", 16, out)
    a = read_wav(out)
    e = edges(a)
    if e is None:
        raise RuntimeError("%s %s produced silence for %r" % (family, voice, text[:40]))
    return a[e[0]:e[1]]


# ------------------------------------------------------------------ text variants

def words(text):
    return text.split()


def units(text):
    """Sentences if there are 3 or more, else clauses (commas, semicolons) if
    3 or more, else None. Each unit keeps its punctuation."""
    s = re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", text)
    if len(s) >= 3:
        return s, "sentence"
    c = re.split(r"(?<=[,;])\s+", text)
    if len(c) >= 3:
        return c, "clause"
    return None, None


def half_text(text):
    """The first half of the words, moved to a clause end if one is within
    8% of the words of the middle."""
    w = words(text)
    k = round(len(w) / 2)
    ends = [i + 1 for i, x in enumerate(w[:-1]) if x.endswith((",", ";", "."))]
    near = [e for e in ends if abs(e - k) <= 0.08 * len(w)]
    if near:
        k = min(near, key=lambda e: abs(e - k))
    return " ".join(w[:k]).rstrip(",;"), k / len(w)


def leftout_text(text):
    """Leave out a middle unit (not the first or last) of about a quarter of
    the words (at most 35%); else words 40%-62%. Returns text, share left out,
    what was left out."""
    nw = len(words(text))
    u, what = units(text)
    if u:
        mids = [(i, len(words(x)) / nw) for i, x in enumerate(u) if 0 < i < len(u) - 1]
        i, share = min(mids, key=lambda t: abs(t[1] - 0.25))
        if 0.08 <= share <= 0.35:
            rest = u[:i] + u[i + 1:]
            return " ".join(rest), share, "%s %d of %d" % (what, i + 1, len(u))
    w = words(text)
    a, b = round(0.40 * len(w)), round(0.62 * len(w))
    return " ".join(w[:a] + w[b:]), (b - a) / len(w), "words %d-%d of %d" % (a + 1, b, len(w))


def twice_text(text):
    """Say one unit twice: a sentence if there are 2 or more, else a clause,
    else the words 30%-55% again."""
    nw = len(words(text))
    s = re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", text)
    if len(s) >= 2:
        u, what = s, "sentence"
    else:
        u, what = re.split(r"(?<=[,;])\s+", text), "clause"
    if len(u) >= 2:
        cand = [(i, len(words(x)) / nw) for i, x in enumerate(u)]
        i, share = min(cand, key=lambda t: abs(t[1] - 0.3))
        if share <= 0.6:
            return " ".join(u[:i + 1] + [u[i]] + u[i + 1:]), share, "%s %d of %d" % (what, i + 1, len(u))
    w = words(text)
    a, b = round(0.30 * len(w)), round(0.55 * len(w))
    return " ".join(w[:b] + w[a:b] + w[b:]), (b - a) / len(w), "words %d-%d of %d" % (a + 1, b, len(w))


# ------------------------------------------------------------------ tasks

def make_task(task):
    """All the takes of one (broadcast, half, cue). Returns manifest rows."""
    out, bank, bcast, half, n, cues, ref_span, kinds, voices = task
    cue = cues[n - 1]
    cid = cue["id"]
    family, voice, ratio = voices[(n - 1 + BROADCAST_OFFSET[bcast]) % len(voices)]
    if bcast == "b2":
        ratio = ratio / B2_RATIO
    text = cue["text"]
    nwords = len(words(text))
    rows = []
    with tempfile.TemporaryDirectory(prefix="hardset-") as tmp:
        base_rng = random.Random("hardset|%s|%s|%s" % (bcast, half, cid))
        target = base_rng.uniform(0.93, 1.07)     # the learner's pace, 1 = the speaker's
        natural = target / ratio                  # stretch for the speaker's pace
        cache = {}

        def say(key, txt, stretch):
            if key not in cache:
                cache[key] = synth(family, voice, txt, stretch, tmp, key)
            return cache[key]

        for kind in kinds:
            rng = random.Random("hardset|%s|%s|%s|%s" % (bcast, half, cid, kind))
            facts = {"speech": kind in SPEECH_KINDS}
            conds, gain_db = [], 0.0
            if kind in ("correct", "correct_room", "correct_fan10", "correct_fan5"):
                speech = say("full", text, natural)
                facts.update(tempo=1.0, said_share=1.0)
                conds = {"correct": [], "correct_room": draw_conditions(rng),
                         "correct_fan10": ["fan10"], "correct_fan5": ["fan5"]}[kind]
            elif kind in TEMPO:
                speech = say(kind, text, natural / TEMPO[kind])
                facts.update(tempo=TEMPO[kind], said_share=1.0)
                conds = draw_conditions(rng)
            elif kind == "half":
                t, share = half_text(text)
                speech = say("half", t, natural)
                facts.update(tempo=1.0, said_share=round(share, 3), text=t)
                conds = draw_conditions(rng)
            elif kind == "leftout":
                t, share, what = leftout_text(text)
                speech = say("leftout", t, natural)
                facts.update(tempo=1.0, said_share=round(1 - share, 3), left_out=what, text=t)
                conds = draw_conditions(rng)
            elif kind == "twice":
                t, share, what = twice_text(text)
                speech = say("twice", t, natural)
                facts.update(tempo=1.0, said_share=1.0, extra_share=round(share, 3), repeated=what, text=t)
                conds = draw_conditions(rng)
            elif kind == "wrong":
                other = cues[n % len(cues)]
                speech = say("wrong", other["text"], natural)
                facts.update(tempo=1.0, said_share=0.0, text_of=other["id"])
                conds = draw_conditions(rng)
            elif kind == "mumble":
                src = os.path.join(tmp, "mumble-src.wav")
                dst = os.path.join(tmp, "mumble.wav")
                if n % 2:
                    write_wav(src, say("full", text, natural))
                    sox(src, dst, "lowpass", 400, "lowpass", 400)
                    gain_db = -10.0
                    facts.update(mumble="the paragraph low-passed at 400 Hz (4 poles), 10 dB quieter")
                else:
                    others = [v for v in voices if v[1] != voice][:3]
                    ins = []
                    for k, (f2, v2, _r2) in enumerate(others):
                        oc = cues[(n + 3 + 5 * k) % len(cues)]
                        pk = os.path.join(tmp, "babble%d.wav" % k)
                        write_wav(pk, synth(f2, v2, oc["text"], 1.0, tmp, "babble%d" % k))
                        ins.append(["-v", "0.4", pk])
                    sox("-m", *[x for i in ins for x in i], src)
                    sox(src, dst, "lowpass", 1000)
                    facts.update(mumble="babble: %s reading other paragraphs at once, low-passed at 1 kHz"
                                 % ", ".join(v for _, v, _ in others))
                speech = read_wav(dst)
                facts.update(said_share=0.0)
                conds = draw_conditions(rng)
            if kind in SPEECH_KINDS:
                src, fx, rate, ch, params = render(speech, conds, rng, bank, tmp, facts, gain_db)
                src = [src]
                span = len(speech) / RATE
                facts["span_s"] = round(span, 3)
                facts["span_ratio"] = round(span / ref_span, 3)
            else:
                nsm = round(rng.uniform(4.0, 6.0) * RATE)
                params, fx, rate, ch = {}, [], RATE, 1
                inputs = []
                if kind == "silence":
                    inputs.append(noise_in(bank, "room", nsm, rng, 10 ** (-67 / 20)))
                    facts["noise_dbfs"] = -67.0
                elif kind == "noise":
                    ndb = rng.uniform(-40, -30)
                    inputs.append(noise_in(bank, "fan", nsm, rng, 10 ** (ndb / 20)))
                    facts["noise_dbfs"] = round(ndb, 1)
                    if rng.random() < 0.5:
                        at = rng.randrange(RATE, nsm - RATE)
                        ev = array.array("f", bytes(4 * nsm))
                        add_at(ev, burst(rng, round(0.35 * RATE), 0.6, 0.3), at)
                        evf = os.path.join(tmp, "cough.f32")
                        write_f32(evf, ev)
                        inputs.append(["-v", "1"] + F32 + [evf])
                        facts["cough_at_s"] = round(at / RATE, 2)
                else:
                    hdb = rng.uniform(-35, -25)
                    hf = os.path.join(tmp, "hum.f32")
                    write_f32(hf, hum_wave(nsm, rng, 10 ** (hdb / 20) * math.sqrt(2)))
                    inputs.append(["-v", "1"] + F32 + [hf])
                    inputs.append(noise_in(bank, "room", nsm, rng, 10 ** (FLOOR_DB / 20)))
                    facts["hum_dbfs"] = round(hdb, 1)
                m = os.path.join(tmp, "mixed.wav")
                mix(m, inputs)
                src = [m]
            dest = os.path.join(out, bcast, half, "%s.%s" % (cid, kind))
            path = write_take(src, fx, dest, rng)
            rows.append({
                "file": os.path.relpath(path, out), "broadcast": bcast,
                "lesson": "%s/lesson.json" % bcast, "cue": cid, "kind": kind,
                "voice": voice if kind in SPEECH_KINDS else None,
                "family": family if kind in SPEECH_KINDS else None, "half": half,
                "conditions": [{"name": c, **params.get(c, {})} for c in conds],
                "rate": rate, "channels": ch, "words": nwords, "ref_span_s": round(ref_span, 3),
                "facts": facts,
            })
    return rows


# ------------------------------------------------------------------ broadcasts

def make_b1(out):
    d = os.path.join(out, "b1")
    os.makedirs(d, exist_ok=True)
    shutil.copyfile(DEMO, os.path.join(d, "lesson.json"))
    shutil.copyfile(os.path.join(os.path.dirname(DEMO), "broadcast.mp3"), os.path.join(d, "broadcast.mp3"))
    with open(DEMO, encoding="utf-8") as f:
        return json.load(f)


def make_b2(out, b1, chosen):
    """B2: the paragraphs (1-based numbers in chosen; all 18 for the set)
    read by festival kal_diphone, 16 kHz FLAC, 0.5 s lead-in, 0.8-1.2 s
    seeded pauses, 1.2 s tail; cue begin/end the first and one past the
    last sample with |x| >= 64, floored/ceiled to the ms. The lesson holds
    the chosen cues; returns all 18 (the others keep B1's times, unused)."""
    d = os.path.join(out, "b2")
    os.makedirs(d, exist_ok=True)
    rng = random.Random(B2_SEED)
    audio = array.array("h", bytes(2 * RATE // 2))
    lesson = json.loads(json.dumps(b1))
    with tempfile.TemporaryDirectory(prefix="hardset-b2-") as tmp:
        for n, c in enumerate(lesson["cues"], 1):
            if n not in chosen:
                continue
            clip = synth(B2_VOICE[0], B2_VOICE[1], c["text"], 1.0, tmp, "p%d" % n)
            if len(audio) > RATE // 2:
                audio.extend(array.array("h", bytes(2 * round(rng.uniform(0.8, 1.2) * RATE))))
            begin = len(audio)
            audio.extend(clip)
            c.pop("words", None)  # the demo's word times are B1's, not this voice's
            c["begin"] = math.floor(begin * 1000 / RATE) / 1000
            c["end"] = math.ceil(len(audio) * 1000 / RATE) / 1000
        audio.extend(array.array("h", bytes(2 * round(1.2 * RATE))))
        wav = os.path.join(tmp, "b2.wav")
        write_wav(wav, audio)
        sox(wav, os.path.join(d, "broadcast.flac"))
    every = lesson["cues"]
    lesson["cues"] = [c for n, c in enumerate(every, 1) if n in chosen]
    which = ("18 paragraphs" if len(lesson["cues"]) == len(every) else
             "paragraphs %s" % ", ".join(c["id"] for c in lesson["cues"]))
    lesson["audio"] = "broadcast.flac"
    lesson["notes"] = ("B2 of the scorer's hard validation set (tests/score/hardset.py): the demo "
                       "lesson's %s read by festival voice_kal_diphone at its own pace, "
                       "16 kHz FLAC; cue times are the exact speech edges. %.1f s." % (which, len(audio) / RATE))
    with open(os.path.join(d, "lesson.json"), "w", encoding="utf-8") as f:
        json.dump(lesson, f, ensure_ascii=False, indent=2)
        f.write("\n")
    lesson["cues"] = every
    return lesson


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir", nargs="?", default=os.path.join(REPO, "build", "hardset"),
                    help="where the set goes (default: build/hardset; not elsewhere in the repository)")
    ap.add_argument("--cues", default="", help="1-based paragraph numbers (default: all 18)")
    ap.add_argument("--halves", default="tuning,validation")
    ap.add_argument("--broadcasts", default="b1,b2")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--voices-per-family", type=int, default=0,
                    help="keep only the first N voices of each family in each half (0: all)")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args()
    out = os.path.abspath(args.outdir)
    if out == REPO or out.startswith(REPO + os.sep) and not out.startswith(os.path.join(REPO, "build")):
        sys.exit("hardset.py: %s is inside the repository: write the set to build/... or /tmp" % out)
    kinds = [k for k in args.kinds.split(",") if k]
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        sys.exit("hardset.py: unknown kind %s (kinds: %s)" % (bad[0], ", ".join(KINDS)))
    os.makedirs(out, exist_ok=True)
    lessons = {}
    bcasts = [b for b in args.broadcasts.split(",") if b]
    b1 = make_b1(out) if "b1" in bcasts else json.load(open(DEMO, encoding="utf-8"))
    if "b1" in bcasts:
        lessons["b1"] = b1
    chosen = [int(c) for c in args.cues.split(",") if c] or list(range(1, len(b1["cues"]) + 1))
    if "b2" in bcasts:
        lessons["b2"] = make_b2(out, b1, set(chosen))
    work = os.path.join(out, ".work")
    bank = make_bank(os.path.join(work, "bank"))
    tasks = []
    for bcast in bcasts:
        cues = lessons[bcast]["cues"]
        for half in [h for h in args.halves.split(",") if h]:
            voices = HALVES[half]
            if args.voices_per_family:
                keep, seen = [], {}
                for v in voices:
                    seen[v[0]] = seen.get(v[0], 0) + 1
                    if seen[v[0]] <= args.voices_per_family:
                        keep.append(v)
                voices = keep
            os.makedirs(os.path.join(out, bcast, half), exist_ok=True)
            for n in chosen:
                c = cues[n - 1]
                tasks.append((out, bank, bcast, half, n, cues, c["end"] - c["begin"], kinds, voices))
    if args.jobs > 1:
        with multiprocessing.Pool(args.jobs) as pool:
            results = pool.map(make_task, tasks, chunksize=1)
    else:
        results = [make_task(t) for t in tasks]
    shutil.rmtree(work)
    takes = [r for rows in results for r in rows]
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({
            "about": "The scorer's hard validation set, made by tests/score/hardset.py; see "
                     "the script's header and doc/scoring.md.",
            "broadcasts": {"b1": "espeak-ng en-us 165 wpm (assets/demo, as is)",
                           "b2": "festival %s, made here" % B2_VOICE[1]},
            "halves": {h: ["%s %s" % (f, v) for f, v, _ in vs] for h, vs in HALVES.items()},
            "kinds": KINDS,
            "takes": takes,
        }, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("hardset: %d takes in %s" % (len(takes), out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
