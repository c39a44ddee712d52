// The shapes every list metric takes and returns: recommendation lists and item sets as compressed
// rows of Int32 item indices (row = user), and per-user values with their mean.
//
// This folder needs nothing of the data layer but `CompressedRows` (plain arrays in, plain values
// out), so the metrics can be built and tested without it; the glue from `Interactions` is a few
// lines at the call site.

import Foundation

/// Namespace for the evaluation metrics (rating, top-N, AUC, beyond-accuracy, exposure).
/// Formulas, averaging and edge-case rules: docs/metrics.md.
public enum Metrics {}

/// Ranked recommendation lists, one row per user (row index = user index), best item first.
///
/// Row `r` is `items[offsets[r] ..< offsets[r + 1]]`. Items within a row are expected to be
/// distinct (a repeated item counts as a second hit). Rows past `count` read as empty lists.
public struct RecommendationLists: Sendable, Equatable {
    public let rows: CompressedRows<Int32>
    /// `count + 1` non-decreasing offsets into `items`, starting at 0 and ending at `items.count`.
    public var offsets: [Int] { rows.offsets }
    public var items: [Int32] { rows.elements }

    /// Number of rows (users).
    public var count: Int { rows.count }

    public init(offsets: [Int], items: [Int32]) {
        rows = CompressedRows(offsets: offsets, elements: items)
    }

    /// From a users × k row-major matrix (the usual output of a top-k scorer). A row ends at its
    /// first negative entry, so lists shorter than k are padded with -1.
    public init(k: Int, items matrix: [Int32]) {
        precondition(k > 0 && matrix.count % k == 0, "the matrix must hold a whole number of rows of k items")
        var b = CompressedRows<Int32>.Builder(rowCapacity: matrix.count / k, elementCapacity: matrix.count)
        for r in 0..<matrix.count / k {
            for j in r * k ..< (r + 1) * k {
                if matrix[j] < 0 { break }
                b.append(matrix[j])
            }
            b.endRow()
        }
        rows = b.rows
    }

    /// From one list per user.
    public init(_ lists: [[Int32]]) { rows = CompressedRows(lists) }

    /// The list of a row (empty past the end).
    public subscript(row: Int) -> ArraySlice<Int32> { rows[row] }

    /// Start and end (exclusive) of a row's first `k` items in `items`.
    @inline(__always)
    func bounds(_ row: Int, k: Int) -> (Int, Int) {
        let b = rows.bounds(row)
        return (b.lowerBound, b.lowerBound + min(k, b.count))
    }
}

/// Sets of items, one row per user (relevant or training items), or of labels per item (genres).
/// Every row is sorted ascending without duplicates, so membership is a binary search.
public struct ItemSets: Sendable, Equatable {
    public let rows: CompressedRows<Int32>
    /// `count + 1` non-decreasing offsets into `items`.
    public var offsets: [Int] { rows.offsets }
    public var items: [Int32] { rows.elements }

    /// Number of rows.
    public var count: Int { rows.count }

    /// From compressed rows that are already sorted without duplicates, such as a canonical CSR
    /// matrix's row pointers and column indices (checked).
    public init(offsets: [Int], items: [Int32]) {
        let rows = CompressedRows(offsets: offsets, elements: items)
        for r in 0 ..< rows.count {
            for j in offsets[r] ..< max(offsets[r], offsets[r + 1] - 1) {
                precondition(items[j] < items[j + 1], "row \(r) is not sorted without duplicates")
            }
        }
        self.rows = rows
    }

    /// From one set per row (sorted and deduplicated here).
    public init(_ sets: [[Int32]]) {
        var b = CompressedRows<Int32>.Builder(rowCapacity: sets.count)
        for s in sets {
            var prev: Int32? = nil
            for x in s.sorted() where x != prev { b.append(x); prev = x }
            b.endRow()
        }
        rows = b.rows
    }

    /// From (row, item) pairs such as a test set's user and item columns; `rowCount` rows
    /// (rows without pairs are empty). Duplicate pairs collapse.
    public init(rows: [Int32], items: [Int32], rowCount: Int) {
        precondition(rows.count == items.count, "rows and items differ in length")
        self.init(rows: rows, items: items, rowCount: rowCount, keep: nil)
    }

    /// The relevant items per user under a rating threshold: pairs whose rating is at least
    /// `threshold` (for binary relevance without a threshold use `init(rows:items:rowCount:)`).
    public static func relevant(users: [Int32], items: [Int32], ratings: [Double], threshold: Double,
                                userCount: Int) -> ItemSets {
        precondition(users.count == items.count && ratings.count == users.count, "columns differ in length")
        return ItemSets(rows: users, items: items, rowCount: userCount, keep: { ratings[$0] >= threshold })
    }

    /// Label sets per item (e.g. genres) coded in order of first appearance; returns the sets and
    /// the label of each code.
    public static func coded(_ labels: [[String]]) -> (sets: ItemSets, labels: [String]) {
        var codes = [String: Int32](), names = [String]()
        let sets = labels.map { row in
            row.map { l -> Int32 in
                if let c = codes[l] { return c }
                let c = Int32(names.count)
                codes[l] = c
                names.append(l)
                return c
            }
        }
        return (ItemSets(sets), names)
    }

    private init(rows: [Int32], items: [Int32], rowCount: Int, keep: ((Int) -> Bool)?) {
        // Counting sort by row, then sort and deduplicate each row in place.
        var starts = [Int](repeating: 0, count: rowCount + 1)
        for (j, r) in rows.enumerated() where keep?(j) ?? true {
            precondition(r >= 0 && Int(r) < rowCount, "row index \(r) out of range 0..<\(rowCount)")
            starts[Int(r) + 1] += 1
        }
        for r in 0..<rowCount { starts[r + 1] += starts[r] }
        var fill = starts
        var scattered = [Int32](repeating: 0, count: starts[rowCount])
        for (j, r) in rows.enumerated() where keep?(j) ?? true {
            scattered[fill[Int(r)]] = items[j]
            fill[Int(r)] += 1
        }
        var offsets = [Int](repeating: 0, count: rowCount + 1)
        var w = 0
        scattered.withUnsafeMutableBufferPointer { p in
            for r in 0..<rowCount {
                var row = UnsafeMutableBufferPointer(rebasing: p[starts[r] ..< starts[r + 1]])
                row.sort()
                for j in row.indices where j == row.startIndex || row[j] != row[j - 1] {
                    p[w] = row[j]
                    w += 1
                }
                offsets[r + 1] = w
            }
        }
        scattered.removeLast(scattered.count - w)
        self.rows = CompressedRows(validOffsets: offsets, elements: scattered)
    }

    /// The set of a row (empty past the end).
    public subscript(row: Int) -> ArraySlice<Int32> { rows[row] }

    /// Whether `item` is in row `row`.
    public func contains(_ item: Int32, row: Int) -> Bool {
        let b = rows.bounds(row)
        return items.withUnsafeBufferPointer { sortedContains($0, b.lowerBound, b.upperBound, item) }
    }

    /// The size of the largest row.
    public var longestRow: Int { rows.longestRow }

    @inline(__always)
    func bounds(_ row: Int) -> (Int, Int) {
        let b = rows.bounds(row)
        return (b.lowerBound, b.upperBound)
    }
}

/// A metric's value for each user it is defined for, in ascending user order, and their mean.
/// Users the metric excludes (no relevant item, no list…) are absent, not zero.
public struct PerUserMetric: Sendable, Equatable {
    public let users: [Int32]
    public let values: [Double]

    public init(users: [Int32], values: [Double]) {
        precondition(users.count == values.count, "users and values differ in length")
        self.users = users
        self.values = values
    }

    /// From one slot per user, NaN marking users without a value.
    init(dense: [Double]) {
        var users = [Int32](), values = [Double]()
        for (u, v) in dense.enumerated() where !v.isNaN {
            users.append(Int32(u))
            values.append(v)
        }
        self.init(users: users, values: values)
    }

    /// Number of users with a value.
    public var count: Int { values.count }

    /// Mean over the users with a value; NaN when there are none.
    public var mean: Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }

    /// The value of one user, nil when the metric excludes that user.
    public func value(user: Int32) -> Double? {
        var lo = 0, hi = users.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if users[mid] < user { lo = mid + 1 } else { hi = mid }
        }
        return lo < users.count && users[lo] == user ? values[lo] : nil
    }

    /// The values of both metrics on the users both define, in matching order (for paired tests).
    public func paired(with other: PerUserMetric) -> (users: [Int32], a: [Double], b: [Double]) {
        var users = [Int32](), a = [Double](), b = [Double]()
        var i = 0, j = 0
        while i < self.users.count && j < other.users.count {
            let x = self.users[i], y = other.users[j]
            if x == y {
                users.append(x); a.append(values[i]); b.append(other.values[j])
                i += 1; j += 1
            } else if x < y { i += 1 } else { j += 1 }
        }
        return (users, a, b)
    }
}

// MARK: - Kernel helpers

/// Binary search for `x` in the sorted range `p[lo..<hi]`.
@inline(__always)
func sortedContains(_ p: UnsafeBufferPointer<Int32>, _ lo: Int, _ hi: Int, _ x: Int32) -> Bool {
    var lo = lo, hi = hi
    while lo < hi {
        let mid = (lo + hi) &>> 1
        let v = p[mid]
        if v == x { return true }
        if v < x { lo = mid + 1 } else { hi = mid }
    }
    return false
}

/// Runs `body` over consecutive chunks of `0..<count`, concurrently (`DispatchQueue.concurrentPerform`)
/// when `parallel` and `count * costPerItem` is large enough to pay for the threads.
func forEachChunk(_ count: Int, costPerItem: Int = 1, parallel: Bool = true, _ body: (Range<Int>) -> Void) {
    let cores = Parallelism.cores
    let (work, overflow) = count.multipliedReportingOverflow(by: max(1, costPerItem))
    guard parallel, cores > 1, count > 1, overflow || work >= 1 << 16 else {
        if count > 0 { body(0..<count) }
        return
    }
    let chunks = min(count, cores * 4)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        body(count * c / chunks ..< count * (c + 1) / chunks)
    }
}

/// A metric computed independently per row: `value(row, scratch)` returns NaN to exclude the row.
/// Rows are filled in parallel when there are many. Each chunk of rows gets its own `scratch` of
/// `scratchCount` elements set to `zero` once (not between rows). The result lists the rows with
/// a value.
func perRow<Scratch>(_ count: Int, costPerItem: Int, parallel: Bool = true, scratchCount: Int, zero: Scratch,
                     _ value: (Int, UnsafeMutableBufferPointer<Scratch>) -> Double) -> PerUserMetric {
    var dense = [Double](repeating: .nan, count: count)
    dense.withUnsafeMutableBufferPointer { out in
        let out = out
        forEachChunk(count, costPerItem: costPerItem, parallel: parallel) { range in
            let scratch = UnsafeMutableBufferPointer<Scratch>.allocate(capacity: scratchCount)
            scratch.initialize(repeating: zero)
            defer { scratch.deallocate() }
            for r in range { out[r] = value(r, scratch) }
        }
    }
    return PerUserMetric(dense: dense)
}
