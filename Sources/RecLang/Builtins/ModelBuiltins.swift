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
        let made = UncheckedSendable((a.interpreter, a.location))
        // Its author decides what its scores mean, so it counts as predicting ratings (RMSE is
        // computed when the test data has values) and sees the values.
        return try ModelObject(.external(ExternalModel(name: name, input: .weightedInteractions,
                                                       capabilities: [.ranks, .predictsRatings]) {
            ClosureModel(name: name, interpreter: made.value.0, fit: fit, score: score, location: made.value.1)
        }))
    }

    /// Surfaces an error a Rec-written model raised while scoring.
    /// A value passed into a `@Sendable` closure that only ever runs on the interpreter's thread
    /// (models written in Rec score on one thread: `concurrentScoring` is false).
    struct UncheckedSendable<T>: @unchecked Sendable { let value: T; init(_ v: T) { value = v } }

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





    // MARK: Fitting

    /// Fits, reporting every epoch as a `.progress` event (a bar on a terminal, an updating
    /// display in Jupyter). Ctrl-C stops the fit after the current epoch; the model then holds
    /// what it learned so far, and `onInterrupt` says whether that is kept (with a warning) or the
    /// `interrupted` error ends the program. Ctrl-C inside a long epoch ends the fit without a model.
    static func fit(_ m: ModelObject, _ data: Interactions, _ a: Arguments, onInterrupt: FitInterruption = .endProgram) throws {
        try a.checkInterrupt()
        // A differentially private fit is checked against the privacy budget before it reads the data.
        let spend = try PrivacyBuiltins.charge(m, data, a)
        let interp = a.interpreter
        final class Last: @unchecked Sendable { var progress: FitProgress?; var reporter: ProgressReporter? }
        let last = Last()
        last.reporter = ProgressReporter(interp, kind: "fit", label: m.kind, total: 1)
        let context = FitContext(cancellation: a.cancellation) { p in
            last.progress = p
            last.reporter?.update(p.epoch, of: p.epochs, detail: p.loss.map { String(format: "loss %.4f", $0) })
        }
        let reporter = last.reporter!
        do {
            try DataBuiltins.rethrow(a) {
                do { try m.fit(data, context: context) }
                catch let e as DivergenceError { throw a.error("\(a.spec.name)(): \(divergence(e, of: m))") }
                catch is Cancelled {
                    let epoch = (last.progress?.epoch ?? 0) + 1
                    throw a.interrupted("\(a.spec.name)() stopped during epoch \(epoch); the model was left as it was")
                }
            }
        } catch {
            reporter.end((error as? RecError)?.kind == .interrupted ? .stopped : .failed)
            throw error
        }
        try PrivacyBuiltins.record(spend, a)
        try checkScoring(m)
        guard let p = last.progress, p.epoch < p.epochs, a.cancellation.isRequested else {
            reporter.end(.finished)
            m.stoppedAfter = nil
            return
        }
        m.stoppedAfter = (p.epoch, p.epochs)
        reporter.end(.stopped)
        guard onInterrupt == .keepModel else { throw a.interrupted("fit() stopped after epoch \(p.epoch) of \(p.epochs)") }
        rec_interrupt_clear()
        interp.warn("fit(): stopped by Ctrl-C after epoch \(p.epoch) of \(p.epochs); the model is usable as trained so far", at: a.location)
    }

    /// A diverged fit in the script's terms: the model as constructed (a hybrid's diverging
    /// component by its own name) and the setting to change, with its current value.
    static func divergence(_ e: DivergenceError, of m: ModelObject) -> String {
        var culprit = m
        if case .list(let parts)? = m.params.first(where: { $0.name == "models" })?.value {
            for case .native(let c as ModelObject) in parts.items where c.model.name == e.model { culprit = c; break }
        }
        func param(_ name: String) -> String? { culprit.params.first { $0.name == name }.map { "\(name): \($0.value.repr) now" } }
        let advice: String
        if let lr = param("lr") {
            advice = "try a smaller learning rate (\(lr))"
        } else if let alpha = param("alpha"), culprit.params.contains(where: { p in
            if case .bool(true) = p.value { return p.name == "implicit" }
            return false
        }) {
            advice = "try a smaller alpha (\(alpha)) or a larger reg (\(param("reg") ?? "reg"))"
        } else if let reg = param("reg") {
            advice = "try a larger reg (\(reg)), and check the data for huge values"
        } else {
            advice = "try other settings"
        }
        return "\(culprit.displayName) diverged at epoch \(e.epoch) (\(e.lossText)): \(advice)"
    }

    // MARK: Registration

    static func register(into r: BuiltinRegistry) {
        CatalogueBuiltins.register(into: r)
        r.register(constructors)
        r.register(operations)
    }

    static var constructors: [BuiltinSpec] {
        [
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
