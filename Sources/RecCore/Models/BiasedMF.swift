// Biased matrix factorisation trained by stochastic gradient descent ("Funk SVD").

/// Biased matrix factorisation for explicit ratings, r̂_ui = μ + b_u + b_i + p_u · q_i, trained
/// by stochastic gradient descent over the ratings in shuffled order — Simon Funk's "Netflix
/// Update" (2006) as formulated by Koren, Bell & Volinsky, "Matrix factorization techniques for
/// recommender systems" (IEEE Computer 42(8), 2009), eq. 5 and the SGD rules after it:
///
///     e = r_ui − r̂_ui
///     b_u ← b_u + γ (e − λ b_u)          b_i ← b_i + γ (e − λ b_i)
///     p_u ← p_u + γ (e q_i − λ p_u)      q_i ← q_i + γ (e p_u − λ q_i)
///
/// With `fairness` other than none, each rating's error also carries the gradient of Yao & Huang's
/// unfairness between the two groups of the user attribute `fairnessBy` (FairnessRegularizer.swift).
///
/// Defaults follow Surprise's `SVD`. Training is sequential and uses only the seeded
/// `Xoshiro256`, so the same seed and data give bit-identical factors.
public final class BiasedMF: FactorModel {
    public override var name: String { "biased-mf" }
    /// Passes over the ratings.
    public var epochs: Int
    /// SGD step size γ.
    public var learningRate: Float
    /// L2 regularisation λ of factors and biases.
    public var regularization: Float
    /// Standard deviation of the normal initialisation of the factors (mean 0).
    public var initStd: Float
    /// Learn μ, b_u, b_i (false: plain p_u · q_i, Funk's unbiased SVD).
    public var biased: Bool
    /// Seed of the factor initialisation and the per-epoch shuffles.
    public var seed: UInt64
    /// Yao & Huang's regulariser: which unfairness, its weight λ_f, and the two-valued user attribute.
    public var fairness: FairnessObjective
    public var fairnessWeight: Float
    public var fairnessBy: String?
    /// The group g of `fairnessBy` (nil: the first of exactly two, in natural order); ¬g is every other user.
    public var fairnessGroup: String?

    /// Mean squared training error of each epoch, accumulated during the pass (before each
    /// update), so it costs nothing extra.
    public internal(set) var lossHistory: [Double] = []

    public init(factors: Int = BiasedMF.kind.defaultInt("factors"), epochs: Int = BiasedMF.kind.defaultInt("epochs"),
                learningRate: Float = Float(BiasedMF.kind.defaultDouble("lr")), regularization: Float = Float(BiasedMF.kind.defaultDouble("reg")),
                initStd: Float = Float(BiasedMF.kind.defaultDouble("init_std")), biased: Bool = BiasedMF.kind.defaultBool("biased"), seed: UInt64 = UInt64(bitPattern: Int64(BiasedMF.kind.defaultInt("seed"))),
                fairness: FairnessObjective = .none, fairnessWeight: Float = Float(BiasedMF.kind.defaultDouble("fairness_weight")),
                fairnessBy: String? = nil, fairnessGroup: String? = nil) {
        self.fairness = fairness; self.fairnessWeight = fairnessWeight; self.fairnessBy = fairnessBy; self.fairnessGroup = fairnessGroup
        self.epochs = epochs; self.learningRate = learningRate; self.regularization = regularization
        self.initStd = initStd; self.biased = biased; self.seed = seed
        super.init(factors: factors)
    }

    /// Without biases a user the model does not know has no prediction at all (p_u · q_i with no
    /// p_u would be 0, far outside any rating scale): NaN, so `predict` gives nil and evaluation
    /// uses the training mean — Surprise's `SVD(biased=False)` falls back to that mean as well.
    public override func score(user: Int32, items: [Int32]) -> [Float] {
        guard biased || knownUser(user) else { return [Float](repeating: .nan, count: items.count) }
        return super.score(user: user, items: items)
    }

    public override func fit(_ train: Interactions, context: FitContext) throws {
        try requireRatings(train, model: name)
        precondition(epochs >= 0 && learningRate > 0 && regularization >= 0 && initStd >= 0,
                     "invalid BiasedMF hyper-parameters")
        let r = train.matrix(duplicates: .last)
        let nu = r.rows, ni = r.columns, f = factors, nnz = r.nnz
        // Ratings as COO in CSR order; the shuffle permutes positions.
        var rowOf = [Int32](repeating: 0, count: nnz)
        for u in 0..<nu { for k in r.rowPtr[u]..<r.rowPtr[u + 1] { rowOf[k] = Int32(u) } }
        var mean = 0.0
        for v in r.values { mean += Double(v) }
        let mu: Float = biased && nnz > 0 ? Float(mean / Double(nnz)) : 0

        var init_ = Xoshiro256(seed: seed, stream: 1)
        var p = (0..<nu * f).map { _ in Float(init_.nextGaussian()) * initStd }
        var q = (0..<ni * f).map { _ in Float(init_.nextGaussian()) * initStd }
        var bu = [Float](repeating: 0, count: nu)
        var bi = [Float](repeating: 0, count: ni)
        var order = (0..<Int32(nnz)).map { $0 }
        var losses: [Double] = []
        let lr = learningRate, reg = regularization, useBias = biased
        var fair = try fairnessRegularizer(train, users: nu)


        for epoch in 0..<epochs {
            var shuffler = Xoshiro256(seed: seed, stream: 1000 &+ UInt64(epoch))
            shuffler.shuffle(&order)
            var sse = 0.0
            // The group means behind the fairness gradient are refreshed this often (20 times an epoch).
            let refreshEvery = max(1, nnz / 20)
            order.withUnsafeBufferPointer { ord in
            rowOf.withUnsafeBufferPointer { rows in
            r.colIdx.withUnsafeBufferPointer { cols in
            r.values.withUnsafeBufferPointer { vals in
            p.withUnsafeMutableBufferPointer { P in
            q.withUnsafeMutableBufferPointer { Q in
            bu.withUnsafeMutableBufferPointer { BU in
            bi.withUnsafeMutableBufferPointer { BI in
                let P = P.baseAddress!, Q = Q.baseAddress!
                var sinceRefresh = refreshEvery
                for k in ord {
                    if fair != nil && sinceRefresh == refreshEvery {
                        fair!.refresh(users: rows, items: cols, ratings: vals, itemCount: ni) { u, i in
                            mu + BU[u] + BI[i] + dot(P + u * f, Q + i * f, f)
                        }
                        sinceRefresh = 0
                    }
                    sinceRefresh += 1
                    let k = Int(k)
                    let u = Int(rows[k]), i = Int(cols[k])
                    let pu = P + u * f, qi = Q + i * f
                    var e = vals[k] - (mu + BU[u] + BI[i] + dot(pu, qi, f))
                    sse += Double(e * e)
                    if let fair { e -= fair.correction(user: u, item: i) }
                    if useBias {
                        BU[u] += lr * (e - reg * BU[u])
                        BI[i] += lr * (e - reg * BI[i])
                    }
                    for j in 0..<f {
                        let puf = pu[j], qif = qi[j]
                        pu[j] = puf + lr * (e * qif - reg * puf)
                        qi[j] = qif + lr * (e * puf - reg * qif)
                    }
                }
            }}}}}}}}
            losses.append(nnz > 0 ? sse / Double(nnz) : 0)
            if !(try context.epochEnded(model: name, epoch: epoch + 1, of: epochs, loss: losses.last, learned: [p, q, bu, bi])) { break }
        }
        lossHistory = losses
        install(userFactors: p, itemFactors: q, userBias: biased ? bu : nil, itemBias: biased ? bi : nil,
                globalMean: mu, trainingItems: TrainingItems(train))
    }
}

extension BiasedMF {
    /// The regulariser for this fit, nil without one; the attribute must split the users in two.
    func fairnessRegularizer(_ train: Interactions, users nu: Int) throws -> FairnessRegularizer? {
        guard fairness != .none, fairnessWeight > 0 else { return nil }
        guard let by = fairnessBy else {
            throw DataError(.invalidArgument, message: "biased_mf(fairness: \"\(fairness.rawValue)\") needs by: a user attribute with two groups")
        }
        guard let labels = train.userAttributes?.groupLabels(by, alignedTo: train.users) else {
            let known = train.userAttributes?.columnNames.joined(separator: ", ") ?? "none"
            throw DataError(.invalidArgument, message: "biased_mf(): no user attribute '\(by)' to be fair between (user attributes: \(known))")
        }
        let side = try Metrics.fairnessSides(labels: labels, attribute: by, group: fairnessGroup, users: nu)
        return FairnessRegularizer(objective: fairness, weight: fairnessWeight, side: side)
    }

    public static let kind = ModelKind(
        "biased_mf", summary: "Matrix factorization with biases trained by SGD: r̂ = μ + b_u + b_i + p_u·q_i.",
        details: """
        Needs ratings. The defaults were chosen on a validation split of MovieLens u1.base; Surprise's SVD defaults are
        factors: 100, epochs: 20, lr: 0.005, reg: 0.02. model.loss lists the training MSE per epoch.
        fairness: "value", "absolute", "under", "over" or "nonparity" adds Yao & Huang's (NeurIPS 2017) unfairness between the two
        groups of the user attribute by: (e.g. "gender"; with more than two, group: names g and ¬g is everyone else) to the loss with weight fairness_weight (docs/fairness.md).
        """,
        paper: "Koren, Bell & Volinsky, Matrix factorization techniques for recommender systems, IEEE Computer 2009; Funk 2006",
        parameters: [
            .int("factors", 50, 1...10_000, "latent dimensions", search: [20, 50, 100]),
            .int("epochs", 40, 0...1_000_000, "passes of SGD over the ratings", search: [20, 40]),
            .double("lr", 0.01, min: 0, exclusive: true, "SGD learning rate", search: [0.005, 0.01]),
            .double("reg", 0.1, min: 0, "L2 regularization of factors and biases", search: [0.02, 0.05, 0.1]),
            .double("init_std", 0.1, min: 0, "standard deviation of the initial factors"),
            .bool("biased", true, "learn μ, b_u and b_i as well as the factors"),
            .seed,
            .choice("fairness", "none", FairnessObjective.allCases.map(\.rawValue),
                    "Yao & Huang's unfairness penalised in training, between the two groups of by:"),
            .double("fairness_weight", 1.0, min: 0, "weight λ_f of the fairness penalty"),
            HyperParameter("by", .text, default: .none, doc: "the user attribute whose groups fairness: compares"),
            HyperParameter("group", .text, default: .none, doc: "the group g compared with all other users (default: the first of two)"),
        ],
        input: { c in c.string("fairness") == "none" ? .ratings : ModelInput(values: .required, userAttributes: true) },
        capabilities: { _ in [.predictsRatings, .ranks, .explains, .similarItems, .lossHistory, .persistent, .incremental] },
        check: { c throws(ModelConfigError) in
            if c.string("fairness") != "none" && c.optionalString("by") == nil {
                throw ModelConfigError(parameter: "by", message: "fairness: \"\(c.string("fairness"))\" needs by: a user attribute with two groups (e.g. \"gender\")")
            }
        },
        make: { c in
            BiasedMF(factors: c.int("factors"), epochs: c.int("epochs"), learningRate: c.float("lr"), regularization: c.float("reg"),
                     initStd: c.float("init_std"), biased: c.bool("biased"), seed: UInt64(bitPattern: Int64(c.int("seed"))),
                     fairness: FairnessObjective(rawValue: c.string("fairness")) ?? .none, fairnessWeight: c.float("fairness_weight"),
                     fairnessBy: c.optionalString("by"), fairnessGroup: c.optionalString("group"))
        })
}
