"""The peer side of Benchmarks/als_scale.sh: implicit's AlternatingLeastSquares (64 factors,
5 iterations) on the same TSV as a 0/1 user x item matrix (repeated pairs count once).
implicit's confidence is alpha * value, so alpha 1 and 2 are Hu et al.'s c = 1 + alpha r with
alpha 0 and 1, which is what the Rec side runs."""
import sys, time
import numpy as np
import scipy.sparse as sp
import implicit
from threadpoolctl import threadpool_limits

a = np.loadtxt(sys.argv[1], dtype=np.int64, usecols=(0, 1))
_, u = np.unique(a[:, 0], return_inverse=True)
_, i = np.unique(a[:, 1], return_inverse=True)
X = sp.csr_matrix((np.ones(len(u), dtype=np.float32), (u, i)))
X.sum_duplicates()
X.data[:] = 1
print(f"# {X.nnz} interactions, {X.shape[0]} users, {X.shape[1]} items", flush=True)
for alpha in (1.0, 2.0):
    model = implicit.als.AlternatingLeastSquares(factors=64, regularization=0.05, iterations=5, alpha=alpha, random_state=0)
    t = time.time()
    with threadpool_limits(1, "blas"):
        model.fit(X, show_progress=False)
    print(f"implicit ALS(64, 0.05, 5) c={alpha:g}\t{time.time() - t:.3f}", flush=True)
