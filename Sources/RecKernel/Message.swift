import Foundation

/// JSON objects as the messaging protocol carries them (decoded by JSONSerialization).
public typealias JSONObject = [String: Any]

/// One Jupyter message (protocol 5.3): routing identities, the four JSON parts and any binary
/// buffers.
public struct Message {
    public var identities: [[UInt8]] = []
    public var header: JSONObject
    public var parentHeader: JSONObject
    public var metadata: JSONObject
    public var content: JSONObject
    public var buffers: [[UInt8]] = []

    public init(identities: [[UInt8]] = [], header: JSONObject, parentHeader: JSONObject = [:],
                metadata: JSONObject = [:], content: JSONObject, buffers: [[UInt8]] = []) {
        self.identities = identities; self.header = header; self.parentHeader = parentHeader
        self.metadata = metadata; self.content = content; self.buffers = buffers
    }

    public var type: String { header["msg_type"] as? String ?? "" }
    public var id: String { header["msg_id"] as? String ?? "" }

    static let protocolVersion = "5.3"

    /// A fresh header for a message the kernel sends.
    public static func header(type: String, session: String) -> JSONObject {
        ["msg_id": UUID().uuidString.lowercased(), "session": session, "username": "rec",
         "date": timestamp(), "msg_type": type, "version": protocolVersion]
    }

    /// ISO 8601 with microseconds in UTC, as Jupyter writes dates.
    static func timestamp(_ date: Date = Date()) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        let micros = Int((seconds - Double(whole)) * 1_000_000)
        var parts = tm()
        gmtime_r(&whole, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }
}

/// Why an incoming message was dropped. None of the cases carries the key or the signature.
public enum WireError: Error, Equatable, CustomStringConvertible {
    case noDelimiter
    case tooFewFrames(Int)
    case badSignature
    case replayedSignature
    case badJSON(String)

    public var description: String {
        switch self {
        case .noDelimiter: return "no <IDS|MSG> delimiter"
        case .tooFewFrames(let n): return "\(n) frames after the delimiter, at least 5 needed"
        case .badSignature: return "wrong or missing signature"
        case .replayedSignature: return "a signature seen before (replayed message)"
        case .badJSON(let part): return "\(part) is not a JSON object"
        }
    }
}

/// Turns messages into ZeroMQ frames and back, signing what goes out and checking what comes in.
///
/// Like jupyter_client's Session, it also remembers the signatures of recent messages and drops
/// a message whose signature it has already seen: a captured message replayed verbatim would
/// otherwise run its code again.
public final class WireCodec {
    public static let delimiter = Array("<IDS|MSG>".utf8)
    let signer: MessageSigner
    private let lock = NSLock()
    private var seen = Set<[UInt8]>()
    private var seenOrder: [[UInt8]] = []
    static let replayMemory = 1 << 16

    public init(signer: MessageSigner) { self.signer = signer }

    public func encode(_ m: Message) -> [[UInt8]] {
        let parts = [m.header, m.parentHeader, m.metadata, m.content].map(Self.json)
        return m.identities + [Self.delimiter, signer.signature(parts)] + parts + m.buffers
    }

    /// The message in `frames`, or why it must be dropped. The signature is checked before any
    /// JSON is parsed.
    public func decode(_ frames: [[UInt8]]) throws(WireError) -> Message {
        guard let d = frames.firstIndex(of: Self.delimiter) else { throw .noDelimiter }
        let rest = frames.count - d - 1
        guard rest >= 5 else { throw .tooFewFrames(rest) }
        let signature = frames[d + 1]
        let parts = Array(frames[(d + 2)...(d + 5)])
        guard signer.isValid(signature: signature, for: parts) else { throw .badSignature }
        guard remember(signature) else { throw .replayedSignature }
        let names = ["header", "parent_header", "metadata", "content"]
        var objects: [JSONObject] = []
        for (name, bytes) in zip(names, parts) {
            guard let o = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? JSONObject else { throw .badJSON(name) }
            objects.append(o)
        }
        guard objects[0]["msg_type"] is String else { throw .badJSON("header") }
        return Message(identities: Array(frames[..<d]), header: objects[0], parentHeader: objects[1],
                       metadata: objects[2], content: objects[3], buffers: Array(frames[(d + 6)...]))
    }

    /// False when the signature was seen before; the oldest tenth is forgotten when the memory
    /// is full.
    private func remember(_ signature: [UInt8]) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard seen.insert(signature).inserted else { return false }
        seenOrder.append(signature)
        if seenOrder.count > Self.replayMemory {
            let drop = Self.replayMemory / 10
            for s in seenOrder[..<drop] { seen.remove(s) }
            seenOrder.removeFirst(drop)
        }
        return true
    }

    static func json(_ object: JSONObject) -> [UInt8] {
        // The kernel only builds JSON-typed values; an empty object is still a valid part if one
        // slipped through (a NaN, say), where serializing it would trap.
        guard JSONSerialization.isValidJSONObject(object),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]) else { return Array("{}".utf8) }
        return Array(data)
    }
}
