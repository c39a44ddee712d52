import Foundation
import XCTest
import RecLang

/// Every script in Corpus/ runs in a fresh session and must print, warn and fail exactly as its
/// `# expect` comments say (Corpus/README.md). A language or builtin change is a new file there.
final class CorpusTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")

    /// The corpus scripts, relative to Corpus/, sorted. Folders starting with `_` hold modules
    /// that scripts import, not scripts.
    static func scripts() throws -> [String] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: corpus.path) else { return [] }
        var found: [String] = []
        while let path = walker.nextObject() as? String {
            if (path as NSString).lastPathComponent.hasPrefix("_") { walker.skipDescendants(); continue }
            if path.hasSuffix(".rec") { found.append(path) }
        }
        return found.sorted()
    }

    func testCorpusScriptsMeetTheirExpectations() throws {
        let scripts = try CorpusTests.scripts()
        XCTAssertGreaterThan(scripts.count, 0, "no scripts in \(CorpusTests.corpus.path)")
        var report = ScriptReport()
        try ScriptRunner.inTemporaryDirectory { _ in
            for script in scripts {
                let (mismatches, bug) = try ScriptRunner.checkFile(at: CorpusTests.corpus.appendingPathComponent(script).path,
                                                                   displayName: "Corpus/" + script)
                report.record(mismatches, knownBug: bug, script: "Corpus/" + script)
            }
        }
        report.assertClean("corpus")
    }

    /// The checker itself: every kind of difference is caught, and `…` abridges.
    func testTheCheckerCatchesEveryKindOfDifference() throws {
        func mismatches(_ source: String) throws -> [String] {
            let (session, sink) = try ScriptRunner.session()
            let result = session.evaluate(source, name: "t.rec", showResult: false)
            return Expectations(parsing: source).check(RunRecord(events: sink.events, result: result), file: "t.rec",
                                                       sourceName: "t.rec", lastLine: 99, strict: true).map(\.description)
        }
        XCTAssertEqual(try mismatches("print(1)  # expect: 1\nprint(\"#x\")  # expect: #x"), [])
        XCTAssertEqual(try mismatches("print(1)  # expect: 2"), ["t.rec:1: expected output '2', got '1'"])
        XCTAssertEqual(try mismatches("print(1)\nprint(2)  # expect: 1"),
                       ["t.rec:2: unexpected output after the last expectation (1 lines):\n  2"])
        XCTAssertEqual(try mismatches("# expect: 1"), ["t.rec:1: expected output '1', got no more output"])
        XCTAssertEqual(try mismatches("warn(\"w\")"), ["t.rec:99: unexpected warning after the last expectation (1 lines):\n  w"])
        XCTAssertEqual(try mismatches("warn(\"w\")  # expect warning at 1:5: w"), [])
        XCTAssertEqual(try mismatches("warn(\"w\")  # expect warning at 1:2: w"),
                       ["t.rec:1: expected warning 'w', got 'w' at 1:5, expected at 1:2"])
        XCTAssertEqual(try mismatches("1 / 0"), ["t.rec:1: unexpected error: t.rec:1:3: error: division by zero"])
        XCTAssertEqual(try mismatches("1 / 0  # expect error at 1:3: division by zero"), [])
        XCTAssertEqual(try mismatches("1 / 0  # expect error at 1:1: division by zero"),
                       ["t.rec:1: expected the error at 1:1, got it at 1:3"])
        XCTAssertEqual(try mismatches("1  # expect error: boom"), ["t.rec:1: expected error 'boom', but the script ended without one"])
        XCTAssertEqual(try mismatches("1  # expect : 1"), ["t.rec:1: malformed expectation: expect : 1"])
        // Abridged output: `…` inside a line and as a whole line.
        XCTAssertEqual(try mismatches("print(\"a 12 b\")  # expect: a … b"), [])
        XCTAssertEqual(try mismatches("for i in 0..<5 { print(i) }\n# expect: 0\n# expect: …\n# expect: 4"), [])
        XCTAssertEqual(try mismatches("for i in 0..<5 { print(i) }\n# expect: 0\n# expect: …\n# expect: 7"),
                       ["t.rec:4: expected output '7', got no more output"])
    }
}
