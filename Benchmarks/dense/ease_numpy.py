"""The peer side of Benchmarks/dense_vs_numpy.sh: EASE(500) in NumPy on MovieLens-100K u1.base
(G = XᵀX + λI, P = G⁻¹ through np.linalg.inv, B = −P / diag(P) with a zero diagonal: the steps of
our fit), best of `runs`, then NDCG@10 on u1.test. Thread count: whatever OPENBLAS_NUM_THREADS
says (the shell script runs it with 1 and with 2). Prints name<TAB>metric<TAB>value<TAB>seconds."""
import os, sys, time
import numpy as np

data, runs = sys.argv[1], int(sys.argv[2])
k = 10


def read(name):
    rows = np.loadtxt(os.path.join(data, name), dtype=np.int64)
    return rows[:, 0], rows[:, 1]


tu, ti = read("u1.base")
su, si = read("u1.test")
users = np.unique(np.concatenate([tu, su]))
items = np.unique(np.concatenate([ti, si]))
uidx = {u: j for j, u in enumerate(users)}
iidx = {i: j for j, i in enumerate(items)}
nu, ni = len(users), len(items)
# Our fit sees the items of the training log only (u1.base has 1650 of the 1682).
train_items = np.unique(ti)
X = np.zeros((nu, ni))
for u, i in zip(tu, ti):
    X[uidx[u], iidx[i]] = 1
X = X[:, [iidx[i] for i in train_items]]
best = float("inf")
for _ in range(runs):
    t = time.perf_counter()
    G = X.T @ X + 500 * np.eye(X.shape[1])
    P = np.linalg.inv(G)
    B = -P / np.diag(P)
    np.fill_diagonal(B, 0)
    best = min(best, time.perf_counter() - t)
S = X @ B
S[X > 0] = -np.inf
discount = 1 / np.log2(np.arange(2, k + 2))
test = [set() for _ in range(nu)]
for u, i in zip(su, si):
    test[uidx[u]].add(iidx[i])
col = {j: iidx[i] for j, i in enumerate(train_items)}
total, count = 0.0, 0
for u in range(nu):
    if not test[u]:
        continue
    top = np.argsort(-S[u], kind="stable")[:k]
    dcg = sum(discount[r] for r, j in enumerate(top) if col[j] in test[u])
    idcg = discount[:min(k, len(test[u]))].sum()
    total += dcg / idcg
    count += 1
threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
print(f"numpy EASE(500) fit [{threads} thread(s)]\tndcg@10\t{total / count:.4f}\t{best:.4f}")
