// One cell of a Table, and the four column types a Table holds.

/// The type of a table column. Tables hold exactly these four, so that every column is a
/// contiguous array of one machine type (fast to sort, group, encode) and every cell maps to one
/// language value.
public enum ColumnType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case int, double, string, bool

    /// The name shown in schemas and error messages (`Int`, `Float`, `String`, `Bool`: the names
    /// users see for the corresponding language values).
    public var description: String {
        switch self {
        case .int: return "Int"
        case .double: return "Float"
        case .string: return "String"
        case .bool: return "Bool"
        }
    }

    var isNumeric: Bool { self == .int || self == .double }
}

/// A single cell: one of the column types or null. Used at the edges (row access, building tables
/// from rows, predicates); bulk operations work on the typed column arrays instead.
public enum TableValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)

    public var isNull: Bool { if case .null = self { return true }; return false }

    /// The column type this value belongs in, or nil for null (which fits any column).
    public var type: ColumnType? {
        switch self {
        case .null: return nil
        case .int: return .int
        case .double: return .double
        case .string: return .string
        case .bool: return .bool
        }
    }

    /// The value as a Double when it is numeric (ints widen), else nil.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// Plain text: strings bare, null as `nil`, doubles in Swift's shortest round-trip form.
    public var description: String {
        switch self {
        case .null: return "nil"
        case .int(let i): return String(i)
        case .double(let d): return TableNumberFormat.plain(d)
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

extension TableValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
                      ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}
