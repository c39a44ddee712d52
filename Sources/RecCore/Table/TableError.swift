// Errors raised by Table operations.

/// What went wrong in a table operation. The description is a complete sentence fragment meant to
/// be shown to a user as is (the language wraps it in its own error with a source location).
public enum TableError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A column name that the table does not have; `available` lists the ones it does.
    case unknownColumn(String, available: [String])
    /// Two columns with the same name.
    case duplicateColumn(String)
    /// A value or column of the wrong type; `context` says where (`column "x"`, `row 3 of column "x"`).
    case typeMismatch(context: String, expected: String, found: String)
    /// Columns (or a value list) whose length differs from the table's row count.
    case lengthMismatch(context: String, expected: Int, found: Int)
    /// A row index outside `0..<count`.
    case rowOutOfRange(Int, count: Int)
    /// An argument that makes no sense (a negative count, an empty key list).
    case invalidArgument(String)
    /// An encoded table that cannot be read back (truncated, corrupt, or a newer format).
    case decoding(String)

    public var description: String {
        switch self {
        case .unknownColumn(let name, let available):
            let list = available.isEmpty ? "the table has no columns" : "columns: " + available.joined(separator: ", ")
            return "unknown column \"\(name)\" (\(list))"
        case .duplicateColumn(let name):
            return "duplicate column name \"\(name)\""
        case .typeMismatch(let context, let expected, let found):
            return "type mismatch in \(context): expected \(expected), found \(found)"
        case .lengthMismatch(let context, let expected, let found):
            return "length mismatch in \(context): expected \(expected) rows, found \(found)"
        case .rowOutOfRange(let i, let count):
            return "row \(i) out of range (the table has \(count) rows)"
        case .invalidArgument(let message):
            return message
        case .decoding(let message):
            return "cannot decode table: \(message)"
        }
    }
}
