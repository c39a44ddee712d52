import XCTest
@testable import RecCore

/// Reading delimited files into tables: quoting, types, nulls, errors with line numbers, and
/// round trips with `csv()`.
final class TableCSVReaderTests: TempDirTestCase {
    func testTypesQuotingAndNulls() throws {
        let p = try write("items.csv", "\u{FEFF}item,title,price,stock\r\n1,\"Lamp, brass\",12.5,3\r\n2,\"Say \"\"hi\"\"\",,\r\n\r\n3,\"two\nlines\",7,10\n")
        let t = try Table.readDelimited(p)
        XCTAssertEqual(t.columnNames, ["item", "title", "price", "stock"])
        XCTAssertEqual(t.rowCount, 3)
        XCTAssertEqual(try t.column("item").type, .int)
        XCTAssertEqual(try t.column("price").type, .double)
        XCTAssertEqual(try t.column("stock").type, .int)
        XCTAssertEqual(try t.column("title")[0], .string("Lamp, brass"))
        XCTAssertEqual(try t.column("title")[1], .string("Say \"hi\""))
        XCTAssertEqual(try t.column("title")[2], .string("two\nlines"))
        XCTAssertTrue(try t.column("price").isNull(1))
        XCTAssertTrue(try t.column("stock").isNull(1))
        XCTAssertEqual(try t.column("price")[2], .double(7))
    }

    func testSeparatorGuessAndNoHeader() throws {
        let p = try write("u.tsv", "a\tx, y\t3\nb\tz\t4\n")
        let t = try Table.readDelimited(p, options: CSVReadOptions(header: false))
        XCTAssertEqual(t.columnNames, ["column1", "column2", "column3"])
        XCTAssertEqual(try t.column("column2")[0], .string("x, y"))
        let pipes = try write("p.txt", "k|v\n1|2\n")
        XCTAssertEqual(try Table.readDelimited(pipes, options: CSVReadOptions(separator: "|")).columnNames, ["k", "v"])
    }

    func testRoundTripWithCSVWriter() throws {
        let t = try Table([("id", Column(optionalInts: [1, nil, 3])), ("name", Column(optionalStrings: ["a,b", "", nil])),
                           ("score", Column(doubles: [0.5, -1.25, 1e-9]))])
        let p = try write("t.csv", t.csv())
        let back = try Table.readDelimited(p)
        XCTAssertEqual(back.csv(), t.csv())
        XCTAssertEqual(try back.column("name")[1], .string(""))     // "" is the empty string …
        XCTAssertTrue(try back.column("name").isNull(2))             // … and an empty field is nil
    }

    func testErrorsNameTheFileAndLine() throws {
        let short = try write("short.csv", "a,b\n1,2\n3\n")
        XCTAssertThrowsError(try Table.readDelimited(short)) { e in
            let d = e as? DataError
            XCTAssertEqual(d?.line, 3)
            XCTAssertTrue("\(e)".contains("expected 2 fields, found 1"), "\(e)")
        }
        let open = try write("open.csv", "a,b\n1,\"never closed\n2,3\n")
        XCTAssertThrowsError(try Table.readDelimited(open)) { e in XCTAssertEqual((e as? DataError)?.line, 2) }
        let twice = try write("twice.csv", "a,a\n1,2\n")
        XCTAssertThrowsError(try Table.readDelimited(twice)) { e in XCTAssertTrue("\(e)".contains("appears twice"), "\(e)") }
        let after = try write("after.csv", "a,b\n\"x\"y,2\n")
        XCTAssertThrowsError(try Table.readDelimited(after)) { e in XCTAssertTrue("\(e)".contains("after a closing quote"), "\(e)") }
    }

    /// u.user's shape: pipe-separated, no header.
    func testColumnsNameAHeaderlessFileAndImplyNoHeader() throws {
        let p = try write("u.user", "1|24|M|technician|85711\n2|53|F|other|94043\n")
        let (t, report) = try Table.readDelimitedReporting(p, options: CSVReadOptions(columns: ["user", "age", "gender", "occupation", "zip"]))
        XCTAssertEqual(t.columnNames, ["user", "age", "gender", "occupation", "zip"])
        XCTAssertEqual(t.rowCount, 2)
        XCTAssertEqual(try t.column("age").values, [.int(24), .int(53)])
        XCTAssertNil(report.header)
        XCTAssertEqual(report.numericHeaderFields, [])
        // Read with the default header, its first line is reported as looking like data.
        let (h, r2) = try Table.readDelimitedReporting(p)
        XCTAssertEqual(h.columnNames, ["1", "24", "M", "technician", "85711"])
        XCTAssertEqual(r2.numericHeaderFields, ["1", "24", "85711"])
        // A wrong number of names: the file, the line and the names.
        XCTAssertThrowsError(try Table.readDelimited(p, options: CSVReadOptions(columns: ["user", "age"]))) { e in
            XCTAssertEqual("\(e)", "\(p):1: expected 2 fields (user, age), found 5\n    1|24|M|technician|85711")
        }
    }

    func testColumnsWithHeaderRenameIt() throws {
        let p = try write("h.csv", "id,years\n1,24\n")
        let t = try Table.readDelimited(p, options: CSVReadOptions(header: true, columns: ["user", "age"]))
        XCTAssertEqual(t.columnNames, ["user", "age"])
        XCTAssertEqual(t.rowCount, 1)
        XCTAssertThrowsError(try Table.readDelimited(p, options: CSVReadOptions(header: true, columns: ["user", "age", "x"]))) { e in
            XCTAssertEqual((e as? DataError)?.message, "the header has 2 fields but columns: gives 3 names")
        }
    }

    func testLatin1AndEncodingNames() throws {
        let p = try write("l1.csv", bytes: Array("name\nJos".utf8) + [0xE9] + Array("\nM".utf8) + [0xFC] + Array("ller\n".utf8))
        XCTAssertThrowsError(try Table.readDelimited(p)) { e in
            XCTAssertEqual((e as? DataError)?.line, 2)
            XCTAssertEqual((e as? DataError)?.message, #"invalid UTF-8 at byte 4 of the line (0xE9, file offset 8); if the file is Latin-1, pass encoding: "latin-1""#)
        }
        let t = try Table.readDelimited(p, options: CSVReadOptions(encoding: .latin1))
        XCTAssertEqual(try t.column("name").values, [.string("José"), .string("Müller")])
        for n in ["latin-1", "Latin1", "ISO-8859-1", "iso_8859-1"] { XCTAssertEqual(TextEncoding(name: n), .latin1, n) }
        for n in ["utf-8", "UTF8", "utf-8-sig"] { XCTAssertEqual(TextEncoding(name: n), .utf8, n) }
        XCTAssertNil(TextEncoding(name: "cp1252"))
    }

    func testHeaderOnlyFileHasNoRows() throws {
        let p = try write("h.csv", "a,b\n")
        let (t, report) = try Table.readDelimitedReporting(p)
        XCTAssertEqual(t.columnNames, ["a", "b"])
        XCTAssertEqual(t.rowCount, 0)
        XCTAssertEqual(report.rows, 0)
        XCTAssertEqual(report.header, ["a", "b"])
    }

    func testAttributeTableFromTable() throws {
        let t = try Table([("sku", Column(ints: [7, 8])), ("brand", Column(optionalStrings: ["acme", nil])),
                           ("price", Column(doubles: [1.5, 2])), ("new", Column(bools: [true, false]))])
        let a = try AttributeTable(t, key: "sku")
        XCTAssertEqual(a.columnNames, ["brand", "price", "new"])
        XCTAssertEqual(a.text("brand", for: "7"), "acme")
        XCTAssertEqual(a["brand"], .string(["acme", nil]))
        XCTAssertEqual(a["price"], .double([1.5, 2]))
        XCTAssertEqual(a.text("new", for: "8"), "false")
        let dup = try Table([("sku", Column(ints: [7, 7]))])
        XCTAssertThrowsError(try AttributeTable(dup, key: "sku"))
    }
}
