import Foundation
import XCTest

/// `rec render` and `-p` parameters end to end: files written, exit statuses, messages.
final class RenderCLITests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: recBinary.path), "rec binary not built at \(recBinary.path)")
    }

    let notebook = """
    # %% [markdown]
    # # Parameters

    # %% [parameters]
    let users = 100
    let tag = "full"

    # %%
    print(users * 2, tag)

    """

    func write(_ text: String, _ name: String, in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testRenderWritesHTMLAndIPYNBAndConvertsBack() throws {
        let dir = try temporaryDirectory(self)
        let nb = try write(notebook, "nb.rec", in: dir)
        let r = try runProcess(recBinary, ["render", nb.path, "-p", "users=7"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout + r.stderr, "")
        let html = try String(contentsOf: dir.appendingPathComponent("nb.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<pre class=\"stream stdout\">14 full\n</pre>"), html)
        XCTAssertTrue(html.contains("<span class=\"tag\">injected parameters</span>"))

        let out = dir.appendingPathComponent("out.ipynb")
        XCTAssertEqual(try runProcess(recBinary, ["render", nb.path, "-o", out.path]).status, 0)
        let ipynb = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(ipynb.contains("\"200 full\\n\""), ipynb)
        XCTAssertTrue(ipynb.contains("\"name\": \"rec\""))

        let back = dir.appendingPathComponent("back.rec")
        let c = try runProcess(recBinary, ["render", out.path, "--to", "rec", "-o", back.path])
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertEqual(try String(contentsOf: back, encoding: .utf8), notebook)
        // Converting never overwrites the notebook it reads.
        let same = try runProcess(recBinary, ["render", nb.path, "--to", "rec"])
        XCTAssertEqual(same.status, 64)
        XCTAssertTrue(same.stderr.contains("would overwrite the notebook"), same.stderr)
    }

    func testAFailingCellFailsTheRenderAfterWritingThePage() throws {
        let dir = try temporaryDirectory(self)
        let nb = try write("# %%\nprint(\"before\")\n\n# %%\nlet x = [1][3]\n\n# %%\nprint(\"after\")\n", "bad.rec", in: dir)
        let page = dir.appendingPathComponent("bad.html")
        let r = try runProcess(recBinary, ["render", nb.path, "-o", page.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("\(nb.path):5:"), r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix("rec render: cell 2 failed; wrote \(page.path) with the error in it\n"), r.stderr)
        let html = try String(contentsOf: page, encoding: .utf8)
        XCTAssertTrue(html.contains("<section class=\"cell code failed\" id=\"cell-2\">"))
        XCTAssertTrue(html.contains("<pre class=\"stream stdout\">before\n</pre>"))
        XCTAssertFalse(html.contains("after\n</pre>"))
        XCTAssertTrue(html.contains("<div class=\"error\" role=\"alert\"><pre>\(nb.path):5:"))
    }

    func testRunWithParameters() throws {
        let dir = try temporaryDirectory(self)
        let nb = try write(notebook + "# %%\nlet boom = 1 // (users - 3)\n", "nb.rec", in: dir)
        let r = try runProcess(recBinary, ["run", nb.path, "-p", "tag=\"ci\"", "-pusers=5"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "10 ci\n")
        // Lines keep their numbers after the values are bound.
        let e = try runProcess(recBinary, ["run", nb.path, "--param", "users=3"])
        XCTAssertEqual(e.status, 1)
        XCTAssertTrue(e.stderr.hasPrefix("\(nb.path):11:14: error: division by zero"), e.stderr)
        let plain = try runProcess(recBinary, ["run", nb.path])
        XCTAssertEqual(plain.stdout, "200 full\n")
    }

    func testParameterMistakes() throws {
        let dir = try temporaryDirectory(self)
        let nb = try write(notebook, "nb.rec", in: dir)
        let unknown = try runProcess(recBinary, ["run", nb.path, "-p", "user=3"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "error: \(nb.path): unknown parameter 'user'; its parameters are users, tag\n")
        let render = try runProcess(recBinary, ["render", nb.path, "-p", "user=3"])
        XCTAssertEqual(render.status, 1)
        XCTAssertEqual(render.stderr, "error: \(nb.path): unknown parameter 'user'; its parameters are users, tag\n")
        let word = try runProcess(recBinary, ["run", nb.path, "-p", "tag=ci"])
        XCTAssertEqual(word.status, 64)
        XCTAssertEqual(word.stderr, "error: tag: 'ci' is not a Rec literal (a number, a \"string\", true, false, nil, or a list, map or record of them); quote text: tag='\"ci\"'\n")
        let two = try runProcess(recBinary, ["run", nb.path, nb.path, "-p", "users=1"])
        XCTAssertEqual(two.status, 64)
        XCTAssertEqual(two.stderr, "error: -p sets a notebook's parameters: give one notebook, not 2 files\n")
        let marker = try write("# %% [python]\nx\n", "m.rec", in: dir)
        let m = try runProcess(recBinary, ["render", marker.path])
        XCTAssertEqual(m.status, 1)
        XCTAssertEqual(m.stderr, "\(marker.path):1: error: unknown cell marker '[python]'; a marker is '# %%', '# %% [markdown]' or '# %% [parameters]'\n")
    }
}
