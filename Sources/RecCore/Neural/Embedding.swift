// A lookup table of learned vectors with sparse (row-wise) gradients.

/// An embedding table: index i ↦ row i of a `count × dimension` matrix E. Equivalent to a dense
/// layer on one-hot inputs without bias, but the forward pass is a row gather and the backward
/// pass a scatter-add into the rows used, so only those rows receive gradient
/// (`NetworkParameter.sparse`; the optimizer updates only them).
///
/// As a `Layer` (e.g. the first layer of a `Sequential`), each of the c input columns holds an
/// index (a whole number stored as Float) and the output row is the concatenation of the c
/// looked-up vectors (`c × dimension` columns). An index outside `0..<count` looks up a zero
/// vector and receives no gradient.
public final class Embedding: Layer {
    public let count: Int
    public let dimension: Int
    /// E, `count × dimension`, sparse.
    public let table: NetworkParameter

    /// The indices of the last training forward pass (-1 for out-of-range), row-major n × fields.
    var indices: [Int32] = []
    var fields = 1

    public init(count: Int, dimension: Int, initializer: Initializer = .uniform(0.05), rng: inout Xoshiro256,
                label: String = "embedding") {
        precondition(count > 0 && dimension > 0, "an embedding needs positive sizes")
        self.count = count; self.dimension = dimension
        table = NetworkParameter(rows: count, columns: dimension,
                                 values: initializer.values(count: count * dimension, fanIn: count, fanOut: dimension, rng: &rng),
                                 sparse: true, label: label)
    }

    /// An embedding with the given table.
    public init(table e: Matrix, label: String = "embedding") {
        precondition(e.rows > 0 && e.columns > 0, "an embedding needs positive sizes")
        count = e.rows; dimension = e.columns
        table = NetworkParameter(rows: e.rows, columns: e.columns, values: e.values, sparse: true, label: label)
    }

    public var parameters: [NetworkParameter] { [table] }

    public func outputWidth(input: Int) -> Int { input * dimension }

    public func forward(_ x: Matrix, training: Bool) -> Matrix {
        let idx = x.values.map { v -> Int32 in
            v >= 0 && v < Float(count) && v == v.rounded(.towardZero) ? Int32(v) : -1
        }
        return lookup(idx, fields: x.columns, training: training)
    }

    /// The vectors of `indices` (n × dimension); out-of-range indices give zero rows.
    public func forward(indices: [Int32], training: Bool) -> Matrix {
        lookup(indices.map { $0 >= 0 && Int($0) < count ? $0 : -1 }, fields: 1, training: training)
    }

    func lookup(_ idx: [Int32], fields c: Int, training: Bool) -> Matrix {
        let n = c == 0 ? 0 : idx.count / c, d = dimension
        var y = Matrix(rows: n, columns: c * d)
        table.values.withUnsafeBufferPointer { e in
            y.values.withUnsafeMutableBufferPointer { out in
                for (j, i) in idx.enumerated() where i >= 0 {
                    (out.baseAddress! + j * d).update(from: e.baseAddress! + Int(i) * d, count: d)
                }
            }
        }
        if training { indices = idx; fields = c }
        return y
    }

    /// Scatter-adds the rows of `grad` into the table's gradient. The gradient with respect to
    /// the indices is zero (they are not differentiable).
    public func backward(_ grad: Matrix, inputGradient: Bool = true) -> Matrix {
        let d = dimension
        precondition(grad.rows * grad.columns == indices.count * d, "embedding backward: gradient shape differs from the output")
        grad.values.withUnsafeBufferPointer { g in
            table.gradient.withUnsafeMutableBufferPointer { tg in
                for (j, i) in indices.enumerated() where i >= 0 {
                    table.touch(Int(i))
                    axpy(1, g.baseAddress! + j * d, tg.baseAddress! + Int(i) * d, d)
                }
            }
        }
        return inputGradient ? Matrix(rows: grad.rows, columns: fields) : Matrix(rows: 0, columns: 0)
    }
}
