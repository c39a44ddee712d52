import XCTest
@testable import RecCore

/// Shared fixtures for the metric tests: 1/log2(rank+1) for ranks 2 and 3.
let metricsW2 = 1 / log2(3.0)          // 0.6309297535714575
let metricsW3 = 1 / log2(4.0)          // 0.5

final class MetricsInputTests: XCTestCase {
    func testItemSetsSortAndDeduplicate() {
        let s = ItemSets(rows: [1, 0, 1, 1], items: [5, 2, 3, 5], rowCount: 3)
        XCTAssertEqual(s.count, 3)
        XCTAssertEqual(Array(s[0]), [2])
        XCTAssertEqual(Array(s[1]), [3, 5])
        XCTAssertEqual(Array(s[2]), [])
        XCTAssertEqual(Array(s[7]), [])
        XCTAssertTrue(s.contains(5, row: 1))
        XCTAssertFalse(s.contains(4, row: 1))
        XCTAssertEqual(ItemSets([[3, 1, 3], []]), ItemSets(offsets: [0, 2, 2], items: [1, 3]))
    }

    func testRelevanceThreshold() {
        // Ratings ≥ 4 are relevant: user 0 keeps item 3 (4.0, not 2.0), user 1 item 3 (5.0, not
        // 3.5), user 2 has no test rows.
        let r = ItemSets.relevant(users: [0, 0, 1, 1], items: [3, 4, 3, 5], ratings: [4, 2, 5, 3.5],
                                  threshold: 4, userCount: 3)
        XCTAssertEqual(r, ItemSets([[3], [3], []]))
    }

    func testCodedLabels() {
        let (sets, names) = ItemSets.coded([["Drama", "Comedy"], [], ["Comedy"]])
        XCTAssertEqual(names, ["Drama", "Comedy"])
        XCTAssertEqual(sets, ItemSets([[0, 1], [], [1]]))
    }

    func testListsFromFixedKMatrixStopAtPadding() {
        let l = RecommendationLists(k: 3, items: [4, 2, 7, 3, 5, -1, -1, -1, -1])
        XCTAssertEqual(l, RecommendationLists([[4, 2, 7], [3, 5], []]))
        XCTAssertEqual(l.offsets, [0, 3, 5, 5])
        XCTAssertEqual(Array(l[1]), [3, 5])
        XCTAssertEqual(Array(l[3]), [])
    }

    func testPerUserMetricLookupAndPairing() {
        let a = PerUserMetric(users: [0, 2, 5], values: [0.1, 0.2, 0.3])
        let b = PerUserMetric(users: [2, 3, 5], values: [1, 2, 3])
        XCTAssertEqual(a.value(user: 2), 0.2)
        XCTAssertNil(a.value(user: 3))
        XCTAssertEqual(a.mean, 0.2, accuracy: 1e-15)
        XCTAssertTrue(PerUserMetric(users: [], values: []).mean.isNaN)
        let p = a.paired(with: b)
        XCTAssertEqual(p.users, [2, 5])
        XCTAssertEqual(p.a, [0.2, 0.3])
        XCTAssertEqual(p.b, [1, 3])
    }
}

final class MetricsRatingTests: XCTestCase {
    func testRMSEAndMAE() {
        // errors p − t: −0.5, 0, −1, 2; squares 0.25 + 0 + 1 + 4 = 5.25, /4 = 1.3125, √ = 1.14564…;
        // |errors| 0.5 + 0 + 1 + 2 = 3.5, /4 = 0.875.
        let p = [3.5, 4.0, 2.0, 5.0], t = [4.0, 4, 3, 3]
        XCTAssertEqual(Metrics.rmse(predictions: p, truth: t), 1.3125.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(Metrics.mae(predictions: p, truth: t), 0.875, accuracy: 1e-15)
        XCTAssertTrue(Metrics.rmse(predictions: [], truth: []).isNaN)
        XCTAssertTrue(Metrics.mae(predictions: [], truth: []).isNaN)

        // Per user: user 0 errors −0.5, 0 → RMSE √(0.25/2) = 0.35355…, MAE 0.25; user 1 errors −1, 2
        // → RMSE √(5/2) = 1.58113…, MAE 1.5; user 2 has no pairs and is absent.
        let e = Metrics.ratingErrors(users: [0, 0, 1, 1], predictions: p, truth: t, userCount: 3)
        XCTAssertEqual(e.rmse.users, [0, 1])
        XCTAssertEqual(e.rmse.values[0], 0.125.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(e.rmse.values[1], 2.5.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(e.mae.values, [0.25, 1.5])
    }
}

final class MetricsTopNTests: XCTestCase {
    // user 0: relevant {1, 4, 7}, list [4, 2, 7, 1] → top 3 [4, 2, 7], hits at ranks 1 and 3
    // user 1: relevant {5}, list [3, 5] (shorter than k), hit at rank 2
    // user 2: no relevant items → excluded although it has a list
    // user 3: relevant {0, 9}, empty list → 0 everywhere
    // user 4: relevant {8}, no row in the lists at all → 0 everywhere
    let lists = RecommendationLists([[4, 2, 7, 1], [3, 5], [1, 2, 3], []])
    let relevant = ItemSets([[1, 4, 7], [5], [], [0, 9], [8]])

    func testHandComputedAtK3() {
        let r = Metrics.topN(lists, relevant: relevant, k: 3)
        XCTAssertEqual(r.k, 3)
        for m in TopNMetric.allCases { XCTAssertEqual(r[m].users, [0, 1, 3, 4], "\(m)") }
        // precision = hits / k: 2/3, 1/3, 0, 0 → mean 1/4
        check(r.precision, [2.0 / 3, 1.0 / 3, 0, 0], mean: 0.25)
        // recall = hits / |rel|: 2/3, 1/1, 0, 0 → mean 5/12
        check(r.recall, [2.0 / 3, 1, 0, 0], mean: 5.0 / 12)
        // F1 = 2PR/(P+R): user 0 2·(2/3)(2/3)/(4/3) = 2/3; user 1 2·(1/3)·1/(4/3) = 1/2
        check(r.f1, [2.0 / 3, 0.5, 0, 0], mean: (2.0 / 3 + 0.5) / 4)
        check(r.hitRate, [1, 1, 0, 0], mean: 0.5)
        // first hit at rank 1 and rank 2
        check(r.reciprocalRank, [1, 0.5, 0, 0], mean: 0.375)
        // AP: user 0 (P@1 + P@3)/min(3, 3) = (1 + 2/3)/3 = 5/9; user 1 (P@2)/min(3, 1) = 1/2
        check(r.averagePrecision, [5.0 / 9, 0.5, 0, 0], mean: (5.0 / 9 + 0.5) / 4)
        // NDCG: user 0 DCG = 1/log2(2) + 1/log2(4) = 1.5, IDCG(3) = 1 + 1/log2(3) + 1/2 → 0.70392;
        // user 1 DCG = 1/log2(3), IDCG(1) = 1 → 0.63093
        let n0 = 1.5 / (1 + metricsW2 + metricsW3)
        XCTAssertEqual(n0, 0.7039180890341347, accuracy: 1e-15)
        check(r.ndcg, [n0, metricsW2, 0, 0], mean: (n0 + metricsW2) / 4)
    }

    func testKLargerThanEveryList() {
        // k = 10: the same hits, precision divides by 10; AP and NDCG denominators use min(k, |rel|),
        // so they are unchanged for user 1 and user 0 gains rank 4 (item 1):
        // user 0 AP = (1 + 2/3 + 3/4)/3 = 29/36, DCG = 1 + 1/2 + 1/log2(5), IDCG(3) as before.
        let r = Metrics.topN(lists, relevant: relevant, k: 10)
        check(r.precision, [0.3, 0.1, 0, 0], mean: 0.1)
        check(r.recall, [1, 1, 0, 0], mean: 0.5)
        check(r.averagePrecision, [29.0 / 36, 0.5, 0, 0], mean: (29.0 / 36 + 0.5) / 4)
        let dcg0 = 1 + metricsW3 + 1 / log2(5.0)
        check(r.ndcg, [dcg0 / (1 + metricsW2 + metricsW3), metricsW2, 0, 0],
              mean: (dcg0 / (1 + metricsW2 + metricsW3) + metricsW2) / 4)
    }

    func testMoreRelevantItemsThanK() {
        // relevant {1..5}, top 3 of [1, 9, 2]: hits at 1 and 3. AP = (1 + 2/3)/min(3, 5) = 5/9;
        // NDCG = (1 + 1/2)/IDCG(3); recall = 2/5.
        let r = Metrics.topN(RecommendationLists([[1, 9, 2, 3]]), relevant: ItemSets([[1, 2, 3, 4, 5]]), k: 3)
        XCTAssertEqual(r.averagePrecision.values[0], 5.0 / 9, accuracy: 1e-15)
        XCTAssertEqual(r.ndcg.values[0], 0.7039180890341347, accuracy: 1e-15)
        XCTAssertEqual(r.recall.values[0], 0.4, accuracy: 1e-15)
        // A perfect list scores 1 on AP and NDCG.
        let perfect = Metrics.topN(RecommendationLists([[3, 1, 2]]), relevant: ItemSets([[1, 2, 3, 4, 5]]), k: 3)
        XCTAssertEqual(perfect.averagePrecision.values[0], 1, accuracy: 1e-15)
        XCTAssertEqual(perfect.ndcg.values[0], 1, accuracy: 1e-15)
    }

    func testNoRelevantItemsAnywhere() {
        let r = Metrics.topN(lists, relevant: ItemSets([[], []]), k: 5)
        XCTAssertEqual(r.ndcg.count, 0)
        XCTAssertTrue(r.ndcg.mean.isNaN)
    }

    func testParallelPathMatchesNaiveReference() {
        // 6000 users × k 20 is enough work for the concurrent path.
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int32 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int32((seed >> 33) % UInt64(n))
        }
        let users = 6000, items = 300, k = 20
        var recs = [[Int32]](), rels = [[Int32]]()
        for u in 0..<users {
            var l = [Int32](), seen = Set<Int32>()
            for _ in 0..<(u % 25) { let x = next(items); if seen.insert(x).inserted { l.append(x) } }
            recs.append(l)
            rels.append((0..<(u % 7)).map { _ in next(items) })
        }
        let r = Metrics.topN(RecommendationLists(recs), relevant: ItemSets(rels), k: k)
        var expected = [Int32: (Double, Double)]()
        for u in 0..<users {
            let rel = Set(rels[u])
            guard !rel.isEmpty else { continue }
            var hits = 0, ap = 0.0, dcg = 0.0
            for (j, x) in recs[u].prefix(k).enumerated() where rel.contains(x) {
                hits += 1
                ap += Double(hits) / Double(j + 1)
                dcg += 1 / log2(Double(j + 2))
            }
            let ideal = (0..<min(k, rel.count)).reduce(0.0) { $0 + 1 / log2(Double($1 + 2)) }
            expected[Int32(u)] = (ap / Double(min(k, rel.count)), dcg / ideal)
        }
        XCTAssertEqual(r.ndcg.users, expected.keys.sorted())
        for (j, u) in r.ndcg.users.enumerated() {
            XCTAssertEqual(r.averagePrecision.values[j], expected[u]!.0, accuracy: 1e-12)
            XCTAssertEqual(r.ndcg.values[j], expected[u]!.1, accuracy: 1e-12)
        }
    }

    private func check(_ m: PerUserMetric, _ values: [Double], mean: Double,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(m.values.count, values.count, file: file, line: line)
        for (a, b) in zip(m.values, values) { XCTAssertEqual(a, b, accuracy: 1e-12, file: file, line: line) }
        XCTAssertEqual(m.mean, mean, accuracy: 1e-12, file: file, line: line)
    }
}

final class MetricsAUCTests: XCTestCase {
    // scores over items 0…5; training {0}; relevant {2, 5}.
    // candidates 1…5: relevant 2 (0.5), 5 (0.8); non-relevant 1 (0.1), 3 (0.5), 4 (0.3).
    // pairs: 2>1 ✓, 2=3 ½, 2>4 ✓, 5>1 ✓, 5>3 ✓, 5>4 ✓ → 5.5 / 6
    let scores: [Float] = [0.9, 0.1, 0.5, 0.5, 0.3, 0.8]

    func testSingleUserHandComputed() {
        XCTAssertEqual(Metrics.auc(scores: scores, relevant: [5, 2], excluded: [0])!, 5.5 / 6, accuracy: 1e-15)
        // Item 0 (0.9) becomes a non-relevant candidate both relevant items lose to: 5.5 / 8.
        XCTAssertEqual(Metrics.auc(scores: scores, relevant: [2, 5])!, 5.5 / 8, accuracy: 1e-15)
    }

    func testAllTiedIsOneHalf() {
        XCTAssertEqual(Metrics.auc(scores: [Float](repeating: 1, count: 7), relevant: [1, 4], excluded: [0])!, 0.5)
    }

    func testUndefinedCases() {
        // The only relevant item is a training item → no relevant candidate.
        XCTAssertNil(Metrics.auc(scores: scores, relevant: [0], excluded: [0]))
        // Every candidate is relevant → no non-relevant candidate.
        XCTAssertNil(Metrics.auc(scores: scores, relevant: [1, 2, 3, 4, 5], excluded: [0]))
        XCTAssertNil(Metrics.auc(scores: scores, relevant: []))
    }

    func testNaNScoresRankLowest() {
        // relevant 1 (NaN) below non-relevant 0 (0.2) and tied with non-relevant 2 (NaN): ½ / 2.
        XCTAssertEqual(Metrics.auc(scores: [0.2, .nan, .nan], relevant: [1])!, 0.25)
    }

    func testScoreMatrixPerUser() {
        // user 0: the case above (5.5/6); user 1: relevant {0}, training {}: item 0 (0.9) beats all
        // five others → 1; user 2: no relevant items → excluded.
        let matrix = scores + scores + scores
        let r = Metrics.auc(scoreMatrix: matrix, itemCount: 6, training: ItemSets([[0], [], [1]]),
                            relevant: ItemSets([[2, 5], [0], []]))
        XCTAssertEqual(r.users, [0, 1])
        XCTAssertEqual(r.values[0], 5.5 / 6, accuracy: 1e-15)
        XCTAssertEqual(r.values[1], 1)
    }

    func testParallelPathMatchesPairCounting() {
        // 400 users × 400 items crosses the concurrency threshold; the reference counts every pair.
        let users = 400, items = 400
        var seed: UInt64 = 7
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let matrix = (0..<users * items).map { _ in Float(next(50)) }   // many ties
        let train = (0..<users).map { u in (0..<(u % 9)).map { _ in Int32(next(items)) } }
        let rel = (0..<users).map { u in (0..<(u % 5)).map { _ in Int32(next(items)) } }
        let r = Metrics.auc(scoreMatrix: matrix, itemCount: items, training: ItemSets(train), relevant: ItemSets(rel))
        var checked = 0
        for u in 0..<users {
            let t = Set(train[u]), rs = Set(rel[u]).subtracting(t)
            let pos = rs.map { matrix[u * items + Int($0)] }
            let neg = (0..<items).filter { !t.contains(Int32($0)) && !rs.contains(Int32($0)) }.map { matrix[u * items + $0] }
            guard !pos.isEmpty, !neg.isEmpty else { XCTAssertNil(r.value(user: Int32(u))); continue }
            var s = 0.0
            for p in pos { for q in neg { s += p > q ? 1 : p == q ? 0.5 : 0 } }
            XCTAssertEqual(r.value(user: Int32(u))!, s / Double(pos.count * neg.count), accuracy: 1e-12)
            checked += 1
        }
        XCTAssertEqual(checked, r.count)
        XCTAssertGreaterThan(checked, 250)
    }
}
