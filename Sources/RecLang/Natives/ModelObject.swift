import Foundation
import RecCore

/// A recommender model as a Rec value (`Model`): what it is built from (a catalogue configuration,
/// or a model written in Rec), the core model, and after `fit` the training data whose ID space
/// turns raw user and item IDs into indices.
public final class ModelObject: NativeObject {
    public let blueprint: ModelBlueprint
    public private(set) var model: any Recommender
    public private(set) var trainedOn: Interactions?
    public private(set) var fitSeconds: Double?
    /// Epochs actually run when a fit was stopped early.
    public internal(set) var stoppedAfter: (epoch: Int, of: Int)?

    init(_ blueprint: ModelBlueprint) throws {
        self.blueprint = blueprint
        self.model = try blueprint.make()
    }

    public override var typeName: String { "Model" }

    /// Text, and a summary table for notebooks.
    public override func display(_ options: DisplayOptions) -> DisplayData {
        DisplayData(["text/plain": text(options), "text/html": SummaryHTML.model(self)])
    }

    /// The constructor's name (`biased_mf`), or `custom` for a model written in Rec.
    public var kind: String {
        if case .config(let c) = blueprint { return c.kind.name }
        return "custom"
    }

    /// Hyper-parameters in declaration order, defaults filled in, as Rec values.
    public var params: [(name: String, value: Value)] {
        switch blueprint {
        case .config(let c): return c.values.map { ($0.name, ModelParameters.value(of: $0.value)) }
        case .external(let e): return [("name", .string(e.name))]
        }
    }

    /// Whether scores are predicted ratings (so RMSE and MAE mean something), as the catalogue
    /// declares it; models written in Rec: their author decides.
    public var predictsRatings: Bool { blueprint.capabilities.contains(.predictsRatings) }

    public var isFitted: Bool { trainedOn != nil }

    /// The data as the core model sees it: values dropped for models that ignore them.
    func modelInput(_ data: Interactions) -> Interactions {
        blueprint.input.values == .ignored ? data.replacingValues(nil) : data
    }

    /// Fits a fresh core model on `data` (values dropped for implicit-feedback models); the
    /// model is replaced only when the fit ends without an error.
    func fit(_ data: Interactions, context: FitContext = .none) throws {
        let m = try blueprint.make()
        let input = modelInput(data)
        try m.checkMemory(toFit: input, name: "\(displayName)(\(paramSummary))")
        let start = DispatchTime.now().uptimeNanoseconds
        try m.fit(input, context: context)
        fitSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        model = m
        trainedOn = data
    }

    /// Folds `data` into the fitted model (`IncrementalRecommender`): afterwards it stands for its
    /// old training data followed by `data`, whose new users and items it knows. The time it took
    /// is in `updateSeconds`.
    func update(_ data: Interactions, context: FitContext = .none) throws {
        guard let old = trainedOn else { throw DataError(.invalidArgument, message: "the model is not fitted: fit it before updating") }
        guard blueprint.capabilities.contains(.incremental), let m = model as? IncrementalRecommender else {
            throw DataError(.invalidArgument, message: "\(displayName) cannot be updated; fit it again on all the data "
                            + "(models that update: \(ModelCatalogue.incrementalKinds.joined(separator: ", ")))")
        }
        if blueprint.input.values != .ignored, old.values != nil, data.values == nil {
            throw DataError(.invalidArgument, message: "the model was fitted on data with values but the new events have none")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let update = TrainingUpdate(previous: modelInput(old), newEvents: modelInput(data))
        try m.update(update, context: context)
        updateSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        trainedOn = blueprint.input.values == .ignored ? old.appending(data) : update.all
    }

    /// Seconds the last `update` took.
    public private(set) var updateSeconds: Double?

    /// Puts back a fitted state saved in a workspace (see `ModelCodec`): a fresh core model gets the
    /// learned numbers, checked against the data it was fitted on, without fitting again.
    func restoreFitted(state: ModelState, trainedOn data: Interactions, fitSeconds: Double?, stoppedAfter: (Int, Int)?) throws {
        let m = try blueprint.make()
        guard let p = m as? PersistentRecommender else { throw PayloadError("a \(kind) model has no saved form") }
        try p.restore(state, training: modelInput(data))
        model = m
        trainedOn = data
        self.fitSeconds = fitSeconds
        self.stoppedAfter = stoppedAfter.map { (epoch: $0.0, of: $0.1) }
    }

    /// A fresh unfitted copy with the same parameters.
    func unfittedCopy() throws -> ModelObject {
        try ModelObject(blueprint)
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

    /// The constructor's name, or the `name:` given to a model written in Rec.
    public var displayName: String { blueprint.name }

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

