// Evaluation results as tables: one row per model, optionally one per user group with the
// disparity between groups, and the exposure of item groups.

import Foundation

/// A grouping of users for fairness breakdowns: a label per user of the training ID space.
public struct UserGrouping: Sendable {
    public let name: String
    public let labels: [String]
    /// Something the caller should pass on to the user (e.g. that a numeric attribute made many
    /// groups, one per value).
    public var note: String?

    public init(name: String, labels: [String], note: String? = nil) {
        self.name = name
        self.labels = labels
        self.note = note
    }

    /// By a user attribute (gender, age band, region …) of the training data; a numeric one
    /// (age) cut into `bins` when given (see `Bins` for the labels).
    public static func attribute(_ name: String, of data: Interactions, bins: [Double]? = nil) throws -> UserGrouping {
        guard let attrs = data.userAttributes else {
            throw DataError(.invalidArgument, message: "the data has no user attributes to group by '\(name)'")
        }
        guard let labels = try attrs.groupLabels(name, alignedTo: data.users, bins: bins) else {
            throw DataError(.invalidArgument, message: "no user attribute '\(name)' (user attributes: "
                            + attrs.columnNames.joined(separator: ", ") + "; or group by \"activity\")")
        }
        return UserGrouping(name: name, labels: labels, note: bins == nil ? attrs.manyGroupsNote(name) : nil)
    }

    /// By training activity cut at `bins` (edges on the number of training interactions, labelled
    /// as `Bins` labels whole numbers: bins [5, 20] make "<5", "5-19", "20+").
    public static func activity(of train: Interactions, bins: [Double]) throws -> UserGrouping {
        let b = try Bins(edges: bins, integral: true)
        return UserGrouping(name: "activity", labels: train.userCounts().map { b.label(Double($0))! })
    }

    /// By training activity: users split into `buckets` groups of (nearly) equal size by their
    /// number of training interactions, labelled with the count range ("1-19", "20-64" …).
    public static func activity(of train: Interactions, buckets: Int = 3) -> UserGrouping {
        let counts = train.userCounts()
        let active = counts.filter { $0 > 0 }.sorted()
        guard !active.isEmpty, buckets > 1 else {
            return UserGrouping(name: "activity", labels: counts.map { _ in "all" })
        }
        // Upper bounds of each bucket at the quantiles of the active users' counts.
        var bounds: [Int] = []
        for b in 1..<buckets {
            let q = active[min(active.count - 1, active.count * b / buckets)]
            if bounds.last.map({ q > $0 }) ?? true { bounds.append(q) }
        }
        var ranges: [(Int, Int)] = []
        var lo = active[0]
        for b in bounds { ranges.append((lo, b - 1)); lo = b }
        ranges.append((lo, active.last!))
        ranges = ranges.filter { $0.0 <= $0.1 }
        let labels = counts.map { c -> String in
            guard c > 0 else { return "0 (new)" }
            let r = ranges.first { c >= $0.0 && c <= $0.1 } ?? ranges.last!
            return r.0 == r.1 ? "\(r.0)" : "\(r.0)-\(r.1)"
        }
        return UserGrouping(name: "activity", labels: labels)
    }
}

/// Confidence intervals and the test of the group gap that `Evaluation.table` adds when asked.
public struct IntervalSettings: Sendable {
    /// Coverage of the percentile bootstrap intervals (0.95).
    public var level: Double
    public var resamples: Int
    /// Shuffles of the group labels in the permutation test of max − min.
    public var permutations: Int
    public var seed: UInt64

    public init(level: Double = 0.95, resamples: Int = 1000, permutations: Int = 1000, seed: UInt64 = 42) {
        self.level = level; self.resamples = resamples; self.permutations = permutations; self.seed = seed
    }
}

extension UserGrouping {
    /// The intersection of several groupings (gender × age band): name "gender/age_band", labels
    /// "F/25-34"; a user missing from any grouping is "(missing)".
    public static func intersection(_ parts: [UserGrouping]) -> UserGrouping {
        precondition(!parts.isEmpty, "no groupings to intersect")
        if parts.count == 1 { return parts[0] }
        let n = parts.map(\.labels.count).min()!
        let labels = (0..<n).map { u in parts.map { $0.labels[u] }.joined(separator: "/") }
        return UserGrouping(name: parts.map(\.name).joined(separator: "/"), labels: labels,
                            note: parts.compactMap(\.note).first)
    }
}

extension Evaluation {
    /// The disparity rows of a group breakdown, per metric over the groups' values (one row of
    /// metric values per group; NaN values left out): `max-min`, the gap between the best and the
    /// worst group, and `min/max`, the worst relative to the best (1 = parity; NaN when the best is 0).
    public static func disparity(_ groupValues: [[Double]], metrics: Int) -> (gap: [Double], ratio: [Double]) {
        var gap: [Double] = [], ratio: [Double] = []
        for m in 0..<metrics {
            let vs = groupValues.map { $0[m] }.filter { !$0.isNaN }
            guard let lo = vs.min(), let hi = vs.max() else { gap.append(.nan); ratio.append(.nan); continue }
            gap.append(hi - lo)
            ratio.append(hi != 0 ? lo / hi : .nan)
        }
        return (gap, ratio)
    }

    /// The results table: columns `model`, (`group`), `users`, then one per metric. With a
    /// grouping, each model gets a row for all users, one per group, and two disparity rows:
    /// `max-min` (the gap between the best and worst group) and `min/max` (1 = parity).
    /// With `intervals`, each metric gets `_lo` and `_hi` columns (bootstrap over users, the
    /// `max-min` row holding the interval of the gap) and a `p-value` row follows: the
    /// permutation test of the gap over group labels (GroupIntervals.swift). Metrics of the whole
    /// set of lists (coverage, gini, entropy, the popularity-bias and exposure measures) have no
    /// per-user values to resample and get none.
    public static func table(_ evals: [ModelEvaluation], data: EvaluationData, grouping: UserGrouping? = nil,
                             intervals: IntervalSettings? = nil) throws -> Table {
        guard let metrics = evals.first?.metrics else { return try Table(columnNames: ["model"], rows: []) }
        var rows: [[TableValue]] = []
        let groupNames: [String]
        let userGroups: [String]
        if let grouping {
            userGroups = data.groups(grouping.labels)
            groupNames = Array(Set(userGroups)).sorted(by: naturalLess)
        } else {
            userGroups = []
            groupNames = []
        }
        // Metric columns: the value, then its interval when asked.
        func cells(_ values: [Double], _ ivs: [GroupIntervals.Interval]?) -> [TableValue] {
            guard let ivs else { return values.map(cell) }
            return zip(values, ivs).flatMap { [cell($0.0), cell($0.1.low), cell($0.1.high)] }
        }
        let blank = [GroupIntervals.Interval](repeating: .none, count: metrics.count)
        for e in evals {
            let ivs = intervals.map { s in
                metrics.map { m in samples(m, e, data: data, grouping: grouping, groupNames: groupNames)
                    .map { Significance.groupIntervals($0, level: s.level, resamples: s.resamples, permutations: s.permutations, seed: s.seed) } }
            }
            var all: [TableValue] = [.string(e.name)]
            if grouping != nil { all.append(.string("all")) }
            all.append(.int(Int64(usersCount(e, data: data, members: nil))))
            all += cells(e.values, ivs.map { $0.map { $0?.all ?? .none } })
            rows.append(all)
            guard grouping != nil else { continue }
            var groupValues: [[Double]] = []
            for (gi, g) in groupNames.enumerated() {
                let members = Set(zip(data.users, userGroups).filter { $0.1 == g }.map(\.0))
                let v = metrics.map { groupValue($0, e, data: data, members: members, userGroups: userGroups, group: g) }
                groupValues.append(v)
                rows.append([.string(e.name), .string(g), .int(Int64(usersCount(e, data: data, members: members)))]
                            + cells(v, ivs.map { $0.map { $0?.groups[gi] ?? .none } }))
            }
            let (gap, ratio) = disparity(groupValues, metrics: metrics.count)
            rows.append([.string(e.name), .string("max-min"), .null] + cells(gap, ivs.map { $0.map { $0?.gap ?? .none } }))
            rows.append([.string(e.name), .string("min/max"), .null] + cells(ratio, ivs.map { _ in blank }))
            if let ivs {
                rows.append([.string(e.name), .string("p-value"), .null] + cells(ivs.map { $0?.pValue ?? .nan }, blank))
            }
        }
        var names = ["model"]
        if let grouping { names.append(grouping.name) }
        names.append("users")
        for m in metrics {
            names.append(m.description)
            if intervals != nil { names += [m.description + "_lo", m.description + "_hi"] }
        }
        var types: [ColumnType] = [.string]
        if grouping != nil { types.append(.string) }
        types.append(.int)
        types += [ColumnType](repeating: .double, count: names.count - types.count)
        return try Table(columnNames: names, rows: rows, types: types)
    }

    /// A metric's per-user contributions coded by group (one group "all" without a grouping), or
    /// nil for metrics of the whole set of lists.
    static func samples(_ spec: MetricSpec, _ e: ModelEvaluation, data: EvaluationData, grouping: UserGrouping?,
                        groupNames: [String]) -> GroupedSamples? {
        let code = Dictionary(uniqueKeysWithValues: groupNames.enumerated().map { ($1, $0) })
        func group(_ u: Int32) -> Int? {
            guard let grouping else { return 0 }
            return code[Int(u) < grouping.labels.count ? grouping.labels[Int(u)] : "(missing)"]
        }
        let groupCount = grouping == nil ? 1 : groupNames.count
        var groups: [Int] = [], num: [Double] = [], den: [Double] = []
        switch spec.kind {
        case .rmse, .mae:
            var sums: [Int32: (Double, Double)] = [:]
            for (u, err) in zip(e.ratingErrors.users, e.ratingErrors.errors) {
                let (s, n) = sums[u] ?? (0, 0)
                sums[u] = (s + (spec.kind == .rmse ? err * err : abs(err)), n + 1)
            }
            for u in sums.keys.sorted() {
                guard let g = group(u) else { continue }
                groups.append(g); num.append(sums[u]!.0); den.append(sums[u]!.1)
            }
            guard !groups.isEmpty else { return nil }
            return GroupedSamples(groups: groups, numerators: num, denominators: den, groupCount: groupCount,
                                  squareRoot: spec.kind == .rmse)
        default:
            guard let per = e.perUser[spec.description], per.count > 0 else { return nil }
            for (u, v) in zip(per.users, per.values) where !v.isNaN {
                guard let g = group(u) else { continue }
                groups.append(g); num.append(v)
            }
            return GroupedSamples(groups: groups, numerators: num, groupCount: groupCount)
        }
    }

    static func cell(_ v: Double) -> TableValue { v.isNaN ? .null : .double(v) }

    /// Users behind a row: with ranking metrics the users with a relevant item, else the users
    /// with test ratings.
    static func usersCount(_ e: ModelEvaluation, data: EvaluationData, members: Set<Int32>?) -> Int {
        if e.metrics.contains(where: { !$0.kind.needsPredictions }) {
            return members?.count ?? data.users.count
        }
        let raters = Set(e.ratingErrors.users)
        return members.map { $0.intersection(raters).count } ?? raters.count
    }

    /// One metric over one group's users: rating metrics over the group's test rows, catalogue
    /// metrics over the group's lists, the rest as the mean of the group's per-user values.
    static func groupValue(_ spec: MetricSpec, _ e: ModelEvaluation, data: EvaluationData, members: Set<Int32>,
                           userGroups: [String], group: String) -> Double {
        switch spec.kind {
        case .rmse, .mae:
            var s = 0.0, n = 0
            for (u, err) in zip(e.ratingErrors.users, e.ratingErrors.errors) where members.contains(u) {
                s += spec.kind == .rmse ? err * err : abs(err)
                n += 1
            }
            guard n > 0 else { return .nan }
            return spec.kind == .rmse ? (s / Double(n)).squareRoot() : s / Double(n)
        case .coverage, .gini, .entropy:
            let rows = userGroups.indices.filter { userGroups[$0] == group }
            let d = Metrics.distribution(e.lists.rows(rows), k: spec.k, itemCount: data.itemCount)
            return spec.kind == .coverage ? d.coverage : spec.kind == .gini ? d.gini : d.entropy
        case .personalization:
            let rows = userGroups.indices.filter { userGroups[$0] == group }
            return Metrics.personalization(e.lists.rows(rows), k: spec.k ?? 10, itemCount: data.itemCount) ?? .nan
        default:
            guard let per = e.perUser[spec.description] else { return .nan }
            var s = 0.0, n = 0
            for (u, v) in zip(per.users, per.values) where members.contains(u) && !v.isNaN { s += v; n += 1 }
            return n > 0 ? s / Double(n) : .nan
        }
    }

    /// Each item group's share of the recommendation slots (and position-weighted, 1/log2(rank+1))
    /// against its share of the catalogue and of the training interactions.
    public static func exposureTable(_ lists: RecommendationLists, k: Int?, itemGroups: [String], popularity: [Int],
                                     groupName: String) throws -> Table {
        let ex = Metrics.itemExposure(lists, k: k, itemGroups: itemGroups, popularity: popularity)
            .sorted { naturalLess($0.group, $1.group) }
        let rows: [[TableValue]] = ex.map { g in
            [.string(g.group), .int(Int64(g.items)), cell(g.catalogueShare), cell(g.interactionShare),
             .int(Int64(g.slots)), cell(g.slotShare), cell(g.weightedShare),
             g.catalogueShare > 0 ? cell(g.slotShare / g.catalogueShare) : .null]
        }
        return try Table(columnNames: [groupName, "items", "catalogue_share", "interaction_share", "slots", "slot_share",
                                       "weighted_share", "exposure_ratio"],
                         rows: rows, types: [.string, .int, .double, .double, .int, .double, .double, .double])
    }
}
