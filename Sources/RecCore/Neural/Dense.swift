// The fully connected layer y = act(x W + b).

/// A fully connected layer: for each input row x (length `inputs`),
///
///     z = x W + b,    y = act(z)
///
/// with W `inputs × units` (row-major) and b of length `units`. Backward, for the batch X, Z, Y
/// and upstream G = ∂L/∂Y:
///
///     ∂L/∂Z = G ⊙ act′(Z)   (via Y; the softmax Jacobian-vector product for softmax)
///     ∂L/∂W += Xᵀ ∂L/∂Z,    ∂L/∂b += Σ_rows ∂L/∂Z,    ∂L/∂X = ∂L/∂Z Wᵀ
///
/// All three products go through `GEMM.multiply` (OpenBLAS), which reads Xᵀ and Wᵀ through its
/// transpose flags instead of materialising them.
///
/// When a loss is fused with the activation (sigmoid with binary cross-entropy, softmax with
/// categorical cross-entropy), the layer keeps the logits Z for the loss and `backward` takes
/// ∂L/∂Z directly.
public final class Dense: Layer {
    public let inputs: Int
    public let units: Int
    public let activation: Activation
    /// W, `inputs × units`.
    public let weights: NetworkParameter
    /// b, `1 × units`.
    public let bias: NetworkParameter
    /// Backward receives ∂L/∂Z rather than ∂L/∂Y (set by a fused loss).
    public var gradientIsPreActivation = false
    /// Keep Z of the last forward pass in `logits` (for a fused loss).
    public var keepsLogits = false
    /// Z of the last forward pass when `keepsLogits`.
    public private(set) var logits = Matrix(rows: 0, columns: 0)

    var input = Matrix(rows: 0, columns: 0)
    var output = Matrix(rows: 0, columns: 0)

    /// A layer with seeded initial weights (`Initializer.default(for:)` unless given) and zero bias.
    public init(inputs: Int, units: Int, activation: Activation = .linear, initializer: Initializer? = nil,
                rng: inout Xoshiro256, label: String = "dense") {
        precondition(inputs > 0 && units > 0, "a dense layer needs positive sizes")
        self.inputs = inputs; self.units = units; self.activation = activation
        let w = (initializer ?? .default(for: activation)).values(count: inputs * units, fanIn: inputs, fanOut: units, rng: &rng)
        weights = NetworkParameter(rows: inputs, columns: units, values: w, label: label + ".weights")
        bias = NetworkParameter(rows: 1, columns: units, values: [Float](repeating: 0, count: units), label: label + ".bias")
    }

    /// A layer with the given W (`inputs × units`) and b.
    public init(weights w: Matrix, bias b: [Float], activation: Activation = .linear, label: String = "dense") {
        precondition(b.count == w.columns && w.rows > 0 && w.columns > 0, "bias length must equal the unit count")
        inputs = w.rows; units = w.columns; self.activation = activation
        weights = NetworkParameter(rows: w.rows, columns: w.columns, values: w.values, label: label + ".weights")
        bias = NetworkParameter(rows: 1, columns: w.columns, values: b, label: label + ".bias")
    }

    public var parameters: [NetworkParameter] { [weights, bias] }

    public func outputWidth(input: Int) -> Int { units }

    public func forward(_ x: Matrix, training: Bool) -> Matrix {
        precondition(x.columns == inputs, "dense layer expects \(inputs) columns, got \(x.columns)")
        let n = x.rows, k = inputs, m = units
        var y = Matrix(rows: n, columns: m)
        y.values.withUnsafeMutableBufferPointer { yb in
            guard let yp = yb.baseAddress else { return }
            bias.values.withUnsafeBufferPointer { b in
                for r in 0..<n { (yp + r * m).update(from: b.baseAddress!, count: m) }
            }
            x.values.withUnsafeBufferPointer { xb in
                weights.values.withUnsafeBufferPointer { wb in
                    GEMM.multiply(xb.baseAddress!, wb.baseAddress!, yp, n: n, k: k, m: m, accumulate: true)
                }
            }
        }
        if keepsLogits { logits = y }
        y.values.withUnsafeMutableBufferPointer { yb in
            if let yp = yb.baseAddress { activation.apply(yp, rows: n, columns: m) }
        }
        if training { input = x; output = y }
        return y
    }

    public func backward(_ grad: Matrix, inputGradient: Bool = true) -> Matrix {
        let n = input.rows, k = inputs, m = units
        precondition(grad.rows == n && grad.columns == m, "dense backward: gradient shape differs from the output")
        guard n > 0 else { return Matrix(rows: 0, columns: k) }
        var dz = grad
        if !gradientIsPreActivation {
            output.values.withUnsafeBufferPointer { y in
                dz.values.withUnsafeMutableBufferPointer { g in
                    activation.backward(output: y.baseAddress!, grad: g.baseAddress!, rows: n, columns: m)
                }
            }
        }
        dz.values.withUnsafeBufferPointer { g in
            let g = g.baseAddress!
            // ∂L/∂W += Xᵀ ∂L/∂Z: X (n × k) read transposed in place.
            input.values.withUnsafeBufferPointer { xb in
                weights.gradient.withUnsafeMutableBufferPointer { dw in
                    GEMM.multiply(xb.baseAddress!, g, dw.baseAddress!, n: k, k: n, m: m, accumulate: true, transposeA: true)
                }
            }
            bias.gradient.withUnsafeMutableBufferPointer { db in
                for r in 0..<n { axpy(1, g + r * m, db.baseAddress!, m) }
            }
        }
        guard inputGradient else { return Matrix(rows: 0, columns: 0) }
        var dx = Matrix(rows: n, columns: k)
        // ∂L/∂X = ∂L/∂Z Wᵀ: W (k × m) read transposed in place.
        dz.values.withUnsafeBufferPointer { g in
            weights.values.withUnsafeBufferPointer { wb in
                dx.values.withUnsafeMutableBufferPointer { d in
                    GEMM.multiply(g.baseAddress!, wb.baseAddress!, d.baseAddress!, n: n, k: m, m: k, accumulate: false,
                                  transposeB: true)
                }
            }
        }
        return dx
    }
}
