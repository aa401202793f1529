#!/usr/bin/env python3
"""Write hostile audio files into a folder, for the decode tests and the
hostile-folder benchmark:  make_hostile.py GOOD.wav GOOD.flac DIR [PREFIX]

GOOD.wav is a 16-bit PCM WAV (sox), GOOD.flac any FLAC; every file made is
a damaged copy of them or something that is not audio at all. Prints one
line per file: NAME<TAB>a regular expression the error must match.
PREFIX (default empty) is put before each name (e.g. "p3." for takes)."""
import os
import struct
import sys


def fmt_offset(wav):
    i = wav.find(b"fmt ")
    if i < 0:
        sys.exit("make_hostile: no fmt chunk in the WAV")
    return i + 8


def patched(wav, changes):
    b = bytearray(wav)
    f = fmt_offset(wav)
    for off, code, value in changes:
        struct.pack_into(code, b, f + off, value)
    return bytes(b)


def main():
    good_wav, good_flac, out = sys.argv[1:4]
    prefix = sys.argv[4] if len(sys.argv) > 4 else ""
    wav = open(good_wav, "rb").read()
    flac = bytearray(open(good_flac, "rb").read())
    files = []

    def put(name, data, regex):
        with open(os.path.join(out, prefix + name), "wb") as f:
            f.write(data)
        files.append((prefix + name, regex))

    # WAV "fmt " values GStreamer stalls or fails vaguely on (offsets in
    # the chunk: channels 2, rate 4, byte rate 8, block 12, bits 14).
    put("rate_ff.wav", patched(wav, [(4, "<I", 0xFFFFFFFF)]),
        "a damaged WAV header: it claims a sample rate of 4294967295 Hz")
    put("rate0.wav", patched(wav, [(4, "<I", 0)]), "a damaged WAV header: it claims a sample rate of 0 Hz")
    put("chan0.wav", patched(wav, [(2, "<H", 0)]), "a damaged WAV header: it claims 0 channels")
    put("chan_ff.wav", patched(wav, [(2, "<H", 0xFFFF)]), "a damaged WAV header: it claims 65535 channels")
    put("block0.wav", patched(wav, [(12, "<H", 0)]), "a damaged WAV header: it claims a block size of 0 bytes")
    put("bits0.wav", patched(wav, [(14, "<H", 0)]), "a damaged WAV header: it claims 0 bits per sample")
    put("byterate0.wav", patched(wav, [(8, "<I", 0)]), "a damaged WAV header: it claims 0 bytes per second")
    # An ID3v2 tag that claims 256 MB, in a 1 KB file.
    put("id3huge.mp3", b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + bytes(1014),
        "its ID3 tag claims 268435465 bytes, more than the whole file \\(1024 bytes\\)")
    # FLAC STREAMINFO with a sample rate of 0 or 2^20-1 (bits 80..99 of the
    # block). GStreamer reported the second as a missing FLAC decoder.
    f0 = bytearray(flac)
    f0[18], f0[19], f0[20] = 0, 0, f0[20] & 0x0F
    put("rate0.flac", bytes(f0), "its audio cannot be decoded .*it looks like a damaged FLAC file")
    f1 = bytearray(flac)
    f1[18], f1[19], f1[20] = 0xFF, 0xFF, f1[20] | 0xF0
    put("rate_ff.flac", bytes(f1), "cannot decode it: GStreamer's .*FLAC.* decoder refused this file")
    # Not audio at all.
    rnd = bytes((i * 2654435761 >> 13) & 0xFF for i in range(100000))
    put("garbage.ogg", b"OggS" + rnd, "a damaged Ogg file: its first page (has version|does not begin|is corrupt)")
    put("random.bin", rnd, "not audio GStreamer can read \\(its format is not recognised\\): convert it to WAV")
    put("notes.mp3", b"These are my notes for lesson 3.\nRepeat after the speaker.\n" * 20,
        "not an audio file: it looks like text")
    put("page.wav", b"<!DOCTYPE html><html><body>404 Not Found</body></html>\n",
        "not an audio file: it looks like an HTML page")
    put("archive.ogg", b"PK\x03\x04" + rnd[:2000], "not an audio file: it looks like a ZIP archive")
    put("empty.wav", b"", "the file is empty \\(0 bytes\\)")
    for name, regex in files:
        print(name + "\t" + regex)


main()
