import Foundation
import RecCore

/// What every model does once built: fit, predict, recommend, similar items, explain.
extension ModelBuiltins {
    // Users and items a model was not trained on follow one rule (RecCore/Models/KnownIDs.swift,
    // docs/models.md): an unknown item is an error, an unknown user is scored as a user without
    // history, with a warning that says so.

    /// The index of a raw user ID in the model's ID space (one past it for an ID the data never
    /// had), and whether the model was trained on that user.
    static func user(_ v: Value, _ m: ModelObject, _ data: Interactions, _ a: Arguments) throws -> (index: Int32, known: Bool) {
        let u = data.users.index(of: try idKey(v, a, "user")) ?? Int32(data.userCount)
        return (u, m.model.knows(user: u))
    }

    /// Says that `user` is scored as a user without history.
    static func warnUnknownUser(_ v: Value, _ a: Arguments) {
        a.interpreter.warn("\(a.spec.name)(): user \(v.repr) was not in the training data of this model; it is treated as a user without history", at: a.location)
    }

    /// The index of a raw item ID the model was trained on; an error for any other.
    static func itemIndex(_ v: Value, _ m: ModelObject, _ data: Interactions, _ a: Arguments) throws -> Int32 {
        let i = try itemInSpace(v, data, a)
        guard m.model.knows(item: i) else {
            throw a.error("\(a.spec.name)(): item \(v.repr) was not in the training data of this model")
        }
        return i
    }

    /// The index of a raw item ID in the data's ID space; an error for an ID the data never had.
    static func itemInSpace(_ v: Value, _ data: Interactions, _ a: Arguments) throws -> Int32 {
        guard let i = data.items.index(of: try idKey(v, a, "item")) else {
            throw a.error("\(a.spec.name)(): unknown item \(v.repr): the data this model was fitted on has no such item")
        }
        return i
    }

    /// A list of (item, score) as a table with ranks.
    static func listTable(_ list: [(item: Int32, score: Float)], _ data: Interactions, scoreName: String = "score") throws -> Table {
        try Table([("rank", Column(ints: (1...max(1, list.count)).prefix(list.count).map { Int64($0) })),
                   ("item", data.items.column(list.map(\.item))),
                   (scoreName, Column(doubles: list.map { Double($0.score) }))])
    }

    /// The users argument of batch functions: a list of IDs, a Dataset (its users), or nil (every
    /// user the model was trained on).
    static func users(_ v: Value?, _ m: ModelObject, _ data: Interactions, _ a: Arguments) throws -> (indices: [Int32], ids: [RawID]) {
        switch v {
        case nil, .nil?:
            let idx = (0..<Int32(data.userCount)).filter { m.model.knows(user: $0) }
            return (idx, idx.map { data.users.rawID(at: Int($0)) })
        case .native(let d as DatasetObject)?:
            var seen = Set<Int32>(), idx = [Int32](), ids = [RawID]()
            for u in d.data.user where seen.insert(u).inserted {
                let raw = d.data.users.rawID(at: Int(u))
                idx.append(data.users.index(of: raw) ?? Int32(data.userCount))
                ids.append(raw)
            }
            return (idx, ids)
        case .list(let l)?:
            var idx = [Int32](), ids = [RawID]()
            for x in l.items {
                let key = try idKey(x, a, "user")
                idx.append(data.users.index(of: key) ?? Int32(data.userCount))
                if case .int(let i) = x { ids.append(.int(Int64(i))) } else { ids.append(.string(key)) }
            }
            return (idx, ids)
        case let other?:
            throw a.typeError("users", expected: "a List of user IDs or a Dataset", got: other)
        }
    }

    static var operations: [BuiltinSpec] {
        [
            BuiltinSpec("fit", [.required("model", "Model"), .required("data", "Dataset")], returns: "Model", category: cat,
                        doc: """
                        Trains the model on the data (replacing what it learned before) and returns it.
                        On a terminal, iterative models show a progress line. Ctrl-C stops the fit after the current epoch: in the REPL
                        the model keeps what it learned so far (with a warning); in a script the interrupted error ends the script.
                        """) { a in
                let m = try model(a), data = try DataBuiltins.dataset(a, "data")
                guard data.count > 0 else { throw a.error("fit(): the data is empty") }
                try fit(m, data, a, onInterrupt: a.interpreter.fitInterruption)
                return .native(m)
            },
            BuiltinSpec("predict", [.required("model", "Model"), .required("user"), .required("item")], returns: "Float", category: cat,
                        doc: """
                        The model's score of an item for a user (a predicted rating for rating models); nil when it has none.
                        An item the model was not trained on is an error; a user it was not trained on is scored as a user without
                        history, with a warning.
                        """) { a in
                let (m, data) = try fitted(a)
                let uv = try a.any("user")
                let u = try user(uv, m, data, a), i = try itemIndex(try a.any("item"), m, data, a)
                let s = m.model.score(user: m.model.scoringIndex(user: u.index), items: [i])[0]
                try checkScoring(m)
                if !u.known { warnUnknownUser(uv, a) }
                return s.isFinite ? .double(Double(s)) : .nil
            },
            BuiltinSpec("recommend", [.required("model", "Model"), .required("user"), .optional("k", "Int", default: .int(10), range: 1...Int.max),
                                      .optional("exclude_seen", "Bool", default: .bool(true)), .optional("candidates", "List")],
                        returns: "Table", category: cat,
                        doc: """
                        The k best items for a user, best first: a table of rank, item and score.
                        Items the user interacted with in training are left out unless exclude_seen: false; candidates: restricts
                        the ranking to those items (candidates the model was not trained on are left out, with a warning). A user the
                        model was not trained on gets the list of a user without history, with a warning; items it was not trained on
                        are never recommended.
                        """) { a in
                let (m, data) = try fitted(a)
                let k = try positive(a, "k")
                let uv = try a.any("user")
                let u = try user(uv, m, data, a)
                var candidates: [Int32]? = nil
                if a.has("candidates") {
                    let all = try a.list("candidates").items.map { try itemInSpace($0, data, a) }
                    candidates = all.filter { m.model.knows(item: $0) }
                    if let left = all.first(where: { !m.model.knows(item: $0) }) {
                        let n = all.count - candidates!.count
                        a.interpreter.warn("recommend(): \(n) candidate item(s) were not in the training data of this model and were left out (\(idValue(data.items, Int(left), integers: data.items.keysAreIntegers).repr)\(n > 1 ? ", …" : ""))", at: a.location)
                    }
                }
                let list = m.model.recommend(user: u.index, k: k, excludeTraining: try a.bool("exclude_seen"), candidates: candidates)
                try checkScoring(m)
                if !u.known { warnUnknownUser(uv, a) }
                return TableBuiltins.wrap(try listTable(list, data))
            },
            BuiltinSpec("recommend_all", [.required("model", "Model"), .optional("users"), .optional("k", "Int", default: .int(10), range: 1...Int.max),
                                          .optional("exclude_seen", "Bool", default: .bool(true)), .optional("channel", "String")], returns: "Table", category: cat,
                        doc: """
                        Top-k lists for many users at once (in parallel): a table of user, rank, item and score, k rows per user.
                        users: a list of IDs or a Dataset (its users); every user the model was trained on when omitted. Users it was not
                        trained on get the list of a user without history, with a warning. The table is what evaluate, exposure and a
                        re-ranker take. channel: "app" gives a channel_model's lists on that channel (each user's main channel otherwise).
                        """) { a in
                let (m, data) = try fitted(a)
                let k = try positive(a, "k")
                let (idx, ids) = try users(a.value("users"), m, data, a)
                let scorer = try ChannelBuiltins.scorer(m, channel: try a.optionalString("channel"), a)
                let reporter = ProgressReporter(a.interpreter, kind: "recommend_all", label: "recommend_all", total: idx.count)
                let exclude = try a.bool("exclude_seen")
                let batch = try reporter.run {
                    try DataBuiltins.rethrow(a) {
                        try scorer.recommendAll(users: idx, k: k, excludeTraining: exclude, cancellation: a.cancellation) { done, _ in
                            reporter.update(done)
                        }
                    }
                }
                try checkScoring(m)
                let unknown = idx.filter { !m.model.knows(user: $0) }.count
                if unknown > 0 {
                    a.interpreter.warn("recommend_all(): \(unknown) of \(idx.count) users were not in the training data of this model; they get the list of a user without history", at: a.location)
                }
                // Indices first, IDs once per user and item: a 160 000-user table is four flat columns.
                var row: [Int] = [], rank: [Int64] = [], item: [Int32] = [], score: [Double] = []
                row.reserveCapacity(batch.items.count); rank.reserveCapacity(batch.items.count)
                item.reserveCapacity(batch.items.count); score.reserveCapacity(batch.items.count)
                for r in 0..<idx.count {
                    var j: Int64 = 0
                    for e in r * batch.k ..< (r + 1) * batch.k where batch.items[e] >= 0 {
                        j += 1
                        row.append(r); rank.append(j); item.append(batch.items[e]); score.append(Double(batch.scores[e]))
                    }
                }
                return TableBuiltins.wrap(try Table([("user", idColumn(ids, of: data.users).gathered(row)), ("rank", Column(ints: rank)),
                                                     ("item", data.items.column(item)), ("score", Column(doubles: score))]))
            },
            BuiltinSpec("similar_items", [.required("model", "Model"), .required("item"), .optional("k", "Int", default: .int(10), range: 1...Int.max)],
                        returns: "Table", category: cat,
                        doc: "The k items most similar to an item under the model (cosine of factors, neighbour similarity …): rank, item, similarity.") { a in
                let (m, data) = try fitted(a)
                let k = try positive(a, "k"), i = try itemIndex(try a.any("item"), m, data, a)
                let list = m.model.similarKnownItems(to: i, k: k)
                if list.isEmpty && m.model.itemCount - m.model.unknownItems.count > 1 {
                    throw a.error("similar_items(): the \(m.displayName) model has no notion of item similarity")
                }
                return TableBuiltins.wrap(try listTable(list, data, scoreName: "similarity"))
            },
            BuiltinSpec("explain", [.required("model", "Model"), .required("user"), .required("item")], returns: "Record", category: cat,
                        doc: """
                        Why the model scores an item as it does for a user: a record of user, item, score and parts, a table of the
                        contributions (biases, latent factors, neighbours …) largest first.
                        """) { a in
                let (m, data) = try fitted(a)
                let uv = try a.any("user"), iv = try a.any("item")
                let u = try user(uv, m, data, a), i = try itemIndex(iv, m, data, a)
                let e = m.model.explain(user: m.model.scoringIndex(user: u.index), item: i)
                try checkScoring(m)
                if !u.known { warnUnknownUser(uv, a) }
                let parts = try Table([
                    ("part", Column(strings: e.contributions.map { part($0.source, data) })),
                    ("value", Column(doubles: e.contributions.map { Double($0.value) })),
                ])
                return .record(RecordRef(names: ["user", "item", "score", "parts"],
                                         values: [uv, iv, e.score.isFinite ? .double(Double(e.score)) : .nil, TableBuiltins.wrap(parts)]))
            },
        ]
    }

    /// A contribution's label with raw IDs instead of indices.
    static func part(_ s: Explanation.Source, _ data: Interactions) -> String {
        switch s {
        case .neighbour(let i): return "neighbour item \(data.items.key(at: i))"
        case .neighbourUser(let u): return "neighbour user \(data.users.key(at: u))"
        default: return s.description
        }
    }
}
