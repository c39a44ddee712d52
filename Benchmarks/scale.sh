#!/usr/bin/env bash
# Issue 13's scale bar: load, implicit ALS (64 factors, 5 iterations) and top-10 for every user on
# synthetic long-tailed logs of 1 M, 7.5 M and 25 M interactions (the last MovieLens-25M-sized:
# 160 000 users × 60 000 items), ours (release build of rec running Benchmarks/scale/scale.rec)
# against pandas + implicit (Benchmarks/scale/scale_peer.py) on the same file in the same run.
# Prints per size a table of seconds and peak MiB per stage with the ratios ours/peer, then how
# time and memory grow with the size; ours alone when the peer is not given or lacks a package.
#
#   Benchmarks/scale.sh [--python PY] [--sizes 1000000,7500000,25000000] [--threads N] [--dir DIR]
#
# Every size has the same catalogue of 60 000 items and 160 000 × rows / 25 M users (6 400 for
# 1 M, 48 000 for 7.5 M), so each user has about 156 interactions at every size, as in a user
# sample of one service. Data files (Benchmarks/make_synthetic_tsv.py, deterministic) go to DIR,
# default ${TMPDIR:-/tmp}/rec-bench, and are reused. Both sides read the user and item columns
# only and count a repeated pair once. Both are pinned with taskset to the same N CPUs (default:
# all); rec uses them through Dispatch, implicit through num_threads=N with BLAS at 1 thread.
# Peak memory is the process's resident high-water mark (see scale/measure.py).
set -euo pipefail
cd "$(dirname "$0")/.."
py=""
sizes=1000000,7500000,25000000
threads=$(nproc)
dir="${TMPDIR:-/tmp}/rec-bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --python) py=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
mkdir -p "$dir"
files=()
for n in ${sizes//,/ }; do
  users=$(( (160000 * n + 12500000) / 25000000 ))
  f="$dir/scale-$n.tsv"
  if [ ! -s "$f" ]; then
    echo "== writing $f ($n rows, $users users, 60000 items)"
    python3 Benchmarks/make_synthetic_tsv.py "$f.part" --rows "$n" --users "$users" --items 60000
    mv "$f.part" "$f"
  fi
  files+=("$f")
done
echo "== building rec (release)"
swift build -c release --product rec 2>&1 | tail -1
peer=()
if [ -n "$py" ]; then
  if "$py" -c "import pandas, implicit, scipy, threadpoolctl" 2>/dev/null; then peer=(--python "$py")
  else echo "== $py lacks pandas, implicit, scipy or threadpoolctl: ours alone"; fi
fi
echo "== $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -r)"
python3 Benchmarks/scale/measure.py --rec .build/release/rec --threads "$threads" "${peer[@]}" "${files[@]}"
