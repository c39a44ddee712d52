import Foundation
import RecCore

/// Privacy: keyed pseudonyms, k-anonymity, and the ledger of differentially private fits.
/// Thin bindings onto RecCore's `Privacy/` (the DP models themselves are catalogue kinds).
enum PrivacyBuiltins {
    static let cat = "Privacy"

    /// Runs core code, turning its errors into this builtin's.
    static func core<T>(_ a: Arguments, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as DataError { throw a.error("\(a.spec.name)(): \(e.message)") }
    }

    /// The data a budget or a spend is about: a Dataset, or a Split (its training set, which has
    /// the whole dataset's users).
    static func population(_ a: Arguments, _ name: String) throws -> Interactions {
        if case .native(let s as SplitObject) = try a.any(name) { return s.split.train }
        return try DataBuiltins.dataset(a, name)
    }

    // MARK: The ledger

    /// What a fit of `m` on `data` will cost — one spend per differentially private release it
    /// makes: the model itself, or the DP parts of a hybrid or channel model (`PrivacyReleases`) —
    /// checked as one against the budget before anything is read: empty for models without any.
    static func charge(_ m: ModelObject, _ data: Interactions, _ a: Arguments) throws -> [PrivacySpend] {
        try charge(PrivacyReleases.of(m.model, on: data), named: m, data, a)
    }

    /// `releases` (of `m` or of the fits a builtin will make with it) checked as one against the
    /// budget, as the spends to record.
    static func charge(_ releases: [PrivacyRelease], named m: ModelObject, _ data: Interactions, _ a: Arguments) throws -> [PrivacySpend] {
        guard !releases.isEmpty else { return [] }
        let population = data.populationKey
        let spent = try spends(population, a).reduce(0) { $0 + $1.epsilon }
        let total = PrivacyCost(mechanism: "", epsilon: releases.reduce(0) { $0 + $1.cost.epsilon },
                                delta: releases.reduce(0) { $0 + $1.cost.delta })
        try core(a) { try PrivacyLedger.check(spent: spent, budget: try budget(population, a), cost: total) }
        let time = PrivacySpend.now(), fingerprint = data.fingerprint
        // A DP model on its own is recorded under its constructor's name; a part, by its path.
        let own = m.model is DifferentiallyPrivate
        return releases.map { r in
            PrivacySpend(population: population, datasetFingerprint: fingerprint, model: own ? m.kind : r.model,
                         mechanism: r.cost.mechanism, epsilon: r.cost.epsilon, delta: r.cost.delta, time: time, script: a.location.file?.name)
        }
    }

    /// Writes releases to the workspace's ledger, or the session's without one.
    static func record(_ spends: [PrivacySpend], _ a: Arguments) throws {
        for spend in spends {
            if let w = a.interpreter.workspace { try core(a) { try w.appendPrivacySpend(spend) } }
            else { a.interpreter.privacyLedger.record(spend) }
        }
    }

    static func spends(_ population: String, _ a: Arguments) throws -> [PrivacySpend] {
        if let w = a.interpreter.workspace { return try core(a) { try w.privacySpends(population: population) } }
        return a.interpreter.privacyLedger.spends(population: population)
    }

    static func budget(_ population: String, _ a: Arguments) throws -> Double? {
        if let w = a.interpreter.workspace { return try core(a) { try w.privacyBudget(population: population) } }
        return a.interpreter.privacyLedger.budgets[population]
    }

    static func register(into r: BuiltinRegistry) {
        r.register([
            BuiltinSpec("pseudonymize", [.required("data", "Dataset"), .required("key", "String"),
                                         .optional("users", "Bool", default: .bool(true)), .optional("items", "Bool", default: .bool(false))],
                        returns: "Dataset", category: cat,
                        doc: """
                        The data with user IDs (and, with items: true, item IDs) replaced by keyed pseudonyms: the first 80 bits of
                        HMAC-SHA256(key, ID) in hex ("u3f0c…", "i81a2…"). The same key gives the same pseudonyms in every dataset, so
                        pseudonymized datasets still join; attribute tables are re-keyed the same way. The key (at least 16 bytes) is
                        used for this call only: it is not kept in the result, a workspace or the experiment log.
                        Not protected: re-identification through attributes and behaviour (see docs/privacy.md).
                        Example: pseudonymize(d, key: "a long secret kept elsewhere").count == d.count
                        """) { a in
                let d = try DataBuiltins.dataset(a, "data")
                let key = try a.string("key"), users = try a.bool("users"), items = try a.bool("items")
                guard users || items else { throw a.error("pseudonymize(): users: false and items: false leave nothing to replace") }
                return DataBuiltins.wrap(try core(a) { try Pseudonymizer(key: key).pseudonymized(d, users: users, items: items) })
            },
            BuiltinSpec("k_anonymity", [.required("data", "Dataset"), .required("quasi", "List"),
                                        .optional("k", "Int", default: .int(5), range: 1...1_000_000_000)],
                        returns: "Map", category: cat,
                        doc: """
                        How identifiable users are by their quasi-identifier attributes (Sweeney 2002): users with the same values
                        form an equivalence class, and the data is k-anonymous when every class has at least k users.
                        Returns a map: smallest_class, users (counted: those with interactions), users_at_risk (in classes smaller
                        than k), classes, classes_at_risk, and at_risk: a table of the small classes (one column per attribute, then
                        users), smallest first. A missing value counts as a value "(missing)". Remedy: coarser attributes (cut).
                        """) { a in
                let d = try DataBuiltins.dataset(a, "data")
                let quasi = try a.strings("quasi"), k = try a.int("k")
                let report = try core(a) { try KAnonymityReport(d, quasi: quasi, k: k) }
                let m = MapRef()
                _ = m.set(.string("k"), .int(k))
                _ = m.set(.string("smallest_class"), .int(report.smallestClass))
                _ = m.set(.string("users"), .int(report.userCount))
                _ = m.set(.string("users_at_risk"), .int(report.usersAtRisk))
                _ = m.set(.string("classes"), .int(report.classes.count))
                _ = m.set(.string("classes_at_risk"), .int(report.classesAtRisk.count))
                _ = m.set(.string("at_risk"), .native(TableObject(try core(a) { try report.riskTable() })))
                return .map(m)
            },
            BuiltinSpec("privacy_budget", [.required("data")], returns: "Map", category: cat,
                        doc: """
                        What differentially private fits have spent on the users of data (a Dataset or a Split; a split's training
                        set has its dataset's users, so fits on it count): a map of spent (total ε, by sequential composition),
                        delta, budget (nil when none is set), remaining, and releases: a table of time, model, mechanism, epsilon,
                        delta, dataset (fingerprint of the rows fitted) and script. Kept in the open workspace, else for this session.
                        """) { a in
                let d = try population(a, "data")
                let key = d.populationKey
                let s = try spends(key, a), b = try budget(key, a)
                let spent = s.reduce(0) { $0 + $1.epsilon }
                let m = MapRef()
                _ = m.set(.string("spent"), .double(spent))
                _ = m.set(.string("delta"), .double(s.reduce(0) { $0 + $1.delta }))
                _ = m.set(.string("budget"), b.map { .double($0) } ?? .nil)
                _ = m.set(.string("remaining"), b.map { .double(max(0, $0 - spent)) } ?? .nil)
                _ = m.set(.string("releases"), .native(TableObject(try core(a) { try PrivacyLedger.table(s) })))
                return .map(m)
            },
            BuiltinSpec("set_privacy_budget", [.required("data"), .required("epsilon", "Float")], returns: "Nil", category: cat,
                        doc: """
                        Sets the total ε that differentially private fits on the users of data (a Dataset or a Split) may spend:
                        a fit that would take the total past it is refused before it reads the data. Replaces an earlier budget;
                        kept in the open workspace, else for this session.
                        """) { a in
                let d = try population(a, "data")
                let e = try a.double("epsilon")
                guard e > 0, e.isFinite else { throw a.error("set_privacy_budget(): epsilon must be a positive number, got \(e)") }
                if let w = a.interpreter.workspace { try core(a) { try w.setPrivacyBudget(population: d.populationKey, epsilon: e) } }
                else { a.interpreter.privacyLedger.setBudget(population: d.populationKey, epsilon: e) }
                return .nil
            },
        ])
    }
}
