#!/usr/bin/env bash
# Issue 4's quality and speed bars: our models against scikit-surprise, implicit and LensKit on
# MovieLens-100K u1.base -> u1.test, same machine, same run, release build. Prints every figure
# side by side with the ratio (ours / peer) where a peer exists; only ours when the peers are
# not installed (install them in a venv outside the project and pass its python with --python).
#
#   Benchmarks/models_vs_peers.sh [--data DIR] [--python PY] [--only popularity,ease,...]
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/ml-100k
py=python3
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --python) py=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
[ -f "$data/u1.base" ] || { echo "MovieLens-100K not found at $data" >&2; exit 1; }
swift build -c release --product rec >/dev/null
ours=$(REC_NO_PROGRESS=1 .build/release/rec Benchmarks/models/rec_models.rec "$data" "$only")
theirs=$(OPENBLAS_NUM_THREADS=1 "$py" Benchmarks/models/peers.py "$data" "$only" 2>/dev/null || true)
"$py" - "$ours" "$theirs" <<'PY'
import sys
ours = [l.split("\t") for l in sys.argv[1].splitlines() if l and not l.startswith("#")]
theirs = [l.split("\t") for l in sys.argv[2].splitlines() if l and not l.startswith("#")]
notes = [l for l in sys.argv[2].splitlines() if l.startswith("#")]
# Which peer row each of ours is compared with.
pairs = {"popularity": "popularity", "EASE": "EASE", "ALS": "implicit ALS", "ItemKNN": "ItemKNN", "UserKNN": "UserKNN",
         "biased_mf": "Surprise SVD", "svdpp": "Surprise SVD++", "pearson": "KNNBaseline"}
print(f"{'ours':36} {'metric':14} {'value':>8} {'fit s':>8} | {'peer':30} {'value':>8} {'fit s':>8} | {'time ratio':>10}")
for name, metric, value, secs in ours:
    key = next((v for k, v in pairs.items() if k in name), None)
    # A [tag] names the settings; a tagged row pairs with the peer row of the same tag.
    tag = name[name.index("["):] if "[" in name else None
    peer = next((t for t in theirs if key and key in t[0] and t[1] == metric
                 and (tag is None or t[0].endswith(tag))), None)
    if peer:
        ratio = float(secs) / float(peer[3]) if float(peer[3]) > 0 else float("nan")
        print(f"{name:36} {metric:14} {value:>8} {secs:>8} | {peer[0]:30} {peer[2]:>8} {peer[3]:>8} | {ratio:>10.2f}")
    else:
        print(f"{name:36} {metric:14} {value:>8} {secs:>8} | {'(no peer installed)':30}")
for n in notes:
    print(n)
PY
