// Expected exposure, Diaz, Mitra, Ekstrand, Biega & Carterette, "Evaluating Stochastically
// Ranked Retrieval Systems by Expected Exposure", CIKM 2020 (§4–5). Under the RBP browsing model
// with patience γ, the item at rank i receives exposure γ^(i−1). The target is the exposure each
// item receives from the ideal policy that shuffles the m relevant items uniformly over the top m
// ranks: ε*_d = (1/m) Σ_{i=1..m} γ^(i−1) for relevant d, and the non-relevant share the remaining
// ranks. The measures, per user, are
//
//     EE-D = ‖ε‖²          (disparity: how unequally exposure is spread; lower is fairer)
//     EE-R = εᵀ ε*         (relevance: exposure going to relevant items; higher is better)
//     EE-L = ‖ε − ε*‖² = EE-D − 2 EE-R + ‖ε*‖²   (the distance to the ideal; lower is better)
//
// averaged over users. Lists here are deterministic top-k lists, so ε is γ^(i−1) on the list and 0
// elsewhere, and the browsing model is cut at k for the target as well: the candidates are the n
// items outside the user's training items, non-relevant items share ranks m+1…k (none when m ≥ k).
// A deterministic list has the largest EE-D possible; the measure shows what a stochastic
// policy would gain.

import Foundation

/// The three expected-exposure measures, each averaged over the users with relevant items.
public struct ExpectedExposure: Sendable, Equatable {
    public let loss: Double
    public let disparity: Double
    public let relevance: Double
}

extension Metrics {
    /// Expected exposure of the lists' top k against each user's relevant items (`relevant`,
    /// `training`: rows parallel to the lists) in a catalogue of `itemCount` items; γ = `patience`.
    public static func expectedExposure(_ lists: RecommendationLists, k: Int, relevant: ItemSets, training: ItemSets,
                                        itemCount: Int, patience: Double = 0.5) -> ExpectedExposure {
        precondition(patience > 0 && patience < 1, "patience must be in (0, 1)")
        let weight = (0..<k).map { pow(patience, Double($0)) }
        var loss = 0.0, disparity = 0.0, relevance = 0.0, users = 0
        for r in 0..<min(lists.count, relevant.count) {
            let rel = relevant[r].filter { Int($0) < itemCount && !training.contains($0, row: r) }
            let m = rel.count
            let n = itemCount - training[r].count
            guard m > 0, n > 0 else { continue }
            let relTarget = weight.prefix(min(m, k)).reduce(0, +) / Double(m)
            let rest = n - m
            let otherTarget = rest > 0 && m < k ? weight[m..<k].reduce(0, +) / Double(rest) : 0
            var d = 0.0, rr = 0.0
            for (i, item) in lists[r].prefix(k).enumerated() {
                d += weight[i] * weight[i]
                rr += weight[i] * (rel.contains(item) ? relTarget : otherTarget)
            }
            let targetNorm = Double(m) * relTarget * relTarget + Double(rest) * otherTarget * otherTarget
            disparity += d; relevance += rr; loss += d - 2 * rr + targetNorm
            users += 1
        }
        let u = users > 0 ? Double(users) : .nan
        return ExpectedExposure(loss: loss / u, disparity: disparity / u, relevance: relevance / u)
    }
}
