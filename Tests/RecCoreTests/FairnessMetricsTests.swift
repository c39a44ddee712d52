import Foundation
import XCTest
@testable import RecCore

/// Every fairness measure against a hand computation (the arithmetic is in the comments).
final class FairnessMetricsTests: XCTestCase {
    func testYaoHuangRatingUnfairness() {
        // Users 0, 1 in g, user 2 in ¬g. Item 0: g d = mean(4,2) − mean(3,2) = 0.5, ¬g d = 3 − 4 = −1.
        // Item 1: g d = 5 − 5 = 0, ¬g d = 4 − 3 = 1. Item 2 is rated by g only and left out: n = 2.
        // value (|0.5+1| + |0−1|)/2 = 1.25; absolute (|0.5−1| + |0−1|)/2 = 0.75;
        // under (|0−1| + |0−0|)/2 = 0.5; over (|0.5−0| + |0−1|)/2 = 0.75;
        // non-parity |mean(4,2,5,1) − mean(3,4)| = |3 − 3.5| = 0.5.
        let u = Metrics.ratingUnfairness(users: [0, 1, 2, 0, 2, 1], items: [0, 0, 0, 1, 1, 2],
                                         predictions: [4, 2, 3, 5, 4, 1], truth: [3, 2, 4, 5, 3, 2],
                                         inGroup: { $0 < 2 })
        XCTAssertEqual(u.items, 2)
        XCTAssertEqual(u.value, 1.25, accuracy: 1e-12)
        XCTAssertEqual(u.absolute, 0.75, accuracy: 1e-12)
        XCTAssertEqual(u.under, 0.5, accuracy: 1e-12)
        XCTAssertEqual(u.over, 0.75, accuracy: 1e-12)
        XCTAssertEqual(u.nonParity, 0.5, accuracy: 1e-12)
        // Symmetric in the two groups.
        let swapped = Metrics.ratingUnfairness(users: [0, 1, 2, 0, 2, 1], items: [0, 0, 0, 1, 1, 2],
                                               predictions: [4, 2, 3, 5, 4, 1], truth: [3, 2, 4, 5, 3, 2],
                                               inGroup: { $0 >= 2 })
        XCTAssertEqual(swapped, u)
    }

    func testPopRSPAndPopREO() {
        // Head {0, 1}, tail {2, 3, 4}. Lists (k = 2): u0 [0, 2], u1 [1, 0]; u0 trained on 3.
        // RSP: head 3 of (2 + 2) candidate slots, tail 1 of (3−1) + 3 → 0.75 and 0.2;
        // std/mean = |0.75 − 0.2| / (0.75 + 0.2) = 0.55 / 0.95.
        let head = [true, true, false, false, false]
        let lists = RecommendationLists([[0, 2], [1, 0]])
        let training = ItemSets([[3], []])
        XCTAssertEqual(Metrics.popRSP(lists, k: 2, training: training, shortHead: head), 0.55 / 0.95, accuracy: 1e-12)
        // REO: relevant u0 {2, 4}, u1 {0, 3}: hits tail 1 (u0's 2) of 3, head 1 (u1's 0) of 1 → (1 − 1/3)/(1 + 1/3) = 0.5.
        let relevant = ItemSets([[2, 4], [0, 3]])
        XCTAssertEqual(Metrics.popREO(lists, k: 2, relevant: relevant, training: training, shortHead: head), 0.5, accuracy: 1e-12)
        // Equal probabilities: parity.
        XCTAssertEqual(Metrics.stdOverMean([0.3, 0.3]), 0, accuracy: 1e-15)
    }

    func testExpectedExposure() {
        // One user, 5 items, relevant {1}, list [0, 1], γ = 0.5: ε = (1, 0.5, 0, 0, 0).
        // Target: the relevant item gets rank 1 (1.0); the 4 others share rank 2 (0.5/4 = 0.125 each).
        // EE-D = 1 + 0.25 = 1.25; EE-R = 1·0.125 + 0.5·1 = 0.625;
        // EE-L = ‖(0.875, −0.5, −0.125, −0.125, −0.125)‖² = 0.765625 + 0.25 + 3·0.015625 = 1.0625.
        let e = Metrics.expectedExposure(RecommendationLists([[0, 1]]), k: 2, relevant: ItemSets([[1]]),
                                         training: ItemSets([[]]), itemCount: 5, patience: 0.5)
        XCTAssertEqual(e.disparity, 1.25, accuracy: 1e-12)
        XCTAssertEqual(e.relevance, 0.625, accuracy: 1e-12)
        XCTAssertEqual(e.loss, 1.0625, accuracy: 1e-12)
    }

    func testEquityOfAttention() {
        // p = 0.5, k = 2: attention 0.5, 0.25 normalised to 2/3, 1/3. Lists u0 [0, 1], u1 [0, 2];
        // relevant u0 {1}, u1 {0}. Amortized: A = (4/3, 1/3, 1/3), R = (1, 1, 0):
        // (1/3 + 2/3 + 1/3) / 2 rankings = 2/3. Per ranking: u0 2/3 + 2/3 = 4/3, u1 1/3 + 1/3 = 2/3 → mean 1.
        let a = Metrics.equityOfAttention(RecommendationLists([[0, 1], [0, 2]]), k: 2, relevant: ItemSets([[1], [0]]),
                                          training: ItemSets([[], []]), itemCount: 3, p: 0.5)
        XCTAssertEqual(a.amortized, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(a.perRanking, 1, accuracy: 1e-12)
    }

    func testMeanAbsoluteDifference() {
        // Pairs of (1, 2, 4): 1, 3, 2 → 2.
        XCTAssertEqual(Metrics.meanAbsoluteDifference([1, 2, 4]), 2, accuracy: 1e-15)
        XCTAssertTrue(Metrics.meanAbsoluteDifference([1]).isNaN)
        // Items: 0 shown twice, relevant once → 0.5; 1 shown once, not relevant → 0; 2 shown once, relevant → 1.
        // Group a = {0, 1}: 0.25; b = {2}: 1 → MAD 0.75.
        let m = Metrics.itemMAD(RecommendationLists([[0, 1], [0, 2]]), k: 2, relevant: ItemSets([[0], [2]]),
                                itemGroups: ["a", "a", "b"])
        XCTAssertEqual(m, 0.75, accuracy: 1e-15)
        // Users: group F mean 0.4, M mean 0.8 → 0.4.
        let per = PerUserMetric(users: [0, 1, 2, 3], values: [0.2, 0.6, 0.8, 0.8])
        XCTAssertEqual(Metrics.userMAD(per) { $0 < 2 ? "F" : "M" }, 0.4, accuracy: 1e-15)
    }

    func testParetoFront() {
        // (ndcg ↑, gap ↓): (0.3, 0.1) dominates (0.2, 0.2); (0.25, 0.05) trades off; NaN never on the front.
        let f = Pareto.front([[0.3, 0.1], [0.2, 0.2], [0.25, 0.05], [.nan, 0]], higherIsBetter: [true, false])
        XCTAssertEqual(f, [true, false, true, false])
        // Equal points do not dominate each other.
        XCTAssertEqual(Pareto.front([[1, 1], [1, 1]], higherIsBetter: [true, true]), [true, true])
    }

    func testGroupIntervalsSeparatedGroups() {
        // Group 0 all 0, group 1 all 1 (10 users each): every resample keeps the values, and only the
        // observed split (or its mirror, 2 of C(20,10) = 184756 labellings) reaches a gap of 1.
        let s = GroupedSamples(groups: Array(repeating: 0, count: 10) + Array(repeating: 1, count: 10),
                               numerators: Array(repeating: 0, count: 10) + Array(repeating: 1, count: 10), groupCount: 2)
        let r = Significance.groupIntervals(s, level: 0.95, resamples: 200, permutations: 999, seed: 7)
        XCTAssertEqual(r.groups[0], .init(low: 0, high: 0))
        XCTAssertEqual(r.groups[1], .init(low: 1, high: 1))
        XCTAssertEqual(r.gap, .init(low: 1, high: 1))
        XCTAssertEqual(r.all, .init(low: 0.5, high: 0.5))
        XCTAssertEqual(r.pValue, 1.0 / 1000, accuracy: 1e-12)
        XCTAssertEqual(Significance.groupIntervals(s, resamples: 200, permutations: 999, seed: 7), r, "same seed, same answer")
    }

    func testGroupIntervalsSameDistribution() {
        // Both groups draw from the same values: the gap is not significant, and each interval covers its mean.
        let values: [Double] = [0.1, 0.5, 0.9, 0.3, 0.7, 0.2, 0.6, 0.4, 0.8, 0.0]
        let s = GroupedSamples(groups: (0..<20).map { $0 % 2 }, numerators: values + values.reversed(), groupCount: 2)
        let r = Significance.groupIntervals(s, level: 0.9, resamples: 500, permutations: 500, seed: 1)
        XCTAssertGreaterThan(r.pValue, 0.5)
        XCTAssertLessThan(r.groups[0].low, 0.45); XCTAssertGreaterThan(r.groups[0].high, 0.45)
        XCTAssertNotEqual(Significance.groupIntervals(s, level: 0.9, resamples: 500, permutations: 500, seed: 2), r)
        // Ratio form (RMSE): group value √(Σ e² / n).
        let rm = GroupedSamples(groups: [0, 0], numerators: [9, 16], denominators: [1, 1], groupCount: 1, squareRoot: true)
        XCTAssertEqual(rm.groupValues(labels: [0, 0])[0], (25.0 / 2).squareRoot(), accuracy: 1e-12)
    }

    func testQuantileType7() {
        XCTAssertEqual(Significance.quantile([1, 2, 3, 4], 0.5), 2.5)
        XCTAssertEqual(Significance.quantile([1, 2, 3, 4], 0.025), 1.075, accuracy: 1e-12)
        XCTAssertEqual(Significance.quantile([5], 0.9), 5)
    }
}
