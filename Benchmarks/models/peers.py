"""The peers of issue 4 on MovieLens-100K u1.base -> u1.test, with the metric definitions of
docs/metrics.md, printed as `name<TAB>metric<TAB>value<TAB>seconds` lines.

Peers (each skipped with a note when not installed): scikit-surprise (SVD, SVD++, KNNBaseline),
implicit (ALS), LensKit 2025 (ItemKNN, UserKNN), and popularity and EASE in NumPy (no library
ships them under these definitions). Run by Benchmarks/models_vs_peers.sh.
"""
import os, sys, time
import numpy as np

data = sys.argv[1]
k = 10
only = set(sys.argv[2].split(",")) if len(sys.argv) > 2 and sys.argv[2] else None


def read(name):
    rows = np.loadtxt(os.path.join(data, name), dtype=np.int64)
    return rows[:, 0], rows[:, 1], rows[:, 2].astype(np.float64)


tu, ti, tr = read("u1.base")
su, si, sr = read("u1.test")
users = np.unique(np.concatenate([tu, su]))
items = np.unique(np.concatenate([ti, si]))
uidx = {u: j for j, u in enumerate(users)}
iidx = {i: j for j, i in enumerate(items)}
nu, ni = len(users), len(items)
train_sets = [set() for _ in range(nu)]
for u, i in zip(tu, ti):
    train_sets[uidx[u]].add(iidx[i])
test_sets = [set() for _ in range(nu)]
for u, i in zip(su, si):
    test_sets[uidx[u]].add(iidx[i])
evaluated = [u for u in range(nu) if test_sets[u]]
discount = 1 / np.log2(np.arange(2, k + 2))


def ndcg(topk):
    """topk: dict user index -> list of item indices (training items already excluded)."""
    total = 0.0
    for u in evaluated:
        rec = topk.get(u, [])[:k]
        dcg = sum(discount[r] for r, i in enumerate(rec) if i in test_sets[u])
        idcg = discount[: min(k, len(test_sets[u]))].sum()
        total += dcg / idcg
    return total / len(evaluated)


def top_from_scores(score_fn):
    out = {}
    for u in evaluated:
        s = np.array(score_fn(u), dtype=np.float64)
        if train_sets[u]:
            s[list(train_sets[u])] = -np.inf
        order = np.lexsort((np.arange(ni), -s))[:k]
        out[u] = [int(i) for i in order if np.isfinite(s[i])]
    return out


def emit(name, metric, value, seconds):
    print(f"{name}\t{metric}\t{value:.4f}\t{seconds:.3f}", flush=True)


def want(name):
    return only is None or name in only


X = np.zeros((nu, ni))
for u, i in zip(tu, ti):
    X[uidx[u], iidx[i]] = 1.0

if want("popularity"):
    t = time.time()
    pop = X.sum(axis=0)
    emit("numpy popularity", "ndcg@10", ndcg(top_from_scores(lambda u: pop)), time.time() - t)

if want("ease"):
    t = time.time()
    G = X.T @ X + 500 * np.eye(ni)
    P = np.linalg.inv(G)
    B = -P / np.diag(P)
    np.fill_diagonal(B, 0)
    S = X @ B
    fit = time.time() - t
    emit("numpy EASE(500)", "ndcg@10", ndcg(top_from_scores(lambda u: S[u])), fit)

try:
    import surprise
    if want("svd") or want("svdpp") or want("knnbaseline"):
        reader = surprise.Reader(line_format="user item rating timestamp", sep="\t")
        ds = surprise.Dataset.load_from_folds([(os.path.join(data, "u1.base"), os.path.join(data, "u1.test"))], reader)
        trainset, testset = next(surprise.model_selection.PredefinedKFold().split(ds))
        algos = []
        if want("svd"):
            algos.append(("Surprise SVD [defaults 100,20,0.005,0.02]", surprise.SVD(random_state=0)))
            algos.append(("Surprise SVD [50,40,0.01,0.1]", surprise.SVD(n_factors=50, n_epochs=40, lr_all=0.01, reg_all=0.1, random_state=0)))
        if want("svdpp"):
            algos.append(("Surprise SVD++ [defaults 20,0.007,0.02]", surprise.SVDpp(random_state=0)))
            algos.append(("Surprise SVD++ [40,0.01,0.1]", surprise.SVDpp(n_epochs=40, lr_all=0.01, reg_all=0.1, random_state=0)))
        if want("knnbaseline"):
            algos.append(("Surprise KNNBaseline", surprise.KNNBaseline(sim_options={"name": "pearson_baseline", "user_based": False}, verbose=False)))
        for name, algo in algos:
            t = time.time()
            algo.fit(trainset)
            fit = time.time() - t
            preds = algo.test(testset)
            emit(name, "rmse", surprise.accuracy.rmse(preds, verbose=False), fit)
except ImportError:
    print("# scikit-surprise not installed", flush=True)

try:
    import implicit, scipy.sparse as sp
    if want("als"):
        from threadpoolctl import threadpool_limits
        Xs = sp.csr_matrix(X.astype(np.float32))
        # implicit's confidence is alpha * value: on this 0/1 matrix alpha 1 gives c = 1 and
        # alpha 2 gives c = 2, which are Hu et al.'s c = 1 + alpha r with our alpha 0 and 1.
        for a in (1.0, 2.0):
            model = implicit.als.AlternatingLeastSquares(factors=64, regularization=0.05, iterations=15, alpha=a, random_state=0)
            t = time.time()
            with threadpool_limits(1, "blas"):
                model.fit(Xs, show_progress=False)
            fit = time.time() - t
            ids, _ = model.recommend(np.array(evaluated), Xs[evaluated], N=k, filter_already_liked_items=True)
            emit(f"implicit ALS(64, 0.05, 15) [c={a:g}]", "ndcg@10", ndcg({u: list(map(int, r)) for u, r in zip(evaluated, ids)}), fit)
except ImportError:
    print("# implicit not installed", flush=True)

try:
    import pandas as pd
    from lenskit.data import from_interactions_df
    from lenskit.knn import ItemKNNScorer, UserKNNScorer
    from lenskit import topn_pipeline
    from lenskit.batch import recommend
    df = pd.DataFrame({"user_id": tu, "item_id": ti})
    lk = from_interactions_df(df)
    for name, scorer, key in [("LensKit ItemKNN(20)", ItemKNNScorer(max_nbrs=20, feedback="implicit"), "itemknn"),
                              ("LensKit UserKNN(30)", UserKNNScorer(max_nbrs=30, feedback="implicit"), "userknn")]:
        if not want(key):
            continue
        pipe = topn_pipeline(scorer, n=k)
        t = time.time()
        pipe.train(lk)
        fit = time.time() - t
        t = time.time()
        recs = recommend(pipe, [int(users[u]) for u in evaluated], n=k, n_jobs=1)
        batch = time.time() - t
        top = {}
        for key_, il in recs:
            u = uidx[key_.user_id]
            top[u] = [iidx[int(i)] for i in il.ids()]
        emit(name, "ndcg@10", ndcg(top), fit)
        emit(name, "batch_seconds", batch, batch)
except ImportError as e:
    print(f"# lenskit not installed ({e})", flush=True)
