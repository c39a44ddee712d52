import Foundation
import XCTest

/// Script files as editors and other systems save them, through `rec run`: a byte order mark,
/// CRLF line endings, a stray NUL byte; and output holding a NUL.
final class ScriptBytesTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: recBinary.path), "rec binary not built at \(recBinary.path)")
    }

    private func script(_ bytes: [UInt8]) throws -> URL {
        let url = try temporaryDirectory(self).appendingPathComponent("s.rec")
        try Data(bytes).write(to: url)
        return url
    }

    func testAByteOrderMarkAndCRLFLineEndingsRunAsUsual() throws {
        let text = "let s = \"a\r\nb\"\r\nprint(count(s), 1 +\r\n  2)\r\nnosuch\r\n"
        let url = try script([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let r = try runProcess(recBinary, ["run", url.path])
        XCTAssertEqual(r.stdout, "3 3\n")
        // Columns on the first line are not shifted by the mark; the quoted line has no '\r'.
        XCTAssertEqual(r.stderr, "\(url.path):5:1: error: undefined name 'nosuch'\n    nosuch\n    ^\n")
        XCTAssertEqual(r.status, 1)
        let first = try script([0xEF, 0xBB, 0xBF] + Array("x".utf8))
        XCTAssertTrue(try runProcess(recBinary, ["run", first.path]).stderr.hasPrefix("\(first.path):1:1: error: undefined name 'x'"))
    }

    func testANulByteIsAnErrorThatShowsTheWholeLine() throws {
        let url = try script(Array("print(1)\nlet x = 1\0 + 2\nprint(2)\n".utf8))
        let r = try runProcess(recBinary, ["run", url.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, """
        \(url.path):2:10: error: unexpected character U+0000 NULL
            let x = 1␀ + 2
                     ^
        note: Rec source is UTF-8 text; a NUL byte means a binary file or another encoding (UTF-16?)

        """)
    }

    func testOutputHoldingANulIsWrittenWhole() throws {
        let r = try runProcess(recBinary, ["-e", #"print("a\0b")"#])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "a\0b\n")
    }
}
