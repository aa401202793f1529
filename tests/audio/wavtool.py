#!/usr/bin/env python3
"""Small WAV checks for the audio tests (stdlib only: no numpy).

  wavtool.py info FILE                   -> "RATE CHANNELS FRAMES FORMAT"
  wavtool.py check-play SRC OUT B E FADE LOOPS GAP
        OUT must be LOOPS copies of SRC[B:E] with raised-cosine fades of FADE
        samples at both ends, separated by GAP zero samples.
  wavtool.py same A B [TOL]              -> same samples (as floats) within TOL
  wavtool.py prefix A B                  -> A's samples are the start of B (16-bit exact)
  wavtool.py raw16 FILE OUT              -> write FILE's samples as raw s16le
"""
import math
import struct
import sys


def read_wav(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise SystemExit("%s: not a RIFF/WAVE file" % path)
    pos, fmt, samples = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            tag, ch, rate = struct.unpack("<HHI", body[:8])
            bits = struct.unpack("<H", body[14:16])[0]
            if tag == 0xFFFE:
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, ch, rate, bits)
        elif cid == b"data":
            if len(body) < size:
                raise SystemExit("%s: data chunk says %d bytes, file holds %d" % (path, size, len(body)))
            tag, ch, rate, bits = fmt
            if tag == 3 and bits == 32:
                n = size // 4
                samples = list(struct.unpack("<%df" % n, body[:n * 4]))
            elif tag == 1 and bits == 16:
                n = size // 2
                samples = [v / 32768.0 for v in struct.unpack("<%dh" % n, body[:n * 2])]
            else:
                raise SystemExit("%s: unsupported format %r" % (path, fmt))
        pos += 8 + size + (size & 1)
    if fmt is None or samples is None:
        raise SystemExit("%s: no fmt or data chunk" % path)
    return fmt, samples


def fades(x, n):
    x = list(x)
    n = min(n, len(x) // 2)
    for i in range(n):
        s = math.sin(math.pi / 2.0 * (i + 0.5) / n)
        g = struct.unpack("f", struct.pack("f", s * s))[0]
        x[i] = struct.unpack("f", struct.pack("f", x[i] * g))[0]
        x[-1 - i] = struct.unpack("f", struct.pack("f", x[-1 - i] * g))[0]
    return x


def main():
    cmd = sys.argv[1]
    if cmd == "info":
        (tag, ch, rate, bits), s = read_wav(sys.argv[2])
        print(rate, ch, len(s) // ch, "float" if tag == 3 else "pcm%d" % bits)
    elif cmd == "check-play":
        src, out = sys.argv[2], sys.argv[3]
        b, e, fade, loops, gap = (int(v) for v in sys.argv[4:9])
        _, x = read_wav(src)
        _, y = read_wav(out)
        seg = fades(x[b:e], fade)
        want = []
        for k in range(loops):
            if k:
                want += [0.0] * gap
            want += seg
        if len(y) != len(want):
            raise SystemExit("length %d, expected %d" % (len(y), len(want)))
        for i, (u, v) in enumerate(zip(y, want)):
            if abs(u - v) > 1e-6:
                raise SystemExit("sample %d is %.9f, expected %.9f" % (i, u, v))
        print("ok %d samples" % len(y))
    elif cmd == "same":
        tol = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
        _, a = read_wav(sys.argv[2])
        _, b = read_wav(sys.argv[3])
        if len(a) != len(b):
            raise SystemExit("lengths differ: %d vs %d" % (len(a), len(b)))
        for i, (u, v) in enumerate(zip(a, b)):
            if abs(u - v) > tol:
                raise SystemExit("sample %d: %.9f vs %.9f" % (i, u, v))
        print("ok %d samples" % len(a))
    elif cmd == "prefix":
        _, a = read_wav(sys.argv[2])
        _, b = read_wav(sys.argv[3])
        if len(a) == 0 or len(a) > len(b):
            raise SystemExit("%d samples is not a non-empty prefix of %d" % (len(a), len(b)))
        for i, (u, v) in enumerate(zip(a, b)):
            if u != v:
                raise SystemExit("sample %d: %.9f vs %.9f" % (i, u, v))
        print("ok %d samples" % len(a))
    elif cmd == "raw16":
        _, a = read_wav(sys.argv[2])
        with open(sys.argv[3], "wb") as f:
            f.write(struct.pack("<%dh" % len(a), *(max(-32768, min(32767, round(v * 32768))) for v in a)))
    else:
        raise SystemExit("unknown command " + cmd)


main()
