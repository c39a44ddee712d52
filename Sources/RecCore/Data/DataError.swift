// Errors raised while loading or preparing behaviour data.

/// An error from loading or preparing data, carrying where it happened so that a user can open the
/// file at the offending line.
///
/// `description` renders as `path:line: message` followed by the offending text (the excerpt) on
/// its own line, which is what the REPL shows.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for callers that react differently to, say, a missing file.
    public enum Kind: String, Sendable {
        case fileNotFound, notAFile, emptyFile, binaryFile, io, decompression
        case malformedLine, missingColumn, invalidArgument, unsupportedLayout
    }

    public var kind: Kind
    /// The file involved, when there is one.
    public var path: String?
    /// 1-based physical line number in the (decompressed) file, when the error is about a line.
    public var line: Int?
    public var message: String
    /// The offending text (a line, truncated to a readable length), when there is one.
    public var excerpt: String?
    /// What to change, in the terms of the Swift API (`mapping[.user]`), shown after the message.
    /// A binding with its own names for the options replaces it (Rec's `load(user: …)`).
    public var hint: String?
    /// For `missingColumn`: the field no column or key was found for.
    public var missingField: InteractionField?

    public init(_ kind: Kind, path: String? = nil, line: Int? = nil, message: String, excerpt: String? = nil,
                hint: String? = nil, missingField: InteractionField? = nil) {
        self.kind = kind
        self.path = path
        self.line = line
        self.message = message
        self.excerpt = excerpt
        self.hint = hint
        self.missingField = missingField
    }

    public var description: String {
        var s = ""
        if let path { s += path; if let line { s += ":\(line)" }; s += ": " }
        else if let line { s += "line \(line): " }
        s += message
        if let hint { s += "; " + hint }
        if let excerpt { s += "\n    \(excerpt)" }
        return s
    }
}

/// What a loader does with a malformed line.
public enum ErrorPolicy: String, Sendable {
    /// Throw a `DataError` for the first malformed line (the default).
    case fail
    /// Skip malformed lines; the load report counts them and keeps the first few.
    case skip
}

/// A line a loader skipped under `ErrorPolicy.skip`.
public struct SkippedLine: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var text: String
    public init(line: Int, reason: String, text: String) {
        self.line = line; self.reason = reason; self.text = text
    }
    public var description: String { "line \(line): \(reason): \(text)" }
}

/// What a load did: how much it read and what it skipped. Skipped lines are always counted here,
/// never dropped silently.
public struct LoadReport: Sendable, CustomStringConvertible {
    public var path: String
    /// Data rows kept.
    public var rows: Int = 0
    /// Physical lines in the file, header included.
    public var lines: Int = 0
    public var skippedCount: Int = 0
    /// The first few skipped lines, in file order.
    public var skipped: [SkippedLine] = []
    /// Header names, when the file had a header.
    public var header: [String]? = nil
    /// Fields of the header line that read as numbers: a sign that the first line is data, which
    /// callers report (a header is not expected to hold numbers).
    public var numericHeaderFields: [String] = []
    /// How each interaction field was found: field name → column name or `#position` (1-based).
    public var columnMapping: [String: String] = [:]
    public var gzip: Bool = false

    public init(path: String) { self.path = path }

    public var description: String {
        var s = "\(path): \(rows) rows from \(lines) lines"
        if gzip { s += " (gzip)" }
        if skippedCount > 0 {
            s += ", \(skippedCount) malformed line\(skippedCount == 1 ? "" : "s") skipped"
            for l in skipped { s += "\n  \(l)" }
        }
        return s
    }
}

/// Why a line with the wrong number of fields is malformed. `names`: the column names the count
/// came from, when the caller gave them rather than the file's first line — listing them shows
/// at once whether the names or the line are wrong.
func fieldCountReason(expected: Int, found: Int, names: [String]?) -> String {
    guard let names else { return "expected \(expected) fields, found \(found)" }
    let shown = names.prefix(8).map { $0.isEmpty ? "_" : $0 }.joined(separator: ", ") + (names.count > 8 ? ", …" : "")
    return "expected \(expected) fields (\(shown)), found \(found)"
}

/// Renders bytes as a readable excerpt: invalid UTF-8 is replaced, control bytes are escaped and
/// the text is cut at `limit` characters (marked `…`), never inside a multi-byte character.
func excerptText(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 200) -> String {
    var out = ""
    var end = min(bytes.count, 4 * limit + 1)
    let cut = end
    while end < bytes.count && end > cut - 3 && bytes[end] & 0xC0 == 0x80 { end -= 1 }  // back to a character start
    let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
    var n = 0
    for ch in s.unicodeScalars {
        if n >= limit { break }
        switch ch {
        case "\0": out += "\\0"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "\n": out += "\\n"
        default:
            if ch.value < 0x20 { out += "\\x" + String(ch.value, radix: 16) } else { out.unicodeScalars.append(ch) }
        }
        n += 1
    }
    if n < s.unicodeScalars.count || end < bytes.count { out += "…" }
    return out
}
