// Top-N accuracy with binary relevance, per user then averaged: precision, recall, F1, hit rate,
// reciprocal rank, average precision and NDCG at k, all from one pass over each user's top k.

import Foundation

/// The top-N accuracy metrics.
public enum TopNMetric: String, CaseIterable, Sendable {
    case precision, recall, f1, hitRate, reciprocalRank, averagePrecision, ndcg
}

/// Every top-N metric at one cutoff, per user (users with at least one relevant item).
/// The means are MAP (`averagePrecision.mean`), MRR (`reciprocalRank.mean`) and so on.
public struct TopNResult: Sendable, Equatable {
    public let k: Int
    public let precision: PerUserMetric
    public let recall: PerUserMetric
    public let f1: PerUserMetric
    public let hitRate: PerUserMetric
    public let reciprocalRank: PerUserMetric
    public let averagePrecision: PerUserMetric
    public let ndcg: PerUserMetric

    public subscript(metric: TopNMetric) -> PerUserMetric {
        switch metric {
        case .precision: return precision
        case .recall: return recall
        case .f1: return f1
        case .hitRate: return hitRate
        case .reciprocalRank: return reciprocalRank
        case .averagePrecision: return averagePrecision
        case .ndcg: return ndcg
        }
    }
}

extension Metrics {
    /// Top-N metrics at cutoff `k` for every user (row of `relevant`) with at least one relevant
    /// item; a user without a list (or with fewer than k items) is scored on what there is, so an
    /// empty list scores 0. Rows of `recommendations` beyond `relevant.count` are ignored.
    public static func topN(_ recommendations: RecommendationLists, relevant: ItemSets, k: Int) -> TopNResult {
        precondition(k > 0, "k must be positive")
        let users = relevant.count
        let metrics = TopNMetric.allCases.count
        // gain[i] = 1/log2(i + 2), the discount of rank i + 1; idcg[j] = Σ_{i<j} gain[i], the ideal
        // DCG of j relevant items, for j ≤ min(k, largest relevant set).
        var longestList = 0
        for u in 0..<min(users, recommendations.count) {
            let (lo, hi) = recommendations.bounds(u, k: k)
            longestList = max(longestList, hi - lo)
        }
        let idealLength = min(k, relevant.longestRow)
        let gain = (0..<max(longestList, idealLength)).map { 1 / log2(Double($0 + 2)) }
        var idcg = [0.0]
        for g in gain.prefix(idealLength) { idcg.append(idcg[idcg.count - 1] + g) }
        precondition(relevant.items.allSatisfy { $0 >= 0 }, "item indices must be non-negative")
        let stampSize = Int(relevant.items.max() ?? -1) + 1

        var dense = [Double](repeating: .nan, count: metrics * users)
        recommendations.items.withUnsafeBufferPointer { rec in
            relevant.items.withUnsafeBufferPointer { rel in
                dense.withUnsafeMutableBufferPointer { out in
                    let out = out
                    forEachChunk(users, costPerItem: k) { range in
                        // stamp[i] == u marks item i relevant to user u: set per user, never cleared.
                        let stamp = UnsafeMutableBufferPointer<Int32>.allocate(capacity: stampSize)
                        stamp.initialize(repeating: -1)
                        defer { stamp.deallocate() }
                        for u in range {
                            let (rlo, rhi) = relevant.bounds(u)
                            let nRel = rhi - rlo
                            guard nRel > 0 else { continue }
                            let mark = Int32(truncatingIfNeeded: u)
                            for j in rlo..<rhi { stamp[Int(rel[j])] = mark }
                            let (lo, hi) = recommendations.bounds(u, k: k)
                            var hits = 0, firstHit = 0, apSum = 0.0, dcg = 0.0
                            for j in lo..<hi {
                                let x = Int(rec[j])
                                guard x >= 0 && x < stampSize && stamp[x] == mark else { continue }
                                let rank = j - lo + 1
                                hits += 1
                                if firstHit == 0 { firstHit = rank }
                                apSum += Double(hits) / Double(rank)
                                dcg += gain[rank - 1]
                            }
                            let p = Double(hits) / Double(k)
                            let r = Double(hits) / Double(nRel)
                            let ideal = min(k, nRel)
                            out[0 * users + u] = p
                            out[1 * users + u] = r
                            out[2 * users + u] = hits == 0 ? 0 : 2 * p * r / (p + r)
                            out[3 * users + u] = hits > 0 ? 1 : 0
                            out[4 * users + u] = firstHit == 0 ? 0 : 1 / Double(firstHit)
                            out[5 * users + u] = apSum / Double(ideal)
                            out[6 * users + u] = dcg / idcg[ideal]
                        }
                    }
                }
            }
        }
        // Every metric excludes the same users, so they share one user list.
        var included = [Int32]()
        for u in 0..<users where !dense[u].isNaN { included.append(Int32(u)) }
        func metric(_ m: Int) -> PerUserMetric {
            PerUserMetric(users: included, values: included.map { dense[m * users + Int($0)] })
        }
        return TopNResult(k: k, precision: metric(0), recall: metric(1), f1: metric(2), hitRate: metric(3),
                          reciprocalRank: metric(4), averagePrecision: metric(5), ndcg: metric(6))
    }
}
