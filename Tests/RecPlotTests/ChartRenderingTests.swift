import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import RecCore
@testable import RecPlot

/// Golden SVG and text for every kind, XML well-formedness, hostile labels, degenerate data.
final class ChartRenderingTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// Compares with Golden/<name>; REC_UPDATE_GOLDEN=1 rewrites the file instead.
    func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = ChartRenderingTests.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["REC_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(text, expected, "\(name) differs from its golden file (REC_UPDATE_GOLDEN=1 rewrites it)", file: file, line: line)
    }

    func assertWellFormed(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")", file: file, line: line)
    }

    static let lineChart: Chart = {
        var c = Chart(.line, .xy([XYSeries("biased_mf", x: [1, 2, 3, 4, 5, 6], y: [1.21, 0.93, 0.82, 0.77, 0.74, 0.72]),
                                  XYSeries("svdpp", x: [1, 2, 3, 4, 5, 6], y: [1.18, 0.9, 0.8, 0.74, 0.71, 0.7])]),
                      title: "Training loss", xLabel: "epoch", yLabel: "loss")
        c.yReferences = [Reference(y: 0.75, series: 0, label: "target")]
        return c
    }()

    static let barChart = Chart(.bar, .bars(categories: ["<18", "18-24", "25-34", "35+"],
                                            series: [BarSeries("popularity", [0.12, 0.15, 0.11, 0.09]),
                                                     BarSeries("biased_mf", [0.21, 0.24, 0.2, .nan])]),
                                title: "ndcg@10 by age", xLabel: "age", yLabel: "ndcg@10")

    static let scatterChart = Chart(.scatter, .xy([XYSeries("action", x: [-1.2, -0.8, -1.0, -0.5], y: [0.3, 0.1, 0.5, -0.2]),
                                                   XYSeries("drama", x: [0.9, 1.3, 0.7], y: [-0.4, -0.9, 0.2])]),
                                    title: "Item embeddings", xLabel: "PC1", yLabel: "PC2")

    static let histogramChart = Chart(.histogram, {
        let h = Binning.histogram([[1, 2, 2, 3, 3, 3, 4, 4, 5, 7, 9, 12]], bins: 6)
        return .histogram(edges: h.edges, series: [BarSeries("interactions per user", h.counts[0])])
    }(), title: "Activity", xLabel: "interactions per user", yLabel: "users")

    static let heatmapChart = Chart(.heatmap, .heatmap(Heatmap(rowLabels: ["i1", "i2", "i3", "i4"], columnLabels: ["i1", "i2", "i3", "i4"],
                                                               values: [[1, 0.62, -0.1, 0], [0.62, 1, 0.3, .nan], [-0.1, 0.3, 1, 0.45], [0, .nan, 0.45, 1]])),
                                    title: "Item similarity")

    static let all: [(String, Chart)] = [("line", lineChart), ("bar", barChart), ("scatter", scatterChart),
                                         ("histogram", histogramChart), ("heatmap", heatmapChart)]

    func testGoldenSVGForEveryKind() throws {
        for (name, chart) in ChartRenderingTests.all {
            let svg = try chart.svg()
            assertWellFormed(svg)
            XCTAssertEqual(svg, try chart.svg(), "same chart, same bytes")
            try assertGolden(svg, name + ".svg")
        }
    }

    func testGoldenTextForEveryKind() throws {
        for (name, chart) in ChartRenderingTests.all {
            let text = chart.text(columns: 72)
            for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(DisplayWidth.of(line), 72, "\(name): \(line)") }
            try assertGolden(text + "\n", name + ".txt")
        }
    }

    func testTextStaysWithinNarrowWidths() {
        for (name, chart) in ChartRenderingTests.all {
            for cols in [32, 40, 100] {
                for line in chart.text(columns: cols).split(separator: "\n") {
                    XCTAssertLessThanOrEqual(DisplayWidth.of(line), cols, "\(name) at \(cols): \(line)")
                }
            }
        }
    }

    func testHostileLabelsAreEscaped() throws {
        let hostile = "<script>alert('x')</script> & \"q\" \u{1}"
        var c = Chart(.bar, .bars(categories: [hostile, "推荐系统"], series: [BarSeries("系列 <b>", [1, 2]), BarSeries("b", [2, 1])]),
                      title: hostile, xLabel: hostile, yLabel: "]]> <!--")
        c.notes = ["note </svg>"]
        let svg = try c.svg()
        assertWellFormed(svg)
        XCTAssertFalse(svg.contains("<script"))
        XCTAssertFalse(svg.contains("<b>"))
        XCTAssertFalse(svg.contains("<!--"))
        XCTAssertFalse(svg.contains("\u{1}"))
        XCTAssertTrue(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"))
        XCTAssertTrue(svg.contains("推荐系统"))
        XCTAssertEqual(svg.components(separatedBy: "</svg>").count, 2, "only the document's own closing tag")
        for line in c.text(columns: 40).split(separator: "\n") { XCTAssertLessThanOrEqual(DisplayWidth.of(line), 40) }
    }

    func testCJKCountsTwiceInLayout() {
        XCTAssertEqual(TextWidth.pixels("推荐", size: 10), 24, accuracy: 1e-9)
        XCTAssertEqual(TextWidth.pixels("ab", size: 10), 12, accuracy: 1e-9)
        XCTAssertEqual(TextWidth.truncate("推荐系统模型", columns: 7), "推荐系…")
    }

    func testEmptyAndMissingDataDrawAnEmptyChart() throws {
        let empties: [Chart] = [
            Chart(.line, .xy([])),
            Chart(.line, .xy([XYSeries("a", x: [1, 2], y: [.nan, .infinity])])),
            Chart(.scatter, .xy([XYSeries("a", x: [], y: [])])),
            Chart(.bar, .bars(categories: [], series: [])),
            Chart(.bar, .bars(categories: ["a"], series: [BarSeries("s", [.nan])])),
            Chart(.histogram, .histogram(edges: [], series: [BarSeries("s", [])])),
            Chart(.heatmap, .heatmap(Heatmap(rowLabels: [], columnLabels: [], values: []))),
        ]
        for c in empties {
            XCTAssertTrue(c.isEmpty)
            let svg = try c.svg()
            assertWellFormed(svg)
            XCTAssertTrue(svg.contains(">no data</text>"), c.kind.rawValue)
            XCTAssertTrue(c.text().contains("(no data)"), c.kind.rawValue)
        }
        // A heatmap of NaN only keeps its grid, drawn empty.
        let nan = Chart(.heatmap, .heatmap(Heatmap(rowLabels: ["a"], columnLabels: ["b"], values: [[.nan]])))
        assertWellFormed(try nan.svg())
    }

    func testOnePointIsDrawnAsAMarker() throws {
        let c = Chart(.line, .xy([XYSeries("a", x: [3], y: [0.5])]), title: "one")
        let svg = try c.svg()
        assertWellFormed(svg)
        XCTAssertTrue(svg.contains("<circle"))
        XCTAssertFalse(svg.contains("<polyline"))
        XCTAssertTrue(c.text().contains("⠀") || c.text().unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
    }

    func testSizesAndShapesAreValidated() {
        func message(_ c: Chart) -> String? {
            do { _ = try c.svg(); return nil } catch let e as ChartError { return e.message } catch { return "\(error)" }
        }
        XCTAssertEqual(message(Chart(.line, .xy([]), width: 100)), "width must be between 320 and 2400 pixels, got 100")
        XCTAssertEqual(message(Chart(.line, .xy([]), height: 5000)), "height must be between 200 and 1800 pixels, got 5000")
        XCTAssertEqual(message(Chart(.line, .xy([XYSeries("a", x: [1, 2], y: [1])]))), "series 'a' has 2 x values and 1 y values")
        XCTAssertEqual(message(Chart(.bar, .bars(categories: ["a"], series: [BarSeries("s", [1, 2])]))), "series 's' has 2 values for 1 categories")
        XCTAssertEqual(message(Chart(.heatmap, .heatmap(Heatmap(rowLabels: ["a"], columnLabels: ["b", "c"], values: [[1]])))),
                       "a heatmap row has 1 values for 2 column labels")
        let many = (0..<30).map { XYSeries("s\($0)", x: [1], y: [1]) }
        XCTAssertEqual(message(Chart(.scatter, .xy(many))), "30 series are too many to tell apart (at most 24); group or filter the data first")
        XCTAssertEqual(message(Chart(.histogram, .histogram(edges: [1, 1], series: []))), "histogram bin edges must increase")
    }

    func testManySeriesChangeShapeAfterEightColours() throws {
        let series = (0..<17).map { XYSeries("s\($0)", x: [Double($0)], y: [Double($0)]) }
        let svg = try Chart(.scatter, .xy(series)).svg()
        XCTAssertTrue(svg.contains("<polygon"), "series 17 repeats a colour with a third shape")
    }
}
