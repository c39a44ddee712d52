// Saving and restoring fitted models: the learned numbers as named arrays, their binary encoding,
// and the protocol models implement to produce and take them back.

/// The learned state of a fitted model as an ordered list of named arrays (`userFactors`,
/// `neighbourSims`, …), with nested states for the components of a hybrid.
///
/// Models write only what is expensive to learn; what is cheap to derive from the training log
/// (seen items, the ratings matrix, user means) is rebuilt on `PersistentRecommender.restore`.
/// Scalars are stored as one-element arrays (`set(_:scalar:)`, `float(_:)`…). Names are unique:
/// `set` replaces an existing entry in place. Equality compares floating-point values bit for
/// bit, so a state equals its decoded encoding even when it holds NaN.
public struct ModelState: Sendable, Equatable {
    public enum Entry: Sendable, Equatable {
        case floats([Float]), doubles([Double]), int32s([Int32]), ints([Int]), strings([String])
        case nested(ModelState)

        public static func == (a: Entry, b: Entry) -> Bool {
            switch (a, b) {
            case let (.floats(x), .floats(y)): return x.elementsEqual(y) { $0.bitPattern == $1.bitPattern }
            case let (.doubles(x), .doubles(y)): return x.elementsEqual(y) { $0.bitPattern == $1.bitPattern }
            case let (.int32s(x), .int32s(y)): return x == y
            case let (.ints(x), .ints(y)): return x == y
            case let (.strings(x), .strings(y)): return x == y
            case let (.nested(x), .nested(y)): return x == y
            default: return false
            }
        }
    }

    public private(set) var entries: [(name: String, value: Entry)] = []

    public init() {}

    public static func == (a: ModelState, b: ModelState) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public subscript(name: String) -> Entry? { entries.first { $0.name == name }?.value }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public mutating func set(_ name: String, _ value: Entry) {
        if let k = entries.firstIndex(where: { $0.name == name }) { entries[k].value = value } else { entries.append((name, value)) }
    }

    public mutating func set(_ name: String, _ v: [Float]) { set(name, .floats(v)) }
    public mutating func set(_ name: String, _ v: [Double]) { set(name, .doubles(v)) }
    public mutating func set(_ name: String, _ v: [Int32]) { set(name, .int32s(v)) }
    public mutating func set(_ name: String, _ v: [Int]) { set(name, .ints(v)) }
    public mutating func set(_ name: String, _ v: [String]) { set(name, .strings(v)) }
    public mutating func set(_ name: String, _ v: ModelState) { set(name, .nested(v)) }
    public mutating func set(_ name: String, scalar v: Float) { set(name, .floats([v])) }
    public mutating func set(_ name: String, scalar v: Double) { set(name, .doubles([v])) }
    public mutating func set(_ name: String, scalar v: Int) { set(name, .ints([v])) }
    public mutating func set(_ name: String, scalar v: String) { set(name, .strings([v])) }

    static func missing(_ name: String) -> PayloadError { PayloadError("model state: missing or mistyped '\(name)'") }

    public func floats(_ name: String) throws -> [Float] {
        guard case .floats(let v)? = self[name] else { throw ModelState.missing(name) }
        return v
    }

    public func doubles(_ name: String) throws -> [Double] {
        guard case .doubles(let v)? = self[name] else { throw ModelState.missing(name) }
        return v
    }

    public func int32s(_ name: String) throws -> [Int32] {
        guard case .int32s(let v)? = self[name] else { throw ModelState.missing(name) }
        return v
    }

    public func ints(_ name: String) throws -> [Int] {
        guard case .ints(let v)? = self[name] else { throw ModelState.missing(name) }
        return v
    }

    public func strings(_ name: String) throws -> [String] {
        guard case .strings(let v)? = self[name] else { throw ModelState.missing(name) }
        return v
    }

    public func nested(_ name: String) throws -> ModelState {
        guard case .nested(let v)? = self[name] else { throw ModelState.missing(name) }
        return v
    }

    // Arrays of a known length: models check every shape against the training data, so that a
    // state of another model or data set fails here rather than indexing out of bounds later.
    public func floats(_ name: String, count: Int) throws -> [Float] { try ModelState.sized(floats(name), count, name) }
    public func doubles(_ name: String, count: Int) throws -> [Double] { try ModelState.sized(doubles(name), count, name) }
    public func int32s(_ name: String, count: Int) throws -> [Int32] { try ModelState.sized(int32s(name), count, name) }
    public func ints(_ name: String, count: Int) throws -> [Int] { try ModelState.sized(ints(name), count, name) }
    public func strings(_ name: String, count: Int) throws -> [String] { try ModelState.sized(strings(name), count, name) }

    public func float(_ name: String) throws -> Float { try floats(name, count: 1)[0] }
    public func double(_ name: String) throws -> Double { try doubles(name, count: 1)[0] }
    public func int(_ name: String) throws -> Int { try ints(name, count: 1)[0] }
    public func string(_ name: String) throws -> String { try strings(name, count: 1)[0] }

    static func sized<T>(_ a: [T], _ count: Int, _ name: String) throws -> [T] {
        guard a.count == count else {
            throw PayloadError("model state: '\(name)' has \(a.count) values where \(count) were expected")
        }
        return a
    }
}

// MARK: Shape checks

extension ModelState {
    /// Records the ID space and the number of distinct (user, item) pairs `model` was fitted on,
    /// for `checkShape` on restore.
    mutating func setShape(of model: Recommender) {
        set("shape", [model.userCount, model.itemCount, model.trainingItems.items.count])
    }

    /// Checks that `training` has the users, items and distinct pairs recorded by `setShape`, and
    /// returns its `TrainingItems` (which every model keeps, so `restore` needs them anyway).
    func checkShape(_ training: Interactions, model: String) throws -> TrainingItems {
        let shape = try ints("shape", count: 3)
        let seen = TrainingItems(training)
        let given = [training.userCount, training.itemCount, seen.items.count]
        guard shape == given else {
            func describe(_ s: [Int]) -> String { "\(s[0]) users × \(s[1]) items (\(s[2]) distinct pairs)" }
            throw PayloadError("model state: \(model) was fitted on \(describe(shape)), "
                               + "but the training data given has \(describe(given))")
        }
        return seen
    }

    /// Checks a CSR structure read from a state: `ptr` has `rows + 1` non-decreasing offsets from 0
    /// to `indices.count`, and every index is in `0..<columns`. Scoring trusts these, so corrupt
    /// values must fail here rather than crash there.
    static func checkCSR(ptr: [Int], indices: [Int32], rows: Int, columns: Int, _ name: String) throws {
        guard ptr.count == rows + 1, ptr.first == 0, ptr.last == indices.count,
              zip(ptr, ptr.dropFirst()).allSatisfy({ $0 <= $1 }),
              indices.allSatisfy({ $0 >= 0 && Int($0) < columns }) else {
            throw PayloadError("model state: inconsistent \(name) (\(rows) rows, \(columns) columns)")
        }
    }
}

// MARK: Encoding

extension ModelState {
    static let magic: [UInt8] = Array("RMST".utf8)
    static let formatVersion: UInt16 = 1
    /// Deeper nesting than any hybrid needs is taken as corruption (and would otherwise recurse
    /// without bound on crafted input).
    static let maxDepth = 32

    /// Magic, format version, then the entries: per entry its name, a type tag, an element count
    /// and the elements in bulk (nested states recursively, without magic).
    public func encoded() -> [UInt8] {
        var w = PayloadWriter(capacity: 1024)
        w.writeBytes(ModelState.magic)
        w.write(ModelState.formatVersion)
        encodeEntries(into: &w)
        return w.bytes
    }

    /// A state from bytes written by `encoded`; throws `PayloadError` for truncated, corrupt or
    /// newer-format input.
    public init(decoding bytes: [UInt8]) throws {
        var r = PayloadReader(bytes)
        guard bytes.count >= ModelState.magic.count, try r.readBytes(ModelState.magic.count) == ModelState.magic else {
            throw PayloadError("not a model state")
        }
        let version = try r.read(UInt16.self)
        guard version <= ModelState.formatVersion else {
            throw PayloadError("model state format \(version) is newer than this rec understands")
        }
        self = try ModelState.decodeEntries(from: &r, depth: 0)
        guard r.isAtEnd else { throw PayloadError("trailing bytes after a model state") }
    }

    private func encodeEntries(into w: inout PayloadWriter) {
        w.write(UInt64(entries.count))
        for (name, value) in entries {
            w.write(name)
            switch value {
            case .floats(let a): w.write(UInt8(1)); w.write(UInt64(a.count)); w.writeArray(a)
            case .doubles(let a): w.write(UInt8(2)); w.write(UInt64(a.count)); w.writeArray(a)
            case .int32s(let a): w.write(UInt8(3)); w.write(UInt64(a.count)); w.writeArray(a)
            case .ints(let a): w.write(UInt8(4)); w.write(UInt64(a.count)); w.writeArray(a.map { Int64($0) })
            case .strings(let a): w.write(UInt8(5)); w.write(UInt64(a.count)); w.writeStrings(a)
            case .nested(let s): w.write(UInt8(6)); s.encodeEntries(into: &w)
            }
        }
    }

    private static func decodeEntries(from r: inout PayloadReader, depth: Int) throws -> ModelState {
        guard depth <= maxDepth else { throw PayloadError("model state nested deeper than \(maxDepth) levels") }
        // An entry takes at least a name length, a tag and a count: 13 bytes.
        let n = try r.readCount(minElementSize: 13)
        var state = ModelState()
        state.entries.reserveCapacity(n)
        for _ in 0..<n {
            let name = try r.readString()
            guard !state.contains(name) else { throw PayloadError("model state: duplicate entry '\(name)'") }
            let value: Entry
            switch try r.read(UInt8.self) {
            case 1: value = .floats(try r.readFloats(count: try r.readCount(minElementSize: 4)))
            case 2: value = .doubles(try r.readDoubles(count: try r.readCount(minElementSize: 8)))
            case 3: value = .int32s(try r.readArray(Int32.self, count: try r.readCount(minElementSize: 4)))
            case 4:
                var ints: [Int] = []
                for v in try r.readArray(Int64.self, count: try r.readCount(minElementSize: 8)) {
                    guard let i = Int(exactly: v) else {
                        throw PayloadError("model state: '\(name)' holds integers too large for this machine")
                    }
                    ints.append(i)
                }
                value = .ints(ints)
            case 5: value = .strings(try r.readStrings(count: try r.readCount(minElementSize: 4)))
            case 6: value = .nested(try decodeEntries(from: &r, depth: depth + 1))
            case let tag: throw PayloadError("model state: unknown entry type \(tag) for '\(name)'")
            }
            state.entries.append((name, value))
        }
        return state
    }
}

/// A recommender whose fitted state can be saved (`savedState`, then `ModelState.encoded`) and
/// restored into a new instance, so that workspaces can keep fitted models.
///
/// The contract of `restore`: it is called on a fresh instance built with the same
/// hyper-parameters as the saved one, with the very `Interactions` the model was fitted on —
/// same rows in the same order with the same values (for implicit-feedback models, the data as
/// `fit` saw it, e.g. with the values dropped). Models store only the expensive learned parts
/// (factors, biases, neighbour lists, weights, network parameters, loss histories) and rebuild
/// what is cheap to derive (`TrainingItems`, rating matrices, means) from `training`. `restore`
/// checks the saved shapes against `training` (users, items, distinct pairs, array lengths, CSR
/// indices) and throws `PayloadError` on any mismatch, before changing anything (a hybrid's later
/// component may still fail after earlier ones were restored: discard a model whose `restore`
/// threw). After a successful `restore` the model scores, recommends, explains and lists similar
/// items exactly (bit for bit) as the saved one did.
public protocol PersistentRecommender: Recommender {
    /// The learned state of the fitted model.
    func savedState() throws -> ModelState
    /// Replaces the learned state with `state`, saved from a model fitted on `training`.
    func restore(_ state: ModelState, training: Interactions) throws
}
