import Foundation
import XCTest
@testable import RecKernel

/// Message signing and framing: what goes on the wire and what incoming messages are dropped.
final class WireTests: XCTestCase {
    func testSignatureIsHMACSHA256OverThePartsInOrder() {
        // RFC 4231 test case 2, with the data split into parts: the MAC covers their concatenation.
        let s = MessageSigner(key: "Jefe")
        let parts = ["what do ya ", "want ", "for nothing?", ""].map { Array($0.utf8) }
        XCTAssertEqual(String(decoding: s.signature(parts), as: UTF8.self),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testValidityCheckRejectsEveryAlteredSignature() {
        let s = MessageSigner(key: "secret-key")
        let parts = [Array("{\"a\":1}".utf8), Array("{}".utf8)]
        let good = s.signature(parts)
        XCTAssertTrue(s.isValid(signature: good, for: parts))
        var flipped = good
        flipped[10] = flipped[10] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        XCTAssertFalse(s.isValid(signature: flipped, for: parts))
        XCTAssertFalse(s.isValid(signature: [], for: parts))
        XCTAssertFalse(s.isValid(signature: Array(good.dropLast(2)), for: parts))
        XCTAssertFalse(s.isValid(signature: Array(good.dropLast()) + [UInt8(ascii: "g")], for: parts))
        XCTAssertFalse(s.isValid(signature: good, for: [Array("{\"a\":2}".utf8), Array("{}".utf8)]))
        XCTAssertFalse(MessageSigner(key: "other-key").isValid(signature: good, for: parts))
    }

    func testTheKeyIsNotInTheSignersDescription() {
        let s = MessageSigner(key: "do-not-print-me")
        XCTAssertFalse("\(s)".contains("do-not-print-me"))
        XCTAssertFalse(String(reflecting: s).contains("do-not-print-me"))
    }

    func sample(_ codec: WireCodec, code: String = "1 + 2") -> [[UInt8]] {
        codec.encode(Message(identities: [[1, 2, 3], Array("client".utf8)],
                             header: Message.header(type: "execute_request", session: "s1"),
                             content: ["code": code, "silent": false], buffers: [[0xFF, 0x00]]))
    }

    func testFramesAreIdentitiesDelimiterSignatureFourPartsAndBuffers() throws {
        let codec = WireCodec(signer: MessageSigner(key: "k"))
        let frames = sample(codec)
        XCTAssertEqual(frames.count, 2 + 1 + 1 + 4 + 1)
        XCTAssertEqual(frames[0], [1, 2, 3])
        XCTAssertEqual(frames[2], Array("<IDS|MSG>".utf8))
        XCTAssertEqual(frames[3], MessageSigner(key: "k").signature(Array(frames[4...7])))
        XCTAssertEqual(frames[8], [0xFF, 0x00])
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(frames[4])) as? [String: Any])
        XCTAssertEqual(header["msg_type"] as? String, "execute_request")
        XCTAssertEqual(header["version"] as? String, "5.3")
        XCTAssertEqual(String(decoding: frames[5], as: UTF8.self), "{}")

        let m = try WireCodec(signer: MessageSigner(key: "k")).decode(frames)
        XCTAssertEqual(m.identities, [[1, 2, 3], Array("client".utf8)])
        XCTAssertEqual(m.type, "execute_request")
        XCTAssertEqual(m.content["code"] as? String, "1 + 2")
        XCTAssertEqual(m.buffers, [[0xFF, 0x00]])
    }

    func testDecodeDropsMessagesWithAWrongOrMissingSignature() {
        let sender = WireCodec(signer: MessageSigner(key: "right"))
        let receiver = WireCodec(signer: MessageSigner(key: "right"))
        XCTAssertThrowsError(try WireCodec(signer: MessageSigner(key: "wrong")).decode(sample(sender))) {
            XCTAssertEqual($0 as? WireError, .badSignature)
        }
        var missing = sample(sender)
        missing[3] = []
        XCTAssertThrowsError(try receiver.decode(missing)) { XCTAssertEqual($0 as? WireError, .badSignature) }
        // The signature of one message does not cover another's content.
        var tampered = sample(sender)
        tampered[7] = Array("{\"code\":\"system(1)\"}".utf8)
        XCTAssertThrowsError(try receiver.decode(tampered)) { XCTAssertEqual($0 as? WireError, .badSignature) }
    }

    func testDecodeDropsAReplayedMessage() throws {
        let sender = WireCodec(signer: MessageSigner(key: "k")), receiver = WireCodec(signer: MessageSigner(key: "k"))
        let frames = sample(sender)
        _ = try receiver.decode(frames)
        XCTAssertThrowsError(try receiver.decode(frames)) { XCTAssertEqual($0 as? WireError, .replayedSignature) }
    }

    func testDecodeRejectsMalformedFraming() {
        let codec = WireCodec(signer: MessageSigner(key: "k"))
        let frames = sample(codec)
        XCTAssertThrowsError(try codec.decode(frames.filter { $0 != WireCodec.delimiter })) {
            XCTAssertEqual($0 as? WireError, .noDelimiter)
        }
        XCTAssertThrowsError(try codec.decode(Array(frames[0..<6]))) { XCTAssertEqual($0 as? WireError, .tooFewFrames(3)) }
        // Correctly signed but not JSON: still dropped, after the signature check.
        let signer = MessageSigner(key: "k")
        let parts = [Array("not json".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
        XCTAssertThrowsError(try codec.decode([WireCodec.delimiter, signer.signature(parts)] + parts)) {
            XCTAssertEqual($0 as? WireError, .badJSON("header"))
        }
    }

    func testTimestampIsISO8601WithMicroseconds() {
        XCTAssertEqual(Message.timestamp(Date(timeIntervalSince1970: 1_700_000_000.25)), "2023-11-14T22:13:20.250000Z")
    }
}
