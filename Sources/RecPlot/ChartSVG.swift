import Foundation

extension Chart {
    /// The x axis ends at the data (a little beyond it for points, which would sit on the frame).
    func xScale(_ extent: (Double, Double), ticks: Int) -> NiceScale {
        NiceScale(tightMin: extent.0, max: extent.1, ticks: ticks, margin: kind == .scatter ? 0.04 : 0)
    }

    /// The chart as a standalone SVG document (also valid inline in HTML). Same chart, same bytes.
    public func svg() throws -> String {
        try validate()
        var r = SVGRenderer(self)
        return r.render()
    }
}

/// Lays a chart out on a `width × height` canvas: title, legend, plot area, axes, notes.
struct SVGRenderer {
    let c: Chart
    var out = SVGWriter()
    let W: Double, H: Double
    static let pad = 14.0, titleSize = 16.0, tickSize = 12.0, labelSize = 13.0, smallSize = 11.0
    static let grid = "#E5E5E5", axis = "#444444", ink = "#222222", muted = "#666666"
    static let fonts = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif"

    init(_ chart: Chart) {
        c = chart
        W = Double(chart.width)
        H = Double(chart.height)
    }

    /// The plot area in pixels.
    struct Frame { var left, top, right, bottom: Double; var width: Double { right - left }; var height: Double { bottom - top } }

    mutating func render() -> String {
        out.open("svg", [("xmlns", .str("http://www.w3.org/2000/svg")), ("width", .num(W)), ("height", .num(H)),
                         ("viewBox", .str("0 0 \(Int(W)) \(Int(H))")), ("role", .str("img")),
                         ("font-family", .str(SVGRenderer.fonts)), ("font-size", .num(SVGRenderer.tickSize))])
        out.element("title", [], content: c.title ?? "\(c.kind.rawValue) chart")
        out.rect(0, 0, W, H, fill: "#FFFFFF")
        var top = SVGRenderer.pad
        if let t = c.title, !t.isEmpty {
            let s = TextWidth.truncate(t, pixels: W - 2 * SVGRenderer.pad, size: SVGRenderer.titleSize)
            out.label(s, x: W / 2, y: top + 14, size: SVGRenderer.titleSize, anchor: .middle, fill: SVGRenderer.ink, bold: true)
            top += 26
        }
        top = legend(top: top)
        var bottom = H - SVGRenderer.pad
        let noteColumns = Int((W - 2 * SVGRenderer.pad) / (SVGRenderer.tickSize * 0.6))
        let notes = c.notes.flatMap { TextWidth.wrap($0, columns: noteColumns) }
        for (i, note) in notes.enumerated() {
            out.label(note, x: SVGRenderer.pad, y: H - SVGRenderer.pad - Double(notes.count - 1 - i) * 16 - 2, fill: SVGRenderer.muted)
        }
        bottom -= Double(notes.count) * 16
        if case .heatmap(let h) = c.content {
            heatmap(h, top: top + 4, bottom: bottom)
        } else {
            axesAndMarks(top: top + 6, bottom: bottom)
        }
        out.close("svg")
        return out.text
    }

    // MARK: Legend

    enum Swatch { case box(String), line(String, dashed: Bool), marker }

    /// Legend entries in rows under the title; returns the new top.
    mutating func legend(top: Double) -> Double {
        var items: [(Swatch, String)] = []
        let names = c.seriesNames
        if names.count > 1 || (names.count == 1 && !c.yReferences.isEmpty) {
            for (i, n) in names.enumerated() {
                items.append((c.kind == .line ? .line(Palette.colour(i), dashed: false) : .box(Palette.colour(i)), n))
            }
        }
        for r in c.yReferences { items.append((.line(Palette.colour(r.series), dashed: true), r.label)) }
        guard !items.isEmpty else { return top }
        var x = SVGRenderer.pad, y = top + 10
        let size = SVGRenderer.tickSize
        for (swatch, name) in items {
            let text = TextWidth.truncate(name, columns: 32)
            let w = 18 + 6 + TextWidth.pixels(text, size: size) + 16
            if x > SVGRenderer.pad && x + w > W - SVGRenderer.pad { x = SVGRenderer.pad; y += 18 }
            switch swatch {
            case .box(let col): out.rect(x, y - 9, 12, 12, fill: col)
            case .line(let col, let dashed): out.line(x, y - 3, x + 18, y - 3, stroke: col, width: 2.5, dash: dashed ? "5 3" : nil)
            case .marker: out.line(x + 9, y - 10, x + 9, y + 3, stroke: SVGRenderer.axis, dash: "3 3")
            }
            out.label(text, x: x + 24, y: y + 1, fill: SVGRenderer.ink)
            x += w
        }
        return y + 12
    }

    // MARK: Axes

    /// The y range the data (and reference lines) need.
    func yExtent() -> (Double, Double) {
        var ys: [Double] = c.yReferences.map(\.y)
        switch c.content {
        case .xy(let s): for v in s { ys += v.finitePoints.map(\.y) }
        case .bars(_, let s), .histogram(_, let s): for v in s { ys += v.values.filter(\.isFinite) }
        case .heatmap: break
        }
        ys = ys.filter(\.isFinite)
        var lo = ys.min() ?? 0, hi = ys.max() ?? 1
        if c.yFromZero || c.kind == .bar || c.kind == .histogram { lo = min(lo, 0); hi = max(hi, 0) }
        return (lo, hi)
    }

    func xExtent() -> (Double, Double) {
        var xs: [Double] = c.xMarkers.map(\.x)
        switch c.content {
        case .xy(let s): for v in s { xs += v.finitePoints.map(\.x) }
        case .histogram(let e, _): xs += e
        default: break
        }
        xs = xs.filter(\.isFinite)
        return (xs.min() ?? 0, xs.max() ?? 1)
    }

    mutating func axesAndMarks(top: Double, bottom bottomIn: Double) {
        var bottom = bottomIn
        if let xl = c.xLabel, !xl.isEmpty {
            out.label(TextWidth.truncate(xl, pixels: W - 2 * SVGRenderer.pad, size: SVGRenderer.labelSize),
                      x: W / 2, y: bottom - 2, size: SVGRenderer.labelSize, anchor: .middle, fill: SVGRenderer.ink)
            bottom -= 22
        }
        // Category labels may need to turn; measure them first.
        var categoryLabels: [String] = [], rotate = false
        if case .bars(let cats, _) = c.content {
            categoryLabels = cats.map { TextWidth.truncate($0, columns: 22) }
        }
        let yLabelRoom = (c.yLabel?.isEmpty == false) ? 22.0 : 0
        let plotHeightGuess = bottom - top - 24
        let yScale = NiceScale(min: yExtent().0, max: yExtent().1, ticks: max(3, min(10, Int(plotHeightGuess / 45))))
        let yLabels = yScale.labels
        let yLabelWidth = yLabels.map { TextWidth.pixels($0, size: SVGRenderer.tickSize) }.max() ?? 0
        let left = SVGRenderer.pad + yLabelRoom + yLabelWidth + 10
        let right = W - SVGRenderer.pad - 12
        var tickRoom = 20.0
        if !categoryLabels.isEmpty {
            let band = (right - left) / Double(categoryLabels.count)
            let widest = categoryLabels.map { TextWidth.pixels($0, size: SVGRenderer.tickSize) }.max() ?? 0
            if widest > band - 6 {
                rotate = true
                tickRoom = min(widest * 0.7 + 14, (bottom - top) * 0.35)
            }
        }
        let f = Frame(left: left, top: top, right: right, bottom: bottom - tickRoom - 6)
        if let yl = c.yLabel, !yl.isEmpty {
            let s = TextWidth.truncate(yl, pixels: f.height, size: SVGRenderer.labelSize)
            out.label(s, x: SVGRenderer.pad + 12, y: (f.top + f.bottom) / 2, size: SVGRenderer.labelSize, anchor: .middle,
                      fill: SVGRenderer.ink, rotate: -90)
        }
        func yPix(_ v: Double) -> Double { f.bottom - yScale.fraction(v) * f.height }
        // Grid and y ticks.
        for (t, label) in zip(yScale.ticks, yLabels) {
            let y = yPix(t)
            out.line(f.left, y, f.right, y, stroke: SVGRenderer.grid)
            out.label(label, x: f.left - 8, y: y + 4, anchor: .end)
        }
        switch c.content {
        case .bars(_, let series):
            let band = f.width / Double(max(categoryLabels.count, 1))
            let every = max(1, Int((14.0 / band).rounded(.up)))
            for (i, label) in categoryLabels.enumerated() where i % every == 0 {
                let x = f.left + band * (Double(i) + 0.5)
                if rotate { out.label(label, x: x + 4, y: f.bottom + 14, anchor: .end, rotate: -40) }
                else { out.label(label, x: x, y: f.bottom + 18, anchor: .middle) }
            }
            bars(series, frame: f, band: band, y: yPix)
        case .xy, .histogram:
            let xs = xExtent()
            let xScale = c.xScale(xs, ticks: max(3, min(10, Int(f.width / 90))))
            func xPix(_ v: Double) -> Double { f.left + xScale.fraction(v) * f.width }
            for (t, label) in zip(xScale.ticks, xScale.labels) {
                let x = xPix(t)
                out.line(x, f.bottom, x, f.bottom + 5, stroke: SVGRenderer.axis)
                out.label(label, x: x, y: f.bottom + 18, anchor: .middle)
            }
            if case .xy(let series) = c.content { xy(series, x: xPix, y: yPix) }
            if case .histogram(let edges, let series) = c.content { histogram(edges, series, x: xPix, y: yPix) }
            for (i, m) in c.xMarkers.enumerated() where m.x.isFinite {
                let x = xPix(m.x)
                out.line(x, f.top, x, f.bottom, stroke: SVGRenderer.axis, dash: "4 3")
                // The label goes right of its line, or left of it when the right has no room.
                let y = f.top + 12 + 15 * Double(i), size = SVGRenderer.smallSize
                let width = TextWidth.pixels(m.label, size: size)
                if x + 5 + width <= W - SVGRenderer.pad || x - f.left < f.right - x {
                    out.label(TextWidth.truncate(m.label, pixels: W - SVGRenderer.pad - x - 5, size: size), x: x + 5, y: y, size: size, fill: SVGRenderer.ink)
                } else {
                    out.label(TextWidth.truncate(m.label, pixels: x - SVGRenderer.pad - 5, size: size), x: x - 5, y: y, size: size, anchor: .end, fill: SVGRenderer.ink)
                }
            }
        case .heatmap: break
        }
        for r in c.yReferences where r.y.isFinite {
            out.line(f.left, yPix(r.y), f.right, yPix(r.y), stroke: Palette.colour(r.series), width: 1.5, dash: "6 4")
        }
        // Axis lines last, over the bars.
        out.line(f.left, f.top, f.left, f.bottom, stroke: SVGRenderer.axis)
        let zero = yScale.lo <= 0 && yScale.hi >= 0 ? yPix(0) : f.bottom
        out.line(f.left, f.bottom, f.right, f.bottom, stroke: SVGRenderer.axis)
        if zero != f.bottom { out.line(f.left, zero, f.right, zero, stroke: SVGRenderer.axis) }
        if c.isEmpty {
            out.label("no data", x: (f.left + f.right) / 2, y: (f.top + f.bottom) / 2, size: SVGRenderer.labelSize, anchor: .middle, fill: SVGRenderer.muted)
        }
    }

    // MARK: Marks

    mutating func bars(_ series: [BarSeries], frame f: Frame, band: Double, y: (Double) -> Double) {
        let inner = band * 0.8, barWidth = inner / Double(max(series.count, 1))
        let total = series.reduce(0) { $0 + $1.values.filter(\.isFinite).count }
        let labelled = total <= 24 && barWidth >= 24
        for (s, ser) in series.enumerated() {
            for (i, v) in ser.values.enumerated() where v.isFinite {
                let x = f.left + band * Double(i) + band * 0.1 + barWidth * Double(s)
                let y0 = y(0), y1 = y(v)
                out.rect(x + 1, min(y0, y1), barWidth - 2, abs(y1 - y0), fill: Palette.colour(s))
                if labelled {
                    out.label(NumberText.value(v), x: x + barWidth / 2, y: v >= 0 ? y1 - 4 : y1 + 12, size: SVGRenderer.smallSize - 1,
                              anchor: .middle, fill: SVGRenderer.ink)
                }
            }
        }
    }

    mutating func histogram(_ edges: [Double], _ series: [BarSeries], x: (Double) -> Double, y: (Double) -> Double) {
        let overlay = series.count > 1
        for (s, ser) in series.enumerated() {
            for (i, v) in ser.values.enumerated() where v.isFinite && v > 0 {
                let x0 = x(edges[i]), x1 = x(edges[i + 1])
                var extra: [(String, SVGWriter.Attr)] = []
                if overlay { extra = [("fill-opacity", .num(0.45)), ("stroke", .str(Palette.colour(s)))] }
                out.rect(x0 + 0.5, y(v), x1 - x0 - 1, y(0) - y(v), fill: Palette.colour(s), extra: extra)
            }
        }
    }

    mutating func xy(_ series: [XYSeries], x: (Double) -> Double, y: (Double) -> Double) {
        let scatter = c.kind == .scatter
        let allPoints = series.reduce(0) { $0 + $1.finitePoints.count }
        for (s, ser) in series.enumerated() {
            let colour = Palette.colour(s)
            if scatter {
                let r = allPoints > 2000 ? 2.0 : allPoints > 300 ? 3.0 : 4.0
                for p in ser.finitePoints { marker(x(p.x), y(p.y), r: r, series: s, opacity: 0.75) }
                continue
            }
            for seg in ser.segments.map({ $0.sorted { $0.x < $1.x } }) {
                if seg.count == 1 { marker(x(seg[0].x), y(seg[0].y), r: 3.5, series: s, opacity: 1); continue }
                let pts = seg.map { SVGWriter.n(x($0.x)) + "," + SVGWriter.n(y($0.y)) }.joined(separator: " ")
                out.element("polyline", [("points", .str(pts)), ("fill", .str("none")), ("stroke", .str(colour)),
                                         ("stroke-width", .num(2)), ("stroke-linejoin", .str("round"))])
            }
            if ser.finitePoints.count <= 40 && ser.finitePoints.count > 1 {
                for p in ser.finitePoints { marker(x(p.x), y(p.y), r: 2.5, series: s, opacity: 1) }
            }
            for (j, text) in ser.labels.enumerated() where j < ser.x.count && !text.isEmpty && ser.x[j].isFinite && ser.y[j].isFinite {
                // Labels near the right edge go to the left of their point, so none is cut off.
                let px = x(ser.x[j]), right = px > Double(c.width) * 0.8
                out.label(text, x: right ? px - 6 : px + 6, y: y(ser.y[j]) - 6, size: 11, anchor: right ? .end : .start, fill: colour)
            }
        }
    }

    /// A point: circle, square, triangle or diamond by series (colours repeat after eight).
    mutating func marker(_ x: Double, _ y: Double, r: Double, series: Int, opacity: Double) {
        let colour = Palette.colour(series)
        var extra: [(String, SVGWriter.Attr)] = []
        if opacity < 1 { extra.append(("fill-opacity", .num(opacity))) }
        switch Palette.shape(series) {
        case 0: out.element("circle", [("cx", .num(x)), ("cy", .num(y)), ("r", .num(r)), ("fill", .str(colour))] + extra)
        case 1: out.rect(x - r, y - r, 2 * r, 2 * r, fill: colour, extra: extra)
        case 2:
            let pts = [(x, y - r * 1.2), (x - r * 1.1, y + r * 0.8), (x + r * 1.1, y + r * 0.8)]
            out.element("polygon", [("points", .str(pts.map { SVGWriter.n($0.0) + "," + SVGWriter.n($0.1) }.joined(separator: " "))), ("fill", .str(colour))] + extra)
        default:
            let pts = [(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)]
            out.element("polygon", [("points", .str(pts.map { SVGWriter.n($0.0) + "," + SVGWriter.n($0.1) }.joined(separator: " "))), ("fill", .str(colour))] + extra)
        }
    }

    // MARK: Heatmap

    mutating func heatmap(_ h: Heatmap, top: Double, bottom bottomIn: Double) {
        var bottom = bottomIn
        if let xl = c.xLabel, !xl.isEmpty {
            out.label(TextWidth.truncate(xl, pixels: W - 2 * SVGRenderer.pad, size: SVGRenderer.labelSize),
                      x: W / 2, y: bottom - 2, size: SVGRenderer.labelSize, anchor: .middle, fill: SVGRenderer.ink)
            bottom -= 22
        }
        let scale = ColourScale(h)
        let barTicks = NiceScale(min: scale.lo, max: scale.hi, ticks: 5)
        let inRange = zip(barTicks.ticks, barTicks.labels).filter { $0.0 >= scale.lo - 1e-12 && $0.0 <= scale.hi + 1e-12 }
        let barLabelWidth = inRange.map { TextWidth.pixels($0.1, size: SVGRenderer.tickSize) }.max() ?? 0
        let rows = TextWidth.self
        let rowLabels = h.rowLabels.map { rows.truncate($0, columns: 20) }
        let colLabels = h.columnLabels.map { rows.truncate($0, columns: 20) }
        let yLabelRoom = (c.yLabel?.isEmpty == false) ? 22.0 : 0
        let left = SVGRenderer.pad + yLabelRoom + (rowLabels.map { TextWidth.pixels($0, size: SVGRenderer.tickSize) }.max() ?? 0) + 8
        let right = W - SVGRenderer.pad - 14 - 8 - barLabelWidth - 16
        let cols = max(h.columnLabels.count, 1), nrows = max(h.rowLabels.count, 1)
        var cellW = (right - left) / Double(cols)
        let widestCol = colLabels.map { TextWidth.pixels($0, size: SVGRenderer.tickSize) }.max() ?? 0
        let rotate = widestCol > cellW - 4
        let colRoom = rotate ? min(widestCol * 0.75 + 12, (bottom - top) * 0.35) : 20
        let cellH = max((bottom - top - colRoom - 4) / Double(nrows), 1)
        cellW = min(cellW, max(cellH * 2.5, 8))
        let f = Frame(left: left, top: top, right: left + cellW * Double(cols), bottom: top + cellH * Double(nrows))
        if let yl = c.yLabel, !yl.isEmpty {
            out.label(TextWidth.truncate(yl, pixels: f.height, size: SVGRenderer.labelSize), x: SVGRenderer.pad + 12,
                      y: (f.top + f.bottom) / 2, size: SVGRenderer.labelSize, anchor: .middle, fill: SVGRenderer.ink, rotate: -90)
        }
        let showValues = cellW >= 34 && cellH >= 16
        for (r, row) in h.values.enumerated() {
            for (k, v) in row.enumerated() {
                let x = f.left + cellW * Double(k), y = f.top + cellH * Double(r)
                guard v.isFinite else {
                    // Missing is not a colour of the scale: white, struck through.
                    out.rect(x, y, cellW, cellH, fill: "#FFFFFF")
                    out.line(x + 2, y + cellH - 2, x + cellW - 2, y + 2, stroke: "#BBBBBB")
                    continue
                }
                let rgb = scale.rgb(v)
                out.rect(x, y, cellW + 0.3, cellH + 0.3, fill: Palette.hex(rgb))
                if showValues {
                    out.label(NumberText.value(v), x: x + cellW / 2, y: y + cellH / 2 + 4, size: SVGRenderer.smallSize, anchor: .middle,
                              fill: Palette.prefersDarkText(rgb) ? "#111111" : "#FFFFFF")
                }
            }
        }
        let rowEvery = max(1, Int((13.0 / cellH).rounded(.up)))
        for (r, label) in rowLabels.enumerated() where r % rowEvery == 0 {
            out.label(label, x: f.left - 6, y: f.top + cellH * (Double(r) + 0.5) + 4, anchor: .end)
        }
        let colEvery = max(1, Int(((rotate ? 14.0 : widestCol + 6) / cellW).rounded(.up)))
        for (k, label) in colLabels.enumerated() where k % colEvery == 0 {
            let x = f.left + cellW * (Double(k) + 0.5)
            if rotate { out.label(label, x: x + 4, y: f.bottom + 12, anchor: .end, rotate: -45) }
            else { out.label(label, x: x, y: f.bottom + 16, anchor: .middle) }
        }
        if h.rowLabels.isEmpty || h.columnLabels.isEmpty {
            out.label("no data", x: W / 2, y: (top + bottom) / 2, size: SVGRenderer.labelSize, anchor: .middle, fill: SVGRenderer.muted)
            return
        }
        // The colour bar: stepped, so no gradient id can clash with another chart on the page.
        let bx = f.right + 16, steps = 40
        let bh = max(f.height, 60), step = bh / Double(steps)
        for i in 0..<steps {
            let t = scale.hi - (scale.hi - scale.lo) * (Double(i) + 0.5) / Double(steps)
            out.rect(bx, f.top + step * Double(i), 14, step + 0.3, fill: scale.colour(t))
        }
        out.element("rect", [("x", .num(bx)), ("y", .num(f.top)), ("width", .num(14)), ("height", .num(bh)), ("fill", .str("none")), ("stroke", .str(SVGRenderer.axis))])
        for (t, label) in inRange {
            let y = f.top + (scale.hi > scale.lo ? (scale.hi - t) / (scale.hi - scale.lo) : 0.5) * bh
            out.line(bx + 14, y, bx + 18, y, stroke: SVGRenderer.axis)
            out.label(label, x: bx + 21, y: y + 4)
        }
    }
}
