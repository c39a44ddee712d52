// How alike two ranked lists are, and how alike the lists of different users are: the measures
// behind consistency across channels, stability between fits and personalization.

extension Metrics {
    /// |A ∩ B| / |A ∪ B| of the first `k` items of each list (1 when both are empty).
    public static func jaccard(_ a: ArraySlice<Int32>, _ b: ArraySlice<Int32>, k: Int) -> Double {
        let x = Set(a.prefix(k)), y = Set(b.prefix(k))
        let union = x.union(y).count
        return union == 0 ? 1 : Double(x.intersection(y).count) / Double(union)
    }

    /// Rank-biased overlap of Webber, Moffat & Zobel, "A similarity measure for indefinite
    /// rankings" (TOIS 28(4), 2010), extrapolated from the first `k` items (their eq. 32, for
    /// lists of equal length k):
    ///
    ///     RBO_ext = (X_k / k) · p^k + ((1 − p) / p) · Σ_{d=1..k} (X_d / d) · p^d
    ///
    /// where X_d = |A_{1:d} ∩ B_{1:d}| is the overlap at depth d. p sets how top-heavy it is: with
    /// p = 0.9 the first 10 ranks carry about 86 % of the weight. 1 for identical lists, 0 for
    /// disjoint ones. Lists shorter than k are compared over the shorter length.
    public static func rankBiasedOverlap(_ a: ArraySlice<Int32>, _ b: ArraySlice<Int32>, p: Double = 0.9, k: Int) -> Double {
        let depth = min(k, a.count, b.count)
        guard depth > 0 else { return a.isEmpty && b.isEmpty ? 1 : 0 }
        var seenA = Set<Int32>(), seenB = Set<Int32>()
        var overlap = 0, sum = 0.0, weight = 1.0
        for d in 1...depth {
            let x = a[a.startIndex + d - 1], y = b[b.startIndex + d - 1]
            if x == y { overlap += 1 } else {
                if seenB.contains(x) { overlap += 1 }
                if seenA.contains(y) { overlap += 1 }
            }
            seenA.insert(x); seenB.insert(y)
            weight *= p
            sum += Double(overlap) / Double(d) * weight
        }
        return Double(overlap) / Double(depth) * weight + (1 - p) / p * sum
    }

    /// 1 − the mean overlap |L_u ∩ L_v| / k over all pairs of different users' top-k lists
    /// (the "personalization" of recmetrics and of Elliot; the overlap is the cosine of the two
    /// lists as binary vectors when both hold k items). Computed exactly in O(users · k): a pair
    /// shares item i when both lists hold it, so Σ_{u<v} |L_u ∩ L_v| = Σ_i C(c_i, 2), with c_i
    /// the number of lists holding i. 0 when every user gets the same list, 1 when no two share
    /// an item; nil for fewer than two lists.
    public static func personalization(_ lists: RecommendationLists, k: Int, itemCount: Int) -> Double? {
        let n = lists.count
        guard n >= 2, k > 0 else { return nil }
        var counts = [Int](repeating: 0, count: itemCount)
        for r in 0..<n {
            for i in lists[r].prefix(k) where Int(i) < itemCount { counts[Int(i)] += 1 }
        }
        var shared = 0.0
        for c in counts where c > 1 { shared += Double(c) * Double(c - 1) / 2 }
        let pairs = Double(n) * Double(n - 1) / 2
        return 1 - shared / (pairs * Double(k))
    }
}
