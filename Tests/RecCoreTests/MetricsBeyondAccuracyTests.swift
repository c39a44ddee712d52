import Foundation
import XCTest
@testable import RecCore

final class MetricsBeyondAccuracyTests: XCTestCase {
    // Catalogue of 6 items. user 0 [0, 1, 2], user 1 [0, 1, 3], user 2 no list, user 3 [0, 4].
    // counts: item 0 ×3, item 1 ×2, items 2, 3, 4 ×1, item 5 ×0; 8 slots.
    let lists = RecommendationLists([[0, 1, 2], [0, 1, 3], [], [0, 4]])
    // training users per item (N = 8 users)
    let popularity = [4, 2, 1, 0, 8, 1]

    func testDistributionCoverageGiniEntropy() {
        let d = Metrics.distribution(lists, itemCount: 6)
        XCTAssertEqual(d.counts, [3, 2, 1, 1, 1, 0])
        XCTAssertEqual(d.slots, 8)
        XCTAssertEqual(d.distinctItems, 5)
        XCTAssertEqual(d.coverage, 5.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(Metrics.catalogueCoverage(lists, itemCount: 6), 5.0 / 6, accuracy: 1e-15)
        // ascending [0, 1, 1, 1, 2, 3], n = 6: Σ (2i − 7) c = 0 − 3 − 1 + 1 + 6 + 15 = 18; /(6 · 8) = 0.375
        XCTAssertEqual(d.gini, 0.375, accuracy: 1e-15)
        // H = 3/8 ln(8/3) + 2/8 ln 4 + 3 · 1/8 ln 8 = 0.367811 + 0.346574 + 0.779791 = 1.494175 nats
        XCTAssertEqual(d.entropy, 1.4941751382893085, accuracy: 1e-13)
        XCTAssertEqual(d.normalizedEntropy, 1.4941751382893085 / log(6), accuracy: 1e-13)

        // Top 2 only: [0, 1], [0, 1], [0, 4] → counts [3, 2, 0, 0, 1, 0], coverage 3/6.
        let d2 = Metrics.distribution(lists, k: 2, itemCount: 6)
        XCTAssertEqual(d2.counts, [3, 2, 0, 0, 1, 0])
        XCTAssertEqual(d2.coverage, 0.5)
    }

    func testGiniExtremes() {
        XCTAssertEqual(Metrics.gini([2, 2, 2, 2]), 0, accuracy: 1e-15)
        // One item takes everything: (n − 1)/n.
        XCTAssertEqual(Metrics.gini([0, 0, 0, 5]), 0.75, accuracy: 1e-15)
        XCTAssertEqual(Metrics.gini([0, 9, 0, 0, 0, 0, 0, 0, 0, 0]), 0.9, accuracy: 1e-15)
        XCTAssertTrue(Metrics.gini([0, 0]).isNaN)
        XCTAssertTrue(Metrics.gini([]).isNaN)
    }

    func testEntropyMaximalForUniform() {
        XCTAssertEqual(Metrics.entropy([2, 2, 2, 2]), log(4), accuracy: 1e-15)
        XCTAssertEqual(Metrics.normalizedEntropy([2, 2, 2, 2]), 1, accuracy: 1e-15)
        XCTAssertEqual(Metrics.entropy([0, 0, 0, 8]), 0)
        for other in [[1, 2, 2, 3], [0, 2, 3, 3], [1, 1, 1, 5], [4, 4, 0, 0]] {
            XCTAssertLessThan(Metrics.entropy(other), log(4), "\(other)")
        }
        XCTAssertTrue(Metrics.entropy([0, 0]).isNaN)
        XCTAssertTrue(Metrics.normalizedEntropy([3]).isNaN)
    }

    func testIntraListDiversitySingleValued() {
        // categories per item [0, 0, 1, 1, 2, 0]
        // user 0 [0, 1, 2]: (0,1) same, (0,2) differ, (1,2) differ → 2/3
        // user 1 [0, 1, 3]: likewise 2/3; user 3 [0, 4]: differ → 1; user 2 excluded (no list)
        let ild = Metrics.intraListDiversity(lists, categories: [0, 0, 1, 1, 2, 0])
        XCTAssertEqual(ild.users, [0, 1, 3])
        XCTAssertEqual(ild.values[0], 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(ild.values[2], 1)
        XCTAssertEqual(ild.mean, 7.0 / 9, accuracy: 1e-15)
        // Top 1: every list has one item → no pairs → every user excluded.
        let one = Metrics.intraListDiversity(lists, k: 1, categories: [0, 0, 1, 1, 2, 0])
        XCTAssertEqual(one.count, 0)
        XCTAssertTrue(one.mean.isNaN)
    }

    func testCountedCategoryDiversityMatchesPairwise() {
        // 4000 lists of up to 30 items over 12 categories: enough work for the concurrent path, and
        // each chunk's code counts must be reset between lists for the two versions to agree.
        var seed: UInt64 = 11
        func next(_ n: Int) -> Int32 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int32((seed >> 33) % UInt64(n))
        }
        let categories = (0..<500).map { _ in next(12) }
        let many = RecommendationLists((0..<4000).map { u in (0..<(u % 31)).map { _ in next(500) } })
        let counted = Metrics.intraListDiversity(many, k: 30, categories: categories)
        let pairwise = Metrics.intraListDiversity(many, k: 30) { categories[Int($0)] != categories[Int($1)] ? 1 : 0 }
        XCTAssertEqual(counted.users, pairwise.users)
        XCTAssertEqual(counted.count, (0..<4000).filter { $0 % 31 >= 2 }.count)   // lists of 0 or 1 items are excluded
        for (a, b) in zip(counted.values, pairwise.values) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    }

    func testIntraListDiversityJaccard() {
        // labels: 0 {A,B}, 1 {B}, 2 {C}, 3 {A,B,C}, 4 {}, 5 {}
        // user 0 [0,1,2]: 1 − 1/2, 1 − 0, 1 − 0 → (0.5 + 1 + 1)/3 = 5/6
        // user 1 [0,1,3]: 1 − 1/2, 1 − 2/3, 1 − 1/3 → (0.5 + 1/3 + 2/3)/3 = 1/2
        // user 3 [0,4]: no common label → 1
        let (labels, _) = ItemSets.coded([["A", "B"], ["B"], ["C"], ["A", "B", "C"], [], []])
        let ild = Metrics.intraListDiversity(lists, labels: labels)
        XCTAssertEqual(ild.users, [0, 1, 3])
        XCTAssertEqual(ild.values[0], 5.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(ild.values[1], 0.5, accuracy: 1e-15)
        XCTAssertEqual(ild.values[2], 1)
        // Two items without labels are identical (Jaccard of two empty sets taken as 1).
        XCTAssertEqual(Metrics.intraListDiversity(RecommendationLists([[4, 5]]), labels: labels).values, [0])
    }

    func testNovelty() {
        // −log2(pop/8): item 0 → 1, item 1 → 2, item 2 → 3, item 3 (pop 0, taken as 1) → 3, item 4 → 0
        // user 0 (1+2+3)/3 = 2; user 1 (1+2+3)/3 = 2; user 3 (1+0)/2 = 0.5 → mean 1.5
        let n = Metrics.novelty(lists, popularity: popularity, userCount: 8)
        XCTAssertEqual(n.users, [0, 1, 3])
        XCTAssertEqual(n.values, [2, 2, 0.5])
        XCTAssertEqual(n.mean, 1.5)
    }

    func testAverageRecommendationPopularity() {
        // user 0 (4+2+1)/3 = 7/3; user 1 (4+2+0)/3 = 2; user 3 (4+8)/2 = 6 → mean 31/9
        let arp = Metrics.averagePopularity(lists, popularity: popularity)
        XCTAssertEqual(arp.values[0], 7.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(arp.values[1], 2)
        XCTAssertEqual(arp.values[2], 6)
        XCTAssertEqual(arp.mean, 31.0 / 9, accuracy: 1e-15)
    }

    func testLongTailSplitAndShare() {
        // 16 interactions; by popularity: item 4 (8), item 0 (4), item 1 (2), items 2, 5 (1), item 3 (0).
        // headShare 0.2 → 3.2: item 4 alone reaches it. 0.5 → 8: item 4 (8 ≥ 8). 0.6 → 9.6: items 4, 0.
        XCTAssertEqual(Metrics.longTailItems(popularity: popularity), [true, true, true, true, false, true])
        XCTAssertEqual(Metrics.longTailItems(popularity: popularity, headShare: 0.5), [true, true, true, true, false, true])
        let tail = Metrics.longTailItems(popularity: popularity, headShare: 0.6)
        XCTAssertEqual(tail, [false, true, true, true, false, true])
        XCTAssertEqual(Metrics.longTailItems(popularity: popularity, headShare: 0), [Bool](repeating: true, count: 6))
        // APLT with head {0, 4}: user 0 [0,1,2] → 2/3; user 1 [0,1,3] → 2/3; user 3 [0,4] → 0 → mean 4/9
        let aplt = Metrics.longTailShare(lists, longTail: tail)
        XCTAssertEqual(aplt.users, [0, 1, 3])
        XCTAssertEqual(aplt.values[2], 0)
        XCTAssertEqual(aplt.mean, 4.0 / 9, accuracy: 1e-15)
    }
}
