import Foundation
import RecCore

/// tradeoff: one point per re-ranking weight (or per value of a model parameter, refitting),
/// the requested metrics at each, and which points are Pareto-optimal (RecCore/Fairness/Pareto).
enum TradeoffBuiltins {
    /// The metric a method moves, for the default metrics.
    static func target(_ method: String?, k: Int, userGroups: Bool) -> [String] {
        switch method {
        case "mmr"?: return ["ild@\(k)"]
        case "calibrated"?: return ["miscalibration@\(k)"]
        case "fa*ir"?, "fair"?: return ["protected_share@\(k)"]
        case "provider"?: return ["exposure_ratio@\(k)"]
        case "user_fair"?: return ["ndcg@\(k)_gap"]
        default: return userGroups ? ["ndcg@\(k)_gap"] : []
        }
    }

    /// The values of every metric for one point: evaluate's metrics through Evaluation, the
    /// fairness measures through FairnessMetric. A new kind of measure (consistency …) adds a
    /// branch here.
    static func measure(_ names: [String], source: RecommendationSource, data: EvaluationData, k: Int,
                        inputs: FairnessInputs, diversity: ItemSets?, _ a: Arguments) throws -> [Double] {
        var out = [Double](repeating: .nan, count: names.count)
        var specs: [(Int, MetricSpec)] = [], fair: [(Int, String)] = []
        for (j, n) in names.enumerated() {
            if FairnessMetric.isFairness(n) { fair.append((j, n)); continue }
            let spec = try DataBuiltins.rethrow(a) { try MetricSpec.parse(n, defaultK: k) }
            if spec.kind == .diversity && diversity == nil {
                throw a.error("\(a.spec.name)(): \(n) needs attribute: (the item attribute diversity is measured over)")
            }
            specs.append((j, spec))
        }
        if !specs.isEmpty {
            let e = try DataBuiltins.rethrow(a) {
                try Evaluation.evaluate(source, name: "point", data: data, metrics: specs.map(\.1), diversityLabels: diversity,
                                        cancellation: a.cancellation)
            }
            for (n, (j, _)) in specs.enumerated() { out[j] = e.values[n] }
        }
        if !fair.isEmpty {
            let v = try DataBuiltins.rethrow(a) {
                try FairnessMetric.compute(fair.map(\.1), source: source, data: data, k: k, inputs: inputs, cancellation: a.cancellation)
            }
            for (n, (j, _)) in fair.enumerated() { out[j] = v[n] }
        }
        return out
    }

    /// The model with one hyper-parameter changed, unfitted.
    static func rebuilt(_ m: ModelObject, param: String, value: Value, _ a: Arguments) throws -> ModelObject {
        guard case .config(let c) = m.blueprint else {
            throw a.error("tradeoff(): param: sweeps a catalogue model's parameter; \(m.displayName) is written in Rec")
        }
        guard c.kind.parameter(param) != nil else {
            throw a.error("tradeoff(): \(c.kind.name) has no parameter '\(param)' (parameters: \(c.kind.parameters.map(\.name).joined(separator: ", ")))")
        }
        var given = m.params.filter { p in
            if case .nil = p.value { return false }
            return p.name != param
        }.map { ($0.name, $0.value) }
        given.append((param, value))
        return try ModelObject(.config(try ModelParameters.config(c.kind, given)))
    }

    static let specs: [BuiltinSpec] = [
        BuiltinSpec("tradeoff", [.required("model", "Model"), .required("test"), .optional("method", "String"), .optional("weights", "List"),
                                 .optional("metrics", "List"), .optional("k", "Int", default: .int(10), range: 1...Int.max),
                                 .optional("param", "String"), .optional("values", "List"), .optional("train", "Dataset"),
                                 .optional("threshold", "Float"), .optional("group", "String"), .optional("item_by", "String"),
                                 .optional("patience", "Float", default: .double(0.5)), .optional("bins", "List"),
                                 .optional("buckets", "Int", default: .int(3), range: 1...1_000)] + RerankBuiltins.rerankParams,
                    returns: "Table", category: RerankBuiltins.cat,
                    doc: """
                    The accuracy–fairness (or any) trade-off: one row per point, one column per metric, and pareto, true for the points
                    no other point beats on every metric (each metric's direction: docs/fairness.md). With method: (as rerank), the
                    fitted model's lists are re-ranked once per weight (weights: default [0, 0.25, 0.5, 0.75, 1]; for fa*ir the weight
                    is p). Without it, param: names a hyper-parameter of the model and values: its values: the model is refitted per
                    value on train: (or the Split's training part, or the data it was fitted on). With a differentially private
                    model (param: "epsilon" draws the privacy–accuracy curve) each value is a release charged to the privacy ledger,
                    and a sweep the budget cannot cover in full is refused before anything is fitted.
                    metrics: any evaluate metric (ndcg@10, ild@10 with attribute:) or fairness measure (ndcg@10_gap with by:,
                    exposure_ratio@10 …); default ndcg@k and what the method moves (ild, miscalibration, protected_share,
                    exposure_ratio, or the NDCG gap between the groups of by:).
                    Example: tradeoff(fit(item_knn(), s.train), s, method: "mmr", attribute: "category", weights: [0, 0.5])
                    """) { a in
            let m = try ModelBuiltins.model(a, "model")
            let method = try a.optionalString("method")?.lowercased()
            let k = try ModelBuiltins.positive(a, "k")
            // The points: weights or parameter values.
            let param = try a.optionalString("param")
            var points: [Value]
            if method != nil {
                if param != nil { throw a.error("tradeoff(): give method: (re-rank per weight) or param: (refit per value), not both") }
                points = a.has("weights") ? try a.list("weights").items : [0, 0.25, 0.5, 0.75, 1].map { .double($0) }
            } else {
                guard param != nil else { throw a.error("tradeoff(): give method: (a re-ranker, swept over weights:) or param: and values: (a model parameter, refitted per value)") }
                guard a.has("values") else { throw a.error("tradeoff(): param: \"\(param!)\" needs values: [the values to try]") }
                points = try a.list("values").items
            }
            guard !points.isEmpty else { throw a.error("tradeoff(): no \(method != nil ? "weights" : "values") to try") }
            // Data: as evaluate, but an unfitted model is fine when it is refitted per value.
            var train: Interactions? = m.trainedOn
            let test: Interactions
            switch try a.any("test") {
            case .native(let d as DatasetObject): test = d.data
            case .native(let s as SplitObject):
                test = s.split.test
                if train == nil || method == nil { train = s.split.train }
            case let v: throw a.typeError("test", expected: "a Dataset (or a Split)", got: v)
            }
            if a.has("train") { train = try DataBuiltins.dataset(a, "train") }
            guard let train else { throw a.error("tradeoff(): pass train: (or a Split as test), or fit the model first") }
            if method != nil && !m.isFitted { throw a.error("tradeoff(): the \(m.displayName) model is not fitted yet; re-ranking needs a fitted model") }
            let data = try DataBuiltins.rethrow(a) { try EvaluationData(train: train, test: test, threshold: try a.optionalDouble("threshold")) }
            if method != nil { try EvaluationBuiltins.checkLeakage([.model(m)], data, a) }
            let inputs = try FairnessBuiltins.inputs(a, data)
            let names: [String]
            if a.has("metrics") {
                names = try FairnessBuiltins.measureNames(a, k: k, ratings: false, inputs: inputs)
            } else {
                names = ["ndcg@\(k)"] + target(method, k: k, userGroups: inputs.userGroups != nil)
            }
            let directions = try names.map { n -> Bool in
                guard let d = FairnessMetric.higherIsBetter(n) else { throw a.error("tradeoff(): unknown metric '\(n)'") }
                return d
            }
            let diversity = try a.optionalString("attribute").map { try EvaluationBuiltins.diversityLabels($0, data, a)! }
            var rows: [[Double]] = []
            // Every weight re-ranks the same candidates: the model is asked once.
            let candidates = method == nil ? nil
                                : try RerankBuiltins.candidateLists(m, users: data.users, count: try ModelBuiltins.positive(a, "candidates"), k: k,
                                                    protected: try RerankBuiltins.protectedForCandidates(a, train), a)
            // A sweep of a differentially private model releases one model per value, each charged to the ledger
            // when it is fitted; the whole sweep is checked against the budget first, so it never stops half-way.
            let models = method == nil ? try points.map { try rebuilt(m, param: param!, value: $0, a) } : []
            _ = try PrivacyBuiltins.charge(models.flatMap { PrivacyReleases.of($0.model, on: train) }, named: m, train, a)
            let reporter = ProgressReporter(a.interpreter, kind: "tradeoff", label: "tradeoff", total: points.count)
            try reporter.run {
                reporter.update(0)
                for (n, point) in points.enumerated() {
                    let source: RecommendationSource
                    if let method {
                        guard let w = point.doubleValue else { throw a.error("tradeoff(): weights are numbers, got \(point.repr)") }
                        let lists = try RerankBuiltins.rerank(a, m, train, users: data.users, k: k, weight: w, candidates: candidates)
                        source = .lists(RecommendationLists(lists.map(\.items)))
                    } else {
                        let fitted = models[n]
                        try ModelBuiltins.fit(fitted, train, a)
                        try EvaluationBuiltins.checkLeakage([.model(fitted)], data, a)
                        source = .model(fitted.model)
                    }
                    rows.append(try measure(names, source: source, data: data, k: k, inputs: inputs, diversity: diversity, a))
                    reporter.update(n + 1, detail: "\(method != nil ? "weight" : param!): \(point.repr)")
                }
            }
            let front = Pareto.front(rows, higherIsBetter: directions)
            var columns: [(String, Column)] = []
            let pointCells = points.map { TableObject.cell($0) ?? .null }
            columns.append((method != nil ? "weight" : param!, try Column(values: pointCells)))
            for (j, n) in names.enumerated() {
                columns.append((n, Column(optionalDoubles: rows.map { $0[j].isNaN ? nil : $0[j] })))
            }
            columns.append(("pareto", Column(bools: front)))
            return TableBuiltins.wrap(try Table(columns))
        },
    ]
}

private extension Value {
    var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}
