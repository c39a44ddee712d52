// A differentially private most-popular chart.
//
// The release is the vector of per-item counts of distinct users, with each user's contribution
// bounded to m = max_per_user items (ContributionBounding.swift), so its L1 sensitivity to adding
// or removing one user is Δ = m; then independent noise per item (NoiseMechanisms.swift):
//
//     c̃_i = c_i + Z_i,   Z_i ~ Lap(Δ/ε)                       (Dwork et al., TCC 2006)
//                   or   P(Z_i = z) ∝ exp(−ε|z|/Δ), z ∈ ℤ      (Ghosh et al., STOC 2009)
//
// which is ε-differentially private with respect to any one user's whole history. Items are
// ranked by c̃ (ties by item index); everything after the noise is post-processing and costs no
// further privacy. Every item of the catalogue gets noise, including items nobody touched, so
// the chart does not reveal which items had any interactions at all — but the catalogue (the
// item ID space) itself is taken as public.

/// The most-popular chart released with ε-differential privacy per user.
public final class DPPopularity: DifferentiallyPrivate {
    public let name = "dp-popularity"
    public var epsilon: Double
    public var maxPerUser: Int
    public var mechanism: NoiseMechanism
    public var seed: UInt64

    /// The noisy count per item index: the released chart.
    public private(set) var counts: [Float] = []
    /// Users whose history was sampled down to `maxPerUser` items in the last fit.
    public private(set) var usersSampled = 0
    public private(set) var userCount = 0
    public private(set) var trainingItems = TrainingItems()
    public var itemCount: Int { counts.count }

    public var privacyCost: PrivacyCost { PrivacyCost(mechanism: mechanism.rawValue, epsilon: epsilon) }

    public init(epsilon: Double = DPPopularity.kind.defaultDouble("epsilon"), maxPerUser: Int = DPPopularity.kind.defaultInt("max_per_user"),
                mechanism: NoiseMechanism = NoiseMechanism(rawValue: DPPopularity.kind.defaultString("mechanism"))!,
                seed: UInt64 = UInt64(bitPattern: Int64(DPPopularity.kind.defaultInt("seed")))) {
        precondition(epsilon > 0 && maxPerUser >= 1, "invalid DPPopularity parameters")
        self.epsilon = epsilon; self.maxPerUser = maxPerUser; self.mechanism = mechanism; self.seed = seed
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        let bounded = BoundedContributions(train, maxPerUser: maxPerUser, seed: seed)
        var rng = Xoshiro256(seed: seed, stream: 29)
        counts = bounded.itemCounts.map { c in
            Float(Double(c) + mechanism.sample(sensitivity: bounded.sensitivity, epsilon: epsilon, &rng))
        }
        usersSampled = bounded.usersSampled
        userCount = train.userCount
        trainingItems = TrainingItems(train)
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == counts.count, "score buffer must have itemCount elements")
        for i in 0..<counts.count { scores[i] = counts[i] }
    }

    public func explain(user: Int32, item: Int32) -> Explanation {
        let s = score(user: user, items: [item])[0]
        return Explanation(user: user, item: item, score: s, contributions: [.init(.popularity, s)])
    }
}

extension DPPopularity: PersistentRecommender {
    public func savedState() throws -> ModelState {
        var s = ModelState()
        s.setShape(of: self)
        s.set("counts", counts)
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        counts = try state.floats("counts", count: training.itemCount)
        userCount = training.userCount
        trainingItems = seen
    }
}

extension DPPopularity {
    public static let kind = ModelKind(
        "dp_popularity", summary: "The most-popular chart released with ε-differential privacy per user.",
        details: """
        Each user's contribution is bounded to max_per_user distinct items (a seeded sample for users with more), so one user
        changes the per-item counts by at most Δ = max_per_user in L1 norm; each count then gets Laplace(Δ/ε) or two-sided
        geometric noise (α = exp(−ε/Δ)). A fit spends ε on the training data's users: see privacy_budget.
        Fix the seed for a reproducible experiment; anyone who knows the seed knows the noise.
        """,
        paper: "Dwork, McSherry, Nissim & Smith, Calibrating noise to sensitivity, TCC 2006; Ghosh, Roughgarden & Sundararajan, Universally utility-maximizing privacy mechanisms, STOC 2009",
        parameters: [
            .double("epsilon", 1.0, min: 1e-6, max: 1e6, "privacy parameter ε (smaller: more private, noisier)", search: [0.5, 1, 2]),
            .int("max_per_user", 20, 1...1_000_000, "distinct items counted per user: the sensitivity Δ", search: [10, 20, 50]),
            .choice("mechanism", "geometric", NoiseMechanism.allCases.map(\.rawValue), "\"geometric\" (integer counts) or \"laplace\""),
            .seed,
        ],
        input: .interactions, capabilities: [.ranks, .explains, .persistent],
        make: { c in
            DPPopularity(epsilon: c.double("epsilon"), maxPerUser: c.int("max_per_user"),
                         mechanism: NoiseMechanism(rawValue: c.string("mechanism"))!, seed: UInt64(bitPattern: Int64(c.int("seed"))))
        })
}
