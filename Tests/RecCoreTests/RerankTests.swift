import Foundation
import XCTest
@testable import RecCore

/// The re-ranking skeleton and each method on hand-worked lists, FA*IR's tables against the paper.
final class RerankTests: XCTestCase {
    let cands = [RerankCandidates(user: 0, items: [0, 1, 2, 3], scores: [1.0, 0.9, 0.8, 0.1])]

    func testMMROverCategories() throws {
        // Categories a, a, b, c; scaled relevance 1, 8/9, 7/9, 0; λ = 0.5.
        // Rank 1: item 0 (gains all 1). Rank 2: item 1 repeats a (gain 0): 0.444; item 2: 0.389 + 0.5 = 0.889;
        // item 3: 0 + 0.5 = 0.5 → item 2. Rank 3: item 1 still 0.444, item 3 0.5 → item 3.
        let (labels, names) = ItemSets.coded([["a"], ["a"], ["b"], ["c"]])
        let out = try Rerank.rerank(cands, k: 3, lambda: 0.5, objective: MMRObjective(labels: labels, names: names))
        XCTAssertEqual(out[0].items, [0, 2, 3])
        XCTAssertEqual(out[0].scores, [1.0, 0.8, 0.1])
        XCTAssertEqual(out[0].reasons, ["", "moved up from 3: adds variety (b) to the items above it",
                                        "moved up from 4: adds variety (c) to the items above it"])
        // Weight 0 keeps the model's order.
        XCTAssertEqual(try Rerank.rerank(cands, k: 3, lambda: 0, objective: MMRObjective(labels: labels, names: names))[0].items, [0, 1, 2])
    }

    func testCalibration() throws {
        // History: two a, two b → p = (0.5, 0.5). Steck's smoothing α = 0.01 of q = (1, 0):
        // q̃ = (0.995, 0.005), KL = 0.5 ln(0.5/0.995) + 0.5 ln(100) = 1.9585175…
        XCTAssertEqual(CalibrationObjective.miscalibration(target: [0.5, 0.5], list: [1, 0], alpha: 0.01),
                       0.5 * log(0.5 / 0.995) + 0.5 * log(100), accuracy: 1e-12)
        XCTAssertEqual(CalibrationObjective.miscalibration(target: [0.5, 0.5], list: [0.5, 0.5], alpha: 0.01), 0, accuracy: 1e-15)
        let (labels, names) = ItemSets.coded([["a"], ["a"], ["b"], ["b"], ["a"], ["a"], ["b"], ["b"]])
        let obj = CalibrationObjective(labels: labels, names: names, history: { _ in [4, 5, 6, 7] })
        // Candidates 0 (a, 1.0), 1 (a, 0.9), 2 (b, 0.8), 3 (b, 0.1); k = 2. By relevance [0, 1] (all a);
        // calibrated, the second slot goes to the b item: [0, 2].
        XCTAssertEqual(try Rerank.rerank(cands, k: 2, lambda: 0, objective: obj)[0].items, [0, 1])
        XCTAssertEqual(try Rerank.rerank(cands, k: 2, lambda: 0.5, objective: obj)[0].items, [0, 2])
    }

    /// Table 2 of Zehlike et al. (CIKM 2017): m(k) for α = 0.1, k = 1…12, p = 0.1…0.7.
    func testMtableMatchesThePaper() {
        let table: [Double: [Int]] = [
            0.1: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            0.2: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
            0.3: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2],
            0.4: [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3],
            0.5: [0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 4],
            0.6: [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
            0.7: [0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6],
        ]
        for (p, row) in table { XCTAssertEqual(FAIR.mtable(k: 12, p: p, alpha: 0.1), row, "p = \(p)") }
    }

    /// The multiple-testing adjustment against the values published with the authors' fairsearch
    /// library (fairsearch-fair-python, tests/test_fair.py).
    func testAdjustedMtable() {
        XCTAssertEqual(FAIR.mtable(k: 10, p: 0.2, alpha: 0.15), [0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
        XCTAssertEqual(FAIR.mtable(k: 20, p: 0.25, alpha: 0.1), [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3])
        let a = FAIR.adjustedMtable(k: 10, p: 0.2, alpha: 0.15)
        XCTAssertEqual(a.mtable, [0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
        XCTAssertEqual(a.failureProbability, pow(0.8, 9), accuracy: 1e-12)       // 0.134217728
        let b = FAIR.adjustedMtable(k: 20, p: 0.25, alpha: 0.1)
        XCTAssertEqual(b.mtable, [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2])
        XCTAssertEqual(b.failureProbability, 0.10515247355215251, accuracy: 1e-4)
        XCTAssertEqual(b.alpha, 0.078125, accuracy: 1e-4)
        let c = FAIR.adjustedMtable(k: 30, p: 0.3, alpha: 0.05)
        XCTAssertEqual(c.mtable, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4])
        XCTAssertEqual(c.failureProbability, 0.04877730797178359, accuracy: 1e-4)
        // The table at the adjusted α is the adjusted table.
        XCTAssertEqual(FAIR.mtable(k: 20, p: 0.25, alpha: b.alpha), b.mtable)
    }

    func testFAIRRerankMeetsTheTable() throws {
        // Protected items 4 and 5 score lowest; m = (0, 0, 0, 1, 1, 1) for p = 0.5, α = 0.1.
        // Rank 4 must be protected: item 4 moves up from 5; then item 3, then item 5.
        let c = [RerankCandidates(user: 0, items: [0, 1, 2, 3, 4, 5], scores: [6, 5, 4, 3, 2, 1])]
        let m = FAIR.mtable(k: 6, p: 0.5, alpha: 0.1)
        XCTAssertEqual(m, [0, 0, 0, 1, 1, 1])
        let out = try Rerank.rerank(c, k: 6, lambda: 0, objective: FAIRObjective(mtable: m, isProtected: { $0 >= 4 }))
        XCTAssertEqual(out[0].items, [0, 1, 2, 4, 3, 5])
        XCTAssertEqual(out[0].reasons[3], "moved up from 5 to meet the protected-group minimum (1 by rank 4)")
        XCTAssertEqual(out[0].reasons[4], "moved down from 4: items below it were moved up")
        XCTAssertTrue(FAIR.satisfies(out[0].items.map { $0 >= 4 }, m))
        XCTAssertFalse(FAIR.satisfies([false, false, false, false, true, true], m))
    }

    func testProviderExposure() throws {
        // Items 0, 1 of group A, item 2 of B; targets 2/3, 1/3. λ = 1 (targets only), k = 2.
        // Rank 1: nothing exposed yet, both groups gain 1, the tie goes to the model's order (item 0).
        // Rank 2: A has all the exposure (gain (2/3 − 1)/(2/3) = −0.5), B gains 1 → item 2.
        let c = [RerankCandidates(user: 0, items: [0, 1, 2], scores: [1, 0.9, 0.1])]
        let obj = ProviderExposureObjective(itemGroup: [0, 0, 1], groupNames: ["A", "B"],
                                            target: ProviderExposureObjective.catalogueShares(itemGroup: [0, 0, 1], groups: 2))
        XCTAssertEqual(obj.target, [2.0 / 3, 1.0 / 3])
        let out = try Rerank.rerank(c, k: 2, lambda: 1, objective: obj)
        XCTAssertEqual(out[0].items, [0, 2])
        XCTAssertEqual(out[0].reasons[1], "moved up from 3: its group B is below its exposure target")
        XCTAssertEqual(try Rerank.rerank(c, k: 2, lambda: 0, objective: obj)[0].items, [0, 1])
    }

    func testUserGroupFairness() throws {
        // One scale for all scores (0.3…1.0): u0 (M) relevance 1, 0.857, 0.714; u1 (F) 0.286, 0.143, 0.
        // k = 1: M's mean quality 1 is the advantaged side, F's 0.2857 the target. At λ = 1, u0's
        // gains are 1 − |q − 0.2857|/0.2857 = −1.5→−1, −1, −0.5 → item 2; u1 keeps its best.
        let c = [RerankCandidates(user: 0, items: [0, 1, 2], scores: [1.0, 0.9, 0.8]),
                 RerankCandidates(user: 1, items: [0, 1, 2], scores: [0.5, 0.4, 0.3])]
        let obj = UserGroupFairnessObjective(groupOf: { $0 == 0 ? "M" : "F" }, k: 1)
        let out = try Rerank.rerank(c, k: 1, lambda: 1, objective: obj)
        XCTAssertEqual(out.map(\.items), [[2], [0]])
        XCTAssertEqual(try Rerank.rerank(c, k: 1, lambda: 0, objective: obj).map(\.items), [[0], [0]])
    }

    func testDeterministic() throws {
        var rng = Xoshiro256(seed: 3)
        let many = (0..<50).map { u in
            RerankCandidates(user: Int32(u), items: (0..<20).map { Int32($0) }, scores: (0..<20).map { _ in rng.nextDouble() })
        }
        let groups = (0..<20).map { $0 % 3 }
        let obj = ProviderExposureObjective(itemGroup: groups, groupNames: ["a", "b", "c"], target: [0.2, 0.3, 0.5])
        let a = try Rerank.rerank(many, k: 10, lambda: 0.5, objective: obj)
        XCTAssertEqual(a, try Rerank.rerank(many, k: 10, lambda: 0.5, objective: obj))
        XCTAssertTrue(a.allSatisfy { Set($0.items).count == 10 })
    }
}
