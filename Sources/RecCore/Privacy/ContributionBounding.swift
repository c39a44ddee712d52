// Bounding each user's contribution, which is what gives a count query a known sensitivity.
//
// Neighbouring datasets differ in one user's whole history (user-level privacy). A per-item
// count of distinct users changes, when one user is added or removed, by 1 for each item that
// user touched — unbounded in general. Keeping at most m distinct items per user (a seeded
// uniform sample without replacement for users with more, drawn from a stream of the user's own) bounds the change of the count vector
// to m in L1 norm: Δ₁ = m (Dwork & Roth, "The algorithmic foundations of differential privacy",
// 2014, §3.3; the per-user bound as in McSherry & Mironov, "Differentially private recommender
// systems", KDD 2009, and Wilson et al., "Differentially private SQL with bounded user
// contribution", PoPETs 2020). Repeated events of a pair count once.

/// The (user, item) pairs kept after bounding each user to at most `maxPerUser` distinct items.
public struct BoundedContributions: Sendable {
    public let maxPerUser: Int
    /// Per-item count of distinct users over the kept pairs (the query, before noise).
    public let itemCounts: [Int]
    /// Users whose history was sampled down.
    public let usersSampled: Int

    /// The L1 sensitivity of `itemCounts` to adding or removing one user.
    public var sensitivity: Double { Double(maxPerUser) }

    public init(_ d: Interactions, maxPerUser: Int, seed: UInt64) {
        precondition(maxPerUser >= 1, "maxPerUser must be at least 1")
        let m = d.matrix(duplicates: .sum, values: .ones)  // one entry per distinct pair
        var counts = [Int](repeating: 0, count: d.itemCount)
        var sampled = 0
        for u in 0..<m.rows {
            let lo = m.rowPtr[u], hi = m.rowPtr[u + 1], n = hi - lo
            if n <= maxPerUser {
                for k in lo..<hi { counts[Int(m.colIdx[k])] += 1 }
            } else {
                sampled += 1
                // Each user's sample depends on the seed and their own ID only, so adding or
                // removing another user changes nothing else: the sensitivity argument needs that.
                var rng = Xoshiro256(seed: seed, stream: Self.stream(d.users.key(at: u)))
                // Partial Fisher–Yates: the first maxPerUser positions are a uniform sample.
                var idx = Array(lo..<hi)
                for j in 0..<maxPerUser {
                    let r = j + rng.nextInt(below: n - j)
                    idx.swapAt(j, r)
                    counts[Int(m.colIdx[idx[j]])] += 1
                }
            }
        }
        self.maxPerUser = maxPerUser; self.itemCounts = counts; self.usersSampled = sampled
    }

    /// A random stream per raw user ID (FNV-1a of its bytes).
    static func stream(_ key: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}
