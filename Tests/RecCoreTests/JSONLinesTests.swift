import XCTest
@testable import RecCore

final class JSONLinesTests: TempDirTestCase {
    func testEventsWithAliasesAndNestedKeys() throws {
        let p = try write("events.jsonl", """
            {"user_id": 17, "item_id": "sku-1", "event": "view", "ts": 1700000000, "ctx": {"channel": "app"}}
            {"user_id": "u9", "item_id": "sku-2", "event": "purchase", "ts": "2024-01-01T00:00:00Z", "value": 29.5, "ctx": {"channel": "web"}}

            {"user_id": 17, "item_id": "sku-2", "event": "view", "ts": 1700000100}
            """)
        var o = JSONLinesOptions()
        o.mapping = [.user: "user_id", .item: "item_id", .channel: "ctx.channel"]
        let r = try JSONLinesReader.load(p, options: o)
        let d = r.interactions
        XCTAssertEqual(d.users.keys, ["17", "u9"])
        XCTAssertEqual(d.users.rawID(at: 0), .int(17))
        XCTAssertEqual(d.items.keys, ["sku-1", "sku-2"])
        XCTAssertEqual(d.events?.labels, ["view", "purchase"])
        XCTAssertEqual(d.timestamps, [1_700_000_000, 1_704_067_200, 1_700_000_100])
        XCTAssertEqual(d.values?.doubles, [1, 29.5, 1])  // default value for implicit events
        XCTAssertEqual(d.channels.map { c in (0..<c.count).map { c[$0] } }, ["app", "web", "unknown"])
        XCTAssertEqual(r.report.lines, 4)
        XCTAssertEqual(r.report.rows, 3)
    }

    func testErrorsCarryLineNumbers() throws {
        let lines = [
            #"{"user": "a", "item": "x", "timestamp": 1, "rating": 4}"#,
            #"{"user": "b", "item": "y", "timestamp": 2"#,          // 2: invalid JSON
            #"[1, 2, 3]"#,                                           // 3: not an object
            #"{"user": "c", "timestamp": 3}"#,                        // 4: missing item
            #"{"user": "d", "item": "z", "timestamp": "soon"}"#,      // 5: bad timestamp
            #"{"user": {"id": 1}, "item": "z", "timestamp": 5}"#,     // 6: user not string/int
            #"{"user": "e", "item": "z", "timestamp": 6, "rating": "high"}"#,  // 7: value not a number
            #"{"user": "f", "item": "w", "timestamp": 7}"#,
        ]
        let p = try write("bad.jsonl", lines.joined(separator: "\n") + "\n")
        let e = dataError { try JSONLinesReader.load(p) }
        XCTAssertEqual(e?.line, 2)
        XCTAssertTrue(e?.message.hasPrefix("invalid JSON") ?? false, e?.message ?? "")
        XCTAssertEqual(e?.excerpt, lines[1])
        var o = JSONLinesOptions()
        o.onError = .skip
        let r = try JSONLinesReader.load(p, options: o)
        XCTAssertEqual(r.report.skippedCount, 6)
        XCTAssertEqual(r.report.skipped.map(\.line), [2, 3, 4, 5, 6, 7])
        XCTAssertTrue(r.report.skipped[1].reason.contains("expected a JSON object"))
        XCTAssertTrue(r.report.skipped[2].reason.contains("missing item field"))
        XCTAssertTrue(r.report.skipped[3].reason.contains("timestamp"))
        XCTAssertTrue(r.report.skipped[5].reason.contains("not a number"))
        XCTAssertEqual(r.interactions.users.keys, ["a", "f"])
    }

    func testInvalidUTF8AndMissingFields() throws {
        let p = try write("u.jsonl", bytes: Array(#"{"user": "a", "item": "b"}"#.utf8) + [0x0A] + Array(#"{"user": "a"#.utf8) + [0xC3, 0x28] + Array(#"", "item": "b"}"#.utf8) + [0x0A])
        let e = dataError { try JSONLinesReader.load(p) }
        XCTAssertEqual(e?.line, 2)
        XCTAssertEqual(e?.message, "invalid UTF-8 at byte 12 of the line (0xC3); JSON Lines must be UTF-8")
        let q = try write("k.jsonl", #"{"who": "a", "what": "b"}"# + "\n")
        let e2 = dataError { try JSONLinesReader.load(q) }
        XCTAssertEqual(e2?.kind, .missingColumn)
        XCTAssertTrue(e2?.message.contains("who") ?? false)
        var o = JSONLinesOptions()
        o.mapping = [.user: "who", .item: "what"]
        XCTAssertEqual(try JSONLinesReader.load(q, options: o).interactions.count, 1)
    }

    func testGzipJSONLines() throws {
        let p = try writeGzip("e.jsonl.gz", #"{"user": 1, "item": 2}"# + "\n" + #"{"user": 1, "item": 3}"# + "\n")
        let r = try JSONLinesReader.load(p)
        XCTAssertTrue(r.report.gzip)
        XCTAssertEqual(r.interactions.items.keys, ["2", "3"])
    }
}
