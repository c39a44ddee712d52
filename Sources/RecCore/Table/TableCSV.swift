// Writing a table as CSV (RFC 4180 quoting).

/// Options for `Table.csv`.
public struct CSVWriteOptions: Sendable, Equatable {
    /// The field separator (`,`; `\t` for TSV).
    public var delimiter: Character
    /// Whether the first line holds the column names.
    public var header: Bool
    /// What a null cell becomes (empty by default; empty *strings* are written as `""` so the
    /// two stay distinguishable).
    public var nullText: String

    public init(delimiter: Character = ",", header: Bool = true, nullText: String = "") {
        self.delimiter = delimiter
        self.header = header
        self.nullText = nullText
    }
}

extension Table {
    /// The table as CSV text, one line per row ending in `\n`. Fields containing the delimiter, a
    /// quote, CR or LF are quoted with embedded quotes doubled; floats use the shortest form that
    /// reads back to the same value (`nan`, `inf` for the special values).
    public func csv(_ options: CSVWriteOptions = CSVWriteOptions()) -> String {
        let d = options.delimiter
        var out = ""
        if options.header {
            out += columnNames.map { TableCSV.field($0, d) }.joined(separator: String(d))
            out += "\n"
        }
        for r in 0..<rowCount {
            for (c, column) in columns.enumerated() {
                if c > 0 { out.append(d) }
                if column.isNull(r) { out += options.nullText; continue }
                switch column.storage {
                case .int(let a): out += String(a[r])
                case .double(let a): out += TableNumberFormat.plain(a[r])
                case .bool(let a): out += a[r] ? "true" : "false"
                case .string(let a): out += a[r].isEmpty ? "\"\"" : TableCSV.field(a[r], d)
                }
            }
            out += "\n"
        }
        return out
    }
}

enum TableCSV {
    /// `s` quoted when it has to be.
    static func field(_ s: String, _ delimiter: Character) -> String {
        var needsQuotes = false
        for ch in s where ch == delimiter || ch == "\"" || ch == "\n" || ch == "\r" || ch == "\r\n" {
            needsQuotes = true
            break
        }
        guard needsQuotes else { return s }
        var out = "\""
        for ch in s {
            if ch == "\"" { out += "\"\"" } else { out.append(ch) }
        }
        return out + "\""
    }
}
