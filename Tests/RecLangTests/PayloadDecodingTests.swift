import Foundation
import XCTest
import RecLang

/// Decoding workspace payloads that are corrupt: an error, never a crash.
final class PayloadDecodingTests: XCTestCase {
    /// A saved plain value: "RCVV", version 1, then `levels` lists of one element around nil.
    func nestedLists(_ levels: Int) -> [UInt8] {
        var b: [UInt8] = [0x56, 0x56, 0x43, 0x52, 1, 0]
        for _ in 0..<levels { b += [5, 1, 0, 0, 0, 0, 0, 0, 0] }
        return b + [0]
    }

    /// Found by the payload fuzz target's reasoning: each level is 9 bytes, so a corrupt
    /// payload of a few megabytes used to recurse the decoder off the end of the stack.
    func testDeeplyNestedValueIsAnErrorNotAStackOverflow() {
        let interp = Interpreter(sink: CollectingSink())
        XCTAssertThrowsError(try interp.decodePayload(kind: "value", bytes: nestedLists(1_000_000))) { e in
            XCTAssertTrue("\(e)".contains("nested more than 200 levels deep"), "\(e)")
        }
        XCTAssertEqual(try interp.decodePayload(kind: "value", bytes: nestedLists(199)).repr,
                       String(repeating: "[", count: 199) + "nil" + String(repeating: "]", count: 199))
    }

    /// What save() writes at its own nesting limit restores.
    func testValueAtTheSaveLimitRoundTrips() {
        let out = runRec("""
            workspace(temp_path(".recdb"))
            var v = 1
            for i in 0..<199 { v = [v] }
            save("v", v)
            print(restore("v") == v)
            """)
        XCTAssertEqual(out, "true\n")
    }
}
