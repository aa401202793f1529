#!/bin/bash
# `shadowing info`: text and JSON output, --exact, errors and exit codes,
# and a missing decoder plugin naming the Debian package to install.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch D

# 1.5 s of 22.05 kHz mono, as WAV and as MP3 (with LAME's gapless tag).
sox -q -R -n -r 22050 -c 1 -b 16 "$D/a.wav" synth 1.5 pinknoise gain -10 || exit 1
lame --quiet -b 64 "$D/a.wav" "$D/a.mp3" || exit 1

out=$("$SHADOWING" info "$D/a.wav"); expect_status 0 "info on a WAV"
expect_match "$out" '^duration: +1\.500 s' "text duration"
expect_match "$out" '^rate: +22050 Hz' "text rate"
expect_match "$out" '^channels: +1$' "text channels"
expect_match "$out" '^container: +WAV' "text container"

json=$("$SHADOWING" info --json "$D/a.mp3"); expect_status 0 "info --json on an MP3"
check() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if ($1) else 1)" "$json"; }
expect_true "JSON has exactly the documented keys" check \
  "sorted(d)==sorted(['path','duration','duration_exact','rate','channels','codec','container','bitrate'])"
expect_true "JSON path" check "d['path'].endswith('/a.mp3')"
expect_true "JSON duration estimated" check "abs(d['duration']-1.5)<0.05 and d['duration_exact'] is False"
expect_true "JSON rate and channels" check "d['rate']==22050 and d['channels']==1"
expect_true "JSON codec" check "'MP3' in d['codec']"
expect_true "JSON bitrate" check "50000 < d['bitrate'] < 80000"

json=$("$SHADOWING" info --exact --json "$D/a.mp3"); expect_status 0 "info --exact --json"
expect_true "exact duration to the sample" check "d['duration']==1.5 and d['duration_exact'] is True"

# Bad input: exit 1 and one line naming the file.
printf 'not audio at all\n' > "$D/notes.txt"
err=$("$SHADOWING" info "$D/notes.txt" 2>&1 >/dev/null); expect_status 1 "text file"
expect_match "$err" "notes\.txt: not an audio file" "text file is named"
expect_true "one line" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
err=$("$SHADOWING" info "$D/nope.mp3" 2>&1 >/dev/null); expect_status 1 "missing file"
expect_match "$err" "nope\.mp3: no such file" "missing file is named"

# Truncated: decoded as far as it goes, a warning, exit 0.
head -c 30000 "$D/a.wav" > "$D/cut.wav"
out=$("$SHADOWING" info --exact "$D/cut.wav" 2>"$D/warn"); expect_status 0 "truncated file"
expect_match "$(cat "$D/warn")" "warning: .*cut\.wav: the file ends early: decoded 0\.68 s of the 1\.50 s" \
  "truncated file warning says how far it got"

# No MP3 decoder: GStreamer cannot decode it, and we name the package.
err=$(GST_PLUGIN_FEATURE_RANK=mpg123audiodec:NONE,avdec_mp3:NONE,avdec_mp3float:NONE \
      "$SHADOWING" info "$D/a.mp3" 2>&1 >/dev/null); expect_status 1 "missing MP3 decoder"
expect_match "$err" "a\.mp3: cannot decode it: GStreamer has no MPEG-1 Layer 3 \(MP3\) decoder" \
  "missing plugin is described"
expect_match "$err" "sudo apt install gstreamer1\.0-plugins-good" "missing plugin names the package"

# Usage errors: exit 2.
"$SHADOWING" info >/dev/null 2>&1; expect_status 2 "no file"
"$SHADOWING" info --frob "$D/a.wav" >/dev/null 2>&1; expect_status 2 "unknown option"
"$SHADOWING" info "$D/a.wav" "$D/a.mp3" >/dev/null 2>&1; expect_status 2 "two files"
finish
