// Calibrated recommendations, Steck, RecSys 2018 (§2–3). With p(g|i) the share of genre g in item
// i's genres (1/|genres(i)| each), the user's history distribution and the list's distribution are
//
//     p(g|u) = Σ_{i ∈ H_u} w_{u,i} p(g|i) / Σ_{i ∈ H_u} w_{u,i}
//     q(g|u) = Σ_{i ∈ I}   w_{r(i)} p(g|i) / Σ_{i ∈ I}   w_{r(i)}
//
// (uniform weights here), the miscalibration is C_KL(p, q) = Σ_g p(g|u) log(p(g|u) / q̃(g|u)) with
// the paper's smoothing q̃ = (1 − α) q + α p, α = 0.01, and the list maximises
// (1 − λ) s(I) − λ C_KL(p, q(I)), greedily, one item at a time (the paper's Algorithm, a
// (1 − 1/e) approximation since the objective is submodular). The skeleton's gain for a candidate
// is therefore −C_KL of the list with that candidate added.

import Foundation

public struct CalibrationObjective: RerankObjective {
    public var name: String { "calibrated" }
    /// Row = item: its attribute values (genres) as codes.
    let labels: ItemSets
    let names: [String]
    /// Row = user: the training items.
    let history: (Int32) -> [Int32]
    public let alpha: Double
    var items: [Int32] = []
    var target: [Double] = []

    public init(labels: ItemSets, names: [String], history: @escaping (Int32) -> [Int32], alpha: Double = 0.01) {
        self.labels = labels; self.names = names; self.history = history; self.alpha = alpha
    }

    /// p(g|·) of a set of items: each item spreads weight 1 evenly over its labels.
    func distribution(_ its: [Int32]) -> [Double] {
        var d = [Double](repeating: 0, count: names.count)
        var total = 0.0
        for i in its where Int(i) < labels.count {
            let ls = labels[Int(i)]
            guard !ls.isEmpty else { continue }
            for g in ls { d[Int(g)] += 1 / Double(ls.count) }
            total += 1
        }
        return total > 0 ? d.map { $0 / total } : d
    }

    /// C_KL(p, q̃) with q̃ = (1 − α) q + α p.
    public static func miscalibration(target p: [Double], list q: [Double], alpha: Double) -> Double {
        var kl = 0.0
        for g in p.indices where p[g] > 0 {
            kl += p[g] * log(p[g] / ((1 - alpha) * q[g] + alpha * p[g]))
        }
        return kl
    }

    public mutating func begin(_ c: RerankCandidates) {
        items = c.items
        target = distribution(history(c.user))
    }

    public func gain(_ c: Int, placed: [Int]) -> Double {
        -Self.miscalibration(target: target, list: distribution(placed.map { items[$0] } + [items[c]]), alpha: alpha)
    }

    public func why(_ c: Int, placed: [Int]) -> String {
        let g = labels[Int(items[c])].map { names[Int($0)] }.joined(separator: "|")
        return "brings the list's \(g.isEmpty ? "mix" : g) share closer to the user's history"
    }
}
