import Foundation
import XCTest

/// Every way `rec` ends closes its workspace: the file is then complete on its own (no `-wal` or
/// `-shm` left beside it), so copying just the `.recdb` file — a real copy, into a new path —
/// carries everything that was saved.
final class WorkspaceExitTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: recBinary.path), "rec binary not built at \(recBinary.path)")
        dir = try temporaryDirectory(self)
    }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    private func script(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    private func assertSelfContained(_ ws: String, file: StaticString = #filePath, line: UInt = #line) {
        for suffix in ["-wal", "-shm"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: ws + suffix), "\(ws)\(suffix) was left behind", file: file, line: line)
        }
    }

    /// Copies only the main file and runs `code` on the copy in a new `rec` process.
    private func onCopy(of ws: String, _ code: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let copy = path("copy-\(UUID().uuidString.prefix(8)).recdb")
        try FileManager.default.copyItem(atPath: ws, toPath: copy)
        let r = try runProcess(recBinary, ["--workspace", copy, "-e", code])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return r.stdout
    }

    static let saves = """
        save("n", 42)
        save("t", table(["a": [1, 2, 3]]))
        let d = synthetic(users: 30, items: 20, seed: 3)
        save("d", d)
        let m = fit(als(factors: 4, iterations: 3), d)
        save("m", m)

        """

    /// What the copy must hold after `saves` ran.
    private func assertSavesArrived(_ ws: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let out = try onCopy(of: ws, """
            print(saved()["name"])
            print(restore("n"), restore("t")["a"], restore("d").count)
            let m = restore("m")
            print(m.fitted, recommend(m, 1, k: 2).count)
            """, file: file, line: line)
        let d = try runProcess(recBinary, ["-e", "synthetic(users: 30, items: 20, seed: 3).count"]).stdout
        XCTAssertEqual(out, "[\"d\", \"m\", \"n\", \"t\"]\n42 [1, 2, 3] \(d.trimmingCharacters(in: .newlines))\ntrue 2\n", file: file, line: line)
    }

    func testEvalLeavesOneFileThatCopies() throws {
        let ws = path("w.recdb")
        let r = try runProcess(recBinary, ["--workspace", ws, "-e", "save(\"a\", 1)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        assertSelfContained(ws)
        XCTAssertEqual(try onCopy(of: ws, "print(saved().count, restore(\"a\"))"), "1 1\n")
    }

    func testScriptSavingValuesTablesAndModels() throws {
        let ws = path("w.recdb")
        let r = try runProcess(recBinary, ["--workspace", ws, "run", try script("s.rec", WorkspaceExitTests.saves)])
        XCTAssertEqual(r.status, 0, r.stderr)
        assertSelfContained(ws)
        try assertSavesArrived(ws)
    }

    func testScriptFailingAfterSaving() throws {
        let ws = path("w.recdb")
        let r = try runProcess(recBinary, ["--workspace", ws, "run", try script("s.rec", WorkspaceExitTests.saves + "let x = 1 // 0\nsave(\"never\", 1)\n")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("s.rec:7:11: error: division by zero"), r.stderr)
        assertSelfContained(ws)
        try assertSavesArrived(ws)
    }

    func testCtrlCDuringAScriptAfterSaving() throws {
        let ws = path("w.recdb")
        let p = try RunningProcess(recBinary, ["--workspace", ws, "run", try script("s.rec", WorkspaceExitTests.saves + """
            warn("saved")
            var spins = 0
            while true { spins += 1 }
            """)])
        p.waitFor("warning: saved")
        Thread.sleep(forTimeInterval: 0.2)
        p.interrupt()
        XCTAssertEqual(p.finish(), 130, p.stderr)
        XCTAssertTrue(p.stderr.contains("error: interrupted"), p.stderr)
        assertSelfContained(ws)
        try assertSavesArrived(ws)
    }

    func testWorkspaceInsideAScriptAndSwitchingCloseEachFile() throws {
        let a = path("a.recdb"), b = path("b.recdb")
        let p = try RunningProcess(recBinary, ["run", try script("s.rec", """
            workspace("\(a)")
            save("x", 1)
            workspace("\(b)")
            save("y", 2)
            warn("switched")
            while true {}
            """)])
        p.waitFor("warning: switched")
        // The first file is closed as soon as the script switched away from it.
        assertSelfContained(a)
        XCTAssertEqual(try onCopy(of: a, "print(restore(\"x\"))"), "1\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: b + "-wal"), "the workspace in use is open")
        p.interrupt()
        XCTAssertEqual(p.finish(), 130, p.stderr)
        assertSelfContained(b)
        XCTAssertEqual(try onCopy(of: b, "print(restore(\"y\"), saved().count)"), "2 1\n")
    }

    func testScriptFromStdinAndUsageErrors() throws {
        let ws = path("w.recdb")
        let r = try runProcess(recBinary, ["--workspace", ws, "-"], stdin: "save(\"s\", \"from stdin\")\nnosuch()\n")
        XCTAssertEqual(r.status, 1)
        assertSelfContained(ws)
        XCTAssertEqual(try onCopy(of: ws, "print(restore(\"s\"))"), "from stdin\n")
        // A usage error exits before anything opens the file.
        let u = try runProcess(recBinary, ["--workspace", path("u.recdb"), "run"])
        XCTAssertEqual(u.status, 64)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("u.recdb")))
    }

    func testPipedREPLAndResetKeepTheWorkspaceAndCloseIt() throws {
        let ws = path("w.recdb")
        let r = try runProcess(recBinary, ["--workspace", ws], stdin: "save(\"r\", [1, 2])\n:reset\nrestore(\"r\")\nsave(\"after_reset\", true)\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "session reset\n[1, 2]\n")
        assertSelfContained(ws)
        XCTAssertEqual(try onCopy(of: ws, "print(saved()[\"name\"])"), "[\"after_reset\", \"r\"]\n")
    }

    /// Two processes with the workspace open at once: both write; the first to exit already puts
    /// everything committed so far into the main file, and the last one removes the log.
    func testTwoProcessesShareAWorkspaceAndTheLastToCloseCleansUp() throws {
        let ws = path("w.recdb")
        let repl = try RunningProcess(recBinary, ["--workspace", ws])   // piped REPL: stays open while stdin does
        repl.write("save(\"from_repl\", 1)\n\"saved-1\"\n")
        repl.waitFor("saved-1")
        let other = try runProcess(recBinary, ["--workspace", ws, "-e", "save(\"from_eval\", 2); saved().count"])
        XCTAssertEqual(other.stdout, "2\n", other.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: ws + "-wal"), "the REPL still has the workspace open")
        XCTAssertEqual(try onCopy(of: ws, "print(saved()[\"name\"])"), "[\"from_eval\", \"from_repl\"]\n")
        repl.write("save(\"later\", 3)\n\"count-\\(saved().count)\"\n")
        repl.waitFor("count-3")
        XCTAssertEqual(repl.finish(), 0, repl.stderr)
        assertSelfContained(ws)
        XCTAssertEqual(try onCopy(of: ws, "print(saved()[\"name\"])"), "[\"from_eval\", \"from_repl\", \"later\"]\n")
    }
}
