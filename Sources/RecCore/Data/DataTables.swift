// Behaviour data as generic tables, for display, SQL-like exploration and CSV export.

extension Interactions {
    /// The interactions as a table: user and item (raw IDs, integer columns when every ID of the
    /// map is an integer — see `IDMap.column`), then whichever of value, timestamp,
    /// event and channel the data has.
    public func asTable() -> Table {
        var pairs: [(String, Column)] = []
        pairs.append(("user", users.column(user)))
        pairs.append(("item", items.column(item)))
        if let values { pairs.append(("value", Column(doubles: values.doubles))) }
        if let timestamps { pairs.append(("timestamp", Column(ints: timestamps.map { Int64($0) }))) }
        if let events { pairs.append(("event", Column(strings: events.codes.map { events.labels[Int($0)] }))) }
        if let channels { pairs.append(("channel", Column(strings: channels.codes.map { channels.labels[Int($0)] }))) }
        // Columns are built with equal lengths above, so this cannot fail.
        return (try? Table(pairs)) ?? Table()
    }
}

extension AttributeTable {
    /// The attributes as a table whose first column, `keyName`, holds the raw IDs. Multi-valued
    /// attributes (genres) are joined with "|".
    public func asTable(keyName: String) -> Table {
        var pairs: [(String, Column)] = [(keyName, ids.column((0..<Int32(ids.count)).map { $0 }))]
        for name in columnNames {
            guard let c = columns[name] else { continue }
            switch c {
            case .string(let a): pairs.append((name, Column(strings: a.map { $0 ?? "" }, validity: a.map { $0 != nil })))
            case .int(let a): pairs.append((name, Column(ints: a.map { Int64($0 ?? 0) }, validity: a.map { $0 != nil })))
            case .double(let a): pairs.append((name, Column(doubles: a.map { $0 ?? 0 }, validity: a.map { $0 != nil })))
            case .multi(let a): pairs.append((name, Column(strings: a.map { $0.joined(separator: "|") })))
            }
        }
        return (try? Table(pairs)) ?? Table()
    }
}

extension IDMap {
    /// Whether every key is a canonical decimal integer ("42"; not "042", "4.0" or "u42").
    public var keysAreIntegers: Bool {
        (0..<count).allSatisfy { if case .int = rawID(at: $0) { return true } else { return false } }
    }

    /// Every key as an integer (by index), or nil when some key is not one.
    func integerKeys() -> [Int64]? {
        var out = [Int64]()
        out.reserveCapacity(count)
        for k in 0..<count {
            guard case .int(let v) = rawID(at: k) else { return nil }
            out.append(v)
        }
        return out
    }

    /// The IDs at `indices` as a table column: integers when `keysAreIntegers`, text otherwise.
    /// Deciding per map (not per list) is what lets the tables made from one dataset — its
    /// interactions, its attributes, a model's recommendations — join on keys of one type.
    public func column(_ indices: [Int32]) -> Column {
        if let ints = integerKeys() { return Column(ints: indices.map { ints[Int($0)] }) }
        return Column(strings: indices.map { key(at: $0) })
    }
}

extension AttributeTable {
    /// Attributes from a table whose column `key` holds the raw IDs — the inverse of `asTable`, for
    /// a catalogue or profile file read with `Table.readDelimited`. Int, Double and String columns
    /// keep their type (Bool becomes "true"/"false"); null cells are missing values. A null or
    /// repeated key is an error naming the row.
    public init(_ table: Table, key: String) throws {
        let k = try table.column(key)
        var keys: [String] = []
        keys.reserveCapacity(table.rowCount)
        for r in 0..<table.rowCount {
            guard !k.isNull(r) else { throw DataError(.invalidArgument, message: "row \(r) has no \(key)") }
            keys.append(k[r].description)
        }
        var columns: [(name: String, column: AttributeColumn)] = []
        for name in table.columnNames where name != key {
            let c = try table.column(name)
            let rows = 0..<table.rowCount
            switch c.storage {
            case .int(let a): columns.append((name, .int(rows.map { c.isNull($0) ? nil : Int(a[$0]) })))
            case .double(let a): columns.append((name, .double(rows.map { c.isNull($0) ? nil : a[$0] })))
            case .string(let a): columns.append((name, .string(rows.map { c.isNull($0) ? nil : a[$0] })))
            case .bool(let a): columns.append((name, .string(rows.map { c.isNull($0) ? nil : (a[$0] ? "true" : "false") })))
            }
        }
        try self.init(keys: keys, columns: columns)
    }
}
