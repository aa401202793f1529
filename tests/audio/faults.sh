#!/bin/bash
# Faults: kill -9 during record leaves a WAV that libsndfile opens with the
# samples so far; a file size limit (RLIMIT_FSIZE) or a full device gives a
# clear error and a valid partial file.
set -u
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/audio/fixtures.sh"
mkscratch T
make_lesson "$T"
L=$T/lesson.json
sox "$T/src.wav" "$T/long.wav" repeat 2   # 18 s

# kill -9 in the middle of a recording paced in real time.
"$SHADOWING" record "$L" --cue p1 --input "$T/long.wav" --realtime -o "$T/killed.wav" --max 30 --silence 0 \
  </dev/null >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -9 $pid
wait $pid 2>/dev/null
info=$($WAVTOOL info "$T/killed.wav" 2>&1)
expect_match "$info" '^48000 1 [0-9]+ pcm16' "the killed recording is a valid WAV (header matches the data)"
n=$(echo "$info" | awk '{print $3}')
# (at most 1.5 s of real time; at least something, however slow the start)
expect_true "it holds the samples so far (${n:-0} samples after ~1.5 s)" \
  awk -v n="${n:-0}" 'BEGIN { exit !(n >= 4800 && n <= 48000 * 1.6) }'
out=$($WAVTOOL prefix "$T/killed.wav" "$T/long.wav" 2>&1)
expect_match "$out" '^ok' "the samples are the input's, in order"
# libsndfile itself opens it: the file backend reads its input with libsndfile.
out=$("$SHADOWING" record "$L" --cue p1 --input "$T/killed.wav" -o "$T/copy.wav" --max 30 --silence 0 </dev/null)
expect_status 0 "libsndfile opens the killed recording"
out=$($WAVTOOL same "$T/killed.wav" "$T/copy.wav" 2>&1)
expect_match "$out" "^ok $n samples" "libsndfile reads every sample of it"

# Ctrl-C (SIGINT): the take so far is kept, finalized, and said so.
"$SHADOWING" record "$L" --cue p1 --input "$T/long.wav" --realtime -o "$T/int.wav" --max 30 --silence 0 \
  </dev/null >/dev/null 2>"$T/int.err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid; expect_status 1 "Ctrl-C during record exits with status 1"
expect_match "$(cat "$T/int.err")" '^shadowing: interrupted; the take so far is in .*int\.wav$' "Ctrl-C says where the take is"
out=$($WAVTOOL prefix "$T/int.wav" "$T/long.wav" 2>&1)
expect_match "$out" '^ok [0-9]+ samples' "the interrupted take is a valid WAV of the input's samples"

# A file size limit (a full disk for this process): clear error, valid partial file.
err=$( (ulimit -f 100; "$SHADOWING" record "$L" --cue p1 --input "$T/long.wav" -o "$T/full.wav" --max 30 \
        --silence 0 </dev/null) 2>&1)
expect_status 1 "recording past the file size limit fails"
expect_match "$err" '^shadowing: .*full\.wav: file size limit reached while recording; the take so far \([0-9.]+ s\) is kept$' \
  "the error names the file and says the take is kept"
info=$($WAVTOOL info "$T/full.wav" 2>&1)
expect_match "$info" '^48000 1 [0-9]+ pcm16' "the partial recording is a valid WAV"
n=$(echo "$info" | awk '{print $3}')
expect_true "it holds what fitted (${n:-0} samples in 100 KiB)" awk -v n="${n:-0}" 'BEGIN { exit !(n > 45000 && n <= 51178) }'
out=$($WAVTOOL prefix "$T/full.wav" "$T/long.wav" 2>&1)
expect_match "$out" '^ok' "the partial recording's samples are the input's"

# A device that is always full.
err=$("$SHADOWING" record "$L" --cue p1 --input "$T/long.wav" -o /dev/full </dev/null 2>&1)
expect_status 1 "recording to /dev/full fails"
expect_match "$err" '^shadowing: /dev/full: .*No space left on device' "/dev/full: a clear error"

# play --output past the size limit.
err=$( (ulimit -f 100; "$SHADOWING" play "$L" --cue p1 --loops 5 --output "$T/fullp.wav") 2>&1)
expect_status 1 "playing into a file past the size limit fails"
expect_match "$err" 'fullp\.wav: cannot write: file size limit reached' "the play error names the file"
finish
