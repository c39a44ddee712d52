import Foundation

extension Chart {
    /// The chart drawn with Unicode characters for a terminal, at most `columns` wide: braille
    /// dots for one series of points, a symbol per series for several, horizontal block bars
    /// for bars and histograms, a shaded grid for heatmaps.
    public func text(columns: Int = 72) -> String {
        var t = TextRenderer(self, columns: min(max(columns, 32), 400))
        return t.render()
    }
}

struct TextRenderer {
    let c: Chart
    let columns: Int
    var lines: [String] = []
    /// Marks of several series, one per series, since a terminal chart has no colour to spare.
    static let symbols: [Character] = ["•", "×", "+", "◦", "*", "#", "o", "@"]
    static let fills: [Character] = ["█", "▓", "▒", "░"]
    static let eighths: [Character] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"].map { $0.first ?? " " }
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    init(_ chart: Chart, columns: Int) { c = chart; self.columns = columns }

    mutating func render() -> String {
        if let t = c.title, !t.isEmpty {
            let s = TextWidth.truncate(t, columns: columns)
            lines.append(String(repeating: " ", count: max((columns - TextWidth.columns(s)) / 2, 0)) + s)
        }
        switch c.content {
        case .xy(let s): xy(s)
        case .bars(let cats, let s): bars(cats, s)
        case .histogram(let edges, let s): bars(TextRenderer.binLabels(edges), s)
        case .heatmap(let h): heatmap(h)
        }
        for n in c.notes { lines += TextWidth.wrap(n, columns: columns) }
        return lines.map { $0.replacingTrailingSpaces() }.joined(separator: "\n")
    }

    mutating func legend(_ items: [String]) {
        var line = ""
        for item in items.map({ TextWidth.truncate($0, columns: 30) }) {
            if !line.isEmpty && TextWidth.columns(line) + 3 + TextWidth.columns(item) > columns { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : "   ") + item
        }
        if !line.isEmpty { lines.append(line) }
    }

    // MARK: Points and lines

    mutating func xy(_ series: [XYSeries]) {
        let several = series.count > 1
        var items = several ? series.enumerated().map { "\(TextRenderer.symbols[$0.offset % 8]) \($0.element.name)" } : []
        items += c.yReferences.map { "┄ \($0.label)" }
        legend(items)
        // Marker labels are sentences; each gets a line of its own.
        for m in c.xMarkers { lines.append(TextWidth.truncate("┊ " + m.label, columns: columns)) }
        let r = SVGRenderer(c)
        let ye = r.yExtent(), xe = r.xExtent()
        let yScale = NiceScale(min: ye.0, max: ye.1, ticks: 5)
        let xScale = c.xScale(xe, ticks: max(3, min(8, columns / 12)))
        let yLabels = yScale.labels
        let gutter = yLabels.map(TextWidth.columns).max() ?? 1
        let width = max(columns - gutter - 2, 10), height = 14
        var canvas = BrailleCanvas(columns: width, rows: height)
        func dx(_ x: Double) -> Int { Int((xScale.fraction(x) * Double(width * 2 - 1)).rounded()) }
        func dy(_ y: Double) -> Int { Int(((1 - yScale.fraction(y)) * Double(height * 4 - 1)).rounded()) }
        for m in c.xMarkers where m.x.isFinite {
            for row in 0..<height { canvas.mark(column: dx(m.x) / 2, row: row, "┊") }
        }
        for ref in c.yReferences where ref.y.isFinite {
            for col in 0..<width { canvas.mark(column: col, row: dy(ref.y) / 4, "┄") }
        }
        for (s, ser) in series.enumerated() {
            if c.kind == .scatter {
                for p in ser.finitePoints { canvas.dot(dx(p.x), dy(p.y), series: s) }
            } else {
                for seg in ser.segments.map({ $0.sorted { $0.x < $1.x } }) {
                    if seg.count == 1 { canvas.dot(dx(seg[0].x), dy(seg[0].y), series: s) }
                    for (a, b) in zip(seg, seg.dropFirst()) { canvas.line(dx(a.x), dy(a.y), dx(b.x), dy(b.y), series: s) }
                }
            }
        }
        if let yl = c.yLabel, !yl.isEmpty { lines.append(TextWidth.truncate(yl, columns: columns)) }
        var tickRows: [Int: String] = [:]
        for (t, label) in zip(yScale.ticks, yLabels) { tickRows[Int(((1 - yScale.fraction(t)) * Double(height - 1)).rounded())] = label }
        let rows = canvas.render(symbols: several ? TextRenderer.symbols : nil)
        for (i, row) in rows.enumerated() {
            if let label = tickRows[i] { lines.append(TextWidth.pad(label, gutter, right: true) + " ┤" + row) }
            else { lines.append(String(repeating: " ", count: gutter) + " │" + row) }
        }
        // The x axis with tick marks, then the labels under them where they fit.
        var axis = Array(repeating: Character("─"), count: width)
        var labelLine = Array(repeating: Character(" "), count: width + 12)
        var free = 0
        for (t, label) in zip(xScale.ticks, xScale.labels) {
            let col = min(dx(t) / 2, width - 1)
            axis[col] = "┬"
            let start = max(col - label.count / 2, 0)
            guard start >= free, start + label.count <= labelLine.count else { continue }
            for (k, ch) in label.enumerated() { labelLine[start + k] = ch }
            free = start + label.count + 1
        }
        lines.append(String(repeating: " ", count: gutter) + " └" + String(axis))
        lines.append(String(repeating: " ", count: gutter + 2) + String(labelLine))
        if let xl = c.xLabel, !xl.isEmpty {
            let s = TextWidth.truncate(xl, columns: columns)
            lines.append(TextWidth.pad(s, gutter + 2 + width, right: true))
        }
        if c.isEmpty { lines.append("(no data)") }
    }

    // MARK: Bars

    static func binLabels(_ edges: [Double]) -> [String] {
        guard edges.count >= 2 else { return [] }
        let width = edges[1] - edges[0]
        let decimals = width > 0 ? max(0, -Int(log10(width).rounded(.down))) : 0
        return zip(edges, edges.dropFirst()).map { "[\(NumberText.fixed($0, decimals: decimals)), \(NumberText.fixed($1, decimals: decimals)))" }
    }

    mutating func bars(_ categories: [String], _ series: [BarSeries]) {
        let several = series.count > 1
        if several { legend(series.enumerated().map { "\(TextRenderer.fills[$0.offset % 4]) \($0.element.name)" }) }
        let cats = categories.map { TextWidth.truncate($0, columns: 18) }
        let names = series.map { TextWidth.truncate($0.name, columns: 14) }
        let xLabel = TextWidth.truncate(c.xLabel ?? "", columns: 18)
        let catWidth = max(cats.map(TextWidth.columns).max() ?? 0, TextWidth.columns(xLabel))
        let nameWidth = several ? (names.map(TextWidth.columns).max() ?? 0) + 1 : 0
        // Bars run across, so the header names the categories' axis and then the values'.
        if let yl = c.yLabel, !yl.isEmpty {
            let head = TextWidth.pad(xLabel, catWidth + 1 + nameWidth)
            lines.append(head + TextWidth.truncate(yl + " →", columns: max(columns - TextWidth.columns(head), 4)))
        }
        let values = series.flatMap(\.values).filter(\.isFinite)
        let lo = min(values.min() ?? 0, 0), hi = max(values.max() ?? 0, 0)
        let valueWidth = (values.map { TextWidth.columns(NumberText.value($0)) }.max() ?? 1) + 1
        let barWidth = max(columns - catWidth - nameWidth - valueWidth - 2, 8)
        let span = hi > lo ? hi - lo : 1
        let zero = Int(((0 - lo) / span * Double(barWidth)).rounded())
        for (i, cat) in cats.enumerated() {
            for (s, ser) in series.enumerated() {
                let head = (s == 0 ? TextWidth.pad(cat, catWidth) : String(repeating: " ", count: catWidth)) + " "
                    + (several ? TextWidth.pad(names[s], nameWidth) : "")
                let v = ser.values[i]
                guard v.isFinite else { lines.append(head + String(repeating: " ", count: zero) + " –"); continue }
                let fill = TextRenderer.fills[s % 4]
                var bar: String
                if v >= 0 {
                    let eighths = Int(((v - max(lo, 0)) / span * Double(barWidth) * 8).rounded())
                    bar = String(repeating: " ", count: zero) + String(repeating: fill, count: eighths / 8)
                    if s % 4 == 0, eighths % 8 > 0 { bar.append(TextRenderer.eighths[eighths % 8]) }
                    else if eighths % 8 >= 4 { bar.append(fill) }
                } else {
                    let n = Int((-v / span * Double(barWidth)).rounded())
                    bar = String(repeating: " ", count: max(zero - n, 0)) + String(repeating: fill, count: n)
                }
                lines.append(head + bar + " " + NumberText.value(v))
            }
        }
        for ref in c.yReferences { lines.append("┄ \(ref.label): \(NumberText.value(ref.y))") }
        if c.isEmpty { lines.append("(no data)") }
    }

    // MARK: Heatmap

    mutating func heatmap(_ h: Heatmap) {
        let scale = ColourScale(h)
        func level(_ v: Double) -> Character {
            let t = scale.hi > scale.lo ? (v - scale.lo) / (scale.hi - scale.lo) : 0.5
            return TextRenderer.levels[min(max(Int(t * 8), 0), 7)]
        }
        guard !h.rowLabels.isEmpty, !h.columnLabels.isEmpty else { lines.append("(no data)"); return }
        lines.append("\(TextRenderer.levels[0]) \(NumberText.value(scale.lo)) … \(TextRenderer.levels[7]) \(NumberText.value(scale.hi))")
        let rowLabels = h.rowLabels.map { TextWidth.truncate($0, columns: 16) }
        let gutter = (rowLabels.map(TextWidth.columns).max() ?? 0) + 1
        let texts = h.values.map { $0.map { $0.isFinite ? NumberText.value($0) : "" } }
        let valueWidth = texts.joined().map(TextWidth.columns).max() ?? 1
        // With room, each cell shows its value after a shade; otherwise shades only.
        let numbers = gutter + h.columnLabels.count * (valueWidth + 3) <= columns
        let cell = numbers ? valueWidth + 3 : 2
        let shown = min(h.columnLabels.count, max((columns - gutter) / cell, 1))
        var header = String(repeating: " ", count: gutter)
        if numbers {
            // Over the value, which follows its shade character.
            for k in 0..<shown { header += " " + TextWidth.pad(TextWidth.truncate(h.columnLabels[k], columns: cell - 2), cell - 2, right: true) + " " }
            lines.append(header)
        }
        let maxRows = 60
        for (r, row) in h.values.prefix(maxRows).enumerated() {
            var line = TextWidth.pad(rowLabels[r], gutter)
            for k in 0..<shown {
                let v = row[k]
                if numbers { line += (v.isFinite ? String(level(v)) : " ") + TextWidth.pad(texts[r][k], cell - 2, right: true) + " " }
                else { line += v.isFinite ? String(repeating: level(v), count: 2) : "  " }
            }
            lines.append(line)
        }
        if !numbers && h.rowLabels == h.columnLabels { lines.append(TextWidth.truncate("(columns in the order of the rows)", columns: columns)) }
        if h.values.count > maxRows { lines.append("… \(h.values.count - maxRows) more rows") }
        if shown < h.columnLabels.count { lines.append("… \(h.columnLabels.count - shown) more columns (the SVG shows all)") }
    }
}

/// A grid of braille characters, each 2 × 4 dots; with several series, each cell shows the
/// symbol of the last series that touched it.
struct BrailleCanvas {
    let columns: Int, rows: Int
    var bits: [UInt8]
    var owner: [Int]
    var marks: [Character?]

    init(columns: Int, rows: Int) {
        self.columns = columns; self.rows = rows
        bits = Array(repeating: 0, count: columns * rows)
        owner = Array(repeating: -1, count: columns * rows)
        marks = Array(repeating: nil, count: columns * rows)
    }

    static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    mutating func dot(_ x: Int, _ y: Int, series: Int) {
        guard x >= 0, y >= 0, x < columns * 2, y < rows * 4 else { return }
        let i = (y / 4) * columns + x / 2
        bits[i] |= BrailleCanvas.dotBits[x % 2][y % 4]
        owner[i] = series
    }

    mutating func mark(column: Int, row: Int, _ ch: Character) {
        guard column >= 0, row >= 0, column < columns, row < rows else { return }
        marks[row * columns + column] = ch
    }

    /// Bresenham's line between two dots.
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, series: Int) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            dot(x, y, series: series)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    func render(symbols: [Character]?) -> [String] {
        (0..<rows).map { r in
            String((0..<columns).map { k -> Character in
                let i = r * columns + k
                if owner[i] >= 0 {
                    if let symbols { return symbols[owner[i] % symbols.count] }
                    return Character(Unicode.Scalar(0x2800 + UInt32(bits[i]))!)
                }
                return marks[i] ?? " "
            })
        }
    }
}

extension String {
    /// Without trailing spaces, so terminal output and golden files carry none.
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
