// A typed table column: one contiguous array plus an optional validity mask for nulls.

/// One column of a `Table`: a contiguous array of a single type, and a validity mask that exists
/// only when some value is null.
///
/// Null slots hold the type's zero value (0, 0.0, "", false) so that the typed arrays stay dense
/// and kernels can run over them without branching on optionals; readers must consult `validity`
/// (or `isNull`) before trusting a slot.
public struct Column: Sendable {
    /// The values, one array per column type.
    public enum Storage: Sendable {
        case int([Int64])
        case double([Double])
        case string([String])
        case bool([Bool])
    }

    public private(set) var storage: Storage
    /// `validity[i] == false` means row i is null. Nil when no row is null (the common case), so
    /// that null-free columns pay nothing for null support.
    public private(set) var validity: [Bool]?

    // MARK: Building

    /// A column over `storage`. `validity`, when given, must have the same length; an all-true
    /// mask is dropped. Values in null slots are reset to the zero value so equal columns compare
    /// and encode equally.
    public init(_ storage: Storage, validity: [Bool]? = nil) {
        self.storage = storage
        self.validity = nil
        if let validity {
            precondition(validity.count == storage.count, "validity mask length \(validity.count) != column length \(storage.count)")
            if validity.contains(false) {
                self.validity = validity
                zeroNullSlots()
            }
        }
    }

    public init(ints: [Int64], validity: [Bool]? = nil) { self.init(.int(ints), validity: validity) }
    public init(doubles: [Double], validity: [Bool]? = nil) { self.init(.double(doubles), validity: validity) }
    public init(strings: [String], validity: [Bool]? = nil) { self.init(.string(strings), validity: validity) }
    public init(bools: [Bool], validity: [Bool]? = nil) { self.init(.bool(bools), validity: validity) }

    /// Columns from optionals, nil meaning null: convenient for tests and small literal tables.
    public init(optionalInts values: [Int64?]) {
        self.init(ints: values.map { $0 ?? 0 }, validity: values.map { $0 != nil })
    }
    public init(optionalDoubles values: [Double?]) {
        self.init(doubles: values.map { $0 ?? 0 }, validity: values.map { $0 != nil })
    }
    public init(optionalStrings values: [String?]) {
        self.init(strings: values.map { $0 ?? "" }, validity: values.map { $0 != nil })
    }
    public init(optionalBools values: [Bool?]) {
        self.init(bools: values.map { $0 ?? false }, validity: values.map { $0 != nil })
    }

    /// A column of `count` nulls of `type`.
    public static func nulls(_ type: ColumnType, count: Int) -> Column {
        let mask = [Bool](repeating: false, count: count)
        switch type {
        case .int: return Column(ints: [Int64](repeating: 0, count: count), validity: count == 0 ? nil : mask)
        case .double: return Column(doubles: [Double](repeating: 0, count: count), validity: count == 0 ? nil : mask)
        case .string: return Column(strings: [String](repeating: "", count: count), validity: count == 0 ? nil : mask)
        case .bool: return Column(bools: [Bool](repeating: false, count: count), validity: count == 0 ? nil : mask)
        }
    }

    /// A column from cells, all of one type (ints may mix with doubles: they widen). `type` decides
    /// the type of an all-null or empty list (default String).
    public init(values: [TableValue], type: ColumnType? = nil, name: String = "values") throws {
        var b = ColumnBuilder(type: type, policy: .strict, name: name)
        b.reserveCapacity(values.count)
        for v in values { try b.append(v) }
        self = b.build()
    }

    private mutating func zeroNullSlots() {
        guard let mask = validity else { return }
        switch storage {
        case .int(var a): storage = .int([]); for i in a.indices where !mask[i] { a[i] = 0 }; storage = .int(a)
        case .double(var a): storage = .int([]); for i in a.indices where !mask[i] { a[i] = 0 }; storage = .double(a)
        case .string(var a): storage = .int([]); for i in a.indices where !mask[i] { a[i] = "" }; storage = .string(a)
        case .bool(var a): storage = .int([]); for i in a.indices where !mask[i] { a[i] = false }; storage = .bool(a)
        }
    }

    // MARK: Reading

    public var type: ColumnType { storage.type }
    public var count: Int { storage.count }
    public var hasNulls: Bool { validity != nil }

    public var nullCount: Int {
        guard let mask = validity else { return 0 }
        var n = 0
        for v in mask where !v { n += 1 }
        return n
    }

    @inline(__always)
    public func isNull(_ i: Int) -> Bool {
        if let mask = validity { return !mask[i] }
        return false
    }

    /// The cell at row `i` (traps when out of range, like an array).
    public subscript(i: Int) -> TableValue {
        if isNull(i) { return .null }
        switch storage {
        case .int(let a): return .int(a[i])
        case .double(let a): return .double(a[i])
        case .string(let a): return .string(a[i])
        case .bool(let a): return .bool(a[i])
        }
    }

    /// All cells, for handing a column to code that works value by value.
    public var values: [TableValue] { (0..<count).map { self[$0] } }

    /// The raw typed arrays (null slots hold zero values). Nil when the column has another type.
    public var ints: [Int64]? { if case .int(let a) = storage { return a }; return nil }
    public var doubles: [Double]? { if case .double(let a) = storage { return a }; return nil }
    public var strings: [String]? { if case .string(let a) = storage { return a }; return nil }
    public var bools: [Bool]? { if case .bool(let a) = storage { return a }; return nil }

    /// Numeric values widened to Double (null slots hold 0; see `validity`). Nil for String and
    /// Bool columns.
    public var numericValues: [Double]? {
        switch storage {
        case .int(let a): return a.map { Double($0) }
        case .double(let a): return a
        default: return nil
        }
    }

    // MARK: Deriving

    /// The rows at `indices`, in that order; a negative index yields null (used by left joins for
    /// rows without a match).
    public func gathered(_ indices: [Int]) -> Column {
        var anyMissing = false
        for i in indices where i < 0 { anyMissing = true; break }
        var mask: [Bool]? = nil
        if validity != nil || anyMissing {
            let src = validity
            mask = indices.map { i in i >= 0 && (src?[i] ?? true) }
        }
        switch storage {
        case .int(let a): return Column(ints: Column.gather(a, indices, fill: 0), validity: mask)
        case .double(let a): return Column(doubles: Column.gather(a, indices, fill: 0), validity: mask)
        case .string(let a): return Column(strings: Column.gather(a, indices, fill: ""), validity: mask)
        case .bool(let a): return Column(bools: Column.gather(a, indices, fill: false), validity: mask)
        }
    }

    static func gather<T>(_ a: [T], _ indices: [Int], fill: T) -> [T] {
        var out = [T]()
        out.reserveCapacity(indices.count)
        a.withUnsafeBufferPointer { src in
            for i in indices { out.append(i >= 0 ? src[i] : fill) }
        }
        return out
    }

    /// Rows `range` (a copy; columns are value types).
    public func slice(_ range: Range<Int>) -> Column {
        let mask = validity.map { Array($0[range]) }
        switch storage {
        case .int(let a): return Column(ints: Array(a[range]), validity: mask)
        case .double(let a): return Column(doubles: Array(a[range]), validity: mask)
        case .string(let a): return Column(strings: Array(a[range]), validity: mask)
        case .bool(let a): return Column(bools: Array(a[range]), validity: mask)
        }
    }

    /// This column as Double (Int widens; Double is returned as is). Nil for other types.
    public func widenedToDouble() -> Column? {
        switch storage {
        case .int(let a): return Column(doubles: a.map { Double($0) }, validity: validity)
        case .double: return self
        default: return nil
        }
    }

    /// The type two columns share when concatenated: equal types, Int with Double (→ Double), or
    /// any type with a column that is entirely null (which takes the other's type).
    static func commonType(_ a: Column, _ b: Column) -> ColumnType? {
        if a.type == b.type { return a.type }
        if a.type.isNumeric && b.type.isNumeric { return .double }
        if a.count == a.nullCount { return b.type }
        if b.count == b.nullCount { return a.type }
        return nil
    }

    /// This column converted to `type` when that loses nothing: same type, Int → Double, or an
    /// all-null column re-typed. Nil otherwise.
    func converted(to type: ColumnType) -> Column? {
        if self.type == type { return self }
        if type == .double, let d = widenedToDouble() { return d }
        if nullCount == count { return Column.nulls(type, count: count) }
        return nil
    }

    /// This column followed by `other`, which must have a compatible type (see `commonType`).
    public func appending(_ other: Column, name: String = "column") throws -> Column {
        guard let t = Column.commonType(self, other), let a = converted(to: t), let b = other.converted(to: t) else {
            throw TableError.typeMismatch(context: "column \"\(name)\"", expected: type.description, found: other.type.description)
        }
        var mask: [Bool]? = nil
        if a.validity != nil || b.validity != nil {
            mask = (a.validity ?? [Bool](repeating: true, count: a.count)) + (b.validity ?? [Bool](repeating: true, count: b.count))
        }
        switch (a.storage, b.storage) {
        case (.int(let x), .int(let y)): return Column(ints: x + y, validity: mask)
        case (.double(let x), .double(let y)): return Column(doubles: x + y, validity: mask)
        case (.string(let x), .string(let y)): return Column(strings: x + y, validity: mask)
        case (.bool(let x), .bool(let y)): return Column(bools: x + y, validity: mask)
        default: fatalError("unreachable: converted columns share a type")
        }
    }
}

extension Column.Storage {
    public var type: ColumnType {
        switch self {
        case .int: return .int
        case .double: return .double
        case .string: return .string
        case .bool: return .bool
        }
    }

    public var count: Int {
        switch self {
        case .int(let a): return a.count
        case .double(let a): return a.count
        case .string(let a): return a.count
        case .bool(let a): return a.count
        }
    }
}

extension Column: Equatable {
    /// Columns are equal when they have the same type, length, null positions and values at every
    /// non-null row. Doubles compare by bit pattern, so NaN equals NaN: equality here means "same
    /// content" (what round-trip tests need), not IEEE comparison.
    public static func == (l: Column, r: Column) -> Bool {
        guard l.type == r.type, l.count == r.count, l.validity == r.validity else { return false }
        switch (l.storage, r.storage) {
        case (.int(let a), .int(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.double(let a), .double(let b)):
            for i in a.indices where a[i].bitPattern != b[i].bitPattern { return false }
            return true
        default: return false
        }
    }
}
