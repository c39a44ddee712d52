import Foundation
import XCTest
@testable import RecREPL
import RecLang
import RecStore

/// Tab completion as pure logic: what is offered for the text before the cursor.
final class CompleterTests: XCTestCase {
    private func session(_ code: String = "") throws -> Session {
        let s = try Session(sink: CollectingSink(), storage: Workspace.storage)
        if !code.isEmpty, case .failure(let e) = s.evaluate(code) { XCTFail(e.headline) }
        return s
    }

    func testKeywordsBuiltinsAndVariables() throws {
        let c = Completer(session: try session("let ratings_count = 3\nvar ranked = [1]"))
        XCTAssertEqual(c.complete("whi").candidates, ["while"])
        XCTAssertEqual(c.complete("sqr").candidates, ["sqrt"])
        XCTAssertTrue(c.complete("1 + ra").candidates.contains("ratings_count"))
        XCTAssertTrue(c.complete("1 + ra").candidates.contains("ranked"))
        XCTAssertEqual(c.complete("1 + ra").word, "ra")
        // Prelude functions are offered too.
        XCTAssertTrue(c.complete("redu").candidates.contains("reduce"))
        XCTAssertEqual(c.complete("zzzq").candidates, [])
    }

    func testNamedParametersInsideACall() throws {
        let c = Completer(session: try session("fn greet(name, greeting: \"hi\") { greeting }"))
        // A model constructor's parameters come from the catalogue, before other names.
        // (Other names follow: an argument can be any expression.)
        XCTAssertEqual(c.complete("let m = biased_mf(fa").candidates, ["factors:", "fairness:", "fairness_weight:", "fairness", "false"])
        XCTAssertEqual(c.complete("biased_mf(factors: 8, e").candidates.first, "epochs:")
        // Parameters already given are not offered again; the innermost call counts.
        XCTAssertFalse(c.complete("biased_mf(factors: 8, ").candidates.contains("factors:"))
        XCTAssertEqual(Array(c.complete("fit(biased_mf(s").candidates.prefix(1)), ["seed:"])
        XCTAssertTrue(c.complete("fit(biased_mf(), d").candidates.contains("data:"))
        // Rec functions too; a closed call or a parenthesised expression offers none.
        XCTAssertEqual(c.complete("greet(\"Ada\", gr").candidates.first, "greeting:")
        XCTAssertFalse(c.complete("greet(\"Ada\") + gr").candidates.contains("greeting:"))
        XCTAssertFalse(c.complete("(1 + fa").candidates.contains { $0.hasSuffix(":") })
        // A bracket inside a string or a comment is not a call.
        XCTAssertNil(Interpreter.enclosingCall(of: "print(\"biased_mf(\") "))
        XCTAssertEqual(Interpreter.enclosingCall(of: "f(a, # g(\nb: 1, c")?.callee, "f")
        XCTAssertEqual(Interpreter.enclosingCall(of: "f(a, # g(\nb: 1, c")?.given, ["b"])
        XCTAssertEqual(Interpreter.enclosingCall(of: "推荐(数据: 1, ")?.given, ["数据"])
    }

    func testMembersAfterADot() throws {
        let c = Completer(session: try session("let rec1 = (alpha: 1, beta: (gamma: 2))\nlet xs = [1, 2]"))
        XCTAssertEqual(c.complete("rec1.").candidates, ["rec1.alpha", "rec1.beta", "rec1.fields"])
        XCTAssertEqual(c.complete("print(rec1.be").candidates, ["rec1.beta"])
        XCTAssertEqual(c.complete("rec1.beta.g").candidates, ["rec1.beta.gamma"])
        // A list offers its members and the functions taking a list first.
        let list = c.complete("xs.").candidates
        XCTAssertTrue(list.contains("xs.count"), "\(list)")
        XCTAssertTrue(list.contains("xs.append"), "\(list)")
        XCTAssertEqual(c.complete("nosuch.").candidates, [])
    }

    func testPathsInsideStringsAndAfterLoad() throws {
        let dir = try temporaryDirectory(self)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("notes"), withIntermediateDirectories: true)
        try "".write(to: dir.appendingPathComponent("ratings.csv"), atomically: true, encoding: .utf8)
        try "".write(to: dir.appendingPathComponent("ranks.tsv"), atomically: true, encoding: .utf8)
        try "".write(to: dir.appendingPathComponent(".hidden"), atomically: true, encoding: .utf8)
        let c = Completer(session: try session())
        XCTAssertEqual(c.complete("load(\"\(dir.path)/ra").candidates, ["\(dir.path)/ranks.tsv", "\(dir.path)/ratings.csv"])
        XCTAssertEqual(c.complete("load(\"\(dir.path)/n").candidates, ["\(dir.path)/notes/"])
        XCTAssertEqual(c.complete("load(\"\(dir.path)/").candidates.count, 3, "hidden files are not offered")
        XCTAssertEqual(c.complete(":load \(dir.path)/rat").candidates, ["\(dir.path)/ratings.csv"])
        // A path with spaces and dashes is one word; libedit, which breaks at them, gets the
        // candidates relative to its own shorter word.
        let spaced = dir.appendingPathComponent("my data-2")
        try FileManager.default.createDirectory(at: spaced, withIntermediateDirectories: true)
        try "".write(to: spaced.appendingPathComponent("u-1.base"), atomically: true, encoding: .utf8)
        let r = c.complete("x = load(\"\(spaced.path)/u")
        XCTAssertEqual(r.word, "\(spaced.path)/u")
        XCTAssertEqual(r.candidates, ["\(spaced.path)/u-1.base"])
        XCTAssertEqual(Completer.relative(r.candidates, word: r.word, editorWord: "2/u"), ["2/u-1.base"])
        // A closed string, or a quote inside a comment, is not a path context.
        XCTAssertTrue(c.complete("\"a\" + lo").candidates.contains("load"))
        XCTAssertTrue(c.complete("1 # \"lo").candidates.contains("load"))
        // Outside a string the same text completes names, not paths.
        XCTAssertEqual(c.complete("\"a\" + lo").candidates.contains("load"), true)
    }

    func testMetaCommandNames() throws {
        let c = Completer(session: try session())
        XCTAssertEqual(c.complete(":t").candidates, ["time", "type"])
        XCTAssertEqual(c.complete(":").candidates, Completer.metaCommands.sorted())
    }

    func testCompletionFollowsTheCurrentSessionAfterReset() throws {
        var current = try session("let before_reset = 1")
        let c = Completer(session: { current })
        XCTAssertEqual(c.complete("before_r").candidates, ["before_reset"])
        current = try session("let after_reset = 2")
        XCTAssertEqual(c.complete("before_r").candidates, [])
        XCTAssertEqual(c.complete("after_r").candidates, ["after_reset"])
    }
}
