#!/usr/bin/env python3
"""hardset.py - the hard validation set for the scorer: many voices, many rooms.

Usage: hardset.py OUTDIR [--cues 1,2,...] [--halves tuning,validation]
                  [--broadcasts b1,b2] [--kinds correct,slow,...]
                  [--voices-per-family N] [-j JOBS]

Writes into OUTDIR (never into the repository):

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
per take with a fixed seed (CONDITIONS). Deterministic: seeded random.Random
per take, sox -R; running it twice gives byte-identical files.
"""

import argparse
import array
import json
import math
import multiprocessing
import operator
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEMO = os.path.join(REPO, "assets", "demo", "lesson.json")
RATE = 16000
EDGE = 64  # |sample| >= this is speech in a synthesizer's output (-54 dBFS)

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
# Recording conditions for correct_room and the faulty kinds with speech.
CONDITIONS = ["phone", "usb48", "laptop", "fan15", "fan5", "hum", "reverb", "clip", "quiet",
              "late", "cough", "breath"]
EXCLUSIVE = [{"phone", "usb48", "laptop"}, {"clip", "quiet"}, {"fan15", "fan5"}]
FLOOR_DB = -62.0            # the faint room noise every take has (dBFS RMS)

# Words the synthesizers misread, respelled for the speech only.
SPEECH_FIXES = [(r"\$5\.6 million", "5.6 million dollars"), (r"\bGPUs\b", "G P U's"),
                (r"\bHuawei\b", "Hwah way"), (r"\bJian\b", "Jyen")]


def sox(*args):
    subprocess.run(["sox", "-R", "-D", "-V1"] + [str(a) for a in args], check=True)


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2, path
        a = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder != "little":
        a.byteswap()
    return a


def write_wav(path, data, rate=RATE):
    out = data
    if sys.byteorder != "little":
        out = array.array("h", data)
        out.byteswap()
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(out.tobytes())


def edges(a, thr=EDGE):
    first = next((i for i, x in enumerate(a) if abs(x) >= thr), None)
    if first is None:
        return None
    last = next(i for i in range(len(a) - 1, -1, -1) if abs(a[i]) >= thr)
    return first, last + 1


def active_rms(a):
    """RMS (0..1) over the 20 ms frames within 35 dB of the loudest frame:
    the speech level, not counting pauses and silence around it."""
    n = 320
    frames = [sum(map(operator.mul, a[i:i + n], a[i:i + n])) / n for i in range(0, len(a) - n + 1, n)]
    if not frames or max(frames) == 0:
        return 0.0
    lim = max(frames) * 10 ** (-35 / 10)
    act = [f for f in frames if f >= lim]
    return math.sqrt(sum(act) / len(act)) / 32768.0


def db(x):
    return 20 * math.log10(x) if x > 0 else -999.0


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


# ------------------------------------------------------------------ noises

# Every signal lives in a file and sox does the per-sample work (gains,
# mixing, filters): Python only draws the parameters and measures levels.
FLOAT = ["-e", "floating-point", "-b", 32]          # intermediate WAVs
F32 = ["-t", "raw", "-e", "floating-point", "-b", 32, "-r", RATE, "-c", 1, "-L"]


def make_bank(d):
    """60 s of fan-like noise (pink + brown, band 60 Hz-4 kHz) and of a quiet
    room (brown), 16 kHz 16-bit; returns {name: (path, samples, RMS 0..1)}."""
    os.makedirs(d, exist_ok=True)
    fan = os.path.join(d, "fan.wav")
    sox("-n", "-r", RATE, "-c", 1, "-b", 16, fan, "synth", 60, "pinknoise", "synth", "brownnoise", "mix",
        "highpass", 60, "lowpass", 4000, "norm", -12)
    room = os.path.join(d, "room.wav")
    sox("-n", "-r", RATE, "-c", 1, "-b", 16, room, "synth", 60, "brownnoise", "norm", -12)
    bank = {}
    for name, path in (("fan", fan), ("room", room)):
        a = read_wav(path)
        bank[name] = (path, len(a), math.sqrt(sum(map(operator.mul, a, a)) / len(a)) / 32768.0)
    return bank


def noise_in(bank, name, n, rng, rms):
    """sox -m input arguments: n samples of the bank's noise from a seeded
    offset, at RMS rms (0..1)."""
    path, length, r = bank[name]
    off = rng.randrange(0, length - n)
    return ["-v", "%.6g" % (rms / r), "|sox -R -V1 %s -p trim %ds %ds" % (path, off, n)]


def burst(rng, n, shape, level):
    """A burst of white noise with an exponential decay: n samples; lowpassed
    by a one-pole filter (coef shape) so it sounds like a cough, not hiss."""
    out, y = [], 0.0
    for i in range(n):
        x = rng.gauss(0.0, 1.0)
        y = shape * y + (1 - shape) * x
        env = min(1.0, i / 80.0) * math.exp(-4.0 * i / n)
        out.append(y * env)
    peak = max(abs(v) for v in out) or 1.0
    return [v * level / peak for v in out]


def add_at(sig, extra, at):
    for i, v in enumerate(extra):
        if 0 <= at + i < len(sig):
            sig[at + i] += v


def hum_wave(n, rng, amp):
    """50 Hz and its harmonics, odd ones stronger (a transformer's hum); one
    period is 320 samples at 16 kHz, tiled from a random phase."""
    ph = rng.uniform(0, 2 * math.pi)
    w = 2 * math.pi * 50.0 / RATE
    comps = [(1, 1.0), (2, 0.35), (3, 0.6), (5, 0.3), (7, 0.15)]
    period = array.array("f", (amp * sum(a * math.sin(k * (w * i + ph)) for k, a in comps) / 1.6
                               for i in range(320)))
    return (period * (n // 320 + 1))[:n]


def write_f32(path, sig):
    a = sig if isinstance(sig, array.array) and sig.typecode == "f" else array.array("f", sig)
    if sys.byteorder != "little":
        a = array.array("f", a)
        a.byteswap()
    with open(path, "wb") as f:
        f.write(a.tobytes())


def mix(out, inputs):
    """inputs: lists of sox input arguments ([-v G] file); each has a -v, so
    sox does not scale them by 1/n."""
    if len(inputs) == 1:
        sox(*inputs[0], *FLOAT, out)
    else:
        sox("-m", *[x for i in inputs for x in i], *FLOAT, out)


def peak_of(path):
    r = subprocess.run(["sox", "-V1", path, "-n", "stat"], capture_output=True, text=True, check=True)
    mx = float(re.search(r"Maximum amplitude:\s+(\S+)", r.stderr).group(1))
    mn = float(re.search(r"Minimum amplitude:\s+(\S+)", r.stderr).group(1))
    return max(mx, -mn)


# ------------------------------------------------------------------ one take

def draw_conditions(rng):
    n = rng.choice([1, 2])
    chosen = []
    pool = list(CONDITIONS)
    while len(chosen) < n:
        c = rng.choice(pool)
        pool.remove(c)
        if any(c in ex and other in ex for ex in EXCLUSIVE for other in chosen):
            continue
        chosen.append(c)
    return chosen


def render(speech, conds, rng, bank, tmp, facts, gain_db=0.0):
    """speech: int16 array (the synthesizer's speech, edges cut). Pads it,
    applies the conditions in a fixed order (acoustic, then device) and
    returns (the mixed float WAV, final sox effects, rate, channels,
    parameters of each condition). Fills facts."""
    pre, post = rng.uniform(0.3, 0.8), rng.uniform(0.4, 0.9)
    late = rng.uniform(2.0, 4.0) if "late" in conds else 0.0
    breath = 3.0 if "breath" in conds else 0.0
    nb = round((pre + late) * RATE)
    na = round((post + breath) * RATE)
    n = nb + len(speech) + na
    facts["speech_begin_s"] = round(nb / RATE, 3)
    facts["speech_end_s"] = round((nb + len(speech)) / RATE, 3)
    if late:
        facts["late_s"] = round(pre + late, 3)
    # Level: active speech RMS at -20 dBFS +-3 dB (a learner's microphone
    # gain), peaks at most -3 dBFS (clipping is a condition of its own).
    level = 10 ** ((rng.uniform(-23, -17) + gain_db) / 20)
    r = active_rms(speech)
    peak = max(max(speech), -min(speech)) / 32768.0
    g = min(level / r, 0.708 / peak)
    level = r * g
    sp = os.path.join(tmp, "speech.wav")
    write_wav(sp, speech)
    cur = os.path.join(tmp, "dry.wav")
    sox(sp, *FLOAT, cur, "pad", "%ds" % nb, "%ds" % na, "vol", "%.6g" % g)
    params = {"late": {"late_s": facts["late_s"]}} if late else {}
    if "reverb" in conds:
        rt = rng.uniform(0.45, 0.8)
        rev = round(30 + (rt - 0.45) / 0.35 * 50)
        scale = round(50 + (rt - 0.45) / 0.35 * 50)
        pre_ms = rng.randint(5, 25)
        wet = os.path.join(tmp, "wet.wav")
        sox(cur, *FLOAT, wet, "reverb", rev, 50, scale, 0, pre_ms, -2)
        cur = wet
        params["reverb"] = {"rt60_s": round(rt, 2), "sox": "reverb %d 50 %d 0 %d -2" % (rev, scale, pre_ms)}
    inputs = [["-v", "1", cur]]
    sp_rms = level  # the speech level the SNRs refer to (dry speech, active frames)
    if "breath" in conds or "cough" in conds:
        ev = array.array("f", bytes(4 * n))
        if "breath" in conds:
            at = nb + len(speech) + round(post * RATE * 0.5)
            for k in range(3):
                add_at(ev, burst(rng, round(rng.uniform(0.5, 0.8) * RATE), 0.3, sp_rms * 0.3), at + k * RATE)
            params["breath"] = {"after_speech_s": 3.0, "bursts": 3, "peak_db_re_speech_rms": -10.5}
        if "cough" in conds:
            places, clicks = [], []
            for k in range(rng.choice([1, 2])):
                at = rng.randrange(0, max(1, n - RATE // 2))
                add_at(ev, burst(rng, round(rng.uniform(0.25, 0.4) * RATE), 0.6, sp_rms * 3), at)
                places.append(round(at / RATE, 2))
            for k in range(rng.randint(2, 4)):
                at = rng.randrange(0, n - 64)
                add_at(ev, [rng.choice([-1, 1]) * 0.3 * math.exp(-i / 8) for i in range(48)], at)
                clicks.append(round(at / RATE, 2))
            params["cough"] = {"coughs_at_s": places, "clicks_at_s": clicks}
        evf = os.path.join(tmp, "events.f32")
        write_f32(evf, ev)
        inputs.append(["-v", "1"] + F32 + [evf])
    for name in ("fan15", "fan5", "fan10"):
        if name in conds:
            snr = float(name[3:])
            inputs.append(noise_in(bank, "fan", n, rng, sp_rms / 10 ** (snr / 20)))
            params[name] = {"snr_db": snr}
            facts["snr_db"] = snr
    if "hum" in conds:
        hdb = rng.uniform(-25, -15)
        hf = os.path.join(tmp, "hum.f32")
        write_f32(hf, hum_wave(n, rng, sp_rms * 10 ** (hdb / 20) * math.sqrt(2)))
        inputs.append(["-v", "1"] + F32 + [hf])
        params["hum"] = {"db_re_speech": round(hdb, 1)}
    inputs.append(noise_in(bank, "room", n, rng, 10 ** (FLOOR_DB / 20)))
    if "laptop" in conds:
        inputs.append(noise_in(bank, "fan", n, rng, sp_rms / 10 ** (30 / 20)))
    mixed = os.path.join(tmp, "mixed.wav")
    mix(mixed, inputs)
    cur = mixed
    rate, channels, fx = RATE, 1, []
    if "laptop" in conds:
        lap = os.path.join(tmp, "laptop.wav")
        sox(cur, *FLOAT, lap, "highpass", 150, "lowpass", 7000, "equalizer", 3000, "1q", 6,
            "equalizer", 200, "1q", -4, "gain", -4)
        cur = lap
        params["laptop"] = {"sox": "highpass 150 lowpass 7000 equalizer 3000 1q +6 equalizer 200 1q -4 gain -4",
                            "fan_snr_db": 30}
    if "quiet" in conds:
        fx += ["vol", 0.1]
        params["quiet"] = {"gain_db": -20}
    if "clip" in conds:
        gdb = rng.uniform(4, 10)
        fx += ["vol", "%.6g" % (10 ** (gdb / 20) / peak_of(cur))]
        params["clip"] = {"peak_over_full_scale_db": round(gdb, 1)}
    if "phone" in conds:
        rate = 8000
        fx += ["rate", "8k", "sinc", "300-3400"]
        params["phone"] = {"rate": 8000, "sox": "rate 8k sinc 300-3400"}
    if "usb48" in conds:
        rate, channels = 48000, 2
        fx += ["rate", "48k", "channels", 2]
        params["usb48"] = {"rate": 48000, "channels": 2}
    facts["speech_dbfs"] = round(db(level * (0.1 if "quiet" in conds else 1.0)), 1)
    return cur, fx, rate, channels, params


def write_take(src, fx, path_noext, rng):
    """Writes WAV, FLAC or Ogg Vorbis (drawn), 16-bit; returns the path."""
    fmt = rng.choice(["wav", "wav", "flac", "flac", "ogg"])
    out = path_noext + "." + fmt
    opts = ["-C", 3] if fmt == "ogg" else ["-b", 16]
    sox(*src, *opts, out, *fx)
    return out


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


def make_b2(out, b1):
    """B2: the 18 paragraphs read by festival kal_diphone, 16 kHz FLAC, 0.5 s
    lead-in, 0.8-1.2 s seeded pauses, 1.2 s tail; cue begin/end the first and
    one past the last sample with |x| >= 64, floored/ceiled to the ms."""
    d = os.path.join(out, "b2")
    os.makedirs(d, exist_ok=True)
    rng = random.Random(B2_SEED)
    audio = array.array("h", bytes(2 * RATE // 2))
    lesson = json.loads(json.dumps(b1))
    with tempfile.TemporaryDirectory(prefix="hardset-b2-") as tmp:
        for n, c in enumerate(lesson["cues"], 1):
            clip = synth(B2_VOICE[0], B2_VOICE[1], c["text"], 1.0, tmp, "p%d" % n)
            if n > 1:
                audio.extend(array.array("h", bytes(2 * round(rng.uniform(0.8, 1.2) * RATE))))
            begin = len(audio)
            audio.extend(clip)
            c["begin"] = math.floor(begin * 1000 / RATE) / 1000
            c["end"] = math.ceil(len(audio) * 1000 / RATE) / 1000
        audio.extend(array.array("h", bytes(2 * round(1.2 * RATE))))
        wav = os.path.join(tmp, "b2.wav")
        write_wav(wav, audio)
        sox(wav, os.path.join(d, "broadcast.flac"))
    lesson["audio"] = "broadcast.flac"
    lesson["notes"] = ("B2 of the scorer's hard validation set (tests/score/hardset.py): the demo "
                       "lesson's 18 paragraphs read by festival voice_kal_diphone at its own pace, "
                       "16 kHz FLAC; cue times are the exact speech edges. %.1f s." % (len(audio) / RATE))
    with open(os.path.join(d, "lesson.json"), "w", encoding="utf-8") as f:
        json.dump(lesson, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return lesson


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
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
    if "b2" in bcasts:
        lessons["b2"] = make_b2(out, b1)
    chosen = [int(c) for c in args.cues.split(",") if c] or list(range(1, len(b1["cues"]) + 1))
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
