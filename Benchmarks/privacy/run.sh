#!/bin/sh
# Privacy–accuracy figures for issue 12 (release build): DP popularity at ε = 1 against the exact
# chart on synthetic(users: 1500, items: 400, seed: 42), and the curves over ε for dp_popularity
# and dp_mf (the latter on MovieLens-100K in ../shared/data/ml-100k, as models_vs_peers.sh).
set -e
cd "$(dirname "$0")/../.."
swift build -c release --product rec >/dev/null
.build/release/rec Benchmarks/privacy/privacy.rec
