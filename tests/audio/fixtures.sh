# Shared fixtures for the audio shell tests: a 6 s 48 kHz mono source with
# a sweep (every sample distinct enough to catch an off-by-one), and a lesson.
make_lesson() { # make_lesson DIR
  local d=$1
  sox -n -r 48000 -c 1 -b 16 "$d/src.wav" synth 6 sine 300:900 vol 0.5
  cat > "$d/lesson.json" <<JSON
{"shadowing": 1, "title": "audio test", "audio": "src.wav",
 "cues": [{"id": "p1", "begin": 1.0, "end": 2.5, "text": "Hello there."},
          {"id": "p2", "begin": 3, "end": 4.25, "text": "Second one."}]}
JSON
}
WAVTOOL="python3 $SRCDIR/tests/audio/wavtool.py"
