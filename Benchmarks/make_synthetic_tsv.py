#!/usr/bin/env python3
"""Write a deterministic synthetic ratings TSV (user, item, rating, timestamp; no header).

    make_synthetic_tsv.py OUT [--rows 7500000] [--users 150000] [--items 60000] [--seed 42]

Same seed and arguments -> byte-identical file (Python's random.Random is a seeded Mersenne
Twister with a documented, stable algorithm). User activity and item popularity are Zipf-like
(weights 1/rank^s, ranks assigned through a seeded permutation so that popular items are spread
over the ID range), ratings skew positive like MovieLens, timestamps cover about two years in
roughly increasing order.
"""
import argparse
import itertools
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=7_500_000)
    ap.add_argument("--users", type=int, default=150_000)
    ap.add_argument("--items", type=int, default=60_000)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()

    rng = random.Random(a.seed)
    user_ids = list(range(1, a.users + 1))
    item_ids = list(range(1, a.items + 1))
    rng.shuffle(user_ids)
    rng.shuffle(item_ids)
    user_cum = list(itertools.accumulate(1.0 / (r + 1) ** 0.6 for r in range(a.users)))
    item_cum = list(itertools.accumulate(1.0 / (r + 1) ** 0.9 for r in range(a.items)))
    ratings = ["1", "2", "3", "4", "5", "3.5", "4.5"]
    rating_cum = list(itertools.accumulate([0.06, 0.11, 0.27, 0.34, 0.17, 0.03, 0.02]))
    t0, span = 1_500_000_000, 2 * 365 * 86400

    batch = 500_000
    with open(a.out, "w", newline="\n") as f:
        done = 0
        while done < a.rows:
            k = min(batch, a.rows - done)
            us = rng.choices(user_ids, cum_weights=user_cum, k=k)
            its = rng.choices(item_ids, cum_weights=item_cum, k=k)
            rs = rng.choices(ratings, cum_weights=rating_cum, k=k)
            base = t0 + span * done // a.rows
            step = span // a.rows + 1
            lines = [f"{u}\t{i}\t{r}\t{base + j * step + rng.randrange(3600)}\n"
                     for j, (u, i, r) in enumerate(zip(us, its, rs))]
            f.write("".join(lines))
            done += k


if __name__ == "__main__":
    main()
