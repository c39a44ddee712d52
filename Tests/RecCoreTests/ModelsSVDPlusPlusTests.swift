import Foundation
import XCTest
@testable import RecCore

final class ModelsSVDPlusPlusTests: XCTestCase {
    /// One rating, one epoch: the update of Koren's eq. 15 rules by hand from the seeded
    /// initialisation (read from an `epochs: 0` fit with the same seed). With μ = 5 and zero
    /// biases, e = 5 − (5 + q·(p + y)) = −q·(p + y) (|N(u)| = 1, so z = y), then
    ///   b_u = b_i = γ e,  p' = p + γ(e q − λ p),  q' = q + γ(e (p + y) − λ q),  y' = y + γ(e q − λ y).
    func testOneStepByHand() throws {
        let data = try Interactions(userIDs: ["a"], itemIDs: ["x"], values: [5])
        let lr: Float = 0.1, reg: Float = 0.2
        let m0 = SVDPlusPlus(factors: 3, epochs: 0, learningRate: lr, regularization: reg, initStd: 0.5, seed: 9)
        try m0.fit(data)
        let p = m0.explicitUserFactors, q = m0.itemFactors, y = m0.implicitFactors
        XCTAssertEqual(m0.globalMean, 5)
        var e: Float = 0
        for c in 0..<3 { e -= q[c] * (p[c] + y[c]) }
        let m1 = SVDPlusPlus(factors: 3, epochs: 1, learningRate: lr, regularization: reg, initStd: 0.5, seed: 9)
        try m1.fit(data)
        XCTAssertEqual(m1.userBias![0], lr * e, accuracy: 1e-7)
        XCTAssertEqual(m1.itemBias![0], lr * e, accuracy: 1e-7)
        for c in 0..<3 {
            XCTAssertEqual(m1.explicitUserFactors[c], p[c] + lr * (e * q[c] - reg * p[c]), accuracy: 1e-6)
            XCTAssertEqual(m1.itemFactors[c], q[c] + lr * (e * (p[c] + y[c]) - reg * q[c]), accuracy: 1e-6)
            XCTAssertEqual(m1.implicitFactors[c], y[c] + lr * (e * q[c] - reg * y[c]), accuracy: 1e-6)
        }
        XCTAssertEqual(m1.lossHistory.count, 1)
        XCTAssertEqual(m1.lossHistory[0], Double(e * e), accuracy: 1e-6)
    }

    /// r̂ = μ + b_u + b_i + q_i · (p_u + |N(u)|^{-1/2} Σ_{j∈N(u)} y_j), recomputed from the parts.
    func testScoresFollowTheFormulaAndAreDeterministic() throws {
        let data = try tinyRatings()
        func fit(_ seed: UInt64) throws -> SVDPlusPlus {
            let m = SVDPlusPlus(factors: 4, epochs: 100, learningRate: 0.02, regularization: 0.02, seed: seed)
            try m.fit(data)
            return m
        }
        let a = try fit(1), b = try fit(1), c = try fit(2)
        XCTAssertEqual(bits(a.userFactors), bits(b.userFactors))
        XCTAssertEqual(bits(a.itemFactors), bits(b.itemFactors))
        XCTAssertEqual(bits(a.implicitFactors), bits(b.implicitFactors))
        XCTAssertEqual(bits(a.score(user: 2, items: [0, 1, 2, 3])), bits(b.score(user: 2, items: [0, 1, 2, 3])))
        XCTAssertNotEqual(bits(a.itemFactors), bits(c.itemFactors))
        XCTAssertLessThan(a.lossHistory.last!, 0.25 * a.lossHistory.first!)
        let f = 4
        for u in 0..<4 {
            let n = a.trainingItems.items(of: Int32(u))
            var z = [Float](repeating: 0, count: f)
            for j in n { for k in 0..<f { z[k] += a.implicitFactors[Int(j) * f + k] } }
            for i in 0..<4 {
                var s = a.globalMean + a.userBias![u] + a.itemBias![i]
                for k in 0..<f {
                    s += a.itemFactors[i * f + k] * (a.explicitUserFactors[u * f + k] + z[k] / Float(n.count).squareRoot())
                }
                XCTAssertEqual(a.score(user: Int32(u), items: [Int32(i)])[0], s, accuracy: 1e-5, "u\(u) i\(i)")
            }
        }
        // Fits the training ratings.
        XCTAssertEqual(a.score(user: 1, items: [2])[0], 5, accuracy: 0.3)
        XCTAssertEqual(a.score(user: 2, items: [3])[0], 4, accuracy: 0.3)
        XCTAssertEqual(a.score(user: 9, items: [0])[0], a.globalMean + a.itemBias![0])   // unknown user
        let e = a.explain(user: 0, item: 2)
        XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-5)
        assertBatchMatches(a, k: 2)
        XCTAssertThrowsError(try SVDPlusPlus().fit(try Interactions(userIDs: ["a"], itemIDs: ["x"])))
    }

    func testRMSEOnMovieLensU1() throws {
        let split = try MovieLens.loadSplit(try movieLensU1Directory(), name: "u1")
        let m = SVDPlusPlus(seed: 42)
        let t0 = Date()
        try m.fit(split.train)
        let seconds = Date().timeIntervalSince(t0)
        let rmse = ratingRMSE(m, split.test)
        print(String(format: "SVD++ u1 RMSE %.4f, fit %.2f s", rmse, seconds))
        XCTAssertLessThanOrEqual(rmse, 0.933)
        XCTAssertLessThan(m.lossHistory.last!, m.lossHistory.first!)
    }
}

/// The ml-100k directory when it holds the u1 split (skips otherwise).
func movieLensU1Directory() throws -> String {
    let dir = try movieLens100KDirectory()
    guard FileManager.default.fileExists(atPath: dir + "/u1.base") else { throw XCTSkip("MovieLens 100K u1 split not found") }
    return dir
}

/// RMSE of a rating model's predictions for the rows of `test` (one `score` call per user).
func ratingRMSE(_ m: Recommender, _ test: Interactions) -> Double {
    var rowsOf: [Int32: [Int]] = [:]
    for r in 0..<test.count { rowsOf[test.user[r], default: []].append(r) }
    var pred = [Double](repeating: .nan, count: test.count), truth = [Double]()
    for (u, rows) in rowsOf {
        let s = m.score(user: u, items: rows.map { test.item[$0] })
        for (r, v) in zip(rows, s) { pred[r] = Double(v) }
    }
    for r in 0..<test.count { truth.append(test.values![r]) }
    return Metrics.rmse(predictions: pred, truth: truth)
}

/// NDCG@10 with binary relevance on u1.test, training items excluded, over test users.
func topNNDCG(_ m: Recommender, train: Interactions, test: Interactions, k: Int = 10) -> Double {
    let users = (0..<Int32(train.userCount)).map { $0 }
    let relevant = ItemSets(rows: test.user, items: test.item, rowCount: train.userCount)
    return Metrics.topN(m.recommendAll(users: users, k: k).lists, relevant: relevant, k: k).ndcg.mean
}
