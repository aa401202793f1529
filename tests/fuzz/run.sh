#!/bin/bash
# Build the parser fuzzers (cue formats, aligner, lesson, audio headers) and the history fuzzer with clang (libFuzzer + ASan + UBSan) and run
# Build the parser fuzzers (cue formats, aligner, lesson, audio headers, words normaliser) with clang (libFuzzer + ASan + UBSan) and run
# each for a bounded time from its seed corpus; exit 1 on any crash.
#
#   tests/fuzz/run.sh [SECONDS_PER_FUZZER]      (default 60; or FUZZ_SECONDS)
#
# Needs clang and its runtime (Debian: clang, libclang-rt-14-dev).
# Crash inputs are left in build-fuzz/NAME/ (FUZZ_OUT to change).
set -eu
secs=${1:-${FUZZ_SECONDS:-60}}
src=$(cd "$(dirname "$0")/../.." && pwd)
out_root="${FUZZ_OUT:-$src/build-fuzz}"   # build* is git-ignored
mkdir -p "$out_root/bin"
# The parsers are pure C with cJSON as their only dependency, so the
# harnesses are compiled here directly (meson -Dfuzzers=true builds the same
# from tests/fuzz/meson.build).
srcs="$src/src/cue/align.c $src/src/dsp/envelope.c $src/src/cue/cuefmt.c $src/src/cue/lrc.c $src/src/cue/srt.c $src/src/cue/aeneas.c
      $src/src/cue/seedtext.c $src/src/cue/write.c $src/src/lesson/jsonscan.c $src/src/core/diag.c $src/src/core/error.c
      $src/src/core/util.c $src/src/core/strbuf.c"
declare -A fmt=([align]=0 [lrc]=SH_CUEFMT_LRC [srt]=SH_CUEFMT_SRT [vtt]=SH_CUEFMT_VTT [aeneas]=SH_CUEFMT_AENEAS
                [seedtext]=SH_CUEFMT_TEXT)
for name in "${!fmt[@]}"; do
  clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DFUZZ_FORMAT="${fmt[$name]}" \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$src/include" -I"$src/src" "$src/tests/fuzz/$([ "$name" = align ] && echo fuzz_align.c || echo fuzz_cuefmt.c)" \
    $srcs -lcjson -lm \
    -o "$out_root/bin/fuzz_$name"
done
# The lesson loader (src/lesson/) has its own harness in tests/lesson/.
clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$src/include" -I"$src/src" "$src/tests/lesson/fuzz_lesson.c" \
  "$src"/src/lesson/lesson.c "$src"/src/lesson/lesson_edit.c "$src"/src/lesson/lesson_index.c "$src"/src/lesson/lesson_words.c \
  "$src"/src/lesson/jsonscan.c "$src"/src/lesson/timefmt.c "$src"/src/words/normalize.c "$src"/src/words/phones.c \
  "$src"/src/core/diag.c "$src"/src/core/error.c "$src"/src/core/util.c -lcjson -lm \
  -o "$out_root/bin/fuzz_lesson"
# The decoder's own header parsers (src/decode/header.c, the frame walk of
# mp3index.c): pure C, no GStreamer.
for name in wavheader mp3header; do
  clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$src/include" -I"$src/src" "$src/tests/fuzz/fuzz_$name.c" \
    "$src"/src/decode/header.c "$src"/src/decode/mp3index.c -lm \
    -o "$out_root/bin/fuzz_$name"
done
# The history's loading of attempts (src/practice/history.c) against SQLite.
clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$src/include" -I"$src/src" "$src/tests/fuzz/fuzz_history.c" \
  "$src"/src/practice/history.c "$src"/src/practice/identity.c "$src"/src/core/util.c "$src"/src/core/error.c \
  $(pkg-config --cflags --libs glib-2.0) -lsqlite3 -lm \
  -o "$out_root/bin/fuzz_history"
# The words module's normaliser and phone table (pure).
clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$src/include" -I"$src/src" "$src/tests/fuzz/fuzz_words.c" \
  "$src"/src/words/normalize.c "$src"/src/words/phones.c "$src"/src/core/error.c -lm \
  -o "$out_root/bin/fuzz_words"
status=0; n_ok=0; n_bad=0
for dir in "$src"/tests/fuzz/corpus/*/; do
  name=$(basename "$dir")
  out="$out_root/$name"
  mkdir -p "$out/corpus"
  log="$out/log.txt"
  if "$out_root/bin/fuzz_$name" -max_total_time="$secs" -max_len=65536 -timeout=10 -print_final_stats=1 \
       -artifact_prefix="$out/" "$out/corpus" "$dir" >"$log" 2>&1; then
    n_ok=$((n_ok + 1)); echo "fuzz_$name: ok ($(grep -m1 number_of_executed_units "$log" | awk '{print $NF}') runs in ${secs}s)"
  else
    n_bad=$((n_bad + 1)); echo "fuzz_$name: FAILED (see $log)"; tail -30 "$log"; status=1
  fi
done
echo "fuzz: $n_ok passed, $n_bad failed"
exit $status
