// Values bound to SQL parameters.

import RecCore

/// A value bound to a `?` (or `:name`) parameter. Values are always bound through SQLite's API,
/// never spliced into SQL text, so quotes and semicolons in them are harmless.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    /// A table cell as a parameter (booleans bind as 0 and 1, SQLite's convention).
    public init(_ value: TableValue) {
        switch value {
        case .null: self = .null
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .text(s)
        case .bool(let b): self = .int(b ? 1 : 0)
        }
    }
}

// Deliberately not ExpressibleByNilLiteral: `scalar(...) != nil` on an `SQLiteValue?` would then
// compare against `.null` instead of "no row", silently. Write `.null`.
extension SQLiteValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
                       ExpressibleByBooleanLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .int(value ? 1 : 0) }
}
