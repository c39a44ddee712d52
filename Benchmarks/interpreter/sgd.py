# The twin of sgd.rec: the same program as a Python programmer writes it.
import math, time

users, items, ratings = [], [], []
with open("../shared/data/ml-100k/u1.base") as f:
    for line in f:
        u, i, r, _ = line.split("\t")
        users.append(int(u)); items.append(int(i)); ratings.append(int(r))

def start(id, k):
    v = []
    for f in range(k):
        v.append(((id * 31 + f * 17) % 97) / 970.0)
    return v

def train(users, items, ratings, k, epochs, lr, reg):
    mean = 0.0
    for r in ratings:
        mean += r
    mean = mean / len(ratings)
    P = {}
    Q = {}
    for n in range(len(users)):
        if P.get(users[n]) is None:
            P[users[n]] = start(users[n], k)
        if Q.get(items[n]) is None:
            Q[items[n]] = start(items[n] + 5000, k)
    rmse = 0.0
    for epoch in range(epochs):
        total = 0.0
        for n in range(len(users)):
            p = P[users[n]]
            q = Q[items[n]]
            pred = mean
            for f in range(k):
                pred += p[f] * q[f]
            err = ratings[n] - pred
            total += err * err
            for f in range(k):
                pf = p[f]
                qf = q[f]
                p[f] = pf + lr * (err * qf - reg * pf)
                q[f] = qf + lr * (err * pf - reg * qf)
        rmse = math.sqrt(total / len(users))
    return rmse

t0 = time.perf_counter()
rmse = train(users, items, ratings, 10, 3, 0.01, 0.02)
print("sgd", "%.6f" % rmse, time.perf_counter() - t0)
