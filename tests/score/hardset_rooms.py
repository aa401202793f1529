#!/usr/bin/env python3
"""hardset_rooms.py - the recording conditions of the hard validation set.

Used by tests/score/hardset.py (see its header): the noise bank, the
conditions a take is recorded under (CONDITIONS) and how they are applied
(render: acoustic first - late start, breathing, coughs and clicks, reverb,
fan noise, hum, the room's noise floor - then the device - laptop
microphone, gain too low or clipping, phone band, 48 kHz stereo headset),
and the writing of a take in WAV, FLAC or Ogg Vorbis. Every signal is a
file and sox does the per-sample work; Python draws the parameters from
the take's seeded random.Random and measures levels.
"""

import array
import math
import operator
import os
import re
import subprocess
import sys
import wave

RATE = 16000
EDGE = 64  # |sample| >= this is speech in a synthesizer's output (-54 dBFS)

# Recording conditions for correct_room and the faulty kinds with speech.
CONDITIONS = ["phone", "usb48", "laptop", "fan15", "fan5", "hum", "reverb", "clip", "quiet",
              "late", "cough", "breath"]
EXCLUSIVE = [{"phone", "usb48", "laptop"}, {"clip", "quiet"}, {"fan15", "fan5"}]
FLOOR_DB = -62.0            # the faint room noise every take has (dBFS RMS)


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


def breath_burst(rng, n, level):
    """One breath: noise band-limited to roughly 300 Hz-3 kHz (one-pole
    lowpass, then a first difference), under a smooth sin^2 envelope (a
    breath swells and fades; it has no attack). Peak at level."""
    out, y, prev = [], 0.0, 0.0
    for i in range(n):
        y = 0.75 * y + 0.25 * rng.gauss(0.0, 1.0)
        out.append((y - 0.6 * prev) * math.sin(math.pi * i / n) ** 2)
        prev = y
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
                add_at(ev, breath_burst(rng, round(rng.uniform(0.5, 0.8) * RATE), sp_rms * 0.3), at + k * RATE)
            params["breath"] = {"after_speech_s": 3.0, "breaths": 3, "peak_db_re_speech_rms": -10.5}
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
