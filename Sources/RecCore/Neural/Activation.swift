// Element-wise (and row-wise softmax) activation functions with their backward passes.

import Foundation

/// The non-linearity applied after a dense layer's affine map. The raw values are the names a
/// language binding passes (`dense(64, "relu")`).
public enum Activation: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Identity.
    case linear
    /// max(0, z) — Nair & Hinton, "Rectified linear units improve restricted Boltzmann
    /// machines" (ICML 2010). The derivative at 0 is taken as 0.
    case relu
    /// 1 / (1 + e^−z).
    case sigmoid
    /// tanh z.
    case tanh
    /// e^{z_j} / Σ_k e^{z_k} over each row (computed after subtracting the row maximum).
    case softmax

    public var description: String { rawValue }

    /// Applies the activation in place to a `rows × columns` block.
    func apply(_ z: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        let n = rows * columns
        switch self {
        case .linear:
            break
        case .relu:
            for i in 0..<n where z[i] < 0 { z[i] = 0 }   // NaN stays visible
        case .sigmoid:
            for i in 0..<n { z[i] = logistic(z[i]) }
        case .tanh:
            for i in 0..<n { z[i] = Foundation.tanh(z[i]) }
        case .softmax:
            for r in 0..<rows { softmaxRow(z + r * columns, columns) }
        }
    }

    /// Turns `g` (∂L/∂y, overwritten) into ∂L/∂z given the activation's output `y`.
    func backward(output y: UnsafePointer<Float>, grad g: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        let n = rows * columns
        switch self {
        case .linear:
            break
        case .relu:
            for i in 0..<n where !(y[i] > 0) { g[i] = 0 }
        case .sigmoid:
            for i in 0..<n { g[i] *= y[i] * (1 - y[i]) }
        case .tanh:
            for i in 0..<n { g[i] *= 1 - y[i] * y[i] }
        case .softmax:
            // ∂L/∂z_j = y_j (g_j − Σ_k g_k y_k): the softmax Jacobian times g, without forming it.
            for r in 0..<rows {
                let yr = y + r * columns, gr = g + r * columns
                var s: Float = 0
                for j in 0..<columns { s += gr[j] * yr[j] }
                for j in 0..<columns { gr[j] = yr[j] * (gr[j] - s) }
            }
        }
    }
}

/// The logistic function, without overflow for large |z|.
@inline(__always)
func logistic(_ z: Float) -> Float {
    if z >= 0 { return 1 / (1 + exp(-z)) }
    let e = exp(z)
    return e / (1 + e)
}

/// Softmax of n values in place (max-subtracted).
@inline(__always)
func softmaxRow(_ z: UnsafeMutablePointer<Float>, _ n: Int) {
    guard n > 0 else { return }
    var mx = z[0]
    for j in 1..<max(1, n) where z[j] > mx { mx = z[j] }
    var s: Float = 0
    for j in 0..<n { let e = exp(z[j] - mx); z[j] = e; s += e }
    let inv = 1 / s
    for j in 0..<n { z[j] *= inv }
}

/// log Σ_j e^{z_j}, stably.
@inline(__always)
func logSumExp(_ z: UnsafePointer<Float>, _ n: Int) -> Float {
    var mx = z[0]
    for j in 1..<max(1, n) where z[j] > mx { mx = z[j] }
    var s: Float = 0
    for j in 0..<n { s += exp(z[j] - mx) }
    return mx + log(s)
}
