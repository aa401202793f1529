#!/bin/bash
# Soak: 1,000 takes in ONE practice session (the screen, through tmux, the
# file backend with a take as the microphone), sampling the process's
# resident memory (VmRSS in /proc/PID/status) and its open file descriptors
# (/proc/PID/fd) as it goes.
#
# The session drives itself: --advance-at 100 plays the paragraph again after
# every score below 100, so each cycle is the whole loop (render the
# reference, play it, beep, record the take from the start of the input into
# a WAV in the takes folder, score it in the worker, store the attempt in the
# history, show the card). The lesson is one 3-second paragraph of the demo
# broadcast, the take 3.5 s of the demo's learner, so 1,000 cycles take a
# minute or two; the takes folder is emptied as it goes (only disk space).
#
# Printed: RSS after the warm-up (50 takes) and at the end, the fd count
# after the first take, after the warm-up and at the end; beside them the
# same figures for a peer measured the same way: one sox process running the
# same take through 1,000 times, measuring it (sox take.wav -n repeat 999
# stat: the statistics need every sample, as scoring does; sampled from
# 0.2 s in for its warm-up, its last sample for the end).
#
# Target (issue 10, item 7): RSS flat within 5 MB after warm-up, no fd left
# open (the end count equals the warm-up count). Exit 1 otherwise.
#   tests/bench/practice_soak.sh [BUILD_DIR]     (SOAK_TAKES=N for another count)
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${1:-build}
SHADOWING=$(cd "$BUILD" 2>/dev/null && pwd)/shadowing
[ -x "$SHADOWING" ] || { echo "practice_soak: build first (.ci/build)" >&2; exit 2; }
for t in tmux sox python3; do
  command -v $t >/dev/null || { echo "practice_soak: needs $t" >&2; exit 2; }
done
N=${SOAK_TAKES:-1000}
WARM=50
W=$(mktemp -d "${TMPDIR:-/tmp}/sh-soak-XXXXXX")
SOCK="sh-soak-$$"
tm() { tmux -L "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$W"' EXIT
export XDG_DATA_HOME="$W/data" XDG_STATE_HOME="$W/state"

sox -V1 assets/demo/broadcast.mp3 -r 16000 -c 1 "$W/ref.wav" trim 0 4
sox -V1 assets/demo/takes/p1.ogg -r 16000 -c 1 -b 16 "$W/take.wav" trim 0 3.5
python3 - "$W" <<'PY'
import json, sys
w = sys.argv[1]
json.dump({"shadowing": 1, "title": "Soak", "audio": "ref.wav", "language": "en",
           "defaults": {"lead": 0.05, "tail": 0.3},
           "cues": [{"id": "p1", "begin": 0.5, "end": 3.5, "text": "The meteoric rise of DeepSeek"}]},
          open(w + "/lesson.json", "w"))
PY

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
takes_dir="$XDG_DATA_HOME/shadowing/takes"
# takes recorded so far: the history's attempt count (read-only query)
attempts() {
  python3 - "$XDG_DATA_HOME/shadowing/history.db" <<'PY' 2>/dev/null || echo 0
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=5)
print(db.execute("SELECT count(*) FROM attempts").fetchone()[0])
PY
}

tm new-session -d -s p -x 100 -y 30 \
  "sh -c 'echo \$\$ > $W/pid; exec $SHADOWING $W/lesson.json --audio file --input $W/take.wav --advance-at 100'; echo \$? > $W/exit"
end=$((SECONDS + 20)); while [ ! -s "$W/pid" ] && [ $SECONDS -lt $end ]; do sleep 0.05; done
PID=$(cat "$W/pid" 2>/dev/null)
[ -n "$PID" ] || { echo "practice_soak: the session did not start" >&2; exit 1; }
t0=$SECONDS
# The counts move within a cycle (a take's WAV is open while it records, the
# scorer's buffers come and go): each figure is the least seen over a
# window of takes, after the warm-up ([WARM, WARM+20)) and at the end
# ([N-20, N]).
min() { [ -z "$1" ] || [ "$2" -lt "$1" ] && echo "$2" || echo "$1"; }
fd_first= rss_warm= fd_warm= rss_end= fd_end= n=0 last=0 stall=$SECONDS
while :; do
  [ -d "/proc/$PID" ] || { echo "practice_soak: the session ended after $n takes (status $(cat "$W/exit" 2>/dev/null))" >&2; tm capture-pane -t p -p | tail -5 >&2; exit 1; }
  n=$(attempts)
  r=$(rss "$PID"); f=$(fds "$PID")
  [ -z "$fd_first" ] && [ "$n" -ge 1 ] && fd_first=$f
  if [ "$n" -ge $WARM ] && [ "$n" -lt $((WARM + 20)) ]; then rss_warm=$(min "$rss_warm" "$r"); fd_warm=$(min "$fd_warm" "$f"); fi
  if [ "$n" -ge $((N - 20)) ]; then rss_end=$(min "$rss_end" "$r"); fd_end=$(min "$fd_end" "$f"); fi
  [ "$n" -ge "$N" ] && break
  if [ "$n" -ne "$last" ]; then last=$n; stall=$SECONDS; fi
  [ $((SECONDS - stall)) -gt 30 ] && { echo "practice_soak: no take for 30 s at $n takes" >&2; tm capture-pane -t p -p | tail -5 >&2; exit 1; }
  find "$takes_dir" -name '*.wav' -mmin +0.1 -delete 2>/dev/null # disk space only: the session never reopens them
  sleep 0.2
done
secs=$((SECONDS - t0))
tm send-keys -t p q
end=$((SECONDS + 10)); while [ ! -s "$W/exit" ] && [ $SECONDS -lt $end ]; do sleep 0.1; done

# The peer: one sox process through the same take 1,000 times, sampled alike.
sox -q "$W/take.wav" -n repeat $((N - 1)) stat 2>/dev/null &
SPID=$!
p_rss_warm= p_fd_warm= p_rss_end= p_fd_end= k=0
while [ -d /proc/$SPID ]; do
  r=$(rss $SPID); f=$(fds $SPID)
  [ -n "$r" ] && [ "$f" -gt 0 ] || break # exited meanwhile
  k=$((k + 1))
  # its warm-up: 0.2-0.3 s in (before, the RSS is the shell's before exec)
  [ $k -ge 10 ] && [ $k -le 15 ] && { p_rss_warm=$(min "$p_rss_warm" "$r"); p_fd_warm=$(min "$p_fd_warm" "$f"); }
  p_rss_end=$r; p_fd_end=$f
  sleep 0.02
done
wait $SPID

grow=$((rss_end - rss_warm))
printf '%-34s %12s %12s\n' "" "shadowing" "sox (peer)"
printf '%-34s %12s %12s\n' "takes" "$n in ${secs}s" "$N passes"
printf '%-34s %9s kB %9s kB\n' "RSS after warm-up ($WARM takes)" "$rss_warm" "$p_rss_warm"
printf '%-34s %9s kB %9s kB\n' "RSS at the end" "$rss_end" "$p_rss_end"
printf '%-34s %9s kB %9s kB\n' "RSS growth" "$grow" "$((p_rss_end - p_rss_warm))"
printf '%-34s %12s %12s\n' "open fds: first take / warm-up" "$fd_first / $fd_warm" "- / $p_fd_warm"
printf '%-34s %12s %12s\n' "open fds at the end" "$fd_end" "$p_fd_end"
ok=1
[ "$grow" -le 5120 ] || { echo "practice_soak: RSS grew by $grow kB over $((n - WARM)) takes (target <= 5120 kB)"; ok=0; }
[ "$fd_end" -eq "$fd_warm" ] || { echo "practice_soak: $((fd_end - fd_warm)) file descriptors left open"; ok=0; }
[ $ok -eq 1 ] && echo "practice_soak: OK (RSS flat within 5 MB, no descriptor left open)"
[ $ok -eq 1 ]
