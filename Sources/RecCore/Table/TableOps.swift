// Row and column selection, sorting, adding/renaming columns and vertical concatenation.

/// One sort criterion: a column and a direction.
public struct SortKey: Sendable, Equatable {
    public var column: String
    public var ascending: Bool

    public init(_ column: String, ascending: Bool = true) {
        self.column = column
        self.ascending = ascending
    }
}

extension Table {
    // MARK: Rows

    /// The first `n` rows (all of them when `n >= rowCount`; none when `n <= 0`).
    public func head(_ n: Int = 10) -> Table {
        slicingRows(0..<Swift.max(0, Swift.min(n, rowCount)))
    }

    /// The last `n` rows.
    public func tail(_ n: Int = 10) -> Table {
        let k = Swift.max(0, Swift.min(n, rowCount))
        return slicingRows((rowCount - k)..<rowCount)
    }

    /// Rows `range`, which must lie within `0..<rowCount`.
    public func slicingRows(_ range: Range<Int>) -> Table {
        precondition(range.lowerBound >= 0 && range.upperBound <= rowCount, "row range \(range) outside 0..<\(rowCount)")
        return replacingColumns(columns.map { $0.slice(range) }, rowCount: range.count)
    }

    /// The rows for which `predicate` holds, in order. The row view reads cells on demand, so a
    /// predicate that looks at one column costs one cell read per row.
    public func filter(_ predicate: (TableRow) throws -> Bool) rethrows -> Table {
        var keep: [Int] = []
        for i in 0..<rowCount where try predicate(TableRow(table: self, index: i)) { keep.append(i) }
        return gatheringRows(keep)
    }

    /// The rows whose index satisfies `predicate` (for predicates over precomputed arrays).
    public func filterByIndex(_ predicate: (Int) throws -> Bool) rethrows -> Table {
        var keep: [Int] = []
        for i in 0..<rowCount where try predicate(i) { keep.append(i) }
        return gatheringRows(keep)
    }

    /// The rows where `mask` is true; `mask` must have one entry per row.
    public func filter(mask: [Bool]) throws -> Table {
        guard mask.count == rowCount else {
            throw TableError.lengthMismatch(context: "filter mask", expected: rowCount, found: mask.count)
        }
        var keep: [Int] = []
        for i in 0..<rowCount where mask[i] { keep.append(i) }
        return gatheringRows(keep)
    }

    /// The rows at `indices`, in that order (repeats allowed).
    public func rows(at indices: [Int]) throws -> Table {
        for i in indices where i < 0 || i >= rowCount { throw TableError.rowOutOfRange(i, count: rowCount) }
        return gatheringRows(indices)
    }

    // MARK: Columns

    /// Only the named columns, in the given order.
    public func select(_ names: [String]) throws -> Table {
        var t = Table()
        for name in names { try t.appendColumn(name, try column(name)) }
        t.rowCount = rowCount
        return t
    }

    /// All columns except the named ones.
    public func drop(_ names: [String]) throws -> Table {
        for name in names where !hasColumn(name) { throw TableError.unknownColumn(name, available: columnNames) }
        let dropped = Set(names)
        return try select(columnNames.filter { !dropped.contains($0) })
    }

    /// This table with a new last column `name`, which must have `rowCount` rows (any length for
    /// an empty table, which is how a table can be built up column by column).
    public func adding(_ name: String, _ column: Column) throws -> Table {
        var t = self
        // A column-less table may still have rows (after `select([])`); only an empty one takes
        // its length from the first column.
        if t.columns.isEmpty && rowCount > 0 && rowCount != column.count {
            throw TableError.lengthMismatch(context: "column \"\(name)\"", expected: rowCount, found: column.count)
        }
        try t.appendColumn(name, column)
        return t
    }

    /// This table with a new last column built from cells (type inferred as for rows).
    public func adding(_ name: String, values: [TableValue], type: ColumnType? = nil) throws -> Table {
        try adding(name, try Column(values: values, type: type, name: name))
    }

    /// This table with column `name` replaced by `column` (same position), or added at the end
    /// when there is no such column.
    public func setting(_ name: String, _ column: Column) throws -> Table {
        guard let i = positions[name] else { return try adding(name, column) }
        guard column.count == rowCount else {
            throw TableError.lengthMismatch(context: "column \"\(name)\"", expected: rowCount, found: column.count)
        }
        var t = self
        t.setColumn(column, at: i)
        return t
    }

    /// This table with column `old` called `new`.
    public func renamed(_ old: String, to new: String) throws -> Table {
        try renamed([(old, new)])
    }

    /// This table with several columns renamed at once (so swapping two names works).
    public func renamed(_ mapping: [(from: String, to: String)]) throws -> Table {
        var names = columnNames
        for (old, new) in mapping { names[try columnIndex(old)] = new }
        var seen = Set<String>()
        for n in names where !seen.insert(n).inserted { throw TableError.duplicateColumn(n) }
        var t = self
        t.setNames(names)
        return t
    }

    // MARK: Sorting

    /// The rows ordered by `keys` (earlier keys first). The sort is stable: rows equal on all keys
    /// keep their order. Nulls sort last in both directions, and so does NaN.
    public func sorted(by keys: [SortKey]) throws -> Table {
        gatheringRows(try sortPermutation(keys))
    }

    public func sorted(by column: String, ascending: Bool = true) throws -> Table {
        try sorted(by: [SortKey(column, ascending: ascending)])
    }

    /// The row order `sorted(by:)` would produce.
    public func sortPermutation(_ keys: [SortKey]) throws -> [Int] {
        guard !keys.isEmpty else { throw TableError.invalidArgument("sort needs at least one column") }
        let comparators = try keys.map { TableSortKernel.comparator(try column($0.column), ascending: $0.ascending) }
        var perm = Array(0..<rowCount)
        if comparators.count == 1 {
            let cmp = comparators[0]
            perm.sort { a, b in
                let c = cmp(a, b)
                return c < 0 || (c == 0 && a < b)
            }
        } else {
            perm.sort { a, b in
                for cmp in comparators {
                    let c = cmp(a, b)
                    if c != 0 { return c < 0 }
                }
                return a < b
            }
        }
        return perm
    }

    // MARK: Concatenation

    /// The rows of `tables` one after another. Every table must have the same column names (in any
    /// order; the first table's order wins); Int and Double columns combine into Double, and an
    /// all-null column takes the other's type.
    public static func concat(_ tables: [Table]) throws -> Table {
        guard let first = tables.first else { return Table() }
        var columns = first.columns
        var total = first.rowCount
        for (k, t) in tables.enumerated().dropFirst() {
            guard Set(t.columnNames) == Set(first.columnNames), t.columnCount == first.columnCount else {
                throw TableError.invalidArgument(
                    "cannot concatenate: table \(k + 1) has columns [\(t.columnNames.joined(separator: ", "))], "
                    + "expected [\(first.columnNames.joined(separator: ", "))]")
            }
            for (i, name) in first.columnNames.enumerated() {
                columns[i] = try columns[i].appending(try t.column(name), name: name)
            }
            total += t.rowCount
        }
        return first.replacingColumns(columns, rowCount: total)
    }

    /// This table's rows followed by `other`'s (see `concat`).
    public func appending(_ other: Table) throws -> Table {
        try Table.concat([self, other])
    }
}

/// Three-way comparators over typed column storage, so sorting never boxes cells.
enum TableSortKernel {
    typealias Comparator = (Int, Int) -> Int

    static func comparator(_ column: Column, ascending: Bool) -> Comparator {
        let mask = column.validity
        switch column.storage {
        case .int(let a): return make(a, mask, ascending, isMissing: { _ in false })
        case .double(let a): return make(a, mask, ascending, isMissing: { $0.isNaN })
        case .string(let a): return make(a, mask, ascending, isMissing: { _ in false })
        case .bool(let a): return make(a.map { $0 ? 1 as UInt8 : 0 }, mask, ascending, isMissing: { _ in false })
        }
    }

    /// Missing values (null, NaN) compare after everything else whatever the direction, because a
    /// "top 10 by score" should never start with rows that have no score.
    private static func make<T: Comparable>(_ a: [T], _ mask: [Bool]?, _ ascending: Bool,
                                            isMissing: @escaping (T) -> Bool) -> Comparator {
        let sign = ascending ? 1 : -1
        return { i, j in
            let x = a[i], y = a[j]
            let mi = (mask.map { !$0[i] } ?? false) || isMissing(x)
            let mj = (mask.map { !$0[j] } ?? false) || isMissing(y)
            if mi || mj { return mi == mj ? 0 : (mi ? 1 : -1) }
            if x < y { return -sign }
            if y < x { return sign }
            return 0
        }
    }
}
