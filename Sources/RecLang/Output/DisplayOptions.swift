import RecCore

/// How values are shown: how many rows of a table, how wide a cell, how many decimals — the
/// settings `set_display` changes for a session (as pandas' `display.max_rows`) and `show(t,
/// rows:)` overrides for one value. Printing, results, `show` and rich (HTML) forms all follow it.
public struct DisplayOptions: Equatable, Sendable {
    /// Tables with more rows show their first and last `rows / 2` around a `…` row; nil shows all.
    public var rows: Int? = 20
    /// Cell text wider than this many terminal columns is cut with `…`.
    public var width: Int = 40
    /// Float columns show at most this many decimals.
    public var decimals: Int = 4

    public init() {}

    public static let standard = DisplayOptions()

    /// The core table renderer's options.
    public var tableFormat: TableFormat {
        TableFormat(maxRows: rows ?? Int.max, maxColumnWidth: width, maxDecimals: decimals)
    }

    /// As a record, for `set_display()`'s answer.
    var record: Value {
        .record(RecordRef(names: ["rows", "width", "decimals"],
                          values: [rows.map { .int($0) } ?? .string("all"), .int(width), .int(decimals)]))
    }
}
