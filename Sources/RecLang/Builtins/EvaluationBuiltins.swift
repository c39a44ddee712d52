import Foundation
import RecCore

/// evaluate, per_user, exposure, cross_validate, grid_search and compare: thin bindings onto
/// RecCore/Evaluation. Formulas: docs/metrics.md.
enum EvaluationBuiltins {
    static let cat = "Evaluation"

    /// What is being evaluated: a model, or lists produced elsewhere.
    enum Candidate {
        case model(ModelObject)
        case lists(name: String, table: Table)
    }

    static func candidates(_ v: Value, _ a: Arguments) throws -> [Candidate] {
        func one(_ v: Value) throws -> Candidate {
            if let m = try ModelBuiltins.model(from: v, a) { return .model(m) }
            switch v {
            case .native(let t as TableObject): return .lists(name: "recommendations", table: t.table)
            case .native(let d as DatasetObject):
                // Recommendations loaded from a file: load("recs.csv", rating: "score") makes the score the value.
                let d = d.data
                let score = d.values.map { v in (0..<d.count).map { v[$0] } } ?? (0..<d.count).map { -Double($0) }
                let t = try Table([("user", d.users.column(d.user)), ("item", d.items.column(d.item)),
                                   ("score", Column(doubles: score))])
                return .lists(name: "recommendations", table: t)
            default:
                throw a.error("\(a.spec.name)(): expected a Model, a list of Models, or recommendations (a Table of user, item and rank or score, or a Dataset loaded with the score as its value), got \(v.aTypeName)", kind: .type)
            }
        }
        if case .list(let l) = v {
            guard !l.items.isEmpty else { throw a.error("\(a.spec.name)(): the list of models is empty") }
            return try l.items.map(one)
        }
        return [try one(v)]
    }

    /// The test data and the training data (explicit, from a Split, or what the first model was fitted on).
    static func dataPair(_ a: Arguments, _ cands: [Candidate]) throws -> (train: Interactions, test: Interactions) {
        let test: Interactions
        var train: Interactions? = nil
        switch try a.any("test") {
        case .native(let d as DatasetObject): test = d.data
        case .native(let s as SplitObject): test = s.split.test; train = s.split.train
        case let v: throw a.typeError("test", expected: "a Dataset (or a Split)", got: v)
        }
        if a.has("train") { train = try DataBuiltins.dataset(a, "train") }
        if train == nil {
            for c in cands { if case .model(let m) = c, let t = m.trainedOn { train = t; break } }
        }
        guard let train else {
            throw a.error("\(a.spec.name)(): pass train: (the data the recommendations were made from), or fit the model first")
        }
        for c in cands {
            guard case .model(let m) = c else { continue }
            guard let t = m.trainedOn else { throw a.error("\(a.spec.name)(): the \(m.displayName) model is not fitted yet; call fit(model, data) first") }
            guard t.users.isPrefix(of: train.users) || train.users.isPrefix(of: t.users),
                  t.items.isPrefix(of: train.items) || train.items.isPrefix(of: t.items) else {
                throw a.error("\(a.spec.name)(): the \(m.displayName) model was fitted on other data than train:; evaluate with the data it was fitted on")
            }
        }
        guard test.count > 0 else { throw a.error("\(a.spec.name)(): the test data is empty") }
        return (train, test)
    }

    static func metricSpecs(_ a: Arguments, k: Int, ratings: Bool) throws -> [MetricSpec] {
        guard a.has("metrics") else { return MetricSpec.defaults(k: k, ratings: ratings) }
        let names: [String]
        switch try a.any("metrics") {
        case .string(let s): names = [s]
        case .list: names = try a.strings("metrics")
        case let v: throw a.typeError("metrics", expected: "a List of metric names", got: v)
        }
        guard !names.isEmpty else { throw a.error("\(a.spec.name)(): metrics is empty") }
        var out: [MetricSpec] = []
        for n in names {
            let m = try DataBuiltins.rethrow(a) { try MetricSpec.parse(n, defaultK: k) }
            if !out.contains(m) { out.append(m) }
        }
        return out
    }

    /// Recommendation lists from a table (rules: `EvaluationData.recommendationLists(from:)`).
    static func lists(from t: Table, data: EvaluationData, _ a: Arguments) throws -> (RecommendationLists, [String]) {
        do { return try data.recommendationLists(from: t) } catch let e as DataError { throw a.error("\(a.spec.name)(): \(e.message)") }
    }

    /// Item labels for intra-list diversity from an item attribute (`EvaluationData.itemLabels`).
    static func diversityLabels(_ attribute: String?, _ data: EvaluationData, _ a: Arguments) throws -> ItemSets? {
        guard let attribute else { return nil }
        do { return try data.itemLabels(attribute: attribute) } catch let e as DataError { throw a.error("\(a.spec.name)(): \(e.message)") }
    }

    /// Logs one evaluation per model to the open workspace's experiments table.
    static func record(_ evals: [ModelEvaluation], _ cands: [Candidate], train: Interactions, _ a: Arguments) throws {
        guard let w = a.interpreter.workspace else { return }
        let fp = train.fingerprint
        let script = a.location.file?.name
        // The seed that made the split: from a Split passed as `test`, or the builtin's own seed (cross_validate's folds).
        var seed: Int? = nil
        if case .native(let s as SplitObject)? = a.value("test") { seed = s.seed }
        else if a.declares("seed") && a.spec.name != "evaluate" { seed = try? a.int("seed") }
        for (e, c) in zip(evals, cands) {
            var params: [(String, TableValue)] = []
            if case .model(let m) = c {
                params = m.params.compactMap { p in TableObject.cell(p.value).map { (p.name, $0) } }
                params.insert(("kind", .string(m.kind)), at: 0)
            }
            let metrics = zip(e.metrics, e.values).map { ($0.0.description, $0.1.isNaN ? TableValue.null : .double($0.1)) }
            _ = try DataBuiltins.rethrow(a) {
                try w.appendExperiment(script: script, datasetFingerprint: fp, splitSeed: seed.map(Int64.init), model: e.name,
                                       parameters: JSONText.object(params), metrics: JSONText.object(metrics))
            }
        }
    }

    /// Runs the evaluation of every candidate.
    static func run(_ cands: [Candidate], names: [String]?, data: EvaluationData, metrics: [MetricSpec],
                    diversity: ItemSets?, _ a: Arguments) throws -> [ModelEvaluation] {
        var out: [ModelEvaluation] = []
        var used = Set<String>()
        let users = data.users.count
        let reporter = ProgressReporter(a.interpreter, kind: "evaluate", label: "evaluate", total: max(1, cands.count * users))
        return try reporter.run {
        for (j, c) in cands.enumerated() {
            var name: String
            let source: RecommendationSource
            var notes: [String] = []
            switch c {
            case .model(let m):
                name = m.displayName
                source = .model(m.model)
            case .lists(let n, let t):
                name = n
                let (l, ns) = try lists(from: t, data: data, a)
                source = .lists(l)
                notes = ns
            }
            if let names, j < names.count { name = names[j] }
            // Two models of one kind get distinct row names.
            var unique = name, n = 2
            while used.contains(unique) { unique = "\(name) (\(n))"; n += 1 }
            used.insert(unique)
            let e = try DataBuiltins.rethrow(a) {
                try Evaluation.evaluate(source, name: unique, data: data, metrics: metrics, diversityLabels: diversity,
                                        cancellation: a.cancellation) { done, _ in
                    reporter.update(j * users + done, detail: unique)
                }
            }
            if case .model(let m) = c { try ModelBuiltins.checkScoring(m) }
            for note in notes + e.notes { a.interpreter.warn("\(a.spec.name)(): \(note)", at: a.location) }
            out.append(e)
        }
        return out
        }
    }

    /// by: a user attribute, "activity", or a List of them (their intersection, "gender/age_band").
    static func grouping(_ a: Arguments, _ data: EvaluationData) throws -> UserGrouping? {
        let bins = try BinningBuiltins.bins(a)
        guard a.has("by") else {
            if bins != nil { throw a.error("\(a.spec.name)(): bins: cuts the attribute named by by:; give by: too") }
            return nil
        }
        let names = try FairnessBuiltins.byNames(a)
        guard !names.isEmpty else { throw a.error("\(a.spec.name)(): by: is an empty List") }
        if names.count > 1 {
            if bins != nil { throw a.error("\(a.spec.name)(): bins: cuts one attribute; with several in by:, cut them first (cut)") }
            return UserGrouping.intersection(try names.map { try oneGrouping($0, a, data, bins: nil) })
        }
        return try oneGrouping(names[0], a, data, bins: bins)
    }

    static func oneGrouping(_ by: String, _ a: Arguments, _ data: EvaluationData, bins: [Double]?) throws -> UserGrouping {
        if by == "activity" {
            if let bins { return try DataBuiltins.rethrow(a) { try UserGrouping.activity(of: data.train, bins: bins) } }
            return UserGrouping.activity(of: data.train, buckets: try ModelBuiltins.positive(a, "buckets"))
        }
        let g = try DataBuiltins.rethrow(a) { try UserGrouping.attribute(by, of: data.train, bins: bins) }
        BinningBuiltins.warnNote(g.note, a)
        return g
    }

    /// Shared by evaluate and per_user: candidates, data, metrics.
    static func prepare(_ a: Arguments, modelsParam: String) throws -> ([Candidate], EvaluationData, [MetricSpec], ItemSets?) {
        let cands = try candidates(try a.any(modelsParam), a)
        let (train, test) = try dataPair(a, cands)
        let k = try ModelBuiltins.positive(a, "k")
        let threshold = try a.optionalDouble("threshold")
        let data = try DataBuiltins.rethrow(a) { try EvaluationData(train: train, test: test, threshold: threshold) }
        let ratings = test.values != nil && cands.allSatisfy { if case .model(let m) = $0 { return m.predictsRatings }; return false }
        let metrics = try metricSpecs(a, k: k, ratings: ratings)
        for c in cands {
            if case .model(let m) = c, !m.predictsRatings, let r = metrics.first(where: { $0.kind.needsPredictions }) {
                throw a.error("\(a.spec.name)(): \(r) compares predicted ratings, but \(m.displayName) ranks items without predicting ratings")
            }
        }
        let diversity = try diversityLabels(try a.optionalString("diversity"), data, a)
        if metrics.contains(where: { $0.kind == .diversity }) && diversity == nil {
            throw a.error("\(a.spec.name)(): the ild metric needs diversity: an item attribute (e.g. \"category\")")
        }
        try checkLeakage(cands, data, a)
        if data.unseen.testRowsWithUnseenUser > 0 || data.unseen.testRowsWithUnseenItem > 0 {
            a.interpreter.warn("\(a.spec.name)(): \(data.unseen.unseenUsers) test user(s) and \(data.unseen.unseenItems) test item(s) are not in the training data; such users are treated as users without history, and such items stay in the truth though only content_based can recommend them", at: a.location)
        }
        return (cands, data, metrics, diversity)
    }

    /// A model that saw test rows in training is an error: its scores would flatter it. (The ID
    /// spaces agree after any split, so `dataPair` cannot tell; the rows are compared.)
    static func checkLeakage(_ cands: [Candidate], _ data: EvaluationData, _ a: Arguments) throws {
        for c in cands {
            guard case .model(let m) = c, let fitted = m.trainedOn else { continue }
            let seen = data.testRowsSeen(byModelFittedOn: fitted)
            if seen > 0 {
                throw a.error("\(a.spec.name)(): the \(m.displayName) model saw \(seen) test interaction(s) in training: fit it on the training set only (e.g. split.train), not on data that includes the test set")
            }
        }
    }

    static let evalParams: [BuiltinParam] = [
        .optional("train", "Dataset"), .optional("metrics", "List"), .optional("k", "Int", default: .int(10), range: 1...Int.max),
        .optional("threshold", "Float"), .optional("diversity", "String"),
    ]

    static func register(into r: BuiltinRegistry) {
        r.register([
            BuiltinSpec("evaluate", [.required("models"), .required("test")] + evalParams
                        + [.optional("by"), .optional("buckets", "Int", default: .int(3), range: 1...1_000), .optional("names", "List"),
                           .optional("bins", "List"), .optional("ci", "Float"), .optional("resamples", "Int", default: .int(1000), range: 10...1_000_000),
                           .optional("seed", "Int", default: .int(42), range: Int.min...Int.max)],
                        returns: "Table", category: cat,
                        doc: """
                        Scores one model or a list of models (or recommendation lists made elsewhere: a Table or CSV of user, item and rank
                        or score) on test data: one row per model, one column per metric ("ndcg@10", "rmse" …).
                        test: a Dataset or a Split (then train: defaults to its training part); train: defaults to the data the first model
                        was fitted on. metrics: rmse, mae, precision, recall, f1, hit_rate, mrr, map, ndcg, auc, coverage, gini, entropy,
                        ild, novelty, arp, aplt, each optionally "@k". Ranking metrics use binary relevance (ratings ≥ threshold when
                        given), exclude training items and average over test users with a relevant item (docs/metrics.md).
                        by: a user attribute or "activity" adds a row per group and the disparity rows max-min and min/max; groups come in
                        natural order (numbers by value, ranges in order). bins: [18, 25, 35, 50] cuts a numeric attribute (age, or the
                        activity count) into ranges "<18", "18-24" … "50+" (see cut); without it each value is a group. A List of
                        attributes (by: ["gender", "age_band"]) groups by their intersection ("F/25-34").
                        ci: 0.95 adds each metric's confidence interval (columns _lo and _hi: percentile bootstrap over users,
                        resamples: of them, resampled within each group, seed:), the interval of the max-min gap, and a p-value row: a
                        permutation test of the gap over the group labels (docs/fairness.md).
                        by: "channel" scores each channel's test events against that channel's lists (a channel_model's per channel; any
                        other model's one list), a row per model and channel. personalization and consistency measure the lists themselves.
                        With a workspace open, every row is appended to its experiments table.
                        """) { a in
                let (cands, data, metrics, diversity) = try prepare(a, modelsParam: "models")
                if case .string("channel")? = a.value("by"), data.test.channels != nil {
                    let models = try cands.map { c -> ModelObject in
                        guard case .model(let m) = c else { throw a.error("evaluate(): by: \"channel\" evaluates models, not recommendation tables") }
                        return m
                    }
                    let table = try ChannelBuiltins.evaluateByChannel(models, test: data.test, train: data.train, metrics: metrics,
                                                                        threshold: try a.optionalDouble("threshold"), a)
                    return .native(TableObject(table, role: .evaluation(groupColumn: "channel")))
                }
                let names = a.has("names") ? try a.strings("names") : nil
                let evals = try run(cands, names: names, data: data, metrics: metrics, diversity: diversity, a)
                try record(evals, cands, train: data.train, a)
                var intervals: IntervalSettings? = nil
                if let level = try a.optionalDouble("ci") {
                    guard level > 0 && level < 1 else { throw a.error("evaluate(): ci must be between 0 and 1 (0.95 for 95% intervals), got \(level)") }
                    let resamples = try a.int("resamples")
                    intervals = IntervalSettings(level: level, resamples: resamples, permutations: resamples,
                                                 seed: UInt64(bitPattern: Int64(try a.int("seed"))))
                }
                let groups = try grouping(a, data)
                let table = try DataBuiltins.rethrow(a) { try Evaluation.table(evals, data: data, grouping: groups, intervals: intervals) }
                return .native(TableObject(table, role: .evaluation(groupColumn: groups?.name)))
            },
            BuiltinSpec("per_user", [.required("model"), .required("test")] + evalParams + [.optional("metric", "String", default: .string("ndcg"))],
                        returns: "Table", category: cat,
                        doc: "The per-user values behind a metric's mean: a table of user and the metric (users the metric excludes are absent).") { a in
                let (cands, data, _, diversity) = try prepare(a, modelsParam: "model")
                let k = try ModelBuiltins.positive(a, "k")
                let spec = try DataBuiltins.rethrow(a) { try MetricSpec.parse(try a.string("metric"), defaultK: k) }
                guard !spec.kind.isCatalogueLevel else { throw a.error("per_user(): \(spec) describes the whole catalogue, not each user") }
                let e = try run([cands[0]], names: nil, data: data, metrics: [spec], diversity: diversity, a)[0]
                let per = e.perUser[spec.description] ?? PerUserMetric(users: [], values: [])
                return TableBuiltins.wrap(try Table([("user", data.test.users.column(per.users)), (spec.description, Column(doubles: per.values))]))
            },
            BuiltinSpec("exposure", [.required("recommendations"), .required("by", "String"), .optional("data", "Dataset"),
                                     .optional("k", "Int", range: 1...Int.max), .optional("bins", "List")], returns: "Table", category: cat,
                        doc: """
                        How recommendation slots are shared between item groups (an item attribute such as "provider" or "category"):
                        per group its items, share of the catalogue and of the interactions, slots, share of slots, position-weighted
                        share (1/log2(rank+1)) and exposure_ratio = slot share / catalogue share.
                        recommendations: a Table from recommend_all (then data: gives the items and their attributes) or a fitted Model
                        (its lists for every training user). bins: [10, 50, 100] cuts a numeric attribute (price) into ranges (see cut).
                        Groups come in natural order.
                        """) { a in
                let by = try a.string("by")
                let bins = try BinningBuiltins.bins(a)
                let rv = try a.any("recommendations")
                let data: Interactions
                let lists: RecommendationLists
                let k = try a.optionalInt("k")
                switch rv {
                case .native(let m as ModelObject):
                    guard let t = m.trainedOn else { throw a.error("exposure(): the model is not fitted yet") }
                    data = a.has("data") ? try DataBuiltins.dataset(a, "data") : t
                    let users = (0..<Int32(t.userCount)).filter { m.model.knows(user: $0) }
                    lists = m.model.recommendAll(users: users, k: k ?? 10).lists
                    try ModelBuiltins.checkScoring(m)
                case .native(let t as TableObject):
                    guard a.has("data") else { throw a.error("exposure(): pass data: (the dataset with the item attributes) with a table of recommendations") }
                    data = try DataBuiltins.dataset(a, "data")
                    let ed = try DataBuiltins.rethrow(a) { try EvaluationData(train: data, test: data) }
                    lists = try EvaluationBuiltins.lists(from: t.table, data: ed, a).0
                default:
                    throw a.typeError("recommendations", expected: "a Table of recommendations or a fitted Model", got: rv)
                }
                guard let attrs = data.itemAttributes,
                      let labels = try DataBuiltins.rethrow(a, { try attrs.groupLabels(by, alignedTo: data.items, bins: bins) }) else {
                    let known = data.itemAttributes?.columnNames.joined(separator: ", ") ?? "none"
                    throw a.error("exposure(): no item attribute '\(by)' (item attributes: \(known))")
                }
                if bins == nil { BinningBuiltins.warnNote(attrs.manyGroupsNote(by), a) }
                let table = try DataBuiltins.rethrow(a) {
                    try Evaluation.exposureTable(lists, k: k, itemGroups: labels, popularity: data.itemCounts(), groupName: by)
                }
                return TableBuiltins.wrap(table)
            },
        ])
        r.register(experimentSpecs)
    }
}

extension TableValue {
    /// The value as a number, if it is one.
    var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}
