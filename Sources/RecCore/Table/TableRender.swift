// Text and HTML renderings of a table: what the REPL prints and what notebooks show.

/// Options for `Table.renderText` and `Table.renderHTML`.
public struct TableFormat: Sendable, Equatable {
    /// Tables with more rows show the first and last `maxRows / 2` rows around a `…` row.
    public var maxRows: Int
    /// Longer cell text is cut to this many terminal columns (a CJK character takes two), ending in `…`.
    public var maxColumnWidth: Int
    /// Float columns show at most this many decimals (fewer when every shown value needs fewer).
    public var maxDecimals: Int
    /// How a null cell reads.
    public var nullText: String

    public init(maxRows: Int = 20, maxColumnWidth: Int = 40, maxDecimals: Int = 4, nullText: String = "nil") {
        self.maxRows = Swift.max(2, maxRows)
        self.maxColumnWidth = Swift.max(2, maxColumnWidth)
        self.maxDecimals = Swift.max(0, maxDecimals)
        self.nullText = nullText
    }
}

extension Table: CustomStringConvertible {
    /// The aligned text rendering with default options.
    public var description: String { renderText() }

    /// An aligned plain-text table: a header, a rule of dashes, one line per row. Numbers are
    /// right-aligned, text and booleans left-aligned; floats in a column share one number of
    /// decimals so that decimal points line up. Long tables show head and tail around a `…` row
    /// and end with the shape, e.g. `[1000 rows × 3 columns]`.
    public func renderText(_ format: TableFormat = TableFormat()) -> String {
        if columns.isEmpty { return rowCount == 0 ? "(empty table)" : "(\(rowCount) rows, no columns)" }
        let layout = TableLayout(self, format)
        var lines: [String] = []
        func line(_ cells: [String]) {
            var s = ""
            for (c, cell) in cells.enumerated() {
                if c > 0 { s += "  " }
                s += cell.padded(toWidth: layout.widths[c], right: layout.rightAligned[c])
            }
            while s.hasSuffix(" ") { s.removeLast() }
            lines.append(s)
        }
        line(layout.header)
        line(layout.widths.map { String(repeating: "-", count: $0) })
        for (k, cells) in layout.body.enumerated() {
            if k == layout.gapBefore { line(layout.header.map { _ in "…" }) }
            line(cells)
        }
        if rowCount == 0 { lines.append("(0 rows)") }
        if layout.gapBefore != nil { lines.append("[\(layout.shape)]") }
        return lines.joined(separator: "\n")
    }

    /// An HTML `<table>` (class `rec-table`) with escaped cells, numeric columns right-aligned by
    /// inline style so that it renders the same without a style sheet. Truncated like the text form.
    /// `caption` (plain text) becomes the table's `<caption>`; `rowAttributes` gives extra
    /// attributes (` class="…"`) for a row by its index in the table, to set some rows apart.
    /// Without a caption, a truncated or empty table is followed by its shape.
    public func renderHTML(_ format: TableFormat = TableFormat(), caption: String? = nil,
                           rowAttributes: ((Int) -> String)? = nil) -> String {
        let layout = TableLayout(self, format)
        let right = " style=\"text-align: right\""
        var s = "<table class=\"rec-table\">\n"
        if let caption { s += "<caption>\(TableLayout.escapeHTML(caption))</caption>\n" }
        s += "<thead>\n<tr>"
        for (c, name) in layout.header.enumerated() {
            s += "<th\(layout.rightAligned[c] ? right : "")>\(TableLayout.escapeHTML(name))</th>"
        }
        s += "</tr>\n</thead>\n<tbody>\n"
        for (k, cells) in layout.body.enumerated() {
            if k == layout.gapBefore {
                s += "<tr>" + layout.header.indices.map { "<td\(layout.rightAligned[$0] ? right : "")>…</td>" }.joined() + "</tr>\n"
            }
            s += "<tr\(rowAttributes?(layout.rows[k]) ?? "")>"
            for (c, cell) in cells.enumerated() {
                s += "<td\(layout.rightAligned[c] ? right : "")>\(TableLayout.escapeHTML(cell))</td>"
            }
            s += "</tr>\n"
        }
        s += "</tbody>\n</table>"
        if caption == nil && (layout.gapBefore != nil || rowCount == 0) {
            s += "\n<p class=\"rec-table-shape\">\(layout.shape)</p>"
        }
        return s
    }
}

/// The cells a rendering shows, already formatted, and how to align them.
struct TableLayout {
    var header: [String]
    /// Formatted cells of the shown rows, row by row.
    var body: [[String]]
    /// Index in `body` before which the `…` row goes, when rows were left out.
    var gapBefore: Int?
    /// The table's index of each row in `body`.
    var rows: [Int]
    var rightAligned: [Bool]
    /// Display width of each column (header and cells), in terminal columns.
    var widths: [Int]
    var shape: String

    init(_ table: Table, _ format: TableFormat) {
        let n = table.rowCount
        let shown: [Int]
        if n > format.maxRows {
            let half = format.maxRows / 2
            shown = Array(0..<half) + Array((n - half)..<n)
            gapBefore = half
        } else {
            shown = Array(0..<n)
            gapBefore = nil
        }
        header = table.columnNames.map { $0.clipped(toWidth: format.maxColumnWidth) }
        rightAligned = table.columns.map { $0.type.isNumeric }
        var columnsOfCells: [[String]] = []
        for column in table.columns {
            columnsOfCells.append(TableLayout.cells(column, rows: shown, format))
        }
        rows = shown
        body = shown.indices.map { r in columnsOfCells.map { $0[r] } }
        let names = header
        let minimum = gapBefore == nil ? 0 : 1  // room for the `…` row
        widths = names.indices.map { c in
            columnsOfCells[c].reduce(Swift.max(names[c].displayWidth, minimum)) { Swift.max($0, $1.displayWidth) }
        }
        let rows = n == 1 ? "1 row" : "\(n) rows"
        let cols = table.columnCount == 1 ? "1 column" : "\(table.columnCount) columns"
        shape = "\(rows) × \(cols)"
    }

    /// Formatted cells of `rows` of one column. Float decimals are chosen per column from the
    /// shown values only, so a hidden outlier cannot widen what is on screen.
    static func cells(_ column: Column, rows: [Int], _ format: TableFormat) -> [String] {
        let null = format.nullText
        switch column.storage {
        case .int(let a):
            return rows.map { column.isNull($0) ? null : String(a[$0]) }
        case .bool(let a):
            return rows.map { column.isNull($0) ? null : (a[$0] ? "true" : "false") }
        case .string(let a):
            return rows.map { column.isNull($0) ? null : escapeControls(a[$0]).clipped(toWidth: format.maxColumnWidth) }
        case .double(let a):
            var decimals = Swift.min(1, format.maxDecimals)
            for r in rows where !column.isNull(r) {
                decimals = Swift.max(decimals, TableNumberFormat.decimalsNeeded(a[r], maxDecimals: format.maxDecimals))
            }
            return rows.map {
                column.isNull($0) ? null : TableNumberFormat.display(a[$0], decimals: decimals, maxDecimals: format.maxDecimals)
            }
        }
    }

    /// Newlines and tabs inside a cell would break the grid, so they are shown escaped.
    static func escapeControls(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 { out += "\\u{\(String(u.value, radix: 16))}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    static func escapeHTML(_ s: String) -> String { HTMLText.escape(s) }
}
