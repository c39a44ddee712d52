"""The peer side of Benchmarks/scale.sh: pandas + implicit on the same TSV, the same steps as
scale.rec. Load: pandas.read_csv of the user and item columns (usecols), their codes, a 0/1
user x item CSR matrix (repeated pairs count once). Fit: implicit.cpu AlternatingLeastSquares (64 factors, regularization 0.05,
5 iterations; alpha 2, because implicit's confidence is alpha * value where Hu et al.'s and ours
is 1 + alpha * value). Recommend: model.recommend for every user, N=10, seen items filtered.
Threads: implicit's own num_threads=THREADS, BLAS pinned to 1 thread (implicit's advice: it
parallelises over users itself). Prints stage<TAB>seconds lines, like scale.rec.

    scale_peer.py DATA THREADS
"""
import sys, time
t = time.perf_counter()
import numpy as np
import pandas as pd
import scipy.sparse as sp
import implicit
from threadpoolctl import threadpool_limits
print(f"# imports {time.perf_counter() - t:.3f} s (not counted); pandas {pd.__version__}, implicit {implicit.__version__}", flush=True)

path, threads = sys.argv[1], int(sys.argv[2])
with threadpool_limits(1):
    t = time.perf_counter()
    df = pd.read_csv(path, sep="\t", header=None, usecols=[0, 1], names=["user", "item"])
    u, users = pd.factorize(df["user"])
    i, items = pd.factorize(df["item"])
    del df
    X = sp.csr_matrix((np.ones(len(u), dtype=np.float32), (u, i)), shape=(len(users), len(items)))
    del u, i
    X.sum_duplicates()
    X.data[:] = 1
    print(f"load\t{time.perf_counter() - t:.3f}", flush=True)
    print(f"# {X.nnz} interactions, {X.shape[0]} users, {X.shape[1]} items", flush=True)

    t = time.perf_counter()
    model = implicit.cpu.als.AlternatingLeastSquares(factors=64, regularization=0.05, iterations=5, alpha=2.0,
                                                     random_state=0, num_threads=threads)
    model.fit(X, show_progress=False)
    print(f"fit\t{time.perf_counter() - t:.3f}", flush=True)

    t = time.perf_counter()
    ids, scores = model.recommend(np.arange(X.shape[0]), X, N=10, filter_already_liked_items=True)
    print(f"recommend\t{time.perf_counter() - t:.3f}", flush=True)
    print(f"# {ids.size} recommendations", flush=True)
