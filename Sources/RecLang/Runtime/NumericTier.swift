import CRecSupport

// The numeric tier: a second way to run a function whose body only computes with Ints, Floats
// and Bools held in its own locals, and calls functions of the same kind. Such a function has no
// effect but its result, so it can be run on unboxed machine words, without `Value` enums,
// reference counts or the generic call path, and whenever one of the tier's assumptions fails —
// an Int overflows, a divisor is zero, a global changes type, the recursion gets deep, Ctrl-C
// is pressed — the call is simply started again on the generic path, which then produces the
// same result or the same error, with its position and stack trace. Nothing observable was done
// in between, so nothing is done twice. (The same idea as a JIT's type-specialised tier with
// deoptimisation, restricted to pure code so that deoptimising is a restart, not a frame
// reconstruction.)
//
// What is compiled: NumericCompiler.swift. The operators' semantics: NumericOperators.swift.

/// Thrown inside the tier when an assumption fails; the call restarts on the generic path.
struct Bail: Error {}

/// A compiled expression of the tier: its result as a machine word (an Int, a Float's bit
/// pattern, or 0/1 for a Bool) computed in the frame of words `fp` points at.
typealias WordCode = (UnsafeMutablePointer<Int>) throws(Bail) -> Int

/// How a statement of the tier ends.
enum Flow { case next, breakLoop, continueLoop, returned }
typealias FlowCode = (UnsafeMutablePointer<Int>) throws(Bail) -> Flow

/// A `FlowCode` to keep in arrays (a bare closure in an Array is re-abstracted, and every call
/// then goes through a thunk).
struct FlowStep { let run: FlowCode }

/// Where calls to a specialization go. Its body is set after the calls inside it are compiled
/// (a recursive function calls itself), and read at +0: a `var` closure loaded for a call is
/// retained and released around it, which cost as much as the rest of a call to `fib`.
final class NumericEntry {
    final class BodyBox { let run: WordCode; init(_ run: @escaping WordCode) { self.run = run } }
    /// What call sites capture: a plain pointer, so capturing and reading it costs no retain
    /// (an `unowned(unsafe)` reference to the entry itself was still retained around each call).
    let slot: UnsafeMutablePointer<Unmanaged<BodyBox>?>
    private var box: BodyBox?

    init() {
        slot = .allocate(capacity: 1)
        slot.initialize(to: nil)
    }

    deinit { slot.deallocate() }

    func set(_ run: @escaping WordCode) {
        let b = BodyBox(run)
        box = b
        slot.pointee = Unmanaged.passUnretained(b)
    }

    @inline(__always)
    static func call(_ slot: UnsafeMutablePointer<Unmanaged<BodyBox>?>, _ fp: UnsafeMutablePointer<Int>) throws(Bail) -> Int {
        guard let body = slot.pointee else { throw Bail() }
        var result = 0, failed = false
        body._withUnsafeGuaranteedRef { b in
            do throws(Bail) { result = try b.run(fp) } catch { failed = true }
        }
        if failed { throw Bail() }
        return result
    }
}

/// The static types of the tier. Functions take and return scalars; a loop may also use lists
/// and maps that exist when it starts (their elements read, a list's scalar elements assigned),
/// held in words as unretained references: the frame slot, global or container holding each
/// keeps it alive, since the tier neither creates nor drops a list or map.
indirect enum NumericType: Equatable {
    case int, float, bool
    case list(NumericType)
    case map(key: NumericType, value: NumericType)

    /// A scalar's type; nil for anything else.
    init?(_ v: Value) {
        switch v {
        case .int: self = .int
        case .double: self = .float
        case .bool: self = .bool
        default: return nil
        }
    }

    /// A value's type, containers included: a list's by its first element, a map's by its first
    /// entry (every later read checks the element it gets). Nil for an empty container, a
    /// container nested deeper than a few levels, or a value the tier does not handle.
    init?(container v: Value, depth: Int = 0) {
        if let s = NumericType(v) { self = s; return }
        guard depth < 4 else { return nil }
        switch v {
        case .list(let l):
            guard let first = l.items.first, let e = NumericType(container: first, depth: depth + 1) else { return nil }
            self = .list(e)
        case .map(let m):
            guard let k = m.keys.first, let key = NumericType(k), let first = m.values.first,
                  let value = NumericType(container: first, depth: depth + 1) else { return nil }
            self = .map(key: key, value: value)
        default: return nil
        }
    }

    var isScalar: Bool {
        switch self {
        case .int, .float, .bool: return true
        default: return false
        }
    }

    /// 0, 1, 2 for the scalars: how a signature is keyed.
    var scalarCode: Int {
        switch self {
        case .int: return 0
        case .float: return 1
        case .bool: return 2
        default: return 3
        }
    }

    /// `v` as a word of this type, or nil when `v` is not of it (for containers, only the
    /// outer kind is checked here; their elements are checked as they are read).
    @inline(__always)
    func word(_ v: Value) -> Int? {
        switch (self, v) {
        case (.int, .int(let x)): return x
        case (.float, .double(let x)): return asWord(x)
        case (.bool, .bool(let b)): return b ? 1 : 0
        case (.list, .list(let l)): return Int(bitPattern: Unmanaged.passUnretained(l).toOpaque())
        case (.map, .map(let m)): return Int(bitPattern: Unmanaged.passUnretained(m).toOpaque())
        default: return nil
        }
    }

    func value(_ w: Int) -> Value {
        switch self {
        case .int: return .int(w)
        case .float: return .double(asDouble(w))
        case .bool: return .bool(w != 0)
        case .list: return .list(Unmanaged<ListRef>.fromOpaque(UnsafeRawPointer(bitPattern: w)!).takeUnretainedValue())
        case .map: return .map(Unmanaged<MapRef>.fromOpaque(UnsafeRawPointer(bitPattern: w)!).takeUnretainedValue())
        }
    }
}

@inline(__always) func asDouble(_ w: Int) -> Double { Double(bitPattern: UInt64(UInt(bitPattern: w))) }
@inline(__always) func asWord(_ d: Double) -> Int { Int(bitPattern: UInt(d.bitPattern)) }

/// One function compiled for one combination of argument types.
///
/// Frame layout (words): 0 the result of a `return` not in tail position, 1 the call depth
/// inside the tier, then the function's slots (slot s of the generic frame is word s + 1;
/// slot 0, the closure itself, is not needed).
final class NumericSpecialization {
    /// Nil for a loop compiled on its own (NumericLoops.swift).
    unowned let proto: FunctionProto?
    let signature: [NumericType]
    let key: Int
    var returnType: NumericType = .int
    let frameWords: Int
    /// Set once compiled; a recursive call site reads it when it runs.
    var body: WordCode = { _ throws(Bail) in throw Bail() } { didSet { entry.set(body) } }
    let entry = NumericEntry()
    /// The global functions this one calls, directly or not, and what they must still be for
    /// the compiled calls to be right. Checked when the tier is entered: inside it nothing can
    /// rebind a global.
    var callees: [(GlobalSlot, FunctionProto)] = []
    /// The calls compiled into this one, while the compilation lasts.
    var directCallees: [(GlobalSlot, FunctionProto, NumericSpecialization)] = []
    var bails = 0
    /// Whether this function, or one it calls, reads a global: a loop that assigns globals
    /// keeps their new values in its frame, so it may not call such a function.
    var readsGlobals = false

    init(proto: FunctionProto, signature: [NumericType]) {
        self.proto = proto
        self.signature = signature
        key = NumericCompiler.key(signature)
        frameWords = proto.frameSize + 1
    }

    init(loopFrameWords: Int) {
        proto = nil
        signature = []
        key = 0
        frameWords = loopFrameWords
    }

    /// Whether every global this specialization calls still holds the function it was compiled against.
    func calleesUnchanged() -> Bool {
        for (g, p) in callees {
            guard let r = g.resolved, case .closure(let c) = r.value, c.proto === p else { return false }
        }
        return true
    }
}

/// The tier's stack of words and its limits, shared by every specialization of a session.
final class NumericTierRuntime {
    let base: UnsafeMutablePointer<Int>
    let end: UnsafeMutablePointer<Int>
    /// Read by every call: [0] the deepest call depth inside the tier before it bails (the
    /// generic path then reports the recursion error with its trace): the interpreter's limit
    /// less the depth already used; [1] the end of the stack; [2] the lowest native stack
    /// address a call may start at.
    /// [3] the entries in the undo log, [4] set when an iteration overflowed it
    /// (NumericContainers.swift).
    let limits: UnsafeMutablePointer<Int>
    let undo: UnsafeMutablePointer<UndoEntry>

    init(words: Int = 1 << 21) {
        // Reserved, not touched: pages are committed as frames use them.
        base = UnsafeMutablePointer<Int>.allocate(capacity: words)
        end = base + words
        limits = .allocate(capacity: 5)
        limits.initialize(repeating: 0, count: 5)
        limits[1] = Int(bitPattern: end)
        undo = .allocate(capacity: NumericTierRuntime.undoCapacity)
    }

    func enter(depthLimit: Int, nativeStackLimit: UInt) {
        limits[0] = depthLimit
        limits[2] = Int(bitPattern: nativeStackLimit)
    }

    deinit { base.deallocate(); limits.deallocate(); undo.deallocate() }
}

extension FunctionProto {
    /// Whether calls may try the numeric tier: unknown until the first call looks at the syntax.
    enum TierState { case unknown, candidate, never }
}

extension Interpreter {
    /// Runs closure `c`, whose frame `fp` holds its arguments, in the numeric tier when it can;
    /// nil when it cannot (the caller then runs the generic body). Out of line so the generic
    /// call path stays small.
    @inline(never)
    func runNumericTier(_ c: Closure, _ fp: UnsafeMutablePointer<Value>) -> Value? {
        guard numericTier else { return nil }
        let proto = c.proto
        if proto.tierState == .unknown {
            proto.tierState = NumericCompiler.mayCompile(proto) ? .candidate : .never
            if proto.tierState == .never { return nil }
        }
        let arity = proto.arity
        var key = 1
        for i in 0..<arity {
            switch fp[i + 1] {
            case .int: key = key &* 3
            case .double: key = key &* 3 &+ 1
            case .bool: key = key &* 3 &+ 2
            default: return nil
            }
        }
        let spec: NumericSpecialization
        if let s = proto.lastSpecialization, s.key == key, s.calleesUnchanged() { spec = s } else {
            guard arity <= 16, let s = numericSpecialization(proto, key, (0..<arity).map { NumericType(fp[$0 + 1])! }) else { return nil }
            proto.lastSpecialization = s
            spec = s
        }
        let rt = numericRuntime
        let frame = rt.base
        frame[1] = 0
        for i in 0..<arity {
            switch fp[i + 1] {
            case .int(let x): frame[i + 2] = x
            case .double(let x): frame[i + 2] = asWord(x)
            case .bool(let b): frame[i + 2] = b ? 1 : 0
            default: return nil
            }
        }
        rt.enter(depthLimit: maxDepth - depth, nativeStackLimit: nativeStackLimit)
        do throws(Bail) {
            let w = try spec.body(frame)
            return spec.returnType.value(w)
        } catch {
            // A function that keeps bailing (its Ints overflow, its recursion is too deep) stops
            // paying for the attempt.
            spec.bails += 1
            if spec.bails >= 3 { proto.tierState = .never }
            return nil
        }
    }

    /// The specialization of `proto` for `signature`, compiled on first use; nil when the
    /// function does not fit the tier or a function it calls was redefined since.
    private func numericSpecialization(_ proto: FunctionProto, _ key: Int, _ signature: [NumericType]) -> NumericSpecialization? {
        if let s = proto.specializations[key] {
            if s.calleesUnchanged() { return s }
            proto.specializations[key] = nil
        }
        if proto.failedSignatures.contains(key) { return nil }
        let compiled = NumericCompiler(runtime: numericRuntime).compile(proto, signature)
        guard let s = compiled else {
            proto.failedSignatures.insert(key)
            if proto.failedSignatures.count > 8 { proto.tierState = .never }
            return nil
        }
        return s
    }
}
