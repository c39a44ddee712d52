import XCTest
@testable import RecCore

/// Chinese and accented text through every loader: IDs, column names and attribute values come
/// back intact, a UTF-8 byte-order mark is not part of the first column name, and errors quote
/// the data as it is in the file.
final class UnicodeDataTests: TempDirTestCase {
    static let bom = "\u{FEFF}"

    func testReadTableKeepsCJKNamesAndCellsAndSkipsTheBOM() throws {
        let p = try write("items.csv", Self.bom + "物品,类别,名称,价格\n数据集,书籍,数据科学入门,59.5\ncafé,饮料,\"Café crème, grand\",4\n")
        let t = try Table.readDelimited(p)
        XCTAssertEqual(t.columnNames, ["物品", "类别", "名称", "价格"])
        XCTAssertEqual(try t.column("物品")[0], .string("数据集"))
        XCTAssertEqual(try t.column("物品")[1], .string("café"))
        XCTAssertEqual(try t.column("名称")[1], .string("Café crème, grand"))
        XCTAssertEqual(try t.column("价格").type, .double)
        // The same through the tab-separated path with the separator guessed.
        let tsv = try write("items.tsv", Self.bom + "物品\t类别\n数据集\t书籍\n")
        XCTAssertEqual(try Table.readDelimited(tsv).columnNames, ["物品", "类别"])
    }

    func testInteractionLogWithCJKIDsAndHeader() throws {
        let p = try write("log.csv", Self.bom + "用户,物品,评分\n张三,数据集,5\n李四,数据集,3\n张三,café,4\n王五,咖啡,2\n")
        var o = DelimitedOptions()
        o.mapping = [.user: .name("用户"), .item: .name("物品"), .value: .name("评分")]
        let r = try DelimitedReader.load(p, options: o)
        XCTAssertEqual(r.report.header, ["用户", "物品", "评分"])
        XCTAssertEqual(r.interactions.users.keys, ["张三", "李四", "王五"])
        XCTAssertEqual(r.interactions.items.keys, ["数据集", "café", "咖啡"])
        XCTAssertEqual(r.interactions.values?.doubles, [5, 3, 4, 2])
        // Recognised English names with CJK IDs, through loadAny's content sniffing.
        let plain = try write("plain.csv", Self.bom + "user,item,rating\n张三,数据集,5\n")
        XCTAssertEqual(try DelimitedReader.loadAny(plain).interactions.items.keys, ["数据集"])
    }

    func testJSONLinesWithCJKValuesAndBOM() throws {
        let p = try write("log.jsonl", Self.bom + """
            {"user": "张三", "item": "数据集", "rating": 5, "channel": "小程序"}
            {"user": "李四", "item": "caf\\u00e9", "rating": 3, "channel": "网页"}
            """)
        let d = try DelimitedReader.loadAny(p).interactions
        XCTAssertEqual(d.users.keys, ["张三", "李四"])
        XCTAssertEqual(d.items.keys, ["数据集", "café"])
        XCTAssertEqual(d.channels.map { c in (0..<c.count).map { c[$0] } }, ["小程序", "网页"])
    }

    func testAttributeFileWithCJKKeysAndValues() throws {
        let p = try write("movies.csv", Self.bom + "电影,类型,年份\n霸王别姬,剧情|爱情,1993\nAmélie,喜剧|爱情,2001\n")
        let a = try AttributeTable.load(p, key: .name("电影"), multiValued: ["类型": "|"])
        XCTAssertEqual(a.ids.keys, ["霸王别姬", "Amélie"])
        XCTAssertEqual(a.columnNames, ["类型", "年份"])
        XCTAssertEqual(a.columns["类型"], .multi([["剧情", "爱情"], ["喜剧", "爱情"]]))
        XCTAssertEqual(a.columns["年份"], .int([1993, 2001]))
    }

    func testErrorsQuoteCJKLinesIntact() throws {
        let p = try write("bad.csv", "user,item,rating\n张三,数据集,5\n李四,数据集\n")
        let e = dataError { try DelimitedReader.load(p) }
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e?.excerpt, "李四,数据集")
        XCTAssertEqual(dataError { try Table.readDelimited(p) }?.excerpt, "李四,数据集")
    }

    /// A long line is quoted in part; the cut must fall between characters (a CJK character is
    /// three bytes) and be marked.
    func testLongExcerptsAreCutBetweenCharacters() throws {
        let long = "u1," + String(repeating: "数", count: 300) + ",x,y"   // 400 bytes would end inside a 数
        let p = try write("long.csv", "user,item,rating\n张三,数据集,5\n" + long + "\n")
        let excerpt = try XCTUnwrap(dataError { try DelimitedReader.load(p) }?.excerpt)
        XCTAssertFalse(excerpt.contains("\u{FFFD}"), excerpt)
        XCTAssertTrue(excerpt.hasPrefix("u1,数数"))
        XCTAssertTrue(excerpt.hasSuffix("数…"), excerpt)
        XCTAssertEqual(excerpt.unicodeScalars.count, 201)   // 200 characters and the mark
        let json = try write("long.jsonl", "{\"user\": \"x" + String(repeating: "张", count: 300) + "\", \"item\": 1\n")
        let jsonExcerpt = try XCTUnwrap(dataError { try JSONLinesReader.load(json) }?.excerpt)
        XCTAssertFalse(jsonExcerpt.contains("\u{FFFD}"), jsonExcerpt)
        XCTAssertTrue(jsonExcerpt.hasSuffix("张…"), jsonExcerpt)
    }

    func testDescribeAlignsCJKGroupLabels() throws {
        var d = try Interactions(userIDs: ["张三", "李四", "王五", "张三"], itemIDs: ["数据集", "咖啡", "café", "咖啡"], values: [5, 4, 3, 2])
        d.itemAttributes = try AttributeTable(keys: ["数据集", "咖啡", "café"],
                                              columns: [("类别", .string(["书籍与教材", "饮料", "Drinks"]))])
        let text = try d.describe().text
        let section = text.components(separatedBy: "interactions by item 类别:\n")[1].split(separator: "\n").prefix(4)
        XCTAssertEqual(section.count, 4, text)
        // The heading and the counts (right-aligned) end in the same terminal column on every line.
        let columns = section.map { line -> Int in
            let end = line.range(of: #"^  \S+\s{2,}\S+"#, options: .regularExpression)
            return end.map { String(line[$0]).displayWidth } ?? -1
        }
        XCTAssertEqual(Set(columns).count, 1, section.joined(separator: "\n"))
        XCTAssertFalse(columns.contains(-1), section.joined(separator: "\n"))
        XCTAssertTrue(section.contains { $0.hasPrefix("  书籍与教材  ") }, text)
    }
}
