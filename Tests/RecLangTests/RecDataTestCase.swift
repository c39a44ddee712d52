import Foundation
import XCTest
import RecLang
import RecStore

/// Running Rec source in a fresh session against files a test writes to its own temporary
/// directory: the base of the tests of the data builtins. `movieLensDir()` finds
/// `../shared/data/ml-100k` next to the repository, and skips the test when it is absent.
class RecDataTestCase: XCTestCase {

    // MARK: - Running Rec

    /// What one chunk of Rec did.
    struct Outcome {
        let events: [OutputEvent]
        let result: Result<Value, RecError>
        let transcript: String

        var errors: [RecError] { events.compactMap { if case .error(let e) = $0 { return e }; return nil } }
        var warnings: [String] { events.compactMap { if case .warning(let m, _) = $0 { return m }; return nil } }
        /// Text written by `print`.
        var printed: String { events.map { if case .stream(_, let s) = $0 { return s }; return "" }.joined() }
        /// The text/plain form of everything shown with `show` or `describe`.
        var displayed: [String] { events.compactMap { if case .display(let d) = $0 { return d.plainText }; return nil } }
        var value: Value? { if case .success(let v) = result { return v }; return nil }
    }

    /// Runs `source` as the chunk `t.rec` in a fresh session.
    func run(_ source: String) -> Outcome {
        let sink = CollectingSink()
        guard let session = try? Session(sink: sink, storage: Workspace.storage) else {
            XCTFail("could not start a session (standard library not found?)")
            return Outcome(events: [], result: .failure(RecError(.io, "no session")), transcript: "")
        }
        let result = session.evaluate(source, name: "t.rec", showResult: false)
        return Outcome(events: sink.events, result: result, transcript: sink.transcript)
    }

    /// Runs `source`, which must not fail.
    @discardableResult
    func ok(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> Outcome {
        let o = run(source)
        if case .failure(let e) = o.result {
            XCTFail("unexpected error:\n\(e.render(color: false))\n--- source:\n\(source)", file: file, line: line)
        }
        return o
    }

    /// Runs `source` and compares what it printed.
    func assertPrints(_ source: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        let o = ok(source, file: file, line: line)
        XCTAssertEqual(o.printed, expected, file: file, line: line)
    }

    /// Runs `source`, which must fail with one error whose message contains every fragment.
    @discardableResult
    func assertFails(_ source: String, _ fragments: [String], file: StaticString = #filePath,
                             line: UInt = #line) -> RecError? {
        let o = run(source)
        guard case .failure(let e) = o.result else {
            XCTFail("expected an error from:\n\(source)\nprinted:\n\(o.transcript)", file: file, line: line)
            return nil
        }
        XCTAssertEqual(o.errors.count, 1, file: file, line: line)
        for f in fragments where !e.message.contains(f) {
            XCTFail("error message does not contain \(f.debugDescription):\n\(e.message)", file: file, line: line)
        }
        return e
    }

    /// The strings of a Rec list value.
    func strings(_ v: Value?, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        guard case .list(let l)? = v else { XCTFail("expected a list, got \(String(describing: v))", file: file, line: line); return [] }
        return l.items.map { item -> String in
            if case .string(let s) = item { return s }
            XCTFail("expected a string, got \(item)", file: file, line: line)
            return ""
        }
    }

    /// The data lines of CSV text (header dropped).
    func csvRows(_ csv: String) -> [String] {
        Array(csv.split(separator: "\n").dropFirst().map(String.init))
    }

    // MARK: - Files

    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rec-data-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    /// Writes `text` to a file in the test's directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    // MARK: - MovieLens 100K

    func movieLensDir() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.deletingLastPathComponent().appendingPathComponent("shared/data/ml-100k").standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("u.data")) else {
            throw XCTSkip("MovieLens 100K not found at \(dir)")
        }
        return dir
    }
}
