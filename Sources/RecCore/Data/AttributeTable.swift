// User and item attribute tables, keyed by raw ID.

/// One typed attribute column. Missing values are nil (or an empty list for multi-valued).
public enum AttributeColumn: Sendable, Equatable {
    case string([String?])
    case int([Int?])
    case double([Double?])
    /// Several labels per row, e.g. a movie's genres.
    case multi([[String]])

    public var count: Int {
        switch self {
        case .string(let a): return a.count
        case .int(let a): return a.count
        case .double(let a): return a.count
        case .multi(let a): return a.count
        }
    }

    /// The type name shown to users: "string", "int", "double" or "multi".
    public var typeName: String {
        switch self {
        case .string: return "string"
        case .int: return "int"
        case .double: return "double"
        case .multi: return "multi"
        }
    }

    /// The value of row i as display text ("" when missing; multi-valued joined with "|").
    public func text(_ i: Int) -> String {
        switch self {
        case .string(let a): return a[i] ?? ""
        case .int(let a): return a[i].map { String($0) } ?? ""
        case .double(let a): return a[i].map { String($0) } ?? ""
        case .multi(let a): return a[i].joined(separator: "|")
        }
    }

    /// Infers the narrowest type for text values: int if every non-empty value is an integer,
    /// double if every one is a number, string otherwise. Empty strings become nil.
    public static func inferred(_ raw: [String]) -> AttributeColumn {
        switch InferredType.of(raw.lazy.filter { !$0.isEmpty }) {
        case .int: return .int(raw.map { $0.isEmpty ? nil : Int($0)! })
        case .double: return .double(raw.map { $0.isEmpty ? nil : Double($0)! })
        case .string: return .string(raw.map { $0.isEmpty ? nil : $0 })
        }
    }

    func gathered(_ rows: [Int]) -> AttributeColumn {
        switch self {
        case .string(let a): return .string(rows.map { $0 >= 0 ? a[$0] : nil })
        case .int(let a): return .int(rows.map { $0 >= 0 ? a[$0] : nil })
        case .double(let a): return .double(rows.map { $0 >= 0 ? a[$0] : nil })
        case .multi(let a): return .multi(rows.map { $0 >= 0 ? a[$0] : [] })
        }
    }
}

/// The narrowest type every field of a text column parses as (Int, then Double, else String),
/// shared by attribute files and `Table.readDelimited`. Callers pass only non-empty fields.
enum InferredType {
    case int, double, string

    static func of<S: Sequence>(_ fields: S) -> InferredType where S.Element == String {
        var allInt = true
        for f in fields {
            if allInt && Int64(f) == nil { allInt = false }
            if !allInt && Double(f) == nil { return .string }
        }
        return allInt ? .int : .double
    }
}

/// A table of attributes for users or items, keyed by the raw ID as it appears in the
/// interaction data (so it joins to `Interactions.users`/`.items` by key text, whatever the dense
/// indices are). Columns are typed; column order is kept for display.
public struct AttributeTable: Sendable, Equatable {
    /// Raw ID → row.
    public private(set) var ids: IDMap
    public private(set) var columnNames: [String]
    public private(set) var columns: [String: AttributeColumn]

    public static func == (l: AttributeTable, r: AttributeTable) -> Bool {
        l.ids.keys == r.ids.keys && l.columnNames == r.columnNames && l.columns == r.columns
    }

    /// Builds a table from keys and columns (all the same length). Duplicate keys are an error.
    public init(keys: [String], columns: [(name: String, column: AttributeColumn)]) throws {
        var ids = IDMap()
        for k in keys {
            let before = ids.count
            ids.intern(k)
            if ids.count == before {
                throw DataError(.invalidArgument, message: "duplicate key '\(k)' in attribute table")
            }
        }
        var dict: [String: AttributeColumn] = [:]
        var names: [String] = []
        for (n, c) in columns {
            guard c.count == keys.count else {
                throw DataError(.invalidArgument, message: "attribute column '\(n)' has \(c.count) values for \(keys.count) keys")
            }
            guard dict[n] == nil else { throw DataError(.invalidArgument, message: "duplicate attribute column '\(n)'") }
            dict[n] = c; names.append(n)
        }
        self.ids = ids; self.columnNames = names; self.columns = dict
    }

    public var count: Int { ids.count }

    /// The row of a raw ID, or nil when the table has no such key.
    public func row(for key: String) -> Int? { ids.index(of: key).map { Int($0) } }

    public subscript(column: String) -> AttributeColumn? { columns[column] }

    /// The value of `column` for raw ID `key` as text, or nil when the key or column is absent.
    public func text(_ column: String, for key: String) -> String? {
        guard let c = columns[column], let r = row(for: key) else { return nil }
        return c.text(r)
    }

    /// For each dense index of `map`, the table row holding that ID (-1 when absent). This is
    /// the join: `aligned(to: data.users)` maps user indices to attribute rows.
    public func aligned(to map: IDMap) -> [Int] {
        (0..<map.count).map { i in
            map.storage.withKeyBytes(i) { b -> Int in
                if let base = b.baseAddress { return ids.storage.find(base, b.count).map { Int($0) } ?? -1 }
                return ids.storage.find("").map { Int($0) } ?? -1
            }
        }
    }

    /// The column reordered to follow `map`'s dense indices (missing IDs give nil/empty values).
    public func column(_ name: String, alignedTo map: IDMap) -> AttributeColumn? {
        columns[name].map { $0.gathered(aligned(to: map)) }
    }

    /// Adds or replaces a column (same length as the table).
    public mutating func setColumn(_ name: String, _ column: AttributeColumn) throws {
        guard column.count == count else {
            throw DataError(.invalidArgument, message: "attribute column '\(name)' has \(column.count) values for \(count) keys")
        }
        if columns[name] == nil { columnNames.append(name) }
        columns[name] = column
    }

    /// Group label of each dense index of `map` by a categorical column (string or int, or the
    /// first label of a multi-valued column); "(missing)" when the ID has no row or no value.
    public func groupLabels(_ name: String, alignedTo map: IDMap) -> [String]? {
        guard let c = columns[name] else { return nil }
        let rows = aligned(to: map)
        return rows.map { r in
            guard r >= 0 else { return "(missing)" }
            let t = c.text(r)
            return t.isEmpty ? "(missing)" : t
        }
    }
}
