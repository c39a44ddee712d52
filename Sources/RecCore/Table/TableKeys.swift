// Dense integer codes for key columns: the shared machinery of group-by, join and n_unique.
//
// Every key column is first turned into one Int per row (equal values → equal codes), and several
// key columns are combined pairwise through a (code, code) → code dictionary. That keeps hashing to
// fixed-size keys: no per-row arrays or boxed cells, however many key columns there are.

/// Two codes hashed together when combining key columns.
struct TableCodePair: Hashable {
    let a: Int
    let b: Int
}

enum TableKeys {
    /// Codes for one column in first-appearance order, and how many distinct codes there are.
    /// Nulls get -1, or a code of their own (at first appearance) when `nullIsValue`.
    static func codes(_ column: Column, nullIsValue: Bool) -> (codes: [Int], count: Int) {
        let mask = column.validity
        switch column.storage {
        case .int(let a): return codes(a, mask, nullIsValue)
        case .double(let a): return codes(a.map(hashBits), mask, nullIsValue)
        case .string(let a): return codes(a, mask, nullIsValue)
        case .bool(let a): return codes(a, mask, nullIsValue)
        }
    }

    /// Codes for several columns together: rows share a code exactly when they agree on every
    /// column. With `nullIsValue == false`, a row with a null in any key gets -1.
    static func codes(_ columns: [Column], nullIsValue: Bool, rowCount: Int) -> (codes: [Int], count: Int) {
        guard let first = columns.first else { return ([Int](repeating: 0, count: rowCount), rowCount > 0 ? 1 : 0) }
        var acc = codes(first, nullIsValue: nullIsValue)
        for column in columns.dropFirst() {
            let next = codes(column, nullIsValue: nullIsValue)
            var map: [TableCodePair: Int] = [:]
            var out = [Int]()
            out.reserveCapacity(rowCount)
            for i in 0..<rowCount {
                let x = acc.codes[i], y = next.codes[i]
                if x < 0 || y < 0 { out.append(-1); continue }
                let key = TableCodePair(a: x, b: y)
                if let c = map[key] { out.append(c) } else { let c = map.count; map[key] = c; out.append(c) }
            }
            acc = (out, map.count)
        }
        return acc
    }

    /// Codes for join keys in one code space: the right side's values define the codes, left rows
    /// whose key is absent on the right (or null on either side) get -1. Column types must already
    /// agree (callers widen Int to Double when the sides differ).
    static func joinCodes(left: [Column], right: [Column], leftRows: Int, rightRows: Int)
        -> (left: [Int], right: [Int], count: Int) {
        var l = [Int](repeating: 0, count: leftRows)
        var r = [Int](repeating: 0, count: rightRows)
        var count = 1
        for (k, (lc, rc)) in zip(left, right).enumerated() {
            let (lk, rk, n) = jointCodes(lc, rc)
            if k == 0 {
                l = lk; r = rk; count = n
                continue
            }
            var map: [TableCodePair: Int] = [:]
            for j in 0..<rightRows {
                if r[j] < 0 || rk[j] < 0 { r[j] = -1; continue }
                let key = TableCodePair(a: r[j], b: rk[j])
                if let c = map[key] { r[j] = c } else { let c = map.count; map[key] = c; r[j] = c }
            }
            for i in 0..<leftRows {
                if l[i] < 0 || lk[i] < 0 { l[i] = -1; continue }
                l[i] = map[TableCodePair(a: l[i], b: lk[i])] ?? -1
            }
            count = map.count
        }
        return (l, r, count)
    }

    // MARK: Private

    /// Doubles are hashed by bit pattern with -0.0 folded into 0.0 and all NaNs into one, so that
    /// values that print the same group together.
    private static func hashBits(_ d: Double) -> UInt64 {
        if d == 0 { return 0 }
        if d.isNaN { return Double.nan.bitPattern }
        return d.bitPattern
    }

    private static func codes<T: Hashable>(_ a: [T], _ mask: [Bool]?, _ nullIsValue: Bool) -> (codes: [Int], count: Int) {
        var map: [T: Int] = [:]
        var out = [Int]()
        out.reserveCapacity(a.count)
        var nullCode = -1
        var next = 0
        for i in a.indices {
            if let mask, !mask[i] {
                if nullIsValue && nullCode < 0 { nullCode = next; next += 1 }
                out.append(nullCode)
                continue
            }
            if let c = map[a[i]] { out.append(c) } else { map[a[i]] = next; out.append(next); next += 1 }
        }
        return (out, next)
    }

    private static func jointCodes(_ l: Column, _ r: Column) -> ([Int], [Int], Int) {
        switch (l.storage, r.storage) {
        case (.int(let a), .int(let b)): return jointCodes(a, l.validity, b, r.validity)
        case (.double(let a), .double(let b)): return jointCodes(a.map(hashBits), l.validity, b.map(hashBits), r.validity)
        case (.string(let a), .string(let b)): return jointCodes(a, l.validity, b, r.validity)
        case (.bool(let a), .bool(let b)): return jointCodes(a, l.validity, b, r.validity)
        default: preconditionFailure("join key types must agree")
        }
    }

    private static func jointCodes<T: Hashable>(_ a: [T], _ am: [Bool]?, _ b: [T], _ bm: [Bool]?) -> ([Int], [Int], Int) {
        var map: [T: Int] = [:]
        var rb = [Int]()
        rb.reserveCapacity(b.count)
        for j in b.indices {
            if let bm, !bm[j] { rb.append(-1); continue }
            if let c = map[b[j]] { rb.append(c) } else { let c = map.count; map[b[j]] = c; rb.append(c) }
        }
        var ra = [Int]()
        ra.reserveCapacity(a.count)
        for i in a.indices {
            if let am, !am[i] { ra.append(-1); continue }
            ra.append(map[a[i]] ?? -1)
        }
        return (ra, rb, map.count)
    }
}
