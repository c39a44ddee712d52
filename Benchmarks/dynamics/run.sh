#!/usr/bin/env bash
# Issue 12's figures: update(als) with 1 % new events against a full refit (implicit ALS, 64
# factors, 5 iterations) on the synthetic ratings TSV (Benchmarks/make_synthetic_tsv.py), and
# replay NDCG@10 frozen / incremental / full on the drifting synthetic shop. Release build.
#
#   Benchmarks/dynamics/run.sh [--rows N] [--users U] [--replay-only]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=7500000
users=20000
part=all
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --users) users=$2; shift 2 ;;
    --replay-only) part=replay; shift ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
data="${TMPDIR:-/tmp}/rec-bench/synthetic-$rows.tsv"
if [ "$part" = all ] && [ ! -s "$data" ]; then
  mkdir -p "$(dirname "$data")"
  echo "== writing $data"
  python3 Benchmarks/make_synthetic_tsv.py "$data" --rows "$rows" --users $((rows / 50)) --items $((rows / 125))
fi
swift build -c release --product rec >/dev/null
REC_NO_PROGRESS=1 .build/release/rec Benchmarks/dynamics/dynamics.rec "$data" "$users" "$part"
