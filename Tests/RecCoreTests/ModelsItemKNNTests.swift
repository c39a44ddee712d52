import XCTest
@testable import RecCore

/// ItemKNN on the 4 × 4 matrix R of ModelsTests.swift. Columns: i0 = (5,4,0,5), i1 = (4,0,5,0),
/// i2 = (0,5,0,4), i3 = (0,0,4,0). By hand: cos(i0,i1) = 20/√(66·41) = 0.384473224,
/// cos(i0,i2) = 40/√(66·41) = 0.768946448, cos(i1,i3) = 20/√(41·16) = 0.780868809, others 0.
/// Centred variants from
///   python3 -c 'import numpy as np; R=np.array([[5,4,0,0],[4,0,5,0],[0,5,0,4],[5,0,4,0]],float); M=R>0
///     um=np.array([R[u,M[u]].mean() for u in range(4)]); A=np.where(M,R-um[:,None],0)   # adjusted cosine
///     im=np.array([R[M[:,i],i].mean() for i in range(4)]); P=np.where(M,R-im[None,:],0) # item-centred
///     n=np.linalg.norm(A,axis=0); print(A.T@A/np.outer(n,n))'
final class ModelsItemKNNTests: XCTestCase {
    func testCosineNeighboursAndImplicitScores() throws {
        let m = ItemKNN(neighbours: 2, similarity: .cosine)
        try m.fit(try tinyRatings())
        XCTAssertEqual(m.similarity(0, 1), 0.384473224, accuracy: 1e-6)
        XCTAssertEqual(m.similarity(0, 2), 0.768946448, accuracy: 1e-6)
        XCTAssertEqual(m.similarity(1, 3), 0.780868809, accuracy: 1e-6)
        XCTAssertEqual(m.similarity(1, 0), m.similarity(0, 1))
        XCTAssertEqual(items(m.similarItems(item: 0, k: 5)), [2, 1])
        XCTAssertEqual(items(m.similarItems(item: 2, k: 5)), [0])   // zero similarities are not kept
        // Implicit: sum of similarities to the user's items. u0 has i0, i1.
        assertClose(m.score(user: 0, items: [2, 3]), [0.768946448, 0.780868809], 1e-6)
        XCTAssertEqual(items(m.recommend(user: 0, k: 3)), [3, 2])
        let e = m.explain(user: 0, item: 2)
        XCTAssertEqual(e.contributions.count, 1)
        XCTAssertEqual(e.contributions[0].source, .neighbour(item: 0))
        assertBatchMatches(m, k: 2)

        // One neighbour per item: i0 keeps only i2.
        let one = ItemKNN(neighbours: 1)
        try one.fit(try tinyRatings())
        XCTAssertEqual(items(one.similarItems(item: 0, k: 5)), [2])
    }

    func testExplicitWeightedAverage() throws {
        let m = ItemKNN(neighbours: 2, similarity: .cosine, feedback: .explicit)
        try m.fit(try tinyRatings())
        // u0 rated i0 = 5, i1 = 4: i2's only neighbour is i0 → 5; i3's only neighbour is i1 → 4.
        assertClose(m.score(user: 0, items: [2, 3]), [5, 4], 1e-6)
        // u2 rated i1 = 5, i3 = 4: i0's neighbours i2, i1 — only i1 rated → 5; i2's neighbour i0
        // is unrated → the user's mean 4.5.
        assertClose(m.score(user: 2, items: [0, 2]), [5, 4.5], 1e-6)
        XCTAssertEqual(m.score(user: 9, items: [0])[0], 4.5)   // unknown user: global mean
        // Two rated neighbours: a user with i0 = 2 and i1 = 4 scores i3? i3's neighbour is only
        // i1; i0's neighbours are i2 and i1. Add a user with i1 and i2 rated to check the average.
        let data = try tinyRatings().appending(try Interactions(userIDs: ["u4", "u4"], itemIDs: ["i1", "i2"], values: [2, 4]))
        let m2 = ItemKNN(neighbours: 2, similarity: .cosine, feedback: .explicit)
        try m2.fit(data)
        let s01 = m2.similarity(0, 1), s02 = m2.similarity(0, 2)
        XCTAssertGreaterThan(s01, 0); XCTAssertGreaterThan(s02, 0)
        XCTAssertEqual(m2.score(user: 4, items: [0])[0], (s01 * 2 + s02 * 4) / (s01 + s02), accuracy: 1e-5)
        let e = m2.explain(user: 4, item: 0)
        XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-5)
        assertBatchMatches(m2, k: 2)
        XCTAssertThrowsError(try ItemKNN(feedback: .explicit).fit(try Interactions(userIDs: ["a"], itemIDs: ["x"])))
    }

    func testOtherSimilaritiesAndShrinkage() throws {
        let data = try tinyRatings()
        let shrunk = ItemKNN(neighbours: 3, shrinkage: 1)
        try shrunk.fit(data)
        // n_02 = 2 co-raters, n_01 = 1: s · n/(n+1).
        XCTAssertEqual(shrunk.similarity(0, 2), 0.768946448 * 2 / 3, accuracy: 1e-6)
        XCTAssertEqual(shrunk.similarity(0, 1), 0.384473224 / 2, accuracy: 1e-6)

        let jac = ItemKNN(neighbours: 3, similarity: .jaccard)
        try jac.fit(data)
        // Users: i0 {0,1,3}, i1 {0,2}, i2 {1,3}, i3 {2}.
        XCTAssertEqual(jac.similarity(0, 2), 2.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(jac.similarity(0, 1), 0.25, accuracy: 1e-6)
        XCTAssertEqual(jac.similarity(1, 3), 0.5, accuracy: 1e-6)
        XCTAssertEqual(jac.similarity(0, 3), 0)

        let adj = ItemKNN(neighbours: 3, similarity: .adjustedCosine, minSimilarity: -1)
        try adj.fit(data)
        XCTAssertEqual(adj.similarity(0, 1), -0.40824829, accuracy: 1e-6)
        XCTAssertEqual(adj.similarity(0, 2), -0.816496581, accuracy: 1e-6)
        XCTAssertEqual(adj.similarity(1, 3), -0.707106781, accuracy: 1e-6)
        XCTAssertEqual(items(adj.similarItems(item: 0, k: 3)), [1, 2])   // −0.41 before −0.82
        let adjPositive = ItemKNN(neighbours: 3, similarity: .adjustedCosine)
        try adjPositive.fit(data)
        XCTAssertTrue(adjPositive.neighbourItems.isEmpty)   // all negative here

        let pearson = ItemKNN(neighbours: 3, similarity: .pearson, minSimilarity: -1)
        try pearson.fit(data)
        XCTAssertEqual(pearson.similarity(0, 1), -0.288675135, accuracy: 1e-6)
        XCTAssertEqual(pearson.similarity(0, 2), -0.866025404, accuracy: 1e-6)
    }

    func testParallelSimilaritiesMatchOnLargerData() throws {
        // ≥ 64 items takes the parallel path; the result must not depend on chunking, so compare
        // with brute-force cosine.
        let data = try randomImplicit(users: 120, items: 80, perUser: 10, seed: 4)
        let m = ItemKNN(neighbours: 5)
        try m.fit(data)
        let dense = data.matrix().toDense()
        func cos(_ i: Int, _ j: Int) -> Float {
            var d: Float = 0, a: Float = 0, b: Float = 0
            for u in 0..<dense.count { d += dense[u][i] * dense[u][j]; a += dense[u][i] * dense[u][i]; b += dense[u][j] * dense[u][j] }
            return a > 0 && b > 0 ? d / (a.squareRoot() * b.squareRoot()) : 0
        }
        for i in [0, 13, 79] {
            let expected = TopK.select((0..<80).compactMap { j in j == i ? nil : (Int32(j), cos(i, j)) }.filter { $0.1 > 0 }, k: 5)
            let got = m.similarItems(item: Int32(i), k: 5)
            XCTAssertEqual(items(got), items(expected), "item \(i)")
            assertClose(got.map(\.score), expected.map { Double($0.score) }, 1e-5)
        }
        assertBatchMatches(m, k: 10)
    }
}
