/// Operators, resolved once by the parser: the tree holds these enums, never operator spelling,
/// so the compiler chooses each operator's code when it compiles, not each time it runs.

/// Arithmetic and comparison. `description` is the spelling that error messages quote.
enum BinaryOperator: String, CustomStringConvertible {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    var description: String { rawValue }

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return true
        default: return false
        }
    }

    /// The operator of a compound assignment: `+=` is `.add`; plain `=` is nil.
    static func compound(_ spelling: String) -> BinaryOperator?? {
        switch spelling {
        case "=": return .some(nil)
        case "+=", "-=", "*=", "/=", "%=", "//=": return BinaryOperator(rawValue: String(spelling.dropLast()))
        default: return nil
        }
    }
}

/// `-x` and `not x` (also spelt `!x`).
enum UnaryOperator: String, CustomStringConvertible {
    case negate = "-", not = "!"
    var description: String { rawValue }
}

/// Operators whose right side is evaluated only when needed.
enum LogicalOperator: String, CustomStringConvertible {
    case and, or, coalesce = "??"
    var description: String { rawValue }
}

/// Binding strength of the operator levels, loosest first. Postfix forms (call, index, member)
/// bind tighter than all of them and are parsed with the primary expression.
enum Precedence: Int, Comparable {
    case pipe = 1, coalesce, or, and, not, comparison, range, additive, multiplicative, unary, power

    static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }

    /// The next tighter level: the right operand of a left-associative operator at this level.
    var tighter: Precedence { Precedence(rawValue: rawValue + 1) ?? .power }
}

/// How one infix operator parses: its level, where its right operand starts, and what it builds.
/// The table below is the whole grammar of infix expressions (like Lua's `priority[]` in
/// lparser.c and clox's `rules[]`); `Parser.binary` is the one loop that reads it.
struct InfixRule {
    enum Node {
        case pipe
        case logical(LogicalOperator)
        case binary(BinaryOperator)
        case range(closed: Bool)
    }
    enum Associativity {
        case left
        /// The right operand is parsed at `Precedence` (`a ?? b ?? c` is `a ?? (b ?? c)`; the
        /// exponent of `**` may carry a sign: `2 ** -1`).
        case right(Precedence)
        /// `a < b < c` and `a..<b..<c` are not expressions; `chained` is the error for the
        /// former (the latter stops the expression before the second operator).
        case nonAssociative(chained: String?)
    }
    let level: Precedence
    let associativity: Associativity
    let node: Node
    /// A line that starts with this operator continues the expression on the line before.
    let continuesLine: Bool
    /// Counts toward the parser's nesting limit (operators whose right operand recurses).
    let nests: Bool

    init(_ level: Precedence, _ associativity: Associativity, _ node: Node, continuesLine: Bool = false, nests: Bool = false) {
        self.level = level; self.associativity = associativity; self.node = node
        self.continuesLine = continuesLine; self.nests = nests
    }

    /// The level the right operand is parsed at.
    var rightLevel: Precedence {
        switch associativity {
        case .left, .nonAssociative: return level.tighter
        case .right(let p): return p
        }
    }

    /// Infix operators by spelling (`and` and `or` are keywords, the rest operator tokens).
    static let table: [String: InfixRule] = {
        var t: [String: InfixRule] = [
            "|>": InfixRule(.pipe, .left, .pipe, continuesLine: true),
            "??": InfixRule(.coalesce, .right(.coalesce), .logical(.coalesce), continuesLine: true),
            "or": InfixRule(.or, .left, .logical(.or), continuesLine: true),
            "||": InfixRule(.or, .left, .logical(.or), continuesLine: true),
            "and": InfixRule(.and, .left, .logical(.and), continuesLine: true),
            "&&": InfixRule(.and, .left, .logical(.and), continuesLine: true),
            "..<": InfixRule(.range, .nonAssociative(chained: nil), .range(closed: false)),
            "...": InfixRule(.range, .nonAssociative(chained: nil), .range(closed: true)),
            "**": InfixRule(.power, .right(.unary), .binary(.power), nests: true),
        ]
        let levels: [(Precedence, [BinaryOperator])] = [
            (.comparison, [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual]),
            (.additive, [.add, .subtract]),
            (.multiplicative, [.multiply, .divide, .floorDivide, .modulo]),
        ]
        let unchained = InfixRule.Associativity.nonAssociative(chained: "comparisons cannot be chained; combine them with 'and'")
        for (level, ops) in levels {
            for op in ops { t[op.rawValue] = InfixRule(level, level == .comparison ? unchained : .left, .binary(op)) }
        }
        return t
    }()

    /// Spellings that continue the previous line's expression when a line starts with them.
    static let lineContinuing: Set<String> = Set(table.filter { $0.value.continuesLine }.keys)
}
