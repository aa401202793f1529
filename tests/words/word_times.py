#!/usr/bin/env python3
"""word_times.py - word-time accuracy of `shadowing cue align --words` on a
generated broadcast whose true word times are known.

  word_times.py --shadowing BIN --out DIR [--voice V] [--paragraphs N] [--first K]
                [--seed S] [--max-median MS] [--max-p95 MS]

Voices: espeak, flite:slt, flite:kal16 (each word synthesized alone, below),
espeak-cont (continuous espeak-ng speech; true word times from espeak-ng's
own word events, read with libespeak-ng through ctypes), flite-cont:slt /
flite-cont:kal16 (continuous flite speech; true word times from flite's
segment times, -psdur, matched to each word's phones).

How the broadcast is made (deterministic for a seed): every text word of the
first N demo paragraphs (assets/demo/lesson.json) is synthesized alone
(espeak-ng -v en-us -s 165, or flite -voice slt / kal16), its silent head and
tail cut at -50 dBFS, and the words joined with a gap drawn from 0-60 ms
(one in five words gets no gap at all: connected speech has none), 0.25 s
after a comma and 0.9 s between paragraphs, at 16 kHz. A word's true begin
and end are its first and last sample above the threshold. The lesson gets
the paragraphs' true begin/end, then `cue align --words` re-aligns it and
times the words; the error of every begin and end of every word found is
|aligned - true|. Prints median, 95th percentile, worst and the share of
words found; exits 1 when a limit given is exceeded.

Synthesizing words one by one leaves out coarticulation between words, so
this measures the recogniser's boundaries on clean, known speech; the demo
broadcast (continuous espeak-ng speech) is checked against espeak-ng's own
word positions by tests/bench/words_accuracy.sh.
"""
import argparse
import array
import json
import os
import random
import re
import statistics
import subprocess
import sys
import wave

RATE = 16000
THRESH = int(32768 * 10 ** (-50 / 20))
PUNCT = "\"'()[]{}<>*_,.;:!?\u201c\u201d\u2018\u2019\u2026\u2013\u2014"


def text_words(text):
    """The text words as shadowing splits them (whitespace chunks, punctuation
    around them removed, chunks with a letter or digit)."""
    out = []
    for chunk in text.split():
        w = chunk.strip(PUNCT)
        if re.search(r"[A-Za-z0-9$%&]", w):
            out.append((w, chunk))
    return out


def to16k(wav, tmp):
    raw = os.path.join(tmp, "w.raw")
    subprocess.run(["sox", wav, "-t", "raw", "-r", str(RATE), "-b", "16", "-e", "signed", "-c", "1", raw],
                   check=True)
    a = array.array("h")
    with open(raw, "rb") as f:
        a.frombytes(f.read())
    return a


def trim_back(a, i, lo):
    """The last sample before i (down to lo) at or above the threshold, + 1."""
    while i > lo and abs(a[i - 1]) < THRESH:
        i -= 1
    return i


def chunk_spans(text):
    """(word, chunk, start char, end char) of every text word."""
    out, pos = [], 0
    for m in re.finditer(r"\S+", text):
        w = m.group(0).strip(PUNCT)
        if re.search(r"[A-Za-z0-9$%&]", w):
            out.append((w, m.group(0), m.start(), m.end()))
    return out


_espeak = None


def espeak_paragraph(text, tmp):
    """Continuous espeak-ng speech of a paragraph at 16 kHz and each text
    word's (begin, end) from espeak-ng's own word events (libespeak-ng): a
    word begins at its event's sample and ends at the last loud sample
    before the next word's event."""
    import ctypes
    global _espeak
    if _espeak is None:
        lib = ctypes.CDLL("libespeak-ng.so.1")

        class EV(ctypes.Structure):
            _fields_ = [("type", ctypes.c_int), ("uid", ctypes.c_uint), ("text_position", ctypes.c_int),
                        ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                        ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]
        CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(EV))
        rate = lib.espeak_Initialize(2, 0, None, 0)  # AUDIO_OUTPUT_SYNCHRONOUS
        lib.espeak_SetVoiceByName(b"en-us")
        lib.espeak_SetParameter(1, 165, 0)  # espeakRATE
        state = {"pcm": array.array("h"), "ev": []}

        def cb(wav, n, ev):
            if wav and n > 0:
                state["pcm"].extend(wav[:n])
            i = 0
            while ev[i].type != 0:
                if ev[i].type == 1:
                    state["ev"].append((ev[i].text_position, ev[i].sample))
                i += 1
            return 0
        keep = CB(cb)
        lib.espeak_SetSynthCallback(keep)
        _espeak = (lib, rate, state, keep)
    lib, rate, state, _ = _espeak
    state["pcm"] = array.array("h")
    state["ev"] = []
    b = text.encode("utf-8")
    lib.espeak_Synth(b, len(b) + 1, 0, 0, 0, 1, None, None)  # espeakCHARS_UTF8
    wav = os.path.join(tmp, "p.wav")
    with wave.open(wav, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(state["pcm"].tobytes())
    a = to16k(wav, tmp)
    spans = chunk_spans(text)
    starts = [None] * len(spans)
    for pos, sample in state["ev"]:
        for k, (_, _, cs, ce) in enumerate(spans):
            if cs < pos <= ce + 1 and starts[k] is None:
                starts[k] = int(sample * RATE / rate)
    idx = [i for i, x in enumerate(a) if abs(x) >= THRESH]
    first, last = idx[0], idx[-1] + 1
    words = []
    for k, (w, chunk, _, _) in enumerate(spans):
        if starts[k] is None:
            words.append((w, chunk, None, None))
            continue
        nxt = next((starts[j] for j in range(k + 1, len(spans)) if starts[j] is not None), last)
        b0 = max(starts[k], first)
        e0 = trim_back(a, min(nxt, last), b0)
        words.append((w, chunk, b0, e0))
    return a[first:last], [(w, c, None if b is None else b - first, None if e is None else e - first)
                           for w, c, b, e in words]


def flite_paragraph(text, voice, tmp):
    """Continuous flite speech of a paragraph at 16 kHz and each text word's
    (begin, end) from flite's segment end times (-psdur): the word's phones
    (flite -ps of the word alone) are matched to the paragraph's phones by
    difflib; a word begins where its first matched phone begins and ends
    where its last one ends."""
    import difflib
    wav = os.path.join(tmp, "p.wav")
    out = subprocess.run(["flite", "-voice", voice, "-psdur", "-t", text, "-o", wav], check=True,
                         capture_output=True, text=True).stdout.split()
    segs, prev = [], 0.0
    for tok in out:
        ph, t = tok.rsplit(":", 1)
        segs.append((ph, prev, float(t)))
        prev = float(t)
    speech = [(p, b, e) for p, b, e in segs if p != "pau"]
    spans = chunk_spans(text)
    seq, owner = [], []
    for k, (w, _, _, _) in enumerate(spans):
        ps = subprocess.run(["flite", "-voice", voice, "-ps", "-t", w, "-o", "none"], check=True,
                            capture_output=True, text=True).stdout.split()
        for p in ps:
            if p != "pau":
                seq.append(p)
                owner.append(k)
    sm = difflib.SequenceMatcher(a=seq, b=[p for p, _, _ in speech], autojunk=False)
    wb, we = {}, {}
    for blk in sm.get_matching_blocks():
        for i in range(blk.size):
            k = owner[blk.a + i]
            _, b, e = speech[blk.b + i]
            wb.setdefault(k, b)
            we[k] = e
    a = to16k(wav, tmp)
    words = [(w, c, int(wb[k] * RATE) if k in wb else None, int(we[k] * RATE) if k in we else None)
             for k, (w, c, _, _) in enumerate(spans)]
    idx = [i for i, x in enumerate(a) if abs(x) >= THRESH]
    first, last = idx[0], idx[-1] + 1
    words = [(w, c, None if b is None else max(b - first, 0), None if e is None else min(e, last) - first)
             for w, c, b, e in words]
    return a[first:last], words


def synth(word, voice, tmp):
    wav = os.path.join(tmp, "w.wav")
    raw = os.path.join(tmp, "w.raw")
    if voice == "espeak":
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-w", wav, word], check=True)
    else:
        subprocess.run(["flite", "-voice", voice.split(":")[1] if ":" in voice else "slt", "-t", word, "-o", wav],
                       check=True)
    subprocess.run(["sox", wav, "-t", "raw", "-r", str(RATE), "-b", "16", "-e", "signed", "-c", "1", raw],
                   check=True)
    a = array.array("h")
    with open(raw, "rb") as f:
        a.frombytes(f.read())
    idx = [i for i, x in enumerate(a) if abs(x) >= THRESH]
    if not idx:
        return array.array("h")
    return a[idx[0]:idx[-1] + 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shadowing", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--voice", default="espeak")
    ap.add_argument("--paragraphs", type=int, default=3)
    ap.add_argument("--first", type=int, default=0, help="first demo paragraph (0-based)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--max-median", type=float)
    ap.add_argument("--max-p95", type=float)
    ap.add_argument("--min-found", type=float, default=0.0)
    a = ap.parse_args()
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets", "demo", "lesson.json")
    demo = json.load(open(src, encoding="utf-8"))
    os.makedirs(a.out, exist_ok=True)
    rnd = random.Random(a.seed)
    audio = array.array("h", [0] * int(0.5 * RATE))
    truth, cues = [], []
    for cue in demo["cues"][a.first: a.first + a.paragraphs]:
        if a.voice.startswith("espeak-cont") or a.voice.startswith("flite-cont"):
            if a.voice.startswith("espeak"):
                clip, ws = espeak_paragraph(cue["text"], a.out)
            else:
                clip, ws = flite_paragraph(cue["text"], a.voice.split(":")[1], a.out)
            base = len(audio)
            audio.extend(clip)
            truth.append([(w, None if b is None else (base + b) / RATE, None if e is None else (base + e) / RATE)
                          for w, c, b, e in ws])
            cues.append({"id": cue["id"], "begin": round(base / RATE, 3), "end": round(len(audio) / RATE, 3),
                         "text": cue["text"]})
            audio.extend([0] * int(0.9 * RATE))
            continue
        words = text_words(cue["text"])
        tw = []
        begin = len(audio) / RATE
        for k, (w, chunk) in enumerate(words):
            clip = synth(w, a.voice, a.out)
            b = len(audio) / RATE
            audio.extend(clip)
            tw.append((w, b, len(audio) / RATE))
            if k + 1 < len(words):
                gap = 0 if rnd.random() < 0.2 else rnd.uniform(0.0, 0.06)
                if chunk[-1:] in ",;:" or chunk[-1:] in ".!?":
                    gap = 0.25
                audio.extend([0] * int(gap * RATE))
        end = len(audio) / RATE
        audio.extend([0] * int(0.9 * RATE))
        truth.append(tw)
        cues.append({"id": cue["id"], "begin": round(begin, 3), "end": round(end, 3), "text": cue["text"]})
    audio.extend([0] * int(0.5 * RATE))
    # a faint noise floor: digital silence is not what a recording has
    noise = random.Random(a.seed + 1)
    for i in range(len(audio)):
        audio[i] = max(-32768, min(32767, audio[i] + int(noise.gauss(0, 8))))
    wavp = os.path.join(a.out, "broadcast.wav")
    with wave.open(wavp, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(audio.tobytes())
    lesson = {"shadowing": 1, "title": "word times", "audio": "broadcast.wav", "cues": cues}
    lp = os.path.join(a.out, "lesson.json")
    json.dump(lesson, open(lp, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    r = subprocess.run([a.shadowing, "cue", "align", lp, "--words", "-q"], capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout, r.stderr)
        print("cue align --words failed")
        return 1
    got = json.load(open(lp, encoding="utf-8"))
    errs, found, total, signed = [], 0, 0, []
    for cue, tw in zip(got["cues"], truth):
        ws = cue.get("words") or []
        if len(ws) != len(tw):
            print(f"{cue['id']}: {len(ws)} words timed, {len(tw)} in the truth")
            return 1
        for w, (tt, tb, te) in zip(ws, tw):
            total += 1
            if w["text"] != tt:
                print(f"{cue['id']}: word {w['text']!r} where the truth has {tt!r}")
                return 1
            if w["begin"] is None or tb is None or te is None or te <= tb:
                continue
            found += 1
            errs.append(abs(w["begin"] - tb) * 1000)
            errs.append(abs(w["end"] - te) * 1000)
            signed.append((cue["id"], tt, round((w["begin"] - tb) * 1000), round((w["end"] - te) * 1000)))
    json.dump(signed, open(os.path.join(a.out, "errors.json"), "w"))
    if not errs:
        print("no word found")
        return 1
    # Peer measured in the same run: no recogniser, the words spread over the
    # cue's true span in proportion to their letters (what a player without
    # word times can do).
    base = []
    for cue, tw in zip(cues, truth):
        lens = [max(1, len(re.sub(r"[^A-Za-z0-9]", "", w))) for w, _, _ in tw]
        tot, acc = sum(lens), 0
        for (w, tb, te), ln in zip(tw, lens):
            b = cue["begin"] + (cue["end"] - cue["begin"]) * acc / tot
            acc += ln
            e = cue["begin"] + (cue["end"] - cue["begin"]) * acc / tot
            if tb is not None and te is not None and te > tb:
                base += [abs(b - tb) * 1000, abs(e - te) * 1000]
    base.sort()
    errs.sort()
    med = statistics.median(errs)
    p95 = errs[min(len(errs) - 1, int(0.95 * len(errs)))]
    share = found / total
    print(f"voice {a.voice}: {found} of {total} words found ({share:.1%}); boundary error median {med:.0f} ms, "
          f"95th percentile {p95:.0f} ms, worst {errs[-1]:.0f} ms ({len(errs)} boundaries)")
    if base:
        print(f"  peer, words spread by letters over the true cue: median {statistics.median(base):.0f} ms, "
              f"95th percentile {base[min(len(base) - 1, int(0.95 * len(base)))]:.0f} ms")
    bad = False
    if a.max_median is not None and med > a.max_median:
        print(f"FAIL: median {med:.0f} ms > {a.max_median:.0f} ms")
        bad = True
    if a.max_p95 is not None and p95 > a.max_p95:
        print(f"FAIL: 95th percentile {p95:.0f} ms > {a.max_p95:.0f} ms")
        bad = True
    if share < a.min_found:
        print(f"FAIL: {share:.1%} of words found < {a.min_found:.0%}")
        bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
