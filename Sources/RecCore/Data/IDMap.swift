// Interning of raw user/item IDs into dense Int32 indices.

/// A raw ID as it appeared in the data: integers stay integers, anything else is a string.
public enum RawID: Hashable, Sendable, CustomStringConvertible {
    case int(Int64)
    case string(String)

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .string(let s): return s
        }
    }
}

/// Maps raw IDs to dense indices `0..<count` in first-appearance order.
///
/// Keys are the ID's text exactly as it appeared (so `"007"` and `"7"` are different IDs, as
/// they are in the source file); a key that is a canonical decimal integer is reported back as
/// `RawID.int`. Hashing works on bytes, so the loader interns fields straight from the file
/// buffer without creating a `String` per row.
///
/// `IDMap` is a value type (copy-on-write). Two datasets share an ID space when one's map is a
/// prefix of the other's: `Interactions.reindexed(into:)` extends a train set's map with a test
/// set's new IDs, which get indices after all of train's.
public struct IDMap: Sendable, CustomStringConvertible {
    var storage: ByteInterner

    public init() { storage = ByteInterner() }
    init(storage: ByteInterner) { self.storage = storage }

    /// Builds a map from keys in order; duplicates keep their first index.
    public init<S: Sequence>(keys: S) where S.Element == String {
        storage = ByteInterner()
        for k in keys { _ = storage.intern(k) }
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.count == 0 }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// The index of `key`, adding it at the end when new.
    @discardableResult
    public mutating func intern(_ key: String) -> Int32 {
        if let i = storage.find(key) { return i }
        makeUnique()
        return storage.intern(key)
    }

    @discardableResult
    public mutating func intern(_ id: RawID) -> Int32 { intern(id.description) }

    /// The index of a key, or nil when it was never seen.
    public func index(of key: String) -> Int32? { storage.find(key) }
    public func index(of id: Int) -> Int32? { storage.find(String(id)) }
    public func index(of id: RawID) -> Int32? { storage.find(id.description) }

    /// The key text at a dense index.
    public func key(at index: Int32) -> String { storage.key(Int(index)) }
    public func key(at index: Int) -> String { storage.key(index) }

    /// The raw ID at a dense index: `.int` when the key is a canonical decimal integer.
    public func rawID(at index: Int) -> RawID {
        storage.withKeyBytes(index) { b in
            if let v = parseCanonicalInt(b) { return .int(v) }
            return .string(String(decoding: b, as: UTF8.self))
        }
    }

    /// All keys in index order.
    public var keys: [String] { (0..<count).map { storage.key($0) } }

    /// True when every key is a canonical decimal integer.
    public var allIntegers: Bool {
        (0..<count).allSatisfy { i in storage.withKeyBytes(i) { parseCanonicalInt($0) != nil } }
    }

    /// True when `other` starts with exactly this map's keys (so indices agree on the overlap).
    public func isPrefix(of other: IDMap) -> Bool {
        if storage === other.storage { return true }
        guard other.count >= count else { return false }
        for i in 0..<count {
            let same = storage.withKeyBytes(i) { a in other.storage.withKeyBytes(i) { b in
                a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0) } }
            if !same { return false }
        }
        return true
    }

    /// A new map holding only the given old indices, in the given order; also returns the
    /// old → new index table (-1 for dropped indices).
    public func subset(_ oldIndices: [Int32]) -> (map: IDMap, remap: [Int32]) {
        var remap = [Int32](repeating: -1, count: count)
        let s = ByteInterner()
        for o in oldIndices {
            if remap[Int(o)] >= 0 { continue }
            remap[Int(o)] = storage.withKeyBytes(Int(o)) { s.intern($0) }
        }
        return (IDMap(storage: s), remap)
    }

    public var description: String {
        let shown = (0..<min(count, 5)).map { key(at: $0) }.joined(separator: ", ")
        return "IDMap(\(count) ids: \(shown)\(count > 5 ? ", …" : ""))"
    }
}

/// Parses a canonical decimal integer (`0`, `-12`, no leading zeros or plus sign); nil otherwise.
func parseCanonicalInt(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
    var i = 0
    let n = b.count
    var neg = false
    if n > 0 && b[0] == UInt8(ascii: "-") { neg = true; i = 1 }
    let digits = n - i
    if digits <= 0 || digits > 18 { return nil }
    if b[i] == UInt8(ascii: "0") && (digits > 1 || neg) { return nil }
    var v: Int64 = 0
    while i < n {
        let d = b[i] &- 48
        if d > 9 { return nil }
        v = v * 10 + Int64(d)
        i += 1
    }
    return neg ? -v : v
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Open-addressing hash table from byte strings to dense Int32 indices, with all keys stored
/// contiguously in one arena. A reference type so that hot loops mutate it without copy-on-write
/// checks; `IDMap` wraps it with value semantics.
final class ByteInterner: @unchecked Sendable {
    /// Key bytes, back to back.
    var arena: [UInt8] = []
    /// Start offset of key i in `arena`; `offsets[count]` is the arena's used length.
    var offsets: [Int] = [0]
    /// Hash of key i (so probing compares hashes before bytes, and growing doesn't rehash).
    var hashes: [UInt64] = []
    /// Slots hold key index + 1; 0 marks an empty slot. Capacity is a power of two.
    var slots: [Int32]
    var mask: Int

    init(capacity: Int = 16) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = [Int32](repeating: 0, count: c)
        mask = c - 1
    }

    var count: Int { hashes.count }

    func copy() -> ByteInterner {
        let c = ByteInterner(capacity: 1)
        c.arena = arena; c.offsets = offsets; c.hashes = hashes; c.slots = slots; c.mask = mask
        return c
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        // A small multiply-xorshift hash over 8-byte words; keys are short (IDs), so this is
        // dominated by the final mix.
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(truncatingIfNeeded: n) &* 0xFF51_AFD7_ED55_8CCD)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n { w |= UInt64(p[i]) << shift; shift += 8; i += 1 }
            h = (h ^ w) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 32
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        return h
    }

    @inline(__always)
    private func equal(_ k: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let start = offsets[k]
        if offsets[k + 1] - start != n { return false }
        if n == 0 { return true }
        return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, p, n) == 0 }
    }

    /// Index of the key, or nil.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        let h = ByteInterner.hash(p, n)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[s]
            if e == 0 { return nil }
            let k = Int(e - 1)
            if hashes[k] == h && equal(k, p, n) { return Int32(k) }
            s = (s + 1) & mask
        }
    }

    /// Index of the key, inserting it when new.
    @inline(__always)
    func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let h = ByteInterner.hash(p, n)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[s]
            if e == 0 { break }
            let k = Int(e - 1)
            if hashes[k] == h && equal(k, p, n) { return Int32(k) }
            s = (s + 1) & mask
        }
        let k = hashes.count
        precondition(k < Int(Int32.max) - 1, "too many distinct IDs for Int32 indices")
        hashes.append(h)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(arena.count)
        slots[s] = Int32(k + 1)
        if hashes.count * 2 > slots.count { grow() }
        return Int32(k)
    }

    func intern(_ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard let base = b.baseAddress else { return withUnsafePointer(to: UInt8(0)) { intern($0, 0) } }
        return intern(base, b.count)
    }

    func intern(_ s: String) -> Int32 {
        var s = s
        return s.withUTF8 { intern($0) }
    }

    func find(_ s: String) -> Int32? {
        var s = s
        return s.withUTF8 { b in
            guard let base = b.baseAddress else { return withUnsafePointer(to: UInt8(0)) { find($0, 0) } }
            return find(base, b.count)
        }
    }

    private func grow() {
        let c = slots.count * 2
        var newSlots = [Int32](repeating: 0, count: c)
        let m = c - 1
        hashes.withUnsafeBufferPointer { hs in
            newSlots.withUnsafeMutableBufferPointer { ns in
                for k in 0..<hs.count {
                    var s = Int(truncatingIfNeeded: hs[k]) & m
                    while ns[s] != 0 { s = (s + 1) & m }
                    ns[s] = Int32(k + 1)
                }
            }
        }
        slots = newSlots
        mask = m
    }

    func withKeyBytes<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = offsets[k], end = offsets[k + 1]
        return arena.withUnsafeBufferPointer { a in
            body(UnsafeBufferPointer(rebasing: a[start..<end]))
        }
    }

    func key(_ k: Int) -> String { withKeyBytes(k) { String(decoding: $0, as: UTF8.self) } }
}
