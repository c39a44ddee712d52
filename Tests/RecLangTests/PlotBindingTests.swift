import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import RecLang
import RecPlot

/// plot and to_svg through the language: what each source draws, the rich display, files, errors.
final class PlotBindingTests: RecDataTestCase {
    /// The 4×4 ratings (items i0…i3 have 3, 2, 2 and 1 ratings).
    static let tiny = ModelBindingTests.tiny

    func chart(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> Chart? {
        let o = ok(PlotBindingTests.tiny + source, file: file, line: line)
        guard case .native(let p as PlotObject)? = o.value else { XCTFail("not a Plot: \(String(describing: o.value))", file: file, line: line); return nil }
        return p.chart
    }

    func assertWellFormed(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse(), "not well-formed: \(String(describing: parser.parserError))", file: file, line: line)
    }

    func testTableLineAndItsRichDisplay() {
        let o = ok("""
        let t = table([["epoch": 1, "loss": 0.9], ["epoch": 2, "loss": 0.6], ["epoch": 3, "loss": 0.5]])
        let p = plot(t, x: "epoch", y: "loss", title: "Loss")
        show(p)
        print(type(p), p.kind, p.title, p.series)
        """)
        XCTAssertEqual(o.printed, "Plot line Loss [\"loss\"]\n")
        guard case .display(let d)? = o.events.first(where: { if case .display = $0 { return true }; return false }) else { return XCTFail("no display") }
        let svg = d.data["image/svg+xml"] ?? ""
        assertWellFormed(svg)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.contains("<polyline"))
        // The terminal form: title, y ticks on ┤, the x axis, and braille dots.
        let text = d.plainText
        XCTAssertTrue(text.contains("Loss"))
        XCTAssertTrue(text.contains("┤"))
        XCTAssertTrue(text.contains("└"))
        XCTAssertTrue(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
    }

    func testAPlotAsAResultShowsTheTextChart() throws {
        let sink = CollectingSink()
        let session = try Session(sink: sink)
        _ = session.evaluate("plot([3, 1, 2])", name: "repl", showResult: true)
        guard case .result(let d)? = sink.events.last else { return XCTFail("no result event: \(sink.events)") }
        XCTAssertTrue(d.plainText.contains("┤"))
        XCTAssertNotNil(d.data["image/svg+xml"])
    }

    func testSameScriptSameBytes() {
        let script = "to_svg(plot(synthetic(users: 50, items: 30, seed: 4)))"
        let a = ok(script).value, b = ok(script).value
        guard case .string(let x)? = a, case .string(let y)? = b else { return XCTFail("to_svg returns a String") }
        XCTAssertEqual(x, y)
        assertWellFormed(x)
    }

    func testToSVGWritesTheFileAndReturnsItsPath() throws {
        let target = path("chart.svg")
        let o = ok("to_svg(plot([1, 2, 4]), path: \"\(target)\")")
        guard case .string(let returned)? = o.value else { return XCTFail("to_svg returns the path") }
        XCTAssertEqual(returned, target)
        let written = try String(contentsOfFile: target, encoding: .utf8)
        assertWellFormed(written)
        XCTAssertTrue(written.contains("</svg>"))
    }

    func testToSVGHonoursTheFileAccessPolicy() throws {
        let sink = CollectingSink()
        let session = try Session(sink: sink)
        session.interpreter.fileAccess = .none
        let r = session.evaluate("to_svg(plot([1, 2]), path: \"\(path("no.svg"))\")", name: "t.rec", showResult: false)
        guard case .failure(let e) = r else { return XCTFail("writing should be refused") }
        XCTAssertTrue(e.message.contains("to_svg()"), e.message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("no.svg")))
    }

    func testModelLossPerEpoch() {
        guard let c = chart("let m = fit(biased_mf(factors: 2, epochs: 5, seed: 1), data)\nlet p = plot(m)\np") else { return }
        XCTAssertEqual(c.kind, .line)
        guard case .xy(let s) = c.content else { return XCTFail() }
        XCTAssertEqual(s[0].x, [1, 2, 3, 4, 5])
        XCTAssertEqual(s[0].y.count, 5)
        XCTAssertEqual(c.xLabel, "epoch")
        assertFails(PlotBindingTests.tiny + "plot(fit(popularity(), data))", ["plot(): popularity records no training loss"])
        assertFails(PlotBindingTests.tiny + "plot(biased_mf())", ["not fitted yet"])
        // Several models: one line each, names made distinct.
        guard let two = chart("plot([fit(biased_mf(factors: 2, epochs: 3), data), fit(biased_mf(factors: 2, epochs: 4), data)])") else { return }
        XCTAssertEqual(two.seriesNames, ["biased_mf", "biased_mf (2)"])
    }

    /// The long tail of the 4×4 data: counts 3, 2, 2, 1 of 8 give shares 37.5, 25, 25, 12.5 %;
    /// the top 1 % and top 20 % of four items are both the first item (⌈0.04⌉ = ⌈0.8⌉ = 1).
    func testLongTailShares() {
        guard let c = chart("plot(data)") else { return }
        guard case .xy(let s) = c.content else { return XCTFail() }
        XCTAssertEqual(s[0].x, [1, 2, 3, 4])
        XCTAssertEqual(s[0].y, [37.5, 25, 25, 12.5])
        XCTAssertEqual(c.xMarkers.map(\.x), [1, 1])
        XCTAssertEqual(c.xMarkers.map(\.label), ["top 1 % (1 item): 37.5 % of interactions", "top 20 % (1 item): 37.5 % of interactions"])
    }

    func testSimilarityHeatmapHoldsTheModelsSimilarities() {
        let o = ok(PlotBindingTests.tiny + """
        let knn = fit(item_knn(k: 3), data)
        print(similar_items(knn, "i0", k: 3))
        plot(knn, kind: "similarity", items: ["i0", "i1", "i2"])
        """)
        guard case .native(let p as PlotObject)? = o.value, case .heatmap(let h) = p.chart.content else { return XCTFail() }
        XCTAssertEqual(h.rowLabels, ["i0", "i1", "i2"])
        XCTAssertTrue(h.values[0][0].isNaN, "an item is not its own neighbour")
        // Row i0 agrees with similar_items(knn, "i0"): read the printed table's i1 and i2 rows.
        let printed = o.printed.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        for (col, item) in [(1, "i1"), (2, "i2")] {
            let row = printed.first { $0.contains(item) }
            let sim = row.flatMap { Double($0.last ?? "") } ?? 0
            XCTAssertEqual(h.values[0][col], sim, accuracy: 1e-4, item)
        }
        assertFails(PlotBindingTests.tiny + "plot(fit(item_knn(), data), kind: \"similarity\", items: [\"zz\"])", ["unknown item \"zz\""])
    }

    func testEmbeddingsNeedAFactorModelAndAKnownAttribute() {
        guard let c = chart("plot(fit(biased_mf(factors: 3, epochs: 3, seed: 2), data), kind: \"embeddings\")") else { return }
        XCTAssertEqual(c.kind, .scatter)
        guard case .xy(let s) = c.content else { return XCTFail() }
        XCTAssertEqual(s.map { $0.x.count }.reduce(0, +), 4)
        XCTAssertTrue(c.xLabel?.hasPrefix("PC1 (") ?? false)
        assertFails(PlotBindingTests.tiny + "plot(fit(item_knn(), data), kind: \"embeddings\")", ["needs a latent-factor model"])
        assertFails(PlotBindingTests.tiny + "plot(fit(biased_mf(factors: 2), data), kind: \"embeddings\", color: \"genre\")",
                    ["no item attribute 'genre'"])
    }

    func testEmbeddingsColouredByCategory() {
        let o = ok("""
        let d = synthetic(users: 120, items: 40, seed: 3)
        plot(fit(biased_mf(factors: 4, epochs: 3, seed: 1), d), kind: "embeddings", color: "category")
        """)
        guard case .native(let p as PlotObject)? = o.value else { return XCTFail() }
        XCTAssertGreaterThan(p.chart.seriesNames.count, 1)
        XCTAssertEqual(p.chart.seriesNames, p.chart.seriesNames.sorted())
    }

    func testEvaluationByGroupPlotsGroupedBarsWithTheDisparity() {
        let o = ok("""
        let d = synthetic(users: 200, items: 60, seed: 5)
        let s = holdout(d, test: 0.2, seed: 1)
        let pop = fit(popularity(), s.train)
        let knn = fit(item_knn(k: 10), s.train)
        let e = evaluate([pop, knn], s, metrics: ["ndcg@10"], by: "activity", buckets: 2)
        print(e["activity"])
        plot(e)
        """)
        guard case .native(let p as PlotObject)? = o.value, case .bars(let cats, let series) = p.chart.content else { return XCTFail() }
        XCTAssertEqual(p.chart.title, "ndcg@10 by activity")
        XCTAssertEqual(series.map(\.name), ["popularity", "item_knn"])
        XCTAssertFalse(cats.contains("all") || cats.contains("max-min") || cats.contains("min/max"))
        XCTAssertTrue(o.printed.contains(cats[0]))
        XCTAssertEqual(p.chart.yReferences.map(\.label), ["popularity: all users", "item_knn: all users"])
        XCTAssertEqual(p.chart.notes.count, 2)
        XCTAssertTrue(p.chart.notes[0].hasPrefix("popularity: gap between groups (max−min) "))
    }

    func testMetricAgainstKAndPrecisionAgainstRecall() {
        let setup = """
        let d = synthetic(users: 200, items: 60, seed: 5)
        let s = holdout(d, test: 0.2, seed: 1)
        let e = evaluate([fit(popularity(), s.train)], s, metrics: ["ndcg@5", "ndcg@10", "precision@5", "recall@5", "precision@10", "recall@10"])

        """
        let o = ok(setup + "plot(e)")
        guard case .native(let p as PlotObject)? = o.value, case .xy(let series) = p.chart.content else { return XCTFail() }
        XCTAssertEqual(p.chart.title, "ndcg at each k")
        XCTAssertEqual(series[0].x, [5, 10])
        let pr = ok(setup + "plot(e, kind: \"pr\")")
        guard case .native(let q as PlotObject)? = pr.value else { return XCTFail() }
        XCTAssertEqual(q.chart.xLabel, "recall")
        let bars = ok(setup + "plot(e, kind: \"bar\")")
        guard case .native(let b as PlotObject)? = bars.value, case .bars(let cats, _) = b.chart.content else { return XCTFail() }
        XCTAssertEqual(cats.count, 6)
    }

    func testListsAndMatrices() {
        guard let m = chart("plot([[1, 2], [3, nil]], x: [\"a\", \"b\"], y: [\"r0\", \"r1\"])") else { return }
        guard case .heatmap(let h) = m.content else { return XCTFail() }
        XCTAssertEqual(h.columnLabels, ["a", "b"])
        XCTAssertEqual(h.rowLabels, ["r0", "r1"])
        XCTAssertTrue(h.values[1][1].isNaN)
        assertFails("plot([[1, 2], [3]])", ["row 1 of the matrix has 1 values, row 0 has 2"])
        assertFails("plot([[1], [2]], x: [\"a\", \"b\"])", ["x: has 2 labels for 1 columns"])
        assertFails("plot([1, \"a\"])", ["element 1 of the list is a String"])
        guard let h2 = chart("plot([1, 2, 2, 3, 3, 3], kind: \"histogram\", bins: 3)") else { return }
        guard case .histogram(_, let s) = h2.content else { return XCTFail() }
        XCTAssertEqual(s[0].values.reduce(0, +), 6)
    }

    func testTableKindsAndTheirErrors() {
        let t = """
        let t = table([["g": "a", "x": 1, "y": 2.0, "c": "p"], ["g": "b", "x": 2, "y": nil, "c": "q"], ["g": "a", "x": 3, "y": 1.0, "c": "q"]])

        """
        let o = ok(t + "plot(t, x: \"x\", y: \"y\", by: \"g\", kind: \"scatter\")")
        XCTAssertEqual(o.warnings, ["plot(): 1 row with a missing or non-finite x or y was left out"])
        guard case .native(let p as PlotObject)? = o.value else { return XCTFail() }
        XCTAssertEqual(p.chart.seriesNames, ["a", "b"])
        guard let bar = chart(t + "plot(t, x: \"c\", y: \"x\", by: \"g\")") else { return }
        guard case .bars(let cats, let series) = bar.content else { return XCTFail("a text x makes bars") }
        XCTAssertEqual(cats, ["p", "q"])
        XCTAssertEqual(series[0].values, [1, 3])
        guard let heat = chart(t + "plot(t, x: \"c\", y: \"g\", value: \"x\", kind: \"heatmap\")") else { return }
        guard case .heatmap(let h) = heat.content else { return XCTFail() }
        XCTAssertEqual(h.rowLabels, ["a", "b"])
        XCTAssertEqual(h.values[0], [1, 3])
        assertFails(t + "plot(t, x: \"nope\", y: \"y\")", ["no column 'nope' (columns: "])
        assertFails(t + "plot(t, x: \"x\", y: \"c\")", ["column 'c' holds String values; the y of a line chart needs numbers"])
        assertFails(t + "plot(t, x: \"g\", y: \"x\")", ["several rows have g = 'a'; one bar needs one value"])
        assertFails(t + "plot(t, x: \"x\", y: \"y\", kind: \"pie\")", ["unknown kind \"pie\""])
        assertFails(t + "plot(t, x: \"x\", y: \"y\", width: 10)", ["'width' must be between 320 and 2400, got 10"])
        assertFails(t + "plot(t, x: \"x\", y: \"y\", color: \"g\")", ["color: does not apply when plotting a Table"])
        assertFails(t + "plot(t)", ["name the columns to draw"])
        assertFails("plot(nil)", ["argument 'source' must be a Table"])
    }

    func testHostileLabelsStayText() {
        let o = ok("""
        let t = table([["k": "<script>alert(1)</script>", "v": 1], ["k": "推荐 & \\"q\\"", "v": 2]])
        to_svg(plot(t, x: "k", y: "v", title: "</svg><script>"))
        """)
        guard case .string(let svg)? = o.value else { return XCTFail() }
        assertWellFormed(svg)
        XCTAssertFalse(svg.contains("<script"))
        XCTAssertTrue(svg.contains("推荐 &amp; &quot;q&quot;"))
    }

    func testEmptyAndDegenerateInputsDoNotCrash() {
        for src in ["plot([])", "plot([nil, nil])", "plot([5])", "plot([[]])", "plot(table([[\"x\": 1, \"y\": nil]]), x: \"x\", y: \"y\")",
                    "plot(from_table(table([[\"user\": \"u\", \"item\": \"i\"]])))"] {
            let o = run(PlotBindingTests.tiny + src)
            switch o.result {
            case .success(.native(let p as PlotObject)): assertWellFormed(p.svg); XCTAssertFalse(p.unicode.isEmpty)
            case .failure(let e): XCTAssertTrue(e.message.hasPrefix("plot()"), "\(src): \(e.message)")
            default: XCTFail("\(src): \(o.result)")
            }
        }
    }
}
