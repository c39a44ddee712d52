// Building a column cell by cell when the type is not known up front (rows from the language,
// query results from SQLite).

/// Accumulates cells into typed storage, fixing the column type at the first non-null value.
///
/// Ints followed by doubles widen the column to Double under both policies (a numeric column that
/// happens to start with whole numbers is common). What happens on any other mix depends on the
/// policy: `.strict` throws a type mismatch (tables built from user rows), `.lenient` turns the
/// column into text (SQLite columns, which may legally hold mixed types in one column).
public struct ColumnBuilder: Sendable {
    public enum Policy: Sendable { case strict, lenient }

    private enum Data {
        case undecided
        case int([Int64])
        case double([Double])
        case string([String])
        case bool([Bool])
    }

    private var data: Data = .undecided
    private var validity: [Bool] = []
    private var nulls = 0
    private var capacity = 0
    private let hint: ColumnType?
    private let policy: Policy
    private let name: String

    /// `type`, when given, is the column's type from the start (still widened Int → Double, or to
    /// String under `.lenient`); otherwise the first non-null value decides, and an all-null
    /// column becomes String. `name` only appears in error messages.
    public init(type: ColumnType? = nil, policy: Policy = .strict, name: String = "column") {
        self.hint = type
        self.policy = policy
        self.name = name
    }

    public var count: Int { validity.count }

    public mutating func reserveCapacity(_ n: Int) {
        capacity = n
        validity.reserveCapacity(n)
    }

    public mutating func appendNull() {
        validity.append(false)
        nulls += 1
        switch data {
        case .undecided: break
        case .int(var a): data = .undecided; a.append(0); data = .int(a)
        case .double(var a): data = .undecided; a.append(0); data = .double(a)
        case .string(var a): data = .undecided; a.append(""); data = .string(a)
        case .bool(var a): data = .undecided; a.append(false); data = .bool(a)
        }
    }

    public mutating func appendInt(_ v: Int64) throws {
        decide(.int)
        switch data {
        case .int(var a): data = .undecided; a.append(v); data = .int(a)
        case .double(var a): data = .undecided; a.append(Double(v)); data = .double(a)
        default: try fallback(.int(v))
        }
        validity.append(true)
    }

    public mutating func appendDouble(_ v: Double) throws {
        decide(.double)
        if case .int(let a) = data { data = .double(a.map { Double($0) }) }
        switch data {
        case .double(var a): data = .undecided; a.append(v); data = .double(a)
        default: try fallback(.double(v))
        }
        validity.append(true)
    }

    public mutating func appendString(_ v: String) throws {
        decide(.string)
        switch data {
        case .string(var a): data = .undecided; a.append(v); data = .string(a)
        default: try fallback(.string(v))
        }
        validity.append(true)
    }

    public mutating func appendBool(_ v: Bool) throws {
        decide(.bool)
        switch data {
        case .bool(var a): data = .undecided; a.append(v); data = .bool(a)
        default: try fallback(.bool(v))
        }
        validity.append(true)
    }

    public mutating func append(_ v: TableValue) throws {
        switch v {
        case .null: appendNull()
        case .int(let i): try appendInt(i)
        case .double(let d): try appendDouble(d)
        case .string(let s): try appendString(s)
        case .bool(let b): try appendBool(b)
        }
    }

    /// The finished column.
    public func build() -> Column {
        let mask: [Bool]? = nulls > 0 ? validity : nil
        switch data {
        case .undecided: return Column.nulls(hint ?? .string, count: validity.count)
        case .int(let a): return Column(ints: a, validity: mask)
        case .double(let a): return Column(doubles: a, validity: mask)
        case .string(let a): return Column(strings: a, validity: mask)
        case .bool(let a): return Column(bools: a, validity: mask)
        }
    }

    // MARK: Private

    /// Fixes the storage type at the first non-null value (or the hint), back-filling the nulls
    /// seen so far with zero values.
    private mutating func decide(_ first: ColumnType) {
        guard case .undecided = data else { return }
        let n = validity.count
        let type = hint ?? first
        switch type {
        case .int: var a = [Int64](repeating: 0, count: n); a.reserveCapacity(capacity); data = .int(a)
        case .double: var a = [Double](repeating: 0, count: n); a.reserveCapacity(capacity); data = .double(a)
        case .string: var a = [String](repeating: "", count: n); a.reserveCapacity(capacity); data = .string(a)
        case .bool: var a = [Bool](repeating: false, count: n); a.reserveCapacity(capacity); data = .bool(a)
        }
    }

    /// Lenient policy: re-types the column as text, converting what it holds so far.
    private mutating func toStrings() {
        let mask = validity
        switch data {
        case .int(let a): data = .string(a.indices.map { mask[$0] ? String(a[$0]) : "" })
        case .double(let a): data = .string(a.indices.map { mask[$0] ? TableNumberFormat.plain(a[$0]) : "" })
        case .bool(let a): data = .string(a.indices.map { mask[$0] ? (a[$0] ? "true" : "false") : "" })
        default: break
        }
    }

    /// A value whose type the column cannot hold: an error under `.strict`; under `.lenient` the
    /// column becomes text and the value is appended as text.
    private mutating func fallback(_ v: TableValue) throws {
        guard policy == .lenient else {
            let expected: String
            switch data {
            case .int: expected = "Int"
            case .double: expected = "Float"
            case .string: expected = "String"
            case .bool: expected = "Bool"
            case .undecided: expected = hint?.description ?? "?"
            }
            throw TableError.typeMismatch(context: "row \(validity.count) of column \"\(name)\"", expected: expected,
                                          found: v.type?.description ?? "nil")
        }
        toStrings()
        guard case .string(var a) = data else { preconditionFailure("toStrings leaves a string column") }
        data = .undecided
        a.append(v.description)
        data = .string(a)
    }
}
