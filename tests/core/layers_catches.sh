#!/bin/bash
# tests/core/layers.sh must catch what it is there for: on a copy of the
# tree, each broken rule alone makes it fail and names the file.
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
check="$SRCDIR/tests/core/layers.sh"

fresh() { rm -rf "$T/tree"; mkdir "$T/tree"; cp -r "$SRCDIR/src" "$SRCDIR/include" "$T/tree/"; }

fresh
out=$(bash "$check" "$T/tree"); expect_status 0 "the tree as it is passes"

fresh
sed -i '1i #include "shadowing/decode.h"' "$T/tree/src/dsp/vad.c"
out=$(bash "$check" "$T/tree"); expect_status 1 "dsp including decode.h fails"
expect_match "$out" 'src/dsp/vad.c:1: dsp includes "shadowing/decode.h" of decode, a layer above it' "the upward include is named"

fresh
sed -i '1i #include "core/cli.h"\n#include "audio/internal.h"' "$T/tree/src/lesson/timefmt.c"
out=$(bash "$check" "$T/tree"); expect_status 1 "lesson including audio's internal header fails"
expect_match "$out" 'src/lesson/timefmt.c:2: lesson includes "audio/internal.h"' "the internal upward include is named, at its line"
expect_no_match "$out" 'core/cli.h' "a downward include is not reported"

fresh
sed -i '1i #include "commands.h"' "$T/tree/src/practice/batch.c"
out=$(bash "$check" "$T/tree"); expect_status 1 "a module including the command table fails"

fresh
yes '/* filler */' | head -700 >>"$T/tree/src/audio/shadow.c"
out=$(bash "$check" "$T/tree"); expect_status 1 "a file over 700 lines fails"
expect_match "$out" 'src/audio/shadow.c: [0-9]+ lines, more than 700' "the long file is named"

fresh
echo '#include "audio/internal.h"' >>"$T/tree/src/audio/ringbuf.h"
out=$(bash "$check" "$T/tree"); expect_status 1 "two headers including each other fail"
expect_match "$out" 'files include each other: .*src/audio/(ringbuf|internal).h' "the circle is named"

fresh
mkdir "$T/tree/src/speech"; echo '#include "core/util.h"' >"$T/tree/src/speech/speech.c"
out=$(bash "$check" "$T/tree"); expect_status 1 "a module outside the layer order fails"
expect_match "$out" "src/speech/speech.c: 'speech' is in no layer" "the unplaced module is named"

# words sits below lesson (the lesson checks its words with the normaliser).
fresh
sed -i '1i #include "shadowing/lesson.h"' "$T/tree/src/words/phones.c"
out=$(bash "$check" "$T/tree"); expect_status 1 "words including lesson.h fails"
expect_match "$out" 'src/words/phones.c:1: words includes "shadowing/lesson.h" of lesson, a layer above it' "the words module's upward include is named"

# A pure module given GStreamer's include path (the build's own compile
# lines, with one flag added) fails.
fresh
mkdir "$T/build"
sed 's|-I../src |-I../src -I/usr/include/gstreamer-1.0 |' "$BUILDDIR/compile_commands.json" >"$T/build/compile_commands.json"
out=$(BUILDDIR=$T/build bash "$check" "$T/tree"); expect_status 1 "dsp/score with GStreamer headers fail"
expect_match "$out" 'src/score/score.c compiles with GStreamer' "the module's file is named"
out=$(BUILDDIR=$BUILDDIR bash "$check" "$T/tree"); expect_status 0 "the build's real compile lines pass"

finish
