import CRecSupport
import Foundation
import RecCore

/// Where a call happens: shown in stack traces and argument errors.
final class CallSite {
    let location: SourceLocation
    let labels: [String?]
    let hasLabels: Bool
    /// The function containing the call (for the stack trace line of the caller); nil for a call
    /// from Swift, which has no line of its own.
    let callerName: String?
    /// How the callee was written, for "… is not a function" errors.
    let calleeText: String
    init(location: SourceLocation, labels: [String?], callerName: String?, calleeText: String) {
        self.location = location
        self.labels = labels
        self.hasLabels = labels.contains { $0 != nil }
        self.callerName = callerName
        self.calleeText = calleeText
    }
}

/// Runs Rec programs: owns the globals, the value stack that frames live on, and the output sink.
///
/// Programs are parsed, resolved (names → slots) and compiled to Swift closures, then run. Each
/// call pushes a frame of `Value` slots on one contiguous stack, so calls allocate nothing.
public final class Interpreter {
    public var sink: OutputSink
    /// How tables and other values are shown (`set_display`).
    public var display = DisplayOptions()
    public let registry: BuiltinRegistry
    /// Builtins, the prelude and Stdlib modules. User code sees these unless it declares the same
    /// name, and such a declaration shadows the name for user code only: `let count = 3` cannot
    /// break the prelude's `mean`, which keeps calling the builtin.
    var systemGlobals: [String: GlobalSlot] = [:]
    /// Names declared by user code (scripts, REPL entries, imported user files).
    var userGlobals_: [String: GlobalSlot] = [:]

    let stackBase: UnsafeMutablePointer<Value>
    var sp: UnsafeMutablePointer<Value>
    let stackEnd: UnsafeMutablePointer<Value>
    var depth = 0
    /// Nested Rec calls allowed before a recursion error.
    public var maxDepth: Int
    /// Lowest native stack address a call may start at; below it a deep recursion is stopped
    /// before it can overflow the real stack.
    var nativeStackLimit: UInt = 0
    /// The numeric tier's stack (NumericTier.swift), made on its first use.
    lazy var numericRuntime = NumericTierRuntime()
    /// Whether pure numeric functions and loops may run in the numeric tier. On by default;
    /// `REC_NUMERIC_TIER=0` turns it off (to compare, or to rule it out).
    public var numericTier = ProcessInfo.processInfo.environment["REC_NUMERIC_TIER"] != "0"
    /// Loops that started in the numeric tier (what tests check it against).
    var numericLoopRuns = 0

    /// The open workspace (`workspace(path)` or `--workspace FILE`); without one nothing is written.
    public var workspace: (any WorkspaceStore)?
    /// Differentially private releases and budgets of this session, kept when no workspace is open.
    public let privacyLedger = PrivacyLedger()
    /// How this host opens workspaces and reads database files (SQLite's `Workspace.storage` in
    /// the command); nil: the host offers none, and `workspace(path)` says so.
    public var storage: Storage?
    /// Files `temp_path()` handed out, removed with their SQLite companions when the session
    /// closes (`Session.close`).
    var temporaryPaths: [String] = []
    /// Which files programs may read and write (see `FileAccess`); hosts running untrusted text narrow it.
    public var fileAccess: FileAccess = .unrestricted

    /// Where `import name` finds modules.
    public var stdlibDirectory: String?
    var importedPaths: Set<String> = []
    var importStack: [String] = []
    let warnings = WarningLog()
    /// What Ctrl-C during a top-level `fit` does: scripts end (the default), the REPL keeps the
    /// partly trained model.
    public var fitInterruption: FitInterruption = .endProgram
    /// Numbers the progress events of long computations (`fit-1`, `fit-2`, …) in this session.
    var progressCount = 0

    public init(sink: OutputSink, registry: BuiltinRegistry = .standard(), stdlibDirectory: String? = nil,
                maxDepth: Int = 100_000, stackSlots: Int = 1 << 22) {
        self.sink = sink
        self.registry = registry
        self.stdlibDirectory = stdlibDirectory
        self.maxDepth = maxDepth
        // Reserved, not touched: the OS commits pages as frames are pushed.
        stackBase = UnsafeMutablePointer<Value>.allocate(capacity: stackSlots)
        sp = stackBase
        stackEnd = stackBase + stackSlots
        for name in registry.order {
            define(name, .builtin(Builtin(registry[name]!)))
        }
    }

    deinit {
        stackBase.deinitialize(count: sp - stackBase)
        stackBase.deallocate()
    }

    // MARK: Globals

    /// The slot a name resolves to from system code (`system`) or user code, whether the code
    /// declares the name or uses it.
    func global(_ name: String, system: Bool) -> GlobalSlot {
        if system {
            if let g = systemGlobals[name] { return g }
            let g = GlobalSlot(name: name)
            systemGlobals[name] = g
            return g
        }
        if let g = userGlobals_[name] { return g }
        // A user slot even for a use of a builtin, falling back to the system slot: a declaration
        // in a later chunk (a REPL entry) then defines this slot, and code compiled before it
        // calls the user's function, as in a script. A declaration that never ran (its value
        // failed) leaves the builtin in place.
        let g = GlobalSlot(name: name, fallback: global(name, system: true))
        userGlobals_[name] = g
        return g
    }

    /// Defines or replaces a system global (builtins, and values hosts inject).
    public func define(_ name: String, _ value: Value, mutable: Bool = false) {
        let g = global(name, system: true)
        g.value = value
        g.defined = true
        g.mutable = mutable
    }

    /// The value `name` has for user code.
    public func lookup(_ name: String) -> Value? {
        if let g = userGlobals_[name], g.defined { return g.value }
        if let g = systemGlobals[name], g.defined { return g.value }
        return nil
    }

    /// Every defined global name (builtins, prelude and user names).
    public var globalNames: [String] {
        Set(systemGlobals.values.filter(\.defined).map(\.name) + userGlobals_.values.filter(\.defined).map(\.name)).sorted()
    }

    /// Globals the user defined, in name order.
    public var userGlobals: [(name: String, value: Value, mutable: Bool)] {
        userGlobals_.values.filter(\.defined).sorted { $0.name < $1.name }.map { ($0.name, $0.value, $0.mutable) }
    }

    // MARK: Running programs

    /// Parses, resolves and compiles `file`, then runs it. Returns the value of its last
    /// statement when that is an expression, else nil.
    /// `system` marks the prelude and Stdlib modules, whose names live in the system table.
    @discardableResult
    public func run(_ file: SourceFile, programName: String = "<script>", system: Bool = false) throws(RecError) -> Value {
        warnings.enter()
        defer { for (message, loc) in warnings.leave() { sink.emit(.warning(message, loc)) } }
        let program = try Parser.parse(file)
        try Resolver.resolve(program, name: programName) { [unowned self] name, _ in self.global(name, system: system) }
        let compiled = Compiler(interp: self, functionName: programName).program(program)
        return try execute(compiled)
    }

    /// Runs a script file as the main program: it counts as imported, so a module importing it
    /// back is reported as a circular import instead of running it twice.
    @discardableResult
    public func runMain(_ file: SourceFile) throws(RecError) -> Value {
        let canonical = Interpreter.canonicalPath(file.name)
        importStack.append(canonical)
        defer { importStack.removeLast() }
        return try run(file)
    }

    /// Parses and resolves without running: the syntax check behind `rec check`-style uses and tests.
    public func check(_ file: SourceFile) throws(RecError) {
        let program = try Parser.parse(file)
        try Resolver.resolve(program, name: "<check>") { [unowned self] name, _ in self.global(name, system: false) }
    }

    func execute(_ proto: FunctionProto) throws(RecError) -> Value {
        let outermost = sp == stackBase && depth == 0
        if outermost {
            rec_interrupt_clear()
            var low: UInt = 0
            var size = 0
            if rec_current_stack_bounds(&low, &size) == 0 {
                // Keep a generous margin: one Rec call can nest a few hundred native frames
                // (expressions, builtins calling back) before the next check.
                nativeStackLimit = low + UInt(max(512 * 1024, size / 16))
            }
        }
        let savedSp = sp, savedDepth = depth
        do throws(Unwind) {
            let fp = try pushFrame(proto.frameSize, proto.location)
            let result: Value
            do throws(Unwind) {
                result = try proto.body(fp)
            } catch {
                if case .returnValue(let v) = error { result = v } else { throw error }
            }
            popFrame(fp)
            return result
        } catch {
            unwind(to: savedSp)
            depth = savedDepth
            switch error {
            case .error(let e): throw e
            case .returnValue, .breakLoop, .continueLoop:
                throw RecError(.runtime, "internal: control flow escaped the program", at: proto.location)
            }
        }
    }

    // MARK: Frames

    @inline(__always)
    func pushFrame(_ size: Int, _ loc: SourceLocation) throws(Unwind) -> UnsafeMutablePointer<Value> {
        let fp = sp
        // Compared as addresses: a difference of pointers divides by the stride.
        if fp + size > stackEnd { throw recursionError(loc) }
        var i = 0
        while i < size { (fp + i).initialize(to: .nil); i += 1 }
        sp = fp + size
        return fp
    }

    /// Pushes a frame whose first argument slots are initialised from `args` (evaluated before the
    /// push, so a failing argument leaves no half-built frame) and the rest with nil.
    @inline(__always)
    func pushFrame(_ size: Int, _ loc: SourceLocation, callee: Value, _ a0: Value) throws(Unwind) -> UnsafeMutablePointer<Value> {
        let fp = sp
        if fp + size > stackEnd { throw recursionError(loc) }
        fp.initialize(to: callee)
        (fp + 1).initialize(to: a0)
        var i = 2
        while i < size { (fp + i).initialize(to: .nil); i += 1 }
        sp = fp + size
        return fp
    }

    @inline(__always)
    func pushFrame(_ size: Int, _ loc: SourceLocation, callee: Value, _ a0: Value, _ a1: Value) throws(Unwind) -> UnsafeMutablePointer<Value> {
        let fp = sp
        if fp + size > stackEnd { throw recursionError(loc) }
        fp.initialize(to: callee)
        (fp + 1).initialize(to: a0)
        (fp + 2).initialize(to: a1)
        var i = 3
        while i < size { (fp + i).initialize(to: .nil); i += 1 }
        sp = fp + size
        return fp
    }

    /// Pops `fp` and anything an abandoned evaluation left above it.
    @inline(__always)
    func popFrame(_ fp: UnsafeMutablePointer<Value>) {
        // An element-wise loop: the bulk deinitialize goes through a generic runtime call.
        // Scalars need no destruction: testing the case in place skips the outlined destroy call.
        var p = fp
        while p < sp {
            switch p.pointee {
            case .nil, .bool, .int, .double: break
            default: p.deinitialize(count: 1)
            }
            p += 1
        }
        sp = fp
    }

    func unwind(to target: UnsafeMutablePointer<Value>) {
        if sp > target { popFrame(target) }
    }

    func recursionError(_ loc: SourceLocation) -> Unwind {
        let why = depth > maxDepth ? "the limit is \(maxDepth)" : "they exhausted the stack"
        return .error(RecError(.recursion, "recursion too deep (\(depth) nested calls; \(why)); "
                               + "check that the recursion has a base case", at: loc))
    }

    func interruptedError(_ loc: SourceLocation) -> Unwind {
        rec_interrupt_clear()
        return .error(RecError(.interrupted, "interrupted", at: loc))
    }

    // MARK: Calls

    /// Runs closure `c` in the frame `fp` already holding its arguments.
    @inline(__always)
    func runFrame(_ c: Closure, _ fp: UnsafeMutablePointer<Value>, _ site: CallSite) throws(Unwind) -> Value {
        depth += 1
        if depth > maxDepth || rec_stack_address() < nativeStackLimit { throw recursionError(site.location) }
        if rec_interrupt_pending() != 0 { throw interruptedError(site.location) }
        if c.proto.tierState != .never, let r = runNumericTier(c, fp) {
            depth -= 1
            popFrame(fp)
            return r
        }
        if c.hasBoxedParameters {
            for s in c.proto.boxedParameters {
                if case .box = fp[s] { continue } // boxed already by a default that captured it
                fp[s] = .box(Box(fp[s]))
            }
        }
        let result: Value
        do throws(Unwind) {
            result = try c.body(fp)
        } catch {
            switch error {
            case .returnValue(let v):
                result = v
            case .error(let e):
                addFrames(e, c, site)
                throw error
            default:
                throw error
            }
        }
        depth -= 1
        popFrame(fp)
        return result
    }

    /// The frames an error leaving closure `c` gets: its own (when it raised the error), then its
    /// caller's. Out of line: `runFrame` is inlined into every call.
    @inline(never)
    func addFrames(_ e: RecError, _ c: Closure, _ site: CallSite) {
        if e.trace.isEmpty { e.addFrame(c.proto.name, e.location) }
        if let caller = site.callerName { e.addFrame(caller, site.location) }
    }

    /// Calls `f` with the arguments `args` evaluated in the caller's frame `fp`.
    @inline(__always)
    func invoke(_ f: Value, _ args: [Code], _ fp: UnsafeMutablePointer<Value>, _ site: CallSite) throws(Unwind) -> Value {
        if case .closure(let c) = f, !site.hasLabels, args.count == c.arity {
            let newFp = try pushFrame(c.frameSize, site.location)
            if c.needsSelf { newFp[0] = f }
            var i = 0
            while i < args.count {
                newFp[i + 1] = try args[i].run(fp)
                i += 1
            }
            return try runFrame(c, newFp, site)
        }
        var values: [Value] = []
        values.reserveCapacity(args.count)
        for a in args { values.append(try a.run(fp)) }
        return try callGeneral(f, values, site)
    }

    /// Any call: binds labelled and defaulted arguments, calls builtins.
    func callGeneral(_ f: Value, _ values: [Value], _ site: CallSite) throws(Unwind) -> Value {
        switch f {
        case .closure(let c):
            let proto = c.proto
            let params = proto.parameterNames
            let newFp = try pushFrame(proto.frameSize, site.location)
            if proto.needsSelf { newFp[0] = f }
            var given = [Bool](repeating: false, count: params.count)
            for (i, v) in values.enumerated() {
                let label = i < site.labels.count ? site.labels[i] : nil
                let index: Int
                if let label {
                    guard let j = params.firstIndex(of: label) else {
                        var msg = "\(proto.name)() has no parameter '\(label)'"
                        if let s = Suggest.closest(label, among: params) { msg += "; did you mean '\(s)'?" }
                        throw Ops.fail(.type, msg + " (signature: \(proto.signature))", site.location)
                    }
                    index = j
                } else {
                    guard i < params.count else {
                        throw Ops.fail(.type, "\(proto.name)() takes \(params.count) argument\(params.count == 1 ? "" : "s") but \(values.count) were given (signature: \(proto.signature))", site.location)
                    }
                    index = i
                }
                if given[index] { throw Ops.fail(.type, "\(proto.name)(): argument '\(params[index])' given twice", site.location) }
                given[index] = true
                newFp[index + 1] = v
            }
            for j in 0..<params.count where !given[j] {
                guard let d = proto.defaults[j] else {
                    throw Ops.fail(.type, "\(proto.name)(): missing argument '\(params[j])' (signature: \(proto.signature))", site.location)
                }
                newFp[j + 1] = try d.run(newFp)
            }
            return try runFrame(c, newFp, site)
        case .builtin(let b):
            return try callBuiltin(b.spec, values, site)
        default:
            throw Ops.fail(.type, "'\(site.calleeText)' is not a function (it is \(f.aTypeName))", site.location)
        }
    }

    func callBuiltin(_ spec: BuiltinSpec, _ values: [Value], _ site: CallSite) throws(Unwind) -> Value {
        var bound = [Value?](repeating: nil, count: spec.params.count)
        var rest: [Value] = []
        let variadicIndex = spec.params.firstIndex { $0.isVariadic }
        for (i, v) in values.enumerated() {
            let label = i < site.labels.count ? site.labels[i] : nil
            if let label {
                guard let j = spec.params.firstIndex(where: { $0.name == label && !$0.isVariadic }) else {
                    var msg = "\(spec.name)() has no parameter '\(label)'"
                    if let s = Suggest.closest(label, among: spec.params.map(\.name)) { msg += "; did you mean '\(s)'?" }
                    throw Ops.fail(.type, msg + " (signature: \(spec.signature))", site.location)
                }
                if bound[j] != nil { throw Ops.fail(.type, "\(spec.name)(): argument '\(label)' given twice", site.location) }
                bound[j] = v
            } else if let vi = variadicIndex, i >= vi {
                rest.append(v)
            } else {
                guard i < spec.params.count else {
                    throw Ops.fail(.type, "\(spec.name)() takes at most \(spec.params.count) argument\(spec.params.count == 1 ? "" : "s") but \(values.count) were given (signature: \(spec.signature))", site.location)
                }
                bound[i] = v
            }
        }
        for (j, p) in spec.params.enumerated() where bound[j] == nil && !p.isVariadic {
            if let d = p.defaultValue { bound[j] = d }
            else if !p.isOptional {
                throw Ops.fail(.type, "\(spec.name)(): missing argument '\(p.name)' (signature: \(spec.signature))", site.location)
            }
        }
        var args = Arguments(interpreter: self, location: site.location, spec: spec, bound: bound, rest: rest)
        do {
            return try spec.impl(&args)
        } catch let e as RecError {
            // An error from a Rec function the builtin called back carries that function's
            // frames; the builtin's caller comes next. (One the builtin raised itself has none:
            // the caller's frame, added as it unwinds, points at this call.)
            if !e.trace.isEmpty, let caller = site.callerName { e.addFrame(caller, site.location) }
            throw .error(e.located(at: site.location))
        } catch {
            throw Ops.fail(.runtime, "\(spec.name)(): \(error)", site.location)
        }
    }

    /// Calls a function value from Swift (builtins that take callbacks, hosts). `loc` locates
    /// errors in the call itself (wrong arguments). The stack trace of an error inside `f` ends
    /// with `f`'s frames: the builtin that called it adds its own caller (`callBuiltin`).
    public func call(_ f: Value, _ args: [Value], named: [(String, Value)] = [], at loc: SourceLocation = .unknown) throws(RecError) -> Value {
        let site = CallSite(location: loc, labels: Array(repeating: nil, count: args.count) + named.map { $0.0 },
                            callerName: nil, calleeText: "function")
        let savedSp = sp, savedDepth = depth
        do throws(Unwind) {
            return try callGeneral(f, args + named.map { $0.1 }, site)
        } catch {
            unwind(to: savedSp)
            depth = savedDepth
            if case .error(let e) = error { throw e }
            throw RecError(.runtime, "internal: control flow escaped a callback", at: loc)
        }
    }

    // MARK: Output helpers for builtins

    public func write(_ text: String) { sink.emit(.stream(.stdout, text)) }
    /// Shows a warning, once per chunk for each text (see `WarningLog`).
    public func warn(_ message: String, at loc: SourceLocation?) {
        if warnings.admit(message, at: loc) { sink.emit(.warning(message, loc)) }
    }
}
