// Reading a delimited text file (CSV, TSV …) into a Table: the other half of TableCSV.swift, for
// side files such as item catalogues, user profiles or another system's recommendation lists.

/// Options for `Table.readDelimited`.
public struct CSVReadOptions: Sendable, Equatable {
    /// The field separator, one ASCII character ("," "\t" "tab" "|" ";"), or "auto" to guess it
    /// from the first line as `load` does.
    public var separator: String
    /// Whether the first line holds the column names (otherwise columns are `column1`, `column2` …).
    public var header: Bool

    public init(separator: String = "auto", header: Bool = true) {
        self.separator = separator
        self.header = header
    }
}

extension Table {
    /// Reads a delimited text file (gzip accepted) with `TextTable.read` — the scanner and the
    /// line-numbered errors of the interaction loader, RFC 4180 quoting included — and types its
    /// columns: Int when every non-empty field is an integer, Double when every one is a number,
    /// String otherwise. An empty unquoted field is null; `""` is the empty string (as `csv()`
    /// writes them), so a table written with `csv()` reads back the same.
    public static func readDelimited(_ path: String, options: CSVReadOptions = CSVReadOptions()) throws -> Table {
        try typed(TextTable.read(path, separator: options.separator, header: options.header ? .present : .absent))
    }

    /// Reads delimited text held in memory, named `name` in errors.
    public static func readDelimited(bytes: UnsafeRawBufferPointer, name: String, options: CSVReadOptions = CSVReadOptions()) throws -> Table {
        try typed(TextTable.read(bytes: bytes, name: name, separator: options.separator, header: options.header ? .present : .absent))
    }

    /// The text's columns, named by its header (or column1 …) and typed.
    static func typed(_ text: TextTable) throws -> Table {
        let path = text.report.path
        guard let width = text.header?.count ?? text.rows.first?.count else {
            throw DataError(.emptyFile, path: path, message: "no lines")
        }
        let names = text.header.map { h in h.enumerated().map { $0.element.isEmpty ? "column\($0.offset + 1)" : $0.element } }
            ?? (1...width).map { "column\($0)" }
        var pairs: [(String, Column)] = []
        var seen = Set<String>()
        for (c, name) in names.enumerated() {
            guard seen.insert(name).inserted else {
                throw DataError(.malformedLine, path: path, line: 1, message: "column name \"\(name)\" appears twice")
            }
            let raw = text.rows.indices.map { r in text.missing[r][c] ? nil : text.rows[r][c] }
            pairs.append((name, typedColumn(raw)))
        }
        return try Table(pairs)
    }

    static func typedColumn(_ raw: [String?]) -> Column {
        switch InferredType.of(raw.lazy.compactMap { $0 }) {
        case .int: return Column(optionalInts: raw.map { $0.flatMap { Int64($0) } })
        case .double: return Column(optionalDoubles: raw.map { $0.flatMap { Double($0) } })
        case .string: return Column(optionalStrings: raw)
        }
    }
}
