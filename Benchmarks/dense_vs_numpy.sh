#!/usr/bin/env bash
# Issue 13's dense-algebra bar: EASE(500)'s fit on MovieLens-100K u1.base against the same steps
# in NumPy (XᵀX + λI, its inverse, B), same machine, same run, release build; best of --runs fits
# on each side, NumPy with OpenBLAS on 1 and on 2 threads. Prints both times and the ratios; ours
# alone when NumPy is missing.
#
#   Benchmarks/dense_vs_numpy.sh [--data DIR] [--python PY] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/ml-100k
py=python3
runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --python) py=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
[ -f "$data/u1.base" ] || { echo "MovieLens-100K not found at $data" >&2; exit 1; }
swift build -c release --product rec >/dev/null
ours=$(REC_NO_PROGRESS=1 .build/release/rec Benchmarks/dense/ease_rec.rec "$data" "$runs")
theirs=""
if "$py" -c 'import numpy' 2>/dev/null; then
  for t in 1 2; do
    theirs+=$(OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t "$py" Benchmarks/dense/ease_numpy.py "$data" "$runs")$'\n'
  done
fi
printf '%-40s %-8s %8s %9s %s\n' "" metric value "fit s" "ours / this"
IFS=$'\t' read -r name metric value secs <<<"$ours"
printf '%-40s %-8s %8s %9s\n' "$name" "$metric" "$value" "$secs"
ourSecs=$secs
if [ -z "$theirs" ]; then echo "(numpy not installed for $py: ours alone)"; exit 0; fi
while IFS=$'\t' read -r name metric value secs; do
  [ -n "$name" ] || continue
  printf '%-40s %-8s %8s %9s %11.2f\n' "$name" "$metric" "$value" "$secs" "$(awk -v a="$ourSecs" -v b="$secs" 'BEGIN { print a / b }')"
done <<<"$theirs"
