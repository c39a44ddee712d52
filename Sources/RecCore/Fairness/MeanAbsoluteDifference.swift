// Mean absolute difference (MAD) between groups, Deldjoo, Anelli, Zamani, Bellogín & Di Noia, "A
// flexible framework for evaluating user and item fairness for recommender systems", UMUAI 31,
// 2021, as Elliot implements it (UserMADranking, ItemMADranking): with A groups and a value v_a
// per group,
//
//     MAD = 2 / (A(A−1)) Σ_{a<b} | v_a − v_b |
//
// User MAD: v_a is the mean per-user metric (NDCG@k) over group a's users. Item MAD: each
// recommended item's gain is the share of the lists showing it in which it is relevant (binary
// relevance), and v_a is the mean gain over group a's recommended items. 0 is parity.

extension Metrics {
    /// MAD of group values (NaN ones skipped; NaN with fewer than two).
    public static func meanAbsoluteDifference(_ values: [Double]) -> Double {
        let v = values.filter { !$0.isNaN }
        guard v.count >= 2 else { return .nan }
        var s = 0.0, pairs = 0
        for a in 0..<v.count - 1 { for b in a + 1..<v.count { s += abs(v[a] - v[b]); pairs += 1 } }
        return s / Double(pairs)
    }

    /// User MAD of a per-user metric between user groups (`groupOf` nil: the user is skipped).
    public static func userMAD(_ metric: PerUserMetric, groupOf: (Int32) -> String?) -> Double {
        meanAbsoluteDifference(GroupComparison(metric, groupOf: groupOf).groups.map(\.mean))
    }

    /// Item MAD between item groups (`itemGroups[i]`, nil: ungrouped) of the lists' top k.
    public static func itemMAD(_ lists: RecommendationLists, k: Int, relevant: ItemSets, itemGroups: [String?]) -> Double {
        var shown = [Int](repeating: 0, count: itemGroups.count), hits = shown
        for r in 0..<lists.count {
            for i in lists[r].prefix(k) where Int(i) < itemGroups.count {
                shown[Int(i)] += 1
                if r < relevant.count && relevant.contains(i, row: r) { hits[Int(i)] += 1 }
            }
        }
        var sum: [String: (Double, Int)] = [:]
        for i in itemGroups.indices where shown[i] > 0 {
            guard let g = itemGroups[i] else { continue }
            let (s, n) = sum[g] ?? (0, 0)
            sum[g] = (s + Double(hits[i]) / Double(shown[i]), n + 1)
        }
        return meanAbsoluteDifference(sum.keys.sorted().map { sum[$0]!.0 / Double(sum[$0]!.1) })
    }
}
