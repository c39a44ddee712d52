import Foundation
import XCTest
@testable import RecCore

final class DelimitedReaderTests: TempDirTestCase {
    let tsv = DelimitedOptions.movieLensTSV

    func testTabSeparatedWithoutHeader() throws {
        let p = try write("u.base", "1\t10\t5\t100\n1\t20\t3\t101\n2\t10\t4\t102\n")
        let r = try DelimitedReader.load(p, options: DelimitedOptions(separator: "\t", header: .absent,
                                                                       columns: ["user", "item", "rating", "timestamp"]))
        let d = r.interactions
        XCTAssertEqual(d.count, 3)
        XCTAssertEqual(d.userCount, 2)
        XCTAssertEqual(d.itemCount, 2)
        XCTAssertEqual(d.user, [0, 0, 1])
        XCTAssertEqual(d.item, [0, 1, 0])
        XCTAssertEqual(d.values, .float([5, 3, 4]))
        XCTAssertEqual(d.timestamps, [100, 101, 102])
        XCTAssertNil(d.events)
        XCTAssertEqual(d.users.rawID(at: 1), .int(2))
        XCTAssertEqual(r.report.rows, 3)
        XCTAssertEqual(r.report.lines, 3)
        XCTAssertEqual(r.report.skippedCount, 0)
        XCTAssertEqual(r.report.columnMapping["value"], "rating")
    }

    func testHeaderDetectedAndColumnsByName() throws {
        let p = try write("events.csv", """
            ts,visitorid,event,itemid,channel,extra
            1000,u1,view,i9,app,x
            1001,u2,purchase,i9,web,y
            1002,u1,view,i3,app,z

            """)
        let r = try DelimitedReader.load(p)
        let d = r.interactions
        XCTAssertEqual(r.report.header, ["ts", "visitorid", "event", "itemid", "channel", "extra"])
        XCTAssertEqual(d.count, 3)
        XCTAssertEqual(d.users.keys, ["u1", "u2"])
        XCTAssertEqual(d.items.keys, ["i9", "i3"])
        XCTAssertEqual(d.events?.labels, ["view", "purchase"])
        XCTAssertEqual(d.events?.codes, [0, 1, 0])
        XCTAssertEqual(d.channels?.labels, ["app", "web"])
        XCTAssertEqual(d.timestamps, [1000, 1001, 1002])
        XCTAssertNil(d.values)
        XCTAssertEqual(d.users.rawID(at: 0), .string("u1"))
    }

    func testExplicitMappingByPositionAndName() throws {
        let p = try write("a.csv", "a,b,c\nx,1,2.5\ny,2,3.5\n")
        var o = DelimitedOptions(header: .present)
        o.mapping = [.user: .position(1), .item: .name("a"), .value: .name("C")]
        let d = try DelimitedReader.load(p, options: o).interactions
        XCTAssertEqual(d.users.keys, ["1", "2"])
        XCTAssertEqual(d.items.keys, ["x", "y"])
        XCTAssertEqual(d.values?.doubles, [2.5, 3.5])
        o.mapping = [.user: .name("nope"), .item: .name("a")]
        let e = dataError { try DelimitedReader.load(p, options: o) }
        XCTAssertEqual(e?.kind, .missingColumn)
        XCTAssertTrue(e?.message.contains("nope") ?? false)
    }

    func testHeaderlessDefaultsToUserItemValueTimestamp() throws {
        let p = try write("d.tsv", "7\t8\t1.5\t9\n")
        let d = try DelimitedReader.load(p, options: DelimitedOptions(separator: "\t")).interactions
        XCTAssertEqual(d.users.keys, ["7"])
        XCTAssertEqual(d.values?.doubles, [1.5])
        XCTAssertEqual(d.timestamps, [9])
    }

    func testQuotedFieldsEscapesEmbeddedSeparatorsAndNewlines() throws {
        let p = try write("q.csv", "user,item,rating\n\"a,b\",\"say \"\"hi\"\"\",1\n\"multi\nline\",x,2\nplain,\"\",3\n")
        // The empty quoted item on line 5 is an error: report it with its line.
        let e = dataError { try DelimitedReader.load(p) }
        XCTAssertEqual(e?.line, 5)
        XCTAssertTrue(e?.message.contains("empty item ID") ?? false, e?.message ?? "")
        var o = DelimitedOptions()
        o.onError = .skip
        let r = try DelimitedReader.load(p, options: o)
        let d = r.interactions
        XCTAssertEqual(d.users.keys, ["a,b", "multi\nline"])
        XCTAssertEqual(d.items.keys, ["say \"hi\"", "x"])
        XCTAssertEqual(d.values?.doubles, [1, 2])
        XCTAssertEqual(r.report.skippedCount, 1)
        XCTAssertEqual(r.report.skipped.first?.line, 5)
        XCTAssertEqual(r.report.lines, 5)
    }

    func testCRLFAndBlankLinesAndBOM() throws {
        let p = try write("crlf.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("user,item,rating\r\n1,2,3\r\n\r\n4,5,6\r\n".utf8))
        let r = try DelimitedReader.load(p)
        XCTAssertEqual(r.interactions.users.keys, ["1", "4"])
        XCTAssertEqual(r.interactions.values?.doubles, [3, 6])
        XCTAssertEqual(r.report.lines, 4)
        // CRLF after a text field (the item is last), and a final line ending in a bare CR.
        let q = try write("crlf2.csv", "rating,user,item\r\n4,a,b\r\n5,c,d\r")
        let d = try DelimitedReader.load(q).interactions
        XCTAssertEqual(d.items.keys, ["b", "d"])
        XCTAssertEqual(d.values?.doubles, [4, 5])
    }

    func testNoTrailingNewline() throws {
        let p = try write("n.tsv", "1\t2\t3\t4\n5\t6\t7\t8")
        let r = try DelimitedReader.load(p, options: tsv)
        XCTAssertEqual(r.interactions.count, 2)
        XCTAssertEqual(r.interactions.timestamps, [4, 8])
        XCTAssertEqual(r.report.lines, 2)
    }

    func testMultiByteSeparatorAndPipe() throws {
        let p = try write("r.dat", "1::10::5::978300760\n2::20::3.5::978302109\n")
        var o = tsv
        o.separator = "::"
        let d = try DelimitedReader.load(p, options: o).interactions
        XCTAssertEqual(d.items.keys, ["10", "20"])
        XCTAssertEqual(d.values?.doubles, [5, 3.5])
        let q = try write("p.txt", "a|b|1\nc|d|2\n")
        let d2 = try DelimitedReader.load(q, options: DelimitedOptions(separator: "|", header: .absent, columns: ["user", "item", "value"])).interactions
        XCTAssertEqual(d2.users.keys, ["a", "c"])
    }

    func testSeparatorAutoDetectionAndLoadAny() throws {
        let t = try write("a.tsv", "user\titem\trating\nu1\ti1\t4\n")
        XCTAssertEqual(try DelimitedReader.load(t).interactions.values?.doubles, [4])
        let s = try write("b.txt", "user;item;rating\n\"a;b\";i1;4\n")
        XCTAssertEqual(try DelimitedReader.load(s).interactions.users.keys, ["a;b"])
        let c = try write("c.dat", "1::2::3::4\n")
        XCTAssertEqual(try DelimitedReader.load(c).interactions.timestamps, [4])
        let j = try write("d.log", "\n{\"user\": 1, \"item\": 2}\n")
        XCTAssertEqual(try DelimitedReader.loadAny(j).interactions.count, 1)
        XCTAssertEqual(try DelimitedReader.loadAny(t).interactions.count, 1)
        let table = try TextTable.read(s, separator: "auto")
        XCTAssertEqual(table.header, ["user", "item", "rating"])
    }

    func testGzipInput() throws {
        var text = ""
        for i in 0..<500 { text += "\(i % 37)\t\(i % 11)\t\(i % 5 + 1)\t\(1000 + i)\n" }
        let p = try writeGzip("ratings.tsv.gz", text)
        let plain = try write("ratings.tsv", text)
        let a = try DelimitedReader.load(p, options: tsv)
        let b = try DelimitedReader.load(plain, options: tsv)
        XCTAssertTrue(a.report.gzip)
        XCTAssertEqual(a.interactions.count, 500)
        XCTAssertEqual(a.interactions.user, b.interactions.user)
        XCTAssertEqual(a.interactions.values, b.interactions.values)
        XCTAssertEqual(a.interactions.timestamps, b.interactions.timestamps)
    }

    func testCorruptGzip() throws {
        var text = ""
        for i in 0..<2000 { text += "\(i)\t\(i * 7 % 13)\t3\t\(i)\n" }
        let p = try writeGzip("c.gz", text)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: p)))
        bytes.removeLast(bytes.count / 2)
        let q = try write("truncated.gz", bytes: bytes)
        let e = dataError { try DelimitedReader.load(q, options: tsv) }
        XCTAssertEqual(e?.kind, .decompression)
    }

    // MARK: bad input

    func testWrongFieldCountReportsLine() throws {
        let p = try write("bad.tsv", "1\t2\t3\t4\n1\t2\t3\n5\t6\t7\t8\n")
        let e = dataError { try DelimitedReader.load(p, options: tsv) }
        XCTAssertEqual(e?.kind, .malformedLine)
        XCTAssertEqual(e?.line, 2)
        XCTAssertEqual(e?.path, p)
        XCTAssertEqual(e?.excerpt, "1\\t2\\t3")
        // The count came from the column names given, which the message lists.
        XCTAssertEqual(e?.message, "expected 4 fields (user, item, rating, timestamp), found 3")
        XCTAssertTrue(e!.description.hasPrefix("\(p):2: expected 4 fields"))
    }

    func testUnparsableNumberReportsLineAndText() throws {
        let p = try write("bad.csv", "user,item,rating\na,b,4\nc,d,four\n")
        let e = dataError { try DelimitedReader.load(p) }
        XCTAssertEqual(e?.line, 3)
        XCTAssertTrue(e?.message.contains("unparsable number 'four'") ?? false, e?.message ?? "")
        XCTAssertEqual(e?.excerpt, "c,d,four")
        let q = try write("badts.tsv", "1\t2\t3\t4\n1\t2\t3\tyesterday\n")
        let e2 = dataError { try DelimitedReader.load(q, options: tsv) }
        XCTAssertEqual(e2?.line, 2)
        XCTAssertTrue(e2?.message.contains("unparsable timestamp 'yesterday'") ?? false)
    }

    func testColumnsRenameAHeaderAndHeaderNumbersAreNoted() throws {
        let p = try write("h.csv", "a,b,c\n1,10,4\n")
        var o = DelimitedOptions(header: .present, columns: ["user", "item", "rating"])
        let r = try DelimitedReader.load(p, options: o)
        XCTAssertEqual(r.report.columnMapping, ["user": "user", "item": "item", "value": "rating"])
        XCTAssertEqual(r.report.header, ["a", "b", "c"])
        XCTAssertEqual(r.interactions.count, 1)
        o.columns = ["user", "item"]
        XCTAssertEqual(dataError { try DelimitedReader.load(p, options: o) }?.message, "the header has 3 fields but columns: gives 2 names")
        let numeric = try write("n.csv", "user,item,5\n1,10,4\n")
        XCTAssertEqual(try DelimitedReader.load(numeric, options: DelimitedOptions(header: .present)).report.numericHeaderFields, ["5"])
    }

    func testLatin1PipeSeparatedHeaderless() throws {
        let p = try write("l.psv", bytes: Array("u1|caf".utf8) + [0xE9] + Array("|4\nu2|tea|5\n".utf8))
        var o = DelimitedOptions(separator: "|", columns: ["user", "item", "rating"])
        o.encoding = .latin1
        let d = try DelimitedReader.load(p, options: o).interactions
        XCTAssertEqual(d.items.keys, ["café", "tea"])
    }

    func testInvalidUTF8ReportsLine() throws {
        let p = try write("bad.csv", bytes: Array("user,item\nok,1\n".utf8) + [0x62, 0xFF, 0x2C, 0x32, 0x0A] + Array("z,3\n".utf8))
        let e = dataError { try DelimitedReader.load(p) }
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e?.message, #"invalid UTF-8 at byte 2 of the line (0xFF, file offset 16); if the file is Latin-1, pass encoding: "latin-1""#)
        // The same bytes are fine as Latin-1 (ÿ).
        var o = DelimitedOptions()
        o.encoding = .latin1
        let d = try DelimitedReader.load(p, options: o).interactions
        XCTAssertEqual(d.users.keys, ["ok", "bÿ", "z"])
    }

    func testUnterminatedQuoteReportsStartLine() throws {
        let p = try write("q.csv", "user,item\na,b\n\"c,d\ne,f\n")
        let e = dataError { try DelimitedReader.load(p) }
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e?.message, "unterminated quoted field")
    }

    func testTextAfterClosingQuote() throws {
        let p = try write("q.csv", "user,item\n\"a\"x,b\nc,d\n")
        let e = dataError { try DelimitedReader.load(p) }
        XCTAssertEqual(e?.line, 2)
        XCTAssertTrue(e?.message.contains("after a closing quote") ?? false)
    }

    func testNulByteInsideFileIsALineError() throws {
        var bytes = [UInt8]()
        for i in 0..<1000 { bytes += Array("\(i)\t\(i)\t1\t\(i)\n".utf8) }   // > 8 KiB of text first
        bytes += [0x31, 0x09, 0x00, 0x09, 0x31, 0x09, 0x31, 0x0A]
        let p = try write("nul.tsv", bytes: bytes)
        let e = dataError { try DelimitedReader.load(p, options: tsv) }
        XCTAssertEqual(e?.line, 1001)
        XCTAssertTrue(e?.message.contains("NUL") ?? false)
    }

    func testSkipModeCountsAndKeepsFirstFew() throws {
        var text = "user,item,rating\n"
        var bad: [Int] = []
        for i in 0..<40 {
            if i % 3 == 0 { text += "u\(i),i\(i),x\n"; bad.append(i + 2) } else { text += "u\(i),i\(i),\(i)\n" }
        }
        let p = try write("mixed.csv", text)
        var o = DelimitedOptions()
        o.onError = .skip
        o.maxReportedErrors = 5
        let r = try DelimitedReader.load(p, options: o)
        XCTAssertEqual(r.report.skippedCount, bad.count)
        XCTAssertEqual(r.report.skipped.map(\.line), Array(bad.prefix(5)))
        XCTAssertEqual(r.report.skipped.first?.text, "u0,i0,x")
        XCTAssertEqual(r.interactions.count, 40 - bad.count)
        // Skipped lines leave no trace in the ID maps.
        XCTAssertNil(r.interactions.users.index(of: "u0"))
        XCTAssertTrue(r.report.description.contains("\(bad.count) malformed lines skipped"))
    }

    func testEmptyMissingBinaryAndDirectory() throws {
        let empty = try write("empty.csv", "")
        XCTAssertEqual(dataError { try DelimitedReader.load(empty) }?.kind, .emptyFile)
        let blank = try write("blank.csv", "\n\n  \n")
        XCTAssertEqual(dataError { try DelimitedReader.load(blank) }?.kind, .emptyFile)
        let missing = (dir as NSString).appendingPathComponent("nope.csv")
        let e = dataError { try DelimitedReader.load(missing) }
        XCTAssertEqual(e?.kind, .fileNotFound)
        XCTAssertEqual(e?.path, missing)
        let bin = try write("model.bin", bytes: [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00])
        let b = dataError { try DelimitedReader.load(bin) }
        XCTAssertEqual(b?.kind, .binaryFile)
        XCTAssertEqual(dataError { try DelimitedReader.load(self.dir) }?.kind, .notAFile)
        let zip = try write("x.zip", bytes: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00])
        XCTAssertEqual(dataError { try DelimitedReader.load(zip) }?.kind, .decompression)
        let emptyGz = try writeGzip("empty.gz", "")
        XCTAssertEqual(dataError { try DelimitedReader.load(emptyGz) }?.kind, .emptyFile)
    }

    func testHeaderOnlyGivesNoRows() throws {
        let p = try write("h.csv", "user,item,rating\n")
        let r = try DelimitedReader.load(p)
        XCTAssertEqual(r.interactions.count, 0)
        XCTAssertNotNil(r.interactions.values)
    }

    func testMissingUserColumn() throws {
        let p = try write("h.csv", "foo,bar\n1,2\n")
        let e = dataError { try DelimitedReader.load(p, options: DelimitedOptions(header: .present)) }
        XCTAssertEqual(e?.kind, .missingColumn)
        XCTAssertEqual(e?.missingField, .user)
        // The advice is in the Swift API's terms; bindings replace `hint` with their own.
        XCTAssertEqual(e?.description, "\(p): no user column found (columns: \"foo\", \"bar\"); name one with mapping[.user] or columns")
    }

    func testInvalidSeparator() throws {
        let p = try write("a.csv", "1,2\n")
        XCTAssertEqual(dataError { try DelimitedReader.load(p, options: DelimitedOptions(separator: "")) }?.kind, .invalidArgument)
        XCTAssertEqual(dataError { try DelimitedReader.load(p, options: DelimitedOptions(separator: "\n")) }?.kind, .invalidArgument)
    }

    func testTimestampFormatsAndUnits() throws {
        let p = try write("t.csv", "user,item,timestamp\na,b,2024-01-01T00:00:10Z\na,c,2024-01-01 01:00:00\na,d,1700000000.9\na,e,2024-01-02T00:00:00+01:00\n")
        let d = try DelimitedReader.load(p).interactions
        XCTAssertEqual(d.timestamps, [1_704_067_210, 1_704_070_800, 1_700_000_000, 1_704_150_000])
        let q = try write("ms.csv", "user,item,timestamp\na,b,1700000000123\n")
        var o = DelimitedOptions()
        o.timestampUnit = .milliseconds
        XCTAssertEqual(try DelimitedReader.load(q, options: o).interactions.timestamps, [1_700_000_000])
    }

    func testDoublePrecisionValues() throws {
        let p = try write("v.csv", "user,item,value\na,b,0.1\na,c,123456789.125\na,d,-2e-3\n")
        var o = DelimitedOptions()
        o.valuePrecision = .double
        let d = try DelimitedReader.load(p, options: o).interactions
        XCTAssertEqual(d.values, .double([0.1, 123456789.125, -0.002]))
    }

    /// Blank lines are lines but hold no rows: a window whose first chunk is mostly blank lines
    /// must not place the next chunk's rows past the columns (sized by bytes per row). Found by
    /// the csv fuzz target as a heap overflow (Tests/Fuzz/crashes/csv/).
    func testParallelParseOfManyBlankLines() throws {
        var text = "user\titem\trating\ttimestamp\n"
        for k in 0..<40 { text += "u\(k % 7)\ti\(k % 5)\t\(1 + k % 5)\t\(1_700_000_000 + k)\n" }
        text += String(repeating: "\n", count: 3000)
        for k in 0..<40 { text += "v\(k % 7)\tj\(k % 5)\t\(1 + k % 5)\t\(1_700_000_000 + k)\n" }
        var par = DelimitedOptions(separator: "\t", threads: 2, windowBytes: 1 << 10)
        par.parallelThreshold = 0
        let r = try text.utf8.withContiguousStorageIfAvailable { try DelimitedReader.load(bytes: UnsafeRawBufferPointer($0), name: "blank.tsv", options: par) }!
        XCTAssertEqual(r.interactions.count, 80)
        XCTAssertEqual(r.report.lines, 3081)
        XCTAssertEqual(r.interactions.users.keys.prefix(3), ["u0", "u1", "u2"])
        XCTAssertEqual(r.interactions.users.keys.suffix(2), ["v5", "v6"])
    }

    /// The parallel path (many windows, two chunks each) must produce exactly what a sequential
    /// parse produces, including first-appearance ID order and error line numbers.
    func testParallelParseMatchesSequential() throws {
        var text = ""
        var rng = Xoshiro256(seed: 7)
        for k in 0..<20_000 {
            let u = rng.nextInt(below: 3000), i = rng.nextInt(below: 800)
            text += "\(u)\t\(i < 400 ? "item\(i)" : String(i))\t\(1 + rng.nextInt(below: 5))\t\(1_000_000 + k)\n"
            if k % 5000 == 4999 { text += "\n" }
        }
        let p = try write("big.tsv", text)
        var seq = tsv
        seq.threads = 1
        var par = tsv
        par.threads = 2
        par.windowBytes = 16 << 10
        par.parallelThreshold = 0
        let a = try DelimitedReader.load(p, options: seq)
        let b = try DelimitedReader.load(p, options: par)
        XCTAssertEqual(a.interactions.count, 20_000)
        XCTAssertEqual(a.interactions.users.keys, b.interactions.users.keys)
        XCTAssertEqual(a.interactions.items.keys, b.interactions.items.keys)
        XCTAssertEqual(a.interactions.user, b.interactions.user)
        XCTAssertEqual(a.interactions.item, b.interactions.item)
        XCTAssertEqual(a.interactions.values, b.interactions.values)
        XCTAssertEqual(a.interactions.timestamps, b.interactions.timestamps)
        XCTAssertEqual(a.report.lines, b.report.lines)
        // IDs really are in first-appearance order.
        var seen = Set<String>(), order = [String]()
        for line in text.split(separator: "\n") {
            let u = String(line.split(separator: "\t")[0])
            if seen.insert(u).inserted { order.append(u) }
        }
        XCTAssertEqual(b.interactions.users.keys, order)

        // A bad line deep in the file is reported with its exact line number by both paths.
        var lines = text.components(separatedBy: "\n")
        lines[15_000] = "1\t2\tNaN-ish\t3"
        let q = try write("bad-big.tsv", lines.joined(separator: "\n"))
        let e1 = dataError { try DelimitedReader.load(q, options: seq) }
        let e2 = dataError { try DelimitedReader.load(q, options: par) }
        XCTAssertEqual(e1?.line, 15_001)
        XCTAssertEqual(e2?.line, 15_001)
        par.onError = .skip
        let s = try DelimitedReader.load(q, options: par)
        XCTAssertEqual(s.report.skippedCount, 1)
        XCTAssertEqual(s.report.skipped.first?.line, 15_001)
        XCTAssertEqual(s.interactions.count, 19_999)
    }

    /// Same check with string IDs, event and channel columns, a header and Latin-1-free text,
    /// so the label codes and hashed (non-integer) IDs go through the parallel merge too.
    func testParallelParseWithLabelsAndStringIDs() throws {
        var text = "visitor,product,event,channel,ts\n"
        var rng = Xoshiro256(seed: 8)
        let events = ["view", "cart", "purchase", "search"], channels = ["app", "web", "store"]
        for k in 0..<15_000 {
            let e = events[min(3, rng.nextInt(below: 4 + k / 5000))]
            text += "v\(rng.nextInt(below: 2000)),p-\(rng.nextInt(below: 500)),\(e),\(channels[rng.nextInt(below: 3)]),\(k)\n"
        }
        let p = try write("events.csv", text)
        var seq = DelimitedOptions()
        seq.threads = 1
        var par = seq
        par.threads = 2
        par.windowBytes = 8 << 10
        par.parallelThreshold = 0
        let a = try DelimitedReader.load(p, options: seq).interactions
        let b = try DelimitedReader.load(p, options: par).interactions
        XCTAssertEqual(a.count, 15_000)
        XCTAssertEqual(a.users.keys, b.users.keys)
        XCTAssertEqual(a.items.keys, b.items.keys)
        XCTAssertEqual(a.user, b.user)
        XCTAssertEqual(a.item, b.item)
        XCTAssertEqual(a.events, b.events)
        XCTAssertEqual(a.channels, b.channels)
        XCTAssertEqual(a.timestamps, b.timestamps)
        XCTAssertEqual(Set(a.events!.labels), Set(events))
        for i in stride(from: 0, to: 15_000, by: 997) {
            let fields = text.split(separator: "\n")[i + 1].split(separator: ",").map(String.init)
            XCTAssertEqual(b.row(i).user, fields[0])
            XCTAssertEqual(b.row(i).event, fields[2])
            XCTAssertEqual(b.row(i).channel, fields[3])
        }
    }

    func testNumberParsing() {
        func dbl(_ s: String) -> Double? { var s = s; return s.withUTF8 { NumberParse.double($0.baseAddress!, 0, $0.count) } }
        XCTAssertEqual(dbl("3.5"), 3.5)
        XCTAssertEqual(dbl(" -0.25 "), -0.25)
        XCTAssertEqual(dbl("1e3"), 1000)
        XCTAssertEqual(dbl(".5"), 0.5)
        XCTAssertEqual(dbl("0.1"), 0.1)
        XCTAssertEqual(dbl("3.14159265358979323846"), 3.141592653589793)
        XCTAssertEqual(dbl("12345678901234567890"), 12345678901234567890.0)
        XCTAssertNil(dbl("1.2.3"))
        XCTAssertNil(dbl("nan"))
        XCTAssertNil(dbl("-"))
        XCTAssertNil(dbl("1e"))
        func int(_ s: String) -> Int64? { var s = s; return s.withUTF8 { NumberParse.int64($0.baseAddress!, 0, $0.count) } }
        XCTAssertEqual(int("-9223372036854775808"), Int64.min)
        XCTAssertNil(int("9223372036854775808"))
        XCTAssertEqual(int("+42"), 42)
    }
}
