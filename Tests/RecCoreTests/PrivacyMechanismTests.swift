import Foundation
import XCTest
@testable import RecCore

/// The differential privacy mechanisms themselves: the noise has the distribution the proofs
/// assume (checked statistically on seeded draws), and the sensitivity is what the noise is
/// calibrated to.
final class PrivacyMechanismTests: XCTestCase {
    /// Kolmogorov–Smirnov: sup |F_n − F| over 20 000 Laplace(2) draws, against the critical value
    /// at α = 0.001 (1.95 / √n ≈ 0.0138). The moments too: mean 0, variance 2b² = 8.
    func testLaplaceNoiseFollowsTheLaplaceDistribution() {
        var rng = Xoshiro256(seed: 11)
        let b = 2.0, n = 20_000
        let xs = (0..<n).map { _ in NoiseMechanism.laplace(scale: b, &rng) }.sorted()
        func cdf(_ x: Double) -> Double { x < 0 ? 0.5 * exp(x / b) : 1 - 0.5 * exp(-x / b) }
        var d = 0.0
        for (k, x) in xs.enumerated() {
            d = max(d, abs(Double(k + 1) / Double(n) - cdf(x)), abs(cdf(x) - Double(k) / Double(n)))
        }
        XCTAssertLessThan(d, 1.95 / Double(n).squareRoot(), "KS statistic")
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        XCTAssertEqual(mean, 0, accuracy: 4 * (2 * b * b / Double(n)).squareRoot())
        XCTAssertEqual(variance, NoiseMechanism.laplace.variance(sensitivity: b, epsilon: 1), accuracy: 0.05 * 8)
        // A KS test that can fail: the same draws are far from Laplace(1).
        var d1 = 0.0
        for (k, x) in xs.enumerated() { d1 = max(d1, abs(Double(k + 1) / Double(n) - (x < 0 ? 0.5 * exp(x) : 1 - 0.5 * exp(-x)))) }
        XCTAssertGreaterThan(d1, 0.1)
    }

    /// The two-sided geometric pmf P(z) = (1 − α)/(1 + α) α^|z| for z in −6…6, each frequency within
    /// 4.5 binomial standard deviations, and a χ² over those cells below the 0.999 quantile of
    /// χ²(13) (34.5, with the tails pooled into a 14th cell).
    func testGeometricNoiseFollowsTheTwoSidedGeometricDistribution() {
        var rng = Xoshiro256(seed: 5)
        let epsilon = 0.5, sensitivity = 1.0, n = 50_000
        let alpha = exp(-epsilon / sensitivity)
        var freq: [Int: Int] = [:]
        var sum = 0.0, sq = 0.0
        for _ in 0..<n {
            let z = NoiseMechanism.twoSidedGeometric(alpha: alpha, &rng)
            freq[z, default: 0] += 1
            sum += Double(z); sq += Double(z * z)
        }
        var chi2 = 0.0, inside = 0.0
        for z in -6...6 {
            let p = (1 - alpha) / (1 + alpha) * pow(alpha, Double(abs(z)))
            inside += p
            let expected = p * Double(n), observed = Double(freq[z] ?? 0)
            XCTAssertEqual(observed, expected, accuracy: 4.5 * (Double(n) * p * (1 - p)).squareRoot(), "z = \(z)")
            chi2 += (observed - expected) * (observed - expected) / expected
        }
        let tailExpected = (1 - inside) * Double(n)
        let tailObserved = Double(freq.filter { abs($0.key) > 6 }.values.reduce(0, +))
        chi2 += (tailObserved - tailExpected) * (tailObserved - tailExpected) / tailExpected
        XCTAssertLessThan(chi2, 34.5)
        XCTAssertEqual(sum / Double(n), 0, accuracy: 0.05)
        let v = NoiseMechanism.geometric.variance(sensitivity: sensitivity, epsilon: epsilon)
        XCTAssertEqual(sq / Double(n), v, accuracy: 0.05 * v)
        // Noise scales with Δ/ε: Δ = 20, ε = 1 gives α = e^(−1/20).
        XCTAssertEqual(NoiseMechanism.geometric.variance(sensitivity: 20, epsilon: 1), 2 * exp(-0.05) / pow(1 - exp(-0.05), 2), accuracy: 1e-9)
    }

    /// Edge parameters stay finite: ε tiny against Δ, and α = 0 (no noise).
    func testNoiseStaysFiniteAtTheDeclaredLimits() {
        var rng = Xoshiro256(seed: 1)
        for _ in 0..<1000 {
            XCTAssertTrue(NoiseMechanism.geometric.sample(sensitivity: 1_000_000, epsilon: 1e-6, &rng).isFinite)
            XCTAssertTrue(NoiseMechanism.laplace.sample(sensitivity: 1_000_000, epsilon: 1e-6, &rng).isFinite)
        }
        XCTAssertEqual(NoiseMechanism.twoSidedGeometric(alpha: 0, &rng), 0)
    }

    static func log(_ pairs: [(String, String)]) -> Interactions {
        try! Interactions(userIDs: pairs.map(\.0), itemIDs: pairs.map(\.1))
    }

    /// Bounding: a user with 30 distinct items (one of them repeated) counts 5; users with fewer count
    /// each distinct item once. Removing any one user changes the count vector by at most
    /// max_per_user in L1 norm — the sensitivity the noise is calibrated to — and exactly by what
    /// that user contributed, because no other user's sample depends on them.
    func testContributionBoundingLimitsTheSensitivity() {
        var pairs: [(String, String)] = (0..<30).map { ("heavy", "i\($0)") } + [("heavy", "i0")]
        for u in 0..<12 { for j in 0..<(u % 7 + 1) { pairs.append(("u\(u)", "i\((u + j * 3) % 30)")) } }
        pairs.append(("u0", "i0")); pairs.append(("u0", "i0"))
        let all = Self.log(pairs)
        let b = BoundedContributions(all, maxPerUser: 5, seed: 3)
        XCTAssertEqual(b.sensitivity, 5)
        XCTAssertEqual(b.usersSampled, 3)  // heavy (30 items), u5 (6 items) and u6 (7 items)
        let distinct = Set(pairs.map { "\($0.0) \($0.1)" })
        var expectedTotal = 0
        for u in Set(pairs.map(\.0)) { expectedTotal += min(5, distinct.filter { $0.hasPrefix(u + " ") }.count) }
        XCTAssertEqual(b.itemCounts.reduce(0, +), expectedTotal)
        for removed in Set(pairs.map(\.0)) {
            let rest = Self.log(pairs.filter { $0.0 != removed })
            let c = BoundedContributions(rest, maxPerUser: 5, seed: 3)
            var l1 = 0
            for i in 0..<all.itemCount {
                let other = rest.items.index(of: all.items.key(at: i)).map { c.itemCounts[Int($0)] } ?? 0
                l1 += abs(b.itemCounts[i] - other)
            }
            XCTAssertLessThanOrEqual(l1, 5, "removing \(removed)")
            XCTAssertEqual(l1, min(5, distinct.filter { $0.hasPrefix(removed + " ") }.count), "removing \(removed)")
        }
    }

    /// With ε so large the noise vanishes, the DP chart is the bounded distinct-user count; with a
    /// finite ε the noise on each item has the declared spread.
    func testDPPopularityIsTheBoundedCountPlusNoise() throws {
        let d = CatalogueContractTests.data
        let exact = BoundedContributions(d, maxPerUser: 3, seed: 9).itemCounts
        let m = DPPopularity(epsilon: 1e6, maxPerUser: 3, mechanism: .laplace, seed: 9)
        try m.fit(d)
        for (c, e) in zip(m.counts, exact) { XCTAssertEqual(Double(c), Double(e), accuracy: 1e-3) }
        let g = DPPopularity(epsilon: 1e6, maxPerUser: 3, mechanism: .geometric, seed: 9)
        try g.fit(d)
        XCTAssertEqual(g.counts, exact.map { Float($0) })
        // Geometric noise keeps counts integral; different seeds give different noise.
        let a = DPPopularity(epsilon: 0.5, maxPerUser: 3, mechanism: .geometric, seed: 1), b = DPPopularity(epsilon: 0.5, maxPerUser: 3, mechanism: .geometric, seed: 2)
        try a.fit(d); try b.fit(d)
        XCTAssertTrue(a.counts.allSatisfy { $0 == $0.rounded() })
        XCTAssertNotEqual(a.counts, b.counts)
        XCTAssertEqual(a.privacyCost, PrivacyCost(mechanism: "geometric", epsilon: 0.5))
    }

    /// Input perturbation: values are clamped to the rating range before and after the noise; at a
    /// huge ε a rating comes back as its clamped self, and the noise scale is Δr/ε.
    func testInputPerturbationClampsAndCalibratesToTheRatingRange() throws {
        let d = try Interactions(userIDs: ["a", "a", "b", "c"], itemIDs: ["x", "y", "x", "y"], values: [7, 0.5, 3, 4.25])
        let p = InputPerturbation(epsilon: 1e9, minRating: 1, maxRating: 5)
        XCTAssertEqual(p.sensitivity, 4)
        XCTAssertEqual(try p.perturbed(d, seed: 1).values?.floats ?? [], [5, 1, 3, 4.25])
        let noisy = try InputPerturbation(epsilon: 0.1, minRating: 1, maxRating: 5).perturbed(d, seed: 1)
        XCTAssertTrue(noisy.values!.floats.allSatisfy { $0 >= 1 && $0 <= 5 })
        XCTAssertEqual(noisy.user, d.user)  // which items were rated is released as is
        XCTAssertThrowsError(try p.perturbed(d.replacingValues(nil), seed: 1))
        // The noise before the second clamp: a rating in the middle of a wide range (ε = 20: b = 100,
        // so a clamp at ±1000 is 10 scales away and almost never happens), many draws.
        let many = try Interactions(userIDs: (0..<20_000).map { "u\($0)" }, itemIDs: Array(repeating: "x", count: 20_000),
                                    values: Array(repeating: 0, count: 20_000))
        let wide = try InputPerturbation(epsilon: 20, minRating: -1000, maxRating: 1000).perturbed(many, seed: 4).values!.floats.map(Double.init)
        let variance = wide.reduce(0) { $0 + $1 * $1 } / Double(wide.count)
        XCTAssertEqual(variance, 2 * pow(2000 / 20.0, 2), accuracy: 0.05 * 2 * pow(100, 2))
    }

    func testDPMatrixFactorizationTrainsOnPerturbedRatings() throws {
        let d = CatalogueContractTests.data
        // At a huge ε it is biased_mf on the (clamped, here unchanged) ratings, bit for bit.
        let dp = DPMatrixFactorization(epsilon: 1e9, minRating: 1, maxRating: 5, factors: 4, epochs: 5, learningRate: 0.01,
                                       regularization: 0.1, initStd: 0.1, seed: 3)
        let mf = BiasedMF(factors: 4, epochs: 5, learningRate: 0.01, regularization: 0.1, initStd: 0.1, biased: true, seed: 3)
        try dp.fit(d); try mf.fit(d)
        XCTAssertEqual(dp.userFactors, mf.userFactors)
        XCTAssertEqual(dp.itemBias, mf.itemBias)
        let noisy = DPMatrixFactorization(epsilon: 0.1, minRating: 1, maxRating: 5, factors: 4, epochs: 5, learningRate: 0.01,
                                          regularization: 0.1, initStd: 0.1, seed: 3)
        try noisy.fit(d)
        XCTAssertNotEqual(noisy.userFactors, mf.userFactors)
        XCTAssertEqual(noisy.privacyCost.epsilon, 0.1)
        XCTAssertThrowsError(try DPMatrixFactorization.kind.configure(["min_rating": .double(5), "max_rating": .double(5)]))
    }
}
