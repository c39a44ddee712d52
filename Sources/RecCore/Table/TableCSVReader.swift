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
    /// Reads a delimited text file (gzip accepted) with RFC 4180 quoting: a quoted field may hold
    /// the separator, line breaks and doubled quotes. Every line must have as many fields as the
    /// first; a line that does not is an error naming the file and line.
    ///
    /// Column types are inferred: Int when every non-empty field is an integer, Double when every
    /// one is a number, String otherwise. An empty unquoted field is null; `""` is the empty
    /// string (as `csv()` writes them), so a table written with `csv()` reads back the same.
    public static func readDelimited(_ path: String, options: CSVReadOptions = CSVReadOptions()) throws -> Table {
        let file = try FileBytes.open(path)
        let bytes = file.buffer
        let resolved = try DelimitedOptions(separator: options.separator).resolvingSeparator(file.base, file.count).separatorBytes()
        guard resolved.count == 1 else {
            throw DataError(.invalidArgument, path: path, message: "a table's separator must be one character, got \(options.separator.debugDescription)")
        }
        let sep = resolved[0]
        var rows: [[String?]] = []
        var lines: [Int] = []
        var parser = CSVFieldParser(bytes: bytes, separator: sep)
        while let (row, line) = try parser.nextRecord(path: path) {
            rows.append(row); lines.append(line)
        }
        guard let first = rows.first else { throw DataError(.emptyFile, path: path, message: "no lines") }
        let names: [String]
        var body = rows[...]
        if options.header {
            names = first.enumerated().map { $0.element ?? "column\($0.offset + 1)" }
            body = rows.dropFirst()
        } else {
            names = (1...first.count).map { "column\($0)" }
        }
        for (k, row) in zip(body.indices, body) where row.count != names.count {
            throw DataError(.malformedLine, path: path, line: lines[k],
                            message: "\(row.count) fields where the first line has \(names.count)")
        }
        var pairs: [(String, Column)] = []
        var seen = Set<String>()
        for (c, name) in names.enumerated() {
            guard seen.insert(name).inserted else {
                throw DataError(.malformedLine, path: path, line: lines[0], message: "column name \"\(name)\" appears twice")
            }
            pairs.append((name, inferredColumn(body.map { $0[c] })))
        }
        return try Table(pairs)
    }

    static func inferredColumn(_ raw: [String?]) -> Column {
        var allInt = true, allNum = true
        for case let s? in raw {
            if allInt && Int64(s) == nil { allInt = false }
            if !allInt && Double(s) == nil { allNum = false; break }
        }
        if allInt { return Column(optionalInts: raw.map { $0.flatMap { Int64($0) } }) }
        if allNum { return Column(optionalDoubles: raw.map { $0.flatMap { Double($0) } }) }
        return Column(optionalStrings: raw)
    }
}

/// Splits delimited text into records of fields: nil for an empty unquoted field, the text
/// otherwise (quotes removed, doubled quotes undone). CRLF and LF both end a record; blank lines
/// are skipped.
struct CSVFieldParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let separator: UInt8
    var position = 0
    var line = 1

    init(bytes: UnsafeBufferPointer<UInt8>, separator: UInt8) {
        self.bytes = bytes
        self.separator = separator
        // A UTF-8 byte-order mark is not part of the first column's name.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    /// The next record and the line it starts on, or nil at the end.
    mutating func nextRecord(path: String) throws -> ([String?], Int)? {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        while position < bytes.count && (bytes[position] == lf || bytes[position] == cr) {
            if bytes[position] == lf { line += 1 }
            position += 1
        }
        guard position < bytes.count else { return nil }
        let start = line
        var fields: [String?] = []
        while true {
            var field: [UInt8] = []
            var wasQuoted = false
            if position < bytes.count && bytes[position] == quote {
                wasQuoted = true
                position += 1
                while true {
                    guard position < bytes.count else {
                        throw DataError(.malformedLine, path: path, line: start, message: "a quoted field is never closed")
                    }
                    let c = bytes[position]
                    if c == quote {
                        if position + 1 < bytes.count && bytes[position + 1] == quote { field.append(quote); position += 2; continue }
                        position += 1
                        break
                    }
                    if c == lf { line += 1 }
                    field.append(c); position += 1
                }
            }
            while position < bytes.count, bytes[position] != separator, bytes[position] != lf, bytes[position] != cr {
                if wasQuoted {
                    throw DataError(.malformedLine, path: path, line: line, message: "text after a closing quote")
                }
                field.append(bytes[position]); position += 1
            }
            fields.append(field.isEmpty && !wasQuoted ? nil : String(decoding: field, as: UTF8.self))
            if position < bytes.count && bytes[position] == separator { position += 1; continue }
            // End of record: CRLF or LF (or end of file).
            if position < bytes.count && bytes[position] == cr { position += 1 }
            if position < bytes.count && bytes[position] == lf { position += 1; line += 1 }
            return (fields, start)
        }
    }
}
