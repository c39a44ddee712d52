import CRecSupport

/// Turns a resolved syntax tree into nested Swift closures (`Eval`). Names are already slots, so
/// nothing is looked up by string while a program runs; common Int/Float cases are inlined.
struct Compiler {
    unowned(unsafe) let interp: Interpreter
    /// Name of the function being compiled: the caller name in stack traces.
    let functionName: String

    // MARK: Programs and functions

    /// An evaluator producing a fixed value. (Built through a typed local: passing a typed-throws
    /// closure literal straight into a generic call crashes Swift 6.3's SILGen.)
    static func constant(_ v: Value) -> Eval {
        let e: Eval = { _ throws(Unwind) in v }
        return e
    }

    func program(_ p: Program) -> FunctionProto {
        let scope = p.scope!
        let body = statements(p.statements, tail: false, prologue: true)
        return FunctionProto(name: functionName, parameterNames: [], doc: nil,
                             location: SourceLocation(file: p.file, line: 1, column: 1),
                             frameSize: scope.slotCount, body: body, defaults: [], captureSources: [], boxedParameters: [])
    }

    func function(_ f: FunctionExpr) -> FunctionProto {
        let scope = f.scope!
        let inner = Compiler(interp: interp, functionName: f.name)
        let body = inner.statements(f.body.statements, tail: true, prologue: true)
        let defaults = f.parameters.map { p in p.defaultValue.map { Code(run: inner.expr($0)) } }
        let boxed = f.parameters.compactMap { p -> Int? in
            guard let v = p.variable, v.captured else { return nil }
            return v.slot
        }
        return FunctionProto(name: f.name, parameterNames: f.parameters.map(\.name), doc: f.doc, location: f.location,
                             frameSize: scope.slotCount, body: body, defaults: defaults,
                             captureSources: scope.captures, boxedParameters: boxed, syntax: f)
    }

    /// What runs when a block is entered: a fresh box for every variable of the block that a
    /// closure captures (fresh per entry, so each loop iteration has its own), then every function
    /// the block declares — so functions can be called, and call each other, before the line that
    /// declares them.
    private func blockPrologue(_ stmts: [Stmt]) -> Eval? {
        var boxed: [Int] = []
        var functions: [Code] = []
        for s in stmts {
            if let l = s as? LetStmt, case .local(let v) = l.target, v.captured { boxed.append(v.slot) }
            if let f = s as? FnStmt {
                if case .local(let v) = f.target, v.captured { boxed.append(v.slot) }
                functions.append(Code(run: declare(f.target, mutable: false, value: closureMaker(f.function))))
            }
        }
        if boxed.isEmpty && functions.isEmpty { return nil }
        return { fp throws(Unwind) in
            for slot in boxed { fp[slot] = .box(Box(.nil)) }
            for f in functions { _ = try f.run(fp) }
            return .nil
        }
    }

    func closureMaker(_ f: FunctionExpr) -> Eval {
        let proto = function(f)
        let sources = proto.captureSources
        if sources.isEmpty {
            return { _ throws(Unwind) in .closure(Closure(proto: proto, captures: [])) }
        }
        return { fp throws(Unwind) in
            var boxes: [Box] = []
            boxes.reserveCapacity(sources.count)
            for s in sources {
                switch s {
                case .local(let slot):
                    if case .box(let b) = fp[slot] { boxes.append(b) } else {
                        // Not boxed yet (cannot happen for resolved programs); box it now.
                        let b = Box(fp[slot]); fp[slot] = .box(b); boxes.append(b)
                    }
                case .capture(let i):
                    guard case .closure(let outer) = fp[0] else { preconditionFailure("capture outside a closure") }
                    boxes.append(outer.captures[i])
                }
            }
            return .closure(Closure(proto: proto, captures: boxes))
        }
    }

    // MARK: Blocks and statements

    func statements(_ stmts: [Stmt], tail: Bool, prologue: Bool) -> Eval {
        var evals: [Code] = []
        var restructured = false
        for (i, s) in stmts.enumerated() {
            // In tail position, `if c { …; return x }; rest` is `if c { …; x } else { rest }`: the
            // early return of a recursive base case then costs no unwinding.
            if tail, i < stmts.count - 1, let es = s as? ExprStmt, let ifx = es.expr as? IfExpr, ifx.otherwise == nil,
               ifx.then.statements.last is ReturnStmt {
                let cond = condition(ifx.condition, "an if condition")
                let then = block(ifx.then, tail: true)
                let rest = statements(Array(stmts[(i + 1)...]), tail: true, prologue: false)
                evals.append(Code(run: { fp throws(Unwind) in try cond(fp) ? try then(fp) : try rest(fp) }))
                restructured = true
                break
            }
            evals.append(Code(run: statement(s, tail: tail && i == stmts.count - 1)))
        }
        let producesValue = restructured || stmts.last is ExprStmt || (tail && stmts.last is ReturnStmt)
        // Every statement but an expression evaluates to nil, so only an empty block needs a
        // step of its own to produce its nil.
        if !producesValue && evals.isEmpty { evals.append(Code(run: Compiler.constant(.nil))) }
        if prologue, let entry = blockPrologue(stmts) { evals.insert(Code(run: entry), at: 0) }
        return sequence(evals)
    }

    private func sequence(_ evals: [Code]) -> Eval {
        switch evals.count {
        case 1: return evals[0].run
        case 2:
            let a = evals[0].run, b = evals[1].run
            return { fp throws(Unwind) in _ = try a(fp); return try b(fp) }
        case 3:
            let a = evals[0].run, b = evals[1].run, c = evals[2].run
            return { fp throws(Unwind) in _ = try a(fp); _ = try b(fp); return try c(fp) }
        case 4:
            // Loop bodies are often this short: unrolled, they do not iterate an array.
            let a = evals[0].run, b = evals[1].run, c = evals[2].run, d = evals[3].run
            return { fp throws(Unwind) in _ = try a(fp); _ = try b(fp); _ = try c(fp); return try d(fp) }
        case 5:
            let a = evals[0].run, b = evals[1].run, c = evals[2].run, d = evals[3].run, e = evals[4].run
            return { fp throws(Unwind) in _ = try a(fp); _ = try b(fp); _ = try c(fp); _ = try d(fp); return try e(fp) }
        default:
            let head = Array(evals.dropLast()), last = evals[evals.count - 1].run
            return { fp throws(Unwind) in
                for e in head { _ = try e.run(fp) }
                return try last(fp)
            }
        }
    }

    func block(_ b: BlockExpr, tail: Bool) -> Eval {
        statements(b.statements, tail: tail, prologue: true)
    }

    func statement(_ s: Stmt, tail: Bool) -> Eval {
        switch s {
        case let s as ExprStmt:
            if tail, let i = s.expr as? IfExpr { return ifExpr(i, tail: true) }
            return expr(s.expr)
        case let s as LetStmt:
            var value = Compiler.constant(.nil)
            if let e = s.initializer { value = expr(e) }
            return declare(s.target, mutable: s.mutable, value: value)
        case is FnStmt:
            return Compiler.constant(.nil) // defined on block entry (blockPrologue)
        case let s as AssignStmt:
            return assignment(s)
        case let s as WhileStmt:
            return whileLoop(s)
        case let s as ForStmt:
            return forLoop(s)
        case let s as ReturnStmt:
            var value = Compiler.constant(.nil)
            if let e = s.value { value = expr(e) }
            if tail { return value }
            return { fp throws(Unwind) in throw .returnValue(try value(fp)) }
        case is BreakStmt:
            return { _ throws(Unwind) in throw .breakLoop }
        case is ContinueStmt:
            return { _ throws(Unwind) in throw .continueLoop }
        case let s as ImportStmt:
            let interp = self.interp
            return { _ throws(Unwind) in
                do throws(RecError) { try interp.importModule(s.path, isModuleName: s.isModuleName, at: s.location) }
                catch { throw .error(error) }
                return .nil
            }
        default:
            preconditionFailure("unknown statement")
        }
    }

    private func declare(_ target: Binding, mutable: Bool, value: @escaping Eval) -> Eval {
        switch target {
        case .global(let g):
            return { fp throws(Unwind) in
                let v = try value(fp)
                g.value = v
                g.defined = true
                g.mutable = mutable
                return .nil
            }
        case .local(let v):
            let slot = v.slot
            if v.captured {
                // The box was made on block entry; closures created since share it.
                return { fp throws(Unwind) in
                    let x = try value(fp)
                    if case .box(let b) = fp[slot] { b.value = x } else { fp[slot] = .box(Box(x)) }
                    return .nil
                }
            }
            return { fp throws(Unwind) in fp[slot] = try value(fp); return .nil }
        case .capture, .unresolved:
            preconditionFailure("declaration resolved to a capture")
        }
    }

    // MARK: Variables

    func load(_ binding: Binding, _ name: String, _ loc: SourceLocation) -> Eval {
        switch binding {
        case .local(let v):
            let slot = v.slot
            if v.captured {
                return { fp throws(Unwind) in
                    if case .box(let b) = fp[slot] { return b.value }
                    return fp[slot]
                }
            }
            return { fp throws(Unwind) in fp[slot] }
        case .capture(let i, _):
            return { fp throws(Unwind) in
                guard case .closure(let c) = fp[0] else { preconditionFailure("capture outside a closure") }
                return c.captures[i].value
            }
        case .global(let g):
            let interp = self.interp, fallback = g.fallback
            return { _ throws(Unwind) in
                if g.defined { return g.value }
                if let f = fallback, f.defined { return f.value }
                throw interp.undefinedName(name, loc)
            }
        case .unresolved:
            preconditionFailure("unresolved name \(name)")
        }
    }

    /// Returns an evaluator that stores the value computed by `value` (combined with the old value
    /// through `op` for `+=` and friends) into the variable.
    /// `nameLoc` (the variable's own position) locates name errors; `loc` the operator's.
    func store(_ binding: Binding, _ name: String, op: BinaryOperator?, _ value: @escaping Eval, _ loc: SourceLocation,
               nameLoc: SourceLocation? = nil) -> Eval {
        let nameLoc = nameLoc ?? loc
        let combine: (Value, Value) throws(Unwind) -> Value
        if let op {
            combine = { a, b throws(Unwind) in
                if case .int(let x) = a, case .int(let y) = b {
                    switch op {
                    case .add: let (r, o) = x.addingReportingOverflow(y); if !o { return .int(r) }
                    case .subtract: let (r, o) = x.subtractingReportingOverflow(y); if !o { return .int(r) }
                    default: break
                    }
                }
                return try Ops.binary(op, a, b, loc)
            }
        } else {
            combine = { _, b throws(Unwind) in b }
        }
        let isPlain = op == nil
        switch binding {
        case .local(let v):
            let slot = v.slot
            if v.captured {
                return { fp throws(Unwind) in
                    let x = try value(fp)
                    guard case .box(let b) = fp[slot] else { preconditionFailure("unboxed captured variable") }
                    b.value = isPlain ? x : try combine(b.value, x)
                    return .nil
                }
            }
            switch op {
            case .add: return LocalUpdate.make(AddOperator.self, slot: slot, value, loc)
            case .subtract: return LocalUpdate.make(SubtractOperator.self, slot: slot, value, loc)
            case .multiply: return LocalUpdate.make(MultiplyOperator.self, slot: slot, value, loc)
            case .divide: return LocalUpdate.make(DivideOperator.self, slot: slot, value, loc)
            default: break
            }
            return { fp throws(Unwind) in
                let x = try value(fp)
                fp[slot] = isPlain ? x : try combine(fp[slot], x)
                return .nil
            }
        case .capture(let i, _):
            return { fp throws(Unwind) in
                let x = try value(fp)
                guard case .closure(let c) = fp[0] else { preconditionFailure("capture outside a closure") }
                let b = c.captures[i]
                b.value = isPlain ? x : try combine(b.value, x)
                return .nil
            }
        case .global(let g):
            let interp = self.interp
            return { fp throws(Unwind) in
                let x = try value(fp)
                guard let g = g.resolved else { throw interp.undefinedName(name, nameLoc) }
                guard g.mutable else {
                    throw Ops.fail(.name, "cannot assign to '\(name)': it is a constant (declare it with 'var' to change it)", nameLoc)
                }
                g.value = isPlain ? x : try combine(g.value, x)
                return .nil
            }
        case .unresolved:
            preconditionFailure("unresolved name \(name)")
        }
    }

    private func assignment(_ s: AssignStmt) -> Eval {
        let op = s.op
        let value = expr(s.value)
        let loc = s.location
        switch s.target {
        case let id as IdentifierExpr:
            return store(id.binding, id.name, op: op, value, loc, nameLoc: id.location)
        case let ix as IndexExpr:
            if op == nil {
                return OperandKind.pass(operand(ix.object), operand(ix.index), to: IndexStoreNode(value: value, loc: loc)).eval
            }
            let object = expr(ix.object), index = expr(ix.index)
            return { fp throws(Unwind) in
                let o = try object(fp), k = try index(fp)
                var x = try value(fp)
                if let op { x = try Ops.binary(op, try Ops.index(o, k, loc), x, loc) }
                try Ops.setIndex(o, k, x, loc)
                return .nil
            }
        case let m as MemberExpr:
            let object = expr(m.object), name = m.name
            return { fp throws(Unwind) in
                let o = try object(fp)
                var x = try value(fp)
                guard case .record(let r) = o, let i = r.names.firstIndex(of: name) else {
                    if case .record = o { throw Ops.noMember(o, name, loc) }
                    throw Ops.fail(.type, "cannot assign to member '\(name)' of \(o.aTypeName)", loc)
                }
                if let op { x = try Ops.binary(op, r.values[i], x, loc) }
                r.values[i] = x
                return .nil
            }
        default:
            preconditionFailure("invalid assignment target")
        }
    }

    // MARK: Loops

    private func whileLoop(_ s: WhileStmt) -> Eval {
        let cond = condition(s.condition, "a while condition")
        let body = block(s.body, tail: false)
        let interp = self.interp, loc = s.location
        let tier = LoopTier(condition: s.condition, body: s.body, loopVariable: nil)
        return { fp throws(Unwind) in
            if tier.state != .never && interp.numericTier && tier.runWhile(fp, interp) { return .nil }
            let loopSp = interp.sp
            while try cond(fp) {
                if rec_interrupt_pending() != 0 { throw interp.interruptedError(loc) }
                do throws(Unwind) {
                    _ = try body(fp)
                } catch {
                    switch error {
                    case .breakLoop: interp.unwind(to: loopSp); return .nil
                    case .continueLoop: interp.unwind(to: loopSp)
                    default: throw error
                    }
                }
            }
            return .nil
        }
    }

    private func bindLoopVariable(_ v: Variable) -> (UnsafeMutablePointer<Value>, Value) -> Void {
        let slot = v.slot
        if v.captured { return { fp, x in fp[slot] = .box(Box(x)) } }
        return { fp, x in fp[slot] = x }
    }

    private func forLoop(_ s: ForStmt) -> Eval {
        let iterable = expr(s.iterable)
        let body = block(s.body, tail: false)
        let interp = self.interp, loc = s.location
        let first = s.variables[0]
        let bindFirst = bindLoopVariable(first)
        let firstSlot = first.slot, firstBoxed = first.captured
        let bindSecond = s.variables.count > 1 ? bindLoopVariable(s.variables[1]) : nil
        let tier = LoopTier(condition: nil, body: s.body, loopVariable: s.variables.count == 1 ? first : nil)

        /// Runs the body once; returns false on `break`.
        @inline(__always)
        func iteration(_ fp: UnsafeMutablePointer<Value>, _ loopSp: UnsafeMutablePointer<Value>) throws(Unwind) -> Bool {
            if rec_interrupt_pending() != 0 { throw interp.interruptedError(loc) }
            do throws(Unwind) {
                _ = try body(fp)
            } catch {
                switch error {
                case .breakLoop: interp.unwind(to: loopSp); return false
                case .continueLoop: interp.unwind(to: loopSp)
                default: throw error
                }
            }
            return true
        }

        func bindPair(_ fp: UnsafeMutablePointer<Value>, _ x: Value) throws(Unwind) {
            guard let bindSecond else { bindFirst(fp, x); return }
            switch x {
            case .list(let l) where l.items.count == 2:
                bindFirst(fp, l.items[0]); bindSecond(fp, l.items[1])
            case .record(let r) where r.values.count == 2:
                bindFirst(fp, r.values[0]); bindSecond(fp, r.values[1])
            default:
                throw Ops.fail(.type, "for (a, b) needs pairs (two-element lists or records), got \(x.repr)", loc)
            }
        }

        return { fp throws(Unwind) in
            let seq = try iterable(fp)
            let loopSp = interp.sp
            switch seq {
            case .range(let r):
                guard bindSecond == nil else { throw Ops.fail(.type, "a range yields single numbers; use 'for i in …'", loc) }
                var i = r.lower
                if tier.state != .never && interp.numericTier && s.variables.count == 1 {
                    guard let resume = tier.runRange(fp, interp, lower: r.lower, upper: r.upper) else { return .nil }
                    i = resume
                }
                while i < r.upper {
                    if firstBoxed { fp[firstSlot] = .box(Box(.int(i))) } else { fp[firstSlot] = .int(i) }
                    if try !iteration(fp, loopSp) { break }
                    i += 1
                }
            case .list(let l):
                var i = 0
                while i < l.items.count {
                    try bindPair(fp, l.items[i])
                    if try !iteration(fp, loopSp) { break }
                    i += 1
                }
            case .map(let m):
                // The keys when the loop starts; each one's value when its turn comes.
                let keys = m.keys, removals = m.removals
                for (i, k) in keys.enumerated() {
                    let v: Value
                    if m.removals == removals { v = m.values[i] } else {
                        guard let x = m.get(k) else { continue } // removed while iterating
                        v = x
                    }
                    bindFirst(fp, k)
                    bindSecond?(fp, v)
                    if try !iteration(fp, loopSp) { break }
                }
            case .string(let str):
                guard bindSecond == nil else { throw Ops.fail(.type, "a string yields single characters", loc) }
                for ch in str {
                    bindFirst(fp, .string(String(ch)))
                    if try !iteration(fp, loopSp) { break }
                }
            case .native(let o):
                guard let items = o.elements() else { throw Ops.fail(.type, "cannot iterate over \(o.aTypeName)", loc) }
                for x in items {
                    try bindPair(fp, x)
                    if try !iteration(fp, loopSp) { break }
                }
            default:
                throw Ops.fail(.type, "cannot iterate over \(seq.aTypeName)", loc)
            }
            return .nil
        }
    }

    // MARK: Expressions

    /// An evaluator of a Bool condition (error for any other type).
    func condition(_ e: Expr, _ what: String) -> Condition {
        let loc = e.location
        if let b = e as? BinaryExpr, let test = nilTest(b) { return test }
        if let b = e as? BinaryExpr, b.op.isComparison {
            let l = operand(b.left), r = operand(b.right), at = b.location
            func generic() -> Condition {
                switch b.op {
                case .less: return OperandKind.pass(l, r, to: ComparisonCondition<LessOperator>(loc: at, conditionLoc: loc, what: what)).test
                case .lessOrEqual: return OperandKind.pass(l, r, to: ComparisonCondition<LessOrEqualOperator>(loc: at, conditionLoc: loc, what: what)).test
                case .greater: return OperandKind.pass(l, r, to: ComparisonCondition<GreaterOperator>(loc: at, conditionLoc: loc, what: what)).test
                case .greaterOrEqual: return OperandKind.pass(l, r, to: ComparisonCondition<GreaterOrEqualOperator>(loc: at, conditionLoc: loc, what: what)).test
                case .equal: return OperandKind.pass(l, r, to: ComparisonCondition<EqualOperator>(loc: at, conditionLoc: loc, what: what)).test
                default: return OperandKind.pass(l, r, to: ComparisonCondition<NotEqualOperator>(loc: at, conditionLoc: loc, what: what)).test
                }
            }
            // A local against an Int literal (`n < 2`, the base case of a recursion) as one closure:
            // through the generic node it took a partial-application and a reabstraction thunk.
            if case .slot(let slot) = l, case .int(let c) = r {
                let general = generic(), op = b.op
                return { fp throws(Unwind) in
                    if case .int(let x) = fp[slot] {
                        switch op {
                        case .less: return x < c
                        case .lessOrEqual: return x <= c
                        case .greater: return x > c
                        case .greaterOrEqual: return x >= c
                        case .equal: return x == c
                        default: return x != c
                        }
                    }
                    return try general(fp)
                }
            }
            return generic()
        }
        let c = expr(e)
        return { fp throws(Unwind) in try Ops.truth(try c(fp), what, loc) }
    }

    /// `x == nil` and `x != nil` (either way round): a test of the value's case. (Nil equals
    /// only nil, and equality never fails, so this is the general path's answer.)
    private func nilTest(_ b: BinaryExpr) -> Condition? {
        guard b.op == .equal || b.op == .notEqual else { return nil }
        let other: Expr
        if let lit = b.right as? LiteralExpr, lit.value.isNil { other = b.left }
        else if let lit = b.left as? LiteralExpr, lit.value.isNil { other = b.right }
        else { return nil }
        let value = expr(other), isNil = b.op == .equal
        return { fp throws(Unwind) in try value(fp).isNil == isNil }
    }

    /// How a specialised node reads an operand: a number literal or an uncaptured local in
    /// place, anything else through its closure.
    func operand(_ e: Expr) -> OperandKind {
        if let lit = e as? LiteralExpr, case .int(let v) = lit.value { return .int(v) }
        if let lit = e as? LiteralExpr, case .double(let v) = lit.value { return .double(v) }
        if let id = e as? IdentifierExpr, case .local(let v) = id.binding, !v.captured { return .slot(v.slot) }
        return .eval(expr(e))
    }

    func expr(_ e: Expr) -> Eval {
        switch e {
        case let e as LiteralExpr:
            return Compiler.constant(e.value)
        case let e as IdentifierExpr:
            return load(e.binding, e.name, e.location)
        case let e as BinaryExpr:
            return binary(e)
        case let e as CallExpr:
            return call(e)
        case let e as MethodCallExpr:
            return methodCall(e)
        case let e as IfExpr:
            return ifExpr(e, tail: false)
        case let e as UnaryExpr:
            let operand = expr(e.operand), loc = e.location
            switch e.op {
            case .negate: return { fp throws(Unwind) in try Ops.negate(try operand(fp), loc) }
            case .not: return { fp throws(Unwind) in .bool(!(try Ops.truth(try operand(fp), "the operand of 'not'", loc))) }
            }
        case let e as LogicalExpr:
            return logical(e)
        case let e as InterpolationExpr:
            let parts: [Code] = e.parts.map { p in
                switch p {
                case .text(let s): return Code(run: Compiler.constant(.string(s)))
                case .expr(let x): return Code(run: expr(x))
                }
            }
            return { fp throws(Unwind) in
                var s = ""
                for p in parts { s += try p.run(fp).str }
                return .string(s)
            }
        case let e as ListExpr:
            let elements = e.elements.map { Code(run: expr($0)) }
            return { fp throws(Unwind) in
                var items: [Value] = []
                items.reserveCapacity(elements.count)
                for el in elements { items.append(try el.run(fp)) }
                return .list(ListRef(items))
            }
        case let e as MapExpr:
            let entries = e.entries.map { (Code(run: expr($0.0)), Code(run: expr($0.1)), $0.0.location) }
            return { fp throws(Unwind) in
                let m = MapRef()
                for (k, v, loc) in entries {
                    let key = try k.run(fp)
                    if !m.set(key, try v.run(fp)) { throw Ops.fail(.type, "\(key.aTypeName) cannot be a map key", loc) }
                }
                return .map(m)
            }
        case let e as RecordExpr:
            let names = e.fields.map(\.0), values = e.fields.map { Code(run: expr($0.1)) }
            return { fp throws(Unwind) in
                var vs: [Value] = []
                vs.reserveCapacity(values.count)
                for v in values { vs.append(try v.run(fp)) }
                return .record(RecordRef(names: names, values: vs))
            }
        case let e as RangeExpr:
            let lower = expr(e.lower), upper = expr(e.upper), closed = e.closed, loc = e.location
            return { fp throws(Unwind) in
                let a = try lower(fp), b = try upper(fp)
                guard case .int(let x) = a, case .int(let y) = b else {
                    throw Ops.fail(.type, "range bounds must be Ints, got \(a.typeName) and \(b.typeName)", loc)
                }
                if closed && y == Int.max { throw Ops.overflow("...", loc) }
                return .range(RangeRef(lower: x, upper: closed ? y + 1 : y, closed: closed))
            }
        case let e as MemberExpr:
            let object = expr(e.object), name = e.name, loc = e.location
            return { fp throws(Unwind) in
                let o = try object(fp)
                if let v = Ops.member(o, name) { return v }
                throw Ops.noMember(o, name, loc)
            }
        case let e as IndexExpr:
            return OperandKind.pass(operand(e.object), operand(e.index), to: IndexNode(loc: e.location)).eval
        case let e as BlockExpr:
            return block(e, tail: false)
        case let e as FunctionExpr:
            return closureMaker(e)
        default:
            preconditionFailure("unknown expression \(type(of: e))")
        }
    }

    private func ifExpr(_ e: IfExpr, tail: Bool) -> Eval {
        let cond = condition(e.condition, "an if condition")
        let then = block(e.then, tail: tail)
        let otherwise: Eval
        if let o = e.otherwise as? BlockExpr { otherwise = block(o, tail: tail) }
        else if let o = e.otherwise as? IfExpr { otherwise = ifExpr(o, tail: tail) }
        else { otherwise = Compiler.constant(.nil) }
        return { fp throws(Unwind) in try cond(fp) ? try then(fp) : try otherwise(fp) }
    }

    private func logical(_ e: LogicalExpr) -> Eval {
        let l = expr(e.left), r = expr(e.right), loc = e.location
        switch e.op {
        case .and:
            return { fp throws(Unwind) in
                guard try Ops.truth(try l(fp), "the left side of 'and'", loc) else { return .bool(false) }
                return .bool(try Ops.truth(try r(fp), "the right side of 'and'", loc))
            }
        case .or:
            return { fp throws(Unwind) in
                if try Ops.truth(try l(fp), "the left side of 'or'", loc) { return .bool(true) }
                return .bool(try Ops.truth(try r(fp), "the right side of 'or'", loc))
            }
        case .coalesce:
            return { fp throws(Unwind) in
                let v = try l(fp)
                return v.isNil ? try r(fp) : v
            }
        }
    }

    private func binary(_ e: BinaryExpr) -> Eval {
        let loc = e.location, op = e.op
        if let test = nilTest(e) { return { fp throws(Unwind) in .bool(try test(fp)) } }
        let l = operand(e.left), r = operand(e.right)
        switch op {
        case .add: return OperandKind.pass(l, r, to: BinaryNode<AddOperator>(loc: loc)).eval
        case .subtract: return OperandKind.pass(l, r, to: BinaryNode<SubtractOperator>(loc: loc)).eval
        case .multiply: return OperandKind.pass(l, r, to: BinaryNode<MultiplyOperator>(loc: loc)).eval
        case .divide: return OperandKind.pass(l, r, to: BinaryNode<DivideOperator>(loc: loc)).eval
        case .modulo: return OperandKind.pass(l, r, to: BinaryNode<ModuloOperator>(loc: loc)).eval
        case .less: return OperandKind.pass(l, r, to: BinaryNode<LessOperator>(loc: loc)).eval
        case .lessOrEqual: return OperandKind.pass(l, r, to: BinaryNode<LessOrEqualOperator>(loc: loc)).eval
        case .greater: return OperandKind.pass(l, r, to: BinaryNode<GreaterOperator>(loc: loc)).eval
        case .greaterOrEqual: return OperandKind.pass(l, r, to: BinaryNode<GreaterOrEqualOperator>(loc: loc)).eval
        case .equal: return OperandKind.pass(l, r, to: BinaryNode<EqualOperator>(loc: loc)).eval
        case .notEqual: return OperandKind.pass(l, r, to: BinaryNode<NotEqualOperator>(loc: loc)).eval
        case .floorDivide, .power:
            let a = l.eval, b = r.eval
            return { fp throws(Unwind) in try Ops.binary(op, try a(fp), try b(fp), loc) }
        }
    }

    private func callSite(_ loc: SourceLocation, _ args: [Argument], callee: String) -> CallSite {
        CallSite(location: loc, labels: args.map(\.label), callerName: functionName, calleeText: callee)
    }

    private func call(_ e: CallExpr) -> Eval {
        let callee = expr(e.callee)
        let args = e.arguments.map { Code(run: expr($0.value)) }
        let site = callSite(e.location, e.arguments, callee: Compiler.text(of: e.callee))
        let interp = self.interp
        if site.hasLabels || args.count > 2 {
            return { fp throws(Unwind) in try interp.invoke(try callee(fp), args, fp, site) }
        }
        // Unlabelled calls with up to two arguments (most calls in loops and recursion) fill the
        // callee's frame directly.
        switch args.count {
        case 0:
            return { fp throws(Unwind) in
                let f = try callee(fp)
                if case .closure(let c) = f, c.arity == 0 {
                    let newFp = try interp.pushFrame(c.frameSize, site.location)
                    if c.needsSelf { newFp[0] = f }
                    return try interp.runFrame(c, newFp, site)
                }
                return try interp.callGeneral(f, [], site)
            }
        case 1:
            let a0 = args[0].run
            if let id = e.callee as? IdentifierExpr, case .global(let g) = id.binding {
                // The callee is a global function (the common case for recursion): read the
                // slot in place instead of through another closure.
                let name = id.name, loc = id.location
                return { fp throws(Unwind) in
                    if g.defined, case .closure(let c) = g.value, c.arity == 1 {
                        let x = try a0(fp)
                        let newFp = try interp.pushFrame(c.frameSize, site.location, callee: c.needsSelf ? g.value : .nil, x)
                        return try interp.runFrame(c, newFp, site)
                    }
                    // A prelude function called from user code is in the fallback slot.
                    if let f = g.fallback, f.defined, case .closure(let c) = f.value, c.arity == 1 {
                        let x = try a0(fp)
                        let newFp = try interp.pushFrame(c.frameSize, site.location, callee: c.needsSelf ? f.value : .nil, x)
                        return try interp.runFrame(c, newFp, site)
                    }
                    guard let r = g.resolved else { throw interp.undefinedName(name, loc) }
                    return try interp.callGeneral(r.value, [try a0(fp)], site)
                }
            }
            return { fp throws(Unwind) in
                let f = try callee(fp)
                if case .closure(let c) = f, c.arity == 1 {
                    let x = try a0(fp)
                    let newFp = try interp.pushFrame(c.frameSize, site.location, callee: c.needsSelf ? f : .nil, x)
                    return try interp.runFrame(c, newFp, site)
                }
                return try interp.callGeneral(f, [try a0(fp)], site)
            }
        default:
            let a0 = args[0].run, a1 = args[1].run
            return { fp throws(Unwind) in
                let f = try callee(fp)
                if case .closure(let c) = f, c.arity == 2 {
                    let x = try a0(fp), y = try a1(fp)
                    let newFp = try interp.pushFrame(c.frameSize, site.location, callee: c.needsSelf ? f : .nil, x, y)
                    return try interp.runFrame(c, newFp, site)
                }
                let x = try a0(fp), y = try a1(fp)
                return try interp.callGeneral(f, [x, y], site)
            }
        }
    }

    private func methodCall(_ e: MethodCallExpr) -> Eval {
        let object = expr(e.object)
        let args = e.arguments.map { Code(run: expr($0.value)) }
        let name = e.name, loc = e.location
        let fallback = load(e.fallback.binding, e.name, e.location)
        let fieldSite = callSite(loc, e.arguments, callee: name)
        let ufcsSite = CallSite(location: loc, labels: [nil] + e.arguments.map(\.label), callerName: functionName, calleeText: name)
        let interp = self.interp
        let fallbackDefined: () -> Bool
        if case .global(let g) = e.fallback.binding { fallbackDefined = { g.resolved != nil } } else { fallbackDefined = { true } }
        return { fp throws(Unwind) in
            let o = try object(fp)
            var field: Value? = nil
            switch o {
            case .record, .native, .map:
                field = Ops.member(o, name) ?? { if case .map(let m) = o { return m.get(.string(name)) }; return nil }()
                if let f = field {
                    switch f {
                    case .closure, .builtin: return try interp.invoke(f, args, fp, fieldSite)
                    default: break
                    }
                }
            default: break
            }
            guard fallbackDefined() else {
                if let f = field { throw Ops.fail(.type, "'\(name)' is not a function (it is \(f.aTypeName))", loc) }
                throw Ops.noMember(o, name, loc)
            }
            let f = try fallback(fp)
            var values: [Value] = [o]
            values.reserveCapacity(args.count + 1)
            for a in args { values.append(try a.run(fp)) }
            return try interp.callGeneral(f, values, ufcsSite)
        }
    }

    /// Short source-like text of an expression, for error messages.
    static func text(of e: Expr) -> String {
        switch e {
        case let e as IdentifierExpr: return e.name
        case let e as MemberExpr: return text(of: e.object) + "." + e.name
        case let e as LiteralExpr: return e.value.repr
        case is CallExpr, is MethodCallExpr: return "(call result)"
        case is IndexExpr: return text(of: (e as! IndexExpr).object) + "[…]"
        case let e as ListExpr:
            let t = "[" + e.elements.map(text(of:)).joined(separator: ", ") + "]"
            return t.count <= 40 ? t : "[…]"
        default: return "expression"
        }
    }
}
