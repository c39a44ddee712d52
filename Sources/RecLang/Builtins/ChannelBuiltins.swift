import RecCore

/// Channels of one shop against personalization: a channel model's lists per channel, how
/// consistent a user's lists are across channels, how stable between fits, and evaluation of
/// each channel's lists on that channel's events. Thin bindings onto `ChannelModel`,
/// `ChannelConsistency` and `Metrics.rankBiasedOverlap`.
enum ChannelBuiltins {
    static let cat = "Evaluation"

    /// What scores for `channel` (nil: the model as it is). Only a channel model has channels.
    static func scorer(_ m: ModelObject, channel: String?, _ a: Arguments) throws -> any Recommender {
        guard let channel else { return m.model }
        guard let cm = m.model as? ChannelModel else {
            throw a.error("\(a.spec.name)(): channel: needs a channel_model (the \(m.displayName) model shows the same list on every channel)")
        }
        return cm.view(channel: try DataBuiltins.rethrow(a) { try cm.channel(named: channel) })
    }

    /// A fitted channel model's per-channel evaluation on each channel's test events: one row
    /// per model and channel, then max-min and min/max rows per model. A model that is not a
    /// channel model is scored with its one list on every channel's events.
    static func evaluateByChannel(_ models: [ModelObject], test: Interactions, train: Interactions,
                                  metrics: [MetricSpec], threshold: Double?, _ a: Arguments) throws -> Table {
        guard let channels = test.channels else {
            throw a.error("\(a.spec.name)(): by: \"channel\" needs test data with a channel column")
        }
        var rows: [[TableValue]] = []
        for m in models {
            var values: [[Double]] = []
            for (c, label) in channels.labels.enumerated() {
                let events = test.selecting(rows: test.rowIndices { channels.codes[$0] == UInt16(c) })
                guard events.count > 0 else { continue }
                let data = try DataBuiltins.rethrow(a) { try EvaluationData(train: train, test: events, threshold: threshold) }
                let model: any Recommender
                if let cm = m.model as? ChannelModel {
                    guard let mc = cm.channelLabels.firstIndex(of: label) else { continue }
                    model = cm.view(channel: mc)
                } else {
                    model = m.model
                }
                let e = try DataBuiltins.rethrow(a) {
                    try Evaluation.evaluate(.model(model), name: m.displayName, data: data, metrics: metrics, cancellation: a.cancellation)
                }
                for note in e.notes { a.interpreter.warn("\(a.spec.name)(): \(label): \(note)", at: a.location) }
                rows.append([.string(m.displayName), .string(label), .int(Int64(data.users.count))] + e.values.map { $0.isNaN ? .null : .double($0) })
                values.append(e.values)
            }
            guard values.count > 1 else { continue }
            // The same disparity rows as evaluate(…, by:) gives for user groups.
            let (gap, ratio) = Evaluation.disparity(values, metrics: metrics.count)
            func cells(_ v: [Double]) -> [TableValue] { v.map { $0.isNaN ? .null : .double($0) } }
            rows.append([.string(m.displayName), .string("max-min"), .null] + cells(gap))
            rows.append([.string(m.displayName), .string("min/max"), .null] + cells(ratio))
        }
        return try Table(columnNames: ["model", "channel", "users"] + metrics.map(\.description), rows: rows)
    }

    static func register(into r: BuiltinRegistry) {
        r.register([
            BuiltinSpec("consistency", [.required("recommendations"), .optional("k", "Int", default: .int(10), range: 1...10_000),
                                        .optional("p", "Float", default: .double(0.9)), .optional("users")],
                        returns: "Table", category: cat,
                        doc: """
                        How alike each user's lists are across channels: for every pair of channels, the mean Jaccard@k and rank-biased
                        overlap (RBO, Webber et al. 2010, top-heavy with p: 0.9) of the two lists of each user who has both, then "all".
                        recommendations: a fitted channel_model (its lists for every user, or users:) or a table of user, channel, item
                        and rank or score. 1 means the same list everywhere, 0 nothing in common.
                        """) { a in
                let k = try ModelBuiltins.positive(a, "k")
                let p = try a.double("p")
                guard p > 0 && p < 1 else { throw a.error("consistency(): p must be between 0 and 1 (exclusive), got \(p)") }
                let c: ChannelConsistency
                switch try a.any("recommendations") {
                case .native(let t as TableObject):
                    c = try DataBuiltins.rethrow(a) { try ChannelConsistency.measure(table: t.table, k: k, p: p) }
                case .native(let m as ModelObject):
                    let (_, data) = try ModelBuiltins.fitted(a, "recommendations")
                    guard let cm = m.model as? ChannelModel else {
                        throw a.error("consistency(): the \(m.displayName) model shows the same list on every channel; give a channel_model or a table with a channel column")
                    }
                    let (idx, _) = try ModelBuiltins.users(a.value("users"), m, data, a)
                    c = try DataBuiltins.rethrow(a) { try ChannelConsistency.measure(cm, users: idx, k: k, p: p, cancellation: a.cancellation) }
                case let v:
                    throw a.typeError("recommendations", expected: "a channel_model or a Table of user, channel, item and rank", got: v)
                }
                return TableBuiltins.wrap(try DataBuiltins.rethrow(a) { try c.table() })
            },
            BuiltinSpec("stability", [.required("a", "Model"), .required("b", "Model"), .optional("k", "Int", default: .int(10), range: 1...10_000),
                                      .optional("p", "Float", default: .double(0.9)), .optional("users")],
                        returns: "Record", category: cat,
                        doc: """
                        How much each user's top-k list changes between two fitted models (another seed, or data a week later):
                        the mean Jaccard@k and rank-biased overlap (p: 0.9) over the users both know (or users:), as a record of
                        users, jaccard and rbo. 1: the same lists; 0: nothing in common.
                        """) { a in
                let (ma, da) = try ModelBuiltins.fitted(a, "a")
                let (mb, db) = try ModelBuiltins.fitted(a, "b")
                let k = try ModelBuiltins.positive(a, "k"), p = try a.double("p")
                guard p > 0 && p < 1 else { throw a.error("stability(): p must be between 0 and 1 (exclusive), got \(p)") }
                // Users by ID: the two fits may have different ID spaces (data a week later).
                let (ia, userIDs) = try ModelBuiltins.users(a.value("users"), ma, da, a)
                var pairs: [(Int32, Int32)] = []
                for (u, id) in zip(ia, userIDs) where ma.model.knows(user: u) {
                    if let v = db.users.index(of: id.description), mb.model.knows(user: v) { pairs.append((u, v)) }
                }
                guard !pairs.isEmpty else { throw a.error("stability(): the two models share no user") }
                let la = try DataBuiltins.rethrow(a) { try ma.model.recommendAll(users: pairs.map(\.0), k: k, cancellation: a.cancellation) }
                let lb = try DataBuiltins.rethrow(a) { try mb.model.recommendAll(users: pairs.map(\.1), k: k, cancellation: a.cancellation) }
                // Items compared by ID, since the item spaces may differ too: one code per ID.
                var codes: [String: Int32] = [:]
                func ids(_ batch: RecommendationBatch, _ d: Interactions, _ r: Int) -> ArraySlice<Int32> {
                    ArraySlice(batch.list(r).map { e in
                        let key = d.items.key(at: Int(e.item))
                        if let c = codes[key] { return c }
                        let c = Int32(codes.count); codes[key] = c
                        return c
                    })
                }
                var jac = 0.0, rbo = 0.0
                for r in pairs.indices {
                    let x = ids(la, da, r), y = ids(lb, db, r)
                    jac += Metrics.jaccard(x, y, k: k); rbo += Metrics.rankBiasedOverlap(x, y, p: p, k: k)
                }
                let n = Double(pairs.count)
                return .record(RecordRef(names: ["users", "jaccard", "rbo"], values: [.int(pairs.count), .double(jac / n), .double(rbo / n)]))
            },
        ])
    }
}
