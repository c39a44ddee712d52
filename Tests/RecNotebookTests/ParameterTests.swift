import XCTest
import RecLang
@testable import RecNotebook

/// Papermill-style parameters: `-p NAME=VALUE` replaces a binding of the parameters cell.
final class ParameterTests: XCTestCase {
    let notebook = "# %% [markdown]\n# Parameters\n\n# %% [parameters]\nlet users = 100\nlet seed = 1  # random seed\nlet name = \"full\"\n\n# %%\nfn twice(x) { x * 2 }\nprint(twice(users), seed, name)\n"

    func overrides(_ args: String...) throws -> ParameterOverrides {
        var o = ParameterOverrides()
        for a in args { try o.add(a) }
        return o
    }

    func testOverridesReplaceDefaults() throws {
        let run = try runNotebook(notebook, overrides: try overrides("users=200", "name=\"ci\"", "users=7"))
        XCTAssertEqual(printed(run.runs.last!), "14 1 ci\n")
        XCTAssertEqual(run.notebook.cells[2].tags, ["injected-parameters"])
        XCTAssertEqual(run.notebook.cells[2].source, "let name = \"ci\"\nlet users = 7")
        XCTAssertEqual(printed(try runNotebook(notebook).runs.last!), "200 1 full\n")
    }

    func testValuesAreLiteralsNotCode() throws {
        for good in ["x=-3", "x=2.5e3", "x=[1, \"a\", nil]", "x=(a: 1, b: [true])", "x=[\"k\": -1.5]"] {
            XCTAssertNoThrow(try overrides(good), good)
        }
        func message(_ arg: String) -> String {
            do { _ = try overrides(arg); return "no error" } catch { return (error as? RecError)?.message ?? "\(error)" }
        }
        XCTAssertEqual(message("users"), "-p users: expected NAME=VALUE, e.g. -p users=200")
        XCTAssertEqual(message("=3"), "-p =3: the parameter name is missing")
        XCTAssertEqual(message("name=full"), "name: 'full' is not a Rec literal (a number, a \"string\", true, false, nil, or a list, map or record of them); quote text: name='\"full\"'")
        XCTAssertEqual(message("x=print(1)"), "x: 'print(1)' is not a Rec literal (a number, a \"string\", true, false, nil, or a list, map or record of them)")
        XCTAssertEqual(message("x=1 2"), "x: '1 2' is not a single Rec literal (a number, a \"string\", true, false, nil, or a list, map or record of them)")
        XCTAssertEqual(message("x=\"a\\(b)\""), "x: '\"a\\(b)\"' is not a Rec literal (a number, a \"string\", true, false, nil, or a list, map or record of them)")
    }

    func testUnknownNamesAreErrorsListingTheParameters() throws {
        let nb = try Notebook.parsePercent(notebook, file: "nb.rec")
        XCTAssertThrowsError(try overrides("user=3").check(nb, file: "nb.rec")) { e in
            XCTAssertEqual((e as? RecError)?.message, "nb.rec: unknown parameter 'user'; its parameters are users, seed, name")
        }
        let plain = try Notebook.parsePercent("# %%\nprint(1)\n", file: "p.rec")
        XCTAssertThrowsError(try overrides("user=3").check(plain, file: "p.rec")) { e in
            XCTAssertEqual((e as? RecError)?.message, "p.rec: the notebook has no parameters cell ('# %% [parameters]' above its let bindings), so -p user=… has nothing to set")
        }
    }

    /// `rec run -p` runs the file as one script: the bindings go on the next marker's line, so
    /// every line keeps its number.
    func testScriptTextKeepsLineNumbers() throws {
        let nb = try Notebook.parsePercent(notebook, file: "nb.rec")
        let script = try overrides("seed=9", "users=3").scriptText(notebook, notebook: nb, file: "nb.rec")
        let lines = script.components(separatedBy: "\n")
        XCTAssertEqual(lines.count, notebook.components(separatedBy: "\n").count)
        XCTAssertEqual(lines[8], "let seed = 9; let users = 3  # %%")
        let sink = CollectingSink()
        let session = try Session(sink: sink)
        _ = session.evaluate(SourceFile(name: "nb.rec", text: script + "ratio = 1\n"), showResult: false)
        XCTAssertEqual(sink.transcript, "6 9 full\nnb.rec:12:1: error: undefined name 'ratio'\n    ratio = 1\n    ^\n")
        // A parameters cell at the end gets the bindings on a line of their own.
        let last = "# %%\nprint(1)\n\n# %% [parameters]\nlet k = 1\n"
        XCTAssertEqual(try overrides("k=2").scriptText(last, notebook: try Notebook.parsePercent(last, file: "l.rec"), file: "l.rec"),
                       last + "let k = 2\n")
    }
}
