#!/usr/bin/env bash
# Issue 4's scale bar: implicit ALS with 64 factors and 5 iterations on the 7.5M-row synthetic
# TSV (Benchmarks/make_synthetic_tsv.py), ours against the implicit library in the same run,
# release build. Prints both fit times and the ratio; ours alone when implicit is not installed.
#
#   Benchmarks/als_scale.sh [--data PATH] [--python PY]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${TMPDIR:-/tmp}/rec-bench/synthetic-7500000.tsv"
py=python3
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --python) py=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
if [ ! -s "$data" ]; then
  mkdir -p "$(dirname "$data")"
  echo "== writing $data"
  python3 Benchmarks/make_synthetic_tsv.py "$data"
fi
swift build -c release --product rec >/dev/null
ours=$(REC_NO_PROGRESS=1 .build/release/rec Benchmarks/models/als_scale.rec "$data")
theirs=$("$py" Benchmarks/models/als_scale_peer.py "$data" 2>/dev/null || echo "# implicit not installed")
echo "$ours"
echo "$theirs"
"$py" - "$ours" "$theirs" <<'PY'
import sys
ours = dict(l.split("\t") for l in sys.argv[1].splitlines() if "\t" in l and not l.startswith("#"))
theirs = dict(l.split("\t") for l in sys.argv[2].splitlines() if "\t" in l and not l.startswith("#"))
for c in ("1", "2"):
    o = ours.get(f"rec ALS(64, 0.05, 5) c={c}")
    p = theirs.get(f"implicit ALS(64, 0.05, 5) c={c}")
    if o and p:
        print(f"c={c}: rec {o} s, implicit {p} s, ratio {float(o) / float(p):.2f}")
PY
