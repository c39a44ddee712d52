// Per-user AUC over the full candidate scoring: the fraction of (relevant, non-relevant) candidate
// pairs the scores order correctly, ties counting one half. Candidates are all items not in the
// user's training set.

extension Metrics {
    /// AUC of one user: `scores` over the whole catalogue, `relevant` the user's relevant items,
    /// `excluded` the items that are not candidates (the user's training items). Nil when there is
    /// no relevant or no non-relevant candidate.
    public static func auc(scores: [Float], relevant: [Int32], excluded: [Int32] = []) -> Double? {
        let rel = ItemSets([relevant]), exc = ItemSets([excluded])
        var scratch = [Float](repeating: 0, count: rel.items.count)
        let v = scores.withUnsafeBufferPointer { s in
            rel.items.withUnsafeBufferPointer { r in
                exc.items.withUnsafeBufferPointer { e in
                    scratch.withUnsafeMutableBufferPointer { aucKernel(s, relevant: r, excluded: e, scratch: $0) }
                }
            }
        }
        return v.isNaN ? nil : v
    }

    /// AUC of every user (row of `relevant`) with a relevant and a non-relevant candidate.
    /// `scores(user, buffer)` fills `buffer` (itemCount floats) with the user's score of every
    /// item; it is called once per evaluated user, from several threads at once when `parallel`.
    /// NaN scores rank below every number.
    public static func auc(itemCount: Int, training: ItemSets, relevant: ItemSets, parallel: Bool = true,
                           scores: (_ user: Int, _ into: UnsafeMutableBufferPointer<Float>) -> Void) -> PerUserMetric {
        let maxRelevant = relevant.longestRow
        return training.items.withUnsafeBufferPointer { train in
            relevant.items.withUnsafeBufferPointer { rel in
                // Scratch per chunk: the user's scores, then room for the relevant candidates' scores.
                perRow(relevant.count, costPerItem: itemCount, parallel: parallel,
                       scratchCount: itemCount + maxRelevant, zero: Float(0)) { u, scratch in
                    let (rlo, rhi) = relevant.bounds(u)
                    guard rhi > rlo else { return .nan }
                    let (tlo, thi) = training.bounds(u)
                    let buf = UnsafeMutableBufferPointer(rebasing: scratch[0..<itemCount])
                    scores(u, buf)
                    return aucKernel(UnsafeBufferPointer(buf),
                                     relevant: UnsafeBufferPointer(rebasing: rel[rlo..<rhi]),
                                     excluded: UnsafeBufferPointer(rebasing: train[tlo..<thi]),
                                     scratch: UnsafeMutableBufferPointer(rebasing: scratch[itemCount...]))
                }
            }
        }
    }

    /// AUC from a dense users × items row-major score matrix (row u = user u).
    public static func auc(scoreMatrix: [Float], itemCount: Int, training: ItemSets,
                           relevant: ItemSets) -> PerUserMetric {
        precondition(itemCount > 0 && scoreMatrix.count >= relevant.count * itemCount,
                     "the score matrix needs itemCount scores for every row of relevant")
        return scoreMatrix.withUnsafeBufferPointer { m in
            auc(itemCount: itemCount, training: training, relevant: relevant) { u, buf in
                _ = buf.initialize(from: m[u * itemCount ..< (u + 1) * itemCount])
            }
        }
    }
}

/// AUC of one user. `relevant` and `excluded` are sorted; `scratch` holds at least
/// `relevant.count` floats. NaN when there is no relevant or no non-relevant candidate.
///
/// The relevant candidates' scores are sorted once; each non-relevant candidate then counts the
/// relevant scores above and equal to its own by binary search: O(n log r) with no allocation.
func aucKernel(_ scores: UnsafeBufferPointer<Float>, relevant: UnsafeBufferPointer<Int32>,
               excluded: UnsafeBufferPointer<Int32>, scratch: UnsafeMutableBufferPointer<Float>) -> Double {
    @inline(__always) func key(_ s: Float) -> Float { s.isNaN ? -.infinity : s }
    let n = scores.count
    var r = 0
    for x in relevant where x >= 0 && Int(x) < n && !sortedContains(excluded, 0, excluded.count, x) {
        scratch[r] = key(scores[Int(x)])
        r += 1
    }
    guard r > 0 else { return .nan }
    var rel = UnsafeMutableBufferPointer(rebasing: scratch[0..<r])
    rel.sort()
    // twice = 2 × (pairs ranked correctly) + (tied pairs), kept exact in integers.
    var twice = 0, negatives = 0
    var ep = 0, rp = 0
    for i in 0..<n {
        let item = Int32(truncatingIfNeeded: i)
        while ep < excluded.count && excluded[ep] < item { ep += 1 }
        if ep < excluded.count && excluded[ep] == item { continue }
        while rp < relevant.count && relevant[rp] < item { rp += 1 }
        if rp < relevant.count && relevant[rp] == item { continue }
        let s = key(scores[i])
        var lo = 0, hi = r                 // first relevant score ≥ s
        while lo < hi { let m = (lo + hi) &>> 1; if rel[m] < s { lo = m + 1 } else { hi = m } }
        var up = lo, uhi = r               // first relevant score > s
        while up < uhi { let m = (up + uhi) &>> 1; if rel[m] <= s { up = m + 1 } else { uhi = m } }
        twice += 2 * (r - up) + (up - lo)
        negatives += 1
    }
    guard negatives > 0 else { return .nan }
    return Double(twice) / (2 * Double(r) * Double(negatives))
}
