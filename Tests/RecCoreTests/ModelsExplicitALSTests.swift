import Foundation
import XCTest
@testable import RecCore

final class ModelsExplicitALSTests: XCTestCase {
    /// One iteration with one factor, without biases, on R: from the seeded initial item values
    /// q_i (an `iterations: 0` fit), the user step is p_u = Σ_{i∈R(u)} r_ui q_i / (Σ q_i² + λ n_u)
    /// and then the item step q_i = Σ_{u∈R(i)} r_ui p_u / (Σ p_u² + λ n_i).
    func testOneIterationByHandUnbiased() throws {
        let r: [[Double]] = [[5, 4, 0, 0], [4, 0, 5, 0], [0, 5, 0, 4], [5, 0, 4, 0]]
        let lambda = 0.3
        let m0 = ExplicitALS(factors: 1, iterations: 0, regularization: Float(lambda), biased: false, seed: 3)
        try m0.fit(try tinyRatings())
        let q0 = m0.itemFactors.map(Double.init)
        let m = ExplicitALS(factors: 1, iterations: 1, regularization: Float(lambda), biased: false, seed: 3)
        try m.fit(try tinyRatings())
        var p = [Double](repeating: 0, count: 4)
        for u in 0..<4 {
            var num = 0.0, den = 0.0, n = 0.0
            for i in 0..<4 where r[u][i] > 0 { num += r[u][i] * q0[i]; den += q0[i] * q0[i]; n += 1 }
            p[u] = num / (den + lambda * n)
            XCTAssertEqual(Double(m.userFactors[u]), p[u], accuracy: 1e-5, "p_\(u)")
        }
        for i in 0..<4 {
            var num = 0.0, den = 0.0, n = 0.0
            for u in 0..<4 where r[u][i] > 0 { num += r[u][i] * p[u]; den += p[u] * p[u]; n += 1 }
            XCTAssertEqual(Double(m.itemFactors[i]), num / (den + lambda * n), accuracy: 1e-5, "q_\(i)")
        }
        XCTAssertNil(m.itemBias)
        XCTAssertEqual(m.globalMean, 0)
    }

    /// With biases the user step solves for (p_u, b_u) against (q_i, 1) and t = r_ui − μ − b_i
    /// (b_i = 0 at the start): the 2 × 2 system
    ///     [Σq² + λn   Σq     ] [p]   [Σ t q]
    ///     [Σq         n + λn ] [b] = [Σ t  ]      solved by Cramer's rule.
    func testBiasedUserStepByHand() throws {
        let r: [[Double]] = [[5, 4, 0, 0], [4, 0, 5, 0], [0, 5, 0, 4], [5, 0, 4, 0]]
        let lambda = 0.2, mu = 4.5
        let m0 = ExplicitALS(factors: 1, iterations: 0, regularization: Float(lambda), seed: 5)
        try m0.fit(try tinyRatings())
        let q0 = m0.itemFactors.map(Double.init)
        let m = ExplicitALS(factors: 1, iterations: 1, regularization: Float(lambda), seed: 5)
        try m.fit(try tinyRatings())
        XCTAssertEqual(m.globalMean, 4.5)
        for u in 0..<4 {
            var sqq = 0.0, sq = 0.0, n = 0.0, stq = 0.0, st = 0.0
            for i in 0..<4 where r[u][i] > 0 {
                let t = r[u][i] - mu
                sqq += q0[i] * q0[i]; sq += q0[i]; n += 1; stq += t * q0[i]; st += t
            }
            let a11 = sqq + lambda * n, a12 = sq, a22 = n + lambda * n
            let det = a11 * a22 - a12 * a12
            XCTAssertEqual(Double(m.userFactors[u]), (stq * a22 - a12 * st) / det, accuracy: 1e-5, "p_\(u)")
            XCTAssertEqual(Double(m.userBias![u]), (a11 * st - a12 * stq) / det, accuracy: 1e-5, "b_\(u)")
        }
    }

    func testLossNeverIncreasesAndDeterministic() throws {
        let data = try randomImplicit(users: 120, items: 70, perUser: 12, seed: 21)   // values 1…3
        func fit(_ seed: UInt64) throws -> ExplicitALS {
            let m = ExplicitALS(factors: 6, iterations: 8, regularization: 0.05, seed: seed)
            try m.fit(data)
            return m
        }
        let a = try fit(1), b = try fit(1), c = try fit(2)
        XCTAssertEqual(a.lossHistory.count, 8)
        for t in 1..<8 { XCTAssertLessThanOrEqual(a.lossHistory[t], a.lossHistory[t - 1] * (1 + 1e-5), "iteration \(t)") }
        XCTAssertEqual(bits(a.userFactors), bits(b.userFactors))   // parallel solves, same bits
        XCTAssertEqual(bits(a.itemFactors), bits(b.itemFactors))
        XCTAssertEqual(bits(a.userBias!), bits(b.userBias!))
        XCTAssertNotEqual(bits(a.itemFactors), bits(c.itemFactors))
        let e = a.explain(user: 3, item: 5)
        XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-4)
        assertBatchMatches(a, k: 5)

        let tiny = ExplicitALS(factors: 2, iterations: 20, regularization: 0.01)
        try tiny.fit(try tinyRatings())
        XCTAssertEqual(tiny.score(user: 1, items: [2])[0], 5, accuracy: 0.2)
        XCTAssertEqual(tiny.score(user: 2, items: [3])[0], 4, accuracy: 0.2)
        assertBatchMatches(tiny, k: 2)
        XCTAssertThrowsError(try ExplicitALS().fit(try Interactions(userIDs: ["a"], itemIDs: ["x"])))
    }

    func testRMSEOnMovieLensU1() throws {
        let split = try MovieLens.loadSplit(try movieLensU1Directory(), name: "u1")
        let m = ExplicitALS(factors: 10, iterations: 10, regularization: 0.1, seed: 42)
        try m.fit(split.train)
        let rmse = ratingRMSE(m, split.test)
        print(String(format: "ExplicitALS u1 RMSE %.4f", rmse))
        XCTAssertLessThan(rmse, 0.95)   // 0.9356 measured
    }
}
