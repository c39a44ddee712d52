import Foundation
import RecCore

/// fairness: the fairness measures by name (RecCore/Fairness, formulas in docs/metrics.md), and the
/// argument readers rerank and tradeoff share with it.
enum FairnessBuiltins {
    static let cat = "Fairness"

    /// Labels of an item attribute per training item, multi-valued ones split on `|`.
    static func itemLabels(_ attribute: String, _ data: Interactions, _ a: Arguments) throws -> (sets: ItemSets, names: [String]) {
        guard let attrs = data.itemAttributes, let c = attrs.column(attribute, alignedTo: data.items) else {
            let known = data.itemAttributes?.columnNames.joined(separator: ", ") ?? "none"
            throw a.error("\(a.spec.name)(): no item attribute '\(attribute)' (item attributes: \(known))")
        }
        let labels = (0..<data.itemCount).map { i -> [String] in
            let t = i < c.count ? c.text(i) : ""
            return t.isEmpty ? [] : t.split(separator: "|").map(String.init)
        }
        let coded = ItemSets.coded(labels)
        return (coded.sets, coded.labels)
    }

    /// One group label per training item from an item attribute (nil: the item has no value).
    static func itemGroups(_ attribute: String, _ data: Interactions, _ a: Arguments) throws -> [String?] {
        guard let attrs = data.itemAttributes,
              let labels = try DataBuiltins.rethrow(a, { try attrs.groupLabels(attribute, alignedTo: data.items, bins: nil) }) else {
            let known = data.itemAttributes?.columnNames.joined(separator: ", ") ?? "none"
            throw a.error("\(a.spec.name)(): no item attribute '\(attribute)' (item attributes: \(known))")
        }
        return labels.map { $0 == "(missing)" ? nil : $0 }
    }

    /// protected: ["provider_size": "small"] (a value or a List of values per attribute; every
    /// attribute must match) → a flag per training item.
    static func protectedItems(_ a: Arguments, _ data: Interactions) throws -> [Bool]? {
        guard a.has("protected") else { return nil }
        let m = try a.map("protected")
        guard m.count > 0 else { throw a.error("\(a.spec.name)(): protected: is empty; give [\"attribute\": \"value\"]") }
        var flags = [Bool](repeating: true, count: data.itemCount)
        for (k, v) in zip(m.keys, m.values) {
            guard case .string(let attr) = k else { throw a.error("\(a.spec.name)(): protected: keys are item attribute names (Strings)") }
            let wanted: Set<String>
            switch v {
            case .string(let s): wanted = [s]
            case .list(let l): wanted = Set(l.items.map { if case .string(let s) = $0 { return s }; return $0.repr })
            default: wanted = [v.repr]
            }
            let groups = try itemGroups(attr, data, a)
            let present = Set(groups.compactMap { $0 })
            if let missing = wanted.first(where: { !present.contains($0) }) {
                throw a.error("\(a.spec.name)(): protected: no item has \(attr) = \"\(missing)\" (values: \(present.sorted(by: naturalLess).prefix(10).joined(separator: ", ")))")
            }
            for i in flags.indices where !(groups[i].map(wanted.contains) ?? false) { flags[i] = false }
        }
        return flags
    }

    /// The inputs of the measures from the shared arguments: by: (user groups; a user attribute,
    /// a List of them, or "activity"; an item attribute there is taken as item groups when no user
    /// attribute has the name), group:, item_by:, protected:, attribute:.
    static func inputs(_ a: Arguments, _ data: EvaluationData) throws -> FairnessInputs {
        var inp = FairnessInputs()
        if a.has("by") {
            let names = try byNames(a)
            let userAttrs = Set(data.train.userAttributes?.columnNames ?? [])
            let itemAttrs = Set(data.train.itemAttributes?.columnNames ?? [])
            if names.count == 1, !userAttrs.contains(names[0]), names[0] != "activity", itemAttrs.contains(names[0]) {
                inp.itemGroups = try itemGroups(names[0], data.train, a)
            } else {
                inp.userGroups = try EvaluationBuiltins.grouping(a, data)?.labels
            }
        }
        if a.declares("group") { inp.group = try a.optionalString("group") }
        if a.declares("item_by"), let ib = try a.optionalString("item_by") { inp.itemGroups = try itemGroups(ib, data.train, a) }
        inp.protected = try protectedItems(a, data.train)
        if a.declares("attribute"), let attr = try a.optionalString("attribute") {
            let l = try itemLabels(attr, data.train, a)
            inp.labels = l.sets; inp.labelCount = l.names.count
        }
        if a.declares("patience") { inp.patience = try a.double("patience") }
        guard inp.patience > 0 && inp.patience < 1 else { throw a.error("\(a.spec.name)(): patience must be between 0 and 1 (exclusive)") }
        return inp
    }

    /// by: as a list of attribute names.
    static func byNames(_ a: Arguments) throws -> [String] {
        switch try a.any("by") {
        case .string(let s): return [s]
        case .list: return try a.strings("by")
        case let v: throw a.typeError("by", expected: "a String or a List of Strings", got: v)
        }
    }

    /// Measure names from metrics: (or the defaults).
    static func measureNames(_ a: Arguments, k: Int, ratings: Bool, inputs: FairnessInputs) throws -> [String] {
        guard a.has("metrics") else { return FairnessMetric.defaults(k: k, ratings: ratings, inputs: inputs) }
        let names: [String]
        switch try a.any("metrics") {
        case .string(let s): names = [s]
        case .list: names = try a.strings("metrics")
        case let v: throw a.typeError("metrics", expected: "a List of measure names", got: v)
        }
        guard !names.isEmpty else { throw a.error("\(a.spec.name)(): metrics is empty") }
        return names
    }

    static let sharedParams: [BuiltinParam] = [
        .optional("by"), .optional("group", "String"), .optional("item_by", "String"), .optional("protected", "Map"),
        .optional("attribute", "String"),
    ]

    static func register(into r: BuiltinRegistry) {
        r.register([
            BuiltinSpec("fairness", [.required("recommendations"), .required("test"), .optional("train", "Dataset"), .optional("metrics", "List"),
                                     .optional("k", "Int", default: .int(10), range: 1...Int.max), .optional("threshold", "Float"),
                                     .optional("patience", "Float", default: .double(0.5))] + sharedParams + [.optional("bins", "List"),
                                     .optional("buckets", "Int", default: .int(3), range: 1...1_000)],
                        returns: "Table", category: cat,
                        doc: """
                        Fairness measures of a model or of recommendation lists on test data: a table of metric, value and better
                        ("lower" or "higher"). Measures (formulas and papers in docs/metrics.md): value_unfairness,
                        absolute_unfairness, under_unfairness, over_unfairness, non_parity (Yao & Huang 2017: a rating model and
                        two user groups; with more, group: names g), user_mad@k (NDCG between user groups), item_mad@k (between item
                        groups: item_by:, else short head and long tail), pop_reo@k, pop_rsp@k (Elliot), ee_loss@k, ee_disparity@k,
                        ee_relevance@k (expected exposure, Diaz et al. 2020, patience:), eoa@k, eoa_ranking@k (equity of attention,
                        Biega et al. 2018), protected_share@k (protected:), exposure_ratio@k (item_by:), miscalibration@k (Steck 2018,
                        attribute:), and any evaluate metric followed by _gap (ndcg@10_gap: max − min between the groups of by:).
                        by: a user attribute, a List of them (their intersection) or "activity"; an item attribute is taken as item_by:.
                        Without metrics:, every measure the arguments allow.
                        Example: fairness(fit(popularity(), s.train), s, by: "gender", metrics: ["ndcg@10_gap", "pop_rsp@10"])
                        """) { a in
                let cands = try EvaluationBuiltins.candidates(try a.any("recommendations"), a)
                guard cands.count == 1 else { throw a.error("fairness(): one model or one set of recommendations at a time") }
                let (train, test) = try EvaluationBuiltins.dataPair(a, cands)
                let k = try ModelBuiltins.positive(a, "k")
                let data = try DataBuiltins.rethrow(a) { try EvaluationData(train: train, test: test, threshold: try a.optionalDouble("threshold")) }
                try EvaluationBuiltins.checkLeakage(cands, data, a)
                let inputs = try inputs(a, data)
                let source: RecommendationSource
                var ratings = false
                switch cands[0] {
                case .model(let m):
                    source = .model(m.model)
                    ratings = m.predictsRatings && test.values != nil
                case .lists(_, let t):
                    let (l, notes) = try EvaluationBuiltins.lists(from: t, data: data, a)
                    for n in notes { a.interpreter.warn("fairness(): \(n)", at: a.location) }
                    source = .lists(l)
                }
                let names = try measureNames(a, k: k, ratings: ratings, inputs: inputs)
                let values = try DataBuiltins.rethrow(a) {
                    try FairnessMetric.compute(names, source: source, data: data, k: k, inputs: inputs, cancellation: a.cancellation)
                }
                if case .model(let m) = cands[0] { try ModelBuiltins.checkScoring(m) }
                let better = names.map { FairnessMetric.higherIsBetter($0).map { $0 ? "higher" : "lower" } ?? "" }
                return TableBuiltins.wrap(try Table([("metric", Column(strings: names)),
                                                     ("value", Column(optionalDoubles: values.map { $0.isNaN ? nil : $0 })), ("better", Column(strings: better))]))
            },
        ])
    }
}
