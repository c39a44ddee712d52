// Growing a matrix by the events that follow it, without rebuilding it: what lets a model that
// keeps its training matrix take an update at the cost of the rows the update touches.

import Foundation

extension SparseMatrix {
    /// This matrix combined with `later` — the matrix of the events that follow this one's, with at
    /// least as many rows and columns — by `duplicates`, as a build from both logs would combine
    /// them (`later`'s entries are the later ones). Rows `later` leaves empty are copied as they
    /// are; only the rows it touches are merged, so the cost is one copy of the arrays, not a sort.
    /// The merged rows' lengths come first (a binary search per new entry), so the copy writes
    /// into arrays of their final size, on every core.
    public func merging(_ later: SparseMatrix, duplicates: DuplicatePolicy) -> SparseMatrix {
        precondition(later.rows >= rows && later.columns >= columns, "the later matrix must extend this one's shape")
        let n = later.rows
        var ptr = [Int](repeating: 0, count: n + 1)
        for r in 0..<n {
            let old = r < rows ? rowCount(r) : 0
            let added = later.rowCount(r) == 0 ? 0 : later.rowPtr[r + 1] - later.rowPtr[r] - sharedColumns(row: r, with: later)
            ptr[r + 1] = ptr[r] + old + added
        }
        let total = ptr[n]
        func combined(_ old: Float, _ new: Float) -> Float {
            switch duplicates {
            case .sum: return old + new
            case .last: return new
            case .first: return old
            case .max: return Swift.max(old, new)
            }
        }
        var vals = [Float]()
        let cols = [Int32](unsafeUninitializedCapacity: total) { C, filled in
        vals = [Float](unsafeUninitializedCapacity: total) { V, vFilled in
        rowPtr.withUnsafeBufferPointer { oldPtr in colIdx.withUnsafeBufferPointer { oldCols in values.withUnsafeBufferPointer { oldVals in
        later.rowPtr.withUnsafeBufferPointer { newPtr in later.colIdx.withUnsafeBufferPointer { newCols in
        later.values.withUnsafeBufferPointer { newVals in
        ptr.withUnsafeBufferPointer { P in
            let C = C, V = V, oldRows = rows
            let bounds = rowChunks(P, chunks: total >= 1 << 16 ? Parallelism.cores * 4 : 1)
            DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { chunk in
                for r in bounds[chunk] ..< bounds[chunk + 1] {
                    var i = r < oldRows ? oldPtr[r] : 0
                    let iEnd = r < oldRows ? oldPtr[r + 1] : 0
                    var j = newPtr[r], w = P[r]
                    let jEnd = newPtr[r + 1]
                    if j == jEnd {
                        if i < iEnd {
                            (C.baseAddress! + w).update(from: oldCols.baseAddress! + i, count: iEnd - i)
                            (V.baseAddress! + w).update(from: oldVals.baseAddress! + i, count: iEnd - i)
                        }
                        continue
                    }
                    while i < iEnd || j < jEnd {
                        if j == jEnd || (i < iEnd && oldCols[i] < newCols[j]) {
                            C[w] = oldCols[i]; V[w] = oldVals[i]; i += 1
                        } else if i == iEnd || newCols[j] < oldCols[i] {
                            C[w] = newCols[j]; V[w] = newVals[j]; j += 1
                        } else {
                            C[w] = oldCols[i]; V[w] = combined(oldVals[i], newVals[j]); i += 1; j += 1
                        }
                        w += 1
                    }
                }
            }
        }}}}}}}
            vFilled = total
        }
            filled = total
        }
        return SparseMatrix(rows: n, columns: later.columns, pattern: CompressedRows(validOffsets: ptr, elements: cols), values: vals)
    }

    /// How many of row `r` of `later` are also in row `r` of this matrix (a binary search each).
    func sharedColumns(row r: Int, with later: SparseMatrix) -> Int {
        guard r < rows, rowCount(r) > 0 else { return 0 }
        var shared = 0
        for k in later.rowPtr[r] ..< later.rowPtr[r + 1] where value(row: r, column: Int(later.colIdx[k])) != nil { shared += 1 }
        return shared
    }

    /// Entries per column (`columnCounts` in Int32, counted on every core).
    var entriesPerColumn: [Int32] {
        var count = [Int32](repeating: 0, count: columns)
        if nnz == 0 { return count }
        let chunks = nnz >= 1 << 20 ? Parallelism.cores : 1, width = columns
        // One histogram per chunk of entries, summed: integers, so the order does not matter.
        var partial = [Int32](repeating: 0, count: chunks * width)
        colIdx.withUnsafeBufferPointer { ci in partial.withUnsafeMutableBufferPointer { P in
            let P = P, n = ci.count
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let h = P.baseAddress! + c * width
                for k in n * c / chunks ..< n * (c + 1) / chunks { h[Int(ci[k])] += 1 }
            }
        }}
        for c in 0..<chunks { for i in 0..<width { count[i] += partial[c * width + i] } }
        return count
    }

    /// The rows with at least one entry, ascending.
    public var nonEmptyRows: [Int32] {
        let p = rowPtr
        return (0..<Int32(rows)).filter { p[Int($0)] < p[Int($0) + 1] }
    }
}

/// Boundaries of about `chunks` row ranges holding about equal numbers of entries (offsets `ptr`).
func rowChunks(_ ptr: UnsafeBufferPointer<Int>, chunks: Int) -> [Int] {
    let rows = ptr.count - 1, total = ptr[rows]
    var bounds = [0], r = 0
    for c in 1..<max(1, chunks) {
        let target = total / chunks * c
        while r < rows && ptr[r] < target { r += 1 }
        if r > bounds.last! { bounds.append(r) }
    }
    if rows > bounds.last! || bounds.count == 1 { bounds.append(rows) }
    return bounds
}

extension SparseMatrix {
    /// Columns `keys` as the rows of a matrix of their own, in that order (a partial transpose:
    /// row n holds the rows where column keys[n] has an entry), in one pass over the entries,
    /// split among the cores by rows: each chunk counts and then places its own entries, after
    /// those of the chunks before it, so the result is that of a single pass.
    public func transposed(columns keys: [Int32]) -> SparseMatrix {
        if keys.isEmpty { return SparseMatrix(rows: 0, columns: self.rows, rowPtr: [0], colIdx: [], values: []) }
        var slot = [Int32](repeating: -1, count: columns)
        for (n, k) in keys.enumerated() { slot[Int(k)] = Int32(n) }
        let width = keys.count
        let bounds = rowPtr.withUnsafeBufferPointer { rowChunks($0, chunks: nnz >= 1 << 20 ? Parallelism.cores : 1) }
        let chunks = bounds.count - 1
        // counts[c * width + s]: entries of chunk c in slot s; then where chunk c starts writing slot s.
        var next = [Int](repeating: 0, count: chunks * width)
        var ptr = [Int](repeating: 0, count: width + 1)
        rowPtr.withUnsafeBufferPointer { rp in colIdx.withUnsafeBufferPointer { ci in
        slot.withUnsafeBufferPointer { S in next.withUnsafeMutableBufferPointer { N in
            let N = N
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let h = N.baseAddress! + c * width
                for k in rp[bounds[c]] ..< rp[bounds[c + 1]] { let s = Int(S[Int(ci[k])]); if s >= 0 { h[s] += 1 } }
            }
        }}}}
        for s in 0..<width {
            var at = ptr[s]
            for c in 0..<chunks { let k = next[c * width + s]; next[c * width + s] = at; at += k }
            ptr[s + 1] = at
        }
        let total = ptr[width]
        var vals = [Float](repeating: 0, count: total)
        var rows = [Int32](repeating: 0, count: total)
        rowPtr.withUnsafeBufferPointer { rp in colIdx.withUnsafeBufferPointer { ci in values.withUnsafeBufferPointer { vs in
        slot.withUnsafeBufferPointer { S in next.withUnsafeMutableBufferPointer { N in
        rows.withUnsafeMutableBufferPointer { R in vals.withUnsafeMutableBufferPointer { V in
            let N = N, R = R, V = V
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let at = N.baseAddress! + c * width
                for r in bounds[c] ..< bounds[c + 1] {
                    for k in rp[r] ..< rp[r + 1] {
                        let s = Int(S[Int(ci[k])])
                        if s < 0 { continue }
                        R[at[s]] = Int32(r); V[at[s]] = vs[k]; at[s] += 1
                    }
                }
            }
        }}}}}}}
        return SparseMatrix(rows: width, columns: self.rows, pattern: CompressedRows(validOffsets: ptr, elements: rows), values: vals)
    }
}
