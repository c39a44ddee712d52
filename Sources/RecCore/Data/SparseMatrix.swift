// Compressed sparse row matrices with Float values.

/// How entries with the same (row, column) are combined when building a matrix.
public enum DuplicatePolicy: String, Sendable, Hashable {
    /// Add the values (counts of implicit events, summed confidences).
    case sum
    /// Keep the latest entry: by timestamp when there is one, ties and untimed data by row order.
    /// The usual choice for explicit ratings that users revise.
    case last
    /// Keep the earliest entry (timestamp, then row order).
    case first
    /// Keep the largest value.
    case max
}

/// A sparse matrix in compressed sparse row form: row r's column indices are row r of `pattern`
/// (`colIdx[rowPtr[r]..<rowPtr[r+1]]`), ascending and unique within the row, and its values are
/// the same positions of the parallel array `values`. Indices and values are kept apart, not as
/// (column, value) pairs, so a kernel that reads only one of them walks one contiguous array
/// (`withUnsafeBufferPointer`), and the pattern can be shared: `TrainingItems` is the pattern of
/// the training log's cached matrix.
///
/// A CSC matrix is the CSR form of the transpose: `Interactions.csc()` returns an item × user
/// `SparseMatrix` whose `rowPtr` indexes items and whose `colIdx` holds users.
public struct SparseMatrix: Sendable, Equatable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    /// Row r's column indices, ascending.
    public let pattern: CompressedRows<Int32>
    public let values: [Float]

    /// rows + 1 offsets into colIdx/values.
    public var rowPtr: [Int] { pattern.offsets }
    /// Every row's column indices, row after row.
    public var colIdx: [Int32] { pattern.elements }

    public var nnz: Int { colIdx.count }
    public var density: Double { rows == 0 || columns == 0 ? 0 : Double(nnz) / (Double(rows) * Double(columns)) }

    /// Wraps existing CSR arrays, checking their shape (not sortedness; see `isCanonical`).
    public init(rows: Int, columns: Int, rowPtr: [Int], colIdx: [Int32], values: [Float]) {
        self.init(rows: rows, columns: columns, pattern: CompressedRows(offsets: rowPtr, elements: colIdx), values: values)
    }

    /// Wraps a pattern (one row per matrix row) and its parallel values.
    public init(rows: Int, columns: Int, pattern: CompressedRows<Int32>, values: [Float]) {
        precondition(pattern.count == rows, "the pattern must have one row per matrix row")
        precondition(pattern.elements.count == values.count, "pattern and values disagree")
        self.rows = rows; self.columns = columns
        self.pattern = pattern; self.values = values
    }

    /// Builds a CSR matrix from coordinate triplets, combining duplicates with `duplicates`.
    ///
    /// `order` (e.g. timestamps) ranks duplicate entries for `.last`/`.first`; without it, the
    /// position in the input decides. Values default to 1. Runs in O(nnz + rows + columns): two
    /// stable counting sorts (by column, then by row) leave each row's entries sorted by column
    /// with duplicates adjacent in input order.
    public init(rows: Int, columns: Int, rowIndices: [Int32], columnIndices: [Int32],
                values: [Float]? = nil, order: [Int64]? = nil, duplicates: DuplicatePolicy = .sum) {
        let n = rowIndices.count
        precondition(columnIndices.count == n && (values?.count ?? n) == n && (order?.count ?? n) == n,
                     "triplet arrays must have equal lengths")
        // Stable counting sort of positions by column.
        var byCol = [Int32](repeating: 0, count: n)
        var colStart = [Int](repeating: 0, count: columns + 1)
        columnIndices.withUnsafeBufferPointer { ci in
            for c in ci { colStart[Int(c) + 1] += 1 }
            for c in 0..<columns { colStart[c + 1] += colStart[c] }
            var next = colStart
            byCol.withUnsafeMutableBufferPointer { bc in
                for k in 0..<n { let c = Int(ci[k]); bc[next[c]] = Int32(k); next[c] += 1 }
            }
        }
        // Stable counting sort of those positions by row: rows end up column-sorted.
        var perm = [Int32](repeating: 0, count: n)
        var ptr = [Int](repeating: 0, count: rows + 1)
        rowIndices.withUnsafeBufferPointer { ri in
            for r in ri { ptr[Int(r) + 1] += 1 }
            for r in 0..<rows { ptr[r + 1] += ptr[r] }
            var next = ptr
            perm.withUnsafeMutableBufferPointer { pm in
                byCol.withUnsafeBufferPointer { bc in
                    for k in 0..<n { let p = Int(bc[k]); let r = Int(ri[p]); pm[next[r]] = Int32(p); next[r] += 1 }
                }
            }
        }
        byCol = []
        // Merge adjacent duplicates row by row, compacting in place.
        var outCol = [Int32](repeating: 0, count: n)
        var outVal = [Float](repeating: 0, count: n)
        var outPtr = [Int](repeating: 0, count: rows + 1)
        var w = 0
        perm.withUnsafeBufferPointer { pm in
        columnIndices.withUnsafeBufferPointer { ci in
        outCol.withUnsafeMutableBufferPointer { oc in
        outVal.withUnsafeMutableBufferPointer { ov in
            let vals = values
            let ord = order
            for r in 0..<rows {
                var k = ptr[r]
                let end = ptr[r + 1]
                while k < end {
                    let p = Int(pm[k])
                    let c = ci[p]
                    var v: Float = vals?[p] ?? 1
                    var best = p
                    var j = k + 1
                    while j < end && ci[Int(pm[j])] == c {
                        let q = Int(pm[j])
                        let vq: Float = vals?[q] ?? 1
                        switch duplicates {
                        case .sum: v += vq
                        case .max: if vq > v { v = vq }
                        case .last:
                            // q comes after best in input order, so ties go to q.
                            if let o = ord { if o[q] >= o[best] { best = q; v = vq } } else { best = q; v = vq }
                        case .first:
                            if let o = ord, o[q] < o[best] { best = q; v = vq }
                        }
                        j += 1
                    }
                    oc[w] = c; ov[w] = v; w += 1
                    k = j
                }
                outPtr[r + 1] = w
            }
        }}}}
        if w < n {
            outCol.removeSubrange(w...)
            outVal.removeSubrange(w...)
        }
        self.rows = rows; self.columns = columns
        self.pattern = CompressedRows(validOffsets: outPtr, elements: outCol); self.values = outVal
    }

    /// Builds from a dense row-major array (zeros are not stored). Handy for tests and small data.
    public init(dense: [[Float]]) {
        let r = dense.count, c = dense.first?.count ?? 0
        var ptr = [0], ci = [Int32](), vs = [Float]()
        for row in dense {
            precondition(row.count == c, "ragged dense matrix")
            for (j, v) in row.enumerated() where v != 0 { ci.append(Int32(j)); vs.append(v) }
            ptr.append(ci.count)
        }
        self.init(rows: r, columns: c, rowPtr: ptr, colIdx: ci, values: vs)
    }

    /// Dense row-major copy (for tests and display of small matrices).
    public func toDense() -> [[Float]] {
        var d = [[Float]](repeating: [Float](repeating: 0, count: columns), count: rows)
        for r in 0..<rows { for k in rowPtr[r]..<rowPtr[r + 1] { d[r][Int(colIdx[k])] = values[k] } }
        return d
    }

    /// Number of stored entries in row r.
    @inline(__always)
    public func rowCount(_ r: Int) -> Int { pattern.offsets[r + 1] - pattern.offsets[r] }

    /// Column indices and values of row r.
    public func row(_ r: Int) -> (columns: ArraySlice<Int32>, values: ArraySlice<Float>) {
        (colIdx[rowPtr[r]..<rowPtr[r + 1]], values[rowPtr[r]..<rowPtr[r + 1]])
    }

    /// The stored value at (r, c), or nil (binary search within the row).
    public func value(row r: Int, column c: Int) -> Float? {
        var lo = rowPtr[r], hi = rowPtr[r + 1]
        let target = Int32(c)
        while lo < hi {
            let mid = (lo + hi) >> 1
            if colIdx[mid] < target { lo = mid + 1 } else { hi = mid }
        }
        return lo < rowPtr[r + 1] && colIdx[lo] == target ? values[lo] : nil
    }

    /// The transpose (CSR of the transpose = CSC of this matrix). Column order stays sorted
    /// because rows are visited in order.
    public func transposed() -> SparseMatrix {
        let (pattern, values) = transposedParts(withValues: true)
        return SparseMatrix(rows: columns, columns: rows, pattern: pattern, values: values)
    }

    /// The transpose, with nil values when every value is 1: for a 0/1 matrix (an unweighted,
    /// deduplicated log) they would be nnz copies of 1, 100 MB at 25 M interactions that implicit
    /// ALS's item half-step does not need.
    public func transposedOmittingUnitValues() -> (pattern: CompressedRows<Int32>, values: [Float]?) {
        let unit = hasUnitValues
        let t = transposedParts(withValues: !unit)
        return (t.pattern, unit ? nil : t.values)
    }

    /// Whether every stored value is exactly 1.
    var hasUnitValues: Bool { values.allSatisfy { $0 == 1 } }

    private func transposedParts(withValues: Bool) -> (pattern: CompressedRows<Int32>, values: [Float]) {
        let n = nnz
        var ptr = [Int](repeating: 0, count: columns + 1)
        var ci = [Int32](repeating: 0, count: n)
        var vs = [Float](repeating: 0, count: withValues ? n : 0)
        colIdx.withUnsafeBufferPointer { cols in
        values.withUnsafeBufferPointer { vals in
        ci.withUnsafeMutableBufferPointer { oc in
        vs.withUnsafeMutableBufferPointer { ov in
            for c in cols { ptr[Int(c) + 1] += 1 }
            for c in 0..<columns { ptr[c + 1] += ptr[c] }
            var next = ptr
            for r in 0..<rows {
                for k in rowPtr[r]..<rowPtr[r + 1] {
                    let c = Int(cols[k])
                    let dst = next[c]
                    oc[dst] = Int32(r)
                    if withValues { ov[dst] = vals[k] }
                    next[c] = dst + 1
                }
            }
        }}}}
        return (CompressedRows(validOffsets: ptr, elements: ci), vs)
    }

    /// Entries per row.
    public var rowCounts: [Int] { pattern.rowLengths }

    /// The Euclidean norm of every row, each sum of squares taken left to right (`sumOfSquares`).
    public func rowNorms() -> [Float] {
        values.withUnsafeBufferPointer { v in
            (0..<rows).map { r in
                let range = pattern.bounds(r)
                return range.isEmpty ? 0 : sumOfSquares(v.baseAddress! + range.lowerBound, range.count).squareRoot()
            }
        }
    }

    /// Entries per column.
    public var columnCounts: [Int] {
        var c = [Int](repeating: 0, count: columns)
        for x in colIdx { c[Int(x)] += 1 }
        return c
    }

    /// True when every row's columns are strictly ascending and in range.
    public var isCanonical: Bool {
        for r in 0..<rows {
            var prev: Int32 = -1
            for k in rowPtr[r]..<rowPtr[r + 1] {
                let c = colIdx[k]
                if c <= prev || Int(c) >= columns { return false }
                prev = c
            }
        }
        return true
    }

    public var description: String {
        "SparseMatrix(\(rows)×\(columns), \(nnz) entries, density \(density))"
    }
}
