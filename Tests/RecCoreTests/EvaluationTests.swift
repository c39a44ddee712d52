import XCTest
@testable import RecCore

/// The evaluator on hand-computed cases: relevance, list metrics from given lists, rating
/// metrics from a model, groups and their disparity rows.
final class EvaluationTests: XCTestCase {
    /// Train: u0 has i0,i1; u1 has i0; u2 has i2. Test: u0 → i2, i3; u1 → i1; u2 → (none).
    func tinySplit() throws -> (Interactions, Interactions) {
        let train = try Interactions(userIDs: ["u0", "u0", "u1", "u2"], itemIDs: ["i0", "i1", "i0", "i2"], values: [5, 3, 4, 2])
        let test = try Interactions(userIDs: ["u0", "u0", "u1"], itemIDs: ["i2", "i3", "i1"], values: [4, 1, 5])
        return (train, test)
    }

    func testEvaluationDataAlignsIDsAndKeepsUnseenItemsRelevant() throws {
        let (train, test) = try tinySplit()
        let d = try EvaluationData(train: train, test: test)
        XCTAssertEqual(d.users, [0, 1])                    // u2 has no test item
        XCTAssertEqual(Array(d.relevant[0]), [2, 3])       // i3 is new: index 3 after training's 0…2
        XCTAssertEqual(Array(d.relevant[1]), [1])
        XCTAssertEqual(Array(d.training[0]), [0, 1])
        XCTAssertEqual(d.unseen.unseenItems, 1)
        XCTAssertEqual(d.popularity, [2, 1, 1, 0])
        // With a threshold only ratings ≥ 4 are relevant: u0 keeps i2 (4), not i3 (1).
        let t = try EvaluationData(train: train, test: test, threshold: 4)
        XCTAssertEqual(Array(t.relevant[0]), [2])
        XCTAssertEqual(t.ratingRange, 2...5)
        XCTAssertEqual(t.globalMean, 3.5)
    }

    func testListMetricsFromGivenLists() throws {
        let (train, test) = try tinySplit()
        let d = try EvaluationData(train: train, test: test)
        // u0 gets [i2, i0]: hit at rank 1 of 2 relevant; u1 gets [i2, i1]: hit at rank 2 of 1.
        let lists = RecommendationLists([[2, 0], [2, 1]])
        let e = try Evaluation.evaluate(.lists(lists), name: "given", data: d,
                                        metrics: ["precision@2", "recall@2", "ndcg@2", "mrr@2", "coverage@2"].map { try MetricSpec.parse($0, defaultK: 10) })
        // precision: (1/2 + 1/2)/2; recall: (1/2 + 1)/2; MRR: (1 + 1/2)/2.
        XCTAssertEqual(e.value("precision@2")!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(e.value("recall@2")!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(e.value("mrr@2")!, 0.75, accuracy: 1e-12)
        // NDCG: u0 DCG 1, IDCG 1 + 1/log2(3); u1 DCG 1/log2(3), IDCG 1.
        let u0 = 1 / (1 + 1 / log2(3.0)), u1 = 1 / log2(3.0)
        XCTAssertEqual(e.value("ndcg@2")!, (u0 + u1) / 2, accuracy: 1e-12)
        // Three distinct items of the four in the training ID space.
        XCTAssertEqual(e.value("coverage@2")!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(e.perUser["ndcg@2"]!.users, [0, 1])
        XCTAssertThrowsError(try Evaluation.evaluate(.lists(lists), name: "given", data: d, metrics: [MetricSpec(.rmse, k: nil)]))
    }

    func testRatingMetricsClipAndFallBack() throws {
        let (train, test) = try tinySplit()
        let d = try EvaluationData(train: train, test: test)
        // Fitted on the training log alone: it knows 3 items, so i3 (test only) is predicted as an
        // item without history, μ + b_u.
        let m = BiasBaseline(itemDamping: 0, userDamping: 0, iterations: 1)
        try m.fit(train)
        let e = try Evaluation.evaluate(.model(m), name: "bias", data: d, metrics: [MetricSpec(.rmse, k: nil), MetricSpec(.mae, k: nil)])
        XCTAssertEqual(m.score(user: 0, items: [3]), [m.globalMean + m.userBias[0]])
        // Recompute by hand from the model's own scores (clipped to 2…5).
        var errs: [Double] = []
        for (u, i, v) in [(Int32(0), Int32(2), 4.0), (0, 3, 1), (1, 1, 5)] {
            var p = Double(m.score(user: u, items: [i])[0])
            if !p.isFinite { p = 3.5 }
            errs.append(min(max(p, 2), 5) - v)
        }
        XCTAssertEqual(e.value("rmse")!, (errs.map { $0 * $0 }.reduce(0, +) / 3).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(e.value("mae")!, errs.map(abs).reduce(0, +) / 3, accuracy: 1e-9)
        XCTAssertEqual(e.notes, ["bias: 1 test rating(s) were predicted by the fallback: 1 for items it was not trained on (as items without history)"])
    }

    func testGroupRowsAndDisparity() throws {
        let (train, test) = try tinySplit()
        let d = try EvaluationData(train: train, test: test)
        let e = try Evaluation.evaluate(.lists(RecommendationLists([[2, 0], [2, 1]])), name: "given", data: d,
                                        metrics: [try MetricSpec.parse("recall@2", defaultK: 10)])
        let grouping = UserGrouping(name: "side", labels: ["a", "b", "a"])
        let t = try Evaluation.table([e], data: d, grouping: grouping)
        XCTAssertEqual(t.columnNames, ["model", "side", "users", "recall@2"])
        XCTAssertEqual(try t.column("side").values.map(\.description), ["all", "a", "b", "max-min", "min/max"])
        XCTAssertEqual(try t.column("recall@2").values.map(\.description), ["0.75", "0.5", "1.0", "0.5", "0.5"])
        XCTAssertEqual(try t.column("users").values.map(\.description), ["2", "1", "1", "nil", "nil"])
    }

    func testActivityBucketsAndMetricNames() throws {
        let train = try Interactions(userIDs: ["a", "b", "b", "c", "c", "c", "c"], itemIDs: ["1", "1", "2", "1", "2", "3", "4"])
        let g = UserGrouping.activity(of: train, buckets: 3)
        XCTAssertEqual(g.labels, ["1", "2-3", "4"])
        XCTAssertEqual(try MetricSpec.parse("NDCG@5", defaultK: 10).description, "ndcg@5")
        XCTAssertEqual(try MetricSpec.parse("hr", defaultK: 10).description, "hit_rate@10")
        XCTAssertEqual(try MetricSpec.parse("rmse", defaultK: 10).description, "rmse")
        XCTAssertThrowsError(try MetricSpec.parse("rmse@5", defaultK: 10))
        XCTAssertThrowsError(try MetricSpec.parse("ndcg@0", defaultK: 10))
        XCTAssertThrowsError(try MetricSpec.parse("nope", defaultK: 10)) { e in
            XCTAssertTrue("\(e)".contains("known: rmse, mae"), "\(e)")
        }
    }
}
