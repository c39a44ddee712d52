import XCTest
@testable import RecCore

final class TableCodableTests: XCTestCase {
    func testRoundTripAllTypesNullsAndSpecialValues() throws {
        let t = try Table(columnNames: ["i", "d", "s", "b"], rows: [
            [.int(Int64.min), .double(-0.0), "", true],
            [nil, .double(.nan), "héllo \"wörld\"\n🎉", nil],
            [.int(Int64.max), .double(.infinity), nil, false],
            [0, 1e-300, .string(String(repeating: "long ", count: 100)), true],
        ])
        let bytes = try t.workspaceEncode()
        XCTAssertEqual(Array(bytes.prefix(4)), Array("RTBL".utf8))
        let back = try Table.workspaceDecode(bytes)
        XCTAssertEqual(back, t)
        XCTAssertEqual(back.schema.map { $0.type }, [.int, .double, .string, .bool])
        XCTAssertEqual(try back.column("d").doubles?[0].sign, .minus)  // -0.0 kept bit for bit
        XCTAssertEqual(Table.workspaceKind, "table")
    }

    func testRoundTripEmptyShapes() throws {
        XCTAssertEqual(try Table.workspaceDecode(try Table().workspaceEncode()), Table())
        let noRows = try TableFixtures.ratings().head(0)
        XCTAssertEqual(try Table.workspaceDecode(try noRows.workspaceEncode()), noRows)
    }

    func testMillionRowRoundTripIsColumnar() throws {
        let n = 1_000_000
        let users = (0..<Int64(n)).map { $0 % 6040 }
        let scores = (0..<n).map { Double($0) * 0.001 }
        let mask = (0..<n).map { $0 % 7 != 0 }
        let labels = (0..<n).map { "item\($0 % 3706)" }
        let t = try Table([
            ("user", Column(ints: users)),
            ("score", Column(doubles: scores, validity: mask)),
            ("label", Column(strings: labels)),
            ("seen", Column(bools: mask)),
        ])
        let clock = ContinuousClock()
        var bytes: [UInt8] = []
        let encodeTime = try clock.measure { bytes = try t.workspaceEncode() }
        var back = Table()
        let decodeTime = try clock.measure { back = try Table.workspaceDecode(bytes) }
        XCTAssertEqual(back, t)
        // Columnar: 8 bytes per number, 4 + UTF-8 per string, bits for masks and booleans.
        let labelBytes = labels.reduce(0) { $0 + $1.utf8.count }
        let expected = 8 * n + 8 * n + (n + 7) / 8 + 4 * n + labelBytes + (n + 7) / 8
        XCTAssertLessThan(bytes.count, expected + 200)
        print("1M-row table: \(bytes.count) bytes, encode \(encodeTime), decode \(decodeTime)")
    }

    func testCorruptPayloadsFailCleanly() throws {
        let bytes = try TableFixtures.ratings().workspaceEncode()
        for cut in [0, 3, 10, bytes.count / 2, bytes.count - 1] {
            XCTAssertThrowsError(try Table.workspaceDecode(Array(bytes.prefix(cut))), "cut at \(cut)")
        }
        XCTAssertThrowsError(try Table.workspaceDecode(bytes + [0])) { error in
            XCTAssertEqual("\(error)", "cannot decode table: 1 unexpected bytes after the last column")
        }
        var newer = bytes
        newer[4] = 9
        XCTAssertThrowsError(try Table.workspaceDecode(newer)) { error in
            XCTAssertEqual("\(error)", "cannot decode table: format version 9 is newer than this build understands (1)")
        }
        var huge = bytes
        for k in 6..<14 { huge[k] = 0xff }  // row count
        XCTAssertThrowsError(try Table.workspaceDecode(huge))
    }

    func testPayloadWriterReaderPrimitives() throws {
        var w = PayloadWriter()
        w.write(UInt16(0xBEEF))
        w.write(-2.5)
        w.write("ü")
        w.writeBits([true, false, true, true, false, false, false, false, true])
        w.writeArray([Int32(-1), 7])
        w.writeArray([Float(1.5)])
        XCTAssertEqual(Array(w.bytes.prefix(2)), [0xEF, 0xBE])  // little-endian
        var r = PayloadReader(w.bytes)
        XCTAssertEqual(try r.read(UInt16.self), 0xBEEF)
        XCTAssertEqual(try r.readDouble(), -2.5)
        XCTAssertEqual(try r.readString(), "ü")
        XCTAssertEqual(try r.readBits(count: 9), [true, false, true, true, false, false, false, false, true])
        XCTAssertEqual(try r.readArray(Int32.self, count: 2), [-1, 7])
        XCTAssertEqual(try r.readFloats(count: 1), [1.5])
        XCTAssertTrue(r.isAtEnd)
        XCTAssertThrowsError(try r.read(UInt8.self))
    }
}
