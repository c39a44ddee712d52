import Foundation
import XCTest
@testable import RecCore

final class MetricsGroupTests: XCTestCase {
    func testGroupMeansAndDisparity() {
        // F: 0.2, 0.6 → 0.4 (2 users); M: 0.4, 0.8, 1.0 → 2.2/3 = 0.7333 (3 users); the NaN is skipped.
        // difference 2.2/3 − 0.4 = 1/3; ratio 0.4 / (2.2/3) = 6/11
        let g = GroupComparison(values: [0.2, 0.4, 0.6, 0.8, 1.0, .nan], groups: ["F", "M", "F", "M", "M", "F"])
        XCTAssertEqual(g.groups.map(\.group), ["F", "M"])
        XCTAssertEqual(g.groups.map(\.users), [2, 3])
        XCTAssertEqual(g.groups[0].mean, 0.4, accuracy: 1e-15)
        XCTAssertEqual(g.groups[1].mean, 2.2 / 3, accuracy: 1e-15)
        XCTAssertEqual(g.difference, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(g.ratio, 6.0 / 11, accuracy: 1e-15)
    }

    func testFromPerUserMetric() {
        // users 1, 3, 4 in group by parity of the user index; user 4 has no group.
        let m = PerUserMetric(users: [1, 3, 4], values: [0.5, 0.25, 1])
        let g = GroupComparison(m) { u -> Int? in u == 4 ? nil : Int(u) % 2 }
        XCTAssertEqual(g.groups, [GroupMean(group: 1, users: 2, mean: 0.375)])
        XCTAssertEqual(g.difference, 0)
        XCTAssertEqual(g.ratio, 1)
        let none = GroupComparison(values: [], groups: [String]())
        XCTAssertTrue(none.difference.isNaN)
        XCTAssertTrue(GroupComparison(values: [0, 0], groups: ["a", "b"]).ratio.isNaN)
    }

    func testItemExposure() {
        // lists [0,1,2], [0,1,3], [0,4]; groups a = {0, 1}, b = {2, 3, 4, 5}; popularity [4,2,1,0,8,1].
        // slots: a at ranks 1,2 | 1,2 | 1 → 5; b at ranks 3 | 3 | 2 → 3; shares 5/8, 3/8.
        // weights: a = 1 + w2 + 1 + w2 + 1 = 4.26186; b = ½ + ½ + w2 = 1.63093 → 0.723233, 0.276767
        // catalogue 2/6, 4/6; interactions a 4+2 = 6 of 16, b 1+0+8+1 = 10 of 16.
        let lists = RecommendationLists([[0, 1, 2], [0, 1, 3], [], [0, 4]])
        let e = Metrics.itemExposure(lists, itemGroups: ["a", "a", "b", "b", "b", "b"], popularity: [4, 2, 1, 0, 8, 1])
        XCTAssertEqual(e.map(\.group), ["a", "b"])
        XCTAssertEqual(e.map(\.items), [2, 4])
        XCTAssertEqual(e.map(\.slots), [5, 3])
        XCTAssertEqual(e[0].slotShare, 0.625)
        XCTAssertEqual(e[1].slotShare, 0.375)
        XCTAssertEqual(e[0].weightedShare, (3 + 2 * metricsW2) / (3 + 3 * metricsW2 + 1), accuracy: 1e-15)
        XCTAssertEqual(e[0].weightedShare, 0.72323297484191, accuracy: 1e-13)
        XCTAssertEqual(e[1].weightedShare, 0.27676702515809, accuracy: 1e-13)
        XCTAssertEqual(e[0].catalogueShare, 2.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(e[1].interactionShare, 0.625)
        // Top 1 only: three slots, all group a at rank 1.
        let top1 = Metrics.itemExposure(lists, k: 1, itemGroups: ["a", "a", "b", "b", "b", "b"], popularity: [4, 2, 1, 0, 8, 1])
        XCTAssertEqual(top1.map(\.slotShare), [1, 0])
        XCTAssertEqual(top1.map(\.weightedShare), [1, 0])
    }
}
