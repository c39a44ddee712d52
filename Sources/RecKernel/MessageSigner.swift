import Crypto
import Foundation

/// Signs and checks Jupyter messages: HMAC-SHA256 over the header, parent header, metadata and
/// content frames, keyed with the connection file's `key`, written as lowercase hex.
///
/// The key never leaves this value: it is not printed, logged or put in an error.
public struct MessageSigner: CustomStringConvertible {
    private let key: SymmetricKey

    public init(key: String) {
        self.key = SymmetricKey(data: Array(key.utf8))
    }

    /// Kept out of logs and debugger output on purpose.
    public var description: String { "MessageSigner(hmac-sha256)" }

    public func signature(_ parts: [[UInt8]]) -> [UInt8] {
        var mac = HMAC<SHA256>(key: key)
        for p in parts { mac.update(data: p) }
        return Array(Self.hex(Array(mac.finalize())).utf8)
    }

    /// Whether `signature` (hex text as it came on the wire) is the HMAC of `parts`. The
    /// comparison takes the same time wherever the first difference is (swift-crypto compares
    /// message authentication codes in constant time), so timing tells an attacker nothing.
    public func isValid(signature: [UInt8], for parts: [[UInt8]]) -> Bool {
        guard let given = Self.unhex(signature), given.count == SHA256.byteCount else { return false }
        var mac = HMAC<SHA256>(key: key)
        for p in parts { mac.update(data: p) }
        return mac.finalize() == given
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Hex text to bytes; nil for an odd length or a character that is not a hex digit.
    static func unhex(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(text.count / 2)
        var i = 0
        while i < text.count {
            guard let hi = nibble(text[i]), let lo = nibble(text[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
