import Foundation

// The numeric tier's operators on machine words, each the exact counterpart of `Ops` for its
// operand types: where `Ops` raises an error (overflow, a zero divisor) the tier bails, and the
// generic path raises that error when the call is restarted. Written once, generic over where
// the operands come from (a frame word, a constant, another node), as the generic tier's
// superinstructions are.

/// Where an operand of a tier node comes from.
enum WordOperand {
    case word(Int)
    case constant(Int)
    case code(WordCode)
    /// `xs[i]` for a list of Floats (or of Ints) and an Int index, both in frame words: read in
    /// place by the node that uses it (NumericContainers.swift).
    case floatElement(list: Int, index: Int)
    case intElement(list: Int, index: Int)

    var code: WordCode {
        switch self {
        case .word(let w): return { fp throws(Bail) in fp[w] }
        case .constant(let c): return { _ throws(Bail) in c }
        case .code(let c): return c
        case .floatElement(let l, let i): let e = ElementWord<FloatElement>(list: l, index: i); return { fp throws(Bail) in try e.get(fp) }
        case .intElement(let l, let i): let e = ElementWord<IntElement>(list: l, index: i); return { fp throws(Bail) in try e.get(fp) }
        }
    }
}

protocol WordSource {
    func get(_ fp: UnsafeMutablePointer<Int>) throws(Bail) -> Int
}
struct FrameWord: WordSource {
    let w: Int
    @inline(__always) func get(_ fp: UnsafeMutablePointer<Int>) throws(Bail) -> Int { fp[w] }
}
struct ConstantWord: WordSource {
    let c: Int
    @inline(__always) func get(_ fp: UnsafeMutablePointer<Int>) throws(Bail) -> Int { c }
}
struct CodeWord: WordSource {
    let run: WordCode
    @inline(__always) func get(_ fp: UnsafeMutablePointer<Int>) throws(Bail) -> Int { try run(fp) }
}

/// A binary operator on two words.
protocol WordOperator {
    static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int
}

/// A binary node, and the same operation fused with an assignment of its result to a frame
/// word (`x = a * b`, `x += a * b`): one closure call fewer for each.
struct BinaryCode {
    let run: WordCode
    let store: (Int) -> FlowCode
}

enum WordNodes {
    static func binary<O: WordOperator>(_: O.Type, _ l: WordOperand, _ r: WordOperand) -> BinaryCode {
        switch l {
        case .word(let a): return with(O.self, FrameWord(w: a), r)
        case .constant(let a): return with(O.self, ConstantWord(c: a), r)
        case .code(let a): return with(O.self, CodeWord(run: a), r)
        case .floatElement(let l2, let i): return with(O.self, ElementWord<FloatElement>(list: l2, index: i), r)
        case .intElement(let l2, let i): return with(O.self, ElementWord<IntElement>(list: l2, index: i), r)
        }
    }

    private static func with<O: WordOperator, L: WordSource>(_: O.Type, _ l: L, _ r: WordOperand) -> BinaryCode {
        switch r {
        case .word(let b): return node(O.self, l, FrameWord(w: b))
        case .constant(let b): return node(O.self, l, ConstantWord(c: b))
        case .code(let b): return node(O.self, l, CodeWord(run: b))
        case .floatElement(let l2, let i): return node(O.self, l, ElementWord<FloatElement>(list: l2, index: i))
        case .intElement(let l2, let i): return node(O.self, l, ElementWord<IntElement>(list: l2, index: i))
        }
    }

    private static func node<O: WordOperator, L: WordSource, R: WordSource>(_: O.Type, _ l: L, _ r: R) -> BinaryCode {
        BinaryCode(run: { fp throws(Bail) in try O.apply(try l.get(fp), try r.get(fp)) },
                   store: { w in { fp throws(Bail) in fp[w] = try O.apply(try l.get(fp), try r.get(fp)); return .next } })
    }
}

// MARK: Int × Int

enum IntAdd: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int {
        let (r, o) = x.addingReportingOverflow(y); if o { throw Bail() }; return r
    }
}
enum IntSubtract: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int {
        let (r, o) = x.subtractingReportingOverflow(y); if o { throw Bail() }; return r
    }
}
enum IntMultiply: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int {
        let (r, o) = x.multipliedReportingOverflow(by: y); if o { throw Bail() }; return r
    }
}
/// `/` always gives a Float.
enum IntDivide: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int {
        if y == 0 { throw Bail() }; return asWord(Double(x) / Double(y))
    }
}
/// Floor division, as `Ops.floorDivide`.
enum IntFloorDivide: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int {
        if y == 0 || (x == Int.min && y == -1) { throw Bail() }
        let q = x / y
        return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q
    }
}
enum IntModulo: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int {
        guard let r = Ops.modulo(x, y) else { throw Bail() }; return r
    }
}
enum IntLess: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { x < y ? 1 : 0 } }
enum IntLessOrEqual: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { x <= y ? 1 : 0 } }
enum IntGreater: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { x > y ? 1 : 0 } }
enum IntGreaterOrEqual: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { x >= y ? 1 : 0 } }
/// Also Bool == Bool: both are 0 or 1.
enum WordEqual: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { x == y ? 1 : 0 } }
enum WordNotEqual: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { x != y ? 1 : 0 } }

// MARK: Float × Float (an Int operand is converted first, as `Ops` does)

enum FloatAdd: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { asWord(asDouble(x) + asDouble(y)) }
}
enum FloatSubtract: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { asWord(asDouble(x) - asDouble(y)) }
}
enum FloatMultiply: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { asWord(asDouble(x) * asDouble(y)) }
}
enum FloatDivide: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int {
        let d = asDouble(y); if d == 0 { throw Bail() }; return asWord(asDouble(x) / d)
    }
}
enum FloatFloorDivide: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int {
        let d = asDouble(y); if d == 0 { throw Bail() }; return asWord((asDouble(x) / d).rounded(.down))
    }
}
enum FloatModulo: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int {
        guard let r = Ops.modulo(asDouble(x), asDouble(y)) else { throw Bail() }; return asWord(r)
    }
}
enum FloatPower: WordOperator {
    @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { asWord(pow(asDouble(x), asDouble(y))) }
}
// A comparison with NaN is false, as in `Ops.binary`; equality is `Value.isEqual`'s.
enum FloatLess: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { asDouble(x) < asDouble(y) ? 1 : 0 } }
enum FloatLessOrEqual: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { asDouble(x) <= asDouble(y) ? 1 : 0 } }
enum FloatGreater: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { asDouble(x) > asDouble(y) ? 1 : 0 } }
enum FloatGreaterOrEqual: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { asDouble(x) >= asDouble(y) ? 1 : 0 } }
enum FloatEqual: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { asDouble(x) == asDouble(y) ? 1 : 0 } }
enum FloatNotEqual: WordOperator { @inline(__always) static func apply(_ x: Int, _ y: Int) throws(Bail) -> Int { asDouble(x) != asDouble(y) ? 1 : 0 } }
