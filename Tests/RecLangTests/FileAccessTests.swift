import Foundation
import XCTest
import RecLang
import RecStore

/// The file access policy: with `FileAccess` narrowed, every builtin that opens a path (and
/// `import "file"`) refuses paths outside the allowed directories, symbolic links and `..`
/// included, while the allowed directories work as usual.
final class FileAccessTests: XCTestCase {
    var allowed = "", outside = ""

    override func setUpWithError() throws {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("rec-access-\(UUID().uuidString.prefix(8))")
        allowed = base + "/allowed"
        outside = base + "/outside"
        for d in [allowed, outside] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        try "user,item,rating\n1,2,3\n".write(toFile: outside + "/r.csv", atomically: true, encoding: .utf8)
        try "user,item,rating\n1,2,3\n".write(toFile: allowed + "/r.csv", atomically: true, encoding: .utf8)
        try "let secret = 1\n".write(toFile: outside + "/m.rec", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: allowed + "/link.csv", withDestinationPath: outside + "/r.csv")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: (allowed as NSString).deletingLastPathComponent)
    }

    /// Runs `source` with reads and writes allowed in `allowed` only; returns the transcript.
    func run(_ source: String) -> String {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        session.interpreter.fileAccess = FileAccess(readable: [], writable: [allowed], temporaryDirectory: allowed)
        session.evaluate(source, name: "t.rec", showResult: true)
        return sink.transcript
    }

    func assertDenied(_ source: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let out = run(source)
        XCTAssertTrue(out.contains("error: \(what)") && out.contains("is not allowed here (this host restricts file access)"),
                      out, file: file, line: line)
    }

    func testEveryPathTakingBuiltinIsChecked() {
        let o = outside
        assertDenied("load(\"\(o)/r.csv\")", "load(): reading \(o)/r.csv")
        assertDenied("load_jsonl(\"\(o)/r.csv\")", "load_jsonl(): reading")
        assertDenied("movielens(\"\(o)\")", "movielens(): reading")
        assertDenied("movielens_split(\"\(o)\")", "movielens_split(): reading")
        assertDenied("read_table(\"\(o)/r.csv\")", "read_table(): reading")
        assertDenied("sqlite_table(\"\(o)/w.db\", \"t\")", "sqlite_table(): reading")
        assertDenied("sqlite_query(\"\(o)/w.db\", \"SELECT 1\")", "sqlite_query(): reading")
        assertDenied("to_csv(table([[\"a\": 1]]), \"\(o)/out.csv\")", "to_csv(): writing")
        assertDenied("workspace(\"\(o)/w.recdb\")", "workspace(): writing")
        assertDenied("import \"\(o)/m.rec\"", "import: reading")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside).sorted(), ["m.rec", "r.csv"])
    }

    func testDotDotAndSymbolicLinksAreJudgedByTheirTarget() {
        assertDenied("read_table(\"\(allowed)/../outside/r.csv\")", "read_table(): reading")
        assertDenied("read_table(\"\(allowed)/link.csv\")", "read_table(): reading")
    }

    func testAllowedDirectoryWorksAndTempPathIsInside() {
        let out = run("""
            print(load("\(allowed)/r.csv"))
            let p = temp_path(".recdb")
            print(starts_with(p, "\(allowed)/"))
            workspace(p)
            save("x", [1, 2])
            print(restore("x"))
            to_csv(table([["a": 1]]), "\(allowed)/t.csv")
            print(read_table("\(allowed)/t.csv"))
            """)
        XCTAssertFalse(out.contains("error"), out)
        XCTAssertTrue(out.contains("Dataset(1 interactions"), out)
        XCTAssertTrue(out.contains("true\n[1, 2]\n"), out)
    }

    func testStandardLibraryModulesStayImportable() {
        let sink = CollectingSink()
        let session = try! Session(sink: sink, storage: Workspace.storage)
        session.interpreter.fileAccess = .none
        session.evaluate("import stats\nprint(\"ok\")", name: "t.rec", showResult: false)
        XCTAssertEqual(sink.transcript, "ok\n")
    }

    func testUnrestrictedByDefault() {
        XCTAssertEqual(Interpreter(sink: CollectingSink()).fileAccess, .unrestricted)
        XCTAssertTrue(FileAccess.unrestricted.permits("/etc/passwd", writing: true))
        XCTAssertFalse(FileAccess.none.permits("/etc/passwd", writing: false))
    }

    /// ATTACH is read-only to SQLite yet opens another file: sqlite_query refuses it, so an
    /// allowed database cannot reach one outside.
    func testSQLiteQueryCannotAttachOtherFiles() {
        let setup = CollectingSink()
        try! Session(sink: setup, storage: Workspace.storage).evaluate("workspace(\"\(outside)/w.recdb\")\nsave(\"x\", 1)", name: "setup.rec", showResult: false)
        XCTAssertEqual(setup.transcript, "")
        let out = run("""
            let p = temp_path(".recdb")
            workspace(p)
            save("y", 2)
            sqlite_query(p, "ATTACH '\(outside)/w.recdb' AS a")
            """)
        XCTAssertTrue(out.contains("error: sqlite_query():") && out.contains("too many attached databases"), out)
    }
}
