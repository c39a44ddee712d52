// Training objectives, each with its gradient with respect to the network output.

import Foundation

/// What a network minimises, averaged over the mini-batch. The cross-entropies are evaluated on
/// *logits* z (the output layer's pre-activations) and fused with their activation, which is
/// both exact where the separate formulas overflow and cheaper:
///
/// - `meanSquaredError`: (1/(n·c)) Σ (y − t)², gradient 2(y − t)/(n·c).
/// - `binaryCrossEntropy` (independent sigmoid outputs): per value
///   −t log σ(z) − (1−t) log(1 − σ(z)) = max(z, 0) − z t + log(1 + e^−|z|), gradient
///   (σ(z) − t)/(n·c) — the form of TensorFlow's `sigmoid_cross_entropy_with_logits`.
/// - `categoricalCrossEntropy` (softmax over each row): −Σ_j t_j log softmax(z)_j
///   = (Σ_j t_j) logsumexp(z) − Σ_j t_j z_j, averaged over rows, gradient
///   ((Σ_j t_j) softmax(z) − t)/n (softmax(z) − t for one-hot or probability targets).
///   See Goodfellow, Bengio & Courville, *Deep Learning* (2016), §6.2.2.
public enum Loss: String, Sendable, CaseIterable, CustomStringConvertible {
    case meanSquaredError = "mse"
    case binaryCrossEntropy = "binary_crossentropy"
    case categoricalCrossEntropy = "categorical_crossentropy"

    /// Also accepts common spellings: `mse`, `mean_squared_error`, `bce`, `binary_crossentropy`,
    /// `binary_cross_entropy`, `ce`, `cross_entropy`, `categorical_crossentropy`,
    /// `categorical_cross_entropy`.
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "mse", "mean_squared_error", "squared_error": self = .meanSquaredError
        case "bce", "binary_crossentropy", "binary_cross_entropy", "logloss", "log_loss": self = .binaryCrossEntropy
        case "ce", "cross_entropy", "crossentropy", "categorical_crossentropy", "categorical_cross_entropy":
            self = .categoricalCrossEntropy
        default: return nil
        }
    }

    public var description: String { rawValue }

    /// The output activation this loss is fused with (evaluated on its logits).
    public var fusedActivation: Activation? {
        switch self {
        case .meanSquaredError: return nil
        case .binaryCrossEntropy: return .sigmoid
        case .categoricalCrossEntropy: return .softmax
        }
    }

    /// The mean loss of a `rows × columns` batch; writes ∂L/∂output into `gradient` when given.
    /// `output` holds predictions for MSE and logits for the cross-entropies.
    func evaluate(output o: UnsafePointer<Float>, targets t: UnsafePointer<Float>,
                  gradient g: UnsafeMutablePointer<Float>?, rows n: Int, columns c: Int) -> Double {
        guard n > 0, c > 0 else { return 0 }
        var total = 0.0
        switch self {
        case .meanSquaredError:
            let scale = 2 / Float(n * c)
            for j in 0..<n * c {
                let e = o[j] - t[j]
                total += Double(e) * Double(e)
                g?[j] = scale * e
            }
            return total / Double(n * c)
        case .binaryCrossEntropy:
            let scale = 1 / Float(n * c)
            for j in 0..<n * c {
                let z = o[j], y = t[j]
                total += Double(max(z, 0) - z * y + log1p(exp(-abs(z))))
                g?[j] = scale * (logistic(z) - y)
            }
            return total / Double(n * c)
        case .categoricalCrossEntropy:
            let scale = 1 / Float(n)
            for r in 0..<n {
                let z = o + r * c, y = t + r * c
                var mass: Float = 0, dotZY: Float = 0
                for j in 0..<c { mass += y[j]; dotZY += y[j] * z[j] }
                let lse = logSumExp(z, c)
                total += Double(mass * lse - dotZY)
                if let g {
                    let gr = g + r * c
                    for j in 0..<c { gr[j] = z[j] }
                    softmaxRow(gr, c)
                    for j in 0..<c { gr[j] = scale * (mass * gr[j] - y[j]) }
                }
            }
            return total / Double(n)
        }
    }

    /// The mean loss of `output` against `targets` (same shape).
    public func value(output: Matrix, targets: Matrix) -> Double {
        precondition(output.rows == targets.rows && output.columns == targets.columns, "loss: shapes differ")
        return output.values.withUnsafeBufferPointer { o in
            targets.values.withUnsafeBufferPointer { t in
                guard let op = o.baseAddress, let tp = t.baseAddress else { return 0 }
                return evaluate(output: op, targets: tp, gradient: nil, rows: output.rows, columns: output.columns)
            }
        }
    }

    /// The mean loss and ∂L/∂output.
    public func valueAndGradient(output: Matrix, targets: Matrix) -> (Double, Matrix) {
        precondition(output.rows == targets.rows && output.columns == targets.columns, "loss: shapes differ")
        var g = Matrix(rows: output.rows, columns: output.columns)
        let v = output.values.withUnsafeBufferPointer { o in
            targets.values.withUnsafeBufferPointer { t in
                g.values.withUnsafeMutableBufferPointer { gb -> Double in
                    guard let op = o.baseAddress, let tp = t.baseAddress else { return 0 }
                    return evaluate(output: op, targets: tp, gradient: gb.baseAddress, rows: output.rows, columns: output.columns)
                }
            }
        }
        return (v, g)
    }
}
