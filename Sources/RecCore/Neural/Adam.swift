// Adam: adaptive moment estimation, with lazy updates of sparse rows.

import Foundation

/// Adam — Kingma & Ba, "Adam: a method for stochastic optimization" (ICLR 2015), Algorithm 1:
///
///     g ← ∇ + λ w
///     m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) g²
///     m̂ = m / (1 − β₁ᵗ)              v̂ = v / (1 − β₂ᵗ)
///     w ← w − α m̂ / (√v̂ + ε)
///
/// with t the number of steps taken by this optimizer. Sparse parameters (embeddings) are
/// updated *lazily*, as TensorFlow's `LazyAdamOptimizer`: only the rows touched in the step
/// have their moments and weights updated, with the global t in the bias corrections; an
/// untouched row's moments do not decay in between. That makes a step O(batch) instead of
/// O(table) and is the usual choice for recommender embeddings.
///
/// Moments are updated in `SIMD8<Float>` lanes; every weight follows the same operation order,
/// so results are bit-deterministic.
public final class Adam: Optimizer {
    public let learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    /// Steps taken.
    public internal(set) var steps = 0

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        precondition(learningRate > 0 && beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon >= 0,
                     "invalid Adam hyper-parameters")
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
    }

    public func step(_ parameters: [NetworkParameter]) {
        steps += 1
        let t = Double(steps)
        let c1 = Float(1 - pow(Double(beta1), t)), c2 = Float(1 - pow(Double(beta2), t))
        let b1 = beta1, b2 = beta2, lr = learningRate, eps = epsilon
        for p in parameters {
            if p.first.count != p.values.count {
                p.first = [Float](repeating: 0, count: p.values.count)
                p.second = [Float](repeating: 0, count: p.values.count)
            }
            let l2 = p.l2
            p.values.withUnsafeMutableBufferPointer { w in
            p.gradient.withUnsafeBufferPointer { g in
            p.first.withUnsafeMutableBufferPointer { m in
            p.second.withUnsafeMutableBufferPointer { v in
                let w = w.baseAddress!, g = g.baseAddress!, m = m.baseAddress!, v = v.baseAddress!
                p.forEachUpdateRange { range in
                    var j = range.lowerBound
                    let end = range.upperBound
                    while j + 8 <= end {
                        let wj = Adam.load(w + j)
                        let gj = Adam.load(g + j) + SIMD8(repeating: l2) * wj
                        let mj = SIMD8(repeating: b1) * Adam.load(m + j) + SIMD8(repeating: 1 - b1) * gj
                        let vj = SIMD8(repeating: b2) * Adam.load(v + j) + SIMD8(repeating: 1 - b2) * (gj * gj)
                        let step = SIMD8(repeating: lr) * (mj / SIMD8(repeating: c1))
                            / ((vj / SIMD8(repeating: c2)).squareRoot() + SIMD8(repeating: eps))
                        Adam.store(mj, m + j); Adam.store(vj, v + j); Adam.store(wj - step, w + j)
                        j += 8
                    }
                    while j < end {
                        let gj = g[j] + l2 * w[j]
                        let mj = b1 * m[j] + (1 - b1) * gj
                        let vj = b2 * v[j] + (1 - b2) * (gj * gj)
                        m[j] = mj; v[j] = vj
                        w[j] -= lr * (mj / c1) / ((vj / c2).squareRoot() + eps)
                        j += 1
                    }
                }
            }}}}
            p.zeroGradient()
        }
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ x: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: x, as: SIMD8<Float>.self)
    }
}
