#!/usr/bin/env bash
# Instruction counts of the interpreter benchmarks under valgrind's callgrind: repeatable whatever
# the load on the machine, unlike times. Smaller sizes than run.sh (valgrind is ~50× slower):
# fib(25), a 10^6-iteration loop, SGD for 1 epoch, kNN for 10 items. The binary's debug info is
# stripped first: valgrind 3.19 cannot read the DWARF 5 that Swift emits.
# Usage: Benchmarks/interpreter/callgrind.sh [REC_BINARY] [benchmark names…]
# Profiles are kept in the temporary directory printed at the end (callgrind_annotate FILE).
set -euo pipefail
cd "$(dirname "$0")/../.."
rec=${1:-.build/release/rec}
shift || true
[ "$rec" = .build/release/rec ] && swift build -c release --product rec >/dev/null
dir=Benchmarks/interpreter
out=$(mktemp -d)
objcopy --strip-debug "$rec" "$out/rec"
sed 's/fib(30)/fib(25)/' $dir/fib.rec > "$out/fib.rec"
sed 's/10000000/1000000/' $dir/loop.rec > "$out/loop.rec"
sed 's/ratings, 10, 3, 0.01/ratings, 10, 1, 0.01/' $dir/sgd.rec > "$out/sgd.rec"
sed 's/for target in 1...100/for target in 1...10/' $dir/knn.rec > "$out/knn.rec"
for p in ${@:-fib loop sgd knn}; do
  valgrind --tool=callgrind --callgrind-out-file="$out/$p.callgrind" "$out/rec" run "$out/$p.rec" >"$out/$p.stdout" 2>"$out/$p.stderr"
  printf '%-5s %15s instructions   %s\n' "$p" "$(grep -o 'Collected : [0-9]*' "$out/$p.stderr" | grep -o '[0-9]*$')" "$(tail -1 "$out/$p.stdout" | cut -d' ' -f1,2)"
done
echo "profiles in $out"
