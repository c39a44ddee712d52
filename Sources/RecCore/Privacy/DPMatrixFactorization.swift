// Differentially private matrix factorisation by input perturbation.
//
// The ratings are perturbed once (InputPerturbation.swift: r̃ = clamp(clamp(r) + Lap(Δr/ε)),
// Berlioz et al., RecSys 2015), then `BiasedMF` is trained on r̃ exactly as on real ratings
// (r̂_ui = μ + b_u + b_i + p_u · q_i by SGD, Koren, Bell & Volinsky 2009). Training only reads
// the perturbed ratings, so the model — and every recommendation made from it — is
// post-processing of an ε-DP release of the rating values (Dwork & Roth 2014, Prop. 2.1).
// Protected: each rating's value. Not protected: which items each user rated.

/// Biased matrix factorisation trained on Laplace-perturbed ratings.
public final class DPMatrixFactorization: FactorModel, DifferentiallyPrivate {
    public override var name: String { "dp-mf" }
    public let perturbation: InputPerturbation
    public let epochs: Int, learningRate: Float, regularization: Float, initStd: Float, seed: UInt64

    public var privacyCost: PrivacyCost { PrivacyCost(mechanism: "laplace input perturbation", epsilon: perturbation.epsilon) }

    public init(epsilon: Double, minRating: Double, maxRating: Double, factors: Int, epochs: Int,
                learningRate: Float, regularization: Float, initStd: Float, seed: UInt64) {
        perturbation = InputPerturbation(epsilon: epsilon, minRating: minRating, maxRating: maxRating)
        self.epochs = epochs; self.learningRate = learningRate; self.regularization = regularization
        self.initStd = initStd; self.seed = seed
        super.init(factors: factors)
    }

    public override func fit(_ train: Interactions, context: FitContext) throws {
        try requireRatings(train, model: name)
        let noisy = try perturbation.perturbed(train, seed: seed)
        let mf = BiasedMF(factors: factors, epochs: epochs, learningRate: learningRate, regularization: regularization,
                          initStd: initStd, biased: true, seed: seed)
        try mf.fit(noisy, context: context)
        install(userFactors: mf.userFactors, itemFactors: mf.itemFactors, userBias: mf.userBias, itemBias: mf.itemBias,
                globalMean: mf.globalMean, trainingItems: mf.trainingItems)
    }
}

extension DPMatrixFactorization {
    public static let kind = ModelKind(
        "dp_mf", summary: "Biased matrix factorization trained on ratings perturbed with ε-differential privacy (input perturbation).",
        details: """
        Needs ratings. Each rating is clamped to min_rating…max_rating, gets Laplace((max_rating − min_rating)/ε) noise and is
        clamped again; biased_mf is then trained on the perturbed ratings. Protected: the value of each rating (ε per rating).
        Not protected: which items a user rated. A fit spends ε on the training data's users: see privacy_budget.
        """,
        paper: "Berlioz, Friedman, Kaafar, Boreli & Berkovsky, Applying differential privacy to matrix factorization, RecSys 2015",
        parameters: [
            .double("epsilon", 1.0, min: 1e-6, max: 1e6, "privacy parameter ε per rating value", search: [0.5, 1, 2]),
            .double("min_rating", 1, min: -10, max: 10, "lowest rating: values below are clamped"),
            .double("max_rating", 5, min: -10, max: 10, "highest rating: values above are clamped"),
            .int("factors", 50, 1...10_000, "latent dimensions", search: [20, 50]),
            .int("epochs", 40, 0...1_000_000, "passes of SGD over the perturbed ratings"),
            .double("lr", 0.01, min: 0, exclusive: true, "SGD learning rate"),
            .double("reg", 0.1, min: 0, "L2 regularization of factors and biases"),
            .double("init_std", 0.1, min: 0, "standard deviation of the initial factors"),
            .seed,
        ],
        input: .ratings, capabilities: [.predictsRatings, .ranks, .explains, .similarItems, .persistent],
        check: { c throws(ModelConfigError) in
            guard c.double("min_rating") < c.double("max_rating") else {
                throw ModelConfigError(parameter: "max_rating", message: "max_rating must be greater than min_rating")
            }
        },
        make: { c in
            DPMatrixFactorization(epsilon: c.double("epsilon"), minRating: c.double("min_rating"), maxRating: c.double("max_rating"),
                                  factors: c.int("factors"), epochs: c.int("epochs"), learningRate: c.float("lr"),
                                  regularization: c.float("reg"), initStd: c.float("init_std"),
                                  seed: UInt64(bitPattern: Int64(c.int("seed"))))
        })
}
