import Foundation
import RecCore

/// rerank and tradeoff: thin bindings onto RecCore/Rerank (one greedy skeleton, one objective per
/// method) and RecCore/Fairness.
enum RerankBuiltins {
    static let cat = "Fairness"
    static let methods = ["mmr", "calibrated", "fa*ir", "provider", "user_fair"]

    /// The objective of `method` and the skeleton's λ. For fa*ir the weight is p (the minimum
    /// protected proportion) unless p: is given, and λ is 0: within the table the model's order stands.
    static func objective(_ a: Arguments, method: String, model m: ModelObject, data: Interactions, k: Int,
                          weight: Double) throws -> (objective: any RerankObjective, lambda: Double) {
        guard weight >= 0 && weight <= 1 else { throw a.error("\(a.spec.name)(): weight must be between 0 and 1, got \(weight)") }
        switch method {
        case "mmr":
            if let attr = try a.optionalString("attribute") {
                let l = try FairnessBuiltins.itemLabels(attr, data, a)
                return (MMRObjective(labels: l.sets, names: l.names), weight)
            }
            guard let f = m.model as? FactorModel else {
                throw a.error("\(a.spec.name)(): mmr needs attribute: (an item attribute such as \"category\") or a factor model whose item vectors measure similarity")
            }
            return (MMRObjective(vectors: f.itemFactors, dimensions: f.factors), weight)
        case "calibrated":
            guard let attr = try a.optionalString("attribute") else {
                throw a.error("\(a.spec.name)(): calibrated needs attribute: the item attribute to calibrate (e.g. \"category\")")
            }
            let l = try FairnessBuiltins.itemLabels(attr, data, a)
            let history = TrainingItems(data)
            let smoothing = try a.double("smoothing")
            guard smoothing > 0 && smoothing < 1 else { throw a.error("\(a.spec.name)(): smoothing must be between 0 and 1 (Steck's α, 0.01)") }
            return (CalibrationObjective(labels: l.sets, names: l.names, history: { Array(history.items(of: $0)) }, alpha: smoothing), weight)
        case "fa*ir", "fair":
            guard let prot = try FairnessBuiltins.protectedItems(a, data) else {
                throw a.error("\(a.spec.name)(): fa*ir needs protected: the protected items, e.g. [\"provider_size\": \"small\"]")
            }
            let p = try a.optionalDouble("p") ?? weight
            let alpha = try a.double("alpha")
            guard p > 0 && p < 1 else { throw a.error("\(a.spec.name)(): fa*ir's p (the minimum protected proportion) must be between 0 and 1, got \(p)") }
            guard alpha > 0 && alpha < 1 else { throw a.error("\(a.spec.name)(): alpha must be between 0 and 1, got \(alpha)") }
            let table = try a.bool("adjust") ? FAIR.adjustedMtable(k: k, p: p, alpha: alpha).mtable : FAIR.mtable(k: k, p: p, alpha: alpha)
            return (FAIRObjective(mtable: table, isProtected: { Int($0) < prot.count && prot[Int($0)] }), 0)
        case "provider":
            guard a.has("by") else { throw a.error("\(a.spec.name)(): provider needs by: the item attribute whose groups share exposure (e.g. \"provider_size\")") }
            let by = try a.string("by")
            let groups = try FairnessBuiltins.itemGroups(by, data, a)
            let names = Array(Set(groups.compactMap { $0 })).sorted(by: naturalLess)
            let code = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            let itemGroup = groups.map { $0.flatMap { code[$0] } ?? -1 }
            var target = ProviderExposureObjective.catalogueShares(itemGroup: itemGroup, groups: names.count)
            if a.has("target") {
                let t = try a.map("target")
                target = [Double](repeating: 0, count: names.count)
                for (key, v) in zip(t.keys, t.values) {
                    guard case .string(let g) = key, let c = code[g] else {
                        throw a.error("\(a.spec.name)(): target: keys are groups of '\(by)' (\(names.joined(separator: ", "))), got \(key.repr)")
                    }
                    switch v {
                    case .int(let x): target[c] = Double(x)
                    case .double(let x): target[c] = x
                    default: throw a.error("\(a.spec.name)(): target: shares are numbers, got \(v.repr)")
                    }
                }
                let total = target.reduce(0, +)
                guard total > 0, target.allSatisfy({ $0 >= 0 }) else { throw a.error("\(a.spec.name)(): target: shares must be ≥ 0 and not all 0") }
                target = target.map { $0 / total }
            }
            return (ProviderExposureObjective(itemGroup: itemGroup, groupNames: names, target: target), weight)
        case "user_fair":
            guard a.has("by") else { throw a.error("\(a.spec.name)(): user_fair needs by: the user attribute whose groups are compared (e.g. \"gender\")") }
            let by = try a.string("by")
            guard let labels = data.userAttributes?.groupLabels(by, alignedTo: data.users) else {
                let known = data.userAttributes?.columnNames.joined(separator: ", ") ?? "none"
                throw a.error("\(a.spec.name)(): no user attribute '\(by)' (user attributes: \(known))")
            }
            return (UserGroupFairnessObjective(groupOf: { u in Int(u) < labels.count && labels[Int(u)] != "(missing)" ? labels[Int(u)] : nil }, k: k), weight)
        default:
            throw a.error("\(a.spec.name)(): unknown method \"\(method)\"; methods: \(methods.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
    }

    /// Every user's candidates: the model's top `candidates` (training items excluded). With
    /// `protected`, each list also gets the user's best protected items beyond them, up to `k`
    /// protected candidates, so that FA*IR's minimum can be met wherever the catalogue allows.
    static func candidateLists(_ m: ModelObject, users: [Int32], count: Int, k: Int = 0, protected: [Bool]? = nil,
                               _ a: Arguments) throws -> [RerankCandidates] {
        let depth = protected == nil ? count : max(count, m.model.itemCount)
        let batch = try DataBuiltins.rethrow(a) { try m.model.recommendAll(users: users, k: depth, cancellation: a.cancellation) }
        try ModelBuiltins.checkScoring(m)
        func isProtected(_ i: Int32) -> Bool { protected.map { Int(i) < $0.count && $0[Int(i)] } ?? false }
        return users.indices.map { r in
            let all = batch.list(r)
            var l = Array(all.prefix(count))
            if protected != nil {
                var have = l.filter { isProtected($0.item) }.count
                for e in all.dropFirst(count) where have < k && isProtected(e.item) { l.append(e); have += 1 }
            }
            return RerankCandidates(user: users[r], items: l.map(\.item), scores: l.map { Double($0.score) })
        }
    }

    /// The protected items when the method is fa*ir (its candidates reach beyond the top N).
    static func protectedForCandidates(_ a: Arguments, _ data: Interactions) throws -> [Bool]? {
        let method = try a.string("method").lowercased()
        return method == "fa*ir" || method == "fair" ? try FairnessBuiltins.protectedItems(a, data) : nil
    }

    /// Re-ranks; `candidates` computed once by the caller when it re-ranks the same users repeatedly.
    static func rerank(_ a: Arguments, _ m: ModelObject, _ data: Interactions, users: [Int32], k: Int, weight: Double,
                       candidates: [RerankCandidates]? = nil) throws -> [RerankedList] {
        let method = try a.string("method").lowercased()
        let n = try ModelBuiltins.positive(a, "candidates")
        guard n >= k else { throw a.error("\(a.spec.name)(): candidates (\(n)) must be at least k (\(k))") }
        let (objective, lambda) = try objective(a, method: method, model: m, data: data, k: k, weight: weight)
        let cands = try candidates ?? candidateLists(m, users: users, count: n, k: k, protected: protectedForCandidates(a, data), a)
        let lists = try DataBuiltins.rethrow(a) { try Rerank.rerank(cands, k: k, lambda: lambda, objective: objective, cancellation: a.cancellation) }
        if let fair = objective as? FAIRObjective, let prot = try protectedForCandidates(a, data) {
            let short = lists.filter { !FAIR.satisfies($0.items.map { Int($0) < prot.count && prot[Int($0)] }, fair.mtable) }.count
            if short > 0 {
                a.interpreter.warn("\(a.spec.name)(): \(short) of \(lists.count) lists cannot meet the fa*ir minimum: those users have too few protected items they have not seen", at: a.location)
            }
        }
        return lists
    }

    static let rerankParams: [BuiltinParam] = [
        .optional("candidates", "Int", default: .int(100), range: 1...Int.max),
        .optional("attribute", "String"), .optional("smoothing", "Float", default: .double(0.01)),
        .optional("protected", "Map"), .optional("p", "Float"), .optional("alpha", "Float", default: .double(0.1)),
        .optional("adjust", "Bool", default: .bool(true)), .optional("by"), .optional("target", "Map"),
    ]

    static func register(into r: BuiltinRegistry) {
        r.register([
            BuiltinSpec("rerank", [.required("model", "Model"), .optional("users"), .optional("k", "Int", default: .int(10), range: 1...Int.max),
                                   .required("method", "String"), .optional("weight", "Float", default: .double(0.5))] + rerankParams,
                        returns: "Table", category: cat,
                        doc: """
                        Re-ranks the model's top candidates: items into lists of k by (1 − weight) · relevance + weight · the method's gain,
                        greedily, position by position. A table of user, rank, item, score (the model's) and reason (why an item moved;
                        empty when it kept its rank) that evaluate, exposure and fairness accept. users: as recommend_all. Methods:
                        "mmr" — maximal marginal relevance (Carbonell & Goldstein 1998): diversity over attribute: (Jaccard of its values)
                        or, without it, the cosine of a factor model's item vectors;
                        "calibrated" — Steck (RecSys 2018): the list's attribute: distribution calibrated to the user's history (KL with
                        smoothing: α = 0.01);
                        "fa*ir" — Zehlike et al. (CIKM 2017): every prefix holds the minimum of protected: items (["provider_size":
                        "small"]) for proportion p: (default: the weight) at significance alpha:, adjusted for the k tests (adjust: false
                        to skip); the user's best protected items beyond the candidates join them, so every list meets the table when
                        the catalogue allows (a warning counts the lists that cannot);
                        "provider" — the position-discounted exposure of the item groups of by: brought towards target: shares (a Map;
                        default each group's share of the catalogue);
                        "user_fair" — after Li et al. (WWW 2021): the expected quality of the lists of the user groups of by: brought
                        together (from the model's scores, not the test set: the better-served group's lists give way).
                        Example: rerank(fit(item_knn(), s.train), k: 5, method: "mmr", attribute: "category", weight: 0.3)
                        """) { a in
                let (m, data) = try ModelBuiltins.fitted(a)
                let k = try ModelBuiltins.positive(a, "k")
                let (idx, ids) = try ModelBuiltins.users(a.value("users"), m, data, a)
                let lists = try rerank(a, m, data, users: idx, k: k, weight: try a.double("weight"))
                var userCol: [RawID] = [], rank: [Int64] = [], item: [RawID] = [], score: [Double] = [], reason: [String] = []
                for (r, l) in lists.enumerated() {
                    for j in l.items.indices {
                        userCol.append(ids[r]); rank.append(Int64(j + 1)); item.append(data.items.rawID(at: Int(l.items[j])))
                        score.append(l.scores[j]); reason.append(l.reasons[j])
                    }
                }
                return TableBuiltins.wrap(try Table([("user", ModelBuiltins.idColumn(userCol, of: data.users)), ("rank", Column(ints: rank)),
                                                     ("item", ModelBuiltins.idColumn(item, of: data.items)), ("score", Column(doubles: score)),
                                                     ("reason", Column(strings: reason))]))
            },
        ])
        r.register(TradeoffBuiltins.specs)
    }
}
