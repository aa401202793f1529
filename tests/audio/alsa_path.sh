#!/bin/bash
# The real PortAudio path, headless: alsa-lib's file plugin as the sound
# card (tests/data/audio/alsa-test.conf.in). The played file must hold the segment
# and the recording the infile, sample for sample. Also: no ALSA/JACK noise
# on stderr without --verbose, and a one-line error when there is no device.
set -u
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/audio/fixtures.sh"
mkscratch T
make_lesson "$T"
L=$T/lesson.json
sed "s|@DIR@|$T|g" "$SRCDIR/tests/data/audio/alsa-test.conf.in" > "$T/alsa.conf"
export ALSA_CONFIG_PATH=$T/alsa.conf
# The capture PCM opens only when its infile exists.
sox "$T/src.wav" -t raw -e floating-point -b 32 "$T/infile.raw" trim 0 1
sox -t raw -e floating-point -b 32 -r 48000 -c 1 "$T/infile.raw" "$T/infile.wav"

out=$("$SHADOWING" devices 2>"$T/err"); expect_status 0 "devices"
expect_match "$out" 'shtest_play' "devices lists the test playback PCM"
expect_match "$out" 'default .*input,output' "devices marks the defaults"
expect_true "devices prints nothing on stderr" test ! -s "$T/err"
out=$("$SHADOWING" devices --json); expect_status 0 "devices --json"
expect_true "devices --json is valid JSON with the fields" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
names = [x["name"] for x in d]
assert "shtest_capture" in names and "default" in names, names
x = d[names.index("default")]
assert x["default_output"] is True and x["host_api"] == "ALSA" and x["default_sample_rate"] > 0
for k in ("index", "max_input_channels", "max_output_channels", "default_low_output_latency"):
    assert k in x, k' "$out"

# Play through PortAudio -> ALSA file plugin. --preload: the clockless null
# PCM would otherwise outrun the decoding of the segment's rest (silence
# would be inserted, as on a real device whose decoder falls behind).
"$SHADOWING" play "$L" --cue p1 --preload 2>"$T/err"; expect_status 0 "play through PortAudio"
expect_true "play prints nothing on stderr (ALSA/JACK noise suppressed)" test ! -s "$T/err"
sox -t raw -e floating-point -b 32 -r 48000 -c 1 "$T/played.raw" "$T/played.wav"
expect_true "the played stream holds the segment sample for sample" python3 -c '
import sys
exec(open(sys.argv[1]).read().split("\ndef main")[0])
_, x = read_wav(sys.argv[2]); _, y = read_wav(sys.argv[3])
seg = fades(x[45600:134400], 240)
nz = next(i for i, v in enumerate(y) if v != 0)   # after the device priming silence
for off in range(max(0, nz - 8), nz + 8):
    w = y[off:off + len(seg)]
    if len(w) == len(seg) and all(abs(a - b) <= 1e-6 for a, b in zip(w, seg)):
        sys.exit(0)
sys.exit("segment not found near sample %d" % nz)' "$SRCDIR/tests/audio/wavtool.py" "$T/src.wav" "$T/played.wav"

# Record through PortAudio <- ALSA file plugin's infile.
"$SHADOWING" record "$L" --cue p1 -o "$T/rec.wav" --max 2 --silence 0 </dev/null >/dev/null 2>"$T/err"
expect_status 0 "record through PortAudio"
out=$($WAVTOOL prefix "$T/infile.wav" "$T/rec.wav" 2>&1)
expect_match "$out" '^ok 48000' "the recording starts with the infile, sample for sample"

# Device selection by name and index.
"$SHADOWING" play "$L" --cue p2 --device shtest_play 2>/dev/null; expect_status 0 "--device by name"
err=$("$SHADOWING" play "$L" --cue p1 --device nosuchcard 2>&1); expect_status 1 "--device unknown"
expect_match "$err" "^shadowing: no sound output device named 'nosuchcard'" "unknown device: one line naming it"
expect_true "unknown device: exactly one line" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
err=$("$SHADOWING" play "$L" --cue p1 --device 99 2>&1); expect_status 1 "--device index out of range"
expect_match "$err" 'no sound device number 99' "bad index is named"

# No device at all.
err=$(ALSA_CONFIG_PATH="$SRCDIR/tests/data/audio/empty-alsa.conf" "$SHADOWING" play "$L" --cue p1 2>&1)
expect_status 1 "play without any sound device"
expect_match "$err" '^shadowing: no sound device found.*--audio file' "one-line error with the --audio file hint"
expect_true "no device: exactly one line, no ALSA/JACK noise" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
err=$(ALSA_CONFIG_PATH="$SRCDIR/tests/data/audio/empty-alsa.conf" "$SHADOWING" record "$L" --cue p1 -o "$T/x.wav" 2>&1 </dev/null)
expect_status 1 "record without any sound device"
expect_match "$err" '--audio file' "record gives the same hint"
finish
