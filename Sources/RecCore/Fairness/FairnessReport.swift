// The fairness measures by name, computed from one model or one set of lists on an evaluation's
// ground truth: what `fairness(…)` and `tradeoff(…)` report. Each measure's formula and paper are
// in its own file and in docs/metrics.md; this file only gathers the inputs and dispatches.

import Foundation

/// What the group measures compare.
public struct FairnessInputs: Sendable {
    /// A label per user of the training ID space (user MAD, gaps, Yao & Huang).
    public var userGroups: [String]?
    /// Yao & Huang's g (nil: the first of exactly two groups).
    public var group: String?
    /// A label per training item (item MAD, exposure ratio); nil for items without one.
    public var itemGroups: [String?]?
    /// Protected items (FA*IR's group) for `protected_share`.
    public var protected: [Bool]?
    /// Item labels and their names (an item attribute) for `miscalibration`.
    public var labels: ItemSets?
    public var labelCount = 0
    /// γ of expected exposure and p of equity of attention.
    public var patience = 0.5
    public var attention = 0.5

    public init() {}
}

public enum FairnessMetric {
    /// The measures and whether larger is better; `name@k` takes the evaluation's cutoff.
    public static let directions: [String: Bool] = [
        "value_unfairness": false, "absolute_unfairness": false, "under_unfairness": false, "over_unfairness": false,
        "non_parity": false, "user_mad": false, "item_mad": false, "pop_reo": false, "pop_rsp": false,
        "ee_loss": false, "ee_disparity": false, "ee_relevance": true, "eoa": false, "eoa_ranking": false,
        "protected_share": true, "exposure_ratio": true, "miscalibration": false,
    ]
    static let ratingMeasures: Set<String> = ["value_unfairness", "absolute_unfairness", "under_unfairness", "over_unfairness", "non_parity"]

    /// Whether `name` (with or without "@k", or an evaluate metric followed by "_gap") is a
    /// fairness measure.
    public static func isFairness(_ name: String) -> Bool {
        let base = String(name.lowercased().split(separator: "@").first ?? "")
        return directions[base] != nil || name.lowercased().hasSuffix("_gap")
    }

    /// Whether larger values are better (nil for unknown names).
    public static func higherIsBetter(_ name: String) -> Bool? {
        let lower = name.lowercased()
        if lower.hasSuffix("_gap") { return false }
        if let d = directions[String(lower.split(separator: "@").first ?? "")] { return d }
        return (try? MetricSpec.parse(lower, defaultK: 10)).map { !$0.kind.lowerIsBetter }
    }

    /// The measures that apply when nothing is named: the rating family with a rating model and
    /// user groups, the group ones with groups, the list ones always.
    public static func defaults(k: Int, ratings: Bool, inputs: FairnessInputs) -> [String] {
        var out: [String] = []
        if ratings && inputs.userGroups != nil { out += ["value_unfairness", "absolute_unfairness", "under_unfairness", "over_unfairness", "non_parity"] }
        if inputs.userGroups != nil { out += ["ndcg@\(k)_gap", "user_mad@\(k)"] }
        out += ["item_mad@\(k)", "pop_reo@\(k)", "pop_rsp@\(k)", "ee_loss@\(k)", "ee_disparity@\(k)", "ee_relevance@\(k)", "eoa@\(k)"]
        if inputs.protected != nil { out.append("protected_share@\(k)") }
        if inputs.itemGroups != nil { out.append("exposure_ratio@\(k)") }
        return out
    }

    /// Computes each named measure. `lists` must be the source's lists for `data.users` when the
    /// source is a model (nil: they are computed here).
    public static func compute(_ names: [String], source: RecommendationSource, data: EvaluationData, k: Int,
                               inputs: FairnessInputs, cancellation: Cancellation = .none) throws -> [Double] {
        var lists: RecommendationLists
        switch source {
        case .lists(let l): lists = l
        case .model(let m):
            let maxK = names.compactMap { cutoff($0, k) }.max() ?? k
            lists = try m.recommendAll(users: data.users, k: maxK, cancellation: cancellation).lists
        }
        var values: [Double] = []
        for name in names {
            try cancellation.check()
            values.append(try value(name.lowercased(), source: source, lists: lists, data: data, k: k, inputs: inputs))
        }
        return values
    }

    static func cutoff(_ name: String, _ k: Int) -> Int? {
        let parts = name.split(separator: "@")
        guard parts.count == 2 else { return k }
        return Int(parts[1].split(separator: "_").first ?? "")
    }

    static func value(_ name: String, source: RecommendationSource, lists: RecommendationLists, data: EvaluationData,
                      k defaultK: Int, inputs: FairnessInputs) throws -> Double {
        if name.hasSuffix("_gap") {
            let base = String(name.dropLast(4))
            let spec = try MetricSpec.parse(base, defaultK: defaultK)
            let groups = try need(inputs.userGroups, name, "by: (user groups)")
            let e = try Evaluation.evaluate(.lists(lists), name: "gap", data: data, metrics: [spec])
            guard let per = e.perUser[spec.description] else {
                throw DataError(.invalidArgument, message: "\(name): \(base) has no per-user values to compare between groups")
            }
            return GroupComparison(per) { Int($0) < groups.count ? groups[Int($0)] : nil }.difference
        }
        let parts = name.split(separator: "@", omittingEmptySubsequences: false)
        let base = String(parts[0])
        guard directions[base] != nil else {
            throw DataError(.invalidArgument, message: "unknown fairness measure '\(name)'; known: "
                            + directions.keys.sorted().joined(separator: ", ") + ", or a metric followed by _gap (ndcg@10_gap)")
        }
        var k = defaultK
        if parts.count == 2 {
            guard let c = Int(parts[1]), c > 0 else {
                throw DataError(.invalidArgument, message: "fairness measure '\(name)': the cutoff after '@' must be a positive integer")
            }
            k = c
        }
        let shortHead = Metrics.longTailItems(popularity: data.popularity, headShare: 0.8).map { !$0 }
        switch base {
        case _ where ratingMeasures.contains(base):
            guard case .model(let m) = source else {
                throw DataError(.invalidArgument, message: "\(base) compares predicted ratings: it needs a model, not lists")
            }
            guard !data.ratingRows.values.isEmpty else { throw DataError(.invalidArgument, message: "\(base) needs test data with ratings") }
            let labels = try need(inputs.userGroups, base, "by: (user groups)")
            let side = try Metrics.fairnessSides(labels: labels, attribute: "by", group: inputs.group, users: labels.count)
            let (pred, _) = Evaluation.predict(m, data)
            let rows = data.ratingRows
            let u = Metrics.ratingUnfairness(users: rows.users, items: rows.items, predictions: pred, truth: rows.values) { user in
                Int(user) < side.count && side[Int(user)] >= 0 ? side[Int(user)] == 0 : nil
            }
            switch base {
            case "value_unfairness": return u.value
            case "absolute_unfairness": return u.absolute
            case "under_unfairness": return u.under
            case "over_unfairness": return u.over
            default: return u.nonParity
            }
        case "user_mad":
            let groups = try need(inputs.userGroups, base, "by: (user groups)")
            let e = try Evaluation.evaluate(.lists(lists), name: "mad", data: data, metrics: [MetricSpec(.ndcg, k: k)])
            return Metrics.userMAD(e.perUser["ndcg@\(k)"]!) { Int($0) < groups.count ? groups[Int($0)] : nil }
        case "item_mad":
            let groups = inputs.itemGroups ?? shortHead.map { $0 ? "head" : "tail" }
            return Metrics.itemMAD(lists, k: k, relevant: data.relevant, itemGroups: groups)
        case "pop_reo": return Metrics.popREO(lists, k: k, relevant: data.relevant, training: data.training, shortHead: shortHead)
        case "pop_rsp": return Metrics.popRSP(lists, k: k, training: data.training, shortHead: shortHead)
        case "ee_loss", "ee_disparity", "ee_relevance":
            let e = Metrics.expectedExposure(lists, k: k, relevant: data.relevant, training: data.training,
                                             itemCount: data.itemCount, patience: inputs.patience)
            return base == "ee_loss" ? e.loss : base == "ee_disparity" ? e.disparity : e.relevance
        case "eoa", "eoa_ranking":
            let a = Metrics.equityOfAttention(lists, k: k, relevant: data.relevant, training: data.training,
                                              itemCount: data.itemCount, p: inputs.attention)
            return base == "eoa" ? a.amortized : a.perRanking
        case "protected_share":
            let prot = try need(inputs.protected, base, "protected: (the protected items)")
            var n = 0, p = 0
            for r in 0..<lists.count { for i in lists[r].prefix(k) { n += 1; if Int(i) < prot.count && prot[Int(i)] { p += 1 } } }
            return n > 0 ? Double(p) / Double(n) : .nan
        case "exposure_ratio":
            let groups = try need(inputs.itemGroups, base, "item_by: (item groups)")
            let labelled = groups.map { $0 ?? "(missing)" }
            let ex = Metrics.itemExposure(lists, k: k, itemGroups: labelled, popularity: data.popularity)
            let ratios = ex.filter { $0.catalogueShare > 0 }.map { $0.weightedShare / $0.catalogueShare }
            guard let lo = ratios.min(), let hi = ratios.max(), hi > 0 else { return .nan }
            return lo / hi
        case "miscalibration":
            let labels = try need(inputs.labels, base, "attribute: (an item attribute)")
            var s = 0.0, n = 0
            for r in 0..<lists.count {
                let cal = CalibrationObjective(labels: labels, names: Array(repeating: "", count: inputs.labelCount), history: { _ in [] })
                let p = cal.distribution(Array(data.training[r])), q = cal.distribution(Array(lists[r].prefix(k)))
                guard p.contains(where: { $0 > 0 }) else { continue }
                s += CalibrationObjective.miscalibration(target: p, list: q, alpha: cal.alpha)
                n += 1
            }
            return n > 0 ? s / Double(n) : .nan
        default:
            return .nan
        }
    }

    static func need<T>(_ x: T?, _ name: String, _ what: String) throws -> T {
        guard let x else { throw DataError(.invalidArgument, message: "\(name) needs \(what)") }
        return x
    }
}
