// Summaries of an interaction log, as plain data (the language renders them).

/// Summary statistics of a list of counts or values.
public struct Distribution: Sendable, Equatable {
    public var count: Int
    public var min: Double
    public var max: Double
    public var mean: Double
    public var median: Double
    public var std: Double

    public init(_ xs: [Double]) {
        count = xs.count
        guard !xs.isEmpty else { min = 0; max = 0; mean = 0; median = 0; std = 0; return }
        let s = xs.sorted()
        min = s.first!; max = s.last!
        mean = s.reduce(0, +) / Double(s.count)
        median = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        let m = mean
        std = (s.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(s.count)).squareRoot()
    }
}

/// How many rows carry one label (event type, channel, rating value, group).
public struct LabelCount: Sendable, Equatable {
    public var label: String
    public var count: Int
    /// count / total.
    public var share: Double
}

/// The value column's distribution: exact counts per value when there are few distinct values
/// (ratings), else ten equal-width bins labelled "[lo, hi)".
public struct ValueSummary: Sendable, Equatable {
    public var stats: Distribution
    public var histogram: [LabelCount]
}

/// Popularity concentration over items.
public struct LongTailStats: Sendable, Equatable {
    /// Share of interactions on the most popular 1% / 20% of items (at least one item).
    public var top1PercentShare: Double
    public var top20PercentShare: Double
    /// Gini coefficient of interactions per item (0 = equal, → 1 = concentrated).
    public var gini: Double
    /// Fewest items that together hold half of all interactions.
    public var itemsForHalf: Int
}

/// Users and interactions for each value of one attribute.
public struct GroupStats: Sendable, Equatable {
    public var group: String
    public var users: Int
    public var interactions: Int
    public var interactionsPerUser: Double
    public var shareOfUsers: Double
    public var shareOfInteractions: Double
}

public struct GroupSummary: Sendable, Equatable {
    public var attribute: String
    public var groups: [GroupStats]
}

/// Everything `describe` reports.
public struct DatasetSummary: Sendable {
    public var rows: Int
    /// Size of the ID spaces, and how many users/items have rows.
    public var users: Int
    public var items: Int
    public var activeUsers: Int
    public var activeItems: Int
    /// Distinct user-item pairs.
    public var pairs: Int
    /// pairs / (active users × active items).
    public var density: Double
    public var values: ValueSummary?
    public var events: [LabelCount]
    public var channels: [LabelCount]
    /// Earliest and latest timestamps.
    public var firstTimestamp: Int64?
    public var lastTimestamp: Int64?
    public var perUser: Distribution
    public var perItem: Distribution
    public var longTail: LongTailStats
    public var userGroups: [GroupSummary]
    public var itemGroups: [GroupSummary]
}

extension Interactions {
    /// Counts, density, value distribution, events and channels, activity distributions,
    /// long-tail statistics and per-group statistics. `userGroups`/`itemGroups` name the
    /// attributes to group by; nil means every categorical attribute (strings and integers with
    /// at most 50 distinct values, and multi-valued columns for items).
    public func describe(userGroups: [String]? = nil, itemGroups: [String]? = nil) throws -> DatasetSummary {
        let uc = userCounts(), ic = itemCounts()
        let activeU = uc.filter { $0 > 0 }.count, activeI = ic.filter { $0 > 0 }.count
        let pairs = matrix(duplicates: .sum, values: .ones).nnz
        let density = activeU == 0 || activeI == 0 ? 0 : Double(pairs) / (Double(activeU) * Double(activeI))
        func labelCounts(_ c: CodedColumn?) -> [LabelCount] {
            guard let c else { return [] }
            let counts = c.countsByCode()
            return zip(c.labels, counts).map { LabelCount(label: $0, count: $1, share: count == 0 ? 0 : Double($1) / Double(count)) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
        }
        let ug = try (userGroups ?? defaultGroups(userAttributes, multi: false)).map { try groupStats(userAttribute: $0) }
        let ig = try (itemGroups ?? defaultGroups(itemAttributes, multi: true)).map { try groupStats(itemAttribute: $0) }
        return DatasetSummary(
            rows: count, users: userCount, items: itemCount, activeUsers: activeU, activeItems: activeI,
            pairs: pairs, density: density, values: values.map(summarize), events: labelCounts(events),
            channels: labelCounts(channels), firstTimestamp: timestamps?.min(), lastTimestamp: timestamps?.max(),
            perUser: Distribution(uc.filter { $0 > 0 }.map(Double.init)),
            perItem: Distribution(ic.filter { $0 > 0 }.map(Double.init)),
            longTail: longTail(ic), userGroups: ug, itemGroups: ig)
    }

    private func defaultGroups(_ t: AttributeTable?, multi: Bool) -> [String] {
        guard let t else { return [] }
        return t.columnNames.filter { name in
            switch t.columns[name]! {
            case .string(let a): return Set(a).count <= 50
            case .int(let a): return Set(a).count <= 50
            case .double: return false
            case .multi: return multi
            }
        }
    }

    private func summarize(_ v: ValueColumn) -> ValueSummary {
        let xs = v.doubles
        let stats = Distribution(xs)
        var distinct = [Double: Int]()
        for x in xs { distinct[x, default: 0] += 1; if distinct.count > 20 { break } }
        let total = Double(Swift.max(1, xs.count))
        if distinct.count <= 20 {
            var exact = [Double: Int]()
            for x in xs { exact[x, default: 0] += 1 }
            // Counts taken from the pairs: a NaN key (restored data) is never found by lookup.
            let h = exact.sorted { $0.key < $1.key || (!$0.key.isNaN && $1.key.isNaN) }
                .map { LabelCount(label: formatNumber($0.key), count: $0.value, share: Double($0.value) / total) }
            return ValueSummary(stats: stats, histogram: h)
        }
        let lo = stats.min, hi = stats.max
        // Divided before subtracting: hi - lo of values near ±1e308 overflows to infinity. The
        // position is clamped before it becomes an Int, for infinite and NaN values.
        let width = hi / 10 - lo / 10
        var bins = [Int](repeating: 0, count: 10)
        for x in xs {
            var t = width > 0 ? (x / 10 - lo / 10) / width : 0
            if t.isNaN { t = 0 }
            bins[Swift.min(9, Int(Swift.min(Swift.max(t, 0), 1) * 10))] += 1
        }
        let h = (0..<10).map { b in
            LabelCount(label: "[\(formatNumber(lo + Double(b) * width)), \(formatNumber(lo + Double(b + 1) * width)))",
                       count: bins[b], share: Double(bins[b]) / total)
        }
        return ValueSummary(stats: stats, histogram: h)
    }

    private func longTail(_ ic: [Int]) -> LongTailStats {
        let counts = ic.filter { $0 > 0 }.sorted(by: >)
        let total = Double(counts.reduce(0, +))
        guard total > 0 else { return LongTailStats(top1PercentShare: 0, top20PercentShare: 0, gini: 0, itemsForHalf: 0) }
        func topShare(_ f: Double) -> Double {
            let k = Swift.max(1, Int((f * Double(counts.count)).rounded(.up)))
            return Double(counts.prefix(k).reduce(0, +)) / total
        }
        var acc = 0, half = 0
        for c in counts { acc += c; half += 1; if Double(acc) * 2 >= total { break } }
        // Gini over ascending counts: 1 - 2 Σ (cumulative share) / n + 1/n.
        let asc = counts.reversed()
        var cum = 0.0, area = 0.0
        for c in asc { cum += Double(c); area += cum }
        let n = Double(counts.count)
        let gini = (n + 1 - 2 * area / total) / n
        return LongTailStats(top1PercentShare: topShare(0.01), top20PercentShare: topShare(0.2), gini: gini, itemsForHalf: half)
    }

    /// Users and interactions per value of a user attribute (users without a row in the
    /// attribute table, or without a value, form the "(missing)" group). Only users with rows
    /// count.
    public func groupStats(userAttribute name: String) throws -> GroupSummary {
        guard let t = userAttributes else { throw DataError(.invalidArgument, message: "this dataset has no user attributes") }
        guard let labels = t.groupLabels(name, alignedTo: users) else {
            throw DataError(.invalidArgument, message: "no user attribute '\(name)' (have: \(t.columnNames.joined(separator: ", ")))")
        }
        let uc = userCounts()
        var usersBy = [String: Int](), rowsBy = [String: Int]()
        for u in 0..<userCount where uc[u] > 0 {
            usersBy[labels[u], default: 0] += 1
            rowsBy[labels[u], default: 0] += uc[u]
        }
        return summary(name, usersBy, rowsBy)
    }

    /// Items' interactions per value of an item attribute; for a multi-valued attribute
    /// (genres) an item counts in each of its groups. The `users` field counts distinct users
    /// who interacted with the group.
    public func groupStats(itemAttribute name: String) throws -> GroupSummary {
        guard let t = itemAttributes else { throw DataError(.invalidArgument, message: "this dataset has no item attributes") }
        guard let col = t.columns[name] else {
            throw DataError(.invalidArgument, message: "no item attribute '\(name)' (have: \(t.columnNames.joined(separator: ", ")))")
        }
        let rowsOf = t.aligned(to: items)
        let groupsOfItem: [[String]] = rowsOf.map { r in
            guard r >= 0 else { return ["(missing)"] }
            if case .multi(let m) = col { return m[r].isEmpty ? ["(none)"] : m[r] }
            let s = col.text(r)
            return [s.isEmpty ? "(missing)" : s]
        }
        var rowsBy = [String: Int]()
        var usersIn = [String: Set<Int32>]()
        for i in 0..<count {
            for g in groupsOfItem[Int(item[i])] {
                rowsBy[g, default: 0] += 1
                usersIn[g, default: []].insert(user[i])
            }
        }
        return summary(name, usersIn.mapValues { $0.count }, rowsBy)
    }

    private func summary(_ name: String, _ usersBy: [String: Int], _ rowsBy: [String: Int]) -> GroupSummary {
        let totalUsers = Double(Swift.max(1, userCounts().filter { $0 > 0 }.count))
        let totalRows = Double(Swift.max(1, count))
        let groups = rowsBy.keys.sorted(by: naturalLess).map { g -> GroupStats in
            let u = usersBy[g] ?? 0, r = rowsBy[g] ?? 0
            return GroupStats(group: g, users: u, interactions: r, interactionsPerUser: u == 0 ? 0 : Double(r) / Double(u),
                              shareOfUsers: Double(u) / totalUsers, shareOfInteractions: Double(r) / totalRows)
        }
        return GroupSummary(attribute: name, groups: groups)
    }
}

func formatNumber(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    let r = (x * 1000).rounded() / 1000
    return String(r)
}
