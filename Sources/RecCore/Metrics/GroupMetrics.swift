// Group fairness helpers: a per-user metric broken down by user group with the disparity between
// groups, and the exposure item groups receive in the recommendations against their share of the
// catalogue and of the interactions.

import Foundation

/// One group's mean of a per-user metric.
public struct GroupMean<G: Hashable & Comparable & Sendable>: Sendable, Equatable {
    public let group: G
    public let users: Int
    public let mean: Double
}

/// A per-user metric by user group, groups in ascending order, with the disparity between the best
/// and the worst group mean.
public struct GroupComparison<G: Hashable & Comparable & Sendable>: Sendable, Equatable {
    public let groups: [GroupMean<G>]

    /// From parallel arrays of values and group labels; NaN values are skipped.
    public init(values: [Double], groups labels: [G]) {
        precondition(values.count == labels.count, "values and groups differ in length")
        var sum = [G: (Int, Double)]()
        for (v, g) in zip(values, labels) where !v.isNaN {
            let (n, s) = sum[g] ?? (0, 0)
            sum[g] = (n + 1, s + v)
        }
        groups = sum.keys.sorted().map { g in
            let (n, s) = sum[g]!
            return GroupMean(group: g, users: n, mean: s / Double(n))
        }
    }

    /// From a per-user metric and each user's group (nil: the user belongs to no group and is skipped).
    public init(_ metric: PerUserMetric, groupOf: (Int32) -> G?) {
        var values = [Double](), labels = [G]()
        for (u, v) in zip(metric.users, metric.values) {
            if let g = groupOf(u) { values.append(v); labels.append(g) }
        }
        self.init(values: values, groups: labels)
    }

    /// max − min of the group means (NaN without groups).
    public var difference: Double {
        guard let lo = groups.map(\.mean).min(), let hi = groups.map(\.mean).max() else { return .nan }
        return hi - lo
    }

    /// min / max of the group means: 1 = parity (NaN without groups or when the max is 0).
    public var ratio: Double {
        guard let lo = groups.map(\.mean).min(), let hi = groups.map(\.mean).max(), hi != 0 else { return .nan }
        return lo / hi
    }
}

/// The exposure of one item group in a set of recommendation lists.
public struct GroupExposure<G: Hashable & Comparable & Sendable>: Sendable, Equatable {
    public let group: G
    /// Catalogue items in the group.
    public let items: Int
    /// Recommendation slots (top-k positions) filled by the group's items.
    public let slots: Int
    /// slots / all slots.
    public let slotShare: Double
    /// Σ 1/log2(rank+1) over the group's slots / the same over all slots.
    public let weightedShare: Double
    /// items / catalogue size.
    public let catalogueShare: Double
    /// The group's training interactions / all training interactions.
    public let interactionShare: Double
}

extension Metrics {
    /// Exposure of item groups (`itemGroups[i]` = group of catalogue item i) in the lists' top k,
    /// against each group's share of the catalogue and of the training interactions
    /// (`popularity[i]`, one count per catalogue item). Groups in ascending order; shares are NaN
    /// when their denominator is 0.
    public static func itemExposure<G>(_ lists: RecommendationLists, k: Int? = nil, itemGroups: [G],
                                       popularity: [Int]) -> [GroupExposure<G>] {
        precondition(popularity.count == itemGroups.count, "popularity and itemGroups differ in length")
        let names = Array(Set(itemGroups)).sorted()
        let code = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let itemCode = itemGroups.map { code[$0]! }
        var items = [Int](repeating: 0, count: names.count), interactions = items, slots = items
        var weight = [Double](repeating: 0, count: names.count)
        for (i, c) in itemCode.enumerated() {
            items[c] += 1
            interactions[c] += popularity[i]
        }
        let k = k ?? Int.max
        var maxLength = 0
        for u in 0..<lists.count { let (lo, hi) = lists.bounds(u, k: k); maxLength = max(maxLength, hi - lo) }
        let rankWeight = (0..<maxLength).map { 1 / log2(Double($0 + 2)) }
        for u in 0..<lists.count {
            let (lo, hi) = lists.bounds(u, k: k)
            for j in lo..<hi {
                let c = itemCode[Int(lists.items[j])]
                slots[c] += 1
                weight[c] += rankWeight[j - lo]
            }
        }
        let totalSlots = Double(slots.reduce(0, +)), totalWeight = weight.reduce(0, +)
        let totalInteractions = Double(interactions.reduce(0, +)), catalogue = Double(itemGroups.count)
        func share(_ x: Double, _ total: Double) -> Double { total > 0 ? x / total : .nan }
        return names.indices.map { c in
            GroupExposure(group: names[c], items: items[c], slots: slots[c],
                          slotShare: share(Double(slots[c]), totalSlots),
                          weightedShare: share(weight[c], totalWeight),
                          catalogueShare: share(Double(items[c]), catalogue),
                          interactionShare: share(Double(interactions[c]), totalInteractions))
        }
    }
}
