import Foundation
import XCTest
@testable import RecCore

/// Hybrid of Popularity and ItemKNN (cosine, 2 neighbours, implicit) on R, user u0.
///   Popularity counts (3, 2, 2, 1): min-max (1, 0.5, 0.5, 0); z-scores (mean 2, sd √0.5)
///   (1.414214, 0, 0, −1.414214).
///   ItemKNN for u0 (items i0, i1; see ModelsItemKNNTests): i0 ← s(i0,i1) = 0.384473,
///   i1 ← s(i1,i0) = 0.384473, i2 ← s(i2,i0) = 0.768946, i3 ← s(i3,i1) = 0.780869: min-max
///   (0, 0, 0.969923, 1); z-scores (−0.999767, −0.999767, 0.969238, 1.030296).
final class ModelsHybridTests: XCTestCase {
    func testMinMaxAndZScoreWeighting() throws {
        let data = try tinyRatings()
        let mm = Hybrid([(Popularity(), 0.5), (ItemKNN(neighbours: 2), 0.5)])
        try mm.fit(data)
        // 0.5·(1, .5, .5, 0) + 0.5·(0, 0, 0.969923, 1).
        assertClose(mm.score(user: 0, items: [0, 1, 2, 3]), [0.5, 0.25, 0.73496154, 0.5], 1e-5)
        XCTAssertEqual(items(mm.recommend(user: 0, k: 2)), [2, 3])
        let e = mm.explain(user: 0, item: 2)
        XCTAssertEqual(e.contributions.map(\.source), [.model("item-knn"), .model("popularity")])
        assertClose(e.contributions.map(\.value), [0.48496154, 0.25], 1e-5)
        XCTAssertEqual(e.score, mm.score(user: 0, items: [2])[0], accuracy: 1e-6)
        assertBatchMatches(mm, k: 2)

        let z = Hybrid([(Popularity(), 2), (ItemKNN(neighbours: 2), 1)], normalization: .zScore)
        try z.fit(data)
        // 2·(1.414214, 0, 0, −1.414214) + (−0.999767, −0.999767, 0.969238, 1.030296).
        assertClose(z.score(user: 0, items: [0, 1, 2, 3]), [1.82866016, -0.99976697, 0.96923794, -1.79813113], 1e-5)
        assertBatchMatches(z, k: 3)

        // Equal scores (an unknown user's ItemKNN row is all 0) normalise to 0.
        assertClose(mm.score(user: 9, items: [0, 1, 2, 3]), [0.5, 0.25, 0.25, 0], 1e-6)
        let raw = Hybrid([(Popularity(), 1), (ItemKNN(neighbours: 2), 2)], normalization: .none)
        try raw.fit(data)
        assertClose(raw.score(user: 0, items: [2]), [2 + 2 * 0.76894645], 1e-5)
    }

    func testFitsComponentsAndIsDeterministic() throws {
        let data = try randomImplicit(users: 80, items: 30, perUser: 6, seed: 2)
        func make() -> Hybrid {
            Hybrid([(BPR(factors: 4, epochs: 5, seed: 3), 1), (UserKNN(neighbours: 5), 1), (Popularity(), 0.2)],
                   normalization: .zScore)
        }
        let a = make(), b = make()
        try a.fit(data); try b.fit(data)
        XCTAssertEqual(a.components[1].userCount, 80)   // components were fitted
        let users = (0..<Int32(80)).map { $0 }
        XCTAssertEqual(a.recommendAll(users: users, k: 5), b.recommendAll(users: users, k: 5))
        assertBatchMatches(a, k: 5)
    }

    func testUserKNNPlusPopularityOnMovieLensU1() throws {
        let split = try MovieLens.loadSplit(try movieLensU1Directory(), name: "u1")
        let train = split.train.replacingValues(nil)
        let h = Hybrid([(UserKNN(neighbours: 30), 1), (Popularity(), 0.1)])
        try h.fit(train)
        let ndcg = topNNDCG(h, train: train, test: split.test)
        print(String(format: "Hybrid(UserKNN + 0.1 Popularity) u1 NDCG@10 %.4f", ndcg))
        XCTAssertGreaterThan(ndcg, 0.45)
    }
}
