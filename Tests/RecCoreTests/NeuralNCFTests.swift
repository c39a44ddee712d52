import Foundation
import XCTest
@testable import RecCore

final class NeuralNCFTests: XCTestCase {
    /// The 4 × 4 matrix of `tinyRatings` as implicit feedback: u0 {i0, i1}, u1 {i0, i2},
    /// u2 {i1, i3}, u3 {i0, i2}.
    func tinyImplicit() throws -> Interactions { try tinyRatings().replacingValues(nil) }

    func tinyModel(seed: UInt64 = 7, epochs: Int = 100) -> NCF {
        NCF(factors: 8, hiddenLayers: [16, 8], epochs: epochs, learningRate: 0.01, batchSize: 4, negatives: 4,
            regularization: 0.01, seed: seed)
    }

    func scores(_ m: Recommender, _ user: Int32) -> [Float] {
        let buf = UnsafeMutableBufferPointer<Float>.allocate(capacity: m.itemCount)
        defer { buf.deallocate() }
        m.scoreAll(user: user, into: buf)
        return Array(buf)
    }

    /// Leave one pair out and check the user's top recommendation. Without (u2, i3), i3 has no
    /// training row left: the model does not know it, so u2's list has only the two others.
    /// - Without (u0, i1), u0 has only i0; both other i0 users (u1, u3) also have i2, and i2 is
    ///   the more popular of the candidates i1, i2, i3 → i2 first.
    /// - Without (u2, i3), u2 has only i1, whose only other user u0 also has i0, the most popular
    ///   item → i0 first.
    /// (Removing (u1, i2) or (u3, i2) leaves i1 and i2 tied by co-occurrence and popularity, so
    /// they are not asserted.) Holds for every seed tried (1…10, three architectures); asserted
    /// for three.
    func testHeldOutPairsRankedByStructure() throws {
        let full = try tinyImplicit()
        for (user, held, expected, listed) in [(Int32(0), Int32(1), Int32(2), 3), (2, 3, 0, 2)] {
            let train = full.selecting(rows: full.rowIndices { !(full.user[$0] == user && full.item[$0] == held) })
            for seed in UInt64(1)...3 {
                let m = tinyModel(seed: seed)
                try m.fit(train)
                let recs = items(m.recommend(user: user, k: 3))
                XCTAssertEqual(recs.first, expected, "u\(user) without i\(held), seed \(seed): \(recs)")
                XCTAssertEqual(Set(recs).count, listed)
                let seen = Set(train.rowIndices { train.user[$0] == user }.map { train.item[$0] })
                XCTAssertTrue(seen.isDisjoint(with: recs), "training items are excluded")
            }
        }
    }

    func testFitsTheTrainingPairs() throws {
        let m = tinyModel()
        try m.fit(try tinyImplicit())
        XCTAssertEqual(m.lossHistory.count, 100)
        XCTAssertGreaterThan(m.lossHistory.first!, 0.6)   // ≈ log 2 at the N(0, 0.01) start
        XCTAssertLessThan(m.lossHistory.last!, 0.1)
        let positives: [[Int32]] = [[0, 1], [0, 2], [1, 3], [0, 2]]
        for u in 0..<4 {
            let s = scores(m, Int32(u))
            let pos = positives[u].map { s[Int($0)] }
            let neg = (0..<4).filter { !positives[u].contains(Int32($0)) }.map { s[$0] }
            XCTAssertGreaterThan(pos.min()!, neg.max()!, "user \(u): \(s)")
            // Probabilities: the positives above 1/2, the rest below.
            let p = m.probability(user: Int32(u), items: [0, 1, 2, 3])
            for i in 0..<4 { XCTAssertEqual(p[i] > 0.5, positives[u].contains(Int32(i)), "u\(u) i\(i) p=\(p[i])") }
        }
        XCTAssertEqual(m.name, "ncf")
        XCTAssertEqual(m.userCount, 4); XCTAssertEqual(m.itemCount, 4)
    }

    func testBitDeterministicForASeed() throws {
        let data = try tinyImplicit()
        let a = tinyModel(seed: 11, epochs: 20), b = tinyModel(seed: 11, epochs: 20), c = tinyModel(seed: 12, epochs: 20)
        try a.fit(data); try b.fit(data); try c.fit(data)
        XCTAssertEqual(a.lossHistory, b.lossHistory)
        for u in Int32(0)...4 {
            XCTAssertEqual(bits(scores(a, u)), bits(scores(b, u)), "user \(u)")
        }
        XCTAssertNotEqual(bits(scores(a, 0)), bits(scores(c, 0)))
        XCTAssertEqual(bits(a.network!.parameters.flatMap(\.values)), bits(b.network!.parameters.flatMap(\.values)))
    }

    func testRecommendAllMatchesRecommendAndScoresAgree() throws {
        let m = tinyModel(epochs: 30)
        try m.fit(try tinyImplicit())
        assertBatchMatches(m, k: 2)
        assertBatchMatches(m, k: 4)
        // score(user, items) goes item by item through the same arithmetic as scoreAll: same bits,
        // also for an unknown user (zero user vectors); NaN outside the item range.
        for u in Int32(0)...5 {
            XCTAssertEqual(bits(m.score(user: u, items: [3, 0, 2, 1])), bits([3, 0, 2, 1].map { scores(m, u)[$0] }))
        }
        XCTAssertTrue(m.score(user: 0, items: [4])[0].isNaN)
        // The unknown user's scores are the network's output for all-zero user embeddings.
        let net = m.network!
        for e in [net.userGMF, net.userMLP] {
            for j in 0..<e.dimension { e.table.values[j] = 0 }
        }
        let zeroUser = net.forward(users: [0, 0, 0, 0], items: [0, 1, 2, 3], training: false)
        assertClose(scores(m, 9), zeroUser.values.map(Double.init), 1e-5)
    }

    func testExplainSplitsTheLogitIntoGMFAndMLP() throws {
        let m = tinyModel(epochs: 30)
        try m.fit(try tinyImplicit())
        let net = m.network!
        let f = m.factors
        for (u, i) in [(Int32(0), Int32(2)), (3, 1), (2, 3)] {
            let e = m.explain(user: u, item: i)
            XCTAssertEqual(e.contributions.map(\.source), [.component("gmf"), .component("mlp"), .component("bias")])
            XCTAssertEqual(e.score.bitPattern, m.score(user: u, items: [i])[0].bitPattern)
            XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-5)
            // GMF part by hand: Σ_f h_f p_uf q_if.
            var gmf = 0.0
            for j in 0..<f {
                gmf += Double(net.output.weights.values[j]) * Double(net.userGMF.table.values[Int(u) * f + j])
                    * Double(net.itemGMF.table.values[Int(i) * f + j])
            }
            XCTAssertEqual(Double(e.contributions[0].value), gmf, accuracy: 1e-5)
            XCTAssertEqual(e.contributions[2].value, net.output.bias.values[0])
            // The whole logit against the training-time forward pass.
            XCTAssertEqual(e.score, net.forward(users: [u], items: [i], training: false).values[0], accuracy: 1e-5)
            XCTAssertTrue(e.description.contains("gmf="))
        }
        XCTAssertTrue(m.explain(user: 0, item: 9).score.isNaN)
    }

    /// Finite differences of the batch log loss against backpropagation through the whole NeuMF
    /// graph (embeddings → product / concatenation → ReLU tower → concatenation → output unit).
    func testWholeNetworkGradients() throws {
        let m = NCF(factors: 3, hiddenLayers: [4, 3], mlpFactors: 2, epochs: 0, seed: 5)
        try m.fit(try tinyImplicit())
        let net = m.network!
        // Larger embeddings than N(0, 0.01) so that every gradient is well above the noise.
        var rng = Xoshiro256(seed: 6)
        for e in [net.userGMF, net.itemGMF, net.userMLP, net.itemMLP] {
            e.table.values = e.table.values.map { _ in Float(2 * rng.nextDouble() - 1) }
        }
        let users: [Int32] = [0, 1, 2, 3, 0, 2], itemsB: [Int32] = [0, 2, 1, 3, 3, 0]
        let labels: [Float] = [1, 1, 1, 1, 0, 0]
        for p in net.parameters { p.zeroGradient() }
        _ = net.loss(users: users, items: itemsB, labels: labels, accumulate: true)
        var compared = 0
        for p in net.parameters {
            let analytic = p.gradient
            for j in 0..<p.count {
                let numeric = centralDifference(p, j, eps: 5e-3) {
                    net.loss(users: users, items: itemsB, labels: labels, accumulate: false)
                }
                assertGradient(analytic[j], numeric, atol: 1e-4, "\(p.label)[\(j)]")
                compared += 1
            }
        }
        // 4·3 + 4·3 + 4·2 + 4·2 embeddings, (4·4 + 4) + (4·3 + 3) hidden, (3 + 3) + 1 output.
        XCTAssertEqual(compared, 40 + 20 + 15 + 7)
        // Users and items not in the batch get no gradient: all 4 users and items are used here,
        // so check the touched rows instead.
        XCTAssertEqual(net.userGMF.table.touchedRows, [0, 1, 2, 3])
        XCTAssertEqual(net.itemGMF.table.touchedRows, [0, 2, 1, 3])
    }

    func testNegativeSampling() {
        var rng = Xoshiro256(seed: 1)
        var counts = [Int](repeating: 0, count: 10)
        // Sparse user (rejection sampling) and dense user (r-th free item) — both uniform over the
        // free items and never a positive.
        for row: [Int32] in [[1, 4, 7], [0, 1, 2, 4, 5, 6, 8]] {
            counts = [Int](repeating: 0, count: 10)
            row.withUnsafeBufferPointer { r in
                for _ in 0..<7000 { counts[Int(NCF.sampleNegative(r, items: 10, rng: &rng))] += 1 }
            }
            let free = 10 - row.count
            for i in 0..<10 {
                if row.contains(Int32(i)) { XCTAssertEqual(counts[i], 0) } else {
                    XCTAssertEqual(Double(counts[i]), 7000.0 / Double(free), accuracy: 7000.0 / Double(free) * 0.1, "item \(i)")
                }
            }
        }
        let all: [Int32] = Array(0..<10)
        all.withUnsafeBufferPointer { XCTAssertEqual(NCF.sampleNegative($0, items: 10, rng: &rng), -1) }
    }

    func testSimilarItemsAndHyperParameters() throws {
        let m = tinyModel(epochs: 30)
        try m.fit(try tinyImplicit())
        let sims = m.similarItems(item: 0, k: 5)
        XCTAssertEqual(sims.count, 3)
        XCTAssertFalse(sims.contains { $0.item == 0 })
        XCTAssertTrue(sims.allSatisfy { $0.score >= -1.0001 && $0.score <= 1.0001 })
        XCTAssertTrue(m.similarItems(item: 4, k: 3).isEmpty)
        XCTAssertThrowsError(try NCF(factors: 8, hiddenLayers: []).fit(try tinyImplicit()))
        XCTAssertThrowsError(try NCF(negatives: -1).fit(try tinyImplicit()))
        // Before fit: nothing to score.
        XCTAssertTrue(NCF().recommend(user: 0, k: 3).isEmpty)
    }
}
