// Options for reading delimited text (CSV, TSV, `::`-separated…).

/// The interaction fields a column can be mapped to.
public enum InteractionField: String, CaseIterable, Sendable, Hashable {
    case user, item, value, timestamp, event, channel

    /// Column names recognised for this field (compared lower-cased, ignoring `_`, `-` and spaces).
    public var aliases: [String] {
        switch self {
        case .user: return ["user", "userid", "uid", "users", "visitorid", "visitor", "customer", "customerid",
                            "member", "memberid", "reviewerid", "clientid", "sessionid"]
        case .item: return ["item", "itemid", "iid", "items", "movie", "movieid", "product", "productid", "asin",
                            "article", "articleid", "track", "trackid", "song", "songid", "book", "bookid", "isbn",
                            "business", "businessid", "artist", "artistid", "sku", "contentid"]
        case .value: return ["value", "rating", "ratings", "score", "weight", "stars", "count", "plays", "playcount",
                             "quantity", "confidence"]
        case .timestamp: return ["timestamp", "time", "ts", "datetime", "date", "eventtime", "unixtime", "created",
                                 "createdat", "when"]
        case .event: return ["event", "eventtype", "type", "action", "behavior", "behaviour", "interaction",
                             "interactiontype"]
        case .channel: return ["channel", "context", "source", "platform", "device", "medium"]
        }
    }

    /// The field a column name stands for, if any.
    public static func matching(_ columnName: String) -> InteractionField? {
        let n = normalizeColumnName(columnName)
        return allCases.first { $0.aliases.contains(n) }
    }
}

func normalizeColumnName(_ s: String) -> String {
    String(s.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " })
}

/// A column chosen by header name or by 0-based position.
public enum ColumnRef: Hashable, Sendable, CustomStringConvertible {
    case name(String)
    case position(Int)
    public var description: String {
        switch self {
        case .name(let n): return n
        case .position(let p): return "#\(p + 1)"
        }
    }
}

/// Whether the first line holds column names.
public enum HeaderMode: String, Sendable {
    /// Header when the first line names a known column (`user`, `userId`, `rating`…) or one of
    /// the names given in `columns`/`mapping`.
    case auto
    case present
    case absent
}

/// How a file's bytes become text. A UTF-8 byte-order mark at the start is skipped in either case.
public enum TextEncoding: String, Sendable {
    /// UTF-8 (the default); an invalid byte sequence is a malformed line.
    case utf8
    /// ISO-8859-1 (old MovieLens files): every byte is one character, transcoded to UTF-8 strings.
    /// Decoded on the general path, so it costs UTF-8 files nothing.
    case latin1

    /// The names accepted for each encoding, compared ignoring case: "utf-8-sig" is UTF-8 with a
    /// byte-order mark, which is skipped anyway.
    public static let names: [(name: String, encoding: TextEncoding)] = [
        ("utf-8", .utf8), ("utf8", .utf8), ("utf-8-sig", .utf8), ("utf8-sig", .utf8),
        ("latin-1", .latin1), ("latin1", .latin1), ("iso-8859-1", .latin1), ("iso8859-1", .latin1),
        ("iso-latin-1", .latin1),
    ]

    /// The encoding an encoding name stands for ("utf-8", "latin-1", "ISO-8859-1" …), or nil.
    public init?(name: String) {
        let n = name.lowercased().replacingOccurrences(of: "_", with: "-")
        guard let e = TextEncoding.names.first(where: { $0.name == n }) else { return nil }
        self = e.encoding
    }
}

public enum ValuePrecision: String, Sendable { case float, double }

public enum TimestampUnit: String, Sendable {
    case seconds, milliseconds
    var divisor: Int64 { self == .seconds ? 1 : 1000 }
}

/// How to read an interaction file.
///
/// Columns are found, in order of precedence: by `mapping` (name or position); by the header's
/// names (or `columns`, names given by position for headerless files), matched against each
/// field's aliases; for a headerless file with no names, by the MovieLens/`u.data` convention
/// user, item, value, timestamp (for as many columns as there are). Names `""` and `"_"` in
/// `columns` mark ignored columns; unrecognised names are ignored too.
public struct DelimitedOptions: Sendable {
    /// The field separator: any single byte (",", "\t", "|", ";") or a multi-byte string ("::"),
    /// or "auto" (the default) to take whichever of tab, comma, semicolon, `|` and `::` occurs
    /// most often on the first line.
    public var separator: String
    public var header: HeaderMode
    /// Column names by position, for files without a header (e.g. ["user","item","rating","timestamp"]).
    public var columns: [String]?
    /// Explicit field → column assignments, overriding name matching.
    public var mapping: [InteractionField: ColumnRef]
    /// Whether `"` starts a quoted field.
    public var quoting: Bool
    public var encoding: TextEncoding
    public var onError: ErrorPolicy
    /// How many skipped lines the report keeps (all are counted).
    public var maxReportedErrors: Int
    public var valuePrecision: ValuePrecision
    public var timestampUnit: TimestampUnit
    /// Parser threads; nil = all cores.
    public var threads: Int?
    /// Bytes parsed per parallel round; bounds the memory for per-thread results and the
    /// resident part of a memory-mapped file.
    public var windowBytes: Int
    /// Windows smaller than this are parsed on one thread (threads cost more than they save on
    /// small inputs). Tests and the fuzzer lower it to exercise the parallel merge on small files.
    public var parallelThreshold = 1 << 20

    public init(separator: String = "auto", header: HeaderMode = .auto, columns: [String]? = nil,
                mapping: [InteractionField: ColumnRef] = [:], quoting: Bool = true, encoding: TextEncoding = .utf8,
                onError: ErrorPolicy = .fail, maxReportedErrors: Int = 10, valuePrecision: ValuePrecision = .float,
                timestampUnit: TimestampUnit = .seconds, threads: Int? = nil, windowBytes: Int = 64 << 20) {
        self.separator = separator; self.header = header; self.columns = columns; self.mapping = mapping
        self.quoting = quoting; self.encoding = encoding; self.onError = onError
        self.maxReportedErrors = maxReportedErrors; self.valuePrecision = valuePrecision
        self.timestampUnit = timestampUnit; self.threads = threads; self.windowBytes = windowBytes
    }

    /// Tab-separated, no header, user/item/rating/timestamp (MovieLens u.data layout).
    public static var movieLensTSV: DelimitedOptions {
        DelimitedOptions(separator: "\t", header: .absent, columns: ["user", "item", "rating", "timestamp"])
    }

    /// Resolves "auto" against the first line of `p` (see `separator`).
    func resolvingSeparator(_ p: UnsafePointer<UInt8>, _ n: Int) -> DelimitedOptions {
        guard separator.lowercased() == "auto" else { return self }
        var o = self
        var end = 0
        while end < n && p[end] != 0x0A { end += 1 }
        var counts: [String: Int] = ["\t": 0, ",": 0, ";": 0, "|": 0, "::": 0]
        var i = 0
        var inQuote = false
        while i < end {
            let b = p[i]
            if b == 0x22 { inQuote.toggle() }
            else if !inQuote {
                switch b {
                case 0x09: counts["\t"]! += 1
                case 0x2C: counts[","]! += 1
                case 0x3B: counts[";"]! += 1
                case 0x7C: counts["|"]! += 1
                case 0x3A where i + 1 < end && p[i + 1] == 0x3A: counts["::"]! += 1; i += 1
                default: break
                }
            }
            i += 1
        }
        // Ties go to the earlier candidate in this order.
        let order = ["\t", ",", "::", ";", "|"]
        o.separator = order.max { counts[$0]! != counts[$1]! ? counts[$0]! < counts[$1]! : order.firstIndex(of: $0)! > order.firstIndex(of: $1)! }!
        if counts[o.separator]! == 0 { o.separator = "," }
        return o
    }

    /// The separator as bytes, checked.
    func separatorBytes() throws -> [UInt8] {
        var s = separator
        if s == "\\t" || s.lowercased() == "tab" { s = "\t" }
        let b = Array(s.utf8)
        guard !b.isEmpty else { throw DataError(.invalidArgument, message: "the separator is empty") }
        guard b.allSatisfy({ $0 < 0x80 && $0 != 0x0A && $0 != 0x0D && $0 != 0x22 && $0 != 0 }) else {
            throw DataError(.invalidArgument, message: "invalid separator \(separator.debugDescription): use ASCII characters other than quote and newline")
        }
        return b
    }
}
