// The columnar table used for everything tabular in Rec: query results, evaluation results,
// recommendation lists, summaries.

/// An immutable-by-convention table of named, typed columns of equal length.
///
/// Operations return new tables (columns are copy-on-write arrays, so selecting or renaming shares
/// storage). Column names are unique and ordered. Errors are `TableError`s.
public struct Table: Sendable {
    public internal(set) var columnNames: [String]
    public internal(set) var columns: [Column]
    public internal(set) var rowCount: Int
    /// Name → position, so that by-name access (row views in predicates) is a hash lookup.
    var positions: [String: Int]

    /// A table with no columns and no rows.
    public init() {
        columnNames = []
        columns = []
        rowCount = 0
        positions = [:]
    }

    /// A table from (name, column) pairs. All columns must have the same length and names must be
    /// unique.
    public init(_ pairs: [(String, Column)]) throws {
        self.init()
        for (name, column) in pairs { try appendColumn(name, column) }
    }

    /// A table from parallel name and column lists.
    public init(columnNames: [String], columns: [Column]) throws {
        guard columnNames.count == columns.count else {
            throw TableError.invalidArgument("\(columnNames.count) column names for \(columns.count) columns")
        }
        try self.init(Array(zip(columnNames, columns)))
    }

    /// A table from rows of cells, one cell per name. Column types come from `types` when given,
    /// else from the first non-null value of each column (ints and doubles may mix: the column
    /// becomes Double); an all-null column without a type is String.
    public init(columnNames: [String], rows: [[TableValue]], types: [ColumnType]? = nil) throws {
        if let types, types.count != columnNames.count {
            throw TableError.invalidArgument("\(types.count) types for \(columnNames.count) columns")
        }
        var builders = columnNames.indices.map { ColumnBuilder(type: types?[$0], policy: .strict, name: columnNames[$0]) }
        for b in builders.indices { builders[b].reserveCapacity(rows.count) }
        for (r, row) in rows.enumerated() {
            guard row.count == columnNames.count else {
                throw TableError.lengthMismatch(context: "row \(r)", expected: columnNames.count, found: row.count)
            }
            for c in row.indices { try builders[c].append(row[c]) }
        }
        try self.init(columnNames: columnNames, columns: builders.map { $0.build() })
        rowCount = rows.count
    }

    /// A table from records (name → value pairs per row, as the language's records and maps give
    /// them). Columns appear in first-seen order; a name missing from a record is null there.
    public init(records: [[(String, TableValue)]], types: [String: ColumnType] = [:]) throws {
        var names: [String] = []
        var index: [String: Int] = [:]
        for record in records {
            for (name, _) in record where index[name] == nil {
                index[name] = names.count
                names.append(name)
            }
        }
        var builders = names.map { ColumnBuilder(type: types[$0], policy: .strict, name: $0) }
        for b in builders.indices { builders[b].reserveCapacity(records.count) }
        for record in records {
            let before = builders.first?.count ?? 0
            for (name, value) in record {
                let c = index[name]!
                guard builders[c].count == before else { throw TableError.duplicateColumn(name) }
                try builders[c].append(value)
            }
            for c in builders.indices where builders[c].count == before { builders[c].appendNull() }
        }
        try self.init(columnNames: names, columns: builders.map { $0.build() })
        rowCount = records.count
    }

    // MARK: Shape and schema

    public var columnCount: Int { columns.count }
    public var isEmpty: Bool { rowCount == 0 }

    /// (name, type) per column, in order.
    public var schema: [(name: String, type: ColumnType)] {
        zip(columnNames, columns).map { ($0, $1.type) }
    }

    public func hasColumn(_ name: String) -> Bool { positions[name] != nil }

    /// The position of column `name`.
    public func columnIndex(_ name: String) throws -> Int {
        guard let i = positions[name] else { throw TableError.unknownColumn(name, available: columnNames) }
        return i
    }

    /// The column called `name`.
    public func column(_ name: String) throws -> Column {
        columns[try columnIndex(name)]
    }

    /// The column called `name`, or nil.
    public subscript(name: String) -> Column? {
        positions[name].map { columns[$0] }
    }

    // MARK: Rows

    /// A view of row `i` (no copying: it reads the columns on demand).
    public func row(_ i: Int) throws -> TableRow {
        guard i >= 0 && i < rowCount else { throw TableError.rowOutOfRange(i, count: rowCount) }
        return TableRow(table: self, index: i)
    }

    /// Row `i` as (name, value) pairs in column order.
    public func rowPairs(_ i: Int) throws -> [(name: String, value: TableValue)] {
        try row(i).pairs
    }

    /// The cell at row `i` of column `name`.
    public func value(row i: Int, column name: String) throws -> TableValue {
        let c = try columnIndex(name)
        guard i >= 0 && i < rowCount else { throw TableError.rowOutOfRange(i, count: rowCount) }
        return columns[c][i]
    }

    /// All rows as cell lists (for small tables and tests; bulk code should use columns).
    public var rows: [[TableValue]] {
        (0..<rowCount).map { r in columns.map { $0[r] } }
    }

    // MARK: Building (mutating, used by the non-mutating operations)

    /// Appends a column; it must have `rowCount` rows unless the table has no columns yet.
    mutating func appendColumn(_ name: String, _ column: Column) throws {
        guard positions[name] == nil else { throw TableError.duplicateColumn(name) }
        if columns.isEmpty {
            rowCount = column.count
        } else if column.count != rowCount {
            throw TableError.lengthMismatch(context: "column \"\(name)\"", expected: rowCount, found: column.count)
        }
        positions[name] = columns.count
        columnNames.append(name)
        columns.append(column)
    }

    /// A table with the same names over new columns of equal length (row count kept even with no
    /// columns). Callers guarantee the invariants.
    func replacingColumns(_ newColumns: [Column], rowCount n: Int) -> Table {
        var t = self
        t.columns = newColumns
        t.rowCount = n
        return t
    }

    /// Replaces all names at once; callers have checked count and uniqueness.
    mutating func setNames(_ names: [String]) {
        columnNames = names
        positions = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }

    mutating func setColumn(_ column: Column, at i: Int) {
        columns[i] = column
    }

    /// A table with only the given rows, keeping `rowCount` right even with zero columns.
    func gatheringRows(_ indices: [Int]) -> Table {
        replacingColumns(columns.map { $0.gathered(indices) }, rowCount: indices.count)
    }
}

extension Table: Equatable {
    /// Same names, same order, equal columns (see `Column.==`).
    public static func == (l: Table, r: Table) -> Bool {
        l.columnNames == r.columnNames && l.rowCount == r.rowCount && l.columns == r.columns
    }
}

/// A lightweight view of one row: what predicates and row-wise code receive.
public struct TableRow: Sendable {
    public let table: Table
    public let index: Int

    /// The cell in column `name`; unknown names trap (use `value(_:)` to get an error instead).
    public subscript(name: String) -> TableValue {
        guard let c = table.positions[name] else {
            preconditionFailure(TableError.unknownColumn(name, available: table.columnNames).description)
        }
        return table.columns[c][index]
    }

    /// The cell in column position `c`.
    public subscript(column c: Int) -> TableValue { table.columns[c][index] }

    /// The cell in column `name`, or an unknown-column error.
    public func value(_ name: String) throws -> TableValue {
        table.columns[try table.columnIndex(name)][index]
    }

    /// (name, value) pairs in column order.
    public var pairs: [(name: String, value: TableValue)] {
        table.columnNames.indices.map { (table.columnNames[$0], table.columns[$0][index]) }
    }
}
