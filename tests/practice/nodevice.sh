#!/bin/bash
# The quick start on a machine without a sound device: `shadowing
# LESSON.json` says so in one line and runs the headless session on the
# takes bundled next to the lesson, readable in a terminal, storing history.
# ALSA is pointed at a configuration whose default card does not exist; on a
# machine where PortAudio still finds a real card the screen must start
# instead (checked too, so the test asserts either way).
set -u
. "$SRCDIR/tests/lib.sh"
mkscratch T
export XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
printf '</usr/share/alsa/alsa.conf>\npcm.!default { type hw card 99 }\n' > "$T/alsa.conf"
export ALSA_CONFIG_PATH="$T/alsa.conf"
# alsa-lib's allocations while PortAudio probes come from plugins it loads and
# unloads; the fast unwinder cannot walk them ("<unknown module>"), so the
# libasound suppression in tests/lsan.supp would not match without this.
export LSAN_OPTIONS="${LSAN_OPTIONS:-}:fast_unwind_on_malloc=0"
SOCK="sh-test-$$"
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf $_sh_scratch' EXIT
tm new-session -d -s p -x 120 -y 40 \
  "$SHADOWING $SRCDIR/assets/demo/lesson.json; echo \$? > $T/exit; sleep 60"
end=$((SECONDS + 30)); while [ ! -s "$T/exit" ] && ! tm capture-pane -t p -p | grep -q 'paragraph 1/18' && [ $SECONDS -lt $end ]; do sleep 0.2; done
s=$(tm capture-pane -t p -p)
if "$SHADOWING" devices >/dev/null 2>&1; then
  expect_match "$s" 'paragraph 1/18' "a sound device exists: the screen starts"
  tm send-keys -t p q
else
  expect_match "$(head -1 <<<"$s")" '^shadowing: no sound device; scoring the lesson.s bundled takes' "one line says so"
  expect_match "$s" '^  1/18 p1 +[0-9]+ [a-z]+' "a readable line per paragraph"
  expect_match "$s" '^ 18/18 p18 +[0-9]+' "the whole lesson"
  expect_match "$s" "see 'shadowing history" "points at the history"
  expect_no_match "$s" '\{"cue"' "no raw JSON in a terminal"
  expect_match "$(cat "$T/exit")" '^0$' "exit status 0"
  n=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM attempts").fetchone()[0])' "$XDG_DATA_HOME/shadowing/history.db")
  expect_match "$n" '^18$' "18 attempts stored"
fi
finish
