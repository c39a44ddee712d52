import XCTest
@testable import RecCore

final class TableRenderTests: XCTestCase {
    func testTextRenderingIsAligned() throws {
        let text = try TableFixtures.ratings().renderText()
        XCTAssertEqual(text, """
            user  item  rating  title
            ----  ----  ------  --------------
               1    10     4.5  Toy Story
               2    10     3.0  Toy Story
               1    20     5.0  Heat
               3    30     nil  Casino, "1995"
            """)
        XCTAssertEqual(try TableFixtures.ratings().description, text)
    }

    func testFloatColumnsShareDecimalsUpToFour() throws {
        let t = try Table(columnNames: ["x", "ok"], rows: [
            [0.123456, true], [2.5, false], [1234567.0, nil], [-0.00001, true], [1e15, true], [.double(.infinity), true],
        ])
        XCTAssertEqual(t.renderText(), """
                       x  ok
            ------------  -----
                  0.1235  true
                  2.5000  false
            1234567.0000  nil
                  -1e-05  true
                   1e+15  true
                     inf  true
            """)
        let ints = try Table(columnNames: ["v"], rows: [[1.0], [2.5], [-3.25]])
        XCTAssertEqual(ints.renderText(), "    v\n-----\n 1.00\n 2.50\n-3.25")
        XCTAssertEqual(TableNumberFormat.scientific(123456789), "1.235e+08")
        XCTAssertEqual(TableNumberFormat.scientific(-0.000031), "-3.1e-05")
        XCTAssertEqual(TableNumberFormat.scientific(9.99996e20), "1e+21")
    }

    func testLongTablesShowHeadTailAndShape() throws {
        let n = 25
        let t = try Table([("i", Column(ints: (0..<Int64(n)).map { $0 * 10 })), ("s", Column(strings: (0..<n).map { "r\($0)" }))])
        let lines = t.renderText(TableFormat(maxRows: 4)).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, [
            "  i  s",
            "---  ---",
            "  0  r0",
            " 10  r1",
            "  …  …",
            "230  r23",
            "240  r24",
            "[25 rows × 2 columns]",
        ])
        XCTAssertEqual(t.renderText().split(separator: "\n").count, 2 + 20 + 1 + 1)  // default 20 rows shown
    }

    func testCellsAreClippedAndControlCharactersEscaped() throws {
        let t = try Table(columnNames: ["note"], rows: [["line one\nline two"], [.string(String(repeating: "x", count: 50))]])
        let lines = t.renderText(TableFormat(maxColumnWidth: 12)).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[2], "line one\\nl…")
        XCTAssertEqual(lines[3], "xxxxxxxxxxx…")
    }

    func testEmptyTables() throws {
        XCTAssertEqual(Table().renderText(), "(empty table)")
        let t = try TableFixtures.ratings().head(0)
        XCTAssertEqual(t.renderText(), "user  item  rating  title\n----  ----  ------  -----\n(0 rows)")
    }

    func testHTMLEscapesAndAligns() throws {
        let t = try Table(columnNames: ["n", "<name>"], rows: [[1, "a & b"], [nil, "\"q\" <script>"]])
        XCTAssertEqual(t.renderHTML(), """
            <table class="rec-table">
            <thead>
            <tr><th style="text-align: right">n</th><th>&lt;name&gt;</th></tr>
            </thead>
            <tbody>
            <tr><td style="text-align: right">1</td><td>a &amp; b</td></tr>
            <tr><td style="text-align: right">nil</td><td>&quot;q&quot; &lt;script&gt;</td></tr>
            </tbody>
            </table>
            """)
        let long = try Table([("i", Column(ints: Array(0..<30)))])
        let html = long.renderHTML(TableFormat(maxRows: 2))
        XCTAssertTrue(html.contains("<tr><td style=\"text-align: right\">…</td></tr>"))
        XCTAssertTrue(html.hasSuffix("<p class=\"rec-table-shape\">30 rows × 1 column</p>"))
    }

    func testCSVQuotingNullsAndNumbers() throws {
        let t = try Table(columnNames: ["id", "text", "score", "ok"], rows: [
            [1, "plain", 0.1, true],
            [2, "comma, here", nil, false],
            [3, "say \"hi\"", 1e-7, nil],
            [4, "two\nlines", .double(.nan), true],
            [5, "", 2.0, true],
            [nil, nil, 3.5, false],
        ])
        XCTAssertEqual(t.csv(), #"""
            id,text,score,ok
            1,plain,0.1,true
            2,"comma, here",,false
            3,"say ""hi""",1e-07,
            4,"two
            lines",nan,true
            5,"",2.0,true
            ,,3.5,false

            """#)
        let tsv = try Table(columnNames: ["a b", "c\td"], rows: [["x,y", "tab\there"]])
        XCTAssertEqual(tsv.csv(CSVWriteOptions(delimiter: "\t", nullText: "NA")), "a b\t\"c\td\"\nx,y\t\"tab\there\"\n")
        XCTAssertEqual(tsv.csv(CSVWriteOptions(header: false)), "\"x,y\",tab\there\n")
    }

    /// CJK characters take two terminal columns, combining accents none: columns line up on
    /// screen only when padding counts display width.
    func testCJKAndAccentedTextAlignByDisplayWidth() throws {
        let t = try Table([
            ("item", Column(strings: ["数据集", "Café crème", "黑咖啡", "e\u{301}clair"])),
            ("类别", Column(strings: ["书籍", "饮料", "饮料", "甜点"])),
            ("评分", Column(optionalDoubles: [4.5, 3, nil, 5])),
            ("n", Column(ints: [12, 7, 1, 100])),
        ])
        XCTAssertEqual(t.renderText(), """
            item        类别  评分    n
            ----------  ----  ----  ---
            数据集      书籍   4.5   12
            Café crème  饮料   3.0    7
            黑咖啡      饮料   nil    1
            e\u{301}clair      甜点   5.0  100
            """)
    }

    func testClippingCountsColumnsAndKeepsCharactersWhole() throws {
        let t = try Table(columnNames: ["名称"], rows: [["数据科学入门课程"], ["Café crème brûlée"], ["数据科学"]])
        let lines = t.renderText(TableFormat(maxColumnWidth: 7)).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, ["名称", "-------", "数据科…", "Café c…", "数据科…"])
        XCTAssertTrue(lines.allSatisfy { $0.displayWidth <= 7 })
        XCTAssertTrue(t.renderHTML(TableFormat(maxColumnWidth: 7)).contains("<td>数据科…</td>"))
    }
}
