import Foundation
import XCTest
@testable import RecCore

/// UserKNN on the 4 × 4 matrix R of ModelsTests.swift. Rows: u0 = (5,4,0,0), u1 = (4,0,5,0),
/// u2 = (0,5,0,4), u3 = (5,0,4,0); every row has norm √41 and mean 4.5. By hand:
///   cosine: u0·u1 = 20, u0·u2 = 20, u0·u3 = 25, u1·u3 = 40, u1·u2 = u2·u3 = 0, so
///   s01 = s02 = 20/41 = 0.487804878, s03 = 25/41 = 0.609756098, s13 = 40/41 = 0.975609756.
///   centred (pearson): u0 = (.5,−.5,0,0), u1 = (−.5,0,.5,0), u2 = (0,.5,0,−.5), u3 = (.5,0,−.5,0),
///   norms √.5: s01 = s02 = −0.5, s03 = 0.5, s13 = −1, s12 = s23 = 0.
///   jaccard: I(u0) = {0,1}, I(u1) = {0,2}, I(u2) = {1,3}, I(u3) = {0,2}: s01 = s02 = s03 = 1/3,
///   s13 = 1.
final class ModelsUserKNNTests: XCTestCase {
    func testImplicitCosineSumsNeighbourSimilarities() throws {
        let m = UserKNN(neighbours: 2, similarity: .cosine)
        try m.fit(try tinyRatings())
        let nb = m.similarUsers(user: 0, k: 5)
        XCTAssertEqual(nb.map(\.user), [3, 1, 2])          // 25/41, then the 20/41 tie by index
        assertClose(nb.map(\.score), [25.0 / 41, 20.0 / 41, 20.0 / 41], 1e-6)
        XCTAssertEqual(m.similarUsers(user: 1, k: 5).map(\.user), [3, 0])   // s12 = 0 is not kept
        // u0: i2 is held by u1 and u3 → 25/41 + 20/41 = 45/41; i3 only by u2 → 20/41.
        assertClose(m.score(user: 0, items: [2, 3]), [45.0 / 41, 20.0 / 41], 1e-6)
        XCTAssertEqual(items(m.recommend(user: 0, k: 3)), [2, 3])
        let e = m.explain(user: 0, item: 2)
        XCTAssertEqual(e.contributions.map(\.source), [.neighbourUser(user: 3), .neighbourUser(user: 1)])
        XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-6)
        XCTAssertEqual(m.score(user: 9, items: [0, 1]), [0, 0])   // unknown user
        assertBatchMatches(m, k: 2)

        // k = 1: i2 gets only its best holder u3 (25/41).
        let one = UserKNN(neighbours: 1)
        try one.fit(try tinyRatings())
        assertClose(one.score(user: 0, items: [2, 3]), [25.0 / 41, 20.0 / 41], 1e-6)
        // minNeighbours = 2: i3 (one holder) drops to 0, i2 (two) stays.
        let two = UserKNN(neighbours: 2, minNeighbours: 2)
        try two.fit(try tinyRatings())
        assertClose(two.score(user: 0, items: [2, 3]), [45.0 / 41, 0], 1e-6)
        XCTAssertTrue(two.explain(user: 0, item: 3).contributions.isEmpty)
    }

    func testExplicitMeanCentredAverage() throws {
        let m = UserKNN(neighbours: 2, similarity: .cosine, feedback: .explicit)
        try m.fit(try tinyRatings())
        // u0, i2: u3 (25/41, r = 4, μ3 = 4.5) and u1 (20/41, r = 5, μ1 = 4.5):
        // 4.5 + (25/41·(−0.5) + 20/41·0.5) / (45/41) = 4.5 − 2.5/45 = 4.444444444.
        // u0, i3: u2 alone (r = 4): 4.5 − 0.5 = 4.
        assertClose(m.score(user: 0, items: [2, 3]), [4.5 - 2.5 / 45, 4], 1e-5)
        XCTAssertEqual(m.score(user: 9, items: [0])[0], 4.5)   // unknown user: global mean
        let e = m.explain(user: 0, item: 2)
        XCTAssertEqual(e.contributions[0], .init(.userMean, 4.5))
        XCTAssertEqual(Set(e.contributions.dropFirst().map { "\($0.source)" }), ["neighbour user 3", "neighbour user 1"])
        XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-5)
        assertBatchMatches(m, k: 2)

        // Pearson: only u3 is positively similar to u0 (0.5): i2 → 4.5 + 0.5·(4 − 4.5)/0.5 = 4;
        // i3's only holder u2 has s = −0.5 < 0 → the user's mean 4.5.
        let p = UserKNN(neighbours: 2, similarity: .pearson, feedback: .explicit)
        try p.fit(try tinyRatings())
        assertClose(p.score(user: 0, items: [2, 3]), [4, 4.5], 1e-5)
        XCTAssertEqual(p.similarUsers(user: 0, k: 3).map(\.user), [3])
        let pAll = UserKNN(neighbours: 3, similarity: .pearson, minSimilarity: -2, feedback: .explicit)
        try pAll.fit(try tinyRatings())
        let s = pAll.similarUsers(user: 1, k: 3)
        XCTAssertEqual(s.map(\.user), [0, 3])   // u2 shares no item with u1: not a candidate
        assertClose(s.map(\.score), [-0.5, -1], 1e-6)
        XCTAssertThrowsError(try UserKNN(feedback: .explicit).fit(try Interactions(userIDs: ["a"], itemIDs: ["x"])))
    }

    func testJaccardAndShrinkage() throws {
        let data = try tinyRatings()
        let jac = UserKNN(neighbours: 3, similarity: .jaccard)
        try jac.fit(data)
        XCTAssertEqual(jac.similarUsers(user: 1, k: 3).map(\.user), [3, 0])
        assertClose(jac.similarUsers(user: 1, k: 3).map(\.score), [1, 1.0 / 3], 1e-6)
        // u0: i2 held by u1, u3 → 1/3 + 1/3; i3 by u2 → 1/3.
        assertClose(jac.score(user: 0, items: [2, 3]), [2.0 / 3, 1.0 / 3], 1e-6)

        // n_03 = 1 co-rated item (i0), n_13 = 2: s · n/(n+1).
        let shrunk = UserKNN(neighbours: 3, shrinkage: 1)
        try shrunk.fit(data)
        assertClose(shrunk.similarUsers(user: 3, k: 3).map(\.score), [40.0 / 41 * 2 / 3, 25.0 / 41 / 2], 1e-6)
    }

    func testDeterministicAndParallelOnLargerData() throws {
        let data = try randomImplicit(users: 150, items: 60, perUser: 10, seed: 8)
        let a = UserKNN(neighbours: 10, similarity: .cosine, shrinkage: 2)
        let b = UserKNN(neighbours: 10, similarity: .cosine, shrinkage: 2)
        try a.fit(data); try b.fit(data)
        let users = (0..<Int32(150)).map { $0 }
        XCTAssertEqual(a.recommendAll(users: users, k: 10), b.recommendAll(users: users, k: 10))
        // Brute force for one user: per item, the 10 most similar holders' shrunk cosines.
        let dense = data.matrix().toDense()
        func sim(_ u: Int, _ v: Int) -> Float {
            var d: Float = 0, x: Float = 0, y: Float = 0, n: Float = 0
            for i in 0..<60 {
                d += dense[u][i] * dense[v][i]; x += dense[u][i] * dense[u][i]; y += dense[v][i] * dense[v][i]
                if dense[u][i] != 0 && dense[v][i] != 0 { n += 1 }
            }
            return n > 0 ? d / (x.squareRoot() * y.squareRoot()) * n / (n + 2) : 0
        }
        for u in [0, 7, 149] {
            let got = a.score(user: Int32(u), items: (0..<60).map { $0 })
            for i in 0..<60 {
                let holders = (0..<150).filter { $0 != u && dense[$0][i] != 0 }
                    .map { (Int32($0), sim(u, $0)) }.filter { $0.1 > 0 }
                let best = TopK.select(holders, k: 10)
                XCTAssertEqual(got[i], best.map(\.score).reduce(0, +), accuracy: 1e-4, "user \(u) item \(i)")
            }
        }
        assertBatchMatches(a, k: 10)
    }

    /// LensKit's UserUser (30 neighbours, implicit feedback) reaches NDCG@10 = 0.529 here.
    func testMatchesLensKitOnMovieLensU1() throws {
        let split = try MovieLens.loadSplit(try movieLensU1Directory(), name: "u1")
        let train = split.train.replacingValues(nil)   // every rating counts as one event
        let m = UserKNN(neighbours: 30, similarity: .cosine, feedback: .implicit)
        try m.fit(train)
        let ndcg = topNNDCG(m, train: train, test: split.test)
        print(String(format: "UserKNN(30, implicit) u1 NDCG@10 %.4f", ndcg))
        XCTAssertGreaterThanOrEqual(ndcg, 0.529)

        let explicit = UserKNN(neighbours: 30, similarity: .pearson, feedback: .explicit)
        try explicit.fit(split.train)
        let rmse = ratingRMSE(explicit, split.test)
        print(String(format: "UserKNN(30, explicit, pearson) u1 RMSE %.4f", rmse))
        XCTAssertLessThan(rmse, 1.0)
    }
}
