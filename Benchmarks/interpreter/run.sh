#!/usr/bin/env bash
# Interpreter speed against CPython on the same machine, in the same run: fib(30), a
# 10^7-iteration arithmetic while loop, SGD matrix factorization and item kNN written by hand
# over MovieLens-100K u1.base (skipped when ../shared/data/ml-100k is absent), then start-up time.
# Prints medians of N runs and ratios (Rec time / Python time: below 1 means Rec is faster).
# Usage: Benchmarks/interpreter/run.sh [N] [benchmark names…]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
shift || true
swift build -c release --product rec >/dev/null
rec=.build/release/rec
dir=Benchmarks/interpreter
python3 --version
python3 "$dir/compare.py" "$rec" "$runs" "$@"
python3 "$dir/startup.py" "$rec" 20
