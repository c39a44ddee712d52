import Foundation
import RecCore

/// A recommender model as a Rec value (`Model`): its kind and hyper-parameters, the core model,
/// and after `fit` the training data whose ID space turns raw user and item IDs into indices.
public final class ModelObject: NativeObject {
    /// The constructor's name (`biased_mf`).
    public let kind: String
    /// Hyper-parameters in declaration order, defaults filled in.
    public let params: [(name: String, value: Value)]
    /// Builds a fresh, unfitted core model with these parameters (fit, cross-validation and grid
    /// search each start from one).
    let factory: () throws -> any Recommender
    /// Implicit-feedback models ignore values: every interaction (or its event weight) counts.
    let usesValues: Bool
    public private(set) var model: any Recommender
    public private(set) var trainedOn: Interactions?
    public private(set) var fitSeconds: Double?
    /// Epochs actually run when a fit was stopped early.
    public internal(set) var stoppedAfter: (epoch: Int, of: Int)?

    init(kind: String, params: [(String, Value)], usesValues: Bool, factory: @escaping () throws -> any Recommender) throws {
        self.kind = kind
        self.params = params.map { (name: $0.0, value: $0.1) }
        self.usesValues = usesValues
        self.factory = factory
        self.model = try factory()
    }

    public override var typeName: String { "Model" }

    /// Whether scores are predicted ratings (so RMSE and MAE mean something): rating models,
    /// neighbourhood models in explicit mode, and models written in Rec (their author decides).
    public var predictsRatings: Bool {
        func param(_ n: String) -> Value? { params.first { $0.name == n }?.value }
        switch kind {
        case "bias_baseline", "biased_mf", "svdpp", "custom": return true
        case "als": if case .bool(let implicit)? = param("implicit") { return !implicit }; return true
        case "item_knn", "user_knn": if case .string(let f)? = param("feedback") { return f == "explicit" }; return false
        default: return false
        }
    }

    public var isFitted: Bool { trainedOn != nil }

    /// The data as the core model sees it: values dropped for implicit-feedback models.
    private func modelInput(_ data: Interactions) -> Interactions {
        usesValues ? data : data.replacingValues(nil)
    }

    /// Fits a fresh core model on `data` (values dropped for implicit-feedback models).
    func fit(_ data: Interactions) throws {
        let m = try factory()
        let input = modelInput(data)
        try m.checkMemory(toFit: input, name: "\(displayName)(\(paramSummary))")
        let start = DispatchTime.now().uptimeNanoseconds
        try m.fit(input)
        fitSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        model = m
        trainedOn = data
    }

    /// Puts back a fitted state saved in a workspace (see `ModelCodec`): a fresh core model gets the
    /// learned numbers, checked against the data it was fitted on, without fitting again.
    func restoreFitted(state: ModelState, trainedOn data: Interactions, fitSeconds: Double?, stoppedAfter: (Int, Int)?) throws {
        let m = try factory()
        guard let p = m as? PersistentRecommender else { throw PayloadError("a \(kind) model has no saved form") }
        try p.restore(state, training: modelInput(data))
        model = m
        trainedOn = data
        self.fitSeconds = fitSeconds
        self.stoppedAfter = stoppedAfter.map { (epoch: $0.0, of: $0.1) }
    }

    /// A fresh unfitted copy with the same parameters.
    func unfittedCopy() throws -> ModelObject {
        try ModelObject(kind: kind, params: params.map { ($0.name, $0.value) }, usesValues: usesValues, factory: factory)
    }

    public override var memberNames: [String] { ["kind", "name", "params", "fitted", "users", "items", "loss", "fit_seconds"] }

    public override func member(_ name: String) -> Value? {
        switch name {
        case "kind": return .string(kind)
        case "name": return .string(displayName)
        case "params": return .record(RecordRef(names: params.map(\.name), values: params.map(\.value)))
        case "fitted": return .bool(isFitted)
        case "users": return .int(model.userCount)
        case "items": return .int(model.itemCount)
        case "loss": return .list(lossHistory.map { .double($0) })
        case "fit_seconds": return fitSeconds.map { .double($0) } ?? .nil
        default: return nil
        }
    }

    /// The per-epoch training loss of iterative models (empty for the others).
    var lossHistory: [Double] { (model as? LossReporting)?.lossHistory ?? [] }

    /// The `name:` parameter when one was given (custom models), else the constructor's name.
    public var displayName: String {
        if let p = params.first(where: { $0.name == "name" }), case .string(let s) = p.value, !s.isEmpty { return s }
        return kind
    }

    /// The size-like parameters (Ints other than the seed), for messages about memory.
    var paramSummary: String {
        params.filter { p in
            if case .int = p.value { return p.name != "seed" }
            return p.name == "layers"
        }.map { "\($0.name): \($0.value.repr)" }.joined(separator: ", ")
    }

    public override var textDescription: String {
        let ps = params.filter { $0.name != "name" }.map { "\($0.name): \($0.value.repr)" }.joined(separator: ", ")
        var s = "Model(\(displayName)"
        if !ps.isEmpty { s += " · " + ps }
        if let t = trainedOn {
            s += " · fitted on \(t.count) interactions, \(t.userCount) users, \(t.itemCount) items"
            if let f = fitSeconds { s += String(format: " in %.2f s", f) }
            if let st = stoppedAfter { s += " (stopped after epoch \(st.epoch) of \(st.of))" }
        } else {
            s += " · not fitted"
        }
        return s + ")"
    }
}

/// Models that record a training loss per epoch.
public protocol LossReporting {
    var lossHistory: [Double] { get }
}

/// A model written in Rec: `score(user, item)` (raw IDs) gives a number, and an optional
/// `fit(data)` runs first. Scoring calls back into the interpreter, so it runs on one thread.
final class ClosureModel: Recommender {
    let name: String
    let interpreter: Interpreter
    let fitFunction: Value?
    let scoreFunction: Value
    let location: SourceLocation
    private(set) var userCount = 0
    private(set) var itemCount = 0
    private(set) var trainingItems = TrainingItems()
    private var users = IDMap(), items = IDMap()
    private var integerUsers = false, integerItems = false
    /// The first error a score call raised (scoring cannot throw through the protocol).
    private(set) var failure: RecError?

    init(name: String, interpreter: Interpreter, fit: Value?, score: Value, location: SourceLocation) {
        self.name = name
        self.interpreter = interpreter
        self.fitFunction = fit
        self.scoreFunction = score
        self.location = location
    }

    var concurrentScoring: Bool { false }

    func fit(_ train: Interactions) throws {
        if let fitFunction {
            _ = try interpreter.call(fitFunction, [.native(DatasetObject(train))], at: location)
        }
        userCount = train.userCount
        itemCount = train.itemCount
        users = train.users
        items = train.items
        integerUsers = train.users.keysAreIntegers
        integerItems = train.items.keysAreIntegers
        trainingItems = TrainingItems(train)
    }

    private func score(_ u: Int32, _ i: Int32) -> Float {
        guard failure == nil else { return .nan }
        let user: Value = Int(u) < users.count ? ModelBuiltins.idValue(users, Int(u), integers: integerUsers) : .nil
        let item = ModelBuiltins.idValue(items, Int(i), integers: integerItems)
        do {
            let v = try interpreter.call(scoreFunction, [user, item], at: location)
            switch v {
            case .int(let x): return Float(x)
            case .double(let x): return Float(x)
            case .nil: return .nan
            default:
                failure = RecError(.type, "\(name): score must return a number (or nil), got \(v.aTypeName)", at: location)
                return .nan
            }
        } catch {
            failure = error
            return .nan
        }
    }

    func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<itemCount { scores[i] = score(user, Int32(i)) }
    }

    func score(user: Int32, items: [Int32]) -> [Float] {
        items.map { $0 >= 0 && Int($0) < itemCount ? score(user, $0) : .nan }
    }

    /// Rethrows the first scoring error after a batch of scoring.
    func check() throws {
        if let failure {
            self.failure = nil
            throw failure
        }
    }
}
