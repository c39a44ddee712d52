import CRecSupport
import Foundation
import RecCore

/// Model constructors and what models do: fit, predict, recommend, similar items, explain.
/// Thin bindings onto RecCore/Models; hyper-parameters are checked here so bad input is an error,
/// never a crash in the core's preconditions.
public enum ModelBuiltins {
    static let cat = "Models"

    // MARK: Values and IDs

    /// A raw ID as a Rec value: Int when the ID is a canonical integer.
    static func idValue(_ id: RawID) -> Value {
        switch id {
        case .int(let i): return .int(Int(i))
        case .string(let s): return .string(s)
        }
    }

    /// The ID at `index` of `map` as a Rec value, typed like `IDMap.column` types a column: an Int
    /// when `integers` (every ID of the map is one — pass `map.keysAreIntegers`, computed once).
    static func idValue(_ map: IDMap, _ index: Int, integers: Bool) -> Value {
        integers ? idValue(map.rawID(at: index)) : .string(map.key(at: index))
    }

    /// IDs from `map`'s ID space as a table column, typed as `IDMap.column` types them (integers
    /// when every ID of the map is one), so the column joins with `table(data)` and attribute tables.
    /// IDs outside the map (users asked about but never seen) go along as they are.
    static func idColumn(_ ids: [RawID], of map: IDMap) -> Column {
        map.keysAreIntegers ? idColumn(ids) : Column(strings: ids.map(\.description))
    }

    /// IDs as a table column: integers when every ID is one, otherwise text.
    static func idColumn(_ ids: [RawID]) -> Column {
        var ints: [Int64] = []
        ints.reserveCapacity(ids.count)
        for id in ids {
            guard case .int(let i) = id else { return Column(strings: ids.map(\.description)) }
            ints.append(Int64(i))
        }
        return Column(ints: ints)
    }

    /// The text of a user or item ID given as an Int or a String.
    static func idKey(_ v: Value, _ a: Arguments, _ what: String) throws -> String {
        switch v {
        case .int(let i): return String(i)
        case .string(let s): return s
        default: throw a.error("\(a.spec.name)(): a \(what) ID must be an Int or a String, got \(v.aTypeName)", kind: .type)
        }
    }

    /// The model argument: a Model, or a record of Rec functions (`score`, optional `fit`).
    static func model(_ a: Arguments, _ name: String = "model") throws -> ModelObject {
        let v = try a.any(name)
        guard let m = try model(from: v, a) else {
            throw a.typeError(name, expected: "a Model (or a record with a score function)", got: v)
        }
        return m
    }

    /// A Model value as is; a record of `score` (and `fit`) as a new, unfitted Rec-written model
    /// (`fit(record, data)` returns it fitted); nil for anything else.
    static func model(from v: Value, _ a: Arguments) throws -> ModelObject? {
        switch v {
        case .native(let m as ModelObject): return m
        case .record(let r):
            return try closureModel(a, name: "custom", fit: r.names.firstIndex(of: "fit").map { r.values[$0] },
                                    score: r.names.firstIndex(of: "score").map { r.values[$0] })
        default: return nil
        }
    }

    static func fitted(_ a: Arguments, _ name: String = "model") throws -> (ModelObject, Interactions) {
        let m = try model(a, name)
        guard let data = m.trainedOn else {
            throw a.error("\(a.spec.name)(): the \(m.displayName) model is not fitted yet; call fit(model, data) first")
        }
        return (m, data)
    }

    static func closureModel(_ a: Arguments, name: String, fit: Value?, score: Value?) throws -> ModelObject {
        guard let score, case .closure = score else {
            throw a.error("\(a.spec.name)(): a model written in Rec needs a `score` function taking (user, item)", kind: .type)
        }
        if let fit { guard case .closure = fit else { throw a.error("\(a.spec.name)(): `fit` must be a function taking the data", kind: .type) } }
        let interp = a.interpreter, loc = a.location
        return try ModelObject(kind: "custom", params: [("name", .string(name))], usesValues: true) {
            ClosureModel(name: name, interpreter: interp, fit: fit, score: score, location: loc)
        }
    }

    /// Surfaces an error a Rec-written model raised while scoring.
    static func checkScoring(_ m: ModelObject) throws {
        try (m.model as? ClosureModel)?.check()
    }

    // MARK: Parameter checks

    static func positive(_ a: Arguments, _ name: String) throws -> Int {
        let v = try a.int(name)
        guard v > 0 else { throw a.error("\(a.spec.name)(): \(name) must be positive, got \(v)") }
        return v
    }

    static func nonNegative(_ a: Arguments, _ name: String) throws -> Int {
        let v = try a.int(name)
        guard v >= 0 else { throw a.error("\(a.spec.name)(): \(name) must not be negative, got \(v)") }
        return v
    }

    static func positiveFloat(_ a: Arguments, _ name: String) throws -> Float {
        let v = try a.double(name)
        guard v > 0, v.isFinite else { throw a.error("\(a.spec.name)(): \(name) must be a positive number, got \(v)") }
        return Float(v)
    }

    static func nonNegativeFloat(_ a: Arguments, _ name: String) throws -> Double {
        let v = try a.double(name)
        guard v >= 0, v.isFinite else { throw a.error("\(a.spec.name)(): \(name) must not be negative, got \(v)") }
        return v
    }

    static func seed(_ a: Arguments) throws -> UInt64 { UInt64(bitPattern: Int64(try a.int("seed"))) }

    /// The declared parameters with their (defaulted) values, for display and experiments.
    static func params(_ a: Arguments) -> [(String, Value)] {
        a.spec.params.map { p in (p.name, a.value(p.name) ?? .nil) }
    }

    /// A model value; `resolved` replaces parameters whose default depends on others (als's reg),
    /// so what is printed and logged to experiments is the value actually used, never nil.
    static func make(_ a: Arguments, usesValues: Bool, resolved: [String: Value] = [:],
                     _ factory: @escaping () throws -> any Recommender) throws -> Value {
        let ps = params(a).map { p in (p.0, resolved[p.0] ?? p.1) }
        return .native(try ModelObject(kind: a.spec.name, params: ps, usesValues: usesValues, factory: factory))
    }

    static func similarity(_ a: Arguments) throws -> ItemKNN.Similarity {
        let s = try a.string("similarity")
        switch s {
        case "cosine": return .cosine
        case "adjusted_cosine": return .adjustedCosine
        case "pearson": return .pearson
        case "jaccard": return .jaccard
        default: throw a.error("\(a.spec.name)(): similarity must be \"cosine\", \"adjusted_cosine\", \"pearson\" or \"jaccard\", got \"\(s)\"")
        }
    }

    static func feedback(_ a: Arguments) throws -> Bool {
        switch try a.string("feedback") {
        case "implicit": return false
        case "explicit": return true
        case let s: throw a.error("\(a.spec.name)(): feedback must be \"implicit\" or \"explicit\", got \"\(s)\"")
        }
    }

    // MARK: Fitting

    /// Fits with a progress line on a terminal. Ctrl-C stops the fit after the current epoch; the
    /// model then holds what it learned so far, and `onInterrupt` says whether that is kept (with
    /// a warning) or the `interrupted` error ends the program.
    static func fit(_ m: ModelObject, _ data: Interactions, _ a: Arguments, onInterrupt: FitInterruption = .endProgram) throws {
        try a.checkInterrupt()
        let bar = ProgressLine.forFit()
        final class State: @unchecked Sendable { var stopped: (Int, Int)? = nil }
        let state = State()
        var reportingInterrupt = false
        let cancellation = a.cancellation
        FitMonitor.handler = { p in
            bar?.draw(p)
            if cancellation.isRequested && p.epoch < p.epochs {
                state.stopped = (p.epoch, p.epochs)
                return false
            }
            return true
        }
        defer {
            FitMonitor.handler = nil
            // An interrupted fit leaves its bar showing the epoch reached; the report follows it.
            if !reportingInterrupt { bar?.erase() }
        }
        try DataBuiltins.rethrow(a) {
            try m.fit(data)
        }
        try checkScoring(m)
        if let (e, n) = state.stopped {
            m.stoppedAfter = (e, n)
            reportingInterrupt = true
            guard onInterrupt == .keepModel else { throw a.interrupted("fit() stopped after epoch \(e) of \(n)") }
            rec_interrupt_clear()
            ProgressLine.endLineAfterInterrupt()
            a.interpreter.warn("fit(): stopped by Ctrl-C after epoch \(e) of \(n); the model is usable as trained so far", at: a.location)
        } else {
            m.stoppedAfter = nil
        }
    }

    // MARK: Registration

    static func register(into r: BuiltinRegistry) {
        r.register(constructors)
        r.register(moreConstructors)
        r.register(operations)
    }

    static var constructors: [BuiltinSpec] {
        [
            BuiltinSpec("popularity", [.optional("distinct_users", "Bool", default: .bool(false)), .optional("by", "String"),
                                       .optional("bins", "List")],
                        returns: "Model", category: cat,
                        doc: """
                        Recommends the most interacted-with items to everyone (training items excluded).
                        distinct_users: count each user once per item instead of every interaction.
                        by: "channel" ranks items within each channel and gives every user the ranking of their main channel;
                        by: a user attribute ("gender") ranks items among the users sharing its value. Users without a group get the overall ranking.
                        bins: [18, 25, 35, 50] cuts a numeric attribute (age) into ranges, so users of one range share a ranking (see cut).
                        """) { a in
                let distinct = try a.bool("distinct_users")
                let by = a.has("by") ? try a.string("by") : nil
                let bins = try BinningBuiltins.bins(a)
                if bins != nil && by == nil { throw a.error("popularity(): bins: cuts the user attribute named by by:; give by: too") }
                if let bins { _ = try DataBuiltins.rethrow(a) { try Bins(edges: bins, integral: true) } }
                return try make(a, usesValues: false) { Popularity(distinctUsers: distinct, by: by, bins: bins) }
            },
            BuiltinSpec("bias_baseline", [.optional("item_damping", "Float", default: .double(5)),
                                          .optional("user_damping", "Float", default: .double(5)),
                                          .optional("iterations", "Int", default: .int(10), range: 1...1_000_000)], returns: "Model", category: cat,
                        doc: """
                        Global mean plus damped user and item biases: r̂ = μ + b_u + b_i (Koren 2010).
                        Needs ratings. The dampings shrink the biases of users and items with few ratings towards 0.
                        """) { a in
                let id = try nonNegativeFloat(a, "item_damping"), ud = try nonNegativeFloat(a, "user_damping")
                let it = try positive(a, "iterations")
                return try make(a, usesValues: true) { BiasBaseline(itemDamping: id, userDamping: ud, iterations: it) }
            },
            BuiltinSpec("item_knn", [.optional("k", "Int", default: .int(20), range: 1...Int.max), .optional("similarity", "String", default: .string("cosine")),
                                     .optional("shrink", "Float", default: .double(0)), .optional("min_similarity", "Float", default: .double(0)),
                                     .optional("feedback", "String", default: .string("implicit"))], returns: "Model", category: cat,
                        doc: """
                        Item-based nearest neighbours (Sarwar et al. 2001): an item scores by its similarity to the user's items.
                        similarity: "cosine", "adjusted_cosine", "pearson" or "jaccard"; shrink damps similarities built on few co-ratings
                        (s·n/(n+shrink)); feedback: "implicit" (sum of similarities) or "explicit" (weighted average of the user's ratings).
                        """) { a in
                let k = try positive(a, "k"), sim = try similarity(a), shrink = Float(try nonNegativeFloat(a, "shrink"))
                let minSim = Float(try a.double("min_similarity")), explicit = try feedback(a)
                return try make(a, usesValues: explicit) {
                    ItemKNN(neighbours: k, similarity: sim, shrinkage: shrink, minSimilarity: minSim, feedback: explicit ? .explicit : .implicit)
                }
            },
            BuiltinSpec("biased_mf", [.optional("factors", "Int", default: .int(50), range: 1...10_000), .optional("epochs", "Int", default: .int(40), range: 0...1_000_000),
                                      .optional("lr", "Float", default: .double(0.01)), .optional("reg", "Float", default: .double(0.1)),
                                      .optional("init_std", "Float", default: .double(0.1)), .optional("biased", "Bool", default: .bool(true)),
                                      .optional("seed", "Int", default: .int(42), range: BuiltinParam.anyInt)], returns: "Model", category: cat,
                        doc: """
                        Matrix factorization with biases trained by SGD (Funk 2006; Koren, Bell & Volinsky 2009): r̂ = μ + b_u + b_i + p_u·q_i.
                        Needs ratings. The defaults were chosen on a validation split of MovieLens u1.base; Surprise's SVD defaults are
                        factors: 100, epochs: 20, lr: 0.005, reg: 0.02. model.loss lists the training MSE per epoch.
                        """) { a in
                let f = try positive(a, "factors"), e = try nonNegative(a, "epochs"), lr = try positiveFloat(a, "lr")
                let reg = Float(try nonNegativeFloat(a, "reg")), std = Float(try nonNegativeFloat(a, "init_std"))
                let biased = try a.bool("biased"), s = try seed(a)
                return try make(a, usesValues: true) {
                    BiasedMF(factors: f, epochs: e, learningRate: lr, regularization: reg, initStd: std, biased: biased, seed: s)
                }
            },
            BuiltinSpec("ease", [.optional("reg", "Float", default: .double(250))], returns: "Model", category: cat,
                        doc: """
                        EASE, the embarrassingly shallow autoencoder (Steck 2019): item-item weights B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹.
                        Implicit feedback; cost grows with the cube of the number of items.
                        """) { a in
                let reg = try a.double("reg")
                // λ > 0 keeps XᵀX + λI positive definite; 0 would make the solve fail or divide by 0.
                guard reg > 0, reg.isFinite else { throw a.error("ease(): argument 'reg' must be a positive number, got \(reg)") }
                return try make(a, usesValues: false) { EASE(regularization: reg) }
            },
            BuiltinSpec("custom_model", [.required("score"), .optional("fit"), .optional("name", "String", default: .string("custom"))],
                        returns: "Model", category: cat,
                        doc: """
                        A model written in Rec: score(user, item) returns a number (raw IDs; nil for "no opinion"), and fit(data), if given,
                        runs first. Every model function (recommend, evaluate …) accepts it once fitted. A record (fit: …, score: …)
                        works too: fit(record, data) returns it as a fitted Model.
                        """) { a in
                .native(try closureModel(a, name: try a.string("name"), fit: a.value("fit"), score: a.value("score")))
            },
        ]
    }
}
