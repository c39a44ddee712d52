#!/usr/bin/env python3
"""Runs both sides of Benchmarks/scale.sh on each data file and prints the tables.

    measure.py --rec REC [--python PY] [--threads N] DATA...

Each side runs in its own process under `taskset` on the same N CPUs. A side prints
stage<TAB>seconds lines (load, fit, recommend); when a line arrives this script reads the
process's VmHWM (peak resident set so far) from /proc/PID/status, and after it exits takes the
whole run's peak from wait4's ru_maxrss. Lines starting with # are shown as they come.
Standard library only: it runs under any python3; PY is only the peer's interpreter.
"""
import argparse, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
STAGES = ("load", "fit", "recommend")


def vmhwm_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def run(cmd, env=None):
    """{stage: (seconds, peak MiB so far)}, whole-run peak MiB, wall seconds; None if it failed."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    stages = {}
    for line in p.stdout:
        line = line.rstrip("\n")
        if line.startswith("#"):
            print(f"   {line}", flush=True)
        elif "\t" in line:
            name, secs = line.split("\t", 1)
            hwm = vmhwm_kib(p.pid)
            stages[name] = (float(secs), hwm / 1024 if hwm else float("nan"))
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    # A process that ended before its last line was read: that stage's peak is the run's.
    stages = {k: (t, m if m == m else usage.ru_maxrss / 1024) for k, (t, m) in stages.items()}
    wall = time.perf_counter() - t
    err = p.stderr.read()
    if p.returncode != 0 or any(s not in stages for s in STAGES):
        print(f"   failed (exit {p.returncode}): {' '.join(cmd)}\n{err[-2000:]}", file=sys.stderr)
        return None
    return stages, usage.ru_maxrss / 1024, wall


def fmt_ratio(a, b):
    return f"{a / b:.2f}" if b else "-"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rec", required=True)
    ap.add_argument("--python", default="")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("data", nargs="+")
    a = ap.parse_args()
    cpus = ",".join(str(c) for c in sorted(os.sched_getaffinity(0))[:a.threads])
    pin = ["taskset", "-c", cpus]
    env = dict(os.environ, REC_NO_PROGRESS="1")
    summary = []
    for path in a.data:
        rows = sum(1 for _ in open(path, "rb"))
        print(f"\n== {os.path.basename(path)}: {rows:,} rows, {os.path.getsize(path) / 2**20:.0f} MiB; "
              f"{a.threads} thread(s) on CPUs {cpus}; load average {os.getloadavg()[0]:.2f}", flush=True)
        print(" rec:", flush=True)
        ours = run(pin + [a.rec, os.path.join(HERE, "scale.rec"), path], env)
        theirs = None
        if a.python:
            print(" pandas + implicit:", flush=True)
            theirs = run(pin + [a.python, os.path.join(HERE, "scale_peer.py"), path, str(a.threads)], env)
        if ours is None:
            continue
        print(f"\n{'stage':<12}{'rec s':>9}{'rec MiB':>9}", end="")
        print(f"{'peer s':>9}{'peer MiB':>9}{'time':>7}{'memory':>8}" if theirs else "")
        for s in STAGES:
            (t, m) = ours[0][s]
            print(f"{s:<12}{t:>9.2f}{m:>9.0f}", end="")
            if theirs:
                (pt, pm) = theirs[0][s]
                print(f"{pt:>9.2f}{pm:>9.0f}{fmt_ratio(t, pt):>7}{fmt_ratio(m, pm):>8}")
            else:
                print()
        total = sum(ours[0][s][0] for s in STAGES)
        print(f"{'total':<12}{total:>9.2f}{ours[1]:>9.0f}", end="")
        if theirs:
            ptotal = sum(theirs[0][s][0] for s in STAGES)
            print(f"{ptotal:>9.2f}{theirs[1]:>9.0f}{fmt_ratio(total, ptotal):>7}{fmt_ratio(ours[1], theirs[1]):>8}")
            ok_t, ok_m = total <= 0.5 * ptotal, ours[1] <= 0.5 * theirs[1]
            print(f"bars (≤ 0.5×): time {'met' if ok_t else 'NOT met'}, peak memory {'met' if ok_m else 'NOT met'}; "
                  f"process wall time rec {ours[2]:.2f} s, peer {theirs[2]:.2f} s (with interpreter start-up and imports)")
        else:
            print("\n(peer not run: no --python with pandas and implicit)")
        print("(MiB per stage: the process's peak resident set when this script read that stage's line, so possibly a\n"
              " little into the next stage; total: the whole run's peak, from wait4)")
        summary.append((rows, total, ours[1], (ptotal, theirs[1]) if theirs else None))
    if len(summary) > 1:
        print("\n== growth (relative to the smallest size)")
        r0, t0, m0, p0 = summary[0]
        print(f"{'rows':>12}{'×rows':>7}{'rec ×time':>10}{'rec ×MiB':>9}" + (f"{'peer ×time':>11}{'peer ×MiB':>10}" if p0 else ""))
        for r, t, m, p in summary:
            print(f"{r:>12,}{r / r0:>7.1f}{t / t0:>10.1f}{m / m0:>9.1f}", end="")
            print(f"{p[0] / p0[0]:>11.1f}{p[1] / p0[1]:>10.1f}" if p and p0 else "")


if __name__ == "__main__":
    main()
