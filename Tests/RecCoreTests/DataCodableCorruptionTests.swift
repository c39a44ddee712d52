import XCTest
@testable import RecCore

/// Dataset payloads that are corrupt in ways a bounds check alone does not catch: an error,
/// never a crash.
final class DataCodableCorruptionTests: XCTestCase {
    /// An attribute table of two keys with one multi-valued column whose per-row label counts
    /// are `lengths`, followed by one label.
    func multiValued(_ lengths: [Int64]) -> [UInt8] {
        var w = PayloadWriter()
        w.write(UInt64(2)); w.writeStrings(["a", "b"])
        w.write(UInt64(1)); w.writeStrings(["genres"])
        w.write(UInt8(3)); w.writeArray(lengths); w.writeStrings(["x"])
        return w.bytes
    }

    /// Event codes index the labels; one past them used to decode and crash `describe` later.
    func testEventCodesMustHaveLabels() throws {
        func data(_ code: UInt16) throws -> Interactions {
            try Interactions(users: IDMap(keys: ["u"]), items: IDMap(keys: ["i"]), user: [0], item: [0],
                             events: CodedColumn(codes: [code], labels: ["view"]))
        }
        let good = try data(0), bad = try data(1)
        XCTAssertEqual(try Interactions.workspaceDecode(try good.workspaceEncode()).events, good.events)
        XCTAssertThrowsError(try Interactions.workspaceDecode(try bad.workspaceEncode())) { e in
            XCTAssertEqual("\(e)", "cannot decode saved value: event or channel code without a label")
        }
    }

    func testMultiValuedLabelCountsAreChecked() throws {
        var r = PayloadReader(multiValued([0, 1]))
        XCTAssertEqual(try AttributeTable.decode(from: &r).column("genres", alignedTo: IDMap(keys: ["b"]))?.text(0), "x")
        // A negative count that the next one makes up for, and counts whose sum overflows.
        for lengths: [Int64] in [[-1, 2], [Int64.max, 1], [Int64.max / 2, Int64.max / 2 + 2]] {
            var bad = PayloadReader(multiValued(lengths))
            XCTAssertThrowsError(try AttributeTable.decode(from: &bad), "\(lengths)") { e in
                XCTAssertEqual("\(e)", "cannot decode saved value: bad multi-valued attribute")
            }
        }
    }
}
