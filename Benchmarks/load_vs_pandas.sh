#!/usr/bin/env bash
# Loading speed and memory: RecCore's delimited loader vs pandas.read_csv on the same TSV.
#
#   Benchmarks/load_vs_pandas.sh [--rows N] [--runs K] [--data PATH]
#
# 1. Writes a deterministic synthetic TSV (user, item, rating, timestamp; 7.5M rows by default)
#    with Benchmarks/make_synthetic_tsv.py, unless it already exists.
# 2. Builds the LoadBench executable in release mode: from this package when it has a LoadBench
#    product, otherwise from the RecCore sandbox package ($REC_BENCH_PACKAGE, default
#    /work/sandbox-core; Benchmarks/LoadBench/main.swift is its source).
# 3. Makes sure pandas is importable, installing it into a venv outside the project
#    ($PANDAS_VENV, default /tmp/venv) if needed; pandas is skipped cleanly if that fails.
# 4. Runs each loader K times, alternating, and reports the median load time (measured inside
#    each process, from the call to the loaded table) and the median peak RSS of the whole
#    process (/usr/bin/time's maximum resident set size), plus the ratios.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS=7500000
RUNS=3
DATA=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --data) DATA="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
DATA="${DATA:-${TMPDIR:-/tmp}/rec-bench/synthetic-${ROWS}.tsv}"
mkdir -p "$(dirname "$DATA")"

if [ ! -s "$DATA" ]; then
    echo "== writing $DATA ($ROWS rows)"
    python3 "$ROOT/Benchmarks/make_synthetic_tsv.py" "$DATA" --rows "$ROWS"
fi
echo "== data: $DATA ($(du -h "$DATA" | cut -f1), $(wc -l < "$DATA") lines)"

if grep -q '"LoadBench"' "$ROOT/Package.swift" 2>/dev/null; then PKG="$ROOT"; else PKG="${REC_BENCH_PACKAGE:-/work/sandbox-core}"; fi
echo "== building LoadBench (release) in $PKG"
(cd "$PKG" && swift build -c release --product LoadBench 2>&1 | tail -1)
BIN="$PKG/.build/release/LoadBench"

VENV="${PANDAS_VENV:-/tmp/venv}"
PY=""
if python3 -c "import pandas" 2>/dev/null; then PY="python3"
elif [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import pandas" 2>/dev/null; then PY="$VENV/bin/python"
else
    echo "== installing pandas into $VENV"
    if python3 -m venv "$VENV" >/dev/null 2>&1 && "$VENV/bin/pip" install -q pandas >/dev/null 2>&1; then PY="$VENV/bin/python"
    else echo "== pandas unavailable: skipping the pandas side"; fi
fi

TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=""

# Runs a command, prints "<load seconds> <peak rss kB>".
run() {
    local out rss secs
    if [ -n "$TIME" ]; then
        out="$("$TIME" -f "PEAK_RSS_KB=%M" "$@" 2>&1)"
        rss="$(sed -n 's/.*PEAK_RSS_KB=\([0-9]*\).*/\1/p' <<<"$out" | tail -1)"
    else
        out="$("$@" 2>&1)"
        rss="$(sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p' <<<"$out" | tail -1)"
    fi
    secs="$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out" | tail -1)"
    if [ -z "$secs" ]; then echo "run failed: $*" >&2; echo "$out" >&2; exit 1; fi
    echo "$secs $rss"
}

PANDAS_CODE='
import sys, time
import pandas as pd
t = time.perf_counter()
df = pd.read_csv(sys.argv[1], sep="\t", header=None, names=["user", "item", "rating", "timestamp"])
print(f"pandas_load rows={len(df)} seconds={time.perf_counter() - t:.3f}")
'

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

rec_t=(); rec_m=(); pd_t=(); pd_m=()
for i in $(seq "$RUNS"); do
    read -r t m < <(run "$BIN" "$DATA" --sep TAB --columns user,item,rating,timestamp)
    rec_t+=("$t"); rec_m+=("$m")
    echo "   run $i: rec    ${t}s  peak ${m} kB"
    if [ -n "$PY" ]; then
        read -r t m < <(run "$PY" -c "$PANDAS_CODE" "$DATA")
        pd_t+=("$t"); pd_m+=("$m")
        echo "   run $i: pandas ${t}s  peak ${m} kB"
    fi
done

RT="$(printf '%s\n' "${rec_t[@]}" | median)"; RM="$(printf '%s\n' "${rec_m[@]}" | median)"
echo
echo "== results (median of $RUNS runs, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf "rec (RecCore DelimitedReader): %8.3f s   peak RSS %8.1f MB\n" "$RT" "$(awk "BEGIN{print $RM/1024}")"
if [ -n "$PY" ]; then
    PT="$(printf '%s\n' "${pd_t[@]}" | median)"; PM="$(printf '%s\n' "${pd_m[@]}" | median)"
    printf "pandas %-22s %8.3f s   peak RSS %8.1f MB\n" "$("$PY" -c 'import pandas; print(pandas.__version__)'):" "$PT" "$(awk "BEGIN{print $PM/1024}")"
    awk "BEGIN{printf \"time ratio rec/pandas: %.2f (rec is %.2fx as fast)\n\", $RT/$PT, $PT/$RT;
               printf \"peak RSS ratio rec/pandas: %.2f\n\", $RM/$PM}"
    awk "BEGIN{exit !($RT <= $PT && $RM < $PM)}" && echo "PASS: rec loads at least as fast as pandas with less peak memory" \
        || echo "FAIL: rec is slower than pandas or uses more peak memory"
else
    echo "pandas: skipped (not installed)"
fi
