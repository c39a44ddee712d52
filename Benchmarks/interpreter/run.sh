#!/usr/bin/env bash
# Interpreter speed against CPython on the same machine, in the same run: fib(30) and a
# 10^7-iteration arithmetic while loop, best of N runs each. Prints times and ratios
# (Rec time / Python time: below 1 means Rec is faster). Usage: Benchmarks/interpreter/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
swift build -c release --product rec >/dev/null
rec=.build/release/rec
dir=Benchmarks/interpreter
best() { sort -g | head -1; }
measure_rec() { for _ in $(seq "$runs"); do "$rec" run "$dir/$1.rec" | awk '{print $NF}'; done | best; }
measure_py() { for _ in $(seq "$runs"); do python3 "$dir/$1.py"; done | best; }
printf '%-8s %10s %10s %8s\n' bench rec_s python_s ratio
for b in fib loop; do
  r=$(measure_rec "$b"); p=$(measure_py "$b")
  printf '%-8s %10.4f %10.4f %8.2f\n' "$b" "$r" "$p" "$(echo "$r / $p" | bc -l)"
done
python3 "$dir/startup.py" "$rec" 20
python3 --version
