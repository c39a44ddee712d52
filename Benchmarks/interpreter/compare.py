"""Runs each benchmark program with rec and with python3, alternating, N times; checks that both
print the same result and prints the medians and the ratio rec / python (below 1: Rec is faster).
Two figures per program: `run` is the time the program measures itself around its work (wall
clock, what the bars in the issue are about), `cpu` is the user + system time of the whole
process (start-up and loading included), which other load on the machine disturbs less.
Programs that read MovieLens-100K are skipped when ../shared/data/ml-100k/u1.base is absent.
Usage (from the checkout): python3 Benchmarks/interpreter/compare.py path/to/rec [N] [names…]"""
import os, resource, statistics, subprocess, sys

rec = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 5
names = sys.argv[3:] or ["fib", "loop", "sgd", "knn"]
here = os.path.dirname(os.path.abspath(__file__))
movielens = "../shared/data/ml-100k/u1.base"
needs_data = {"sgd", "knn"}

def run(cmd):
    """(result, seconds the program measured, cpu seconds of the process)"""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    _, result, seconds = out.stdout.split("\n")[-2].split()
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return result, float(seconds), cpu

print(f"{'bench':6s} {'rec run':>9s} {'py run':>9s} {'ratio':>6s}   {'rec cpu':>9s} {'py cpu':>9s} {'ratio':>6s}   result")
for name in names:
    if name in needs_data and not os.path.exists(movielens):
        print(f"{name:6s} skipped: {movielens} not found (run from the checkout)")
        continue
    recs, pys = [], []
    for _ in range(n):
        recs.append(run([rec, "run", os.path.join(here, name + ".rec")]))
        pys.append(run(["python3", os.path.join(here, name + ".py")]))
    results = {r[0] for r in recs} | {p[0] for p in pys}
    if len(results) != 1:
        raise SystemExit(f"{name}: rec and python disagree: {sorted(results)}")
    rr, pr = statistics.median(r[1] for r in recs), statistics.median(p[1] for p in pys)
    rc, pc = statistics.median(r[2] for r in recs), statistics.median(p[2] for p in pys)
    print(f"{name:6s} {rr:8.3f}s {pr:8.3f}s {rr / pr:6.2f}   {rc:8.3f}s {pc:8.3f}s {rc / pc:6.2f}   {results.pop()}")
