#!/usr/bin/env bash
# Issue 13's neural bar: `ncf` with its defaults on MovieLens-100K u1 against the same NeuMF in
# PyTorch on CPU (SparseAdam for the embeddings; 1 thread, and 2), four seeds each, same machine,
# same run, release build. Prints fit seconds and NDCG@10 per seed, the means and the ratio of the
# mean fit times (ours / torch's); ours alone when torch is missing.
#
#   Benchmarks/ncf_vs_torch.sh [--data DIR] [--python PY] [--seeds 1,2,3,4]
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/ml-100k
py=python3
seeds=1,2,3,4
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --python) py=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
[ -f "$data/u1.base" ] || { echo "MovieLens-100K not found at $data" >&2; exit 1; }
swift build -c release --product rec >/dev/null
rows=$(REC_NO_PROGRESS=1 .build/release/rec Benchmarks/neural/ncf_rec.rec "$data" "$seeds")
if "$py" -c 'import torch' 2>/dev/null; then
  for t in 1 2; do
    rows+=$'\n'$("$py" Benchmarks/neural/ncf_torch.py "$data" "$seeds" "$t")
  done
else
  rows+=$'\n'"# torch is not installed for $py: ours alone"
fi
awk -F'\t' '
  /^#/ { notes = notes $0 "\n"; next }
  { printf "%-24s seed %-4s ndcg@10 %s  fit %8.3f s\n", $1, $2, $3, $4
    if (!($1 in n)) order[++k] = $1
    n[$1]++; fit[$1] += $4; q[$1] += $3 }
  END {
    print ""
    for (j = 1; j <= k; j++) {
      name = order[j]
      line = sprintf("%-24s mean ndcg@10 %.4f  mean fit %8.3f s", name, q[name] / n[name], fit[name] / n[name])
      if (j > 1) line = line sprintf("  ours / this %.3f  ndcg diff %+.4f", (fit[order[1]] / n[order[1]]) / (fit[name] / n[name]),
                                     q[order[1]] / n[order[1]] - q[name] / n[name])
      print line
    }
    printf "%s", notes
  }' <<<"$rows"
