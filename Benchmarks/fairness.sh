#!/usr/bin/env bash
# Issue 11's figures: is the gender NDCG gap real (interval, p-value), what each re-ranker buys
# and what it costs in NDCG@10, and the time of tradeoff — on the synthetic shop and on
# MovieLens-100K u1 (skipped when ../shared/data/ml-100k is absent). Release build.
#
#   Benchmarks/fairness.sh [--data DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/ml-100k
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
swift build -c release --product rec >/dev/null
REC_NO_PROGRESS=1 .build/release/rec Benchmarks/fairness/fairness.rec synthetic
if [ -f "$data/u1.base" ]; then
  REC_NO_PROGRESS=1 .build/release/rec Benchmarks/fairness/fairness.rec "$data"
else
  echo "MovieLens-100K not found at $data: skipped"
fi
