// The dense row-major float matrix that neural layers pass to each other.

/// A dense `rows × columns` matrix of `Float`, row-major in one contiguous array (row r is
/// `values[r*columns ..< (r+1)*columns]`). A mini-batch is a matrix with one example per row.
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
    public private(set) var rows: Int
    public private(set) var columns: Int
    public var values: [Float]

    /// A zero matrix.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows; self.columns = columns
        values = [Float](repeating: 0, count: rows * columns)
    }

    /// Wraps `values` (row-major, `rows × columns` of them).
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns,
                     "matrix of \(rows) × \(columns) needs \(rows * columns) values, got \(values.count)")
        self.rows = rows; self.columns = columns; self.values = values
    }

    /// From nested rows (tests and small literals).
    public init(_ nested: [[Float]]) {
        let c = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == c }, "ragged rows")
        self.init(rows: nested.count, columns: c, values: nested.flatMap { $0 })
    }

    public subscript(r: Int, c: Int) -> Float {
        get { values[r * columns + c] }
        set { values[r * columns + c] = newValue }
    }

    /// Row r as an array.
    public func row(_ r: Int) -> [Float] { Array(values[r * columns ..< (r + 1) * columns]) }

    /// The transpose (`columns × rows`), by 8 × 8 tiles to stay cache-friendly.
    public func transposed() -> Matrix {
        var t = Matrix(rows: columns, columns: rows)
        values.withUnsafeBufferPointer { a in
            t.values.withUnsafeMutableBufferPointer { b in
                transpose(a.baseAddress!, b.baseAddress!, rows: rows, columns: columns)
            }
        }
        return t
    }

    /// The rows at `indices`, in that order.
    public func gathering(rows indices: UnsafeBufferPointer<Int>) -> Matrix {
        var out = Matrix(rows: indices.count, columns: columns)
        let c = columns
        values.withUnsafeBufferPointer { src in
            out.values.withUnsafeMutableBufferPointer { dst in
                for (r, i) in indices.enumerated() {
                    (dst.baseAddress! + r * c).update(from: src.baseAddress! + i * c, count: c)
                }
            }
        }
        return out
    }

    public var description: String {
        (0..<rows).map { r in "[" + row(r).map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: "\n")
    }
}
