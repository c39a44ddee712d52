// Beyond-accuracy metrics over a whole set of recommendation lists: how the recommendations spread
// over the catalogue (coverage, Gini, entropy), how varied each list is (intra-list diversity) and
// how popular the recommended items are (novelty, ARP, long-tail share).

import Foundation

/// How often each catalogue item is recommended, and the spread of those counts.
public struct RecommendationDistribution: Sendable, Equatable {
    /// Times each catalogue item appears in the lists (0 for items never recommended).
    public let counts: [Int]
    /// Total recommendation slots (Σ counts).
    public let slots: Int
    /// Items recommended at least once.
    public let distinctItems: Int
    /// distinctItems / catalogue size.
    public let coverage: Double
    /// Gini index of `counts` (0 = every item equally often, (n−1)/n = one item only).
    public let gini: Double
    /// Shannon entropy of the recommendation distribution in nats (natural log).
    public let entropy: Double
    /// entropy / ln(catalogue size): 1 when every item is recommended equally often.
    public let normalizedEntropy: Double

    public init(counts: [Int]) {
        self.counts = counts
        slots = counts.reduce(0, +)
        distinctItems = counts.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        coverage = counts.isEmpty ? .nan : Double(distinctItems) / Double(counts.count)
        gini = Metrics.gini(counts)
        entropy = Metrics.entropy(counts)
        normalizedEntropy = Metrics.normalizedEntropy(counts)
    }
}

extension Metrics {
    /// Times each of `itemCount` catalogue items appears in the lists' top k (the whole lists when
    /// k is nil).
    public static func recommendationCounts(_ lists: RecommendationLists, k: Int? = nil, itemCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: itemCount)
        let k = k ?? Int.max
        for u in 0..<lists.count {
            let (lo, hi) = lists.bounds(u, k: k)
            for j in lo..<hi {
                let i = Int(lists.items[j])
                precondition(i >= 0 && i < itemCount, "recommended item \(i) outside the catalogue 0..<\(itemCount)")
                counts[i] += 1
            }
        }
        return counts
    }

    /// Counts, coverage, Gini and entropy of the recommendations over a catalogue of `itemCount` items.
    public static func distribution(_ lists: RecommendationLists, k: Int? = nil, itemCount: Int) -> RecommendationDistribution {
        RecommendationDistribution(counts: recommendationCounts(lists, k: k, itemCount: itemCount))
    }

    /// Catalogue coverage: distinct recommended items / itemCount.
    public static func catalogueCoverage(_ lists: RecommendationLists, k: Int? = nil, itemCount: Int) -> Double {
        distribution(lists, k: k, itemCount: itemCount).coverage
    }

    /// Gini index of non-negative counts, zeros included:
    /// G = Σ_{i=1..n} (2i − n − 1) c_(i) / (n Σ c) over the counts in ascending order.
    /// NaN when the counts are empty or all zero.
    public static func gini(_ counts: [Int]) -> Double {
        let n = counts.count
        let total = counts.reduce(0, +)
        guard n > 0, total > 0 else { return .nan }
        var s = 0.0
        for (i, c) in counts.sorted().enumerated() { s += Double(2 * (i + 1) - n - 1) * Double(c) }
        return s / (Double(n) * Double(total))
    }

    /// Shannon entropy −Σ p ln p (nats) of the distribution p = c / Σ c; NaN when all counts are 0.
    public static func entropy(_ counts: [Int]) -> Double {
        let total = counts.reduce(0, +)
        guard total > 0 else { return .nan }
        var h = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / Double(total)
            h -= p * log(p)
        }
        return h
    }

    /// entropy / ln(n) for n = counts.count (the maximum, reached by the uniform distribution);
    /// NaN when n < 2 or all counts are 0.
    public static func normalizedEntropy(_ counts: [Int]) -> Double {
        counts.count < 2 ? .nan : entropy(counts) / log(Double(counts.count))
    }

    /// Intra-list diversity over a single-valued item attribute (`categories[item]`, one code ≥ 0
    /// per item): per list, the mean over item pairs of 1 if the codes differ, else 0. Lists with
    /// fewer than two items are excluded. O(m) per list of m items: the pairs sharing a code are
    /// counted, not enumerated.
    public static func intraListDiversity(_ lists: RecommendationLists, k: Int? = nil,
                                          categories: [Int32]) -> PerUserMetric {
        let codes = Int(categories.max() ?? 0) + 1
        precondition(categories.allSatisfy { $0 >= 0 }, "category codes must be non-negative")
        return categories.withUnsafeBufferPointer { cat in
            perList(lists, k: k, costPerItem: k ?? 50, scratchCount: codes) { l, seen in
                guard l.count >= 2 else { return .nan }
                var same = 0
                for i in l {
                    let c = Int(cat[Int(i)])
                    same += Int(seen[c])
                    seen[c] += 1
                }
                for i in l { seen[Int(cat[Int(i)])] = 0 }
                let pairs = l.count * (l.count - 1) / 2
                return Double(pairs - same) / Double(pairs)
            }
        }
    }

    /// Intra-list diversity over a multi-valued item attribute (`labels` row = item, e.g. genres):
    /// the pair dissimilarity is 1 − Jaccard(labels(a), labels(b)), 0 for two items without labels.
    public static func intraListDiversity(_ lists: RecommendationLists, k: Int? = nil,
                                          labels: ItemSets) -> PerUserMetric {
        labels.items.withUnsafeBufferPointer { l in
            intraListDiversity(lists, k: k) { a, b in
                let (alo, ahi) = labels.bounds(Int(a)), (blo, bhi) = labels.bounds(Int(b))
                let sizes = (ahi - alo) + (bhi - blo)       // |A| + |B| = |A ∪ B| + |A ∩ B|
                guard sizes > 0 else { return 0 }
                var i = alo, j = blo, common = 0
                while i < ahi && j < bhi {
                    if l[i] == l[j] { common += 1; i += 1; j += 1 } else if l[i] < l[j] { i += 1 } else { j += 1 }
                }
                return 1 - Double(common) / Double(sizes - common)
            }
        }
    }

    /// Intra-list diversity with any pairwise dissimilarity: per list of m ≥ 2 items,
    /// Σ_{a<b} distance(a, b) / (m(m−1)/2), averaged over lists. `distance` is called from several
    /// threads at once when `parallel`.
    public static func intraListDiversity(_ lists: RecommendationLists, k: Int? = nil, parallel: Bool = true,
                                          distance: (Int32, Int32) -> Double) -> PerUserMetric {
        perList(lists, k: k, parallel: parallel, costPerItem: MemoryBudget.product(k ?? 50, k ?? 50) / 2) { l, _ in
            guard l.count >= 2 else { return .nan }
            var s = 0.0
            for a in 0 ..< l.count - 1 {
                for b in a + 1 ..< l.count { s += distance(l[a], l[b]) }
            }
            return s / Double(l.count * (l.count - 1) / 2)
        }
    }

    /// Novelty: per list, the mean self-information −log2(pop(i) / userCount) of its items, where
    /// pop(i) is the number of training users of item i (`popularity[i]`; items never seen in
    /// training, or beyond the array, count as 1 user). Averaged over non-empty lists.
    public static func novelty(_ lists: RecommendationLists, k: Int? = nil, popularity: [Int],
                               userCount: Int) -> PerUserMetric {
        precondition(userCount > 0, "userCount must be positive")
        let n = Double(userCount)
        let information = popularity.map { -log2(Double(max($0, 1)) / n) }
        let unseen = log2(n)
        return information.withUnsafeBufferPointer { info in
            perList(lists, k: k, costPerItem: k ?? 50) { l, _ in
                var s = 0.0
                for i in l { s += Int(i) < info.count ? info[Int(i)] : unseen }
                return s / Double(l.count)
            }
        }
    }

    /// Average recommendation popularity (ARP): per list, the mean training popularity
    /// `popularity[i]` of its items (0 beyond the array). Averaged over non-empty lists.
    public static func averagePopularity(_ lists: RecommendationLists, k: Int? = nil,
                                         popularity: [Int]) -> PerUserMetric {
        popularity.withUnsafeBufferPointer { pop in
            perList(lists, k: k, costPerItem: k ?? 50) { l, _ in
                var s = 0
                for i in l where Int(i) < pop.count { s += pop[Int(i)] }
                return Double(s) / Double(l.count)
            }
        }
    }

    /// The long-tail mask: the short head is the smallest set of most popular items (ties by
    /// index) whose interactions reach `headShare` of all interactions; every other item —
    /// including items without interactions — is in the long tail (true).
    public static func longTailItems(popularity: [Int], headShare: Double = 0.2) -> [Bool] {
        precondition(headShare >= 0 && headShare <= 1, "headShare must be in [0, 1]")
        var tail = [Bool](repeating: true, count: popularity.count)
        let target = headShare * Double(popularity.reduce(0, +))
        let order = popularity.indices.sorted { popularity[$0] != popularity[$1] ? popularity[$0] > popularity[$1] : $0 < $1 }
        var cumulative = 0
        for i in order where Double(cumulative) < target && popularity[i] > 0 {
            tail[i] = false
            cumulative += popularity[i]
        }
        return tail
    }

    /// Average percentage of long-tail items (APLT): per list, the fraction of its items with
    /// `longTail[i]` (items beyond the mask count as long tail). Averaged over non-empty lists.
    public static func longTailShare(_ lists: RecommendationLists, k: Int? = nil,
                                     longTail: [Bool]) -> PerUserMetric {
        longTail.withUnsafeBufferPointer { tail in
            perList(lists, k: k, costPerItem: k ?? 50) { l, _ in
                var s = 0
                for i in l where Int(i) >= tail.count || tail[Int(i)] { s += 1 }
                return Double(s) / Double(l.count)
            }
        }
    }

    /// Applies `value` to the top k of every non-empty list (rows in parallel when there are many),
    /// with a per-chunk scratch of `scratchCount` Int32s that starts at 0 and that `value` must
    /// leave at 0.
    static func perList(_ lists: RecommendationLists, k: Int?, parallel: Bool = true, costPerItem: Int,
                        scratchCount: Int = 0,
                        _ value: (UnsafeBufferPointer<Int32>, UnsafeMutableBufferPointer<Int32>) -> Double) -> PerUserMetric {
        let k = k ?? Int.max
        return lists.items.withUnsafeBufferPointer { items in
            perRow(lists.count, costPerItem: costPerItem, parallel: parallel, scratchCount: scratchCount,
                   zero: Int32(0)) { u, scratch in
                let (lo, hi) = lists.bounds(u, k: k)
                return hi > lo ? value(UnsafeBufferPointer(rebasing: items[lo..<hi]), scratch) : .nan
            }
        }
    }
}
