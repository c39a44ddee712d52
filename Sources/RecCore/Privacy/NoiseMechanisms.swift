// The two additive noise mechanisms of differential privacy, for a query of L1 sensitivity Δ
// released with privacy parameter ε (pure ε-DP, δ = 0).
//
// Laplace mechanism (Dwork, McSherry, Nissim & Smith, "Calibrating noise to sensitivity in
// private data analysis", TCC 2006): add Lap(b) with b = Δ/ε, density p(x) = exp(−|x|/b) / 2b.
// Sampled by inversion: with U uniform on (−½, ½), X = −b · sgn(U) · ln(1 − 2|U|).
//
// Two-sided geometric mechanism (Ghosh, Roughgarden & Sundararajan, "Universally
// utility-maximizing privacy mechanisms", STOC 2009): for integer counts, add Z with
// P(Z = z) = (1 − α)/(1 + α) · α^|z|, α = exp(−ε/Δ). The release stays an integer, and it is
// the utility-maximising mechanism for count queries. Z is the difference of two independent
// geometric variables on {0, 1, …} with success probability 1 − α, each sampled by inversion:
// G = ⌊ln U / ln α⌋ for U uniform on (0, 1].
//
// The sampling uses the seeded xoshiro256** generator, so a seed reproduces a release exactly.
// That is for reproducible experiments; a release meant to protect real people should use a seed
// nobody else knows (as a cryptographic deployment would use a secure generator), since knowing
// the seed means knowing the noise.

import Foundation

/// Which noise a differentially private count release adds.
public enum NoiseMechanism: String, Sendable, CaseIterable {
    case laplace
    case geometric

    /// Draws one noise value for sensitivity `sensitivity` and privacy `epsilon`.
    public func sample(sensitivity: Double, epsilon: Double, _ rng: inout Xoshiro256) -> Double {
        switch self {
        case .laplace: return Self.laplace(scale: sensitivity / epsilon, &rng)
        case .geometric: return Double(Self.twoSidedGeometric(alpha: Foundation.exp(-epsilon / sensitivity), &rng))
        }
    }

    /// Lap(b): one draw by inversion of the CDF.
    public static func laplace(scale b: Double, _ rng: inout Xoshiro256) -> Double {
        var u = rng.nextDouble() - 0.5
        while u == -0.5 { u = rng.nextDouble() - 0.5 }  // ln(0) at the open end
        return u < 0 ? b * Foundation.log(1 + 2 * u) : -b * Foundation.log(1 - 2 * u)
    }

    /// One draw of the two-sided geometric distribution with parameter α in [0, 1).
    public static func twoSidedGeometric(alpha: Double, _ rng: inout Xoshiro256) -> Int {
        guard alpha > 0 else { return 0 }
        return geometric(alpha, &rng) - geometric(alpha, &rng)
    }

    /// Failures before the first success, success probability 1 − α: P(G = g) = (1 − α) α^g.
    static func geometric(_ alpha: Double, _ rng: inout Xoshiro256) -> Int {
        let u = 1 - rng.nextDouble()  // (0, 1]
        let g = (Foundation.log(u) / Foundation.log(alpha)).rounded(.down)
        return g < Double(Int32.max) ? Int(g) : Int(Int32.max)
    }

    /// The variance of the noise: 2b² for Laplace, 2α / (1 − α)² for the geometric.
    public func variance(sensitivity: Double, epsilon: Double) -> Double {
        switch self {
        case .laplace: let b = sensitivity / epsilon; return 2 * b * b
        case .geometric: let a = Foundation.exp(-epsilon / sensitivity); return 2 * a / ((1 - a) * (1 - a))
        }
    }
}
