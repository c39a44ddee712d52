import CRecSupport

// Compiles a function for the numeric tier (NumericTier.swift) for one combination of argument
// types, and the functions it calls likewise. A function fits when its body only declares and
// assigns uncaptured locals, computes with Int, Float and Bool values (literals, its locals,
// globals that hold such values), branches, loops (`while`, `for` over a range written in
// place), returns, and calls global functions that fit in turn. Each local keeps one type; the
// result type is found by trying Int, then Float, then Bool. Anything else — a string, a list,
// a builtin, a closure, an assignment to a global — leaves the function on the generic path.

final class NumericCompiler {
    enum Failure: Error { case unfit, returnType }

    struct Typed {
        let type: NumericType
        let operand: WordOperand
        /// For a binary operation: the node that assigns its result to a word in one step.
        var storeInto: ((Int) -> FlowCode)? = nil
        var code: WordCode { operand.code }

        init(type: NumericType, operand: WordOperand) { self.type = type; self.operand = operand }

        init<O: WordOperator>(_ type: NumericType, _: O.Type, _ l: WordOperand, _ r: WordOperand) {
            let n = WordNodes.binary(O.self, l, r)
            self.type = type
            operand = .code(n.run)
            storeInto = n.store
        }
    }

    let runtime: NumericTierRuntime
    /// Specializations made by this compilation, in order: installed together when the first
    /// one compiles, dropped from where a failed attempt began.
    private var made: [NumericSpecialization] = []

    init(runtime: NumericTierRuntime) { self.runtime = runtime }

    /// A quick look at the syntax before any compilation: no captures, no boxed parameters.
    static func mayCompile(_ proto: FunctionProto) -> Bool {
        guard let f = proto.syntax, proto.captureSources.isEmpty, proto.boxedParameters.isEmpty else { return false }
        return f.scope?.captures.isEmpty ?? false
    }

    func compile(_ proto: FunctionProto, _ signature: [NumericType]) -> NumericSpecialization? {
        do throws(Failure) {
            let s = try specialization(proto, signature)
            install()
            return s
        } catch {
            return nil
        }
    }

    /// Makes this compilation's specializations callable: their callees flattened, whether they
    /// read globals (through any call) settled, and each kept by its prototype.
    func install() {
        for m in made { m.callees = Self.allCallees(m) }
        var changed = true
        while changed {
            changed = false
            for m in made where !m.readsGlobals && m.directCallees.contains(where: { $0.2.readsGlobals }) {
                m.readsGlobals = true
                changed = true
            }
        }
        for m in made {
            m.directCallees = []
            m.proto?.specializations[m.key] = m
        }
    }

    static func key(_ signature: [NumericType]) -> Int {
        signature.reduce(1) { $0 * 3 + $1.scalarCode }
    }

    /// Every global a specialization's calls go through, followed transitively.
    static func allCallees(_ s: NumericSpecialization) -> [(GlobalSlot, FunctionProto)] {
        var seen = Set<ObjectIdentifier>(), out: [(GlobalSlot, FunctionProto)] = []
        var stack = [s]
        var visited = Set<ObjectIdentifier>([ObjectIdentifier(s)])
        while let x = stack.popLast() {
            for (g, p, callee) in x.directCallees {
                if seen.insert(ObjectIdentifier(g)).inserted { out.append((g, p)) }
                if visited.insert(ObjectIdentifier(callee)).inserted { stack.append(callee) }
            }
        }
        return out
    }

    func specialization(_ proto: FunctionProto, _ signature: [NumericType]) throws(Failure) -> NumericSpecialization {
        let key = Self.key(signature)
        if let s = proto.specializations[key] { return s }
        if let s = made.first(where: { $0.proto === proto && $0.signature == signature }) { return s }
        guard Self.mayCompile(proto), let f = proto.syntax else { throw .unfit }
        let spec = NumericSpecialization(proto: proto, signature: signature)
        let mark = made.count
        made.append(spec)
        for t in [NumericType.int, .float, .bool] {
            spec.returnType = t
            spec.directCallees = []
            do throws(Failure) {
                var body = FunctionBody(compiler: self, spec: spec)
                for (i, p) in f.parameters.enumerated() {
                    guard let v = p.variable else { throw .unfit }
                    body.types[ObjectIdentifier(v)] = signature[i]
                }
                spec.body = try body.tailValue(f.body.statements[...]).code
                return spec
            } catch {
                made.removeSubrange((mark + 1)...)
                if error == .unfit { made.removeLast(); throw .unfit }
            }
        }
        made.removeLast()
        throw .unfit
    }
}

/// The compilation of one function body for one specialization, or of one loop.
struct FunctionBody {
    typealias Typed = NumericCompiler.Typed
    typealias Failure = NumericCompiler.Failure
    let compiler: NumericCompiler
    let spec: NumericSpecialization
    var types: [ObjectIdentifier: NumericType] = [:]
    /// For a loop: the words holding the globals it uses (their values are loaded when the
    /// loop starts and the assigned ones written back when it ends).
    var globalWords: [ObjectIdentifier: Int] = [:]
    var assignableGlobals: Set<ObjectIdentifier> = []
    /// Compiling a loop on its own: a `return` would leave the enclosing function, which the
    /// loop's runner cannot do.
    var isLoop = false

    init(compiler: NumericCompiler, spec: NumericSpecialization) {
        self.compiler = compiler
        self.spec = spec
    }

    /// The same variables, types and mode for another specialization (a loop's, once its frame size is known).
    init(compiler: NumericCompiler, spec: NumericSpecialization, copying other: FunctionBody) {
        self.init(compiler: compiler, spec: spec)
        types = other.types
        globalWords = other.globalWords
        assignableGlobals = other.assignableGlobals
        isLoop = other.isLoop
    }

    func word(_ v: Variable) -> Int { v.slot + 1 }

    // MARK: The result

    /// Statements in tail position, evaluating to the function's result: the shapes of the
    /// generic compiler's tail (`if c { …; return x }; rest` as a conditional, a final `if` with
    /// both branches, a final expression or `return`).
    mutating func tailValue(_ stmts: ArraySlice<Stmt>) throws(Failure) -> WordOperand {
        guard let lastIndex = stmts.indices.last else { throw .unfit }
        var prefix: [FlowStep] = []
        for i in stmts.indices {
            let s = stmts[i]
            if i < lastIndex, let es = s as? ExprStmt, let ifx = es.expr as? IfExpr, ifx.otherwise == nil,
               ifx.then.statements.last is ReturnStmt {
                let cond = try conditionForm(ifx.condition)
                let then = try tailValue(ifx.then.statements[...])
                let rest = try tailValue(stmts[(i + 1)...])
                return prefixed(prefix, .code(WordFusion.select(cond, then, rest)))
            }
            if i == lastIndex {
                return prefixed(prefix, try tailStatement(s))
            }
            prefix.append(FlowStep(run: try statement(s)))
        }
        throw .unfit
    }

    private mutating func tailStatement(_ s: Stmt) throws(Failure) -> WordOperand {
        if let r = s as? ReturnStmt {
            guard let e = r.value else { throw .unfit }
            return try result(e)
        }
        guard let es = s as? ExprStmt else { throw .unfit }
        if let ifx = es.expr as? IfExpr {
            guard let other = ifx.otherwise else { throw .unfit }
            let cond = try conditionForm(ifx.condition)
            let then = try tailValue(ifx.then.statements[...])
            let otherwise: WordOperand
            if let b = other as? BlockExpr { otherwise = try tailValue(b.statements[...]) }
            else { otherwise = try tailStatement(ExprStmt(other)) }
            return .code(WordFusion.select(cond, then, otherwise))
        }
        return try result(es.expr)
    }

    private mutating func result(_ e: Expr) throws(Failure) -> WordOperand {
        let t = try expr(e)
        guard t.type == spec.returnType else { throw .returnType }
        return t.operand
    }

    /// Statements before the tail: a `return` among them leaves its value in word 0; a
    /// `break` or `continue` outside a loop cannot happen in a resolved program.
    private func prefixed(_ prefix: [FlowStep], _ tail: WordOperand) -> WordOperand {
        if prefix.isEmpty { return tail }
        let run = sequence(prefix), rest = tail.code
        return .code({ fp throws(Bail) in
            switch try run(fp) {
            case .next: return try rest(fp)
            case .returned: return fp[0]
            default: throw Bail()
            }
        })
    }

    // MARK: Statements

    private func sequence(_ codes: [FlowStep]) -> FlowCode {
        switch codes.count {
        case 0: return { _ throws(Bail) in .next }
        case 1: return codes[0].run
        case 2:
            let a = codes[0].run, b = codes[1].run
            return { fp throws(Bail) in
                let f = try a(fp); if f != .next { return f }
                return try b(fp)
            }
        case 3:
            let a = codes[0].run, b = codes[1].run, c = codes[2].run
            return { fp throws(Bail) in
                var f = try a(fp); if f != .next { return f }
                f = try b(fp); if f != .next { return f }
                return try c(fp)
            }
        case 4:
            let a = codes[0].run, b = codes[1].run, c = codes[2].run, d = codes[3].run
            return { fp throws(Bail) in
                var f = try a(fp); if f != .next { return f }
                f = try b(fp); if f != .next { return f }
                f = try c(fp); if f != .next { return f }
                return try d(fp)
            }
        default:
            // Nested, not a loop over the array: a closure copied out of an array is retained
            // and released around its call.
            let a = codes[0].run, b = codes[1].run, rest = sequence(Array(codes[2...]))
            return { fp throws(Bail) in
                var f = try a(fp); if f != .next { return f }
                f = try b(fp); if f != .next { return f }
                return try rest(fp)
            }
        }
    }

    mutating func block(_ b: BlockExpr) throws(Failure) -> FlowCode {
        var codes: [FlowStep] = []
        for s in b.statements { codes.append(FlowStep(run: try statement(s))) }
        return sequence(codes)
    }

    private mutating func statement(_ s: Stmt) throws(Failure) -> FlowCode {
        switch s {
        case let s as ExprStmt:
            if let ifx = s.expr as? IfExpr { return try ifStatement(ifx) }
            let e = try expr(s.expr).code
            return { fp throws(Bail) in _ = try e(fp); return .next }
        case let s as LetStmt:
            guard case .local(let v) = s.target, !v.captured, let initial = s.initializer else { throw .unfit }
            let value = try expr(initial)
            if let known = types[ObjectIdentifier(v)], known != value.type { throw .unfit }
            types[ObjectIdentifier(v)] = value.type
            return store(word(v), value)
        case let s as AssignStmt:
            if let ix = s.target as? IndexExpr { return try indexStore(ix, s.op, s.value) }
            guard let id = s.target as? IdentifierExpr else { throw .unfit }
            let w: Int, type: NumericType
            switch id.binding {
            case .local(let v):
                guard !v.captured, let t = types[ObjectIdentifier(v)] else { throw .unfit }
                w = word(v); type = t
            case .global(let g):
                guard assignableGlobals.contains(ObjectIdentifier(g)), let gw = globalWords[ObjectIdentifier(g)],
                      let t = types[ObjectIdentifier(g)] else { throw .unfit }
                w = gw; type = t
            default:
                throw .unfit
            }
            var value = try expr(s.value)
            if let op = s.op { value = try binary(op, Typed(type: type, operand: .word(w)), value) }
            guard value.type == type else { throw .unfit }
            return store(w, value)
        case let s as WhileStmt:
            return try whileLoop(s)
        case let s as ForStmt:
            return try forLoop(s)
        case let s as ReturnStmt:
            guard !isLoop, let e = s.value else { throw .unfit }
            let value = try result(e).code
            return { fp throws(Bail) in fp[0] = try value(fp); return .returned }
        case is BreakStmt:
            return { _ throws(Bail) in .breakLoop }
        case is ContinueStmt:
            return { _ throws(Bail) in .continueLoop }
        default:
            throw .unfit
        }
    }

    private func store(_ w: Int, _ value: Typed) -> FlowCode {
        if let fused = value.storeInto { return fused(w) }
        switch value.operand {
        case .word(let from): return { fp throws(Bail) in fp[w] = fp[from]; return .next }
        case .constant(let c): return { fp throws(Bail) in fp[w] = c; return .next }
        case .floatElement(let l, let i):
            let e = ElementWord<FloatElement>(list: l, index: i)
            return { fp throws(Bail) in fp[w] = try e.get(fp); return .next }
        case .intElement(let l, let i):
            let e = ElementWord<IntElement>(list: l, index: i)
            return { fp throws(Bail) in fp[w] = try e.get(fp); return .next }
        case .code(let c): return { fp throws(Bail) in fp[w] = try c(fp); return .next }
        }
    }

    private mutating func ifStatement(_ e: IfExpr) throws(Failure) -> FlowCode {
        let cond = try condition(e.condition)
        let then = try block(e.then)
        let otherwise: FlowCode
        switch e.otherwise {
        case nil: otherwise = { _ throws(Bail) in .next }
        case let b as BlockExpr: otherwise = try block(b)
        case let i as IfExpr: otherwise = try ifStatement(i)
        default: throw .unfit
        }
        return { fp throws(Bail) in try cond(fp) != 0 ? try then(fp) : try otherwise(fp) }
    }

    private mutating func whileLoop(_ s: WhileStmt) throws(Failure) -> FlowCode {
        let cond = try condition(s.condition)
        let body = try block(s.body)
        return { fp throws(Bail) in
            while try cond(fp) != 0 {
                if rec_interrupt_pending() != 0 { throw Bail() }
                switch try body(fp) {
                case .breakLoop: return .next
                case .returned: return .returned
                default: break
                }
            }
            return .next
        }
    }

    private mutating func forLoop(_ s: ForStmt) throws(Failure) -> FlowCode {
        guard s.variables.count == 1, !s.variables[0].captured, let r = s.iterable as? RangeExpr else { throw .unfit }
        let lower = try expr(r.lower), upper = try expr(r.upper)
        guard lower.type == .int, upper.type == .int else { throw .unfit }
        let v = s.variables[0]
        if let known = types[ObjectIdentifier(v)], known != .int { throw .unfit }
        types[ObjectIdentifier(v)] = .int
        let w = word(v), closed = r.closed
        let lo = lower.code, hi = upper.code
        let body = try block(s.body)
        return { fp throws(Bail) in
            let a = try lo(fp), b = try hi(fp)
            if closed && b == Int.max { throw Bail() }
            var i = a
            let end = closed ? b + 1 : b
            while i < end {
                if rec_interrupt_pending() != 0 { throw Bail() }
                fp[w] = i
                switch try body(fp) {
                case .breakLoop: return .next
                case .returned: return .returned
                default: break
                }
                i += 1
            }
            return .next
        }
    }

    // MARK: Expressions

    /// A condition, fused with its branch when it compares an Int local with an Int constant.
    private mutating func conditionForm(_ e: Expr) throws(Failure) -> NumericCondition {
        if let b = e as? BinaryExpr, b.op.isComparison, let l = b.left as? IdentifierExpr, case .local(let v) = l.binding,
           !v.captured, types[ObjectIdentifier(v)] == .int, let r = b.right as? LiteralExpr, case .int(let c) = r.value {
            return .compare(b.op, word: word(v), constant: c)
        }
        return .code(try condition(e))
    }

    mutating func condition(_ e: Expr) throws(Failure) -> WordCode {
        let c = try expr(e)
        guard c.type == .bool else { throw .unfit }
        return c.code
    }

    private mutating func expr(_ e: Expr) throws(Failure) -> Typed {
        switch e {
        case let e as LiteralExpr:
            switch e.value {
            case .int(let x): return Typed(type: .int, operand: .constant(x))
            case .double(let x): return Typed(type: .float, operand: .constant(asWord(x)))
            case .bool(let b): return Typed(type: .bool, operand: .constant(b ? 1 : 0))
            default: throw .unfit
            }
        case let e as IdentifierExpr:
            switch e.binding {
            case .local(let v):
                guard !v.captured, let t = types[ObjectIdentifier(v)] else { throw .unfit }
                return Typed(type: t, operand: .word(word(v)))
            case .global(let g):
                if let w = globalWords[ObjectIdentifier(g)] {
                    guard let t = types[ObjectIdentifier(g)] else { throw .unfit }
                    return Typed(type: t, operand: .word(w))
                }
                // A global's value cannot change while the tier runs, but may between calls:
                // each read checks its type.
                spec.readsGlobals = true
                guard let r = g.resolved, let t = NumericType(r.value) else { throw .unfit }
                return Typed(type: t, operand: .code({ _ throws(Bail) in
                    guard let r = g.resolved, let w = t.word(r.value) else { throw Bail() }
                    return w
                }))
            default:
                throw .unfit
            }
        case let e as BinaryExpr:
            return try binary(e.op, try expr(e.left), try expr(e.right))
        case let e as UnaryExpr:
            let x = try expr(e.operand)
            switch (e.op, x.type) {
            case (.negate, .int):
                let c = x.code
                return Typed(type: .int, operand: .code({ fp throws(Bail) in
                    let v = try c(fp); if v == Int.min { throw Bail() }; return -v
                }))
            case (.negate, .float):
                let c = x.code
                return Typed(type: .float, operand: .code({ fp throws(Bail) in asWord(-asDouble(try c(fp))) }))
            case (.not, .bool):
                let c = x.code
                return Typed(type: .bool, operand: .code({ fp throws(Bail) in 1 - (try c(fp)) }))
            default:
                throw .unfit
            }
        case let e as LogicalExpr:
            let l = try expr(e.left), r = try expr(e.right)
            guard l.type == .bool, r.type == .bool else { throw .unfit }
            let a = l.code, b = r.code
            switch e.op {
            case .and: return Typed(type: .bool, operand: .code({ fp throws(Bail) in try a(fp) != 0 ? try b(fp) : 0 }))
            case .or: return Typed(type: .bool, operand: .code({ fp throws(Bail) in try a(fp) != 0 ? 1 : try b(fp) }))
            case .coalesce: throw .unfit
            }
        case let e as IfExpr:
            guard let other = e.otherwise else { throw .unfit }
            let cond = try condition(e.condition)
            let then = try blockValue(e.then)
            let otherwise: Typed
            if let b = other as? BlockExpr { otherwise = try blockValue(b) } else { otherwise = try expr(other) }
            guard then.type == otherwise.type else { throw .unfit }
            let t = then.code, o = otherwise.code
            return Typed(type: then.type, operand: .code({ fp throws(Bail) in try cond(fp) != 0 ? try t(fp) : try o(fp) }))
        case let e as CallExpr:
            return try call(e)
        case let e as IndexExpr:
            let o = try expr(e.object), k = try expr(e.index)
            switch o.type {
            case .list(let element):
                guard k.type == .int else { throw .unfit }
                if case .word(let l) = o.operand, case .word(let i) = k.operand {
                    if element == .float { return Typed(type: element, operand: .floatElement(list: l, index: i)) }
                    if element == .int { return Typed(type: element, operand: .intElement(list: l, index: i)) }
                }
                guard let read = ContainerNodes.listRead(o.operand, k.operand, element: element) else { throw .unfit }
                return Typed(type: element, operand: .code(read))
            case .map(_, let value):
                // Any scalar key: it is normalised as `MapKey` does, whatever the map's first key was.
                guard k.type.isScalar, let read = ContainerNodes.mapRead(o.operand, k.operand, keyType: k.type, value: value) else { throw .unfit }
                return Typed(type: value, operand: .code(read))
            default:
                throw .unfit
            }
        case let e as MemberExpr:
            let o = try expr(e.object)
            guard e.name == "count" || e.name == "isEmpty",
                  let read = ContainerNodes.count(o.operand, o.type, isEmpty: e.name == "isEmpty") else { throw .unfit }
            return Typed(type: e.name == "count" ? .int : .bool, operand: .code(read))
        default:
            throw .unfit
        }
    }

    /// `xs[i] = v` or `xs[i] op= v` on a list of scalars, in a loop only (a function stays pure).
    private mutating func indexStore(_ ix: IndexExpr, _ op: BinaryOperator?, _ valueExpr: Expr) throws(Failure) -> FlowCode {
        guard isLoop else { throw .unfit }
        let o = try expr(ix.object), k = try expr(ix.index)
        guard case .list(let element) = o.type, element.isScalar, k.type == .int else { throw .unfit }
        var value = try expr(valueExpr)
        if let op {
            guard let read = ContainerNodes.listRead(o.operand, k.operand, element: element) else { throw .unfit }
            value = try binary(op, Typed(type: element, operand: .code(read)), value)
        }
        // A store of another type would change the element's type under later reads.
        guard value.type == element,
              let store = ContainerNodes.listStore(o.operand, k.operand, value.operand, type: element, runtime: compiler.runtime) else { throw .unfit }
        return store
    }

    /// A block used as a value: statements, then an expression. A `return`, `break` or
    /// `continue` leaving it bails (the generic path handles such a block).
    private mutating func blockValue(_ b: BlockExpr) throws(Failure) -> Typed {
        guard let last = b.statements.last as? ExprStmt else { throw .unfit }
        var codes: [FlowStep] = []
        for s in b.statements.dropLast() { codes.append(FlowStep(run: try statement(s))) }
        let value = try expr(last.expr)
        if codes.isEmpty { return value }
        let run = sequence(codes), v = value.code
        return Typed(type: value.type, operand: .code({ fp throws(Bail) in
            guard try run(fp) == .next else { throw Bail() }
            return try v(fp)
        }))
    }

    private func binary(_ op: BinaryOperator, _ l: Typed, _ r: Typed) throws(Failure) -> Typed {
        switch (l.type, r.type) {
        case (.int, .int):
            switch op {
            case .add: return Typed(.int, IntAdd.self, l.operand, r.operand)
            case .subtract: return Typed(.int, IntSubtract.self, l.operand, r.operand)
            case .multiply: return Typed(.int, IntMultiply.self, l.operand, r.operand)
            case .divide: return Typed(.float, IntDivide.self, l.operand, r.operand)
            case .floorDivide: return Typed(.int, IntFloorDivide.self, l.operand, r.operand)
            case .modulo: return Typed(.int, IntModulo.self, l.operand, r.operand)
            case .less: return Typed(.bool, IntLess.self, l.operand, r.operand)
            case .lessOrEqual: return Typed(.bool, IntLessOrEqual.self, l.operand, r.operand)
            case .greater: return Typed(.bool, IntGreater.self, l.operand, r.operand)
            case .greaterOrEqual: return Typed(.bool, IntGreaterOrEqual.self, l.operand, r.operand)
            case .equal: return Typed(.bool, WordEqual.self, l.operand, r.operand)
            case .notEqual: return Typed(.bool, WordNotEqual.self, l.operand, r.operand)
            case .power: throw .unfit // an Int or a Float depending on the exponent's sign
            }
        case (.bool, .bool):
            switch op {
            case .equal: return Typed(.bool, WordEqual.self, l.operand, r.operand)
            case .notEqual: return Typed(.bool, WordNotEqual.self, l.operand, r.operand)
            default: throw .unfit
            }
        case (.int, .float), (.float, .int), (.float, .float):
            let a = asFloat(l), b = asFloat(r)
            switch op {
            case .add: return Typed(.float, FloatAdd.self, a, b)
            case .subtract: return Typed(.float, FloatSubtract.self, a, b)
            case .multiply: return Typed(.float, FloatMultiply.self, a, b)
            case .divide: return Typed(.float, FloatDivide.self, a, b)
            case .floorDivide: return Typed(.float, FloatFloorDivide.self, a, b)
            case .modulo: return Typed(.float, FloatModulo.self, a, b)
            case .power: return Typed(.float, FloatPower.self, a, b)
            case .less: return Typed(.bool, FloatLess.self, a, b)
            case .lessOrEqual: return Typed(.bool, FloatLessOrEqual.self, a, b)
            case .greater: return Typed(.bool, FloatGreater.self, a, b)
            case .greaterOrEqual: return Typed(.bool, FloatGreaterOrEqual.self, a, b)
            case .equal: return Typed(.bool, FloatEqual.self, a, b)
            case .notEqual: return Typed(.bool, FloatNotEqual.self, a, b)
            }
        default:
            throw .unfit
        }
    }

    /// An operand as a Float: an Int converted as `Ops` converts it.
    private func asFloat(_ t: Typed) -> WordOperand {
        guard t.type == .int else { return t.operand }
        switch t.operand {
        case .constant(let c): return .constant(asWord(Double(c)))
        case .word(let w): return .code({ fp throws(Bail) in asWord(Double(fp[w])) })
        case .code, .floatElement, .intElement: let c = t.code; return .code({ fp throws(Bail) in asWord(Double(try c(fp))) })
        }
    }

    // MARK: Calls

    /// `n + c` or `n - c` for an Int local `n` and an Int literal `c`: the word and what to add.
    private func offset(_ e: Expr) -> (Int, Int)? {
        guard let b = e as? BinaryExpr, b.op == .add || b.op == .subtract, let l = b.left as? IdentifierExpr,
              case .local(let v) = l.binding, !v.captured, types[ObjectIdentifier(v)] == .int,
              let r = b.right as? LiteralExpr, case .int(let c) = r.value, c != Int.min else { return nil }
        return (word(v), b.op == .add ? c : -c)
    }

    /// `f(a, b)` where `f` is a global function that fits the tier for the arguments' types.
    /// The callee's frame starts right after the caller's, so a call writes its arguments in
    /// place; the depth it is at lives in word 1.
    private mutating func call(_ e: CallExpr) throws(Failure) -> Typed {
        guard let id = e.callee as? IdentifierExpr, case .global(let g) = id.binding,
              e.arguments.allSatisfy({ $0.label == nil }),
              let r = g.resolved, case .closure(let c) = r.value, c.arity == e.arguments.count else { throw .unfit }
        var args: [Typed] = []
        for a in e.arguments { args.append(try expr(a.value)) }
        let target = try compiler.specialization(c.proto, args.map(\.type))
        spec.directCallees.append((g, c.proto, target))
        if target.readsGlobals { spec.readsGlobals = true }
        // The callee's prototype, which `callees` keeps, keeps its specialization and entry.
        let callee = target.entry.slot
        let site = NumericCallSite(callerWords: spec.frameWords, calleeWords: target.frameWords,
                                   limits: compiler.runtime.limits, callee: callee)
        let run: WordCode
        switch args.count {
        case 0:
            run = { fp throws(Bail) in
                let n = try site.enter(fp)
                return try NumericEntry.call(site.callee, n)
            }
        case 1:
            if let (w, c) = offset(e.arguments[0].value) { run = WordFusion.call(OffsetWord(w: w, c: c), site) }
            else if case .word(let w) = args[0].operand { run = WordFusion.call(FrameWord(w: w), site) }
            else { run = WordFusion.call(CodeWord(run: args[0].code), site) }
        case 2:
            let a = args[0].code, b = args[1].code
            run = { fp throws(Bail) in
                let x = try a(fp), y = try b(fp)
                let n = try site.enter(fp)
                n[2] = x; n[3] = y
                return try NumericEntry.call(site.callee, n)
            }
        case 3:
            let a = args[0].code, b = args[1].code, c = args[2].code
            run = { fp throws(Bail) in
                let x = try a(fp), y = try b(fp), z = try c(fp)
                let n = try site.enter(fp)
                n[2] = x; n[3] = y; n[4] = z
                return try NumericEntry.call(site.callee, n)
            }
        case 4:
            let a = args[0].code, b = args[1].code, c = args[2].code, d = args[3].code
            run = { fp throws(Bail) in
                let x = try a(fp), y = try b(fp), z = try c(fp), w = try d(fp)
                let n = try site.enter(fp)
                n[2] = x; n[3] = y; n[4] = z; n[5] = w
                return try NumericEntry.call(site.callee, n)
            }
        default:
            throw .unfit
        }
        return Typed(type: target.returnType, operand: .code(run))
    }
}
