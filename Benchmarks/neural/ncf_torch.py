"""The peer side of Benchmarks/ncf_vs_torch.sh: NeuMF in PyTorch on CPU with `ncf`'s defaults —
GMF factors 8, MLP embeddings 32 + 32, one hidden ReLU layer of 32, a linear output over
[φ_GMF; φ_MLP], binary cross-entropy on the logit, 4 uniformly sampled negatives per positive
(fresh every epoch), batches of 256, 20 epochs, Adam (lr 0.001) for the dense layers and
SparseAdam for the embeddings (the lazy Adam of ours), embeddings N(0, 0.01), He for the hidden
layer, Glorot for the output. Usage: ncf_torch.py DATA SEEDS THREADS; prints
name<TAB>seed<TAB>ndcg@10<TAB>fit seconds per seed."""
import os, sys, time
import numpy as np
import torch
from torch import nn

data, seeds, threads = sys.argv[1], [int(s) for s in sys.argv[2].split(",")], int(sys.argv[3])
# An optional fourth argument shortens the run (a smoke test of the script).
epochs_arg = int(sys.argv[4]) if len(sys.argv) > 4 else None
torch.set_num_threads(threads)
k, factors, mlp, hidden, negatives, batch, epochs, lr = 10, 8, 32, 32, 4, 256, epochs_arg or 20, 0.001


def read(name):
    rows = np.loadtxt(os.path.join(data, name), dtype=np.int64)
    return rows[:, 0], rows[:, 1]


tu, ti = read("u1.base")
su, si = read("u1.test")
# The ID space of the training log, as our fit sees it.
users, items = np.unique(tu), np.unique(ti)
uidx = {u: j for j, u in enumerate(users)}
iidx = {i: j for j, i in enumerate(items)}
nu, ni = len(users), len(items)
pairs = sorted({(uidx[u], iidx[i]) for u, i in zip(tu, ti)})
pos_u = np.array([p[0] for p in pairs]); pos_i = np.array([p[1] for p in pairs])
train_sets = [set() for _ in range(nu)]
for u, i in pairs:
    train_sets[u].add(i)
test_sets = {}
for u, i in zip(su, si):
    if u in uidx and i in iidx:
        test_sets.setdefault(uidx[u], set()).add(iidx[i])
# Users with a test event; an item new in the test log can never be recommended but still counts
# in the ideal DCG, as in our evaluate.
test_counts = {}
for u, i in zip(su, si):
    if u in uidx:
        test_counts.setdefault(uidx[u], set()).add(i)
discount = 1 / np.log2(np.arange(2, k + 2))


class NeuMF(nn.Module):
    def __init__(self):
        super().__init__()
        self.ug, self.ig = nn.Embedding(nu, factors, sparse=True), nn.Embedding(ni, factors, sparse=True)
        self.um, self.im = nn.Embedding(nu, mlp, sparse=True), nn.Embedding(ni, mlp, sparse=True)
        for e in (self.ug, self.ig, self.um, self.im):
            nn.init.normal_(e.weight, std=0.01)
        self.hidden = nn.Linear(2 * mlp, hidden)
        nn.init.kaiming_normal_(self.hidden.weight, nonlinearity="relu"); nn.init.zeros_(self.hidden.bias)
        self.out = nn.Linear(factors + hidden, 1)
        nn.init.xavier_uniform_(self.out.weight); nn.init.zeros_(self.out.bias)

    def forward(self, u, i):
        g = self.ug(u) * self.ig(i)
        h = torch.relu(self.hidden(torch.cat([self.um(u), self.im(i)], dim=1)))
        return self.out(torch.cat([g, h], dim=1)).squeeze(1)


def negatives_for(rng):
    u = np.repeat(pos_u, negatives)
    j = rng.integers(0, ni, size=len(u))
    bad = np.array([jj in train_sets[uu] for uu, jj in zip(u, j)])
    while bad.any():
        j[bad] = rng.integers(0, ni, size=bad.sum())
        bad[bad] = np.array([jj in train_sets[uu] for uu, jj in zip(u[bad], j[bad])])
    return u, j


for seed in seeds:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = NeuMF()
    sparse = [e.weight for e in (model.ug, model.ig, model.um, model.im)]
    dense = list(model.hidden.parameters()) + list(model.out.parameters())
    opt_s, opt_d = torch.optim.SparseAdam(sparse, lr=lr), torch.optim.Adam(dense, lr=lr)
    loss_fn = nn.BCEWithLogitsLoss()
    t = time.perf_counter()
    for epoch in range(epochs):
        nu_, ni_ = negatives_for(rng)
        u = torch.from_numpy(np.concatenate([pos_u, nu_]))
        i = torch.from_numpy(np.concatenate([pos_i, ni_]))
        y = torch.cat([torch.ones(len(pos_u)), torch.zeros(len(nu_))])
        order = torch.from_numpy(rng.permutation(len(u)))
        for b in range(0, len(u), batch):
            idx = order[b:b + batch]
            opt_s.zero_grad(); opt_d.zero_grad()
            loss = loss_fn(model(u[idx], i[idx]), y[idx])
            loss.backward()
            opt_s.step(); opt_d.step()
    fit = time.perf_counter() - t
    with torch.no_grad():
        all_items = torch.arange(ni)
        total, count = 0.0, 0
        for uu in sorted(test_counts):
            s = model(torch.full((ni,), uu, dtype=torch.long), all_items).numpy().astype(np.float64)
            s[list(train_sets[uu])] = -np.inf
            top = np.lexsort((np.arange(ni), -s))[:k]
            rel = test_sets.get(uu, set())
            dcg = sum(discount[r] for r, j in enumerate(top) if j in rel)
            total += dcg / discount[:min(k, len(test_counts[uu]))].sum()
            count += 1
    print(f"torch ncf [{threads} thread(s)]\t{seed}\t{total / count:.4f}\t{fit:.3f}", flush=True)
