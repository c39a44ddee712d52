// Global mean plus regularised user and item biases.

/// The baseline predictor b_ui = μ + b_u + b_i of Koren, "Factor in the neighbors: scalable and
/// accurate collaborative filtering" (ACM TKDD 4(1), 2010), §2.1.
///
/// The biases minimise Σ (r_ui − μ − b_u − b_i)² + λ_u Σ b_u² + λ_i Σ b_i² by alternating
/// least squares, each step in closed form:
///
///     b_i = Σ_{u∈R(i)} (r_ui − μ − b_u) / (λ_i + |R(i)|)
///     b_u = Σ_{i∈R(u)} (r_ui − μ − b_i) / (λ_u + |R(u)|)
///
/// starting from b_u = 0 with the item step. One iteration is Koren's (and LensKit `Bias`'s)
/// one-pass estimate with damping terms λ_i, λ_u; more iterations converge to the joint
/// regularised least-squares solution. Repeated (user, item) ratings: the latest counts.
/// Users or items without ratings get bias 0.
public final class BiasBaseline: Recommender {
    public let name = "bias"
    /// Damping of the item biases λ_i (Koren uses 25 on Netflix; LensKit's default is 5).
    public var itemDamping: Double
    /// Damping of the user biases λ_u (Koren: 10).
    public var userDamping: Double
    /// Alternating passes (item step then user step); 1 = the one-pass estimate.
    public var iterations: Int

    public private(set) var globalMean: Float = 0
    public private(set) var userBias: [Float] = []
    public private(set) var itemBias: [Float] = []
    public private(set) var trainingItems = TrainingItems()
    public var userCount: Int { userBias.count }
    public var itemCount: Int { itemBias.count }

    public init(itemDamping: Double = BiasBaseline.kind.defaultDouble("item_damping"), userDamping: Double = BiasBaseline.kind.defaultDouble("user_damping"),
                iterations: Int = BiasBaseline.kind.defaultInt("iterations")) {
        self.itemDamping = itemDamping; self.userDamping = userDamping; self.iterations = iterations
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        try requireRatings(train, model: name)
        precondition(iterations >= 1 && itemDamping >= 0 && userDamping >= 0, "invalid bias hyper-parameters")
        let r = train.matrix(duplicates: .last)
        let c = r.transposed()
        let nnz = r.nnz
        var mu = 0.0
        for v in r.values { mu += Double(v) }
        mu = nnz > 0 ? mu / Double(nnz) : 0
        var bu = [Double](repeating: 0, count: r.rows)
        var bi = [Double](repeating: 0, count: r.columns)
        for _ in 0..<iterations {
            for i in 0..<c.rows {
                var s = 0.0
                for k in c.rowPtr[i]..<c.rowPtr[i + 1] { s += Double(c.values[k]) - mu - bu[Int(c.colIdx[k])] }
                bi[i] = s / (itemDamping + Double(c.rowCount(i)))
                if c.rowCount(i) == 0 { bi[i] = 0 }
            }
            for u in 0..<r.rows {
                var s = 0.0
                for k in r.rowPtr[u]..<r.rowPtr[u + 1] { s += Double(r.values[k]) - mu - bi[Int(r.colIdx[k])] }
                bu[u] = r.rowCount(u) == 0 ? 0 : s / (userDamping + Double(r.rowCount(u)))
            }
        }
        globalMean = Float(mu)
        userBias = bu.map { Float($0) }
        itemBias = bi.map { Float($0) }
        trainingItems = TrainingItems(train)
    }

    @inline(__always)
    func bias(of user: Int32) -> Float { user >= 0 && Int(user) < userBias.count ? userBias[Int(user)] : 0 }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == itemBias.count, "score buffer must have itemCount elements")
        let base = globalMean + bias(of: user)
        itemBias.withUnsafeBufferPointer { b in for i in 0..<b.count { scores[i] = base + b[i] } }
    }

    public func score(user: Int32, items: [Int32]) -> [Float] {
        let base = globalMean + bias(of: user)
        // Past the fitted range: an item without history (μ + b_u).
        return items.map { $0 < 0 ? .nan : Int($0) < itemBias.count ? base + itemBias[Int($0)] : base }
    }

    public func explain(user: Int32, item: Int32) -> Explanation {
        let ib: Float = item >= 0 && Int(item) < itemBias.count ? itemBias[Int(item)] : .nan
        return Explanation(user: user, item: item, score: score(user: user, items: [item])[0],
                           contributions: [.init(.globalMean, globalMean), .init(.userBias, bias(of: user)),
                                           .init(.itemBias, ib)])
    }
}

extension BiasBaseline: PersistentRecommender {
    public func savedState() throws -> ModelState {
        var s = ModelState()
        s.setShape(of: self)
        s.set("globalMean", scalar: globalMean)
        s.set("userBias", userBias)
        s.set("itemBias", itemBias)
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        let mu = try state.float("globalMean")
        let bu = try state.floats("userBias", count: training.userCount)
        let bi = try state.floats("itemBias", count: training.itemCount)
        globalMean = mu; userBias = bu; itemBias = bi
        trainingItems = seen
    }
}

extension BiasBaseline {
    public static let kind = ModelKind(
        "bias_baseline", summary: "Global mean plus damped user and item biases: r̂ = μ + b_u + b_i.",
        details: "Needs ratings. The dampings shrink the biases of users and items with few ratings towards 0.",
        paper: "Koren, Factor in the neighbors: scalable and accurate collaborative filtering, TKDD 2010 (damping as in LensKit's Bias)",
        parameters: [
            .double("item_damping", 5, min: 0, "pseudo-ratings shrinking each item's bias towards 0", search: [0, 5, 25]),
            .double("user_damping", 5, min: 0, "pseudo-ratings shrinking each user's bias towards 0", search: [0, 5, 25]),
            .int("iterations", 10, 1...1_000_000, "alternating passes over user and item biases"),
        ],
        input: .ratings, capabilities: [.predictsRatings, .ranks, .explains, .persistent],
        make: { c in BiasBaseline(itemDamping: c.double("item_damping"), userDamping: c.double("user_damping"), iterations: c.int("iterations")) })
}
