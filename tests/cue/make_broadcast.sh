#!/bin/bash
# Build a test broadcast from the demo paragraphs with espeak-ng and sox,
# with exact ground truth: every paragraph is synthesized alone, its silent
# head and tail trimmed (at -60 dBFS), and the pieces joined with known
# gaps, so each paragraph's speech starts and ends at a known sample.
#
#   make_broadcast.sh OUTDIR CONDITION [SEED] [REPEAT]
#
# CONDITION is a comma-separated list of:
#   clean     en-us, 175 wpm, pauses 0.4-1.5 s between paragraphs
#   short     every pause between paragraphs 0.4 s
#   jingle    a 3 s plucked-note jingle and 0.8 s of silence before the speech
#   longjingle  the same, 9 s long, and only 0.4 s before the speech
#   outro     the jingle again 0.6 s after the last paragraph
#   announcer a spoken station intro (another voice) 0.8 s before the first
#             paragraph and a spoken sign-off after the last, not in the text
#   noise     a pink-noise bed 26 dB under the speech
#   voice2    another voice (en-gb-x-rp) and rate (145 wpm)
#   fast      200 wpm
#   sentences every sentence synthesized alone, joined inside its paragraph
#             by a pause as long as those between paragraphs
# REPEAT makes a longer broadcast by reading the paragraphs REPEAT times
# (ids p1..pN continue). Writes OUTDIR/broadcast.wav (22050 Hz mono),
# OUTDIR/truth.tsv (id, begin, end, text) and OUTDIR/lesson.json (untimed
# cues, for `shadowing cue align`).
set -eu
# the same broadcast every run: sox's random generator seeded, no dither
export SOX_OPTS="-R -D"
out=$1; cond=${2:-clean}; seed=${3:-1}; repeat=${4:-1}
here=$(cd "$(dirname "$0")" && pwd)
texts="$here/../data/cue/demo_paragraphs.txt"
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bcast-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
voice=en-us; wpm=175; minp=0.4; maxp=1.5; jingle=0; noise=0; sent=0; jreps=1; jgap=0.8; outro=0; announcer=0
IFS=, read -ra parts <<<"$cond"
for c in "${parts[@]}"; do
  case $c in
    clean) ;;
    short) minp=0.4; maxp=0.4 ;;
    jingle) jingle=1 ;;
    longjingle) jingle=1; jreps=3; jgap=0.4 ;;
    outro) outro=1 ;;
    announcer) announcer=1 ;;
    noise) noise=1 ;;
    voice2) voice=en-gb-x-rp; wpm=145 ;;
    fast) wpm=200 ;;
    sentences) sent=1 ;;
    *) echo "unknown condition $c" >&2; exit 2 ;;
  esac
done
rate=22050
RANDOM=$seed
list=()
t=0   # samples so far
notes=(C4 E4 G4 C5 G4 E4 F4 A4 C5 B4)
jfiles=()
for i in "${!notes[@]}"; do
  sox -q -n -r $rate -c 1 "$tmp/n$i.wav" synth 0.3 pluck "${notes[$i]}" vol 0.5
  jfiles+=("$tmp/n$i.wav")
done
if [ $jingle = 1 ]; then
  for ((j = 0; j < jreps; j++)); do list+=("${jfiles[@]}"); done
  sox -q -n -r $rate -c 1 "$tmp/jgap.wav" trim 0 $jgap
  list+=("$tmp/jgap.wav")
fi
if [ $announcer = 1 ]; then
  espeak-ng -v en-us+f3 -s 170 -w "$tmp/araw.wav" "You are listening to China Daily, news from China and the world. Here is today's story."
  sox -q "$tmp/araw.wav" -r $rate -c 1 "$tmp/ann.wav" silence 1 0 -60d reverse silence 1 0 -60d reverse
  sox -q -n -r $rate -c 1 "$tmp/agap.wav" trim 0 0.8
  list+=("$tmp/ann.wav" "$tmp/agap.wav")
fi
for f in "${list[@]}"; do t=$((t + $(soxi -s "$f"))); done
: >"$out/truth.tsv"
n=$(wc -l <"$texts")
k=0
for ((r = 0; r < repeat; r++)); do
  i=0
  while IFS= read -r text; do
    i=$((i + 1)); k=$((k + 1))
    if [ $sent = 1 ]; then
      pieces=()
      j=0
      while IFS= read -r sentence; do
        j=$((j + 1))
        espeak-ng -v "$voice" -s "$wpm" -w "$tmp/raw.wav" "$sentence"
        sox -q "$tmp/raw.wav" -r $rate -c 1 "$tmp/s$j.wav" silence 1 0 -60d reverse silence 1 0 -60d reverse
        if [ $j -gt 1 ]; then
          r=$RANDOM # drawn here: a subshell would reseed it
      gap=$(awk -v a=$minp -v b=$maxp -v r=$r 'BEGIN{printf "%.3f", a + (b - a) * r / 32767}')
          sox -q -n -r $rate -c 1 "$tmp/sg$j.wav" trim 0 "$gap"
          pieces+=("$tmp/sg$j.wav")
        fi
        pieces+=("$tmp/s$j.wav")
      done < <(python3 "$here/split_sentences.py" "$text")
      sox -q "${pieces[@]}" "$tmp/p$k.wav"
    else
      espeak-ng -v "$voice" -s "$wpm" -w "$tmp/raw.wav" "$text"
      sox -q "$tmp/raw.wav" -r $rate -c 1 "$tmp/p$k.wav" silence 1 0 -60d reverse silence 1 0 -60d reverse
    fi
    len=$(soxi -s "$tmp/p$k.wav")
    printf 'p%d\t%s\t%s\t%s\n' "$k" \
      "$(awk -v a=$t -v r=$rate 'BEGIN{printf "%.4f", a/r}')" \
      "$(awk -v a=$((t + len)) -v r=$rate 'BEGIN{printf "%.4f", a/r}')" "$text" >>"$out/truth.tsv"
    list+=("$tmp/p$k.wav"); t=$((t + len))
    if [ $k -lt $((n * repeat)) ]; then
      r=$RANDOM # drawn here: a subshell would reseed it
      gap=$(awk -v a=$minp -v b=$maxp -v r=$r 'BEGIN{printf "%.3f", a + (b - a) * r / 32767}')
    elif [ $outro = 1 ]; then
      gap=0.6
    else
      gap=1.0
    fi
    gs=$(awk -v g=$gap -v r=$rate 'BEGIN{printf "%d", g * r + 0.5}')
    # (sox -n miscounts "trim 0 Ns"; seconds with enough digits round exactly)
    sox -q -n -r $rate -c 1 "$tmp/g$k.wav" trim 0 "$(awk -v g=$gs -v r=$rate 'BEGIN{printf "%.7f", g / r}')"
    [ "$(soxi -s "$tmp/g$k.wav")" = "$gs" ] || { echo "gap length mismatch" >&2; exit 1; }
    list+=("$tmp/g$k.wav"); t=$((t + gs))
  done <"$texts"
done
if [ $announcer = 1 ]; then
  espeak-ng -v en-us+f3 -s 170 -w "$tmp/sraw.wav" "That's all for today. Thanks for listening."
  sox -q "$tmp/sraw.wav" -r $rate -c 1 "$tmp/signoff.wav" silence 1 0 -60d reverse silence 1 0 -60d reverse
  list+=("$tmp/signoff.wav")
  [ $outro = 1 ] && { sox -q -n -r $rate -c 1 "$tmp/ogap.wav" trim 0 0.6; list+=("$tmp/ogap.wav"); }
fi
if [ $outro = 1 ]; then
  list+=("${jfiles[@]}")
  sox -q -n -r $rate -c 1 "$tmp/tail.wav" trim 0 1.0
  list+=("$tmp/tail.wav")
fi
sox -q "${list[@]}" "$tmp/speech.wav"
if [ $noise = 1 ]; then
  dur=$(soxi -D "$tmp/speech.wav")
  # speech peaks near -3 dBFS with an RMS around -20 dBFS: noise at -46 dBFS RMS
  sox -q -R -n -r $rate -c 1 "$tmp/noise.wav" synth "$dur" pinknoise vol 0.02
  sox -q -m -v 1 "$tmp/speech.wav" -v 1 "$tmp/noise.wav" "$out/broadcast.wav"
else
  mv "$tmp/speech.wav" "$out/broadcast.wav"
fi
# An untimed lesson for `cue align`.
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
cues = []
for line in open(out + "/truth.tsv", encoding="utf-8"):
    cid, b, e, text = line.rstrip("\n").split("\t")
    cues.append({"id": cid, "text": text})
json.dump({"shadowing": 1, "title": "test broadcast", "audio": "broadcast.wav", "cues": cues},
          open(out + "/lesson.json", "w", encoding="utf-8"), indent=2, ensure_ascii=False)
PY
