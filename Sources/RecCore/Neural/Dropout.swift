// Inverted dropout with a seeded mask.

/// Dropout (Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov, "Dropout: a simple way
/// to prevent neural networks from overfitting", JMLR 15, 2014) in its "inverted" form: during
/// training each value is zeroed with probability `rate` and the survivors are scaled by
/// 1/(1 − rate), so inference is the identity. The mask comes from the layer's own seeded
/// `Xoshiro256`, drawn in row-major order, so training stays bit-deterministic.
public final class Dropout: Layer {
    public let rate: Float
    var rng: Xoshiro256
    var mask: [Float] = []

    public init(rate: Float, seed: UInt64, stream: UInt64 = 0) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        self.rate = rate
        rng = Xoshiro256(seed: seed, stream: 0xD809 &+ stream)
    }

    public var parameters: [NetworkParameter] { [] }

    public func outputWidth(input: Int) -> Int { input }

    public func forward(_ x: Matrix, training: Bool) -> Matrix {
        guard training, rate > 0 else { return x }
        let keep = 1 / (1 - rate), p = Double(rate)
        if mask.count != x.values.count { mask = [Float](repeating: 0, count: x.values.count) }
        for j in 0..<mask.count { mask[j] = rng.nextDouble() < p ? 0 : keep }
        var y = x
        for j in 0..<mask.count { y.values[j] *= mask[j] }
        return y
    }

    public func backward(_ grad: Matrix, inputGradient: Bool = true) -> Matrix {
        guard rate > 0 else { return grad }
        precondition(grad.values.count == mask.count, "dropout backward: gradient shape differs")
        var g = grad
        for j in 0..<mask.count { g.values[j] *= mask[j] }
        return g
    }
}
