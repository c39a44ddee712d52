import Foundation
import RecCore

/// Experiments built on evaluate: cross-validation, grid search and paired significance tests.
extension EvaluationBuiltins {
    static func mean(_ xs: [Double]) -> Double {
        let v = xs.filter { !$0.isNaN }
        return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
    }

    /// Sample standard deviation (n − 1), NaN for fewer than two values.
    static func std(_ xs: [Double]) -> Double {
        let v = xs.filter { !$0.isNaN }
        guard v.count > 1 else { return .nan }
        let m = v.reduce(0, +) / Double(v.count)
        return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
    }

    static var experimentSpecs: [BuiltinSpec] {
        [
            BuiltinSpec("cross_validate", [.required("model"), .required("data", "Dataset"), .optional("folds", "Int", default: .int(5), range: 2...1_000),
                                           .optional("by", "String", default: .string("interaction")), .optional("metrics", "List"),
                                           .optional("k", "Int", default: .int(10), range: 1...Int.max), .optional("threshold", "Float"),
                                           .optional("test_fraction", "Float", default: .double(0.2)), .optional("seed", "Int", default: .int(42), range: BuiltinParam.anyInt)],
                        returns: "Table", category: cat,
                        doc: """
                        k-fold cross-validation: a fresh copy of the model is fitted on each fold's training part and evaluated on its
                        test part. A table with one row per fold, then "mean" and "std" (sample standard deviation) rows.
                        by: "interaction" (rows dealt into folds) or "user" (users dealt into folds, each holding out test_fraction of
                        their rows). Seeded: the same seed gives the same folds.
                        """) { a in
                let proto = try ModelBuiltins.model(a)
                let data = try DataBuiltins.dataset(a, "data")
                let folds = try ModelBuiltins.positive(a, "folds"), k = try ModelBuiltins.positive(a, "k")
                guard let unit = FoldUnit(rawValue: try a.string("by")) else {
                    throw a.error("cross_validate(): by must be \"interaction\" or \"user\"")
                }
                let frac = try a.double("test_fraction")
                guard frac > 0 && frac < 1 else { throw a.error("cross_validate(): test_fraction must be between 0 and 1") }
                let splits = try DataBuiltins.rethrow(a) {
                    try data.kFold(folds, by: unit, seed: UInt64(bitPattern: Int64(try a.int("seed"))), testFraction: frac)
                }
                let metrics = try metricSpecs(a, k: k, ratings: data.values != nil && proto.predictsRatings)
                let threshold = try a.optionalDouble("threshold")
                var rows: [[Double]] = []
                let reporter = ProgressReporter(a.interpreter, kind: "cross_validate", label: "cross_validate", total: splits.count)
                try reporter.run {
                    reporter.update(0, detail: "fold 1 of \(splits.count)")
                    for (f, s) in splits.enumerated() {
                        let m = try proto.unfittedCopy()
                        try ModelBuiltins.fit(m, s.train, a)
                        let ed = try DataBuiltins.rethrow(a) { try EvaluationData(train: s.train, test: s.test, threshold: threshold) }
                        let e = try run([.model(m)], names: nil, data: ed, metrics: metrics, diversity: nil, a)[0]
                        rows.append(e.values)
                        reporter.update(f + 1, detail: f + 1 < splits.count ? "fold \(f + 2) of \(splits.count)" : "done")
                    }
                }
                var fold: [String] = (1...folds).map { "\($0)" }
                fold += ["mean", "std"]
                var columns: [(String, Column)] = [("fold", Column(strings: fold))]
                for (j, m) in metrics.enumerated() {
                    let v = rows.map { $0[j] }
                    columns.append((m.description, Column(optionalDoubles: (v + [mean(v), std(v)]).map { $0.isNaN ? nil : $0 })))
                }
                return TableBuiltins.wrap(try Table(columns))
            },
            BuiltinSpec("grid_search", [.required("constructor", "Function"), .optional("params", "Map"), .required("train", "Dataset"),
                                        .required("test", "Dataset"), .optional("metric", "String", default: .string("ndcg")),
                                        .optional("metrics", "List"), .optional("k", "Int", default: .int(10), range: 1...Int.max), .optional("threshold", "Float")],
                        returns: "Table", category: cat,
                        doc: """
                        Tries every combination of hyper-parameters: grid_search(biased_mf, ["factors": [20, 50], "reg": [0.02, 0.1]],
                        train: s.train, test: s.test, metric: "rmse"). Each combination is built with the constructor, fitted on train and
                        evaluated on test; the table has a column per parameter and per metric, best `metric` first.
                        Without params, a model constructor searches the values its catalogue entry suggests (help(name) lists them).
                        """) { a in
                let ctor = try a.function("constructor")
                let train = try DataBuiltins.dataset(a, "train"), test = try DataBuiltins.dataset(a, "test")
                let k = try ModelBuiltins.positive(a, "k")
                let target = try DataBuiltins.rethrow(a) { try MetricSpec.parse(try a.string("metric"), defaultK: k) }
                var names: [String] = [], choices: [[Value]] = []
                if a.has("params") {
                    let grid = try a.map("params")
                    for (key, v) in zip(grid.keys, grid.values) {
                        guard case .string(let n) = key else { throw a.error("grid_search(): parameter names must be Strings") }
                        guard case .list(let l) = v, !l.items.isEmpty else { throw a.error("grid_search(): '\(n)' needs a non-empty List of values") }
                        names.append(n); choices.append(l.items)
                    }
                } else {
                    guard case .builtin(let b) = ctor, let kind = ModelCatalogue.kind(named: b.spec.name) else {
                        throw a.error("grid_search(): give params: [\"name\": [values], …]; only model constructors have default search values")
                    }
                    for p in kind.parameters where !p.searchValues.isEmpty {
                        names.append(p.name); choices.append(p.searchValues.map(ModelParameters.value(of:)))
                    }
                }
                var combos: [[Value]] = [[]]
                for c in choices { combos = combos.flatMap { prefix in c.map { prefix + [$0] } } }
                guard combos.count <= 10_000 else { throw a.error("grid_search(): \(combos.count) combinations is too many") }
                var metrics = try metricSpecs(a, k: k, ratings: false)
                if !a.has("metrics") { metrics = [target] } else if !metrics.contains(target) { metrics.insert(target, at: 0) }
                let ed = try DataBuiltins.rethrow(a) { try EvaluationData(train: train, test: test, threshold: try a.optionalDouble("threshold")) }
                var results: [(combo: [Value], values: [Double])] = []
                let reporter = ProgressReporter(a.interpreter, kind: "grid_search", label: "grid_search", total: combos.count)
                try reporter.run {
                reporter.update(0)
                for (n, combo) in combos.enumerated() {
                    let built = try a.interpreter.call(ctor, [], named: Array(zip(names, combo)), at: a.location)
                    guard case .native(let m as ModelObject) = built else {
                        throw a.error("grid_search(): the constructor must return a Model, got \(built.aTypeName)", kind: .type)
                    }
                    try ModelBuiltins.fit(m, train, a)
                    let e = try run([.model(m)], names: nil, data: ed, metrics: metrics, diversity: nil, a)[0]
                    try record([e], [.model(m)], train: train, a)
                    results.append((combo, e.values))
                    reporter.update(n + 1, detail: zip(names, combo).map { "\($0): \($1.repr)" }.joined(separator: ", "))
                }
                }
                let t = metrics.firstIndex(of: target)!
                let lower = target.kind.lowerIsBetter
                results.sort { x, y in
                    let p = x.values[t], q = y.values[t]
                    if p.isNaN != q.isNaN { return !p.isNaN }
                    return lower ? p < q : p > q
                }
                var rows: [[TableValue]] = []
                for r in results {
                    rows.append(try r.combo.map { v in
                        guard let c = TableObject.cell(v) else { throw a.error("grid_search(): parameter values must be numbers, strings or booleans") }
                        return c
                    } + r.values.map { $0.isNaN ? .null : .double($0) })
                }
                return TableBuiltins.wrap(try Table(columnNames: names + metrics.map(\.description), rows: rows))
            },
            BuiltinSpec("compare", [.required("a", "Model"), .required("b", "Model"), .required("test")] + evalParams
                        + [.optional("metric", "String", default: .string("ndcg"))], returns: "Record", category: cat,
                        doc: """
                        Is model a really better than model b? Pairs their per-user values of one metric over the users both are scored
                        on and runs a paired t-test and a Wilcoxon signed-rank test. A record: metric, users, mean_a, mean_b, difference,
                        t, t_p, wilcoxon_p (two-sided p-values).
                        """) { a in
                let ca = try candidates(try a.any("a"), a), cb = try candidates(try a.any("b"), a)
                let (train, test) = try dataPair(a, ca + cb)
                let k = try ModelBuiltins.positive(a, "k")
                let spec = try DataBuiltins.rethrow(a) { try MetricSpec.parse(try a.string("metric"), defaultK: k) }
                guard !spec.kind.isCatalogueLevel else { throw a.error("compare(): \(spec) has no per-user values to pair") }
                let ed = try DataBuiltins.rethrow(a) { try EvaluationData(train: train, test: test, threshold: try a.optionalDouble("threshold")) }
                try checkLeakage(ca + cb, ed, a)
                let evals = try run(ca + cb, names: nil, data: ed, metrics: [spec], diversity: try diversityLabels(try a.optionalString("diversity"), ed, a), a)
                guard let pa = evals[0].perUser[spec.description], let pb = evals[1].perUser[spec.description] else {
                    throw a.error("compare(): \(spec) has no per-user values")
                }
                let t = Significance.pairedTTest(pa, pb), w = Significance.wilcoxon(pa, pb)
                let paired = pa.paired(with: pb)
                func num(_ x: Double) -> Value { x.isNaN ? .nil : .double(x) }
                return .record(RecordRef(names: ["metric", "users", "mean_a", "mean_b", "difference", "t", "t_p", "wilcoxon_p"],
                                         values: [.string(spec.description), .int(paired.users.count), num(mean(paired.a)), num(mean(paired.b)),
                                                  num(t.meanDifference), num(t.t), num(t.pValue), num(w.pValue)]))
            },
        ]
    }
}
