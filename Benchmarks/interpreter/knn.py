# The twin of knn.rec: the same program as a Python programmer writes it.
import math, time

users, items, ratings = [], [], []
with open("../shared/data/ml-100k/u1.base") as f:
    for line in f:
        u, i, r, _ = line.split("\t")
        users.append(int(u)); items.append(int(i)); ratings.append(int(r))

def profiles(users, items, ratings):
    by_item = {}
    for n in range(len(users)):
        m = by_item.get(items[n])
        if m is None:
            m = {}
            by_item[items[n]] = m
        m[users[n]] = ratings[n]
    return by_item

def norm(m):
    s = 0.0
    for u, r in m.items():
        s += r * r
    return math.sqrt(s)

def cosine(a, b, na, nb):
    if len(a) > len(b):
        return cosine(b, a, nb, na)
    dot = 0.0
    for u, r in a.items():
        s = b.get(u)
        if s is not None:
            dot += r * s
    return dot / (na * nb)

def neighbours(by_item, norms, target, k):
    pt = by_item[target]
    sims = []
    for j, pj in by_item.items():
        if j != target:
            sims.append([j, cosine(pt, pj, norms[target], norms[j])])
    return sorted(sims, key=lambda s: -s[1])[:k]

t0 = time.perf_counter()
by_item = profiles(users, items, ratings)
norms = {}
for i, m in by_item.items():
    norms[i] = norm(m)
checksum = 0.0
for target in range(1, 101):
    for pair in neighbours(by_item, norms, target, 20):
        checksum += pair[1]
print("knn", "%.6f" % checksum, time.perf_counter() - t0)
