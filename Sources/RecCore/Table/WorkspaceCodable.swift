// The contract between data types and the workspace store, and the little-endian binary helpers
// that encodings are written with.
//
// It lives in RecCore (not RecStore) so that the data layer's types (tables, datasets, splits,
// models) can conform without depending on SQLite; the store only ever sees a kind and bytes.

/// A value that can be saved in a workspace and restored later.
///
/// Encodings should start with their own magic and format version (see `Table`'s), so that a
/// newer build can still read old payloads and an older one fails with a clear message instead of
/// misreading bytes. Prefer bulk columnar layouts (`PayloadWriter.writeArray`) over per-element
/// records: payloads can hold millions of rows.
public protocol WorkspaceCodable {
    /// A short, stable name for this type of payload (`table`, `dataset`, `model.als`), stored next
    /// to the bytes and checked on restore. Never change it once workspaces exist.
    static var workspaceKind: String { get }
    /// The value as bytes.
    func workspaceEncode() throws -> [UInt8]
    /// The value back from bytes written by `workspaceEncode` (of this or an older version).
    static func workspaceDecode(_ bytes: [UInt8]) throws -> Self
}

/// An encoded payload that cannot be read: truncated, corrupt, or of an unknown format version.
public struct PayloadError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "cannot decode saved value: \(message)" }
}

/// Appends little-endian binary data to a byte array. Arrays of fixed-width numbers are copied in
/// bulk (one memcpy on little-endian machines), which is what keeps million-row payloads fast.
public struct PayloadWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public mutating func reserveCapacity(_ n: Int) { bytes.reserveCapacity(n) }

    public mutating func write<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ d: Double) { write(d.bitPattern) }
    public mutating func write(_ f: Float) { write(f.bitPattern) }
    public mutating func write(_ b: Bool) { bytes.append(b ? 1 : 0) }

    /// A string as a UInt32 byte length followed by its UTF-8 bytes.
    public mutating func write(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            write(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Raw bytes, without a length (write one first when the reader needs it).
    public mutating func writeBytes<C: Collection>(_ b: C) where C.Element == UInt8 { bytes.append(contentsOf: b) }

    /// The elements of `a` back to back (no count: write it first).
    public mutating func writeArray<T: FixedWidthInteger>(_ a: [T]) {
        #if _endian(little)
        a.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in a { write(v) }
        #endif
    }

    public mutating func writeArray(_ a: [Double]) {
        #if _endian(little)
        a.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in a { write(v.bitPattern) }
        #endif
    }

    public mutating func writeArray(_ a: [Float]) {
        #if _endian(little)
        a.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in a { write(v.bitPattern) }
        #endif
    }

    /// Booleans packed eight to a byte, least significant bit first (no count: write it first).
    public mutating func writeBits(_ a: [Bool]) {
        var byte: UInt8 = 0
        for (i, v) in a.enumerated() {
            if v { byte |= 1 << UInt8(i & 7) }
            if i & 7 == 7 { bytes.append(byte); byte = 0 }
        }
        if a.count & 7 != 0 { bytes.append(byte) }
    }

    /// Strings as one UInt32 byte length per string followed by all their UTF-8 bytes: two bulk
    /// regions instead of interleaved records, so reading back touches each region once.
    public mutating func writeStrings(_ a: [String]) {
        var lengths = [UInt32]()
        lengths.reserveCapacity(a.count)
        var total = 0
        for s in a {
            let n = s.utf8.count
            lengths.append(UInt32(n))
            total += n
        }
        writeArray(lengths)
        bytes.reserveCapacity(bytes.count + total)
        for s in a {
            var s = s
            s.withUTF8 { bytes.append(contentsOf: $0) }
        }
    }
}

/// Reads what `PayloadWriter` wrote, checking bounds on every read (payloads come from disk and
/// may be truncated or corrupt).
public struct PayloadReader {
    public let bytes: [UInt8]
    public private(set) var offset: Int = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset == bytes.count }

    private mutating func take(_ n: Int, _ what: @autoclosure () -> String) throws -> Range<Int> {
        guard n >= 0, n <= remaining else {
            throw PayloadError("truncated data: \(what()) needs \(n) bytes at offset \(offset), \(remaining) left")
        }
        defer { offset += n }
        return offset..<(offset + n)
    }

    public mutating func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let r = try take(MemoryLayout<T>.size, "\(T.self)")
        var v: T = 0
        withUnsafeMutableBytes(of: &v) { dst in
            bytes.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[r])) }
        }
        return T(littleEndian: v)
    }

    public mutating func readDouble() throws -> Double { Double(bitPattern: try read(UInt64.self)) }
    public mutating func readFloat() throws -> Float { Float(bitPattern: try read(UInt32.self)) }
    public mutating func readBool() throws -> Bool { try read(UInt8.self) != 0 }

    public mutating func readString() throws -> String {
        let n = Int(try read(UInt32.self))
        let r = try take(n, "a string")
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    public mutating func readBytes(_ n: Int) throws -> [UInt8] {
        Array(bytes[try take(n, "raw bytes")])
    }

    /// A count written as UInt64, checked against what is left so that a corrupt count cannot
    /// trigger a huge allocation: each element needs at least `minElementSize` bytes (use 0 for
    /// packed bits, which are checked on read).
    public mutating func readCount(minElementSize: Int = 1) throws -> Int {
        let n = try read(UInt64.self)
        guard n <= UInt64(Int.max), minElementSize == 0 || Int(n) <= remaining / minElementSize else {
            throw PayloadError("corrupt element count \(n) at offset \(offset - 8)")
        }
        return Int(n)
    }

    public mutating func readArray<T: FixedWidthInteger>(_: T.Type, count: Int) throws -> [T] {
        #if _endian(little)
        return try readRaw(T.self, count: count)
        #else
        return try readRaw(T.self, count: count).map { T(littleEndian: $0) }
        #endif
    }

    public mutating func readDoubles(count: Int) throws -> [Double] {
        #if _endian(little)
        return try readRaw(Double.self, count: count)
        #else
        return try readRaw(UInt64.self, count: count).map { Double(bitPattern: UInt64(littleEndian: $0)) }
        #endif
    }

    public mutating func readFloats(count: Int) throws -> [Float] {
        #if _endian(little)
        return try readRaw(Float.self, count: count)
        #else
        return try readRaw(UInt32.self, count: count).map { Float(bitPattern: UInt32(littleEndian: $0)) }
        #endif
    }

    /// `count` values of a trivial type copied straight from the bytes (host byte order).
    private mutating func readRaw<T>(_: T.Type, count: Int) throws -> [T] {
        guard count >= 0, count <= remaining / MemoryLayout<T>.stride else {
            throw PayloadError("truncated data: \(count) × \(T.self) at offset \(offset), \(remaining) bytes left")
        }
        let r = try take(count * MemoryLayout<T>.stride, "\(count) × \(T.self)")
        return [T](unsafeUninitializedCapacity: count) { buf, n in
            bytes.withUnsafeBytes { src in
                UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[r]))
            }
            n = count
        }
    }

    public mutating func readBits(count: Int) throws -> [Bool] {
        let r = try take((count + 7) / 8, "\(count) packed booleans")
        return bytes.withUnsafeBufferPointer { src in
            (0..<count).map { i in src[r.lowerBound + (i >> 3)] & (1 << UInt8(i & 7)) != 0 }
        }
    }

    public mutating func readStrings(count: Int) throws -> [String] {
        let lengths = try readArray(UInt32.self, count: count)
        var total = 0
        for n in lengths { total += Int(n) }
        let r = try take(total, "\(count) strings")
        return bytes.withUnsafeBufferPointer { src in
            var out = [String]()
            out.reserveCapacity(count)
            var p = r.lowerBound
            for n in lengths {
                let end = p + Int(n)
                out.append(String(decoding: UnsafeBufferPointer(rebasing: src[p..<end]), as: UTF8.self))
                p = end
            }
            return out
        }
    }
}
