// Behaviour data as generic tables, for display, SQL-like exploration and CSV export.

extension Interactions {
    /// The interactions as a table: user and item (raw IDs), then whichever of value, timestamp,
    /// event and channel the data has.
    public func asTable() -> Table {
        var pairs: [(String, Column)] = []
        pairs.append(("user", Column(strings: user.map { users.key(at: $0) })))
        pairs.append(("item", Column(strings: item.map { items.key(at: $0) })))
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
        var pairs: [(String, Column)] = [(keyName, Column(strings: ids.keys))]
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
