// Is a gap between user groups real? Percentile bootstrap intervals for each group's value, the
// overall value and the max−min gap (Efron & Tibshirani, An Introduction to the Bootstrap, 1993,
// ch. 13), resampling users within each group; and a permutation test of the gap, shuffling the
// group labels (Good, Permutation Tests, 2000), with the p-value (1 + #{gap* ≥ gap}) / (1 + P)
// that never reports 0 (Phipson & Smyth, Stat. Appl. Genet. Mol. Biol. 9(1), 2010).

import Foundation

/// One metric's per-user contributions and the group of each user, from which a group's value is
/// Σ numerator / Σ denominator passed through `transform`: a mean of per-user values has
/// denominator 1; MAE over test ratings has each user's Σ|e| over their count; RMSE the same with
/// squared errors and a square root.
public struct GroupedSamples: Sendable {
    public let groups: [Int]
    public let numerators: [Double]
    public let denominators: [Double]
    public let groupCount: Int
    public let squareRoot: Bool

    public init(groups: [Int], numerators: [Double], denominators: [Double]? = nil, groupCount: Int, squareRoot: Bool = false) {
        precondition(groups.count == numerators.count && (denominators?.count ?? groups.count) == groups.count,
                     "groups and values differ in length")
        precondition(groups.allSatisfy { $0 >= 0 && $0 < groupCount }, "group codes out of range")
        self.groups = groups; self.numerators = numerators
        self.denominators = denominators ?? [Double](repeating: 1, count: groups.count)
        self.groupCount = groupCount; self.squareRoot = squareRoot
    }

    func value(_ num: Double, _ den: Double) -> Double {
        guard den > 0 else { return .nan }
        return squareRoot ? (num / den).squareRoot() : num / den
    }

    /// Each group's value (NaN for an empty group) for a labelling of the samples.
    func groupValues(labels: [Int]) -> [Double] {
        var num = [Double](repeating: 0, count: groupCount), den = num
        for j in labels.indices { num[labels[j]] += numerators[j]; den[labels[j]] += denominators[j] }
        return (0..<groupCount).map { value(num[$0], den[$0]) }
    }

    /// max − min over the groups with a value (NaN with fewer than two).
    static func gap(_ values: [Double]) -> Double {
        let vs = values.filter { !$0.isNaN }
        guard vs.count >= 2, let lo = vs.min(), let hi = vs.max() else { return .nan }
        return hi - lo
    }
}

/// Bootstrap intervals and the permutation p-value of one metric's group gap.
public struct GroupIntervals: Sendable, Equatable {
    public struct Interval: Sendable, Equatable {
        public let low: Double
        public let high: Double
        public static let none = Interval(low: .nan, high: .nan)
    }
    /// Per group, in group code order.
    public let groups: [Interval]
    public let all: Interval
    /// Of max − min over the groups.
    public let gap: Interval
    /// Two-group or many-group permutation test of max − min = 0 (NaN with fewer than two groups).
    public let pValue: Double
}

extension Significance {
    /// Percentile bootstrap intervals at `level` (0.95: the 2.5th and 97.5th percentiles, linear
    /// interpolation between order statistics) from `resamples` stratified resamples — each
    /// group's users drawn with replacement, group sizes kept — and a permutation test of the
    /// max − min gap over `permutations` shuffles of the group labels. The same seed gives the
    /// same intervals and p-value.
    public static func groupIntervals(_ s: GroupedSamples, level: Double = 0.95, resamples: Int = 1000,
                                      permutations: Int = 1000, seed: UInt64 = 42) -> GroupIntervals {
        precondition(level > 0 && level < 1 && resamples > 0 && permutations >= 0, "invalid bootstrap settings")
        var members = [[Int]](repeating: [], count: s.groupCount)
        for (j, g) in s.groups.enumerated() { members[g].append(j) }
        var rng = Xoshiro256(seed: seed, stream: 71)
        var perGroup = [[Double]](repeating: [], count: s.groupCount)
        var all: [Double] = [], gaps: [Double] = []
        for _ in 0..<resamples {
            var values = [Double](repeating: .nan, count: s.groupCount)
            var totalNum = 0.0, totalDen = 0.0
            for g in 0..<s.groupCount where !members[g].isEmpty {
                var num = 0.0, den = 0.0
                let m = members[g]
                for _ in 0..<m.count {
                    let j = m[Int(rng.next() % UInt64(m.count))]
                    num += s.numerators[j]; den += s.denominators[j]
                }
                values[g] = s.value(num, den)
                totalNum += num; totalDen += den
                if !values[g].isNaN { perGroup[g].append(values[g]) }
            }
            let v = s.value(totalNum, totalDen)
            if !v.isNaN { all.append(v) }
            let gap = GroupedSamples.gap(values)
            if !gap.isNaN { gaps.append(gap) }
        }
        let lowQ = (1 - level) / 2, highQ = 1 - lowQ
        func interval(_ xs: [Double]) -> GroupIntervals.Interval {
            guard !xs.isEmpty else { return .none }
            let sorted = xs.sorted()
            return .init(low: quantile(sorted, lowQ), high: quantile(sorted, highQ))
        }
        let observed = GroupedSamples.gap(s.groupValues(labels: s.groups))
        var p = Double.nan
        if !observed.isNaN && permutations > 0 {
            var labels = s.groups
            var permRng = Xoshiro256(seed: seed, stream: 72)
            var atLeast = 0
            // A tolerance so that a shuffle reproducing the observed split counts despite rounding.
            let tolerance = 1e-12 * max(1, abs(observed))
            for _ in 0..<permutations {
                permRng.shuffle(&labels)
                if GroupedSamples.gap(s.groupValues(labels: labels)) >= observed - tolerance { atLeast += 1 }
            }
            p = Double(1 + atLeast) / Double(1 + permutations)
        }
        return GroupIntervals(groups: perGroup.map(interval), all: interval(all), gap: interval(gaps), pValue: p)
    }

    /// The q-quantile of sorted values by linear interpolation between order statistics
    /// (Hyndman & Fan's type 7, numpy's default).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
