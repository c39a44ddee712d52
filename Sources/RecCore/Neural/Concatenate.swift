// Joining several batches side by side (a merge node of a network graph).

/// Concatenation along the columns: rows r of the inputs, one after another, form row r of the
/// output. Backward splits ∂L/∂output back into the inputs' column ranges. Used to join NCF's
/// user and item MLP embeddings and its GMF and MLP branches.
public final class Concatenate {
    /// Column counts of the inputs of the last forward pass.
    public private(set) var widths: [Int] = []

    public init() {}

    public func forward(_ parts: [Matrix]) -> Matrix {
        precondition(!parts.isEmpty, "nothing to concatenate")
        let n = parts[0].rows
        precondition(parts.allSatisfy { $0.rows == n }, "concatenated batches must have the same number of rows")
        widths = parts.map(\.columns)
        let total = widths.reduce(0, +)
        var y = Matrix(rows: n, columns: total)
        y.values.withUnsafeMutableBufferPointer { out in
            var offset = 0
            for p in parts {
                let c = p.columns
                p.values.withUnsafeBufferPointer { src in
                    for r in 0..<n where c > 0 {
                        (out.baseAddress! + r * total + offset).update(from: src.baseAddress! + r * c, count: c)
                    }
                }
                offset += c
            }
        }
        return y
    }

    /// ∂L/∂input for each input, in order.
    public func backward(_ grad: Matrix) -> [Matrix] {
        let n = grad.rows, total = grad.columns
        precondition(total == widths.reduce(0, +), "concatenate backward: gradient width differs from the output")
        var offset = 0
        return widths.map { c in
            var part = Matrix(rows: n, columns: c)
            grad.values.withUnsafeBufferPointer { g in
                part.values.withUnsafeMutableBufferPointer { out in
                    for r in 0..<n where c > 0 {
                        (out.baseAddress! + r * c).update(from: g.baseAddress! + r * total + offset, count: c)
                    }
                }
            }
            offset += c
            return part
        }
    }
}
