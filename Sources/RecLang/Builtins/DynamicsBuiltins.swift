import Foundation
import RecCore

/// Models that keep up with behaviour: `update` folds new events into a fitted model, `replay`
/// evaluates a model over time (docs/dynamics.md).
enum DynamicsBuiltins {
    static func register(into r: BuiltinRegistry) {
        let cat = "Dynamics"
        r.register([
            BuiltinSpec("update", [.required("model", "Model"), .required("new_events", "Dataset")], returns: "Model", category: cat,
                        doc: """
                        Folds new interactions into a fitted model without a full refit and returns it; the model then stands for its
                        training data followed by the new events, and knows their new users and items.
                        popularity adds to its counts (decayed ones age first); item_knn recomputes the neighbour lists the new events can
                        change; als re-solves the touched users against the fixed item factors and solves the new items, and the items
                        whose history grew by 10 % since they were last solved, against the user factors (a fold-in); biased_mf runs
                        its SGD passes over the new events. Other models say they cannot update.
                        """) { a in
                let m = try ModelBuiltins.model(a)
                let data = try DataBuiltins.dataset(a, "new_events")
                try DataBuiltins.rethrow(a) {
                    do { try m.update(data, context: FitContext(cancellation: a.cancellation)) }
                    catch let e as DivergenceError { throw a.error("update(): \(ModelBuiltins.divergence(e, of: m))") }
                    catch is Cancelled { throw a.interrupted("update() stopped; the model was left as it was") }
                    catch let e as DataError { throw a.error("update(): \(e.message)") }
                }
                return .native(m)
            },
            BuiltinSpec("replay", [.required("data", "Dataset"), .required("model", "Model"),
                                   .optional("every", "Float", default: .double(1)), .optional("mode", "String", default: .string("incremental")),
                                   .optional("metrics", "List"), .optional("k", "Int", default: .int(10), range: 1...Int.max),
                                   .optional("by", "String"), .optional("start", "Float")],
                        returns: "Table", category: cat,
                        doc: """
                        Prequential evaluation over time: the data (with timestamps) is cut into windows of every days; the model is trained
                        on everything before the first window (start: days after the first event; by default half-way through the log),
                        then for each window it recommends, is scored on the window's events, and learns them — mode: "incremental"
                        (update), "full" (a new fit on everything so far) or "frozen" (nothing).
                        One row per window: window, start, events, users scored, the metrics (as evaluate's, default ndcg, recall … @k),
                        update_seconds and mode; by: a user attribute or "activity" adds a row per group. plot(t, x: "window",
                        y: "ndcg@10", by: "mode") draws the modes of tables joined with concat.
                        Each fit of a differentially private model (one, or one per window with mode: "full") is charged to the
                        privacy ledger before it runs.
                        """) { a in
                let data = try DataBuiltins.dataset(a, "data")
                let m = try ModelBuiltins.model(a)
                let modeName = try a.string("mode")
                guard let mode = ReplayMode(rawValue: modeName) else {
                    throw a.error("replay(): mode must be \"incremental\", \"full\" or \"frozen\", got \"\(modeName)\"")
                }
                if mode == .incremental && !m.blueprint.capabilities.contains(.incremental) {
                    throw a.error("replay(): \(m.displayName) cannot be updated; use mode: \"full\" or \"frozen\" (models that update: \(ModelCatalogue.incrementalKinds.joined(separator: ", ")))")
                }
                let k = try ModelBuiltins.positive(a, "k")
                let metrics = try EvaluationBuiltins.metricSpecs(a, k: k, ratings: false)
                let by = try a.optionalString("by")
                // Every fit of a differentially private model is a release: charged, against the budget, before it runs.
                let releases = PrivacyReleases.of(m.model, on: data)
                func fresh() throws -> any Recommender {
                    try PrivacyBuiltins.record(try PrivacyBuiltins.charge(releases, named: m, data, a), a)
                    return try m.blueprint.make()
                }
                let windows = try DataBuiltins.rethrow(a) {
                    try Replay.run(data, every: try a.double("every"), start: try a.optionalDouble("start"), mode: mode, metrics: metrics,
                                   fresh: fresh, input: { m.modelInput($0) }, cancellation: a.cancellation)
                }
                let grouping: ((EvaluationData) throws -> UserGrouping?)? = by.map { name in
                    { d in name == "activity" ? UserGrouping.activity(of: d.train) : try UserGrouping.attribute(name, of: d.train) }
                }
                return TableBuiltins.wrap(try DataBuiltins.rethrow(a) { try Replay.table(windows, mode: mode, grouping: grouping) })
            },
        ])
    }
}
