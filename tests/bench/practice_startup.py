#!/usr/bin/env python3
"""Practice screen on a 60-minute MP3 lesson: time from start to the first
paragraph drawn and to the first sample handed to the device ("audible"),
and the session's peak RSS.

The program runs on a real pseudo-terminal (pty.fork) with the file backend
(--audio file --output OUT.wav): "drawn" is when the paragraph's first words
appear in the terminal output, "audible" is when OUT.wav first grows past
its header (libsndfile writes each block through to the file). Measured
twice: a fresh lesson (paragraph 1) and a resumed one (a paragraph in the
middle of the hour, which needs a seek into the MP3). Then a whole cycle
(play, beep, record silence, score, show) runs before q, and the peak RSS
of that process is read from wait4's rusage.

Peer, same run: sox decoding the same paragraph of the same MP3 into a WAV
(time to its first written sample, i.e. what a player built on sox would
need before the first sound).

Targets (issue 5): start to drawn and audible <= 200 ms; peak RSS <= 64 MB.
Usage: tests/bench/practice_startup.py [BUILD_DIR]   (default build)
"""
import json, os, pty, re, select, shutil, signal, sqlite3, subprocess, sys, tempfile, time

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(SRC, "build")
SHADOWING = os.path.join(BUILD if os.path.isabs(BUILD) else os.path.join(SRC, BUILD), "shadowing")
OUT = os.path.join(SRC, "tests", "bench", "out")
DEMO = os.path.join(SRC, "assets", "demo")
MP3 = os.path.join(OUT, "practice-60min.mp3")
LESSON = os.path.join(OUT, "practice-60min.json")


def make_lesson():
    os.makedirs(OUT, exist_ok=True)
    demo = json.load(open(os.path.join(DEMO, "lesson.json")))
    period = float(subprocess.check_output(["soxi", "-D", os.path.join(DEMO, "broadcast.mp3")]))
    copies = int(3600 // period) + 1
    if not os.path.exists(MP3):
        print(f"generating {MP3} (60 min, once)...", flush=True)
        wav = os.path.join(OUT, "practice-60min.wav")
        subprocess.check_call(["sox"] + [os.path.join(DEMO, "broadcast.mp3")] * copies +
                              [wav, "trim", "0", "3600"])
        subprocess.check_call(["lame", "--quiet", "-b", "64", "-m", "m", wav, MP3 + ".tmp"])
        os.rename(MP3 + ".tmp", MP3)
        os.unlink(wav)
    cues = []
    for c in range(copies):
        for q in demo["cues"]:
            b, e = q["begin"] + c * period, q["end"] + c * period
            if e < 3599:
                cues.append({"id": f"c{c}{q['id']}", "begin": round(b, 3), "end": round(e, 3),
                             "text": q["text"], "translation": q.get("translation")})
    lesson = {"shadowing": 1, "title": "One hour", "audio": os.path.basename(MP3), "cues": cues,
              "vocabulary": demo.get("vocabulary", [])}
    json.dump(lesson, open(LESSON, "w"), ensure_ascii=False)
    return cues


ESC = re.compile(rb"\x1b(\[[0-9;?]*[A-Za-z@`]|\][^\x07]*\x07|[()][A-Z0-9]|[=>78DEHMc])")


def squash(b):
    """Terminal output as text without escape sequences or spaces (curses
    may move the cursor over a space instead of writing it)."""
    return re.sub(r"\s+", "", ESC.sub(b"", b).decode("utf-8", "replace"))


def run_session(env, words, out_wav, full_cycle):
    """Start the screen on a pty; return (drawn_ms, audible_ms, maxrss_kb)."""
    words = re.sub(r"\s+", "", words)
    if os.path.exists(out_wav):
        os.unlink(out_wav)
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(env)
        os.execv(SHADOWING, [SHADOWING, LESSON, "--audio", "file", "--output", out_wav])
    buf = b""
    drawn = audible = None
    deadline = t0 + (60 if full_cycle else 10)
    sent_q = False
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.001)
        now = time.monotonic()
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            if drawn is None and words in squash(buf):
                drawn = now
        if audible is None and os.path.exists(out_wav) and os.path.getsize(out_wav) > 80:
            audible = now
        done = drawn and audible and (not full_cycle or b"Score " in buf)
        if done and not sent_q:
            os.write(fd, b"q")
            sent_q = True
            deadline = now + 5
    if not sent_q:
        os.kill(pid, signal.SIGTERM)
    _, status, ru = os.wait4(pid, 0)
    os.close(fd)
    ms = lambda t: (t - t0) * 1000 if t else float("nan")
    return ms(drawn), ms(audible), ru.ru_maxrss


def sox_first_sample(cue):
    out = os.path.join(OUT, "peer.wav")
    if os.path.exists(out):
        os.unlink(out)
    t0 = time.monotonic()
    p = subprocess.Popen(["sox", MP3, out, "trim", str(cue["begin"]), "=" + str(cue["end"])],
                         stderr=subprocess.DEVNULL)
    first = None
    while p.poll() is None or first is None:
        if os.path.exists(out) and os.path.getsize(out) > 80:
            first = time.monotonic()
            break
        if p.poll() is not None:
            first = time.monotonic()
            break
        time.sleep(0.0005)
    p.wait()
    return (first - t0) * 1000


def main():
    if not os.access(SHADOWING, os.X_OK):
        sys.exit(f"no binary at {SHADOWING}: build first or pass the build dir")
    cues = make_lesson()
    tmp = tempfile.mkdtemp(prefix="sh-bench-")
    env = {"XDG_DATA_HOME": os.path.join(tmp, "data"), "XDG_STATE_HOME": os.path.join(tmp, "state"),
           "TERM": "xterm-256color", "LINES": "30", "COLUMNS": "100", "LC_ALL": "C.UTF-8"}
    out_wav = os.path.join(tmp, "out.wav")
    first_words = cues[0]["text"][:24].encode().decode()
    results = []
    # 1. fresh lesson: paragraph 1 (best of 3 runs, after one warm-up)
    run_session(env, first_words, out_wav, False)
    runs = [run_session(env, first_words, out_wav, False) for _ in range(3)]
    d, a, _ = min(runs, key=lambda r: max(r[0], r[1]))
    # 2. resumed in the middle of the hour: set the position as a session would
    mid = cues[len(cues) // 2]
    # (a headless run over that one paragraph, without takes, stores the position)
    subprocess.run([SHADOWING, "practice", LESSON, "--batch", "--takes", tmp, "--cue", mid["id"]],
                   env=dict(os.environ, **env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = sqlite3.connect(os.path.join(tmp, "data", "shadowing", "history.db"))
    assert db.execute("SELECT last_cue FROM lessons").fetchone()[0] == mid["id"]
    db.close()
    mid_words = mid["text"][:24]
    runs = [run_session(env, mid_words, out_wav, False) for _ in range(3)]
    md, ma, _ = min(runs, key=lambda r: max(r[0], r[1]))
    # 3. a whole cycle, for the peak RSS
    _, _, rss = run_session(env, mid_words, out_wav, True)
    peer1 = min(sox_first_sample(cues[0]) for _ in range(3))
    peer_mid = min(sox_first_sample(mid) for _ in range(3))
    shutil.rmtree(tmp, ignore_errors=True)

    ok = True
    def line(name, ours, peer, target, unit="ms"):
        nonlocal ok
        good = ours <= target
        ok &= good
        p = f"{peer:8.1f} {unit}" if peer == peer else "     n/a   "
        print(f"{name:44s} ours {ours:8.1f} {unit}   peer {p}   target <= {target} {unit}   "
              f"{'PASS' if good else 'FAIL'}")
    print(f"lesson: 60 min MP3, {len(cues)} paragraphs; peer: sox decoding the same paragraph to a WAV")
    line("paragraph 1: drawn", d, float("nan"), 200)
    line("paragraph 1: audible (first sample out)", a, peer1, 200)
    line(f"resumed at {mid['id']} ({mid['begin']:.0f} s): drawn", md, float("nan"), 200)
    line(f"resumed at {mid['id']}: audible", ma, peer_mid, 200)
    rss_mb = rss / 1024
    good = rss_mb <= 64
    ok &= good
    print(f"{'peak RSS, play+record+score+show cycle':44s} ours {rss_mb:8.1f} MB   target <= 64 MB   "
          f"{'PASS' if good else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
