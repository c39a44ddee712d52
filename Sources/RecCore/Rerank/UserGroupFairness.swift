// User-oriented fairness re-ranking, after Li, Chen, Fu, Ge & Zhang, "User-oriented Fairness in
// Recommendation", WWW 2021 (§4): choose each user's top k to maximise the total preference score
// subject to the gap in recommendation quality between the advantaged and the disadvantaged user
// group staying below ε,
//
//     max Σ_u Σ_i W_ui S_ui   s.t.  | Q̄(advantaged) − Q̄(disadvantaged) | ≤ ε,  Σ_i W_ui = k.
//
// The paper solves this 0–1 program with the test interactions as the relevance inside Q — an
// oracle a deployed system does not have. Here Q is estimated from the model: the relevance of
// (u, i) is the score scaled to [0, 1] over every candidate of every user (one scale for all, so
// users are comparable), and a list's quality is its position-discounted mean relevance
// (Σ_j rel_j / log2(j + 1) / Σ_j 1 / log2(j + 1)). Without labels nothing can raise a
// disadvantaged user's estimated quality above the model's own top k, so the gap narrows from the
// advantaged side: greedily, an advantaged user's candidates gain by how close the list's quality
// with them comes to the disadvantaged group's mean,
//
//     gain(c) = 1 − | Q(list + c) − Q̄_disadvantaged | / Q̄_disadvantaged      (clamped to [−1, 1]),
//
// and a disadvantaged user's by their estimated relevance. The advantaged group is the one whose
// unchanged lists have the higher mean estimated quality. Read the result with `evaluate(…, by:)`:
// the gap it closes is paid for by the better-served group.

import Foundation

public struct UserGroupFairnessObjective: RerankObjective {
    public var name: String { "user_fair" }
    /// Group label of each user (nil: in no group, lists unchanged).
    let groupOf: (Int32) -> String?
    let k: Int
    public private(set) var advantaged: String? = nil
    public private(set) var disadvantagedQuality = Double.nan
    public private(set) var baselineQuality: [String: Double] = [:]
    var lo = 0.0, hi = 1.0
    var items: [Int32] = [], rel: [Double] = []
    var isAdvantaged = false

    public init(groupOf: @escaping (Int32) -> String?, k: Int) {
        self.groupOf = groupOf; self.k = k
    }

    func globalRelevance(_ s: Double) -> Double { s.isFinite ? (hi > lo ? (s - lo) / (hi - lo) : 1) : 0 }

    static func quality(_ rels: [Double]) -> Double {
        guard !rels.isEmpty else { return 0 }
        var s = 0.0, w = 0.0
        for (j, r) in rels.enumerated() { s += r * Rerank.positionWeight(j); w += Rerank.positionWeight(j) }
        return s / w
    }

    public mutating func prepare(_ all: [RerankCandidates]) {
        let finite = all.flatMap(\.scores).filter { $0.isFinite }
        lo = finite.min() ?? 0; hi = finite.max() ?? 1
        var sums: [String: (Double, Int)] = [:]
        for c in all {
            guard let g = groupOf(c.user) else { continue }
            let q = Self.quality(c.scores.prefix(k).map(globalRelevance))
            let (s, n) = sums[g] ?? (0, 0)
            sums[g] = (s + q, n + 1)
        }
        baselineQuality = sums.mapValues { $0.0 / Double($0.1) }
        guard baselineQuality.count >= 2 else { return }
        let ordered = baselineQuality.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        advantaged = ordered.first!.key
        // Every other group together is the disadvantaged side: its users' mean quality.
        var s = 0.0, n = 0
        for (g, v) in sums where g != advantaged { s += v.0; n += v.1 }
        disadvantagedQuality = s / Double(n)
    }

    public mutating func begin(_ c: RerankCandidates) {
        items = c.items
        rel = c.scores.map(globalRelevance)
        isAdvantaged = advantaged != nil && groupOf(c.user) == advantaged
    }

    public func gain(_ c: Int, placed: [Int]) -> Double {
        guard isAdvantaged, disadvantagedQuality > 0 else { return rel[c] }
        let q = Self.quality(placed.map { rel[$0] } + [rel[c]])
        return min(1, max(-1, 1 - abs(q - disadvantagedQuality) / disadvantagedQuality))
    }

    public func why(_ c: Int, placed: [Int]) -> String {
        isAdvantaged ? String(format: "brings this list's expected quality towards the other group's %.3f", disadvantagedQuality)
                     : "relevance"
    }
}
