// Growing a matrix by the events that follow it, without rebuilding it: what lets a model that
// keeps its training matrix take an update at the cost of the rows the update touches.

extension SparseMatrix {
    /// This matrix combined with `later` — the matrix of the events that follow this one's, with at
    /// least as many rows and columns — by `duplicates`, as a build from both logs would combine
    /// them (`later`'s entries are the later ones). Rows `later` leaves empty are copied as they
    /// are; only the rows it touches are merged, so the cost is one copy of the arrays, not a sort.
    public func merging(_ later: SparseMatrix, duplicates: DuplicatePolicy) -> SparseMatrix {
        precondition(later.rows >= rows && later.columns >= columns, "the later matrix must extend this one's shape")
        let n = later.rows
        let oldPtr = rowPtr, oldCols = colIdx, oldVals = values
        let newPtr = later.rowPtr, newCols = later.colIdx, newVals = later.values
        var ptr = [Int](), cols = [Int32](), vals = [Float]()
        ptr.reserveCapacity(n + 1); cols.reserveCapacity(nnz + later.nnz); vals.reserveCapacity(nnz + later.nnz)
        ptr.append(0)
        func combined(_ old: Float, _ new: Float) -> Float {
            switch duplicates {
            case .sum: return old + new
            case .last: return new
            case .first: return old
            case .max: return Swift.max(old, new)
            }
        }
        for r in 0..<n {
            var i = r < rows ? oldPtr[r] : 0
            let iEnd = r < rows ? oldPtr[r + 1] : 0
            var j = newPtr[r]
            let jEnd = newPtr[r + 1]
            if j == jEnd {
                cols.append(contentsOf: oldCols[i..<iEnd]); vals.append(contentsOf: oldVals[i..<iEnd])
            } else {
                while i < iEnd || j < jEnd {
                    if j == jEnd || (i < iEnd && oldCols[i] < newCols[j]) {
                        cols.append(oldCols[i]); vals.append(oldVals[i]); i += 1
                    } else if i == iEnd || newCols[j] < oldCols[i] {
                        cols.append(newCols[j]); vals.append(newVals[j]); j += 1
                    } else {
                        cols.append(oldCols[i]); vals.append(combined(oldVals[i], newVals[j])); i += 1; j += 1
                    }
                }
            }
            ptr.append(cols.count)
        }
        return SparseMatrix(rows: n, columns: later.columns, rowPtr: ptr, colIdx: cols, values: vals)
    }

    /// The rows with at least one entry, ascending.
    public var nonEmptyRows: [Int32] {
        let p = rowPtr
        return (0..<Int32(rows)).filter { p[Int($0)] < p[Int($0) + 1] }
    }
}

extension SparseMatrix {
    /// Columns `keys` as the rows of a matrix of their own, in that order (a partial transpose:
    /// row n holds the rows where column keys[n] has an entry), in one pass over the entries.
    public func transposed(columns keys: [Int32]) -> SparseMatrix {
        var slot = [Int32](repeating: -1, count: columns)
        for (n, k) in keys.enumerated() { slot[Int(k)] = Int32(n) }
        var ptr = [Int](repeating: 0, count: keys.count + 1)
        let rp = rowPtr, ci = colIdx, vs = values
        for c in ci where slot[Int(c)] >= 0 { ptr[Int(slot[Int(c)]) + 1] += 1 }
        for n in 0..<keys.count { ptr[n + 1] += ptr[n] }
        var next = ptr
        var rows = [Int32](repeating: 0, count: ptr[keys.count]), vals = [Float](repeating: 0, count: ptr[keys.count])
        for r in 0..<self.rows {
            for k in rp[r]..<rp[r + 1] {
                let s = Int(slot[Int(ci[k])])
                if s < 0 { continue }
                rows[next[s]] = Int32(r); vals[next[s]] = vs[k]; next[s] += 1
            }
        }
        return SparseMatrix(rows: keys.count, columns: self.rows, rowPtr: ptr, colIdx: rows, values: vals)
    }
}
