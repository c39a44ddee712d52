import Foundation
import XCTest
@testable import RecNotebook

/// The percent format: cells, their lines in the file, tags, and what is refused.
final class PercentFormatTests: XCTestCase {
    func testCellsKindsTagsAndLines() throws {
        let text = "#!/usr/bin/env rec\n\n# %% [markdown]\n# # Title\n#\n# text\n\n# %% [parameters]\nlet n = 3\n\n\n# %%\n\nprint(n)\n"
        let nb = try Notebook.parsePercent(text, file: "t.rec")
        XCTAssertEqual(nb.preamble, "#!/usr/bin/env rec")
        XCTAssertEqual(nb.cells, [
            Notebook.Cell(.markdown, "# Title\n\ntext", line: 4),
            Notebook.Cell(.code, "let n = 3", tags: ["parameters"], line: 9),
            Notebook.Cell(.code, "\nprint(n)", line: 13),
        ])
        XCTAssertEqual(nb.title, "Title")
        // Blank lines between cells are not kept; everything else is.
        XCTAssertEqual(nb.percentText(), "#!/usr/bin/env rec\n\n# %% [markdown]\n# # Title\n#\n# text\n\n# %% [parameters]\nlet n = 3\n\n# %%\n\nprint(n)\n")
        XCTAssertEqual(try Notebook.parsePercent(nb.percentText(), file: "t.rec").cells.map(\.source), nb.cells.map(\.source))
    }

    func testFaultsNameTheirLine() {
        func message(_ text: String) -> String {
            do { _ = try Notebook.parsePercent(text, file: "t.rec"); return "no error" } catch { return error.description }
        }
        XCTAssertEqual(message("# %%\nx\n# %% [raw]\n"), "t.rec:3: error: unknown cell marker '[raw]'; a marker is '# %%', '# %% [markdown]' or '# %% [parameters]'")
        XCTAssertEqual(message("# %% [markdown]\n# ok\nprint(1)\n"),
                       "t.rec:3: error: a markdown cell's lines are comments: '# ' and the text, or a bare '#'; end the cell with a '# %%' line before code")
        XCTAssertEqual(message("# %% [parameters]\nlet a = 1\n\n# %% [parameters]\nlet b = 2\n"),
                       "t.rec:4: error: a second parameters cell; the first starts at line 1, and a notebook has at most one")
        // `# %%x` is an ordinary comment, not a marker.
        XCTAssertEqual(message("# %%x\nprint(1)\n"), "no error")
    }

    /// .rec → .ipynb → .rec gives the same text for every notebook in Notebooks/.
    func testNotebooksRoundTripThroughIPYNB() throws {
        XCTAssertFalse(Paths.notebooks.isEmpty)
        for url in Paths.notebooks {
            let text = try String(contentsOf: url, encoding: .utf8)
            let nb = try Notebook.parsePercent(text, file: url.lastPathComponent)
            XCTAssertEqual(nb.percentText(), text, url.lastPathComponent)
            let unrun = NotebookRun(notebook: nb, runs: Array(repeating: nil, count: nb.cells.count))
            let back = try IPYNB.read(Data(IPYNB.write(unrun).utf8), file: "x.ipynb")
            XCTAssertEqual(back.percentText(), text, url.lastPathComponent)
        }
    }

    func testIPYNBReading() throws {
        let json = """
        {"nbformat": 4, "nbformat_minor": 4, "metadata": {},
         "cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Hi\\n\\nthere\\n"},
                   {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": ["let a = 1\\n", "let b = 2"], "outputs": [], "execution_count": 3}]}
        """
        let nb = try IPYNB.read(Data(json.utf8), file: "a.ipynb")
        XCTAssertEqual(nb.percentText(), "# %% [markdown]\n# # Hi\n#\n# there\n\n# %% [parameters]\nlet a = 1\nlet b = 2\n")
        func message(_ json: String) -> String {
            do { _ = try IPYNB.read(Data(json.utf8), file: "a.ipynb"); return "no error" } catch { return error.description }
        }
        XCTAssertEqual(message("{\"nbformat\": 3, \"cells\": []}"),
                       "a.ipynb: error: not an nbformat 4 notebook (Jupyter's format since 2015); convert it with `jupyter nbconvert --to notebook` first")
        XCTAssertEqual(message("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"raw\", \"source\": \"x\"}]}"),
                       "a.ipynb: error: cell 1 is a raw cell; a .rec notebook holds only code and markdown cells")
        XCTAssertEqual(message("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"x = 1\\n# %%\\ny\"}]}"),
                       "a.ipynb: error: cell 1 has a line '# %%', which would start a new cell in a .rec file")
        XCTAssertTrue(message("{nope").hasPrefix("a.ipynb: error: not valid JSON"), message("{nope"))
    }
}
