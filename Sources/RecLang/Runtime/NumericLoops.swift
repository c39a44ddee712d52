import CRecSupport

// A loop of the generic path — a script's top level, or a function that does not fit the
// numeric tier as a whole — run in the numeric tier when its condition and body fit: its
// variables (the enclosing frame's locals and the globals it uses) are loaded into words when it
// starts and the ones it assigns written back when it ends. A loop is not pure, so a bail cannot
// simply restart it: before each iteration the words it assigns are saved, and on a bail they
// are restored, written back, and the generic loop carries on from that same iteration, which
// then runs (or fails, with its error and position) exactly as it would have.

final class LoopTier {
    enum State { case unknown, compiled, never }
    private(set) var state: State = .unknown
    private let condition: Expr?
    private let body: BlockExpr
    private let loopVariable: Variable?

    private var spec: NumericSpecialization?
    private var test: WordCode = { _ throws(Bail) in 0 }
    private var step: FlowCode = { _ throws(Bail) in .next }
    /// The enclosing frame's locals the loop uses: where they are, their word and type.
    private var locals: [(slot: Int, word: Int, type: NumericType, assigned: Bool)] = []
    private var globals: [(slot: GlobalSlot, word: Int, type: NumericType, assigned: Bool)] = []
    /// Words saved before each iteration: the assigned variables'.
    private var saved: [Int] = []
    private var shadow: UnsafeMutablePointer<Int>?
    private var loopWord = 0
    private var failures = 0
    /// Set when the loop stores into lists: its iterations are logged for a rollback.
    private var runtime: NumericTierRuntime?

    init(condition: Expr?, body: BlockExpr, loopVariable: Variable?) {
        self.condition = condition
        self.body = body
        self.loopVariable = loopVariable
    }

    deinit { shadow?.deallocate() }

    /// Runs a `while` loop to its end in the tier; false when it did not (the generic loop then
    /// runs from where the variables are now).
    func runWhile(_ fp: UnsafeMutablePointer<Value>, _ interp: Interpreter) -> Bool {
        guard let frame = start(fp, interp) else { return false }
        do throws(Bail) {
            while true {
                save(frame)
                if try test(frame) == 0 { break }
                if rec_interrupt_pending() != 0 { throw Bail() }
                if try step(frame) == .breakLoop { break }
            }
        } catch {
            return stop(frame, fp, bailed: true)
        }
        return stop(frame, fp, bailed: false)
    }

    /// Runs `for v in lower..<upper` in the tier: nil when it ran to its end, otherwise the
    /// index the generic loop goes on from.
    func runRange(_ fp: UnsafeMutablePointer<Value>, _ interp: Interpreter, lower: Int, upper: Int) -> Int? {
        guard let frame = start(fp, interp) else { return lower }
        var i = lower
        do throws(Bail) {
            while i < upper {
                save(frame)
                if rec_interrupt_pending() != 0 { throw Bail() }
                frame[loopWord] = i
                if try step(frame) == .breakLoop { break }
                i += 1
            }
        } catch {
            _ = stop(frame, fp, bailed: true)
            return i
        }
        _ = stop(frame, fp, bailed: false)
        return nil
    }

    @inline(__always)
    private func save(_ frame: UnsafeMutablePointer<Int>) {
        runtime?.beginIteration()
        guard let shadow else { return }
        for (k, w) in saved.enumerated() { shadow[k] = frame[w] }
    }

    /// The loop's frame with its variables loaded, or nil when the loop cannot run in the tier now.
    private func start(_ fp: UnsafeMutablePointer<Value>, _ interp: Interpreter) -> UnsafeMutablePointer<Int>? {
        if state == .unknown {
            state = compile(fp, interp) ? .compiled : .never
        }
        guard state == .compiled, let spec, spec.calleesUnchanged() else { return giveUp() }
        let rt = interp.numericRuntime
        let frame = rt.base
        frame[1] = 0
        for l in locals {
            guard let w = l.type.word(fp[l.slot]) else { return giveUp() }
            frame[l.word] = w
        }
        for g in globals {
            guard let r = g.slot.resolved, let w = g.type.word(r.value) else { return giveUp() }
            if g.assigned && !(r === g.slot && g.slot.mutable) { return giveUp() }
            frame[g.word] = w
        }
        rt.enter(depthLimit: interp.maxDepth - interp.depth, nativeStackLimit: interp.nativeStackLimit)
        interp.numericLoopRuns += 1
        return frame
    }

    private func giveUp() -> UnsafeMutablePointer<Int>? {
        failures += 1
        if failures >= 3 { state = .never }
        return nil
    }

    /// Writes the assigned variables back (after a bail, as they were when the failed iteration
    /// began).
    private func stop(_ frame: UnsafeMutablePointer<Int>, _ fp: UnsafeMutablePointer<Value>, bailed: Bool) -> Bool {
        if bailed {
            if let rt = runtime {
                rt.rollBack()
                if rt.undoOverflowed { rt.limits[4] = 0; state = .never }
            }
            if let shadow { for (k, w) in saved.enumerated() { frame[w] = shadow[k] } }
            _ = giveUp()
        }
        for l in locals where l.assigned { fp[l.slot] = l.type.value(frame[l.word]) }
        for g in globals where g.assigned { g.slot.value = g.type.value(frame[g.word]) }
        return !bailed
    }

    // MARK: Compiling

    private func compile(_ fp: UnsafeMutablePointer<Value>, _ interp: Interpreter) -> Bool {
        if let v = loopVariable, v.captured { return false }
        var uses = LoopUses()
        if let condition { uses.expr(condition) }
        if let v = loopVariable { uses.declared.insert(ObjectIdentifier(v)); uses.note(v) }
        uses.block(body)
        guard uses.fits else { return false }
        var fb = FunctionBody(compiler: NumericCompiler(runtime: interp.numericRuntime),
                              spec: NumericSpecialization(loopFrameWords: 0))
        fb.isLoop = true
        var next = uses.maxSlot + 2
        for (id, v) in uses.locals where !uses.declared.contains(id) {
            guard !v.captured, let t = NumericType(container: fp[v.slot]) else { return false }
            // An assigned variable is written back when the loop ends: scalars only, so that no
            // list or map changes hands while the tier holds unretained references.
            if uses.assigned.contains(id) && !t.isScalar { return false }
            fb.types[id] = t
            locals.append((v.slot, v.slot + 1, t, uses.assigned.contains(id)))
        }
        for (id, g) in uses.globals {
            guard let r = g.resolved, let t = NumericType(container: r.value) else { return false }
            let assigned = uses.assigned.contains(id)
            if assigned {
                guard r === g, g.mutable, t.isScalar else { return false }
                fb.assignableGlobals.insert(id)
            }
            fb.types[id] = t
            fb.globalWords[id] = next
            globals.append((g, next, t, assigned))
            next += 1
        }
        let spec = NumericSpecialization(loopFrameWords: next)
        fb = FunctionBody(compiler: fb.compiler, spec: spec, copying: fb)
        do throws(NumericCompiler.Failure) {
            if let condition { test = try fb.condition(condition) }
            if let v = loopVariable {
                fb.types[ObjectIdentifier(v)] = .int
                loopWord = v.slot + 1
            }
            step = try fb.block(body)
        } catch {
            return false
        }
        fb.compiler.install()
        spec.callees = NumericCompiler.allCallees(spec)
        // The loop keeps the globals it assigns in words; a function reading globals would not see them.
        if globals.contains(where: { $0.assigned }) && spec.directCallees.contains(where: { $0.2.readsGlobals }) { return false }
        spec.directCallees = []
        saved = locals.filter(\.assigned).map(\.word) + globals.filter(\.assigned).map(\.word)
        if uses.storesIntoLists { runtime = interp.numericRuntime }
        if !saved.isEmpty {
            shadow = .allocate(capacity: saved.count)
        }
        self.spec = spec
        return true
    }
}

/// The variables a loop uses, found before it is compiled (words must be laid out first).
private struct LoopUses {
    var locals: [ObjectIdentifier: Variable] = [:]
    var globals: [ObjectIdentifier: GlobalSlot] = [:]
    var declared: Set<ObjectIdentifier> = []
    var assigned: Set<ObjectIdentifier> = []
    var maxSlot = 0
    var fits = true
    var storesIntoLists = false

    mutating func note(_ v: Variable) {
        locals[ObjectIdentifier(v)] = v
        maxSlot = max(maxSlot, v.slot)
    }

    mutating func binding(_ b: Binding) {
        switch b {
        case .local(let v): note(v)
        case .global(let g): globals[ObjectIdentifier(g)] = g
        default: fits = false
        }
    }

    mutating func block(_ b: BlockExpr) { for s in b.statements { stmt(s) } }

    mutating func stmt(_ s: Stmt) {
        switch s {
        case let s as ExprStmt: expr(s.expr)
        case let s as LetStmt:
            guard case .local(let v) = s.target else { fits = false; return }
            declared.insert(ObjectIdentifier(v)); note(v)
            if let e = s.initializer { expr(e) }
        case let s as AssignStmt:
            if let ix = s.target as? IndexExpr {
                storesIntoLists = true
                expr(ix.object); expr(ix.index); expr(s.value)
                return
            }
            guard let id = s.target as? IdentifierExpr else { fits = false; return }
            binding(id.binding)
            switch id.binding {
            case .local(let v): assigned.insert(ObjectIdentifier(v))
            case .global(let g): assigned.insert(ObjectIdentifier(g))
            default: break
            }
            expr(s.value)
        case let s as WhileStmt: expr(s.condition); block(s.body)
        case let s as ForStmt:
            for v in s.variables { declared.insert(ObjectIdentifier(v)); note(v) }
            expr(s.iterable); block(s.body)
        case let s as ReturnStmt: if let e = s.value { expr(e) }
        case is BreakStmt, is ContinueStmt: break
        default: fits = false
        }
    }

    mutating func expr(_ e: Expr) {
        switch e {
        case is LiteralExpr: break
        case let e as IdentifierExpr: binding(e.binding)
        case let e as BinaryExpr: expr(e.left); expr(e.right)
        case let e as UnaryExpr: expr(e.operand)
        case let e as LogicalExpr: expr(e.left); expr(e.right)
        case let e as RangeExpr: expr(e.lower); expr(e.upper)
        case let e as IfExpr:
            expr(e.condition); block(e.then)
            if let o = e.otherwise { expr(o) }
        case let e as BlockExpr: block(e)
        // The callee is a function, not a variable of the loop.
        case let e as CallExpr: for a in e.arguments { expr(a.value) }
        case let e as IndexExpr: expr(e.object); expr(e.index)
        case let e as MemberExpr: expr(e.object)
        default: fits = false
        }
    }
}
