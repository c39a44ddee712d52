import Foundation
import XCTest
import RecLang
import RecStore

/// The model and evaluation builtins through the language, on the 4×4 rating matrix
/// R = [[5,4,0,0],[4,0,5,0],[0,5,0,4],[5,0,4,0]] (users u0…u3, items i0…i3).
final class ModelBindingTests: XCTestCase {
    static let tiny = """
    let R = [[5, 4, 0, 0], [4, 0, 5, 0], [0, 5, 0, 4], [5, 0, 4, 0]]
    var rows = []
    for u in 0..<4 { for i in 0..<4 { if R[u][i] > 0 { rows.append(["user": "u\\(u)", "item": "i\\(i)", "rating": R[u][i]]) } } }
    let data = from_table(table(rows))

    """

    private func run(_ source: String) -> (Result<Value, RecError>, CollectingSink) {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        return (session.evaluate(ModelBindingTests.tiny + source, name: "t.rec", showResult: false), sink)
    }

    private func printed(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let (r, sink) = run(source)
        if case .failure(let e) = r { XCTFail(e.render(color: false), file: file, line: line) }
        return sink.events.map { if case .stream(_, let s) = $0 { return s }; return "" }.joined()
    }

    private func fails(_ source: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        let (r, _) = run(source)
        guard case .failure(let e) = r else { return XCTFail("expected an error", file: file, line: line) }
        XCTAssertTrue(e.message.contains(fragment), e.message, file: file, line: line)
    }

    func testFitReportsItsEpochsAsProgressEventsOfOneID() {
        let (r, sink) = run("""
        fit(biased_mf(factors: 2, epochs: 3), data)
        fit(popularity(), data)
        fit(als(factors: 2, iterations: 2), data)
        """)
        if case .failure(let e) = r { return XCTFail(e.render(color: false)) }
        let progress = sink.events.compactMap { e -> ProgressUpdate? in if case .progress(let p) = e { return p }; return nil }
        // Popularity has no epochs: no events. Each iterative fit: its first and last epoch (those
        // in between at most 20 a second: these take microseconds), then its end.
        XCTAssertEqual(progress.map(\.id), ["fit-1", "fit-1", "fit-1", "fit-3", "fit-3", "fit-3"])
        XCTAssertEqual(progress.map(\.state), [.running, .running, .finished, .running, .running, .finished])
        XCTAssertEqual(progress.map(\.step), [1, 3, 3, 1, 2, 2])
        XCTAssertEqual(progress[0].label, "biased_mf")
        XCTAssertTrue(progress[0].detail?.hasPrefix("loss ") ?? false, "\(progress[0])")
        XCTAssertEqual(progress[2].barText(width: 4), "biased_mf [====] 3/3  " + progress[2].detail!)
        // ProgressUpdate is for front ends: a transcript (what a pipe would show) has none of it.
        XCTAssertEqual(sink.transcript, "")
    }

    func testLongOperationsReportProgressAndEndOnce() {
        let (r, sink) = run("""
        cross_validate(popularity(), data, folds: 2, metrics: ["recall@2"])
        recommend_all(fit(popularity(), data), k: 2)
        """)
        if case .failure(let e) = r { return XCTFail(e.render(color: false)) }
        let progress = sink.events.compactMap { e -> ProgressUpdate? in if case .progress(let p) = e { return p }; return nil }
        let byID = Dictionary(grouping: progress, by: \.id)
        // cross_validate: fold 0 of 2 first, 2 of 2 last (steps between are sent at most 20 a
        // second), then finished; each fold's evaluation has its own id.
        let cv = byID.values.first { $0[0].kind == "cross_validate" } ?? []
        XCTAssertEqual(cv.first?.step, 0)
        XCTAssertEqual(cv.suffix(2).map(\.step), [2, 2])
        XCTAssertEqual(cv.last?.state, .finished)
        XCTAssertTrue(cv.allSatisfy { $0.total == 2 })
        XCTAssertEqual(byID.values.filter { $0[0].kind == "cross_validate" }.count, 1)
        XCTAssertEqual(byID.values.filter { $0[0].kind == "evaluate" }.count, 2)
        let ra = byID.values.first { $0[0].kind == "recommend_all" } ?? []
        XCTAssertEqual(ra.last?.state, .finished)
        XCTAssertEqual(ra.last?.step, ra.last?.total)
        // Every operation ends exactly once, with its last event.
        for (id, events) in byID {
            XCTAssertEqual(events.filter { $0.state != .running }.count, 1, id)
            XCTAssertNotEqual(events.last?.state, .running, id)
        }
    }

    func testTheSameEvaluationWarningIsShownOnceWithACount() {
        // u3 is not in train: every evaluate() on this pair warns about it. Once, then a count.
        let (r, sink) = run("""
        let train = from_table(filter_rows(table(data), { r in r["user"] != "u3" }))
        let m = fit(popularity(), train)
        for k in [1, 2, 3] { evaluate(m, data, train: train, metrics: ["recall@\\(k)"]) }
        evaluate(m, data, train: train)
        """)
        if case .failure(let e) = r { return XCTFail(e.render(color: false)) }
        let warnings = sink.events.compactMap { e -> String? in
            if case .warning(let m, let loc) = e { return "\(loc.map { "\($0.line):\($0.column)" } ?? "-") \(m)" }
            return nil
        }
        XCTAssertEqual(warnings, [
            "7:30 evaluate(): 1 test user(s) and 0 test item(s) are not in the training data; such users are treated as users without history, and such items stay in the truth though only content_based can recommend them",
            "7:30 repeated 3 more times (also from line 8): evaluate(): 1 test user(s) and 0 test item(s) are not in …",
        ])
    }

    func testPopularityRecommendsByCountExcludingSeen() {
        // Counts: i0 3, i2 2, i1 2, i3 1. u2 has seen i1 and i3: best unseen are i0 then i2.
        XCTAssertEqual(printed("let m = fit(popularity(), data)\nprint(recommend(m, \"u2\", k: 2)[\"item\"])"), "[\"i0\", \"i2\"]\n")
        // With exclude_seen: false the seen i1 (tied with i2, lower index) comes second.
        XCTAssertEqual(printed("print(recommend(fit(popularity(), data), \"u2\", k: 2, exclude_seen: false)[\"item\"])"), "[\"i0\", \"i1\"]\n")
    }

    func testBiasBaselinePredictIsMeanPlusBiases() {
        // Undamped, one pass: μ = 36/8 = 4.5; b_i0 = mean(5,4,5) − 4.5 = 0.1667 …; predict = μ + b_u + b_i.
        let out = printed("""
        let m = fit(bias_baseline(item_damping: 0, user_damping: 0, iterations: 1), data)
        let e = explain(m, "u0", "i2")
        print(format(e.parts["value"][0], digits: 4), format(predict(m, "u0", "i2"), digits: 4), format(e.score, digits: 4))
        """)
        // b_i2 = mean(5, 4) − 4.5 = 0; b_u0 = mean(5 − 4.5 − b_i0, 4 − 4.5 − b_i1) with b_i0 = 1/6, b_i1 = 0
        // → (1/3 − 1/2)/2 = −1/12; prediction 4.5 − 0.0833 + 0 = 4.4167.
        XCTAssertEqual(out, "4.5000 4.4167 4.4167\n")
    }

    func testItemKNNRecommendsAndExplainsWithNeighbours() {
        let out = printed("""
        let m = fit(item_knn(k: 2), data)
        let r = recommend(m, "u0", k: 1)
        print(r["item"], count(similar_items(m, "i0", k: 2)))
        let e = explain(m, "u0", r["item"][0])
        print(e.parts["part"][0] |> starts_with("neighbour item"))
        """)
        XCTAssertEqual(out, "[\"i2\"] 2\ntrue\n")
    }

    /// IDs keep one type across every table made from one dataset, so they join: integer IDs
    /// give Int columns in table(d), d[i], recommendations and per-user tables alike.
    func testIntegerIDsJoinAcrossTablesAndRecommendations() {
        let out = printed("""
        let d = from_table(table(["user": [1, 1, 2, 3, 3], "item": [10, 20, 10, 20, 30]]))
        let m = fit(popularity(), d)
        let recs = recommend_all(m, k: 2)
        let items = table(["item": [10, 20, 30], "colour": ["red", "green", "blue"]])
        let joined = merge(recs, items, on: "item")
        print(count(joined), joined["colour"], d[0]["user"] == table(d)["user"][0], recs["user"][0] == 1)
        print(merge(table(d), per_user(m, train_test(d, d), metric: "hit@1"), on: "user") |> count)
        """)
        XCTAssertEqual(out, "4 [\"blue\", \"green\", \"blue\", \"red\"] true true\n5\n")
    }

    func testPopularityByChannelAndByGroupThroughTheLanguage() {
        let out = printed("""
        let d = from_table(table(["user": ["a", "a", "b", "c"], "item": ["x", "y", "y", "x"], "channel": ["app", "app", "web", "web"]]))
        print(recommend(fit(popularity(by: "channel"), d), "b", k: 1)["item"])
        """)
        XCTAssertEqual(out, "[\"x\"]\n")
        fails("fit(popularity(by: \"gender\"), data)", "no such user attribute")
    }

    /// The experiment log records the split's seed and the parameters actually used (als's
    /// default reg, not nil).
    func testExperimentsLogSplitSeedAndResolvedDefaults() {
        let out = printed("""
        workspace(temp_path(".recdb"))
        let s = holdout(data, test: 0.5, seed: 11)
        evaluate(fit(als(factors: 2, iterations: 2, implicit: true), s.train), s, metrics: ["hit@1"])
        evaluate(fit(popularity(), data), data, metrics: ["hit@1"])
        let log = experiments()
        print(log["split_seed"], sql("SELECT json_extract(parameters, '$.reg') AS reg FROM experiments")["reg"])
        """)
        XCTAssertEqual(out, "[11, nil] [0.01, nil]\n")
    }

    /// Every built-in model survives save → restore in a workspace without refitting: the same
    /// recommendations, loss, description; unfitted models keep their parameters; models written
    /// in Rec are refused with a reason.
    func testModelsSaveAndRestoreThroughTheWorkspace() {
        let out = printed("""
        workspace(temp_path(".recdb"))
        let d = synthetic(users: 60, items: 30, seed: 3)
        let models = [popularity(by: "channel"), popularity(by: "region"), bias_baseline(), item_knn(k: 5), user_knn(k: 5),
          biased_mf(factors: 4, epochs: 3), svdpp(factors: 3, epochs: 2), als(factors: 3, iterations: 2),
          als(factors: 3, iterations: 2, implicit: true), bpr(factors: 3, epochs: 2), ease(reg: 10), ncf(factors: 2, layers: [4], epochs: 1),
          content_based(attributes: ["category"]), hybrid([popularity(), item_knn(k: 5)], weights: [0.2, 0.8]), next_item()]
        var same = []
        for m in models {
          let f = fit(m, d)
          save("m", f)
          let r = restore("m")
          same.append(to_csv(recommend_all(f, k: 5)) == to_csv(recommend_all(r, k: 5)) and r.fitted and r.loss == f.loss and str(r) == str(f))
        }
        print(count(same), all(same, { x in x }))
        save("u", item_knn(k: 3))
        print(restore("u").fitted, restore("u").params.k)
        """)
        XCTAssertEqual(out, "15 true\nfalse 3\n")
        fails("workspace(temp_path())\nsave(\"c\", hybrid([popularity(), custom_model(score: { u, i in 1 })]))", "functions cannot be saved")
    }

    func testHybridExplanationsNameComponentsAsWritten() {
        let out = printed("""
        let h = fit(hybrid([item_knn(k: 2), popularity(), item_knn(k: 3)]), data)
        print(sorted(explain(h, "u0", "i2").parts["part"]))
        """)
        XCTAssertEqual(out, "[\"model item_knn #1\", \"model item_knn #3\", \"model popularity\"]\n")
    }

    func testSameSeedSameNumbers() {
        let src = "let m = fit(biased_mf(factors: 3, epochs: 5, seed: 9), data)\nprint(predict(m, \"u1\", \"i1\"), m.loss)"
        let a = printed(src), b = printed(src)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, printed(src.replacingOccurrences(of: "seed: 9", with: "seed: 10")))
    }

    func testRecommendAllTableAndEvaluateOnItsOwnLists() {
        let out = printed("""
        let m = fit(popularity(), data)
        let recs = recommend_all(m, k: 2)
        print(recs.columns, count(recs))
        let test = from_table(table(["user": ["u0", "u3"], "item": ["i2", "i1"]]))
        let a = evaluate(m, test, metrics: ["hit_rate@2"])
        let b = evaluate(recs, test, train: data, metrics: ["hit_rate@2"])
        print(a["hit_rate@2"], b["hit_rate@2"])
        """)
        // u0 gets [i2, i3] → hit; u3 gets [i1, i3] → hit.
        XCTAssertEqual(out, "[\"user\", \"rank\", \"item\", \"score\"] 8\n[1.0] [1.0]\n")
    }

    func testCustomModelWrittenInRec() {
        let out = printed("""
        let m = custom_model(score: { user, item in if item == "i3" { 10 } else { 0 } }, name: "likes i3")
        fit(m, data)
        print(recommend(m, "u0", k: 1)["item"], m.name)
        let rec = (score: { user, item in if item == "i1" { 1 } else { 0 } })
        print(recommend(fit(rec, data), "u1", k: 1)["item"])
        """)
        XCTAssertEqual(out, "[\"i3\"] likes i3\n[\"i1\"]\n")
        fails("let m = custom_model(score: { u, i in \"high\" })\nfit(m, data)\nrecommend(m, \"u0\")", "score must return a number")
        fails("let m = custom_model(score: { u, i in 1 / 0 })\nfit(m, data)\nrecommend(m, \"u0\")", "division by zero")
    }

    /// Scoring runs later than `custom_model(…)`, inside `recommend`: the trace leads from the
    /// score function to the `recommend` call, not to where the model was built.
    func testAScoreErrorIsTracedToTheRecommendCall() {
        let (r, _) = run("""
        let m = fit(custom_model({ u, i in nil + 1 }), data)
        fn top(user) {
          recommend(m, user)
        }
        top("u0")
        """)
        guard case .failure(let e) = r else { return XCTFail("expected an error") }
        let trace = e.render(color: false).components(separatedBy: "stack trace (most recent call first):\n").last ?? ""
        XCTAssertEqual(trace, """
          in <closure> at t.rec:5:40
          in top at t.rec:7:12
          in <script> at t.rec:9:4
        """)
    }

    func testErrorsAreClearNotCrashes() {
        fails("recommend(popularity(), \"u0\")", "not fitted yet")
        fails("biased_mf(factors: 0)", "biased_mf(): argument 'factors' must be between 1 and 10000, got 0")
        fails("biased_mf(lr: -1)", "biased_mf(): argument 'lr' must be a positive number, got -1.0")
        fails("item_knn(similarity: \"euclid\")", "argument 'similarity' must be \"cosine\"")
        // ALS-WR with λ = 0 used to stop the process on a precondition.
        fails("fit(als(reg: 0), data)", "als(): reg must be positive for ratings (implicit: false), got 0")
        fails("predict(fit(popularity(), data), \"u0\", \"nope\")", "predict(): unknown item \"nope\": the data this model was fitted on has no such item")
        fails("evaluate(fit(popularity(), data), data, metrics: [\"ndcg@x\"])", "positive integer")
        fails("evaluate(fit(popularity(), data), data, metrics: [\"rmse\"])", "rmse compares predicted ratings, but popularity ranks items")
        fails("fit(biased_mf(), from_table(table([\"user\": [\"a\"], \"item\": [\"b\"]])))", "needs ratings")
    }

    func testEvaluateByGroupAddsDisparityRows() {
        let out = printed("""
        let m = fit(popularity(), data)
        # Every user has 2 ratings, so there is one activity group.
        let t = evaluate(m, data, metrics: ["ndcg@2"], by: "activity", buckets: 2)
        print(t.columns)
        print(t["activity"])
        """)
        XCTAssertEqual(out, "[\"model\", \"activity\", \"users\", \"ndcg@2\"]\n[\"all\", \"2\", \"max-min\", \"min/max\"]\n")
    }

    func testEvaluationsAreRecordedInTheWorkspace() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rec-models-\(UUID().uuidString).recdb").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let out = printed("""
        workspace("\(path)")
        evaluate([fit(popularity(), data), fit(item_knn(k: 2), data)], data, metrics: ["ndcg@2"])
        let x = experiments()
        print(count(x), x["model"])
        print(sql("select json_extract(parameters, '$.k') as k from experiments where model = ?", ["item_knn"])["k"])
        """)
        XCTAssertEqual(out, "2 [\"popularity\", \"item_knn\"]\n[2]\n")
    }

    func testCrossValidationIsSeededAndSummarised() {
        let src = "let t = cross_validate(popularity(), data, folds: 2, metrics: [\"hit_rate@2\"], seed: 3)\nprint(t[\"fold\"], t[\"hit_rate@2\"])"
        let a = printed(src)
        XCTAssertTrue(a.hasPrefix("[\"1\", \"2\", \"mean\", \"std\"]"), a)
        XCTAssertEqual(a, printed(src))
    }

    func testGridSearchOrdersBestFirst() {
        let out = printed("""
        let g = grid_search(item_knn, ["k": [1, 3]], train: data, test: data, metric: "coverage@1")
        print(g.columns, count(g))
        """)
        XCTAssertEqual(out, "[\"k\", \"coverage@1\"] 2\n")
    }

    func testANetworkComposedInRecLearnsXOR() {
        let out = printed("""
        let net = sequential([dense(8, "tanh"), dense(1, "sigmoid")], loss: "binary_crossentropy", lr: 0.05, seed: 7)
        let x = [[0, 0], [0, 1], [1, 0], [1, 1]]
        let losses = train(net, x, [0, 1, 1, 0], epochs: 500, batch_size: 4)
        print(net.parameters, map(forward(net, x), { p in round(p) }), losses[0] > losses[-1])
        """)
        XCTAssertEqual(out, "33 [0, 1, 1, 0] true\n")
        fails("dense(4, \"swish\")", "activation must be one of")
        fails("sequential([dense(1)], loss: \"hinge\")", "loss must be")
        fails("let n = sequential([dense(1)])\ntrain(n, [[1, 2], [3]], [1, 2])", "row 1 of features does not have 2 numbers")
    }

    func testRatingMetricsOnlyForModelsThatPredictRatings() {
        let out = printed("""
        print(evaluate(fit(als(factors: 2, implicit: true, iterations: 2), data), data).columns)
        print(evaluate(fit(bias_baseline(), data), data).columns)
        """)
        XCTAssertEqual(out, """
        ["model", "users", "precision@10", "recall@10", "ndcg@10", "mrr@10", "hit_rate@10", "coverage@10"]
        ["model", "users", "rmse", "mae", "precision@10", "recall@10", "ndcg@10", "mrr@10", "hit_rate@10", "coverage@10"]

        """)
        fails("evaluate(fit(als(factors: 2, implicit: true), data), data, metrics: [\"rmse\"])", "ranks items without predicting ratings")
    }
}
