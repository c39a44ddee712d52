// Lists and maps in tier loops (NumericLoops.swift): `xs[i]`, `m[k]`, `xs.count`, and
// `xs[i] = v` for a scalar element. Reads check the element they get against the type the loop
// was compiled for and bail on anything else (a missing key, an index out of range, an element
// of another type), so the generic path raises the error or handles the surprise. A store is an
// effect a restart would repeat: each is logged (list, index, old scalar) in the runtime's undo
// log, which a bail rolls back to where the iteration began.

/// How an element read from a container becomes a word, decided when the read is compiled.
protocol ElementKind {
    static func word(_ v: Value) -> Int?
}
enum IntElement: ElementKind {
    @inline(__always) static func word(_ v: Value) -> Int? { if case .int(let x) = v { return x }; return nil }
}
enum FloatElement: ElementKind {
    @inline(__always) static func word(_ v: Value) -> Int? { if case .double(let x) = v { return asWord(x) }; return nil }
}
enum BoolElement: ElementKind {
    @inline(__always) static func word(_ v: Value) -> Int? { if case .bool(let b) = v { return b ? 1 : 0 }; return nil }
}
enum ListElement: ElementKind {
    @inline(__always) static func word(_ v: Value) -> Int? {
        if case .list(let l) = v { return Int(bitPattern: Unmanaged.passUnretained(l).toOpaque()) }
        return nil
    }
}
enum MapElement: ElementKind {
    @inline(__always) static func word(_ v: Value) -> Int? {
        if case .map(let m) = v { return Int(bitPattern: Unmanaged.passUnretained(m).toOpaque()) }
        return nil
    }
}

/// An element of a list held in a frame word, at an index held in another, as an operand.
struct ElementWord<E: ElementKind>: WordSource {
    let list: Int, index: Int
    @inline(__always) func get(_ fp: UnsafeMutablePointer<Int>) throws(Bail) -> Int {
        guard let w = element(E.self, of: fp[list], at: fp[index]) else { throw Bail() }
        return w
    }
}

/// Element `i` (negative from the end, as `xs[i]`) of the list in word `list` as a word, or nil
/// when out of range or not of kind `E`.
@inline(__always)
func element<E: ElementKind>(_: E.Type, of list: Int, at i: Int) -> Int? {
    listRef(list)._withUnsafeGuaranteedRef { l -> Int? in
        let n = l.items.count
        let j = i < 0 ? i &+ n : i
        guard j >= 0 && j < n else { return nil }
        return E.word(l.items[j])
    }
}

/// A list or map word as the object it refers to, at +0.
@inline(__always) func listRef(_ w: Int) -> Unmanaged<ListRef> { Unmanaged.fromOpaque(UnsafeRawPointer(bitPattern: w)!) }
@inline(__always) func mapRef(_ w: Int) -> Unmanaged<MapRef> { Unmanaged.fromOpaque(UnsafeRawPointer(bitPattern: w)!) }

/// One logged store: the list (a word), the position, the scalar it held (0 Int, 1 Float, 2 Bool).
struct UndoEntry {
    let list: Int
    let index: Int
    let kind: UInt8
    let word: Int

    var old: Value {
        switch kind {
        case 0: return .int(word)
        case 1: return .double(asDouble(word))
        default: return .bool(word != 0)
        }
    }
}

enum ContainerNodes {
    // MARK: Reads

    static func listRead(_ list: WordOperand, _ index: WordOperand, element: NumericType) -> WordCode? {
        switch element {
        case .int: return listRead(IntElement.self, list, index)
        case .float: return listRead(FloatElement.self, list, index)
        case .bool: return listRead(BoolElement.self, list, index)
        case .list: return listRead(ListElement.self, list, index)
        case .map: return listRead(MapElement.self, list, index)
        }
    }

    private static func listRead<E: ElementKind>(_: E.Type, _ list: WordOperand, _ index: WordOperand) -> WordCode {
        switch (list, index) {
        case (.word(let l), .word(let i)): return listRead(E.self, FrameWord(w: l), FrameWord(w: i))
        case (.word(let l), .constant(let i)): return listRead(E.self, FrameWord(w: l), ConstantWord(c: i))
        case (.word(let l), .code(let i)): return listRead(E.self, FrameWord(w: l), CodeWord(run: i))
        default: return listRead(E.self, CodeWord(run: list.code), CodeWord(run: index.code))
        }
    }

    private static func listRead<E: ElementKind, L: WordSource, I: WordSource>(_: E.Type, _ list: L, _ index: I) -> WordCode {
        { fp throws(Bail) in
            let i = try index.get(fp)
            guard let w = element(E.self, of: try list.get(fp), at: i) else { throw Bail() }
            return w
        }
    }

    static func mapRead(_ map: WordOperand, _ key: WordOperand, keyType: NumericType, value: NumericType) -> WordCode? {
        switch value {
        case .int: return mapRead(IntElement.self, map, key, keyType)
        case .float: return mapRead(FloatElement.self, map, key, keyType)
        case .bool: return mapRead(BoolElement.self, map, key, keyType)
        case .list: return mapRead(ListElement.self, map, key, keyType)
        case .map: return mapRead(MapElement.self, map, key, keyType)
        }
    }

    private static func mapRead<E: ElementKind>(_: E.Type, _ map: WordOperand, _ key: WordOperand, _ keyType: NumericType) -> WordCode? {
        let m = map.code, k = key.code
        // `MapKey(value)`'s normalisation: a whole Float finds the Int key.
        let toKey: (Int) -> MapKey
        switch keyType {
        case .int: toKey = { .int($0) }
        case .float: toKey = { MapKey(.double(asDouble($0)))! }
        case .bool: toKey = { .bool($0 != 0) }
        default: return nil
        }
        if keyType == .int {
            return { fp throws(Bail) in
                let key = try k(fp)
                let w = mapRef(try m(fp))._withUnsafeGuaranteedRef { m -> Int? in
                    guard let v = m.value(forInt: key) else { return nil }
                    return E.word(v)
                }
                guard let w else { throw Bail() }
                return w
            }
        }
        return { fp throws(Bail) in
            let key = toKey(try k(fp))
            let w = mapRef(try m(fp))._withUnsafeGuaranteedRef { m -> Int? in
                guard let v = m.value(for: key) else { return nil }
                return E.word(v)
            }
            guard let w else { throw Bail() }
            return w
        }
    }

    static func count(_ container: WordOperand, _ type: NumericType, isEmpty: Bool) -> WordCode? {
        let c = container.code
        switch type {
        case .list:
            return { fp throws(Bail) in
                let n = listRef(try c(fp))._withUnsafeGuaranteedRef { $0.items.count }
                return isEmpty ? (n == 0 ? 1 : 0) : n
            }
        case .map:
            return { fp throws(Bail) in
                let n = mapRef(try c(fp))._withUnsafeGuaranteedRef { $0.count }
                return isEmpty ? (n == 0 ? 1 : 0) : n
            }
        default: return nil
        }
    }

    // MARK: Stores

    /// `list[index] = value` for a scalar element: logged, then stored; bails (before storing)
    /// when the index is out of range, the old element is not a scalar, or the log is full.
    static func listStore(_ list: WordOperand, _ index: WordOperand, _ value: WordOperand, type: NumericType,
                          runtime: NumericTierRuntime) -> FlowCode? {
        switch type {
        case .int: return listStore(IntElement.self, list, index, value, runtime)
        case .float: return listStore(FloatElement.self, list, index, value, runtime)
        case .bool: return listStore(BoolElement.self, list, index, value, runtime)
        default: return nil
        }
    }

    private static func listStore<E: ScalarElement>(_: E.Type, _ list: WordOperand, _ index: WordOperand, _ value: WordOperand,
                                                    _ runtime: NumericTierRuntime) -> FlowCode {
        switch (list, index) {
        case (.word(let l), .word(let i)): return listStore(E.self, FrameWord(w: l), FrameWord(w: i), CodeWord(run: value.code), runtime)
        default: return listStore(E.self, CodeWord(run: list.code), CodeWord(run: index.code), CodeWord(run: value.code), runtime)
        }
    }

    private static func listStore<E: ScalarElement, L: WordSource, I: WordSource, V: WordSource>(
        _: E.Type, _ list: L, _ index: I, _ value: V, _ runtime: NumericTierRuntime) -> FlowCode {
        let undo = runtime.undo, limits = runtime.limits
        return { fp throws(Bail) in
            let x = try value.get(fp), i = try index.get(fp)
            let lw = try list.get(fp)
            let logged = limits[3]
            guard logged < NumericTierRuntime.undoCapacity else { limits[4] = 1; throw Bail() }
            let ok = listRef(lw)._withUnsafeGuaranteedRef { l -> Bool in
                let n = l.items.count
                let j = i < 0 ? i &+ n : i
                guard j >= 0 && j < n else { return false }
                let kind: UInt8, old: Int
                switch l.items[j] {
                case .int(let a): kind = 0; old = a
                case .double(let d): kind = 1; old = asWord(d)
                case .bool(let b): kind = 2; old = b ? 1 : 0
                default: return false
                }
                undo[logged] = UndoEntry(list: lw, index: j, kind: kind, word: old)
                l.items[j] = E.value(x)
                return true
            }
            guard ok else { throw Bail() }
            limits[3] = logged + 1
            return .next
        }
    }
}

/// A scalar element: how a word is stored back as a value.
protocol ScalarElement: ElementKind {
    static func value(_ w: Int) -> Value
}
extension IntElement: ScalarElement { @inline(__always) static func value(_ w: Int) -> Value { .int(w) } }
extension FloatElement: ScalarElement { @inline(__always) static func value(_ w: Int) -> Value { .double(asDouble(w)) } }
extension BoolElement: ScalarElement { @inline(__always) static func value(_ w: Int) -> Value { .bool(w != 0) } }

extension NumericTierRuntime {
    /// Stores one loop iteration may make before the loop gives up on the tier (the undo log
    /// holds that many: 1.5 MiB).
    static let undoCapacity = 1 << 16

    /// Starts an iteration: what is logged from here on is what a bail rolls back.
    @inline(__always) func beginIteration() { limits[3] = 0 }

    /// Rolls back this iteration's stores, newest first.
    func rollBack() {
        var n = limits[3]
        while n > 0 {
            n -= 1
            let e = undo[n]
            listRef(e.list)._withUnsafeGuaranteedRef { $0.items[e.index] = e.old }
        }
        limits[3] = 0
    }

    /// Whether an iteration filled the undo log: its loop is better left to the generic path,
    /// whose inner loops then run in the tier with small iterations.
    var undoOverflowed: Bool { limits[4] != 0 }
}
