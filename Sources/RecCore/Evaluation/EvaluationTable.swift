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

extension Evaluation {
    /// The results table: columns `model`, (`group`), `users`, then one per metric. With a
    /// grouping, each model gets a row for all users, one per group, and two disparity rows:
    /// `max-min` (the gap between the best and worst group) and `min/max` (1 = parity).
    public static func table(_ evals: [ModelEvaluation], data: EvaluationData, grouping: UserGrouping? = nil) throws -> Table {
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
        for e in evals {
            var all: [TableValue] = [.string(e.name)]
            if grouping != nil { all.append(.string("all")) }
            all.append(.int(Int64(usersCount(e, data: data, members: nil))))
            all += e.values.map(cell)
            rows.append(all)
            guard grouping != nil else { continue }
            var groupValues: [[Double]] = []
            for g in groupNames {
                let members = Set(zip(data.users, userGroups).filter { $0.1 == g }.map(\.0))
                let v = metrics.map { groupValue($0, e, data: data, members: members, userGroups: userGroups, group: g) }
                groupValues.append(v)
                rows.append([.string(e.name), .string(g), .int(Int64(usersCount(e, data: data, members: members)))] + v.map(cell))
            }
            var gap: [TableValue] = [], ratio: [TableValue] = []
            for m in metrics.indices {
                let vs = groupValues.map { $0[m] }.filter { !$0.isNaN }
                guard let lo = vs.min(), let hi = vs.max() else { gap.append(.null); ratio.append(.null); continue }
                gap.append(.double(hi - lo))
                ratio.append(hi != 0 ? .double(lo / hi) : .null)
            }
            rows.append([.string(e.name), .string("max-min"), .null] + gap)
            rows.append([.string(e.name), .string("min/max"), .null] + ratio)
        }
        var names = ["model"]
        if let grouping { names.append(grouping.name) }
        names.append("users")
        names += metrics.map(\.description)
        var types: [ColumnType] = [.string]
        if grouping != nil { types.append(.string) }
        types.append(.int)
        types += metrics.map { _ in .double }
        return try Table(columnNames: names, rows: rows, types: types)
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
