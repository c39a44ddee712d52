import XCTest
@testable import RecCore

/// Updates checked by hand or against a refit on the union.
final class IncrementalUpdateTests: XCTestCase {
    func log(_ pairs: [(String, String)], values: [Double]? = nil, times: [Int64]? = nil) throws -> Interactions {
        try Interactions(userIDs: pairs.map(\.0), itemIDs: pairs.map(\.1), values: values, timestamps: times)
    }

    func testPopularityCountsAfterAnUpdateAreTheCountsOfTheUnion() throws {
        let old = try log([("a", "x"), ("a", "y"), ("b", "x")]), new = try log([("c", "x"), ("c", "z"), ("a", "z")])
        let m = Popularity()
        try m.fit(old)
        let all = try m.update(new, after: old)
        // x: a, b, c = 3; y: a = 1; z: c, a = 2 (item order x, y, z).
        XCTAssertEqual(m.counts, [3, 1, 2])
        let refit = Popularity(); try refit.fit(all)
        XCTAssertEqual(m.counts, refit.counts)
    }

    func testDecayedPopularityAgesOldCountsByTheHalfLife() throws {
        let day: Int64 = 86_400
        let old = try log([("a", "x"), ("b", "y")], times: [0, day])
        let m = Popularity(halfLife: 1)
        try m.fit(old)
        XCTAssertEqual(m.counts, [0.5, 1])              // x is a day older than the latest event
        try m.update(try log([("c", "y")], times: [3 * day]), after: old)
        XCTAssertEqual(m.counts[0], 0.125, accuracy: 1e-6)    // 0.5 · 0.5², three days old
        XCTAssertEqual(m.counts[1], 1.25, accuracy: 1e-6)     // 1 · 0.5² + 1
    }

    func testItemKNNUpdateEqualsARefitOnTheUnion() throws {
        let d = CatalogueContractTests.data.replacingValues(nil)
        let old = d.selecting(rows: Array(0..<200)), new = d.selecting(rows: Array(200..<d.count))
        for sim in [ItemKNN.Similarity.cosine, .jaccard] {
            let m = ItemKNN(neighbours: 5, similarity: sim)
            try m.fit(old)
            let all = try m.update(new, after: old)
            let r = ItemKNN(neighbours: 5, similarity: sim); try r.fit(all)
            XCTAssertEqual(m.neighbourPtr, r.neighbourPtr, "\(sim)")
            XCTAssertEqual(m.neighbourItems, r.neighbourItems, "\(sim)")
            XCTAssertEqual(m.neighbourSims, r.neighbourSims, "\(sim)")
        }
    }

    /// A new user's fold-in in ALS-WR without biases solves (Σ q_i q_iᵀ + λ n I) p = Σ r_i q_i
    /// against the fixed item factors: checked against that 2 × 2 system solved by hand.
    func testALSFoldInOfANewUserSolvesItsRowExactly() throws {
        let old = try log([("a", "x"), ("a", "y"), ("b", "y"), ("b", "z"), ("c", "x"), ("c", "z")], values: [5, 3, 4, 1, 2, 5])
        let m = ExplicitALS(factors: 2, iterations: 4, regularization: 0.1, biased: false)
        try m.fit(old)
        let q = m.itemFactors
        let all = try m.update(try log([("n", "x"), ("n", "z")], values: [4, 2]), after: old)
        let n = Int(all.users.index(of: "n")!)
        // Items x = 0, z = 2; A = q_x q_xᵀ + q_z q_zᵀ + 0.1·2·I, b = 4 q_x + 2 q_z.
        let qx = [Double(q[0]), Double(q[1])], qz = [Double(q[4]), Double(q[5])]
        let a00 = qx[0] * qx[0] + qz[0] * qz[0] + 0.2, a01 = qx[0] * qx[1] + qz[0] * qz[1], a11 = qx[1] * qx[1] + qz[1] * qz[1] + 0.2
        let b0 = 4 * qx[0] + 2 * qz[0], b1 = 4 * qx[1] + 2 * qz[1]
        let det = a00 * a11 - a01 * a01
        XCTAssertEqual(Double(m.userFactors[n * 2]), (a11 * b0 - a01 * b1) / det, accuracy: 1e-5)
        XCTAssertEqual(Double(m.userFactors[n * 2 + 1]), (a00 * b1 - a01 * b0) / det, accuracy: 1e-5)
        // y, untouched, did not move; x and z, whose histories grew by half, were refreshed.
        XCTAssertEqual(Array(m.itemFactors[2..<4]), Array(q[2..<4]))
        XCTAssertNotEqual(Array(m.itemFactors[0..<2]), Array(q[0..<2]))
    }

    func testReplayWindowsAndTheirEventCounts() throws {
        let day: Int64 = 86_400
        // Days 0, 1 (training before the first window at day 2), then 2, 2, 3, 5 → windows [2,3) [3,4) [5,6); day 4 is empty.
        let times: [Int64] = [0, day, 2 * day, 2 * day + 5, 3 * day, 5 * day]
        let d = try log([("a", "x"), ("b", "y"), ("a", "y"), ("b", "x"), ("c", "x"), ("a", "z")], times: times)
        let w = try Replay.run(d, every: 1, start: 2, mode: .incremental, metrics: [MetricSpec(.hitRate, k: 2)], fresh: { Popularity() })
        XCTAssertEqual(w.map(\.events), [2, 1, 1])
        XCTAssertEqual(w.map(\.start), [2 * day, 3 * day, 5 * day])
        XCTAssertEqual(w.map { $0.data.users.count }, [2, 1, 1])
        // Window 1: popularity of {x: 1, y: 1}; a has x, so gets y (a hit); b has y, gets x (a hit).
        XCTAssertEqual(w[0].evaluation.values, [1])
    }
}
