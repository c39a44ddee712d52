import Foundation
import XCTest
@testable import RecLang

/// Every Rec example in docs/ and the README runs, and shows what the page says it shows.
///
/// Fence tags (docs/README.md of the corpus explains them for authors):
/// - ```rec: Rec code. The blocks of one page run in order in one session, like notebook cells,
///   in a temporary directory holding DocFixtures/ (and `ml-100k` when MovieLens is available).
///   `# → TEXT` comments are the expected output; a block with none is only required to run
///   without an error. In the info string, `needs: NAME` skips the block when the fixture NAME is
///   missing, `session: fresh` starts a new session (for "later, in another session"), and
///   `known bug: TEXT` marks an example that fails because of a bug in Rec.
/// - ```rec-repl: a REPL transcript, typed into a fresh REPL; everything shown must match.
/// - ```rec-norun REASON: Rec that is deliberately not run (it must still parse).
/// - ```sh, ```text, ```swift and bare fences are not Rec; a ```swift block that parses as Rec
///   is reported, since it is probably a Rec example in the wrong fence.
final class DocExamplesTests: XCTestCase {
    static let root = ScriptRunner.repositoryRoot
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("DocFixtures")

    static var pages: [String] {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }

    /// ../shared/data/ml-100k next to the checkout, when present.
    static var movieLens: URL? {
        for base in [root.resolvingSymlinksInPath(), root] {
            let dir = base.deletingLastPathComponent().appendingPathComponent("shared/data/ml-100k")
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("u.data").path) { return dir }
        }
        return nil
    }

    func testDocExamplesRunAndShowWhatTheDocsSay() throws {
        XCTAssertGreaterThan(DocExamplesTests.pages.count, 5)
        var report = ScriptReport()
        for page in DocExamplesTests.pages {
            try ScriptRunner.inTemporaryDirectory(copying: DocExamplesTests.fixtures) { dir in
                if let ml = DocExamplesTests.movieLens {
                    try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("ml-100k"), withDestinationURL: ml)
                }
                try check(page: page, in: dir, into: &report)
            }
        }
        XCTAssertGreaterThan(report.checked, 50, "too few examples found: is the fence tag still ```rec?")
        report.assertClean("docs")
    }

    private func check(page: String, in dir: URL, into report: inout ScriptReport) throws {
        let markdown = try String(contentsOf: DocExamplesTests.root.appendingPathComponent(page), encoding: .utf8)
        var (session, sink) = try ScriptRunner.session()
        let sourceName = "<\(page)>"
        for block in FencedBlock.all(in: markdown) {
            let place = "\(page):\(block.fenceLine)"
            let lastLine = block.fenceLine + block.lines.count
            if let needs = block.option("needs"), !FileManager.default.fileExists(atPath: dir.appendingPathComponent(needs).path) {
                report.skipped.append("\(place) (needs \(needs))")
                continue
            }
            switch block.tag {
            case "rec":
                if block.option("session") == "fresh" { (session, sink) = try ScriptRunner.session() }
                sink.clear()
                // Padded so that positions in errors are lines of the page.
                let source = SourceFile(name: sourceName, text: String(repeating: "\n", count: block.fenceLine) + block.text)
                let expectations = Expectations(parsing: block.text, firstLine: block.fenceLine + 1)
                let result = session.evaluate(source, showResult: false)
                let found = expectations.check(RunRecord(events: sink.events, result: result), file: page,
                                               sourceName: sourceName, lastLine: lastLine, strict: false)
                report.record(found, knownBug: block.option("known bug") ?? expectations.knownBug, script: place)
            case "rec-repl":
                let transcript = Transcript(block)
                if transcript.input.isEmpty { report.failures.append("\(place): a rec-repl block without a `rec> ` line") }
                report.record(try transcript.check(file: page, lastLine: lastLine), knownBug: block.option("known bug"), script: place)
            case "rec-norun":
                if block.info.isEmpty { report.failures.append("\(place): say why a rec-norun block does not run (```rec-norun REASON)") }
                do { _ = try Parser.parse(SourceFile(name: sourceName, text: block.text)) } catch {
                    report.failures.append("\(place): rec-norun block does not parse: \(error.headline)")
                }
            case "swift":
                if (try? Parser.parse(SourceFile(name: sourceName, text: block.text))) != nil {
                    report.failures.append("\(place): this ```swift block is valid Rec; tag Rec examples ```rec so they run")
                }
            case "sh", "text", "":
                break
            default:
                report.failures.append("\(place): unknown fence tag '\(block.tag)' (rec, rec-repl, rec-norun, sh, text, swift)")
            }
        }
    }

    /// The `Example:` lines of builtin documentation: each must parse and call only functions
    /// that exist, and an `A is B` example must hold.
    func testBuiltinDocExamplesHold() throws {
        let registry = BuiltinRegistry.standard()
        let (session, sink) = try ScriptRunner.session()
        let call = try NSRegularExpression(pattern: #"\b([A-Za-z_][A-Za-z0-9_]*)\("#)
        var checked = 0
        for name in registry.order {
            let doc = registry[name]!.doc
            for line in doc.components(separatedBy: "\n") {
                guard let r = line.range(of: "Example: ") else { continue }
                var example = String(line[r.upperBound...]).trimmingCharacters(in: .whitespaces)
                if example.hasSuffix(".") { example.removeLast() }
                for part in example.components(separatedBy: "; ") {
                    checked += 1
                    let code = part.components(separatedBy: " is ")
                    let source = code.count == 2 ? "repr(\(code[0])) == repr(\(code[1]))" : part
                    do { _ = try Parser.parse(SourceFile(name: name, text: source)) } catch {
                        XCTFail("\(name): Example does not parse: \(part): \(error.message)")
                        continue
                    }
                    // Calls inside string literals ("n_unique(user)") are data, not calls.
                    let ns = part.replacingOccurrences(of: #""(?:[^"\\]|\\.)*""#, with: "\"\"", options: .regularExpression) as NSString
                    for m in call.matches(in: ns as String, range: NSRange(location: 0, length: ns.length)) {
                        let callee = ns.substring(with: m.range(at: 1))
                        if case .failure = session.evaluate(callee, showResult: false) {
                            XCTFail("\(name): Example calls '\(callee)', which does not exist: \(part)")
                        }
                    }
                    if code.count == 2 {
                        sink.clear()
                        let result = session.evaluate(source, showResult: false)
                        if case .success(.bool(true)) = result { continue }
                        XCTFail("\(name): Example does not hold: \(part) (\(sink.transcript))")
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 5)
    }
}
