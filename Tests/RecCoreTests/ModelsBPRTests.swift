import Foundation
import XCTest
@testable import RecCore

final class ModelsBPRTests: XCTestCase {
    /// One user with item x of the two items {x, y}: every draw is (u, x, y). One epoch = one
    /// draw, by hand from the seeded initialisation (an `epochs: 0` fit): x̂_uxy = p·(q_x − q_y)
    /// (biases start at 0), g = 1/(1 + e^{x̂}), then
    ///   p' = p + α(g(q_x − q_y) − λp),  q_x' = q_x + α(g p − λq_x),  q_y' = q_y + α(−g p − λq_y),
    ///   b_x = α g,  b_y = −α g.
    func testOneDrawByHand() throws {
        var users = IDMap(), items = IDMap()
        users.intern("a"); items.intern("x"); items.intern("y")
        let data = try Interactions(users: users, items: items, user: [0], item: [0])
        let lr: Float = 0.5, reg: Float = 0.1
        let m0 = BPR(factors: 3, epochs: 0, learningRate: lr, regularization: reg, seed: 4)
        try m0.fit(data)
        let p = m0.userFactors, q = m0.itemFactors
        XCTAssertTrue(p.allSatisfy { abs($0) < 0.5 / 3 })
        var x: Float = 0
        for c in 0..<3 { x += p[c] * (q[c] - q[3 + c]) }
        let g = 1 / (1 + expf(x))
        let m = BPR(factors: 3, epochs: 1, learningRate: lr, regularization: reg, seed: 4)
        try m.fit(data)
        for c in 0..<3 {
            XCTAssertEqual(m.userFactors[c], p[c] + lr * (g * (q[c] - q[3 + c]) - reg * p[c]), accuracy: 1e-6)
            XCTAssertEqual(m.itemFactors[c], q[c] + lr * (g * p[c] - reg * q[c]), accuracy: 1e-6)
            XCTAssertEqual(m.itemFactors[3 + c], q[3 + c] + lr * (-g * p[c] - reg * q[3 + c]), accuracy: 1e-6)
        }
        XCTAssertEqual(m.itemBias!, [lr * g, -lr * g])
        XCTAssertEqual(m.lossHistory[0], -log(1 / (1 + exp(-Double(x)))), accuracy: 1e-6)
        // Without the bias, the item bias stays absent.
        let nb = BPR(factors: 3, epochs: 1, learningRate: lr, regularization: reg, itemBias: false, seed: 4)
        try nb.fit(data)
        XCTAssertNil(nb.itemBias)
        XCTAssertEqual(bits(nb.userFactors), bits(m.userFactors))   // b = 0 before the only draw
    }

    func testLearnsRankingDeterministically() throws {
        let data = try randomImplicit(users: 150, items: 40, perUser: 8, seed: 11)
        func fit(_ seed: UInt64) throws -> BPR {
            let m = BPR(factors: 8, epochs: 40, learningRate: 0.05, regularization: 0.01, seed: seed)
            try m.fit(data)
            return m
        }
        let a = try fit(5), b = try fit(5), c = try fit(6)
        XCTAssertEqual(bits(a.userFactors), bits(b.userFactors))
        XCTAssertEqual(bits(a.itemFactors), bits(b.itemFactors))
        XCTAssertEqual(bits(a.itemBias!), bits(b.itemBias!))
        XCTAssertNotEqual(bits(a.itemFactors), bits(c.itemFactors))
        XCTAssertLessThan(a.lossHistory.last!, a.lossHistory.first!)
        // In-sample AUC: a user's own items above the others for most pairs.
        var wins = 0, pairs = 0
        for u in 0..<Int32(a.userCount) {
            let s = a.score(user: u, items: (0..<40).map { $0 })
            let mine = Set(a.trainingItems.items(of: u))
            for i in mine { for j in 0..<40 where !mine.contains(Int32(j)) { pairs += 1; if s[Int(i)] > s[j] { wins += 1 } } }
        }
        XCTAssertGreaterThan(Double(wins) / Double(pairs), 0.8)
        let e = a.explain(user: 2, item: 7)
        XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-5)
        assertBatchMatches(a, k: 5)
    }

    func testBeatsPopularityOnMovieLensU1() throws {
        let split = try MovieLens.loadSplit(try movieLensU1Directory(), name: "u1")
        let train = split.train.replacingValues(nil)
        let pop = Popularity()
        try pop.fit(train)
        let m = BPR(factors: 32, epochs: 30, seed: 42)   // defaults (64, 50): 0.509
        try m.fit(train)
        let popNDCG = topNNDCG(pop, train: train, test: split.test)
        let bprNDCG = topNNDCG(m, train: train, test: split.test)
        print(String(format: "u1 NDCG@10 popularity %.4f BPR %.4f", popNDCG, bprNDCG))
        XCTAssertGreaterThan(bprNDCG, popNDCG)
    }
}
