/// The syntax tree. Nodes are classes so the resolver can annotate them in place (which slot a
/// name lives in, which locals closures capture) before the compiler turns them into closures.
class Node {
    let location: SourceLocation
    init(_ location: SourceLocation) { self.location = location }
}

// MARK: Expressions

class Expr: Node {}

final class LiteralExpr: Expr {
    let value: Value
    init(_ value: Value, _ loc: SourceLocation) { self.value = value; super.init(loc) }
}

final class InterpolationExpr: Expr {
    enum Part { case text(String), expr(Expr) }
    let parts: [Part]
    init(_ parts: [Part], _ loc: SourceLocation) { self.parts = parts; super.init(loc) }
}

final class IdentifierExpr: Expr {
    let name: String
    var binding: Binding = .unresolved
    init(_ name: String, _ loc: SourceLocation) { self.name = name; super.init(loc) }
}

final class ListExpr: Expr {
    let elements: [Expr]
    init(_ elements: [Expr], _ loc: SourceLocation) { self.elements = elements; super.init(loc) }
}

final class MapExpr: Expr {
    let entries: [(Expr, Expr)]
    init(_ entries: [(Expr, Expr)], _ loc: SourceLocation) { self.entries = entries; super.init(loc) }
}

/// `(name: value, other: value)` — a record literal.
final class RecordExpr: Expr {
    let fields: [(String, Expr)]
    init(_ fields: [(String, Expr)], _ loc: SourceLocation) { self.fields = fields; super.init(loc) }
}

final class UnaryExpr: Expr {
    let op: UnaryOperator
    let operand: Expr
    init(_ op: UnaryOperator, _ operand: Expr, _ loc: SourceLocation) { self.op = op; self.operand = operand; super.init(loc) }
}

final class BinaryExpr: Expr {
    let op: BinaryOperator
    let left: Expr
    let right: Expr
    init(_ op: BinaryOperator, _ left: Expr, _ right: Expr, _ loc: SourceLocation) {
        self.op = op; self.left = left; self.right = right; super.init(loc)
    }
}

/// `and` / `or` / `??`: the right side is evaluated only when needed.
final class LogicalExpr: Expr {
    let op: LogicalOperator
    let left: Expr
    let right: Expr
    init(_ op: LogicalOperator, _ left: Expr, _ right: Expr, _ loc: SourceLocation) {
        self.op = op; self.left = left; self.right = right; super.init(loc)
    }
}

final class RangeExpr: Expr {
    let lower: Expr
    let upper: Expr
    let closed: Bool
    init(_ lower: Expr, _ upper: Expr, closed: Bool, _ loc: SourceLocation) {
        self.lower = lower; self.upper = upper; self.closed = closed; super.init(loc)
    }
}

struct Argument {
    let label: String?
    let value: Expr
}

final class CallExpr: Expr {
    let callee: Expr
    let arguments: [Argument]
    init(_ callee: Expr, _ arguments: [Argument], _ loc: SourceLocation) {
        self.callee = callee; self.arguments = arguments; super.init(loc)
    }
}

/// `object.name(args)`: a field holding a function is called; otherwise the function `name` is
/// called with the object as its first argument (so `xs.map(f)` is `map(xs, f)`).
final class MethodCallExpr: Expr {
    let object: Expr
    let name: String
    let arguments: [Argument]
    var fallback: IdentifierExpr
    init(_ object: Expr, _ name: String, _ arguments: [Argument], _ loc: SourceLocation) {
        self.object = object; self.name = name; self.arguments = arguments
        self.fallback = IdentifierExpr(name, loc)
        super.init(loc)
    }
}

final class MemberExpr: Expr {
    let object: Expr
    let name: String
    init(_ object: Expr, _ name: String, _ loc: SourceLocation) { self.object = object; self.name = name; super.init(loc) }
}

final class IndexExpr: Expr {
    let object: Expr
    let index: Expr
    init(_ object: Expr, _ index: Expr, _ loc: SourceLocation) { self.object = object; self.index = index; super.init(loc) }
}

final class IfExpr: Expr {
    let condition: Expr
    let then: BlockExpr
    let otherwise: Expr?   // a BlockExpr or another IfExpr
    init(_ condition: Expr, _ then: BlockExpr, _ otherwise: Expr?, _ loc: SourceLocation) {
        self.condition = condition; self.then = then; self.otherwise = otherwise; super.init(loc)
    }
}

final class BlockExpr: Expr {
    let statements: [Stmt]
    init(_ statements: [Stmt], _ loc: SourceLocation) { self.statements = statements; super.init(loc) }
}

struct Parameter {
    let name: String
    let defaultValue: Expr?
    let location: SourceLocation
    var variable: Variable? = nil
}

/// A function literal: `fn name(a, b: 1) { … }` or a closure `{ a, b in … }`.
final class FunctionExpr: Expr {
    let name: String
    var parameters: [Parameter]
    let body: BlockExpr
    let doc: String?
    /// Filled by the resolver.
    var scope: FunctionScope? = nil
    init(name: String, parameters: [Parameter], body: BlockExpr, doc: String?, _ loc: SourceLocation) {
        self.name = name; self.parameters = parameters; self.body = body; self.doc = doc; super.init(loc)
    }
}

// MARK: Statements

class Stmt: Node {}

final class ExprStmt: Stmt {
    let expr: Expr
    init(_ expr: Expr) { self.expr = expr; super.init(expr.location) }
}

final class LetStmt: Stmt {
    let name: String
    let mutable: Bool
    let initializer: Expr?
    var target: Binding = .unresolved
    init(name: String, mutable: Bool, initializer: Expr?, _ loc: SourceLocation) {
        self.name = name; self.mutable = mutable; self.initializer = initializer; super.init(loc)
    }
}

final class FnStmt: Stmt {
    let function: FunctionExpr
    var target: Binding = .unresolved
    init(_ function: FunctionExpr) { self.function = function; super.init(function.location) }
}

/// `target op= value` where target is a name, `x[i]` or `x.name`.
final class AssignStmt: Stmt {
    let target: Expr
    /// The operator combining the old value with the new one (`+=` is `.add`); nil for `=`.
    let op: BinaryOperator?
    let value: Expr
    init(_ target: Expr, _ op: BinaryOperator?, _ value: Expr, _ loc: SourceLocation) {
        self.target = target; self.op = op; self.value = value; super.init(loc)
    }
}

final class WhileStmt: Stmt {
    let condition: Expr
    let body: BlockExpr
    init(_ condition: Expr, _ body: BlockExpr, _ loc: SourceLocation) { self.condition = condition; self.body = body; super.init(loc) }
}

final class ForStmt: Stmt {
    let names: [String]          // one name, or two for `for (k, v) in …`
    let iterable: Expr
    let body: BlockExpr
    var variables: [Variable] = []
    init(_ names: [String], _ iterable: Expr, _ body: BlockExpr, _ loc: SourceLocation) {
        self.names = names; self.iterable = iterable; self.body = body; super.init(loc)
    }
}

final class ReturnStmt: Stmt {
    let value: Expr?
    init(_ value: Expr?, _ loc: SourceLocation) { self.value = value; super.init(loc) }
}

final class BreakStmt: Stmt {}
final class ContinueStmt: Stmt {}

final class ImportStmt: Stmt {
    /// A quoted path (`import "lib/util.rec"`) or a Stdlib module name (`import stats`).
    let path: String
    let isModuleName: Bool
    init(_ path: String, isModuleName: Bool, _ loc: SourceLocation) { self.path = path; self.isModuleName = isModuleName; super.init(loc) }
}

/// A whole chunk: a script file, a REPL entry or an imported module.
final class Program {
    let statements: [Stmt]
    let file: SourceFile
    var scope: FunctionScope? = nil
    init(_ statements: [Stmt], file: SourceFile) { self.statements = statements; self.file = file }
}
