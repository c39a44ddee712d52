"""The peer of Benchmarks/knn_selection.sh: LensKit's ItemKNN (k neighbours, implicit feedback) on
the training and test sets our script wrote, and NDCG@10 by docs/metrics.md for LensKit's lists and
for ours (re-scored from the lists we wrote).

    lenskit_knn.py DIR K SPLIT...

For each split prints `split<TAB>system<TAB>ndcg<TAB>fit seconds<TAB>users<TAB>cold users` with
system "LensKit" and, for each of our selections, "<selection>" (every list as written: what
evaluate scores) and "<selection> scored" (only the items with a positive score, that is with a
neighbour among the user's items; LensKit's lists hold only those); then, for LensKit and our
scored lists, `split<TAB>system<TAB>ndcg<TAB>history<TAB>users` lines with the users grouped by
how many training items they have (HISTORY buckets).

One definition for all: the users are those with a test interaction (every test interaction is
relevant, items training never saw included); the candidates are the items training has that the
user's training rows lack; DCG over the first 10 of the list, IDCG over min(10, relevant).
"""
import os, sys, time, warnings
import numpy as np
import pandas as pd

directory, k, splits = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
discount = 1 / np.log2(np.arange(2, 12))


# Users grouped by the number of their training items.
HISTORY = [(1, 20), (20, 40), (40, 80), (80, 160), (160, None)]


def per_user(lists, relevant):
    out = {}
    for u, rel in relevant.items():
        dcg = sum(discount[r] for r, i in enumerate(lists.get(u, [])[:10]) if i in rel)
        out[u] = dcg / discount[: min(10, len(rel))].sum()
    return out


def ndcg(lists, relevant):
    return sum(per_user(lists, relevant).values()) / len(relevant)


def by_history(split, system, lists, relevant, history):
    values = per_user(lists, relevant)
    for lo, hi in HISTORY:
        group = [v for u, v in values.items() if history.get(u, 0) >= lo and (hi is None or history.get(u, 0) < hi)]
        label = f"{lo}-{hi - 1}" if hi else f"{lo}+"
        if group:
            print(f"{split}\t{system}\t{sum(group) / len(group):.4f}\t{label}\t{len(group)}", flush=True)


def read(name):
    return pd.read_csv(os.path.join(directory, name), sep="\t", dtype={"user": str, "item": str})


try:
    from lenskit.data import from_interactions_df
    from lenskit.knn import ItemKNNScorer
    from lenskit import topn_pipeline
    from lenskit.batch import recommend
    import lenskit
    print(f"# LensKit {lenskit.__version__}", flush=True)
except ImportError as e:
    print(f"# lenskit not installed ({e})", flush=True)
    recommend = None

for split in splits:
    train, test = read(f"{split}.train.tsv"), read(f"{split}.test.tsv")
    relevant = {u: set(g) for u, g in test.groupby("user")["item"]}
    history = train.groupby("user").size().to_dict()
    cold = sum(1 for u in relevant if u not in history)
    n = len(relevant)
    grouped = []
    for sel in ("symmetric", "item", "user"):
        path = os.path.join(directory, f"{split}.{sel}.tsv")
        if not os.path.exists(path):
            continue
        recs = read(f"{split}.{sel}.tsv").sort_values(["user", "rank"])
        every = {u: list(g["item"]) for u, g in recs.groupby("user")}
        scored = {u: list(g.loc[g["score"] > 0, "item"]) for u, g in recs.groupby("user")}
        print(f"{split}\t{sel}\t{ndcg(every, relevant):.4f}\t\t{n}\t{cold}", flush=True)
        print(f"{split}\t{sel} scored\t{ndcg(scored, relevant):.4f}\t\t{n}\t{cold}", flush=True)
        grouped.append((sel, scored))
    if recommend is None:
        for system, lists in grouped:
            by_history(split, system, lists, relevant, history)
        continue
    # IDs stay strings on both sides; LensKit sees no rating column, so every interaction is a 1.
    data = from_interactions_df(pd.DataFrame({"user_id": train["user"], "item_id": train["item"]}))
    pipe = topn_pipeline(ItemKNNScorer(max_nbrs=k, feedback="implicit"), n=10)
    t = time.time()
    pipe.train(data)
    fit = time.time() - t
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # a user training never saw has no history: an empty list
        recs = recommend(pipe, list(relevant), n=10, n_jobs=1)
    lists = {key.user_id: [str(i) for i in il.ids()] for key, il in recs}
    print(f"{split}\tLensKit\t{ndcg(lists, relevant):.4f}\t{fit:.3f}\t{n}\t{cold}", flush=True)
    for system, l in grouped + [("LensKit", lists)]:
        by_history(split, system, l, relevant, history)
