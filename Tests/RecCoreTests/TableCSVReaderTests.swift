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
