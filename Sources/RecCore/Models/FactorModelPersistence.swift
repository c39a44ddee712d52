// Saving and restoring latent-factor models: the shared storage here, each subclass's extras
// (loss histories, SVD++'s implicit factors) through `FactorModelExtras`.

/// State a `FactorModel` subclass keeps beyond the shared factors and biases. The conformances
/// live in this file rather than in the subclasses, whose training code they do not touch.
protocol FactorModelExtras: FactorModel {
    func saveExtras(into state: inout ModelState)
    /// Validates the extras against the training shape, then sets them (all or nothing).
    func restoreExtras(from state: ModelState, users: Int, items: Int) throws
}

/// Factors, biases and μ are stored; `itemNorms` are recomputed by `install` (the same
/// arithmetic as after `fit`, so the same bits).
extension FactorModel: PersistentRecommender {
    public func savedState() throws -> ModelState {
        var s = ModelState()
        s.setShape(of: self)
        s.set("factors", scalar: factors)
        s.set("userFactors", userFactors)
        s.set("itemFactors", itemFactors)
        if let userBias { s.set("userBias", userBias) }
        if let itemBias { s.set("itemBias", itemBias) }
        s.set("globalMean", scalar: globalMean)
        (self as? FactorModelExtras)?.saveExtras(into: &s)
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        let f = try state.int("factors")
        guard f == factors else {
            throw PayloadError("model state: \(name) was saved with \(f) factors, this model has \(factors)")
        }
        let nu = training.userCount, ni = training.itemCount
        let p = try state.floats("userFactors", count: nu * f)
        let q = try state.floats("itemFactors", count: ni * f)
        let bu = state.contains("userBias") ? try state.floats("userBias", count: nu) : nil
        let bi = state.contains("itemBias") ? try state.floats("itemBias", count: ni) : nil
        let mu = try state.float("globalMean")
        try (self as? FactorModelExtras)?.restoreExtras(from: state, users: nu, items: ni)
        install(userFactors: p, itemFactors: q, userBias: bu, itemBias: bi, globalMean: mu, trainingItems: seen)
    }
}

// The loss histories keep the keys they were first saved under, so older workspaces still load.
extension BiasedMF: FactorModelExtras {
    func saveExtras(into state: inout ModelState) { state.set("epochLoss", lossHistory) }
    func restoreExtras(from state: ModelState, users: Int, items: Int) throws { lossHistory = try state.doubles("epochLoss") }
}

extension ExplicitALS: FactorModelExtras {
    func saveExtras(into state: inout ModelState) { state.set("lossHistory", lossHistory) }
    func restoreExtras(from state: ModelState, users: Int, items: Int) throws { lossHistory = try state.doubles("lossHistory") }
}

extension ImplicitALS: FactorModelExtras {
    func saveExtras(into state: inout ModelState) { state.set("lossHistory", lossHistory) }
    func restoreExtras(from state: ModelState, users: Int, items: Int) throws { lossHistory = try state.doubles("lossHistory") }
}

extension BPR: FactorModelExtras {
    /// Saved as the log-likelihood it once was recorded as (the loss negated).
    func saveExtras(into state: inout ModelState) { state.set("epochLogLikelihood", lossHistory.map { -$0 }) }
    func restoreExtras(from state: ModelState, users: Int, items: Int) throws {
        lossHistory = try state.doubles("epochLogLikelihood").map { -$0 }
    }
}

/// SVD++ scores with the effective user vectors p_u + z_u (the shared `userFactors`); the bare p_u
/// and the y_j are public too, so they are kept as well rather than recomputed.
extension SVDPlusPlus: FactorModelExtras {
    func saveExtras(into state: inout ModelState) {
        state.set("explicitUserFactors", explicitUserFactors)
        state.set("implicitFactors", implicitFactors)
        state.set("epochLoss", lossHistory)
    }

    func restoreExtras(from state: ModelState, users: Int, items: Int) throws {
        let p = try state.floats("explicitUserFactors", count: users * factors)
        let y = try state.floats("implicitFactors", count: items * factors)
        let losses = try state.doubles("epochLoss")
        explicitUserFactors = p; implicitFactors = y; lossHistory = losses
    }
}
