/// A local variable: a numbered slot in its function's frame.
final class Variable {
    let name: String
    let mutable: Bool
    let location: SourceLocation
    let slot: Int
    /// Set when an inner function refers to it: the slot then holds a `Box` shared with closures.
    var captured = false
    init(name: String, mutable: Bool, location: SourceLocation, slot: Int) {
        self.name = name; self.mutable = mutable; self.location = location; self.slot = slot
    }
}

/// A top-level name. Globals are looked up by name once, at compile time; at run time an
/// access is a load from this object.
public final class GlobalSlot {
    public let name: String
    public internal(set) var value: Value = .nil
    public internal(set) var defined = false
    public internal(set) var mutable = false
    /// For user code: the system slot of the same name — a builtin, a prelude function, or one a
    /// Stdlib module imported later may define — which gives the name its value until the user's
    /// own declaration has run. Fixed at creation, so compiled code may hold on to it.
    let fallback: GlobalSlot?
    init(name: String, fallback: GlobalSlot? = nil) { self.name = name; self.fallback = fallback }

    /// The slot that currently gives this name a value, if any.
    @inline(__always)
    var resolved: GlobalSlot? {
        if defined { return self }
        if let f = fallback, f.defined { return f }
        return nil
    }
}

/// Where a name lives, decided before the program runs.
enum Binding {
    case unresolved
    case local(Variable)
    /// The n-th variable the running closure captured.
    case capture(Int, Variable)
    case global(GlobalSlot)
}

/// Where a closure finds a captured variable when it is created: a boxed slot of the enclosing
/// frame, or one of the enclosing closure's own captures.
enum CaptureSource {
    case local(Int)
    case capture(Int)
}

final class FunctionScope {
    let parent: FunctionScope?
    let name: String
    let isProgram: Bool
    var blocks: [[String: Variable]] = [[:]]
    /// Slot 0 is the running closure.
    var slotCount = 1
    var captures: [CaptureSource] = []
    private var captureIndex: [ObjectIdentifier: Int] = [:]
    var loopDepth = 0

    init(parent: FunctionScope?, name: String, isProgram: Bool) {
        self.parent = parent
        self.name = name
        self.isProgram = isProgram
    }

    func declare(_ name: String, mutable: Bool, at loc: SourceLocation) -> Variable {
        let v = Variable(name: name, mutable: mutable, location: loc, slot: slotCount)
        slotCount += 1
        blocks[blocks.count - 1][name] = v
        return v
    }

    func lookupLocal(_ name: String) -> Variable? {
        for block in blocks.reversed() { if let v = block[name] { return v } }
        return nil
    }

    func captureIndex(for v: Variable, source: CaptureSource) -> Int {
        if let i = captureIndex[ObjectIdentifier(v)] { return i }
        captures.append(source)
        captureIndex[ObjectIdentifier(v)] = captures.count - 1
        return captures.count - 1
    }

    /// True at the outermost block of a program, where declarations are globals.
    var atGlobalLevel: Bool { isProgram && blocks.count == 1 }
}

/// Resolves every name to a local slot, a capture or a global, and checks the rules that need
/// scopes: no assigning to `let`, no redeclaring in one block, `break` only in loops. A broken
/// rule is recorded and resolving goes on, so all of them are reported together.
struct Resolver {
    /// Finds or creates the slot for a global; `declaring` is true for a top-level let/var/fn.
    let globals: (String, _ declaring: Bool) -> GlobalSlot
    private var scope: FunctionScope
    /// Mutability of globals declared earlier in this chunk (they are not defined until it runs).
    private var chunkGlobals: [String: Bool] = [:]
    private var errors = Diagnostics()

    init(programName: String, globals: @escaping (String, Bool) -> GlobalSlot) {
        self.globals = globals
        self.scope = FunctionScope(parent: nil, name: programName, isProgram: true)
    }

    static func resolve(_ program: Program, name: String, globals: @escaping (String, Bool) -> GlobalSlot) throws(RecError) {
        var r = Resolver(programName: name, globals: globals)
        r.hoist(program.statements)
        for s in program.statements { try r.statement(s) }
        if let e = r.errors.combined() { throw e }
        program.scope = r.scope
    }

    private func error(_ message: String, _ loc: SourceLocation, kind: RecError.Kind = .syntax) -> RecError {
        RecError(kind, message, at: loc)
    }

    private mutating func report(_ message: String, _ loc: SourceLocation) {
        errors.add(error(message, loc))
    }

    // MARK: Names

    private func lookup(_ name: String, in scope: FunctionScope) -> Binding {
        if let v = scope.lookupLocal(name) { return .local(v) }
        guard let parent = scope.parent else { return .global(globals(name, false)) }
        switch lookup(name, in: parent) {
        case .local(let v):
            v.captured = true
            return .capture(scope.captureIndex(for: v, source: .local(v.slot)), v)
        case .capture(let i, let v):
            return .capture(scope.captureIndex(for: v, source: .capture(i)), v)
        case let other:
            return other
        }
    }

    private mutating func declare(_ name: String, mutable: Bool, at loc: SourceLocation) -> Binding {
        if scope.atGlobalLevel {
            chunkGlobals[name] = mutable
            return .global(globals(name, true))
        }
        if let existing = scope.blocks[scope.blocks.count - 1][name] {
            report("'\(name)' is already declared in this scope (at line \(existing.location.line))", loc)
        }
        return .local(scope.declare(name, mutable: mutable, at: loc))
    }

    /// Functions declared in a block are visible in the whole block, so local functions can call
    /// each other regardless of order.
    private mutating func hoist(_ statements: [Stmt]) {
        for s in statements {
            guard let f = s as? FnStmt else { continue }
            if !scope.atGlobalLevel, scope.blocks[scope.blocks.count - 1][f.function.name] != nil {
                report("'\(f.function.name)' is already declared in this scope", f.location)
                f.target = .local(scope.declare(f.function.name, mutable: false, at: f.location))
                continue
            }
            f.target = declare(f.function.name, mutable: false, at: f.location)
        }
    }

    private mutating func checkAssignable(_ binding: Binding, _ name: String, _ loc: SourceLocation) {
        switch binding {
        case .local(let v), .capture(_, let v):
            if !v.mutable { report("cannot assign to '\(name)': it is a 'let' constant (declare it with 'var' to change it)", loc) }
        case .global(let g):
            let mutable = chunkGlobals[name] ?? (g.defined ? g.mutable : true)
            if !mutable { report("cannot assign to '\(name)': it is a constant (declare it with 'var' to change it)", loc) }
        case .unresolved: break
        }
    }

    // MARK: Statements

    private mutating func statement(_ s: Stmt) throws(RecError) {
        switch s {
        case let s as ExprStmt:
            try expr(s.expr)
        case let s as LetStmt:
            if let e = s.initializer { try expr(e) }
            s.target = declare(s.name, mutable: s.mutable, at: s.location)
        case let s as FnStmt:
            if case .unresolved = s.target { s.target = declare(s.function.name, mutable: false, at: s.location) }
            try function(s.function)
        case let s as AssignStmt:
            try expr(s.value)
            if let id = s.target as? IdentifierExpr {
                try expr(id)
                checkAssignable(id.binding, id.name, id.location)
            } else {
                try expr(s.target)
            }
        case let s as WhileStmt:
            try expr(s.condition)
            scope.loopDepth += 1
            try block(s.body)
            scope.loopDepth -= 1
        case let s as ForStmt:
            try expr(s.iterable)
            scope.blocks.append([:])
            s.variables = s.names.map { scope.declare($0, mutable: false, at: s.location) }
            scope.loopDepth += 1
            try block(s.body)
            scope.loopDepth -= 1
            scope.blocks.removeLast()
        case let s as ReturnStmt:
            if scope.isProgram { report("'return' is only allowed inside a function", s.location) }
            if let v = s.value { try expr(v) }
        case is BreakStmt:
            if scope.loopDepth == 0 { report("'break' is only allowed inside a loop", s.location) }
        case is ContinueStmt:
            if scope.loopDepth == 0 { report("'continue' is only allowed inside a loop", s.location) }
        case is ImportStmt:
            if !scope.atGlobalLevel { report("'import' is only allowed at the top level of a file", s.location) }
        default:
            throw error("internal: unknown statement", s.location)
        }
    }

    private mutating func block(_ b: BlockExpr) throws(RecError) {
        scope.blocks.append([:])
        defer { scope.blocks.removeLast() }
        hoist(b.statements)
        for s in b.statements { try statement(s) }
    }

    private mutating func function(_ f: FunctionExpr) throws(RecError) {
        let inner = FunctionScope(parent: scope, name: f.name, isProgram: false)
        let outer = scope
        scope = inner
        defer { scope = outer }
        for i in f.parameters.indices {
            if let d = f.parameters[i].defaultValue { try expr(d) }
            f.parameters[i].variable = inner.declare(f.parameters[i].name, mutable: false, at: f.parameters[i].location)
        }
        // The body shares the parameters' block, so `let a` in the body cannot shadow parameter a.
        hoist(f.body.statements)
        for s in f.body.statements { try statement(s) }
        f.scope = inner
    }

    // MARK: Expressions

    private mutating func expr(_ e: Expr) throws(RecError) {
        switch e {
        case is LiteralExpr: break
        case let e as IdentifierExpr: e.binding = lookup(e.name, in: scope)
        case let e as InterpolationExpr:
            for p in e.parts { if case .expr(let x) = p { try expr(x) } }
        case let e as ListExpr: for x in e.elements { try expr(x) }
        case let e as MapExpr: for (k, v) in e.entries { try expr(k); try expr(v) }
        case let e as RecordExpr: for (_, v) in e.fields { try expr(v) }
        case let e as UnaryExpr: try expr(e.operand)
        case let e as BinaryExpr: try expr(e.left); try expr(e.right)
        case let e as LogicalExpr: try expr(e.left); try expr(e.right)
        case let e as RangeExpr: try expr(e.lower); try expr(e.upper)
        case let e as CallExpr:
            try expr(e.callee)
            for a in e.arguments { try expr(a.value) }
        case let e as MethodCallExpr:
            try expr(e.object)
            for a in e.arguments { try expr(a.value) }
            try expr(e.fallback)
        case let e as MemberExpr: try expr(e.object)
        case let e as IndexExpr: try expr(e.object); try expr(e.index)
        case let e as IfExpr:
            try expr(e.condition)
            try block(e.then)
            if let o = e.otherwise { try expr(o) }
        case let e as BlockExpr: try block(e)
        case let e as FunctionExpr:
            let saved = scope.loopDepth
            try function(e)
            scope.loopDepth = saved
        default:
            throw error("internal: unknown expression", e.location)
        }
    }
}
