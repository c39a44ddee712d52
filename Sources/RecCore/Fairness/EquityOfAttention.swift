// Equity of attention, Biega, Gummadi & Weikum, "Equity of Attention: Amortizing Individual
// Fairness in Rankings", SIGIR 2018 (§3–4). Each ranking l distributes attention a_i^l over the
// items it shows and relevance r_i^l over the items that deserve it, both normalised to sum to 1
// in every ranking; a sequence of rankings is fair when attention is proportional to relevance
// once accumulated (amortized):
//
//     unfairness = Σ_i | Σ_l a_i^l − Σ_l r_i^l |                     (eq. 4, the L1 form)
//
// Attention follows the paper's geometric position-bias model, a_j ∝ p(1−p)^(j−1) for ranks
// j = 1…k (p = 0.5), nothing below k. Relevance comes from the test set (binary; each of a user's
// m relevant candidate items deserves 1/m), so an item nobody found relevant deserves no
// attention. Reported divided by the number of rankings, so 0 is perfect equity and 2 the most
// unequal; `perRanking` is the same sum taken within each ranking before averaging (no
// amortization: each single list must be fair on its own).

import Foundation

/// Amortized and per-ranking equity-of-attention unfairness.
public struct AttentionUnfairness: Sendable, Equatable {
    public let amortized: Double
    public let perRanking: Double
}

extension Metrics {
    public static func equityOfAttention(_ lists: RecommendationLists, k: Int, relevant: ItemSets, training: ItemSets,
                                         itemCount: Int, p: Double = 0.5) -> AttentionUnfairness {
        precondition(p > 0 && p <= 1, "p must be in (0, 1]")
        var attention = [Double](repeating: 0, count: itemCount), deserved = attention
        var perRanking = 0.0, rankings = 0
        for r in 0..<min(lists.count, relevant.count) {
            let list = Array(lists[r].prefix(k)).filter { Int($0) < itemCount }
            let rel = relevant[r].filter { Int($0) < itemCount && !training.contains($0, row: r) }
            guard !list.isEmpty, !rel.isEmpty else { continue }
            let raw = list.indices.map { p * pow(1 - p, Double($0)) }
            let total = raw.reduce(0, +)
            var local: [Int32: (a: Double, r: Double)] = [:]
            for (j, i) in list.enumerated() { attention[Int(i)] += raw[j] / total; local[i, default: (0, 0)].a += raw[j] / total }
            for i in rel { deserved[Int(i)] += 1 / Double(rel.count); local[i, default: (0, 0)].r += 1 / Double(rel.count) }
            perRanking += local.values.reduce(0) { $0 + abs($1.a - $1.r) }
            rankings += 1
        }
        guard rankings > 0 else { return AttentionUnfairness(amortized: .nan, perRanking: .nan) }
        var amortized = 0.0
        for i in 0..<itemCount { amortized += abs(attention[i] - deserved[i]) }
        return AttentionUnfairness(amortized: amortized / Double(rankings), perRanking: perRanking / Double(rankings))
    }
}
