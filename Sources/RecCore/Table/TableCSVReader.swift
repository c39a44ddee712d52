// Reading a delimited text file (CSV, TSV …) into a Table: the other half of TableCSV.swift, for
// side files such as item catalogues, user profiles or another system's recommendation lists.

/// Options for `Table.readDelimited`.
public struct CSVReadOptions: Sendable, Equatable {
    /// The field separator, one ASCII character ("," "\t" "tab" "|" ";"), or "auto" to guess it
    /// from the first line as `load` does.
    public var separator: String
    /// Whether the first line holds the column names. nil (the default) means yes, unless
    /// `columns` is given: names given for the columns mean the file has none.
    public var header: Bool?
    /// Column names: those of a headerless file, or (with `header: true`) names that replace the
    /// header line's. Without them, a headerless file's columns are `column1`, `column2` ….
    public var columns: [String]?
    public var encoding: TextEncoding

    public init(separator: String = "auto", header: Bool? = nil, columns: [String]? = nil, encoding: TextEncoding = .utf8) {
        self.separator = separator
        self.header = header
        self.columns = columns
        self.encoding = encoding
    }

    /// Whether the first line is read as the header.
    public var hasHeader: Bool { header ?? (columns == nil) }
}

extension Table {
    /// Reads a delimited text file (gzip accepted) with `TextTable.read` — the scanner and the
    /// line-numbered errors of the interaction loader, RFC 4180 quoting included — and types its
    /// columns: Int when every non-empty field is an integer, Double when every one is a number,
    /// String otherwise. An empty unquoted field is null; `""` is the empty string (as `csv()`
    /// writes them), so a table written with `csv()` reads back the same.
    public static func readDelimited(_ path: String, options: CSVReadOptions = CSVReadOptions()) throws -> Table {
        try readDelimitedReporting(path, options: options).table
    }

    /// `readDelimited` with the report of the read: its rows, skipped lines and the header fields
    /// that look like data, for callers that warn about them.
    public static func readDelimitedReporting(_ path: String, options: CSVReadOptions = CSVReadOptions()) throws
        -> (table: Table, report: LoadReport) {
        try checkColumnNames(options, path)
        return try typed(TextTable.read(path, separator: options.separator, header: options.hasHeader ? .present : .absent,
                                        names: options.columns, encoding: options.encoding))
    }

    /// Reads delimited text held in memory, named `name` in errors.
    public static func readDelimited(bytes: UnsafeRawBufferPointer, name: String, options: CSVReadOptions = CSVReadOptions()) throws -> Table {
        try checkColumnNames(options, name)
        return try typed(TextTable.read(bytes: bytes, name: name, separator: options.separator,
                                        header: options.hasHeader ? .present : .absent, names: options.columns,
                                        encoding: options.encoding)).table
    }

    static func checkColumnNames(_ options: CSVReadOptions, _ path: String) throws {
        guard let given = options.columns else { return }
        guard !given.isEmpty else { throw DataError(.invalidArgument, path: path, message: "columns: is empty") }
        var seen = Set<String>()
        for name in given where !seen.insert(name).inserted {
            throw DataError(.invalidArgument, path: path, message: "columns: names \"\(name)\" twice")
        }
    }

    /// The text's columns, named by its header (or column1 …) and typed.
    static func typed(_ text: TextTable) throws -> (table: Table, report: LoadReport) {
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
        return (try Table(pairs), text.report)
    }

    static func typedColumn(_ raw: [String?]) -> Column {
        switch InferredType.of(raw.lazy.compactMap { $0 }) {
        case .int: return Column(optionalInts: raw.map { $0.flatMap { Int64($0) } })
        case .double: return Column(optionalDoubles: raw.map { $0.flatMap { Double($0) } })
        case .string: return Column(optionalStrings: raw)
        }
    }
}
