#!/bin/bash
# Hostile input to the decoder: impossible WAV headers (a rate of
# 0xFFFFFFFF stalled every command for 30 s), an ID3 tag larger than the
# file, damaged FLAC and Ogg, files that are not audio, devices, a FIFO, a
# /proc file, symbolic link loops and dangling links, a folder. Each fails
# with exit 1 and one line that names the file, says what it is and what to
# do. (How fast: tests/bench/hostile_dir.sh; no timing here.)
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch D
sox -q -R -n -r 16000 -c 1 -b 16 "$D/good.wav" synth 2 pinknoise gain -10 || exit 1
sox -q "$D/good.wav" "$D/good.flac" || exit 1
mkdir "$D/h"

one_line_error() { # one_line_error FILE REGEX DESCRIPTION
  local err
  err=$("$SHADOWING" info "$1" 2>&1 >/dev/null); expect_status 1 "$3: exit 1"
  expect_match "$err" "^shadowing: $(printf '%s' "$1" | sed 's/[.[\*^$()+?{|]/\\&/g'): $2" "$3: message"
  expect_true "$3: one line" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
}

while IFS=$'\t' read -r name regex; do
  one_line_error "$D/h/$name" "$regex" "$name"
done < <(python3 "$SRCDIR/tests/decode/make_hostile.py" "$D/good.wav" "$D/good.flac" "$D/h")

# Not files.
mkfifo "$D/pipe.wav"
one_line_error "$D/pipe.wav" "a named pipe \(FIFO\), not a file: .*save it into a file" "FIFO"
one_line_error /dev/zero "a device, not a file: record into a file first" "/dev/zero"
one_line_error /dev/urandom "a device, not a file: record into a file first" "/dev/urandom"
one_line_error /proc/self/status "a system file with no fixed size \(like those under /proc\)" "/proc file"
mkdir "$D/take.wav"
one_line_error "$D/take.wav" "a folder, not an audio file" "folder"
ln -s loop2.wav "$D/loop1.wav"; ln -s loop1.wav "$D/loop2.wav"
one_line_error "$D/loop1.wav" "too many levels of symbolic links .*: fix the link" "symlink loop"
ln -s gone.wav "$D/dangling.wav"
one_line_error "$D/dangling.wav" "a symbolic link to gone\.wav, which does not exist: fix the link" "dangling link"

# `check` says the same at the lesson's "audio" value (a link loop used to
# be "not found").
for a in loop1.wav dangling.wav /dev/zero pipe.wav h/rate_ff.wav; do
  printf '{"shadowing": 1, "title": "t", "audio": "%s",\n "cues": [{"id": "p1", "begin": 0.5, "end": 1.5, "text": "x"}]}\n' \
    "$a" > "$D/lesson.json"
  err=$("$SHADOWING" check "$D/lesson.json" 2>&1 >/dev/null); expect_status 1 "check with audio $a"
  case $a in
    loop1.wav) want="too many levels of symbolic links" ;;
    dangling.wav) want="a symbolic link to gone\.wav, which does not exist" ;;
    /dev/zero) want="a device, not a file" ;;
    pipe.wav) want="a named pipe \(FIFO\), not a file" ;;
    *) want="a damaged WAV header: it claims a sample rate of 4294967295 Hz" ;;
  esac
  expect_match "$err" "^$D/lesson\.json:1:41: error: audio: .*$want" "check: audio $a, located and described"
done

# The good files still decode, and a truncated MP3 decodes as far as it goes.
"$SHADOWING" info "$D/good.wav" >/dev/null 2>&1; expect_status 0 "good WAV"
"$SHADOWING" info "$D/good.flac" >/dev/null 2>&1; expect_status 0 "good FLAC"
lame --quiet -b 64 "$D/good.wav" "$D/good.mp3" || exit 1
head -c 6000 "$D/good.mp3" > "$D/cut.mp3"
out=$("$SHADOWING" info --exact "$D/cut.mp3" 2>&1); expect_status 0 "truncated MP3"
expect_match "$out" "cut\.mp3: the file ends early" "truncated MP3: says it ends early"

# The same checks hold where takes are decoded (score --ref).
err=$("$SHADOWING" score --ref "$D/good.wav" "$D/h/rate_ff.wav" 2>&1 >/dev/null); expect_status 1 "score a damaged take"
expect_match "$err" "rate_ff\.wav: a damaged WAV header: it claims a sample rate of 4294967295 Hz" \
  "score names the damaged take"
finish
