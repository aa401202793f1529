#!/bin/bash
# calibrate and shadow mode on the file backend: a delayed copy of the
# clicks as the "microphone" must measure that delay, store it in the
# config, and shadow mode must then place a delayed echo of the paragraph
# exactly on the paragraph's timeline.
set -u
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/audio/fixtures.sh"
mkscratch T
make_lesson "$T"
L=$T/lesson.json
export XDG_CONFIG_HOME=$T/cfg

# Silence as the microphone: no click heard, nothing saved.
err=$("$SHADOWING" calibrate --audio file --output "$T/clicks.wav" 2>&1); expect_status 1 "calibrate hearing nothing"
expect_match "$err" 'no click heard' "says no click was heard"
expect_true "nothing saved" test ! -e "$T/cfg/shadowing/config"

# The clicks, 37.5 ms later (1800 samples at 48 kHz), as the microphone.
sox "$T/clicks.wav" "$T/delayed.wav" pad 0.0375
out=$("$SHADOWING" calibrate --input "$T/delayed.wav" --output "$T/clicks2.wav"); expect_status 0 "calibrate"
expect_match "$out" 'round trip beyond what the device reports: 37\.5 ms' "measures the 37.5 ms delay"
expect_match "$(cat "$T/cfg/shadowing/config")" '^latency_ms=37\.5$' "stores latency_ms in the config"
out=$("$SHADOWING" calibrate --input "$T/delayed.wav" --output "$T/clicks3.wav" --no-save); expect_status 0 "calibrate --no-save"

# Shadow mode: the learner is a perfect echo 37.5 ms late.
"$SHADOWING" play "$L" --cue p1 --output "$T/ref.wav"
sox "$T/ref.wav" -b 16 -D "$T/echo.wav" pad 0.0375 0.5
"$SHADOWING" record "$L" --cue p1 --shadow --input "$T/echo.wav" --output "$T/ref2.wav" -o "$T/take.wav" \
  </dev/null >/dev/null
expect_status 0 "record --shadow"
check_aligned() { # check_aligned TAKE SHIFT: take[i] == ref[i + SHIFT] (16-bit)
  python3 -c '
import sys
exec(open(sys.argv[1]).read().split("\ndef main")[0])
_, r = read_wav(sys.argv[2]); _, t = read_wav(sys.argv[3]); s = int(sys.argv[4])
n = len(r) - max(s, 0) - 10
bad = [i for i in range(max(10, -s + 10), n) if abs(t[i] - r[i + s]) > 1.0 / 32768 + 1e-7]
sys.exit("%d mismatches, first at %d" % (len(bad), bad[0]) if bad else 0)' \
    "$SRCDIR/tests/audio/wavtool.py" "$T/ref.wav" "$1" "$2"
}
expect_true "shadow take is on the reference's timeline (latency from the config)" check_aligned "$T/take.wav" 0
out=$($WAVTOOL same "$T/ref.wav" "$T/ref2.wav" 2>&1)
expect_match "$out" '^ok' "shadow mode plays the same segment"
# Without the latency the echo lands 1800 samples late.
"$SHADOWING" record "$L" --cue p1 --shadow --latency-ms 0 --input "$T/echo.wav" --output "$T/ref3.wav" \
  -o "$T/take0.wav" </dev/null >/dev/null
expect_true "--latency-ms 0: the take is 1800 samples late" check_aligned "$T/take0.wav" -1800
finish
