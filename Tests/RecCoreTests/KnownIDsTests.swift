import Foundation
import XCTest
@testable import RecCore

/// The rule for users and items a model was not trained on (`KnownIDs.swift`), on R of
/// `tinyRatings` minus u3's and i3's rows: a split whose test set alone has user u3 (index 3) and
/// item i3 (index 3), both inside the training log's ID space.
final class KnownIDsTests: XCTestCase {
    func split() throws -> Split {
        let full = try tinyRatings()
        let u3 = full.users.index(of: "u3")!, i3 = full.items.index(of: "i3")!
        XCTAssertEqual([u3, i3], [3, 3])
        return full.split(testRows: (0..<full.count).map { full.user[$0] == u3 || full.item[$0] == i3 })
    }

    /// One model of every kind that lists items.
    func models() -> [Recommender] {
        [Popularity(), BiasBaseline(), BiasedMF(factors: 3, epochs: 5, seed: 1),
         ExplicitALS(factors: 2, iterations: 3, seed: 1), ImplicitALS(factors: 2, iterations: 3, seed: 1),
         ItemKNN(neighbours: 5), UserKNN(neighbours: 5), EASE(regularization: 1),
         BPR(factors: 3, epochs: 5, seed: 1), SVDPlusPlus(factors: 2, epochs: 5, seed: 1),
         NCF(factors: 2, hiddenLayers: [4], epochs: 2, learningRate: 0.01, batchSize: 4, negatives: 1, seed: 1),
         Hybrid([(Popularity(), 1), (BiasedMF(factors: 2, epochs: 3, seed: 2), 1)])]
    }

    func testUnknownItemsAreNeverListedAndUnknownUsersGetTheListOfAUserWithoutHistory() throws {
        let s = try split()
        XCTAssertEqual(s.train.itemCount, 4)                  // i3 is in the ID space, with no row
        for m in models() {
            try m.fit(s.train)
            XCTAssertEqual(m.itemCount, 4, m.name)
            XCTAssertEqual([m.knows(user: 0), m.knows(user: 3), m.knows(item: 0), m.knows(item: 3)], [true, false, true, false], m.name)
            XCTAssertEqual(m.unknownItems, [3], m.name)
            for u in Int32(0)...4 {
                let all = m.recommend(user: u, k: 10, excludeTraining: false)
                XCTAssertFalse(items(all).contains(3), "\(m.name) listed i3 for user \(u): \(all)")
                XCTAssertFalse(items(m.recommend(user: u, k: 10, candidates: [3, 2, 1, 0])).contains(3), m.name)
            }
            // u3 (no training row) is ranked exactly as a user past the ID space.
            XCTAssertEqual(m.scoringIndex(user: 3), 4)
            let cold = m.recommend(user: 3, k: 10), past = m.recommend(user: 99, k: 10)
            XCTAssertEqual(items(cold), items(past), m.name)
            XCTAssertEqual(bits(cold.map(\.score)), bits(past.map(\.score)), m.name)
            let batch = m.recommendAll(users: [0, 3, 99], k: 3)
            for (r, u) in [Int32(0), 3, 99].enumerated() {
                XCTAssertEqual(items(batch.list(r)), items(m.recommend(user: u, k: 3)), "\(m.name) user \(u)")
            }
            XCTAssertFalse(items(m.similarKnownItems(to: 0, k: 10)).contains(3), m.name)
        }
    }

    func testContentBasedKnowsAnItemByItsAttributesAndAHybridByAnyComponent() throws {
        var s = try split()
        let attrs = try AttributeTable(keys: ["i0", "i1", "i2", "i3"], columns: [("category", .string(["x", "y", "x", "y"]))])
        let train = s.train
        s = try Split(train: { var t = train; t.itemAttributes = attrs; return t }(), test: s.test)
        let c = ContentBased(attributes: ["category"])
        try c.fit(s.train)
        XCTAssertTrue(c.knows(item: 3))
        XCTAssertTrue(items(c.recommend(user: 0, k: 10)).contains(3))   // u0 has i0 (x), i1 (y): i3 is y
        let h = Hybrid([(c, 1), (BiasedMF(factors: 2, epochs: 3, seed: 2), 1)])
        try h.fit(s.train)
        XCTAssertTrue(h.knows(item: 3))
        // The factor model does not know i3: it contributes 0, never a score from random factors.
        let parts = h.explain(user: 0, item: 3).contributions
        XCTAssertEqual(parts.first { $0.source == .model("biased-mf") }?.value, 0)
    }

    func testRatingsOfUnknownUsersAndItemsAreCountedFallbacks() throws {
        let s = try split()
        let data = try EvaluationData(train: s.train, test: s.test)
        let m = BiasBaseline(itemDamping: 0, userDamping: 0, iterations: 1)
        try m.fit(s.train)
        let (p, f) = Evaluation.predict(m, data)
        // Test rows: (u2, i3) is an unknown item of a known user → μ + b_u2; (u3, i0), (u3, i2)
        // are of an unknown user → μ + b_i.
        let rows = data.ratingRows
        for j in rows.users.indices {
            let u = rows.users[j], i = rows.items[j]
            let expected = Double(m.globalMean + (u == 3 ? 0 : m.userBias[Int(u)]) + (i == 3 ? 0 : m.itemBias[Int(i)]))
            let r = data.ratingRange!
            XCTAssertEqual(p[j], min(max(expected, r.lowerBound), r.upperBound), accuracy: 1e-6, "row \(j)")
        }
        XCTAssertEqual(rows.users.count, 3)
        XCTAssertEqual(f.unknownItem.withoutHistory, 1)
        XCTAssertEqual(f.unknownUser.withoutHistory, 2)
        XCTAssertEqual(f.note(name: "bias"), "bias: 3 test rating(s) were predicted by the fallback: 1 for items it was not trained on (as items without history), 2 for users it was not trained on (as users without history)")
        // A ranking model has no item without history: the training mean.
        let pop = Popularity()
        try pop.fit(s.train)
        let (q, g) = Evaluation.predict(pop, data)
        XCTAssertEqual([g.unknownItem.mean, g.unknownItem.withoutHistory, g.unknownUser.withoutHistory], [1, 0, 2])
        XCTAssertEqual(q[rows.items.firstIndex(of: 3)!], data.globalMean)
    }

    /// Funk's unbiased SVD has no "user without history": p_u · q_i with no p_u would predict 0
    /// on a 1–5 scale (clipped to 1). Its unknown users get the training mean instead.
    func testAnUnbiasedFactorModelPredictsTheTrainingMeanForUnknownUsers() throws {
        let s = try split()
        let data = try EvaluationData(train: s.train, test: s.test)
        let m = BiasedMF(factors: 2, epochs: 3, biased: false, seed: 1)
        try m.fit(s.train)
        XCTAssertTrue(m.score(user: m.scoringIndex(user: 3), items: [0, 2]).allSatisfy { $0.isNaN })
        XCTAssertTrue(m.score(user: 0, items: [0, 2]).allSatisfy { $0.isFinite })
        let (p, f) = Evaluation.predict(m, data)
        let rows = data.ratingRows
        for j in rows.users.indices where rows.users[j] == 3 {
            XCTAssertEqual(p[j], data.globalMean, accuracy: 1e-9, "row \(j)")
        }
        XCTAssertEqual(f.unknownUser.mean, 2)
        XCTAssertEqual(f.unknownUser.withoutHistory, 0)
    }

    func testAModelThatSawTheTestSetIsFound() throws {
        let full = try tinyRatings()
        let s = full.split(testRows: (0..<full.count).map { $0 % 3 == 0 })
        let data = try EvaluationData(train: s.train, test: s.test)
        XCTAssertEqual(data.testRowsSeen(byModelFittedOn: s.train), 0)
        XCTAssertEqual(data.testRowsSeen(byModelFittedOn: full), s.test.count)
        XCTAssertEqual(data.testRowsSeen(byModelFittedOn: s.train.selecting(rows: [0, 1])), 0)
        // A copy with its own storage (as a restored workspace gives) is the same data.
        let copy = try Interactions(userIDs: (0..<s.train.count).map { s.train.row($0).user },
                                    itemIDs: (0..<s.train.count).map { s.train.row($0).item },
                                    values: (0..<s.train.count).map { s.train.row($0).value! })
        XCTAssertEqual(data.testRowsSeen(byModelFittedOn: copy), 0)
        XCTAssertEqual(data.testRowsSeen(byModelFittedOn: copy.appending(s.test.selecting(rows: [0]))), 1)
    }

    func testARepeatOfAPairIsNotALeak() throws {
        // u0 views i0 in training and buys it later in test: the same pair, another row.
        let log = try Interactions(userIDs: ["u0", "u0", "u1"], itemIDs: ["i0", "i0", "i0"], timestamps: [1, 2, 1],
                                   events: ["view", "purchase", "view"])
        let s = log.split(testRows: [false, true, false])
        let data = try EvaluationData(train: s.train, test: s.test)
        let alsoBought = try Interactions(userIDs: ["u0", "u1"], itemIDs: ["i0", "i0"], timestamps: [1, 1], events: ["view", "view"])
        XCTAssertEqual(data.testRowsSeen(byModelFittedOn: alsoBought), 0)
        XCTAssertEqual(data.testRowsSeen(byModelFittedOn: log), 1)
    }
}
