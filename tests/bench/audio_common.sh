# Sourced by the audio benchmarks: finds the binary and makes the inputs
# once under tests/bench/out/ (the 60-minute MP3 is the one the decode
# benchmarks make, with the same command; reused when present).
set -eu
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILDDIR:-$SRC/build}
OUT=$SRC/tests/bench/out
mkdir -p "$OUT"
if [ -z "${SHADOWING:-}" ]; then
  SHADOWING=$BUILD/shadowing
  [ -x "$SHADOWING" ] || SHADOWING=$BUILD/src/shadowing
fi
[ -x "$SHADOWING" ] || { echo "build first: $SHADOWING missing (set BUILDDIR or SHADOWING)"; exit 2; }
MP3=$OUT/bench60.mp3
if [ ! -s "$MP3" ]; then
  echo "generating $MP3 (60 min; takes about a minute, once)..." >&2
  sox -q -R -n -r 44100 -c 2 -b 16 -e signed -t raw - synth 14 pinknoise tremolo 3.5 85 \
      sinc 100-4000 gain -8 pad 0 1 repeat 239 |
    lame --quiet -r -s 44.1 --bitwidth 16 --signed --little-endian -V 4 - "$MP3.tmp" && mv "$MP3.tmp" "$MP3"
fi
# A lesson over it: p1 is a 14 s paragraph at 30:00, p2 a 60 s stretch at 10:00.
LESSON=$OUT/audio60.json
cat > "$LESSON" <<JSON
{"shadowing": 1, "title": "60-minute audio benchmark", "audio": "bench60.mp3",
 "cues": [{"id": "p1", "begin": 1800, "end": 1814, "text": "A paragraph in the middle."},
          {"id": "p2", "begin": 600, "end": 660, "text": "One minute of audio."}]}
JSON
