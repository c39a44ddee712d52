import XCTest
import RecLang

/// The text/html forms of tables, datasets, splits, models, evaluation results and explanations.
final class RichDisplayTests: XCTestCase {
    /// The MIME bundles `show` emitted while running `code`.
    func displays(_ code: String) throws -> [DisplayData] {
        let sink = CollectingSink()
        let session = try Session(sink: sink)
        if case .failure(let e) = session.evaluate(code, showResult: false) { XCTFail(e.render(color: false)) }
        return sink.events.compactMap { if case .display(let d) = $0 { return d }; return nil }
    }

    let setup = """
    let data = synthetic(users: 40, items: 15, seed: 2)
    let split = user_temporal_split(data, fraction: 0.25)
    let m = fit(biased_mf(factors: 2, epochs: 2, seed: 1), split.train)

    """

    func testEveryValueKindHasACaptionedHTMLTable() throws {
        let shown = try displays(setup + """
        show(data)
        show(split)
        show(m)
        show(biased_mf(factors: 3))
        show(explain(m, split.test[0]["user"], split.test[0]["item"]))
        """)
        XCTAssertEqual(shown.count, 5)
        for d in shown {
            XCTAssertFalse(d.plainText.isEmpty)
            XCTAssertTrue(d.data["text/html"]?.hasPrefix("<table class=\"rec-table") == true, d.data["text/html"] ?? "no html")
        }
        let html = shown.map { $0.data["text/html"]! }
        XCTAssertTrue(html[0].contains("<caption>Dataset</caption>"))
        XCTAssertTrue(html[0].contains("<tr><th scope=\"row\" style=\"text-align: left\">users</th><td style=\"text-align: right\">40</td></tr>"))
        XCTAssertTrue(html[0].contains("<tr><th scope=\"row\" style=\"text-align: left\">item attributes</th><td>category, provider, provider_size, price</td></tr>"))
        XCTAssertTrue(html[1].contains("<caption>Split</caption>\n<thead>\n<tr><th></th><th style=\"text-align: right\">interactions</th><th style=\"text-align: right\">users</th><th style=\"text-align: right\">items</th></tr>"), html[1])
        XCTAssertTrue(html[1].contains("<tr><th scope=\"row\" style=\"text-align: left\">test</th><td style=\"text-align: right\">334</td>"), html[1])
        XCTAssertTrue(html[2].contains("<caption>Model · biased_mf · fitted</caption>"))
        XCTAssertTrue(html[2].contains("<tr><th scope=\"row\" style=\"text-align: left\">factors</th><td style=\"text-align: right\">2</td></tr>"))
        XCTAssertTrue(html[2].contains("<tr><th scope=\"row\" style=\"text-align: left\">fitted on</th><td>969 interactions, 40 users, 15 items</td></tr>"), html[2])
        XCTAssertTrue(html[3].contains("<caption>Model · biased_mf · not fitted</caption>"))
        XCTAssertFalse(html[3].contains("fitted on"))
        XCTAssertTrue(html[4].hasPrefix("<table class=\"rec-table\">\n<caption>Why item 8 for user 38: score 1.0097, from these parts</caption>"), html[4])
        XCTAssertTrue(html[4].contains("<tr><td>user bias</td><td style=\"text-align: right\">-0.0009</td></tr>"), html[4])
    }

    func testGroupedEvaluationSetsDisparityRowsApart() throws {
        let shown = try displays(setup + """
        show(evaluate([m], split, metrics: ["ndcg@5"], by: "region"))
        show(evaluate(m, split, metrics: ["ndcg@5", "recall@5"]))
        show(table([["name": "<b>", "n": 1]]))
        """)
        let grouped = try XCTUnwrap(shown.first?.data["text/html"])
        XCTAssertTrue(grouped.contains("<caption>Evaluation · 1 model · ndcg@5 · by region, with disparity rows max-min and min/max</caption>"), grouped)
        XCTAssertTrue(grouped.contains("<tr class=\"rec-all\" style=\"font-weight: 600\"><td>biased_mf</td><td>all</td>"))
        XCTAssertTrue(grouped.contains("<tr class=\"rec-group\"><td>biased_mf</td><td>rural</td>"))
        XCTAssertTrue(grouped.contains("<tr class=\"rec-disparity rec-disparity-first\" style=\"font-style: italic; background: #fff8c5; border-top: 2px solid #9a6700\"><td>biased_mf</td><td>max-min</td>"))
        XCTAssertTrue(grouped.contains("<tr class=\"rec-disparity\" style=\"font-style: italic; background: #fff8c5\"><td>biased_mf</td><td>min/max</td>"))
        XCTAssertTrue(grouped.contains("<td style=\"text-align: right\">0.2429</td>"))
        let plain = try XCTUnwrap(shown[1].data["text/html"])
        XCTAssertTrue(plain.contains("<caption>Evaluation · 1 model · ndcg@5, recall@5</caption>"), plain)
        XCTAssertFalse(plain.contains("rec-disparity"))
        let table = try XCTUnwrap(shown[2].data["text/html"])
        XCTAssertTrue(table.hasPrefix("<table class=\"rec-table\">\n<caption>Table · 1 row × 2 columns</caption>"), table)
        XCTAssertTrue(table.contains("<td>&lt;b&gt;</td>"))
    }

    func testLongTablesSayWhatIsShown() throws {
        let shown = try displays("show(table(map(0..<30, { i in [\"i\": i] })))")
        let html = try XCTUnwrap(shown.first?.data["text/html"])
        XCTAssertTrue(html.contains("<caption>Table · 30 rows × 1 column (first and last 10 shown)</caption>"), html)
        XCTAssertFalse(html.contains("rec-table-shape"))
    }
}
