# Sourced by the decode benchmarks: finds the build, builds decode_bench,
# and makes the 60-minute inputs once (reused when present):
#   tests/bench/out/bench60.mp3   60 min, 44.1 kHz stereo VBR (lame -V 4)
#   tests/bench/out/bench60.json  a lesson with 240 cues of 14 s over it
set -eu
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILDDIR:-$SRC/build}
OUT=$SRC/tests/bench/out
mkdir -p "$OUT"
SHADOWING=${SHADOWING:-$BUILD/shadowing}
[ -x "$SHADOWING" ] || { echo "build first: $SHADOWING missing (set BUILDDIR)"; exit 2; }
MP3=$OUT/bench60.mp3
LESSON=$OUT/bench60.json
BENCH=$OUT/decode_bench

if [ ! -s "$MP3" ]; then
  echo "generating $MP3 (60 min; takes about a minute, once)..." >&2
  # Speech-like: 14 s of band-limited pink noise in syllable-rate bursts,
  # then 1 s of silence, 240 times.
  sox -q -R -n -r 44100 -c 2 -b 16 -e signed -t raw - synth 14 pinknoise tremolo 3.5 85 \
      sinc 100-4000 gain -8 pad 0 1 repeat 239 |
    lame --quiet -r -s 44.1 --bitwidth 16 --signed --little-endian -V 4 - "$MP3.tmp" && mv "$MP3.tmp" "$MP3"
fi
if [ ! -s "$LESSON" ]; then
  python3 - "$LESSON" <<'PY'
import json, sys
cues = [{"id": "p%d" % (i + 1), "begin": i * 15.0, "end": i * 15.0 + 14.0,
         "text": "Paragraph %d of the benchmark lesson, read at an even pace." % (i + 1)}
        for i in range(240)]
json.dump({"shadowing": 1, "title": "60-minute benchmark", "audio": "bench60.mp3", "cues": cues},
          open(sys.argv[1], "w"), indent=1)
PY
fi
if [ ! -x "$BENCH" ] || [ "$SRC/tests/bench/decode_bench.c" -nt "$BENCH" ] || [ "$BUILD/src/libshadowing.a" -nt "$BENCH" ]; then
  cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$SRC/include" -I"$SRC/src" -I"$BUILD/src" \
     "$SRC/tests/bench/decode_bench.c" "$BUILD/src/libshadowing.a" -o "$BENCH" \
     $(pkg-config --cflags --libs gstreamer-1.0 gstreamer-app-1.0 gstreamer-audio-1.0 gstreamer-pbutils-1.0) -lm
fi

# cpu_of CMD...: runs CMD, prints "USER+SYS_SECONDS WALL_SECONDS MAXRSS_KB".
cpu_of() {
  local t; t=$(mktemp)
  /usr/bin/time -f '%U %S %e %M' -o "$t" "$@" >/dev/null 2>&1 || { cat "$t"; rm -f "$t"; return 1; }
  awk '{printf "%.3f %.3f %d\n", $1 + $2, $3, $4}' "$t"; rm -f "$t"
}
