"""Start-up time of rec: `rec -e nil` end to end, and the interactive REPL from launch to its
first prompt on a pseudo-terminal. Prints the median and best of N runs in milliseconds.
Usage: python3 Benchmarks/interpreter/startup.py path/to/rec [N]"""
import os, pty, select, statistics, subprocess, sys, tempfile, time

rec = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 20

def run_e():
    t = time.perf_counter()
    subprocess.run([rec, "-e", "nil"], check=True)
    return (time.perf_counter() - t) * 1000

def first_prompt():
    env = dict(os.environ, REC_HISTORY=os.path.join(tempfile.mkdtemp(), "history"))
    t = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(rec, [rec], env)
    out = b""
    while b"rec>" not in out:
        r, _, _ = select.select([fd], [], [], 5)
        if not r:
            raise SystemExit("no prompt within 5 s")
        out += os.read(fd, 4096)
    elapsed = (time.perf_counter() - t) * 1000
    # Closing the terminal ends the REPL (its read gets end of input); a ^D written this early
    # could be discarded when the line editor switches the terminal to raw mode.
    os.close(fd)
    os.waitpid(pid, 0)
    return elapsed

for name, f in [("rec -e nil", run_e), ("REPL to first prompt", first_prompt)]:
    times = [f() for _ in range(n)]
    print(f"{name:22s} median {statistics.median(times):6.1f} ms   best {min(times):6.1f} ms   ({n} runs)")
