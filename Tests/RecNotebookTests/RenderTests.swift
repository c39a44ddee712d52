import Foundation
import XCTest
import RecLang
@testable import RecNotebook

/// HTML and .ipynb renderings of a run notebook.
final class RenderTests: XCTestCase {
    static var small: NotebookRun?

    /// Golden/small.rec run once (it trains a model), named as in the goldens.
    func smallRun() throws -> NotebookRun {
        if let r = RenderTests.small { return r }
        let text = try String(contentsOf: Paths.golden.appendingPathComponent("small.rec"), encoding: .utf8)
        let r = try runNotebook(text, file: "small.rec")
        RenderTests.small = r
        return r
    }

    func testSmallNotebookMatchesGoldenHTMLAndIPYNB() throws {
        let run = try smallRun()
        try assertGolden(HTMLRenderer.page(run, file: "small.rec"), "small.html")
        try assertGolden(IPYNB.write(run), "small.ipynb")
    }

    func testCellsRunInOrderAndStopAtTheFailure() throws {
        let run = try smallRun()
        XCTAssertEqual(run.runs.map { $0?.executionCount }, [nil, 1, 2, nil, 3, nil, 4, nil])
        XCTAssertEqual(run.failedCell, 6)
        let e = try XCTUnwrap(run.runs[6]?.error)
        // The position is the line in the notebook file, not in the cell.
        XCTAssertEqual("\(e.location)", "small.rec:33:20")
        XCTAssertEqual(printed(run.runs[2]), "users: 30 label: tiny\n")
    }

    /// `rec run` resolves a function defined further down the file; a notebook runs cell by cell,
    /// so the renderer says where the missing name is defined.
    func testANameDefinedInALaterCellIsPointedAt() throws {
        let run = try runNotebook("# %%\nprint(double(2))\n\n# %% [markdown]\n# text\n\n# %%\nfn double(x) { x * 2 }\n", file: "fwd.rec")
        XCTAssertEqual(run.failedCell, 0)
        let e = try XCTUnwrap(run.runs[0]?.error)
        XCTAssertEqual(e.headline, "fwd.rec:2:7: error: undefined name 'double'")
        XCTAssertEqual(e.notes, ["'double' is defined in cell 3, which runs after this one: a notebook runs its cells from top to bottom, so move that definition up"])
        // A name defined nowhere (or only inside a function of a later cell) gets no such note.
        let other = try runNotebook("# %%\nprint(twice(2))\n\n# %%\nfn f() { let twice = 1\n twice }\n", file: "nowhere.rec")
        XCTAssertEqual(try XCTUnwrap(other.runs[0]?.error).notes, [])
    }

    func testHTMLShowsOutputsWhereTheyBelong() throws {
        let page = HTMLRenderer.page(try smallRun(), file: "small.rec")
        // Raw HTML in Markdown and in values is text; a javascript: link goes nowhere.
        XCTAssertTrue(page.contains("Raw &lt;b&gt;HTML&lt;/b&gt; stays text"))
        XCTAssertTrue(page.contains("<a href=\"#\">bad link</a>"))
        XCTAssertFalse(page.contains("javascript:"))
        XCTAssertTrue(page.contains("<td>a&lt;b</td>"))
        // The table of contents links to every heading.
        XCTAssertTrue(page.contains("<li class=\"toc-1\"><a href=\"#a-small-notebook\">A small notebook</a></li>\n<li class=\"toc-2\"><a href=\"#training\">Training</a></li>"))
        XCTAssertTrue(page.contains("<h2 id=\"training\">Training</h2>"))
        // One bar per fit, in its final state.
        XCTAssertEqual(page.components(separatedBy: "class=\"progress finished\"").count, 2)
        XCTAssertTrue(page.contains("aria-valuenow=\"3\""))
        XCTAssertTrue(page.contains("<div class=\"warning\" role=\"note\"><span class=\"label\">warning</span> <span class=\"where\">small.rec:16:5</span> scores are made up</div>"))
        XCTAssertTrue(page.contains("<div class=\"error\" role=\"alert\"><pre>small.rec:33:20: error: division by zero\n    fn ratio(a, b) { a // b }\n                       ^\n"))
        XCTAssertTrue(page.contains("<section class=\"cell code not-run\" id=\"cell-8\">"))
        XCTAssertTrue(page.contains("<div class=\"banner error\" role=\"alert\">This notebook stopped with an error in <a href=\"#cell-7\">cell 7</a>"))
        // Self-contained: nothing is fetched, nothing runs.
        XCTAssertFalse(page.contains("<script"))
        XCTAssertFalse(page.contains("http://") || page.contains("https://") || page.contains("src="))
    }

    func testIPYNBOutputs() throws {
        let text = IPYNB.write(try smallRun())
        let json = try JSON.parse(Data(text.utf8))
        XCTAssertEqual(json["nbformat"], .int(4))
        XCTAssertEqual(json["nbformat_minor"], .int(5))
        XCTAssertEqual(json["metadata"]?["kernelspec"], IPYNB.kernelspec)
        let cells = try XCTUnwrap(json["cells"]?.arrayValue)
        XCTAssertEqual(cells[1]["metadata"]?["tags"], .array([.string("parameters")]))
        let outputs = try XCTUnwrap(cells[2]["outputs"]?.arrayValue)
        XCTAssertEqual(outputs.compactMap { $0["output_type"]?.stringValue }, ["stream", "display_data", "stream", "execute_result"])
        XCTAssertEqual(outputs[2]["name"], .string("stderr"))
        XCTAssertEqual(outputs[2]["text"], .array([.string("small.rec:16:5: warning: scores are made up\n")]))
        XCTAssertEqual(outputs[3]["execution_count"], .int(2))
        XCTAssertEqual(outputs[3]["data"]?["text/plain"], .array([.string("32")]))
        XCTAssertNotNil(outputs[1]["data"]?["text/html"])
        let error = try XCTUnwrap(cells[6]["outputs"]?.arrayValue?.first)
        XCTAssertEqual(error["output_type"], .string("error"))
        XCTAssertEqual(error["ename"], .string("ValueError"))
        XCTAssertEqual(error["evalue"], .string("division by zero"))
        XCTAssertEqual(error["traceback"]?.arrayValue?.first, .string("small.rec:33:20: error: division by zero"))
        XCTAssertEqual(cells[7]["execution_count"], .null)
        XCTAssertEqual(cells[7]["outputs"], .array([]))
        // Same run, same bytes.
        XCTAssertEqual(IPYNB.write(try smallRun()), text)
    }

    func testHighlightKeepsEverySourceCharacter() {
        let source = "let s = \"a \\(f(\"x\")) <b>\" # c & d\nfor x in [1, 2.5] { if x > 1 { print(x) } }\n\"open"
        let html = Highlight.html(source)
        XCTAssertEqual(MarkdownRenderer.unescape(MarkdownRenderer.stripTags(html)), source)
        XCTAssertTrue(html.hasPrefix("<span class=\"k\">let</span> s = <span class=\"s\">&quot;a \\(f(&quot;x&quot;)) &lt;b&gt;&quot;</span> <span class=\"c\"># c &amp; d</span>"))
        XCTAssertTrue(html.contains("<span class=\"n\">2.5</span>"))
    }

    func testMarkdownHeadingsGetUniqueIDs() {
        let md = MarkdownRenderer()
        let html = md.html("# Setup\n\n## Setup\n\n## Data & *models*\n\n<script>alert(1)</script>\n\n[x](JavaScript:alert(1)) [y](https://example.org/a\"b)")
        XCTAssertEqual(md.headings.map(\.id), ["setup", "setup-2", "data-models"])
        XCTAssertEqual(md.headings.map(\.html), ["Setup", "Setup", "Data &amp; models"])
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html)
        XCTAssertTrue(html.contains("<a href=\"#\">x</a>"), html)
        XCTAssertTrue(html.contains("<a href=\"https://example.org/a&quot;b\">y</a>"), html)
    }

    func testProgressShowsTheFinalStateWhereItStarted() {
        let a = ProgressUpdate(id: "fit-1", label: "als", step: 1, total: 4, detail: "loss 2.0")
        var b = a; b.step = 2; b.detail = "loss 1.0"; b.state = .stopped
        let shown = CellOutputs.shown([.stream(.stdout, "x"), .progress(a), .stream(.stdout, "y"), .progress(b), .stream(.stdout, "z")])
        XCTAssertEqual(shown.count, 3)
        guard case .progress(let p) = shown[1] else { return XCTFail("\(shown)") }
        XCTAssertEqual(p, b)
        XCTAssertEqual(HTMLRenderer.progress(p), "<div class=\"progress stopped\" role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"4\" aria-valuenow=\"2\"><span class=\"label\">als</span><span class=\"bar\"><span class=\"fill\" style=\"width: 50.0%\"></span></span><span class=\"steps\">2/4</span><span class=\"detail\">loss 1.0</span><span class=\"state\">stopped</span></div>\n")
    }
}
