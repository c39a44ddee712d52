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

    // One array per type as separate stored properties, only the one for `type` in use: appending
    // to a stored array property is in place, whereas an enum payload would be copied out and
    // back (a full copy per append in unoptimized builds).
    private var type: ColumnType?
    private var ints: [Int64] = []
    private var doubles: [Double] = []
    private var strings: [String] = []
    private var bools: [Bool] = []
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
        switch type {
        case nil: break
        case .int: ints.append(0)
        case .double: doubles.append(0)
        case .string: strings.append("")
        case .bool: bools.append(false)
        }
    }

    public mutating func appendInt(_ v: Int64) throws {
        decide(.int)
        switch type {
        case .int: ints.append(v)
        case .double: doubles.append(Double(v))
        default: try fallback(.int(v))
        }
        validity.append(true)
    }

    public mutating func appendDouble(_ v: Double) throws {
        decide(.double)
        if type == .int {
            doubles = ints.map { Double($0) }
            doubles.reserveCapacity(capacity)
            ints = []
            type = .double
        }
        switch type {
        case .double: doubles.append(v)
        default: try fallback(.double(v))
        }
        validity.append(true)
    }

    public mutating func appendString(_ v: String) throws {
        decide(.string)
        switch type {
        case .string: strings.append(v)
        default: try fallback(.string(v))
        }
        validity.append(true)
    }

    public mutating func appendBool(_ v: Bool) throws {
        decide(.bool)
        switch type {
        case .bool: bools.append(v)
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
        switch type {
        case nil: return Column.nulls(hint ?? .string, count: validity.count)
        case .int: return Column(ints: ints, validity: mask)
        case .double: return Column(doubles: doubles, validity: mask)
        case .string: return Column(strings: strings, validity: mask)
        case .bool: return Column(bools: bools, validity: mask)
        }
    }

    // MARK: Private

    /// Fixes the storage type at the first non-null value (or the hint), back-filling the nulls
    /// seen so far with zero values.
    private mutating func decide(_ first: ColumnType) {
        guard type == nil else { return }
        let n = validity.count
        let t = hint ?? first
        type = t
        switch t {
        case .int: ints = [Int64](repeating: 0, count: n); ints.reserveCapacity(capacity)
        case .double: doubles = [Double](repeating: 0, count: n); doubles.reserveCapacity(capacity)
        case .string: strings = [String](repeating: "", count: n); strings.reserveCapacity(capacity)
        case .bool: bools = [Bool](repeating: false, count: n); bools.reserveCapacity(capacity)
        }
    }

    /// A value whose type the column cannot hold: an error under `.strict`; under `.lenient` the
    /// column becomes text and the value is appended as text.
    private mutating func fallback(_ v: TableValue) throws {
        guard policy == .lenient else {
            throw TableError.typeMismatch(context: "row \(validity.count) of column \"\(name)\"",
                                          expected: type?.description ?? "?", found: v.type?.description ?? "nil")
        }
        let mask = validity
        switch type {
        case .int: strings = ints.indices.map { mask[$0] ? String(ints[$0]) : "" }
        case .double: strings = doubles.indices.map { mask[$0] ? TableNumberFormat.plain(doubles[$0]) : "" }
        case .bool: strings = bools.indices.map { mask[$0] ? (bools[$0] ? "true" : "false") : "" }
        case .string, nil: break
        }
        ints = []
        doubles = []
        bools = []
        type = .string
        strings.reserveCapacity(capacity)
        strings.append(v.description)
    }
}
