// Interning of raw user/item IDs into dense Int32 indices.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// Open-addressing hash table from byte strings to dense Int32 indices, with all keys stored
/// contiguously in one arena. A reference type so that hot loops mutate it without copy-on-write
/// checks; `IDMap` wraps it with value semantics.
///
/// Speed matters here (two lookups per loaded row), and the cost is cache misses, so each slot
/// carries the key's first 8 bytes, its length and a hash tag: for keys of up to 8 bytes (most
/// IDs) a lookup touches a single slot and never the arena. And since most real IDs are small
/// integers, canonical decimal keys below a bound that grows with the key count are looked up in
/// a direct-address array instead (4 bytes per possible ID, which stays in cache where a hash
/// table of the same keys would not).
final class ByteInterner: @unchecked Sendable {
    struct Slot {
        /// First 8 key bytes, little-endian, zero-padded.
        var word: UInt64
        /// 0 for an empty slot; else (index + 1) | min(length, 0xFFFF) << 32 | hash tag << 48.
        var meta: UInt64
    }
    private(set) var count = 0
    private var keyCap: Int
    /// offsets[i] = start of key i in the arena; offsets[count] = bytes used.
    private var offsets: UnsafeMutablePointer<Int>
    private var hashes: UnsafeMutablePointer<UInt64>
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCap: Int
    private var slots: UnsafeMutablePointer<Slot>
    private var slotCount: Int
    private var mask: Int
    /// direct[v] = index + 1 of the canonical integer key v (0 = no such key), for v < directCap.
    /// Invariant: every small-integer key below directCap is here (growing refills it), so a
    /// miss is final and such keys never need the hash table. Keys that were above directCap
    /// when added live in the hash table (and are copied here when the array grows over them).
    private var direct: UnsafeMutablePointer<Int32>
    private var directCap: Int
    /// Largest small-integer key seen, to know when growing the direct array would cover more.
    private var maxSmallInt = -1

    init(capacity: Int = 16) {
        directCap = 0
        direct = .allocate(capacity: 1)
        keyCap = max(16, capacity)
        offsets = .allocate(capacity: keyCap + 1)
        offsets[0] = 0
        hashes = .allocate(capacity: keyCap)
        arenaCap = keyCap * 8
        arena = .allocate(capacity: arenaCap)
        var c = 32
        while c < keyCap * 2 { c <<= 1 }
        slotCount = c
        mask = c - 1
        slots = .allocate(capacity: c)
        slots.initialize(repeating: Slot(word: 0, meta: 0), count: c)
    }

    deinit {
        offsets.deallocate(); hashes.deallocate(); arena.deallocate(); slots.deallocate(); direct.deallocate()
    }

    /// The value of a canonical decimal key of at most 9 digits (no sign, no leading zero), or -1.
    @inline(__always)
    static func smallInt(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        if n == 0 || n > 9 || (p[0] == 0x30 && n > 1) { return -1 }
        var v = 0
        var i = 0
        while i < n {
            let d = p[i] &- 48
            if d > 9 { return -1 }
            v = v &* 10 &+ Int(d)
            i += 1
        }
        return v
    }

    /// Grows the direct array over keys that arrived while it was too small to hold them, once
    /// the key count makes that affordable; then read-only `find`s (the parallel loader's lookups
    /// in the shared global map) hit it.
    func refreshDirect() {
        if maxSmallInt >= directCap { _ = growDirect(toCover: maxSmallInt) }
    }

    /// Grows the direct array to cover v when v is small relative to the number of keys, and
    /// refills it from all keys to keep the invariant.
    private func growDirect(toCover v: Int) -> Bool {
        let allowed = max(1 << 16, 8 * (count + 1))
        if v >= allowed { return false }
        var c = max(1024, directCap)
        while c <= v { c <<= 1 }
        direct.deallocate()
        direct = .allocate(capacity: c)
        direct.initialize(repeating: 0, count: c)
        directCap = c
        for k in 0..<count {
            let x = ByteInterner.smallInt(arena + offsets[k], offsets[k + 1] - offsets[k])
            if x >= 0 && x < c { direct[x] = Int32(k + 1) }
        }
        return true
    }

    func copy() -> ByteInterner {
        let c = ByteInterner(capacity: max(count, 16))
        for k in 0..<count { _ = withKeyBytes(k) { c.intern($0) } }
        return c
    }

    @inline(__always)
    static func firstWord(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        if n >= 8 { return UnsafeRawPointer(p).loadUnaligned(as: UInt64.self).littleEndian }
        var w: UInt64 = 0
        var i = 0
        while i < n { w |= UInt64(p[i]) << (UInt64(i) &* 8); i += 1 }
        return w
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int, _ word: UInt64) -> UInt64 {
        var h: UInt64 = (word ^ 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        h ^= UInt64(truncatingIfNeeded: n) &* 0x94D0_49BB_1331_11EB
        var i = 8
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53
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
    private static func meta(_ k: Int, _ n: Int, _ h: UInt64) -> UInt64 {
        UInt64(k + 1) | UInt64(min(n, 0xFFFF)) << 32 | (h >> 48) << 48
    }

    /// Slot position holding the key, or the empty slot where it would go (meta == 0).
    @inline(__always)
    private func probe(_ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, _ word: UInt64) -> Int {
        let want = UInt64(min(n, 0xFFFF)) << 32 | (h >> 48) << 48
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[s]
            if slot.meta == 0 { return s }
            if slot.word == word && (slot.meta & 0xFFFF_FFFF_0000_0000) == want {
                if n <= 8 { return s }
                let k = Int(slot.meta & 0xFFFF_FFFF) - 1
                let start = offsets[k]
                if offsets[k + 1] - start == n && memcmp(arena + start + 8, p + 8, n - 8) == 0 { return s }
            }
            s = (s + 1) & mask
        }
    }

    /// The direct array and its length, for read-only lookups hoisted out of a hot loop
    /// (`direct[v] - 1` is v's index, or -1 when absent, for v below the length).
    var directTable: (UnsafePointer<Int32>, Int) { (UnsafePointer(direct), directCap) }

    /// Lookup of a canonical small-integer key by value: its index, -1 when it is certainly
    /// absent, or -2 when the direct array does not cover it (use `find` on the bytes).
    @inline(__always)
    func lookupSmall(_ v: Int) -> Int32 {
        if v < directCap { return direct[v] - 1 }
        return -2
    }

    /// Index of the key, or nil.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        let v = ByteInterner.smallInt(p, n)
        if v >= 0 && v < directCap {
            let d = direct[v]
            return d != 0 ? d - 1 : nil
        }
        let w = ByteInterner.firstWord(p, n)
        let s = probe(p, n, ByteInterner.hash(p, n, w), w)
        let m = slots[s].meta
        return m == 0 ? nil : Int32(truncatingIfNeeded: m & 0xFFFF_FFFF) - 1
    }

    /// Index of the key, inserting it when new.
    @inline(__always)
    func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let v = ByteInterner.smallInt(p, n)
        if v >= 0 && v < directCap {
            let d = direct[v]
            if d != 0 { return d - 1 }
            let k = append(p, n)
            direct[v] = Int32(k + 1)
            return Int32(k)
        }
        let w = ByteInterner.firstWord(p, n)
        let h = ByteInterner.hash(p, n, w)
        let s = probe(p, n, h, w)
        let m = slots[s].meta
        if m != 0 { return Int32(truncatingIfNeeded: m & 0xFFFF_FFFF) - 1 }
        if v >= 0 && growDirect(toCover: v) {
            // (The refill covered all older keys; this one is new, so add it directly.)
            let k = append(p, n)
            direct[v] = Int32(k + 1)
            return Int32(k)
        }
        let k = append(p, n)
        if v > maxSmallInt { maxSmallInt = v }
        hashes[k] = h
        slots[s] = Slot(word: w, meta: ByteInterner.meta(k, n, h))
        if count * 2 > slotCount { grow() }
        return Int32(k)
    }

    /// Stores a new key's bytes and returns its index (not yet in any lookup structure).
    private func append(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        let k = count
        precondition(k < Int(Int32.max) - 1, "too many distinct IDs for Int32 indices")
        if k == keyCap {
            keyCap *= 2
            let no = UnsafeMutablePointer<Int>.allocate(capacity: keyCap + 1)
            no.moveInitialize(from: offsets, count: k + 1); offsets.deallocate(); offsets = no
            let nh = UnsafeMutablePointer<UInt64>.allocate(capacity: keyCap)
            nh.moveInitialize(from: hashes, count: k); hashes.deallocate(); hashes = nh
        }
        let used = offsets[k]
        if used + n > arenaCap {
            arenaCap = max(arenaCap * 2, used + n)
            let na = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaCap)
            na.moveInitialize(from: arena, count: used); arena.deallocate(); arena = na
        }
        if n > 0 { (arena + used).initialize(from: p, count: n) }
        offsets[k + 1] = used + n
        hashes[k] = 0
        count = k + 1
        return k
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
        let c = slotCount * 2
        let ns = UnsafeMutablePointer<Slot>.allocate(capacity: c)
        ns.initialize(repeating: Slot(word: 0, meta: 0), count: c)
        let m = c - 1
        for i in 0..<slotCount {
            let slot = slots[i]
            if slot.meta == 0 { continue }
            let k = Int(slot.meta & 0xFFFF_FFFF) - 1
            var s = Int(truncatingIfNeeded: hashes[k]) & m
            while ns[s].meta != 0 { s = (s + 1) & m }
            ns[s] = slot
        }
        slots.deallocate()
        slots = ns
        slotCount = c
        mask = m
    }

    func withKeyBytes<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        precondition(k >= 0 && k < count, "ID index \(k) out of range 0..<\(count)")
        return body(UnsafeBufferPointer(start: arena + offsets[k], count: offsets[k + 1] - offsets[k]))
    }

    func key(_ k: Int) -> String { withKeyBytes(k) { String(decoding: $0, as: UTF8.self) } }
}
