// Exact top-k lists of a factor model without scoring every item: items in descending order of
// their factor norms, and a bound that says when the rest cannot enter the list.

import Foundation

/// A factor model's known items sorted by the norm of their factors, for `recommendAll`.
///
/// By Cauchy–Schwarz p_u · q_i ≤ ‖p_u‖ ‖q_i‖, so walking the items in descending ‖q_i‖, once
/// base + ‖p_u‖ ‖q_i‖ falls below the k-th best score found so far no later item can enter the
/// list — the norm-ordered bound of maximum inner-product search (Teflioudi, Gemulla &
/// Mykytiuk, "LEMP: fast retrieval of large entries in a matrix product", SIGMOD 2015). On
/// long-tailed data the best items are the popular ones, whose factors are the longest, and a
/// user's list is usually settled after a small part of the catalogue.
///
/// The lists are exactly those of scoring every item: each score computed is `scoreAll`'s (one
/// `gemv` row over the same vectors, in `dot`'s order), the heap is `TopK`'s, and an item is
/// left out only when the bound, widened by far more than the rounding error of a 64-to-1024-term
/// dot product, is strictly below the k-th score (an item that could tie is still scored).
/// Only for models without item biases: a bias per item would break the order.
final class BoundedRanking: @unchecked Sendable {
    let factors: Int
    /// Known items, longest factors first.
    let order: [Int32]
    /// ‖q‖ of `order`'s items.
    let norms: [Float]
    let model: FactorModel
    /// Items scored at once between two bound checks.
    let block: Int

    init?(_ m: FactorModel, excluding unknown: [Int32], block: Int = 128) {
        self.block = max(1, block)
        guard m.itemBias == nil, m.itemCount > 0 else { return nil }
        let f = m.factors
        var known = [Bool](repeating: true, count: m.itemCount)
        for i in unknown where i >= 0 && Int(i) < known.count { known[Int(i)] = false }
        let all = m.itemFactors.withUnsafeBufferPointer { q in
            (0..<m.itemCount).map { i -> Float in
                let s = sumOfSquares(q.baseAddress! + i * f, f).squareRoot()
                return s.isNaN ? .infinity : s   // never skipped on a NaN bound
            }
        }
        let candidates: [Int32] = (0..<Int32(m.itemCount)).filter { known[Int($0)] }
        let order = candidates.sorted { (a: Int32, b: Int32) -> Bool in
            let na = all[Int(a)], nb = all[Int(b)]
            return na > nb || (na == nb && a < b)
        }
        self.order = order
        norms = order.map { all[Int($0)] }
        factors = f
        model = m
    }

    /// The top k of known user `u` (a scoring index) into `items`/`values`, best first, padded
    /// like `TopK.select`; `masked[i]` leaves item i out. `scratch` holds `block` floats.
    /// Returns the length of the list and how many items were scored.
    @discardableResult
    func select(user u: Int32, k: Int, masked: UnsafePointer<Bool>, scratch: UnsafeMutablePointer<Float>,
                items: UnsafeMutableBufferPointer<Int32>, values: UnsafeMutableBufferPointer<Float>) -> (listed: Int, scored: Int) {
        let f = factors, n = order.count
        let base = model.globalMean + (model.userBias?[Int(u)] ?? 0)
        var heap = TopK.Heap(items: items, values: values, k: k)
        var scored = 0
        model.userFactors.withUnsafeBufferPointer { p in
        model.itemFactors.withUnsafeBufferPointer { q in
        order.withUnsafeBufferPointer { order in
            let pu = p.baseAddress! + Int(u) * f
            let pn = sumOfSquares(pu, f).squareRoot()
            var j0 = 0
            while j0 < n {
                if heap.size == k {
                    let bound = pn * norms[j0]
                    // Relative 1e-4 covers the dot product's and the norms' rounding many times over.
                    if base + (bound + bound.magnitude * 1e-4 + .leastNormalMagnitude) < values[0] { break }
                }
                let j1 = min(n, j0 + block)
                // The rows named by `order` in place: a sorted copy would be the item factors again.
                gemv(q.baseAddress!, width: f, rows: order.baseAddress! + j0, count: j1 - j0, pu, into: scratch)
                for t in 0..<(j1 - j0) {
                    let i = order[j0 + t]
                    if masked[Int(i)] { continue }
                    let s = base + scratch[t]
                    if s > -.infinity { heap.offer(s, i) }
                }
                scored = j1
                j0 = j1
            }
        }}}
        return (heap.finish(), scored)
    }
}
