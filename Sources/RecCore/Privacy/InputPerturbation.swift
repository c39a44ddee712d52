// Input perturbation of ratings: the private input of `DPMatrixFactorization`.
//
// Berlioz, Friedman, Kaafar, Boreli & Berkovsky, "Applying differential privacy to matrix
// factorization", RecSys 2015, §4.1: each rating is clamped to the known range [r_min, r_max],
// Laplace noise calibrated to that range is added, and the result clamped again:
//
//     r̃_ui = clamp(clamp(r_ui) + Lap(Δr/ε), r_min, r_max),   Δr = r_max − r_min
//
// What is protected: the VALUE of each rating. Two datasets that differ in the value of one
// rating (the same users rated the same items) give perturbed data whose distributions differ
// by at most a factor e^ε. Which items a user rated — the set of (user, item) pairs, and how many
// — is NOT protected: it is released as is. A user with n ratings all changed is protected at nε
// (sequential composition). The second clamp is post-processing and costs nothing.
// (Berlioz et al. centre the ratings by privately estimated global, user and item effects
// first; here the clamped raw ratings are perturbed and the biased model learns the effects
// from the perturbed data, which keeps the whole training post-processing of one ε release.)

/// Ratings clamped and perturbed with Laplace noise: ε-DP for each rating value.
public struct InputPerturbation: Sendable {
    public let epsilon: Double
    public let minRating: Double
    public let maxRating: Double
    public var sensitivity: Double { maxRating - minRating }

    public init(epsilon: Double, minRating: Double, maxRating: Double) {
        precondition(epsilon > 0 && minRating < maxRating, "invalid input perturbation")
        self.epsilon = epsilon; self.minRating = minRating; self.maxRating = maxRating
    }

    /// The data with every value perturbed; everything else unchanged.
    public func perturbed(_ d: Interactions, seed: UInt64) throws -> Interactions {
        guard let values = d.values else {
            throw DataError(.invalidArgument, message: "input perturbation needs ratings (a value column)")
        }
        var rng = Xoshiro256(seed: seed, stream: 31)
        let b = sensitivity / epsilon
        let out = (0..<values.count).map { k -> Float in
            let r = min(max(values[k], minRating), maxRating)
            return Float(min(max(r + NoiseMechanism.laplace(scale: b, &rng), minRating), maxRating))
        }
        return d.replacingValues(.float(out))
    }
}
