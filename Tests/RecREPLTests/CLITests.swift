import Foundation
import XCTest

/// The `rec` command end to end: modes, exit statuses, where errors go.
final class CLITests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: recBinary.path), "rec binary not built at \(recBinary.path)")
    }

    func testEvalPrintsTheValue() throws {
        let r = try runProcess(recBinary, ["-e", "fn sq(x) { x * x }; sq(12)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "144\n")
        let n = try runProcess(recBinary, ["-e", "nil"])
        XCTAssertEqual(n.stdout, "")
    }

    func testEvalErrorGoesToStderrWithPositionAndStatus1() throws {
        let r = try runProcess(recBinary, ["-e", "1 +\n  nosuch"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "<-e>:2:3: error: undefined name 'nosuch'\n      nosuch\n      ^\n")
    }

    func testRunFilesInOrderAndFailWithTheTrace() throws {
        let dir = try temporaryDirectory(self)
        let a = dir.appendingPathComponent("a.rec"), b = dir.appendingPathComponent("b.rec")
        try "print(\"first\")\n".write(to: a, atomically: true, encoding: .utf8)
        try "fn f(x) { x // 0 }\nprint(\"second\")\nf(1)\nprint(\"never\")\n".write(to: b, atomically: true, encoding: .utf8)
        let r = try runProcess(recBinary, ["run", a.path, b.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "first\nsecond\n")
        XCTAssertEqual(r.stderr, """
        \(b.path):1:13: error: division by zero
            fn f(x) { x // 0 }
                        ^
        stack trace (most recent call first):
          in f at \(b.path):1:13
          in <script> at \(b.path):3:2

        """)
        let ok = try runProcess(recBinary, ["run", a.path])
        XCTAssertEqual(ok.status, 0)
        let none = try runProcess(recBinary, ["run"])
        XCTAssertEqual(none.status, 64)
        XCTAssertTrue(none.stderr.contains("rec run needs at least one file"), none.stderr)
        let missing = try runProcess(recBinary, ["run", dir.appendingPathComponent("nope.rec").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nope.rec: no such file"), missing.stderr)
    }

    func testScriptFromStdinAndScriptArguments() throws {
        let r = try runProcess(recBinary, ["-", "x", "y"], stdin: "print(args)\nprint(1 + 1)\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "[\"x\", \"y\"]\n2\n")
        let bad = try runProcess(recBinary, ["-"], stdin: "let x = (\n")
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, "<stdin>:1:9: error: '(' was never closed\n    let x = (\n            ^\nnote: expected ')' before the end of the input\n")
    }

    func testEverySyntaxErrorOfAScriptIsReportedWithItsLineAndCaret() throws {
        let dir = try temporaryDirectory(self)
        let bad = dir.appendingPathComponent("bad.rec")
        // A parser error on line 2 and a lexer error on line 4: both, in order, and nothing runs.
        try "print(\"before\")\nlet total = 1 +* 2\nprint(total)\nlet n = 12abc\n".write(to: bad, atomically: true, encoding: .utf8)
        let r = try runProcess(recBinary, ["run", bad.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, """
        \(bad.path):2:16: error: expected an expression, found '*'
            let total = 1 +* 2
                           ^
        \(bad.path):4:11: error: invalid character 'a' in number
            let n = 12abc
                      ^

        """)
    }

    func testUnclosedBracketAndStringPointAtWhereTheyOpened() throws {
        let dir = try temporaryDirectory(self)
        let paren = dir.appendingPathComponent("paren.rec")
        try "let a = max(1, 2\nlet b = 3\nprint(a)\n".write(to: paren, atomically: true, encoding: .utf8)
        let p = try runProcess(recBinary, ["run", paren.path])
        XCTAssertEqual(p.status, 1)
        XCTAssertEqual(p.stderr, """
        \(paren.path):1:12: error: '(' was never closed
            let a = max(1, 2
                       ^
        note: expected ')' before the end of the input
        note: at line 2, column 1: expected ',' or ')' in the argument list, found 'let'

        """)
        let string = dir.appendingPathComponent("string.rec")
        try "let x = 1\nprint(\"total: \\(x)\nprint(x)\n".write(to: string, atomically: true, encoding: .utf8)
        let s = try runProcess(recBinary, ["run", string.path])
        XCTAssertEqual(s.status, 1)
        XCTAssertEqual(s.stderr, """
        \(string.path):2:7: error: unterminated string literal
            print("total: \\(x)
                  ^

        """)
    }

    func testShebangScriptRunsWithItsArguments() throws {
        let dir = try temporaryDirectory(self)
        let script = dir.appendingPathComponent("hello")
        // `#!/usr/bin/env rec` needs rec on PATH; the line itself must be a comment to Rec.
        try "#!/usr/bin/env rec\nprint(\"hello\", args[0])\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let path = recBinary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try runProcess(script, ["world"], environment: ["PATH": path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "hello world\n")
    }

    func testPipedInputIsTheREPLWithoutEditing() throws {
        let r = try runProcess(recBinary, [], stdin: "1+2\nlet xs = [1,\n  2]\nxs\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "3\n[1, 2]\n", "no prompts, banner or escape sequences when piped")
        let failing = try runProcess(recBinary, [], stdin: "1/0\n5\n")
        XCTAssertEqual(failing.status, 1, "a failed entry makes piped input exit 1")
        XCTAssertEqual(failing.stdout, "5\n")
        XCTAssertTrue(failing.stderr.contains("division by zero"))
    }

    func testVersionAndHelp() throws {
        let v = try runProcess(recBinary, ["--version"])
        XCTAssertEqual(v.status, 0)
        XCTAssertTrue(v.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, v.stdout)
        let h = try runProcess(recBinary, ["--help"])
        XCTAssertEqual(h.status, 0)
        for text in ["USAGE:", "rec run", "Examples:", "echo '1 + 2' | rec", "--workspace", "--no-color"] {
            XCTAssertTrue(h.stdout.contains(text), "--help lacks \(text)")
        }
    }

    func testNoColourWhenNotATerminal() throws {
        let r = try runProcess(recBinary, ["-e", "1/0"], removing: ["NO_COLOR"])
        XCTAssertFalse(r.stderr.contains("\u{1B}["), r.stderr)
    }

    func testDeepRecursionIsACleanError() throws {
        let r = try runProcess(recBinary, ["-e", "fn down(n) { down(n + 1) + 1 }\ndown(0)"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("recursion"), r.stderr)
        let fine = try runProcess(recBinary, ["-e", "fn depth(n) { if n == 0 { 0 } else { 1 + depth(n - 1) } }\ndepth(50000)"])
        XCTAssertEqual(fine.stdout, "50000\n", fine.stderr)
    }

    func testWorkspaceOptionOpensTheFile() throws {
        let dir = try temporaryDirectory(self)
        let ws = dir.appendingPathComponent("w.recdb").path
        let save = try runProcess(recBinary, ["--workspace", ws, "-e", "save(\"answer\", 42)"])
        XCTAssertEqual(save.status, 0, save.stderr)
        let back = try runProcess(recBinary, ["--workspace", ws, "-e", "restore(\"answer\")"])
        XCTAssertEqual(back.stdout, "42\n", back.stderr)
        let none = try runProcess(recBinary, ["-e", "save(\"answer\", 42)"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("no workspace is open"), none.stderr)
    }
}
