import Foundation
import XCTest
@testable import RecREPL
import RecLang
import RecStore

/// Non-ASCII names and text in the REPL's own output and completion (the terminal side is
/// covered by TerminalTests).
final class UnicodeREPLTests: XCTestCase {
    func testCompletionAfterAndOfNonASCIIText() throws {
        let s = try Session(sink: CollectingSink(), storage: Workspace.storage)
        _ = s.evaluate("let 数据集 = 1\nlet πr = 2")
        let c = Completer(session: s)
        XCTAssertEqual(c.complete("\"数据 café\" + 数").word, "数")
        XCTAssertEqual(c.complete("\"数据 café\" + 数").candidates, ["数据集"])
        XCTAssertEqual(c.complete("数据集 * π").candidates, ["πr"])
    }

    func testVarsAlignsNamesByDisplayWidth() throws {
        let out = try transcript(["let 数据集 = \"数据 café\"", "let n = 1", ":vars"])
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, out)
        // 数据集 is six columns wide, so n is padded to six too and the types line up.
        XCTAssertTrue(lines.contains("数据集  String   let  \"数据 café\""), out)
        XCTAssertTrue(lines.contains("n       Int      let  1"), out)
    }

    func testVarsShortensLongValuesByColumns() throws {
        let out = try transcript(["let s = \"" + String(repeating: "数", count: 40) + "\"", ":vars"])
        let shown = try XCTUnwrap(out.split(separator: "\n").first.map(String.init))
        let value = String(shown.dropFirst("s  String   let  ".count))
        XCTAssertTrue(value.hasSuffix("…"), value)
        XCTAssertLessThanOrEqual(value.displayWidthForTest, 58)
    }
}

private extension String {
    /// Two columns for CJK ideographs, one otherwise: enough for these tests, and independent of
    /// the implementation under test.
    var displayWidthForTest: Int { unicodeScalars.reduce(0) { $0 + ((0x4E00...0x9FFF).contains($1.value) ? 2 : 1) } }
}
