import RecCore

/// A RecCore `Table` as a Rec value: `t["col"]` is a column as a list, `t[i]` the i-th row as a
/// map, `t[a..<b]` a slice, `count(t)` the row count, and `for row in t` iterates rows as maps.
public final class TableObject: NativeObject {
    public let table: Table
    /// What the table holds, where its HTML form sets rows apart.
    public let role: TableRole

    public init(_ table: Table, role: TableRole = .plain) { self.table = table; self.role = role }

    public override var typeName: String { "Table" }

    public override var memberNames: [String] { ["count", "columns", "schema"] + table.columnNames }

    public override func member(_ name: String) -> Value? {
        switch name {
        case "count": return .int(table.rowCount)
        case "columns": return .list(table.columnNames.map { .string($0) })
        case "schema":
            return .list(table.schema.map { .record(RecordRef(names: ["name", "type"], values: [.string($0.name), .string($0.type.rawValue)])) })
        default:
            guard table.hasColumn(name), let c = try? table.column(name) else { return nil }
            return .list(TableObject.values(c))
        }
    }

    public override func subscriptValue(_ key: Value) throws -> Value? {
        switch key {
        case .string(let name):
            return .list(TableObject.values(try table.column(name)))
        case .int(let i):
            let j = i < 0 ? i + table.rowCount : i
            guard j >= 0 && j < table.rowCount else {
                throw RecError(.value, "row \(i) out of range (the table has \(table.rowCount) rows)")
            }
            return rowMap(j)
        case .range(let r):
            guard r.lower >= 0, r.upper <= table.rowCount, r.lower <= r.upper else {
                throw RecError(.value, "rows \(Value.range(r).repr) out of range (the table has \(table.rowCount) rows)")
            }
            return .native(TableObject(table.slicingRows(r.lower..<r.upper)))
        default:
            return nil
        }
    }

    public override func elements() -> [Value]? { (0..<table.rowCount).map(rowMap) }

    func rowMap(_ i: Int) -> Value {
        let m = MapRef()
        for (c, name) in table.columnNames.enumerated() { m.set(.string(name), TableObject.value(table.columns[c][i])) }
        return .map(m)
    }

    public override var textDescription: String { table.renderText() }

    public override func text(_ options: DisplayOptions) -> String { table.renderText(options.tableFormat) }

    public override func display(_ options: DisplayOptions) -> DisplayData {
        DisplayData(["text/plain": table.renderText(options.tableFormat), "text/html": html(options.tableFormat)])
    }

    // MARK: Conversions between cells and values

    static func value(_ v: TableValue) -> Value {
        switch v {
        case .null: return .nil
        case .int(let i): return .int(Int(i))
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        }
    }

    static func values(_ c: Column) -> [Value] { c.values.map(value) }

    /// A Rec value as a table cell; lists, maps and other structures are not cells.
    static func cell(_ v: Value) -> TableValue? {
        switch v {
        case .nil: return .null
        case .int(let i): return .int(Int64(i))
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        default: return nil
        }
    }
}
