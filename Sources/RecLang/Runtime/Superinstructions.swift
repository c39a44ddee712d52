/// Specialised evaluators ("superinstructions") for the operations inner loops are made of:
/// arithmetic and comparisons, `xs[i]`, `xs[i] = v` and `x += v`.
///
/// Each is written once, generic over where its operands come from (`Operand`: a frame slot, a
/// number literal, or any other expression's closure) and over the operator (`InlineOperator`); the
/// compiler picks the combination when it compiles a node, and Swift specialises each one, so
/// `p[f] * q[f]` reads its slots in place instead of calling a closure per operand and never
/// switches on the operator while it runs. Only Int and Float operands take the inlined path;
/// everything else (and every error: overflow, a zero divisor) goes through `Ops`, which also
/// words the messages, so results and errors are those of the general path.

/// Where an operand comes from.
protocol Operand {
    func value(_ fp: UnsafeMutablePointer<Value>) throws(Unwind) -> Value
    /// Whether `int` and `double` can look at the operand without evaluating it (no effects, no
    /// copy of the `Value`), so a node may try its Int/Float path before evaluating anything.
    static var peeks: Bool { get }
    func int(_ fp: UnsafeMutablePointer<Value>) -> Int?
    func double(_ fp: UnsafeMutablePointer<Value>) -> Double?
}

/// An uncaptured local variable, read in place.
struct SlotOperand: Operand {
    let slot: Int
    @inline(__always) func value(_ fp: UnsafeMutablePointer<Value>) throws(Unwind) -> Value { fp[slot] }
    static var peeks: Bool { true }
    @inline(__always) func int(_ fp: UnsafeMutablePointer<Value>) -> Int? {
        if case .int(let x) = fp[slot] { return x }
        return nil
    }
    @inline(__always) func double(_ fp: UnsafeMutablePointer<Value>) -> Double? {
        if case .double(let x) = fp[slot] { return x }
        return nil
    }
}

/// A number literal: its case is known when the node is compiled, so the inlined path tests
/// only the other operand.
struct IntOperand: Operand {
    let constant: Int
    @inline(__always) func value(_ fp: UnsafeMutablePointer<Value>) throws(Unwind) -> Value { .int(constant) }
    static var peeks: Bool { true }
    @inline(__always) func int(_ fp: UnsafeMutablePointer<Value>) -> Int? { constant }
    @inline(__always) func double(_ fp: UnsafeMutablePointer<Value>) -> Double? { nil }
}

struct DoubleOperand: Operand {
    let constant: Double
    @inline(__always) func value(_ fp: UnsafeMutablePointer<Value>) throws(Unwind) -> Value { .double(constant) }
    static var peeks: Bool { true }
    @inline(__always) func int(_ fp: UnsafeMutablePointer<Value>) -> Int? { nil }
    @inline(__always) func double(_ fp: UnsafeMutablePointer<Value>) -> Double? { constant }
}

/// Any other expression, through its compiled closure.
struct EvalOperand: Operand {
    let eval: Eval
    @inline(__always) func value(_ fp: UnsafeMutablePointer<Value>) throws(Unwind) -> Value { try eval(fp) }
    static var peeks: Bool { false }
    func int(_ fp: UnsafeMutablePointer<Value>) -> Int? { nil }
    func double(_ fp: UnsafeMutablePointer<Value>) -> Double? { nil }
}

/// The result of `l op r` when both operands can be looked at in place and are two Ints or two
/// Floats that the inlined path handles; nil otherwise (then the node evaluates them).
@inline(__always)
private func peeked<O: InlineOperator, L: Operand, R: Operand>(_: O.Type, _ l: L, _ r: R, _ fp: UnsafeMutablePointer<Value>) -> Value? {
    guard L.peeks && R.peeks else { return nil }
    if let x = l.int(fp), let y = r.int(fp) { return O.ints(x, y) }
    if let x = l.double(fp), let y = r.double(fp) { return O.doubles(x, y) }
    return nil
}

/// An operator with an inlined Int/Float path. `ints` and `doubles` return nil where the
/// general path must decide (overflow, a zero divisor).
protocol InlineOperator {
    static var op: BinaryOperator { get }
    static func ints(_ x: Int, _ y: Int) -> Value?
    static func doubles(_ x: Double, _ y: Double) -> Value?
    /// Whether an Int and a Float combine as two Floats (arithmetic does; comparisons and
    /// equality of mixed numbers keep the general path's exact rules).
    static var mixes: Bool { get }
}

extension InlineOperator {
    static var mixes: Bool { true }

    /// The result when both operands are numbers the inlined path handles, else nil.
    @inline(__always)
    static func fast(_ a: Value, _ b: Value) -> Value? {
        if case .int(let x) = a {
            if case .int(let y) = b { return ints(x, y) }
            if mixes, case .double(let y) = b { return doubles(Double(x), y) }
        } else if case .double(let x) = a {
            if case .double(let y) = b { return doubles(x, y) }
            if mixes, case .int(let y) = b { return doubles(x, Double(y)) }
        }
        return nil
    }
}

enum AddOperator: InlineOperator {
    static var op: BinaryOperator { .add }
    @inline(__always) static func ints(_ x: Int, _ y: Int) -> Value? {
        let (r, o) = x.addingReportingOverflow(y); return o ? nil : .int(r)
    }
    @inline(__always) static func doubles(_ x: Double, _ y: Double) -> Value? { .double(x + y) }
}

enum SubtractOperator: InlineOperator {
    static var op: BinaryOperator { .subtract }
    @inline(__always) static func ints(_ x: Int, _ y: Int) -> Value? {
        let (r, o) = x.subtractingReportingOverflow(y); return o ? nil : .int(r)
    }
    @inline(__always) static func doubles(_ x: Double, _ y: Double) -> Value? { .double(x - y) }
}

enum MultiplyOperator: InlineOperator {
    static var op: BinaryOperator { .multiply }
    @inline(__always) static func ints(_ x: Int, _ y: Int) -> Value? {
        let (r, o) = x.multipliedReportingOverflow(by: y); return o ? nil : .int(r)
    }
    @inline(__always) static func doubles(_ x: Double, _ y: Double) -> Value? { .double(x * y) }
}

enum DivideOperator: InlineOperator {
    static var op: BinaryOperator { .divide }
    @inline(__always) static func ints(_ x: Int, _ y: Int) -> Value? { doubles(Double(x), Double(y)) }
    @inline(__always) static func doubles(_ x: Double, _ y: Double) -> Value? { y == 0 ? nil : .double(x / y) }
}

enum ModuloOperator: InlineOperator {
    static var op: BinaryOperator { .modulo }
    @inline(__always) static func ints(_ x: Int, _ y: Int) -> Value? { Ops.modulo(x, y).map { .int($0) } }
    @inline(__always) static func doubles(_ x: Double, _ y: Double) -> Value? { Ops.modulo(x, y).map { .double($0) } }
}

/// A comparison: a Bool from two Ints or two Floats (IEEE: any comparison with NaN but `!=` is
/// false, as on the general path).
protocol ComparisonOperator: InlineOperator {
    static func test(_ x: Int, _ y: Int) -> Bool
    static func test(_ x: Double, _ y: Double) -> Bool
}

extension ComparisonOperator {
    static var mixes: Bool { false }
    @inline(__always) static func ints(_ x: Int, _ y: Int) -> Value? { .bool(test(x, y)) }
    @inline(__always) static func doubles(_ x: Double, _ y: Double) -> Value? { .bool(test(x, y)) }

    /// The Bool, when both operands are Ints or both Floats.
    @inline(__always)
    static func fastTest(_ a: Value, _ b: Value) -> Bool? {
        if case .int(let x) = a, case .int(let y) = b { return test(x, y) }
        if case .double(let x) = a, case .double(let y) = b { return test(x, y) }
        return nil
    }
}

enum LessOperator: ComparisonOperator {
    static var op: BinaryOperator { .less }
    @inline(__always) static func test(_ x: Int, _ y: Int) -> Bool { x < y }
    @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x < y }
}

enum LessOrEqualOperator: ComparisonOperator {
    static var op: BinaryOperator { .lessOrEqual }
    @inline(__always) static func test(_ x: Int, _ y: Int) -> Bool { x <= y }
    @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x <= y }
}

enum GreaterOperator: ComparisonOperator {
    static var op: BinaryOperator { .greater }
    @inline(__always) static func test(_ x: Int, _ y: Int) -> Bool { x > y }
    @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x > y }
}

enum GreaterOrEqualOperator: ComparisonOperator {
    static var op: BinaryOperator { .greaterOrEqual }
    @inline(__always) static func test(_ x: Int, _ y: Int) -> Bool { x >= y }
    @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x >= y }
}

enum EqualOperator: ComparisonOperator {
    static var op: BinaryOperator { .equal }
    @inline(__always) static func test(_ x: Int, _ y: Int) -> Bool { x == y }
    @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x == y }
}

enum NotEqualOperator: ComparisonOperator {
    static var op: BinaryOperator { .notEqual }
    @inline(__always) static func test(_ x: Int, _ y: Int) -> Bool { x != y }
    @inline(__always) static func test(_ x: Double, _ y: Double) -> Bool { x != y }
}

/// What the compiler knows about an operand expression.
enum OperandKind {
    case slot(Int)
    case int(Int)
    case double(Double)
    case eval(Eval)
}

/// What a specialised node compiles to. A concrete type: a closure returned as a protocol's
/// associated type would be re-abstracted, and every call would then go through thunks.
enum Compiled {
    case value(Eval)
    case condition(Condition)

    var eval: Eval {
        guard case .value(let e) = self else { preconditionFailure("a condition where a value was expected") }
        return e
    }

    var test: Condition {
        guard case .condition(let c) = self else { preconditionFailure("a value where a condition was expected") }
        return c
    }
}

/// Hands operands over as their concrete `Operand` types, so that the generic evaluator the
/// consumer builds is specialised for them. (Swift closures cannot be generic; a protocol with
/// a generic method can.)
protocol OperandPairConsumer {
    func make<L: Operand, R: Operand>(_ l: L, _ r: R) -> Compiled
}

extension OperandKind {
    static func pass<C: OperandPairConsumer>(_ left: OperandKind, _ right: OperandKind, to c: C) -> Compiled {
        switch left {
        case .slot(let a): return pass(SlotOperand(slot: a), right, to: c)
        case .int(let a): return pass(IntOperand(constant: a), right, to: c)
        case .double(let a): return pass(DoubleOperand(constant: a), right, to: c)
        case .eval(let a): return pass(EvalOperand(eval: a), right, to: c)
        }
    }

    private static func pass<C: OperandPairConsumer, L: Operand>(_ left: L, _ right: OperandKind, to c: C) -> Compiled {
        switch right {
        case .slot(let b): return c.make(left, SlotOperand(slot: b))
        case .int(let b): return c.make(left, IntOperand(constant: b))
        case .double(let b): return c.make(left, DoubleOperand(constant: b))
        case .eval(let b): return c.make(left, EvalOperand(eval: b))
        }
    }
}

/// `l op r` as a value (comparisons too: their inlined path gives a Bool).
struct BinaryNode<O: InlineOperator>: OperandPairConsumer {
    let loc: SourceLocation
    func make<L: Operand, R: Operand>(_ l: L, _ r: R) -> Compiled {
        let loc = self.loc
        return .value { fp throws(Unwind) in
            if let v = peeked(O.self, l, r, fp) { return v }
            let a = try l.value(fp), b = try r.value(fp)
            if let v = O.fast(a, b) { return v }
            return try Ops.binary(O.op, a, b, loc)
        }
    }
}

/// A comparison as the condition of an `if` or `while`: the Bool itself, no `Value` in between.
struct ComparisonCondition<O: ComparisonOperator>: OperandPairConsumer {
    let loc: SourceLocation, conditionLoc: SourceLocation, what: String
    func make<L: Operand, R: Operand>(_ l: L, _ r: R) -> Compiled {
        let loc = self.loc, conditionLoc = self.conditionLoc, what = self.what
        return .condition { fp throws(Unwind) in
            if L.peeks && R.peeks {
                if let x = l.int(fp), let y = r.int(fp) { return O.test(x, y) }
                if let x = l.double(fp), let y = r.double(fp) { return O.test(x, y) }
            }
            let a = try l.value(fp), b = try r.value(fp)
            if let t = O.fastTest(a, b) { return t }
            return try Ops.truth(try Ops.binary(O.op, a, b, loc), what, conditionLoc)
        }
    }
}

/// `object[index]`: a list element by an Int in range, a map entry that exists, else `Ops.index`.
struct IndexNode: OperandPairConsumer {
    let loc: SourceLocation
    func make<L: Operand, R: Operand>(_ object: L, _ index: R) -> Compiled {
        let loc = self.loc
        return .value { fp throws(Unwind) in
            let o = try object.value(fp), k = try index.value(fp)
            if case .list(let l) = o, case .int(let i) = k, i >= 0, i < l.items.count { return l.items[i] }
            if case .map(let m) = o, let v = m.get(k) { return v }
            return try Ops.index(o, k, loc)
        }
    }
}

/// `object[index] = value`: a list element by an Int in range, else `Ops.setIndex`. Object,
/// index, then value are evaluated, as on the general path.
struct IndexStoreNode: OperandPairConsumer {
    let value: Eval, loc: SourceLocation
    func make<L: Operand, R: Operand>(_ object: L, _ index: R) -> Compiled {
        let value = self.value, loc = self.loc
        return .value { fp throws(Unwind) in
            let o = try object.value(fp), k = try index.value(fp)
            let x = try value(fp)
            if case .list(let l) = o, case .int(let i) = k, i >= 0, i < l.items.count { l.items[i] = x; return .nil }
            try Ops.setIndex(o, k, x, loc)
            return .nil
        }
    }
}

/// `x op= value` for an uncaptured local `x`.
enum LocalUpdate {
    static func make<O: InlineOperator>(_: O.Type, slot: Int, _ value: @escaping Eval, _ loc: SourceLocation) -> Eval {
        { fp throws(Unwind) in
            let x = try value(fp)
            if let v = O.fast(fp[slot], x) { fp[slot] = v; return .nil }
            fp[slot] = try Ops.binary(O.op, fp[slot], x, loc)
            return .nil
        }
    }
}

/// A compiled condition: the Bool of an `if` or `while`.
typealias Condition = (UnsafeMutablePointer<Value>) throws(Unwind) -> Bool

extension OperandKind {
    /// The operand as a plain closure, for nodes without a specialised form.
    var eval: Eval {
        switch self {
        case .slot(let slot): return { fp throws(Unwind) in fp[slot] }
        case .int(let v): return Compiler.constant(.int(v))
        case .double(let v): return Compiler.constant(.double(v))
        case .eval(let e): return e
        }
    }
}
