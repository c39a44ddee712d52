// Stochastic gradient descent, optionally with momentum.

/// Mini-batch stochastic gradient descent (Robbins & Monro 1951) with optional heavy-ball
/// momentum (Polyak 1964) in the form of Sutskever, Martens, Dahl & Hinton, "On the importance
/// of initialization and momentum in deep learning" (ICML 2013), as PyTorch implements it:
///
///     g ← ∇ + λ w,    v ← μ v + g,    w ← w − η v      (v ≡ g when μ = 0)
///
/// Sparse parameters keep velocity per row and update it only when the row is touched ("lazy"
/// momentum: an untouched row's velocity does not decay in between).
public final class SGD: Optimizer {
    public let learningRate: Float
    public let momentum: Float

    public init(learningRate: Float, momentum: Float = 0) {
        precondition(learningRate > 0 && momentum >= 0 && momentum < 1, "invalid SGD hyper-parameters")
        self.learningRate = learningRate; self.momentum = momentum
    }

    public func step(_ parameters: [NetworkParameter]) {
        let lr = learningRate, mu = momentum
        for p in parameters {
            if mu > 0 && p.first.count != p.values.count { p.first = [Float](repeating: 0, count: p.values.count) }
            let l2 = p.l2
            p.values.withUnsafeMutableBufferPointer { w in
                p.gradient.withUnsafeBufferPointer { g in
                    p.first.withUnsafeMutableBufferPointer { v in
                        p.forEachUpdateRange { range in
                            for j in range {
                                var d = g[j] + l2 * w[j]
                                if mu > 0 { d = mu * v[j] + d; v[j] = d }
                                w[j] -= lr * d
                            }
                        }
                    }
                }
            }
            p.zeroGradient()
        }
    }
}
