#!/bin/bash
# The file backend: play --output is the decoded segment sample for sample
# (fades included), loops and gaps have exact lengths, seams are seamless,
# --speed keeps the length right; record --input writes the input's samples;
# the silence stop and --max.
set -u
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/audio/fixtures.sh"
mkscratch T
make_lesson "$T"
L=$T/lesson.json
# p1: [1.0 - 0.05, 2.5 + 0.3] at 48 kHz = samples 45600..134400; fades 240.

"$SHADOWING" play "$L" --cue p1 --output "$T/one.wav"; expect_status 0 "play into a file"
out=$($WAVTOOL check-play "$T/src.wav" "$T/one.wav" 45600 134400 240 1 0 2>&1)
expect_match "$out" '^ok 88800 samples' "the file holds the segment with its fades, sample for sample"

"$SHADOWING" play "$L" --cue 1 --output "$T/three.wav" --loops 3; expect_status 0 "play 3 loops"
out=$($WAVTOOL check-play "$T/src.wav" "$T/three.wav" 45600 134400 240 3 0 2>&1)
expect_match "$out" '^ok 266400 samples' "3 loops without a gap: seamless, no missing or doubled samples"

"$SHADOWING" play "$L" --cue p1 --output "$T/gap.wav" --loops 2 --gap 0.25; expect_status 0 "play with a gap"
out=$($WAVTOOL check-play "$T/src.wav" "$T/gap.wav" 45600 134400 240 2 12000 2>&1)
expect_match "$out" '^ok 189600 samples' "--gap 0.25: exactly 12000 silent samples between loops"

"$SHADOWING" play "$L" --cue p1 --output "$T/gapx.wav" --loops 2 --gap x0.5; expect_status 0 "play with --gap x0.5"
out=$($WAVTOOL check-play "$T/src.wav" "$T/gapx.wav" 45600 134400 240 2 36000 2>&1)
expect_match "$out" '^ok' "--gap x0.5 is half the cue's length (0.75 s)"

"$SHADOWING" play "$L" --cue p1 --output "$T/lead.wav" --lead 0 --tail 0; expect_status 0 "--lead 0 --tail 0"
out=$($WAVTOOL check-play "$T/src.wav" "$T/lead.wav" 48000 120000 240 1 0 2>&1)
expect_match "$out" '^ok 72000' "--lead/--tail change the segment's edges"

"$SHADOWING" play "$L" --cue p1 --output "$T/slow.wav" --speed 0.75; expect_status 0 "play at 0.75x"
n=$($WAVTOOL info "$T/slow.wav" | awk '{print $3}')
expect_true "0.75x lasts 1/0.75 as long (within 2%): $n vs 118400" \
  awk -v n="$n" 'BEGIN { r = n / (88800 / 0.75); exit !(r > 0.98 && r < 1.02) }'
# Pitch kept: the tone in the middle has the same frequency as the source.
f_src=$(sox "$T/src.wav" -n trim 1.5 0.1 stat 2>&1 | awk '/Rough/ {print $3}')
f_slow=$(sox "$T/slow.wav" -n trim 0.7 0.1 stat 2>&1 | awk '/Rough/ {print $3}')
expect_true "pitch kept at 0.75x ($f_slow Hz vs ~$f_src Hz at the same place)" \
  awk -v a="$f_src" -v b="$f_slow" 'BEGIN { exit !(b > a * 0.85 && b < a * 1.15) }'
"$SHADOWING" play "$L" --cue p1 --output "$T/half.wav" --speed 0.5; expect_status 0 "play at 0.5x"
n=$($WAVTOOL info "$T/half.wav" | awk '{print $3}')
expect_true "0.5x: exactly twice as long ($n)" test "$n" -eq 177600
# The end is not cut at 0.5x: the last 100 ms before the fade carry sound.
rms=$(sox "$T/half.wav" -n trim 3.6 0.09 stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
expect_true "0.5x keeps the end (RMS $rms)" awk -v r="$rms" 'BEGIN { exit !(r > 0.2) }'

# record --input: the input's samples, at its rate.
sox "$T/src.wav" "$T/in.wav" trim 0 2.2
out=$("$SHADOWING" record "$L" --cue p1 --input "$T/in.wav" -o "$T/rec.wav" </dev/null); expect_status 0 "record from a file"
expect_match "$out" 'rec.wav: 2\.20 s at 48000 Hz \(end of input\)' "record reports length and why it stopped"
out=$($WAVTOOL same "$T/in.wav" "$T/rec.wav" 2>&1)
expect_match "$out" '^ok 105600' "the recording holds the input's samples exactly"
expect_match "$($WAVTOOL info "$T/rec.wav")" '^48000 1 105600 pcm16' "mono 16-bit at the input's rate"

# --max cuts at the exact sample count.
"$SHADOWING" record "$L" --cue p1 --input "$T/src.wav" -o "$T/max.wav" --max 0.5 --silence 0 </dev/null >/dev/null
expect_status 0 "record --max"
expect_match "$($WAVTOOL info "$T/max.wav")" '^48000 1 24000 ' "--max 0.5 keeps exactly 24000 samples"
# Default --max: cue length x 1.5 + 2 s = 4.25 s.
sox "$T/src.wav" "$T/long.wav" repeat 1
out=$("$SHADOWING" record "$L" --cue p1 --input "$T/long.wav" -o "$T/dmax.wav" --silence 0 </dev/null)
expect_match "$out" '4\.25 s .*reached --max' "default --max is the cue's length x 1.5 + 2 s"

# Silence after speech: 0.3 s room noise, 1 s voice-like tone, 4 s room noise.
sox -n -r 48000 -c 1 -b 16 "$T/n1.wav" synth 0.3 whitenoise vol 0.003
sox -n -r 48000 -c 1 -b 16 "$T/v.wav" synth 1 sine 220 vol 0.3
sox -n -r 48000 -c 1 -b 16 "$T/n2.wav" synth 4 whitenoise vol 0.003
sox "$T/n1.wav" "$T/v.wav" "$T/n2.wav" "$T/talk.wav"
out=$("$SHADOWING" record "$L" --cue p1 --input "$T/talk.wav" -o "$T/talk_rec.wav" --max 20 </dev/null)
expect_status 0 "record with the silence stop"
expect_match "$out" 'silence after speech' "stops on silence after speech"
secs=$(echo "$out" | sed -E 's/.*: ([0-9.]+) s at.*/\1/')
expect_true "stops 1.2 s after the speech ends (at $secs s, want ~2.5)" \
  awk -v s="$secs" 'BEGIN { exit !(s > 2.4 && s < 2.7) }'
out=$("$SHADOWING" record "$L" --cue p1 --input "$T/talk.wav" -o "$T/talk2.wav" --silence 0.5 --max 20 </dev/null)
secs=$(echo "$out" | sed -E 's/.*: ([0-9.]+) s at.*/\1/')
expect_true "--silence 0.5 stops sooner ($secs s)" awk -v s="$secs" 'BEGIN { exit !(s > 1.7 && s < 2.0) }'

# Beep: played before the recording starts.
"$SHADOWING" record "$L" --cue p1 --input "$T/in.wav" -o "$T/b.wav" --beep --output "$T/beep.wav" </dev/null >/dev/null
expect_status 0 "record --beep"
expect_match "$($WAVTOOL info "$T/beep.wav")" '^48000 1 7200 ' "--beep plays 150 ms before recording"
out=$($WAVTOOL same "$T/in.wav" "$T/b.wav" 2>&1)
expect_match "$out" '^ok' "the beep is not in the take"

# Enter stops the recording (null backend: silence in real time).
out=$( (sleep 0.6; echo) | "$SHADOWING" record "$L" --cue p1 --audio null -o "$T/enter.wav")
expect_status 0 "record stopped by Enter"
expect_match "$out" 'enter\.wav: [01]\.[0-9]+ s at 48000 Hz \(stopped\)' "Enter stops it where it is (before --max)"

# Usage errors and bad input.
"$SHADOWING" play "$L" --output "$T/x.wav" 2>/dev/null; expect_status 2 "play without --cue"
err=$("$SHADOWING" play "$L" --cue p1 --speed 2 --output "$T/x.wav" 2>&1); expect_status 2 "--speed 2"
expect_match "$err" '0\.5\.\.1\.5' "the speed range is named"
err=$("$SHADOWING" play "$L" --cue p9 --output "$T/x.wav" 2>&1); expect_status 1 "unknown cue"
expect_match "$err" "no cue 'p9'" "the missing cue is named"
err=$("$SHADOWING" play "$L" --cue p1 --audio oss 2>&1); expect_status 2 "unknown backend"
err=$("$SHADOWING" record "$L" --cue p1 --input "$T/nope.wav" -o "$T/x.wav" 2>&1 </dev/null); expect_status 1 "missing input"
expect_match "$err" 'nope\.wav' "the missing input is named"
finish
