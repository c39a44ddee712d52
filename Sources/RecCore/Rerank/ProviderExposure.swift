// Provider-fair exposure: item groups (providers, categories) receive shares of the
// position-discounted exposure of all lists that are brought towards target shares (by default
// each group's share of the catalogue). Exposure follows Singh & Joachims, "Fairness of Exposure
// in Rankings", KDD 2018, with the logarithmic position weight 1/log2(rank + 1) they use; the
// greedy correction is this project's: while the lists are built (users in the order given), a
// candidate of group g gains its group's relative deficit
//
//     gain(c) = clamp((t_g − e_g) / t_g, −1, 1),   e_g = E_g / Σ_h E_h
//
// where E_g is the exposure group g has received so far (the lists already built and the
// positions already filled in this one) and t_g its target. A group above its target loses, one
// below gains; weight 1 ignores relevance and chases the targets alone.

import Foundation

public struct ProviderExposureObjective: RerankObjective {
    public var name: String { "provider" }
    /// Group code of each item (−1: no group, neither gains nor counts).
    let itemGroup: [Int]
    public let groupNames: [String]
    public let target: [Double]
    /// Exposure received so far per group.
    public private(set) var exposure: [Double]
    var items: [Int32] = []
    var current: [Double] = []

    public init(itemGroup: [Int], groupNames: [String], target: [Double]) {
        precondition(target.count == groupNames.count, "one target per group")
        self.itemGroup = itemGroup; self.groupNames = groupNames; self.target = target
        exposure = [Double](repeating: 0, count: groupNames.count)
    }

    /// Targets equal to each group's share of the catalogue.
    public static func catalogueShares(itemGroup: [Int], groups: Int) -> [Double] {
        var n = [Double](repeating: 0, count: groups)
        for g in itemGroup where g >= 0 { n[g] += 1 }
        let total = n.reduce(0, +)
        return n.map { total > 0 ? $0 / total : 0 }
    }

    func group(_ c: Int) -> Int { Int(items[c]) < itemGroup.count ? itemGroup[Int(items[c])] : -1 }

    public mutating func begin(_ c: RerankCandidates) { items = c.items; current = exposure }

    public func gain(_ c: Int, placed: [Int]) -> Double {
        let g = group(c)
        guard g >= 0, target[g] > 0 else { return g >= 0 ? -1 : 0 }
        var e = current
        for (pos, p) in placed.enumerated() where group(p) >= 0 { e[group(p)] += Rerank.positionWeight(pos) }
        let total = e.reduce(0, +)
        let share = total > 0 ? e[g] / total : 0
        return min(1, max(-1, (target[g] - share) / target[g]))
    }

    public func why(_ c: Int, placed: [Int]) -> String {
        let g = group(c)
        return g >= 0 ? "its group \(groupNames[g]) is below its exposure target" : "exposure"
    }

    public mutating func end(placed: [Int]) {
        for (pos, p) in placed.enumerated() where group(p) >= 0 { exposure[group(p)] += Rerank.positionWeight(pos) }
    }
}
