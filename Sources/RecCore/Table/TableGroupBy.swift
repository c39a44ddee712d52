// Group-by with aggregates.

/// The aggregate functions of `Table.groupBy`.
public enum AggregateFunction: String, Sendable, CaseIterable {
    /// Non-null values (rows, when the aggregate has no column). Int.
    case count
    /// Sum of the values; Int for Int and Bool columns (Bool counts trues), Float for Float. An
    /// empty group sums to 0.
    case sum
    /// Arithmetic mean as Float (Bool: the fraction of trues); null for a group with no values.
    case mean
    /// Smallest / largest value, same type as the column (strings compare lexicographically).
    case min, max
    /// Sample standard deviation (n − 1 denominator, as pandas and R); null below two values.
    case std
    /// The first non-null value in row order.
    case first
    /// How many distinct non-null values.
    case nUnique = "n_unique"
}

/// One output column of a group-by: a function applied to a column (or to rows, for `count`).
public struct Aggregate: Sendable, Equatable {
    public var function: AggregateFunction
    /// The input column; nil only for `count`, which then counts rows.
    public var column: String?
    /// The output column name; defaults to `column_function` (`count` for a row count).
    public var name: String

    public init(_ function: AggregateFunction, _ column: String? = nil, as name: String? = nil) {
        self.function = function
        self.column = column
        self.name = name ?? (column.map { "\($0)_\(function.rawValue)" } ?? function.rawValue)
    }

    public static func count(_ column: String? = nil, as name: String? = nil) -> Aggregate { Aggregate(.count, column, as: name) }
    public static func sum(_ column: String, as name: String? = nil) -> Aggregate { Aggregate(.sum, column, as: name) }
    public static func mean(_ column: String, as name: String? = nil) -> Aggregate { Aggregate(.mean, column, as: name) }
    public static func min(_ column: String, as name: String? = nil) -> Aggregate { Aggregate(.min, column, as: name) }
    public static func max(_ column: String, as name: String? = nil) -> Aggregate { Aggregate(.max, column, as: name) }
    public static func std(_ column: String, as name: String? = nil) -> Aggregate { Aggregate(.std, column, as: name) }
    public static func first(_ column: String, as name: String? = nil) -> Aggregate { Aggregate(.first, column, as: name) }
    public static func nUnique(_ column: String, as name: String? = nil) -> Aggregate { Aggregate(.nUnique, column, as: name) }
}

extension Table {
    /// One row per distinct combination of `keys` (in order of first appearance), with the key
    /// columns followed by one column per aggregate. Null key values form a group of their own
    /// (as SQL's GROUP BY does). With no keys, the whole table is one group and the result has
    /// exactly one row, even when the table is empty.
    public func groupBy(_ keys: [String], _ aggregates: [Aggregate]) throws -> Table {
        let keyColumns = try keys.map { try column($0) }
        let (codes, groupCount): ([Int], Int)
        if keys.isEmpty {
            (codes, groupCount) = ([Int](repeating: 0, count: rowCount), 1)
        } else {
            (codes, groupCount) = TableKeys.codes(keyColumns, nullIsValue: true, rowCount: rowCount)
        }

        // The first row of each group supplies its key values.
        var firstRow = [Int](repeating: -1, count: groupCount)
        for (i, g) in codes.enumerated() where firstRow[g] < 0 { firstRow[g] = i }

        var out = Table()
        for (name, col) in zip(keys, keyColumns) { try out.appendColumn(name, col.gathered(firstRow)) }
        out.rowCount = groupCount
        for agg in aggregates {
            let result: Column
            if let name = agg.column {
                result = try TableAggregation.apply(agg.function, to: try column(name), columnName: name,
                                                    codes: codes, groups: groupCount)
            } else if agg.function == .count {
                var counts = [Int64](repeating: 0, count: groupCount)
                for g in codes { counts[g] += 1 }
                result = Column(ints: counts)
            } else {
                throw TableError.invalidArgument("aggregate \(agg.function.rawValue) needs a column")
            }
            try out.appendColumn(agg.name, result)
        }
        return out
    }
}

/// The aggregation kernels: one pass over typed storage per aggregate, accumulating into arrays
/// indexed by group code.
enum TableAggregation {
    static func apply(_ f: AggregateFunction, to column: Column, columnName: String,
                      codes: [Int], groups: Int) throws -> Column {
        let mask = column.validity
        @inline(__always) func valid(_ i: Int) -> Bool { mask?[i] ?? true }

        switch f {
        case .count:
            var counts = [Int64](repeating: 0, count: groups)
            for (i, g) in codes.enumerated() where valid(i) { counts[g] += 1 }
            return Column(ints: counts)

        case .first:
            var rows = [Int](repeating: -1, count: groups)
            for (i, g) in codes.enumerated() where rows[g] < 0 && valid(i) { rows[g] = i }
            return column.gathered(rows)

        case .nUnique:
            let values = TableKeys.codes(column, nullIsValue: false)
            var seen = Set<TableCodePair>()
            var counts = [Int64](repeating: 0, count: groups)
            for (i, g) in codes.enumerated() where values.codes[i] >= 0 {
                if seen.insert(TableCodePair(a: g, b: values.codes[i])).inserted { counts[g] += 1 }
            }
            return Column(ints: counts)

        case .min, .max:
            return try extremum(f == .min, column, columnName, codes, groups)

        case .sum:
            switch column.storage {
            case .int(let a):
                var sums = [Int64](repeating: 0, count: groups)
                for (i, g) in codes.enumerated() where valid(i) {
                    let (s, overflow) = sums[g].addingReportingOverflow(a[i])
                    if overflow { throw TableError.invalidArgument("integer overflow in sum of column \"\(columnName)\"") }
                    sums[g] = s
                }
                return Column(ints: sums)
            case .bool(let a):
                var sums = [Int64](repeating: 0, count: groups)
                for (i, g) in codes.enumerated() where valid(i) && a[i] { sums[g] += 1 }
                return Column(ints: sums)
            case .double(let a):
                var sums = [Double](repeating: 0, count: groups)
                for (i, g) in codes.enumerated() where valid(i) { sums[g] += a[i] }
                return Column(doubles: sums)
            case .string:
                throw notNumeric(f, columnName)
            }

        case .mean, .std:
            // Welford's update: one pass, and no catastrophic cancellation for large values
            // with small spread (timestamps, prices).
            guard column.type != .string else { throw notNumeric(f, columnName) }
            var n = [Int](repeating: 0, count: groups)
            var mean = [Double](repeating: 0, count: groups)
            var m2 = [Double](repeating: 0, count: groups)
            func run(_ value: (Int) -> Double) {
                for (i, g) in codes.enumerated() where valid(i) {
                    let x = value(i)
                    n[g] += 1
                    let d = x - mean[g]
                    mean[g] += d / Double(n[g])
                    m2[g] += d * (x - mean[g])
                }
            }
            switch column.storage {
            case .int(let a): run { Double(a[$0]) }
            case .double(let a): run { a[$0] }
            case .bool(let a): run { a[$0] ? 1 : 0 }
            case .string: break
            }
            var out = [Double](repeating: 0, count: groups)
            var ok = [Bool](repeating: true, count: groups)
            for g in 0..<groups {
                if f == .mean {
                    if n[g] == 0 { ok[g] = false } else { out[g] = mean[g] }
                } else {
                    if n[g] < 2 { ok[g] = false } else { out[g] = (m2[g] / Double(n[g] - 1)).squareRoot() }
                }
            }
            return Column(doubles: out, validity: ok)
        }
    }

    private static func notNumeric(_ f: AggregateFunction, _ name: String) -> TableError {
        .typeMismatch(context: "\(f.rawValue) of column \"\(name)\"", expected: "Int, Float or Bool", found: "String")
    }

    /// Min or max per group as row indices, then a gather: one kernel for every column type.
    /// NaN propagates (a NaN in the group makes the result NaN), as it does for sum and mean.
    private static func extremum(_ isMin: Bool, _ column: Column, _ name: String,
                                 _ codes: [Int], _ groups: Int) throws -> Column {
        let mask = column.validity
        var best = [Int](repeating: -1, count: groups)
        func run<T: Comparable>(_ a: [T], isNaN: (T) -> Bool) {
            for (i, g) in codes.enumerated() {
                if let mask, !mask[i] { continue }
                let b = best[g]
                if b < 0 { best[g] = i; continue }
                let x = a[i], y = a[b]
                if isNaN(y) { continue }
                if isNaN(x) || (isMin ? x < y : y < x) { best[g] = i }
            }
        }
        switch column.storage {
        case .int(let a): run(a, isNaN: { _ in false })
        case .double(let a): run(a, isNaN: { $0.isNaN })
        case .string(let a): run(a, isNaN: { _ in false })
        case .bool(let a): run(a.map { $0 ? 1 as UInt8 : 0 }, isNaN: { _ in false })
        }
        return column.gathered(best)
    }
}
