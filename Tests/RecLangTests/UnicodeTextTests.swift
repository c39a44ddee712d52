import XCTest
@testable import RecLang

/// Chinese and accented text in programs: names, strings, error carets and padding.
final class UnicodeTextTests: XCTestCase {
    /// The position in the error's headline, the quoted source line and the caret line.
    private func diagnostic(_ source: String) -> [String] {
        let lines = runRec(source).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3 else { return lines }
        return [String(lines[0].prefix { $0 != " " }), lines[1], lines[2]]
    }

    /// Columns count scalars, but a CJK character takes two terminal columns: the caret must be
    /// padded by display width to land under the operator.
    func testCaretsLandUnderTheRightCharacterAfterCJKText() {
        XCTAssertEqual(diagnostic(#"let x = "数据" + 1"#), [
            "t.rec:1:14:",
            #"    let x = "数据" + 1"#,
            "                   ^",
        ])
        XCTAssertEqual(diagnostic("let 数据集 = 1\n\"数据\" + 数"), [
            "t.rec:2:8:",
            "    \"数据\" + 数",
            "             ^",
        ])
        // A tab is shown as one space; an accent (a combining mark) takes no column of its own.
        XCTAssertEqual(diagnostic("\t[\"cafe\u{301}\"] + nil"), [
            "t.rec:1:12:",
            "     [\"cafe\u{301}\"] + nil",
            "              ^",
        ])
    }

    func testNonASCIINamesAndStrings() {
        XCTAssertEqual(runRec(#"let π = 3.14; let 数据集 = [1, 2]; [π * 2, count(数据集), count("数据 café")]"#), "[6.28, 2, 7]\n")
    }

    func testPadCountsTerminalColumns() {
        XCTAssertEqual(runRec(#"[pad("数据", 6) + "|", pad("café", 6, right: true) + "|", pad("数据集", 2)]"#),
                       #"["数据  |", "  café|", "数据集"]"# + "\n")
    }
}
