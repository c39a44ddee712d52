import Foundation
import RecCore

/// What every model does once built: fit, predict, recommend, similar items, explain.
extension ModelBuiltins {
    /// The dense index of a raw user ID, or nil for a user training never saw (scored as a new user).
    static func userIndex(_ v: Value, _ data: Interactions, _ a: Arguments) throws -> Int32? {
        data.users.index(of: try idKey(v, a, "user"))
    }

    static func itemIndex(_ v: Value, _ data: Interactions, _ a: Arguments) throws -> Int32 {
        let key = try idKey(v, a, "item")
        guard let i = data.items.index(of: key) else {
            throw a.error("\(a.spec.name)(): item \(v.repr) is not in the training data")
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
    /// training user).
    static func users(_ v: Value?, _ data: Interactions, _ a: Arguments) throws -> (indices: [Int32], ids: [RawID]) {
        switch v {
        case nil, .nil?:
            let idx = Array(0..<Int32(data.userCount))
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
                        doc: "The model's score of an item for a user (a predicted rating for rating models); nil when it has none.") { a in
                let (m, data) = try fitted(a)
                let u = try userIndex(try a.any("user"), data, a) ?? Int32(data.userCount)
                let i = try itemIndex(try a.any("item"), data, a)
                let s = m.model.score(user: u, items: [i])[0]
                try checkScoring(m)
                return s.isFinite ? .double(Double(s)) : .nil
            },
            BuiltinSpec("recommend", [.required("model", "Model"), .required("user"), .optional("k", "Int", default: .int(10), range: 1...Int.max),
                                      .optional("exclude_seen", "Bool", default: .bool(true)), .optional("candidates", "List")],
                        returns: "Table", category: cat,
                        doc: """
                        The k best items for a user, best first: a table of rank, item and score.
                        Items the user interacted with in training are left out unless exclude_seen: false; candidates: restricts
                        the ranking to those items. A user training never saw gets what the model gives a user without history.
                        """) { a in
                let (m, data) = try fitted(a)
                let k = try positive(a, "k")
                let u = try userIndex(try a.any("user"), data, a) ?? Int32(data.userCount)
                var candidates: [Int32]? = nil
                if a.has("candidates") { candidates = try a.list("candidates").items.map { try itemIndex($0, data, a) } }
                let list = m.model.recommend(user: u, k: k, excludeTraining: try a.bool("exclude_seen"), candidates: candidates)
                try checkScoring(m)
                return TableBuiltins.wrap(try listTable(list, data))
            },
            BuiltinSpec("recommend_all", [.required("model", "Model"), .optional("users"), .optional("k", "Int", default: .int(10), range: 1...Int.max),
                                          .optional("exclude_seen", "Bool", default: .bool(true))], returns: "Table", category: cat,
                        doc: """
                        Top-k lists for many users at once (in parallel): a table of user, rank, item and score, k rows per user.
                        users: a list of IDs or a Dataset (its users); every training user when omitted. The table is what evaluate,
                        exposure and a re-ranker take.
                        """) { a in
                let (m, data) = try fitted(a)
                let k = try positive(a, "k")
                let (idx, ids) = try users(a.value("users"), data, a)
                let batch = try DataBuiltins.rethrow(a) {
                    try m.model.recommendAll(users: idx, k: k, excludeTraining: try a.bool("exclude_seen"), cancellation: a.cancellation)
                }
                try checkScoring(m)
                var userCol: [RawID] = [], rank: [Int64] = [], item: [RawID] = [], score: [Double] = []
                for r in 0..<idx.count {
                    for (j, e) in batch.list(r).enumerated() {
                        userCol.append(ids[r]); rank.append(Int64(j + 1))
                        item.append(data.items.rawID(at: Int(e.item))); score.append(Double(e.score))
                    }
                }
                return TableBuiltins.wrap(try Table([("user", idColumn(userCol, of: data.users)), ("rank", Column(ints: rank)),
                                                     ("item", idColumn(item, of: data.items)), ("score", Column(doubles: score))]))
            },
            BuiltinSpec("similar_items", [.required("model", "Model"), .required("item"), .optional("k", "Int", default: .int(10), range: 1...Int.max)],
                        returns: "Table", category: cat,
                        doc: "The k items most similar to an item under the model (cosine of factors, neighbour similarity …): rank, item, similarity.") { a in
                let (m, data) = try fitted(a)
                let k = try positive(a, "k"), i = try itemIndex(try a.any("item"), data, a)
                let list = m.model.similarItems(item: i, k: k)
                if list.isEmpty && data.itemCount > 1 {
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
                let u = try userIndex(uv, data, a) ?? Int32(data.userCount)
                let i = try itemIndex(iv, data, a)
                let e = m.model.explain(user: u, item: i)
                try checkScoring(m)
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
