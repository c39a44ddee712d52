import Foundation
import XCTest
import RecLang
import RecStore

/// The rule for users and items a model was not trained on, at every entry point and for models
/// of several kinds, and diverged fits, through the language. The split's test set alone has user
/// 4 and item 13; 99 is in neither set.
final class UnknownIDsBindingTests: XCTestCase {
    static let setup = """
    let tr = from_table(table(["user": [1, 1, 2, 2, 3, 3, 1], "item": [10, 11, 10, 12, 11, 12, 12],
                               "rating": [5, 3, 4, 2, 1, 5, 4]]), rating: "rating")
    let s = train_test(tr, from_table(table(["user": [1, 4], "item": [13, 10], "rating": [4, 3]]), rating: "rating"))
    let r = from_table(table(["user": [1, 1, 2, 2, 3, 3], "item": [10, 11, 10, 12, 11, 12], "rating": [5, 3, 4, 2, 1, 5]]), rating: "rating")

    """

    static let models = [
        "biased_mf(factors: 2, epochs: 3)", "als(factors: 2, iterations: 2)", "als(factors: 2, iterations: 2, implicit: true)",
        "item_knn(feedback: \"explicit\")", "popularity()", "custom_model({ u, i in if u == nil { -i } else { i } })",
    ]

    /// Runs `source` after the setup with `m` bound to the fitted model; the result, printed text
    /// and warnings.
    func run(_ model: String, _ source: String) -> (Result<Value, RecError>, String, [String]) {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        let r = session.evaluate(Self.setup + "let m = fit(\(model), s.train)\n" + source, name: "t.rec", showResult: false)
        let out = sink.events.map { if case .stream(_, let s) = $0 { return s }; return "" }.joined()
        let warnings = sink.events.compactMap { e -> String? in if case .warning(let m, _) = e { return m }; return nil }
        return (r, out, warnings)
    }

    func message(_ model: String, _ source: String) -> String {
        guard case .failure(let e) = run(model, source).0 else { return "no error" }
        return e.message
    }

    func testAnUnknownItemIsAnErrorWhereItIsAskedFor() {
        for m in Self.models {
            for (call, fn) in [("predict(m, 1, 13)", "predict"), ("explain(m, 1, 13)", "explain"), ("similar_items(m, 13)", "similar_items")] {
                XCTAssertEqual(message(m, call), "\(fn)(): item 13 was not in the training data of this model", "\(m): \(call)")
                XCTAssertEqual(message(m, call.replacingOccurrences(of: "13", with: "99")),
                               "\(fn)(): unknown item 99: the data this model was fitted on has no such item", "\(m): \(call)")
            }
            XCTAssertEqual(message(m, "recommend(m, 1, candidates: [10, 99])"),
                           "recommend(): unknown item 99: the data this model was fitted on has no such item", m)
        }
    }

    func testAnUnknownItemIsNeverRecommended() {
        for m in Self.models {
            let (r, out, warnings) = run(m, """
            for u in [1, 2, 3, 4, 99] { print(recommend(m, u, k: 10, exclude_seen: false)["item"]) }
            print(recommend_all(m, users: [1, 4], k: 10, exclude_seen: false)["item"])
            print(recommend(m, 1, candidates: [13, 10], exclude_seen: false)["item"])
            """)
            if case .failure(let e) = r { XCTFail("\(m): \(e.render(color: false))"); continue }
            XCTAssertFalse(out.contains("13"), "\(m): \(out)")
            XCTAssertTrue(out.hasSuffix("[10]\n"), "\(m): \(out)")
            XCTAssertTrue(warnings.contains("recommend(): 1 candidate item(s) were not in the training data of this model and were left out (13)"), "\(m): \(warnings)")
        }
    }

    func testAnUnknownUserIsAUserWithoutHistoryAndTheWarningSaysSo() {
        for m in Self.models {
            // User 4 (test only) and 99 (in no data) are scored alike: as a user without history.
            let (r, out, warnings) = run(m, """
            print(predict(m, 4, 10) == predict(m, 99, 10))
            print(recommend(m, 4)["item"] == recommend(m, 99)["item"] and recommend(m, 4)["score"] == recommend(m, 99)["score"])
            print(explain(m, 4, 10).score == predict(m, 99, 10))
            print(recommend_all(m)["user"])
            let all = recommend_all(m, users: [4, 99, 1])
            print(all["user"][0], count(all) == 3 * count(recommend(m, 1)) + 0 * 1)
            """)
            if case .failure(let e) = r { XCTFail("\(m): \(e.render(color: false))"); continue }
            let lines = out.split(separator: "\n").map(String.init)
            XCTAssertEqual(Array(lines.prefix(3)), ["true", "true", "true"], "\(m): \(out)")
            XCTAssertFalse(lines[3].contains("4"), "recommend_all without users: lists the users the model knows: \(m): \(out)")
            for (fn, user) in [("predict", 4), ("predict", 99), ("recommend", 4), ("recommend", 99), ("explain", 4)] {
                XCTAssertTrue(warnings.contains("\(fn)(): user \(user) was not in the training data of this model; it is treated as a user without history"), "\(m): \(warnings)")
            }
            XCTAssertTrue(warnings.contains("recommend_all(): 2 of 3 users were not in the training data of this model; they get the list of a user without history"), "\(m): \(warnings)")
        }
    }

    func testARecModelGetsNilForAUserWithoutHistory() {
        let (r, out, _) = run("custom_model({ u, i in if u == nil { -i } else { i } })", "print(recommend(m, 4, k: 2)[\"item\"], recommend(m, 1, k: 2, exclude_seen: false)[\"item\"])")
        if case .failure(let e) = r { return XCTFail(e.render(color: false)) }
        XCTAssertEqual(out, "[10, 11] [12, 11]\n")
    }

    func testEvaluationCountsWhatFellBack() {
        for m in Self.models {
            let (r, _, warnings) = run(m, "evaluate(m, s)\nper_user(m, s, metric: \"recall@5\")")
            if case .failure(let e) = r { XCTFail("\(m): \(e.render(color: false))"); continue }
            XCTAssertTrue(warnings.contains("evaluate(): 1 test user(s) and 1 test item(s) are not in the training data; such users are treated as users without history, and such items stay in the truth though only content_based can recommend them"), "\(m): \(warnings)")
            XCTAssertTrue(warnings.contains { $0.hasPrefix("per_user(): 1 test user(s) and 1 test item(s)") }, "\(m): \(warnings)")
        }
        // Rating models: (1, 13) is an unknown item, (4, 10) an unknown user.
        let (_, _, w) = run("biased_mf(factors: 2, epochs: 3)", "evaluate(m, s)")
        XCTAssertTrue(w.contains("evaluate(): biased_mf: 2 test rating(s) were predicted by the fallback: 1 for items it was not trained on (as items without history), 1 for users it was not trained on (as users without history)"), "\(w)")
        let (_, _, k) = run("item_knn(feedback: \"explicit\")", "evaluate(m, s, metrics: [\"rmse\"])")
        XCTAssertTrue(k.contains { $0.hasPrefix("evaluate(): item_knn: 2 test rating(s) were predicted by the fallback: 1 for items it was not trained on (the training mean), 1 for users it was not trained on") }, "\(k)")
    }

    func testAModelThatSawTheTestSetCannotBeEvaluatedOnIt() {
        let leaky = """
        let everything = from_table(table(["user": [1, 1, 2, 2, 3, 3, 1, 1, 4], "item": [10, 11, 10, 12, 11, 12, 12, 13, 10],
                                           "rating": [5, 3, 4, 2, 1, 5, 4, 4, 3]]), rating: "rating")
        let leaky = fit(popularity(), everything)

        """
        let seen = "the popularity model saw 2 test interaction(s) in training: fit it on the training set only (e.g. split.train), not on data that includes the test set"
        for call in ["evaluate(leaky, s)", "per_user(leaky, s)", "compare(m, leaky, s)", "evaluate([m, leaky], s.test, train: s.train)"] {
            let name = String(call.prefix { $0 != "(" })
            XCTAssertEqual(message("popularity()", leaky + call), "\(name)(): " + seen, call)
        }
        // Fitted on the training set, or on part of it: no test row seen.
        XCTAssertEqual(message("popularity()", "evaluate(m, s)\nevaluate(fit(popularity(), from_table(filter_rows(table(s.train), { r in r[\"user\"] != 3 }))), s)"), "no error")
    }

    func testEveryIterativeModelThatDivergesSaysSoInTheScriptsTerms() {
        let fits = [
            ("biased_mf(lr: 1)", "biased_mf diverged at epoch 3 (loss is nan): try a smaller learning rate (lr: 1.0 now)"),
            ("svdpp(lr: 1)", "svdpp diverged at epoch 3 (loss is nan): try a smaller learning rate (lr: 1.0 now)"),
            ("bpr(lr: 1e30)", "bpr diverged at epoch 1 (loss is nan): try a smaller learning rate (lr: 1e+30 now)"),
            ("ncf(lr: 1e30, epochs: 2)", "ncf diverged at epoch 2 (loss is nan): try a smaller learning rate (lr: 1e+30 now)"),
            ("als(implicit: true, alpha: 1e30)", "als diverged at epoch 1 (loss is nan): try a smaller alpha (alpha: 1e+30 now) or a larger reg (reg: 0.01 now)"),
            ("hybrid([popularity(), biased_mf(lr: 5)])", "biased_mf diverged at epoch 2 (loss is nan): try a smaller learning rate (lr: 5.0 now)"),
        ]
        for (model, expected) in fits {
            XCTAssertEqual(message("popularity()", "fit(\(model), r)"), "fit(): " + expected)
        }
        XCTAssertEqual(message("popularity()", """
            fit(als(factors: 2), from_table(table(["user": [1, 2, 1], "item": [1, 2, 2], "r": [1e30, -1e30, 1e30]]), rating: "r"))
            """), "fit(): als diverged at epoch 1 (loss is inf): try a larger reg (reg: 0.1 now), and check the data for huge values")
        XCTAssertEqual(message("popularity()", "train(sequential([dense(4, \"relu\"), dense(1)], optimizer: \"sgd\", lr: 100), [[1, 2], [3, 4], [5, 6]], [1, 2, 3], epochs: 20)"),
                       "train(): the network diverged at epoch 17 (its learned numbers are not finite): try a smaller learning rate (lr: 100.0 now); its weights are as they were before this call")
    }

    func testADivergedFitLeavesTheModelAsItWas() {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        func eval(_ s: String) -> Result<Value, RecError> { session.evaluate(s, name: "t.rec", showResult: false) }
        XCTAssertNoThrow(try eval(Self.setup + "let m = biased_mf(lr: 1, epochs: 3)\nlet wild = biased_mf(lr: 1)").get())
        guard case .failure = eval("fit(wild, r)") else { return XCTFail("expected the fit to diverge") }
        XCTAssertEqual(try eval("wild.fitted").get().repr, "false")
        // A model fitted before keeps its fit when a later fit of it diverges.
        XCTAssertNoThrow(try eval("fit(m, from_table(table([\"user\": [1], \"item\": [10], \"rating\": [4]]), rating: \"rating\"))").get())
        let before = try? eval("[m.loss, predict(m, 1, 10)]").get().repr
        guard case .failure(let e) = eval("fit(m, r)") else { return XCTFail("expected the fit to diverge") }
        XCTAssertTrue(e.message.contains("diverged"), e.message)
        XCTAssertEqual(try? eval("[m.loss, predict(m, 1, 10)]").get().repr, before)
        XCTAssertEqual(try eval("m.users").get().repr, "1")
    }
}
