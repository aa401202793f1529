#!/usr/bin/env python3
"""Key response of the practice screen while audio plays and while it
records: time from a key sent to the terminal until the screen shows its
effect (] and [ change the speed in the header). The screen runs in tmux
(a real terminal emulator, so curses' minimal updates are seen as a user
sees them) with the file backend paced in real time (--realtime), so
playback and recording run as on a sound card; the pane is polled with
capture-pane. Target (issue 5): <= 50 ms, worst case.

Peer, same run and same method: `cat` in the same kind of pane, a key and
its echo (the floor set by tmux and the polling itself).
Usage: tests/bench/practice_keys.py [BUILD_DIR]   (default build)
"""
import os, statistics, subprocess, sys, tempfile, time

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
SHADOWING = os.path.join(BUILD if os.path.isabs(BUILD) else os.path.join(SRC, BUILD), "shadowing")
LESSON = os.path.join(SRC, "assets", "demo", "lesson.json")
SOCK = "sh-keys-%d" % os.getpid()


def tm(*args):
    return subprocess.run(["tmux", "-L", SOCK] + list(args), capture_output=True, text=True).stdout


def wait_for(target, text, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if text in tm("capture-pane", "-t", target, "-p"):
            return time.monotonic()
    return None


def speed_latencies(n):
    out, speed = [], 100
    for i in range(n):
        key = "]" if i % 2 == 0 else "["
        speed += 5 if key == "]" else -5
        t0 = time.monotonic()
        tm("send-keys", "-t", "p", key)
        t = wait_for("p", "speed %.2fx" % (speed / 100), 2)
        out.append((t - t0) * 1000 if t else float("inf"))
        time.sleep(0.05)
    return out


def main():
    tmp = tempfile.mkdtemp(prefix="sh-keys-")
    take = os.path.join(tmp, "take.wav")
    subprocess.check_call(["sox", os.path.join(SRC, "assets", "demo", "takes", "p1.ogg"), "-r", "16000", "-c", "1",
                           "-b", "16", take])
    env = f"XDG_DATA_HOME={tmp}/d XDG_STATE_HOME={tmp}/s"
    try:
        tm("new-session", "-d", "-s", "p", "-x", "100", "-y", "30",
           f"env {env} {SHADOWING} {LESSON} --audio file --realtime --input {take} --output {tmp}/out.wav")
        wait_for("p", "> reference", 10)
        playing = speed_latencies(20)
        tm("send-keys", "-t", "p", "r")  # beep, then record from the take in real time
        end = time.monotonic() + 10
        while "REC" not in tm("capture-pane", "-t", "p", "-p") and time.monotonic() < end:
            time.sleep(0.01)
        recording = speed_latencies(20)
        tm("send-keys", "-t", "p", "q")

        tm("new-session", "-d", "-s", "c", "-x", "100", "-y", "30", "cat")
        time.sleep(0.3)
        echo = []
        for i in range(20):
            t0 = time.monotonic()
            tm("send-keys", "-t", "c", chr(ord("a") + i))
            t = wait_for("c", "abcdefghijklmnopqrstuvwxyz"[: i + 1], 2)
            echo.append((t - t0) * 1000 if t else float("inf"))
    finally:
        tm("kill-server")
        os.system(f"cat {tmp}/s/shadowing/practice.log >&2") if os.environ.get("SH_KEYS_LOG") else None
        subprocess.call(["rm", "-rf", tmp])

    ok = True
    for name, xs in (("while playing", playing), ("while recording", recording)):
        worst = max(xs)
        good = worst <= 50
        ok &= good
        print(f"key to screen {name:16s} ours median {statistics.median(xs):5.1f} ms worst {worst:5.1f} ms   "
              f"peer (cat echo) median {statistics.median(echo):5.1f} ms worst {max(echo):5.1f} ms   "
              f"target worst <= 50 ms   {'PASS' if good else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
