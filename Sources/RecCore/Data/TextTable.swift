// Reading small delimited files (attribute tables, catalogues) as rows of strings.

import Foundation

/// A delimited file read as text: for attribute files (users, items), which are small, so
/// convenience wins over speed here. Uses the same scanner and error reporting as the
/// interaction loader.
public struct TextTable: Sendable {
    /// The column names: the header line, or the `names` given to `read` (which replace the
    /// header line when the file has one). `report.header` keeps the file's own header line.
    public var header: [String]?
    public var rows: [[String]]
    /// The 1-based line number of each row.
    public var lineNumbers: [Int]
    /// Per row, which fields were empty and unquoted — a CSV writer's null, where `""` is an
    /// empty string (`Table.readDelimited` keeps the difference; attribute files ignore it).
    public var missing: [[Bool]]
    public var report: LoadReport

    /// The column index for a header name (exact, then case/underscore-insensitive).
    public func columnIndex(_ name: String) -> Int? {
        guard let h = header else { return nil }
        return h.firstIndex(of: name) ?? h.firstIndex { normalizeColumnName($0) == normalizeColumnName(name) }
    }

    /// Reads `path` (`separator` as in `DelimitedOptions`, "auto" included). `header: .auto` treats the first line as a header when it has no numeric
    /// field. Every row must have as many fields as the first (or `fieldCount` when given, for
    /// files whose last fields may be empty).
    ///
    /// `names` names the columns: of a headerless file (then every line must have that many
    /// fields), or, with `header: .present`, in place of the header line's names (which must be
    /// as many). A header line that holds numbers is noted in `report.numericHeaderFields`.
    public static func read(_ path: String, separator: String = ",", header: HeaderMode = .auto,
                            names: [String]? = nil, encoding: TextEncoding = .utf8, quoting: Bool = true,
                            onError: ErrorPolicy = .fail, maxReportedErrors: Int = 10, fieldCount: Int? = nil) throws -> TextTable {
        try read(FileBytes.open(path), separator: separator, header: header, names: names, encoding: encoding, quoting: quoting,
                 onError: onError, maxReportedErrors: maxReportedErrors, fieldCount: fieldCount)
    }

    /// Reads text held in memory, named `name` in errors and the report (see `read(_:…)`).
    public static func read(bytes: UnsafeRawBufferPointer, name: String, separator: String = ",", header: HeaderMode = .auto,
                            names: [String]? = nil, encoding: TextEncoding = .utf8, quoting: Bool = true,
                            onError: ErrorPolicy = .fail) throws -> TextTable {
        try read(FileBytes.memory(bytes, name: name), separator: separator, header: header, names: names, encoding: encoding,
                 quoting: quoting, onError: onError, maxReportedErrors: 10, fieldCount: nil)
    }

    static func read(_ file: FileBytes, separator: String, header: HeaderMode, names: [String]? = nil, encoding: TextEncoding,
                     quoting: Bool, onError: ErrorPolicy, maxReportedErrors: Int, fieldCount: Int?) throws -> TextTable {
        let path = file.path
        let p = file.base, n = file.count
        var opts = DelimitedOptions(separator: separator)
        opts.encoding = encoding
        opts = opts.resolvingSeparator(p, n)
        let sep = try opts.separatorBytes()
        let latin1 = encoding == .latin1
        let scanner = RecordScanner(base: p, separator: sep, quoting: quoting)
        let scratch = ScratchBytes()
        var report = LoadReport(path: path)
        report.gzip = file.gzip
        var pos = 0
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { pos = 3 }
        var line = 1
        var expected = fieldCount
        var hdr: [String]? = nil
        var rows: [[String]] = []
        var lines: [Int] = []
        var missing: [[Bool]] = []
        var first = true
        // Given names fix the field count of a headerless file (a mismatch names them).
        if let names, header != .present, expected == nil { expected = names.count }
        let countNames = header == .present ? nil : names
        while pos < n {
            let thisLine = line
            pos = scanner.scan(pos, limit: n)
            line += scanner.newlines
            var reason: String? = nil
            if scanner.problem != .none { reason = scanner.problem.message }
            else if scanner.isBlank { continue }
            else if !latin1 && scanner.highBit && !isValidUTF8(p, scanner.recStart, scanner.recEnd) {
                reason = invalidUTF8Reason(p, scanner.recStart, scanner.recEnd)
            }
            if reason == nil {
                let fields = (0..<scanner.fieldCount).map { scratch.string(p, scanner[$0], quote: 0x22, latin1: latin1) }
                if first {
                    first = false
                    let isHeader: Bool
                    switch header {
                    case .present: isHeader = true
                    case .absent: isHeader = false
                    case .auto: isHeader = names == nil && !fields.contains { looksNumeric($0) }
                    }
                    if expected == nil { expected = fields.count }
                    if isHeader {
                        if let names, names.count != fields.count {
                            throw DataError(.malformedLine, path: path, line: thisLine,
                                            message: "the header has \(fields.count) fields but columns: gives \(names.count) names", excerpt: scanner.excerpt())
                        }
                        if fields.count != expected {
                            throw DataError(.malformedLine, path: path, line: thisLine,
                                            message: "header has \(fields.count) fields, expected \(expected!)", excerpt: scanner.excerpt())
                        }
                        hdr = fields
                        report.numericHeaderFields = fields.filter(looksNumeric)
                        continue
                    }
                }
                if fields.count == expected! {
                    rows.append(fields); lines.append(thisLine)
                    missing.append((0..<scanner.fieldCount).map { !scanner[$0].quoted && scanner[$0].start == scanner[$0].end })
                    continue
                }
                reason = fieldCountReason(expected: expected!, found: fields.count, names: countNames)
            }
            let r = reason!
            if onError == .fail {
                throw DataError(.malformedLine, path: path, line: thisLine, message: r, excerpt: scanner.excerpt())
            }
            report.skippedCount += 1
            if report.skipped.count < maxReportedErrors {
                report.skipped.append(SkippedLine(line: thisLine, reason: r, text: scanner.excerpt()))
            }
        }
        report.lines = line - ((n > 0 && p[n - 1] == 0x0A) ? 1 : 0)
        report.rows = rows.count
        report.header = hdr
        return TextTable(header: names ?? hdr, rows: rows, lineNumbers: lines, missing: missing, report: report)
    }
}

/// Whether a field reads as a number ("24", "-1.5", " 3 "): a column name rarely does, a data
/// field often does — the sign that a first line taken as a header is really data.
func looksNumeric(_ field: String) -> Bool {
    let t = field.trimmingCharacters(in: .whitespaces)
    return !t.isEmpty && Double(t) != nil
}

extension AttributeTable {
    /// Builds an attribute table from a text table: `key` names the ID column; other columns
    /// get inferred types (int, double, string); `multiValued` columns are split on the given
    /// separator into label lists (e.g. ["genres": "|"]). `names` names the columns of a
    /// headerless file.
    public init(table: TextTable, key: ColumnRef, names: [String]? = nil, multiValued: [String: String] = [:],
                skip: Set<String> = []) throws {
        let colNames: [String] = names ?? table.header
            ?? (0..<(table.rows.first?.count ?? 0)).map { "column\($0 + 1)" }
        let width = table.rows.first?.count ?? colNames.count
        guard colNames.count == width || table.rows.isEmpty else {
            throw DataError(.invalidArgument, path: table.report.path,
                            message: "\(colNames.count) column names given for \(width) columns")
        }
        let keyIndex: Int
        switch key {
        case .position(let i): keyIndex = i
        case .name(let s):
            guard let i = colNames.firstIndex(of: s) ?? colNames.firstIndex(where: { normalizeColumnName($0) == normalizeColumnName(s) }) else {
                throw DataError(.missingColumn, path: table.report.path, message: "no key column '\(s)' (columns: \(colNames.joined(separator: ", ")))")
            }
            keyIndex = i
        }
        guard keyIndex >= 0 && keyIndex < max(width, 1) else {
            throw DataError(.missingColumn, path: table.report.path, message: "key column \(key) out of range")
        }
        var keys = [String]()
        var seen = Set<String>()
        for (r, row) in table.rows.enumerated() {
            let k = row[keyIndex]
            if !seen.insert(k).inserted {
                throw DataError(.malformedLine, path: table.report.path, line: table.lineNumbers[r],
                                message: "duplicate key '\(k)'", excerpt: row.joined(separator: " | "))
            }
            keys.append(k)
        }
        var cols: [(name: String, column: AttributeColumn)] = []
        for (j, name) in colNames.enumerated() where j != keyIndex && !skip.contains(name) {
            let raw = table.rows.map { $0[j] }
            if let sep = multiValued[name] {
                cols.append((name, .multi(raw.map { $0.isEmpty ? [] : $0.components(separatedBy: sep) })))
            } else {
                cols.append((name, AttributeColumn.inferred(raw)))
            }
        }
        try self.init(keys: keys, columns: cols)
    }

    /// Reads an attribute file (CSV by default) keyed by `key`.
    public static func load(_ path: String, key: ColumnRef, separator: String = ",", header: HeaderMode = .auto,
                            names: [String]? = nil, encoding: TextEncoding = .utf8,
                            multiValued: [String: String] = [:]) throws -> AttributeTable {
        let t = try TextTable.read(path, separator: separator, header: header, encoding: encoding)
        return try AttributeTable(table: t, key: key, names: names, multiValued: multiValued)
    }
}
