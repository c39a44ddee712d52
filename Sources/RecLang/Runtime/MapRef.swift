/// Map keys: scalars only, with numbers normalised so that `m[1]` and `m[1.0]` are the same entry.
public enum MapKey: Hashable {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case `nil`

    init?(_ v: Value) {
        switch v {
        case .int(let i): self = .int(i)
        case .double(let d):
            if d.rounded() == d, let i = Int(exactly: d) { self = .int(i) } else { self = .double(d) }
        case .string(let s): self = .string(s)
        case .bool(let b): self = .bool(b)
        case .nil: self = .nil
        default: return nil
        }
    }

    /// The hash `MapRef` probes with. Numbers go through a cheap integer finaliser (MurmurHash3's
    /// fmix64) instead of Swift's seeded SipHash, which was a fifth of a kNN program's time over
    /// maps keyed by IDs; strings keep SipHash (per-process seed), where flooding could matter.
    @inline(__always)
    var probeHash: Int {
        switch self {
        case .int(let i): return MapKey.mix(UInt64(bitPattern: Int64(i)))
        case .double(let d): return MapKey.mix(d.bitPattern ^ 0x9E37_79B9_7F4A_7C15)
        case .string(let s): return s.hashValue
        case .bool(let b): return b ? 0x5bd1_e995 : 0x1b87_3593
        case .nil: return 0x27d4_eb2f
        }
    }

    @inline(__always)
    static func mix(_ v: UInt64) -> Int {
        var x = v
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return Int(bitPattern: UInt(x))
    }

    /// Whether the stored key `v` is this key (`MapKey(v) == self`, without building one for the
    /// common cases).
    @inline(__always)
    func matches(_ v: Value) -> Bool {
        if case .int(let a) = self { if case .int(let b) = v { return a == b } }
        if case .string(let a) = self { if case .string(let b) = v { return a == b } }
        return MapKey(v) == self
    }
}

/// An insertion-ordered map: keys and values in insertion order, found through an open-addressing
/// table (linear probing, at most half full) of positions.
public final class MapRef {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    /// Each slot holds an entry's position + 1, or 0 when empty; the count is a power of two (or 0).
    private var table: [Int32] = []
    /// Counts removals, the only change that moves entries: while it stays the same, the entry
    /// at a position keeps it (so a `for` loop can read values by position, without hashing).
    public private(set) var removals = 0

    public init() {}

    public var count: Int { keys.count }

    /// The position of `k`'s entry, or nil. Through buffer pointers: indexing the arrays of a
    /// class retained and released their storage on every probe.
    @inline(__always)
    private func position(of k: MapKey) -> Int? {
        table.withUnsafeBufferPointer { t -> Int? in
            let mask = t.count &- 1
            if mask < 0 { return nil }
            var s = k.probeHash & mask
            return keys.withUnsafeBufferPointer { ks -> Int? in
                while true {
                    let e = Int(t[s])
                    if e == 0 { return nil }
                    if k.matches(ks[e &- 1]) { return e &- 1 }
                    s = (s &+ 1) & mask
                }
            }
        }
    }

    /// The value under an already normalised key (the numeric tier's map reads).
    @inline(__always)
    func value(for k: MapKey) -> Value? {
        guard let i = position(of: k) else { return nil }
        return values[i]
    }

    /// The position of Int key `i`: `position(of: .int(i))` without building and copying keys
    /// (maps keyed by IDs are what teaching code indexes most).
    @inline(__always)
    private func position(ofInt i: Int) -> Int? {
        table.withUnsafeBufferPointer { t -> Int? in
            let mask = t.count &- 1
            if mask < 0 { return nil }
            var s = MapKey.mix(UInt64(bitPattern: Int64(i))) & mask
            return keys.withUnsafeBufferPointer { ks -> Int? in
                while true {
                    let e = Int(t[s])
                    if e == 0 { return nil }
                    switch ks[e &- 1] {
                    case .int(let b): if b == i { return e &- 1 }
                    // A whole Float key is the same entry as the Int (MapKey's normalisation).
                    case .double(let d): if MapKey(.double(d)) == .int(i) { return e &- 1 }
                    default: break
                    }
                    s = (s &+ 1) & mask
                }
            }
        }
    }

    /// The value under Int key `i`.
    @inline(__always)
    func value(forInt i: Int) -> Value? {
        guard let p = position(ofInt: i) else { return nil }
        return values[p]
    }

    public func get(_ key: Value) -> Value? {
        if case .int(let i) = key { return value(forInt: i) }
        guard let k = MapKey(key), let i = position(of: k) else { return nil }
        return values[i]
    }

    /// Returns false when `key` cannot be a map key.
    @discardableResult
    public func set(_ key: Value, _ value: Value) -> Bool {
        guard let k = MapKey(key) else { return false }
        if let i = position(of: k) { values[i] = value; return true }
        keys.append(key)
        values.append(value)
        if keys.count * 2 > table.count { rebuild(capacity: Swift.max(8, table.count * 2)) } else { insert(k, keys.count) }
        return true
    }

    @discardableResult
    public func remove(_ key: Value) -> Value? {
        guard let k = MapKey(key), let i = position(of: k) else { return nil }
        removals += 1
        let old = values[i]
        keys.remove(at: i)
        values.remove(at: i)
        // Positions after `i` moved: removal is linear anyway, so the table is rebuilt.
        rebuild(capacity: table.count)
        return old
    }

    /// Records entry number `entry` (position + 1) under `k`, which is not in the table.
    @inline(__always)
    private func insert(_ k: MapKey, _ entry: Int) {
        let mask = table.count - 1
        var s = k.probeHash & mask
        while table[s] != 0 { s = (s &+ 1) & mask }
        table[s] = Int32(truncatingIfNeeded: entry)
    }

    private func rebuild(capacity: Int) {
        precondition(keys.count < Int(Int32.max), "a map holds fewer than 2³¹ entries")
        table = [Int32](repeating: 0, count: capacity)
        for (j, key) in keys.enumerated() { insert(MapKey(key)!, j + 1) }
    }
}
