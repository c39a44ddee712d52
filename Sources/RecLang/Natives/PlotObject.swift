import RecPlot

/// A chart as a Rec value (`Plot`): shown as Unicode text in a terminal, as SVG in a notebook.
/// The chart is checked when the value is made, so drawing it cannot fail later.
public final class PlotObject: NativeObject {
    public let chart: Chart
    /// Drawn once, when first asked for: a plot shown twice is the same bytes.
    public private(set) lazy var svg: String = (try? chart.svg()) ?? ""
    public private(set) lazy var unicode: String = chart.text(columns: PlotObject.textColumns)
    /// Wide enough to read, narrow enough for an 80-column terminal with a prompt.
    static let textColumns = 72

    init(_ chart: Chart) throws {
        try chart.validate()
        self.chart = chart
    }

    public override var typeName: String { "Plot" }
    public override var memberNames: [String] { ["kind", "title", "width", "height", "series", "svg", "text"] }

    public override func member(_ name: String) -> Value? {
        switch name {
        case "kind": return .string(chart.kind.rawValue)
        case "title": return chart.title.map { .string($0) } ?? .nil
        case "width": return .int(chart.width)
        case "height": return .int(chart.height)
        case "series": return .list(chart.seriesNames.map { .string($0) })
        case "svg": return .string(svg)
        case "text": return .string(unicode)
        default: return nil
        }
    }

    public override var textDescription: String {
        var s = "Plot(\(chart.kind.rawValue)"
        if let t = chart.title, !t.isEmpty { s += " · " + t }
        let n = chart.seriesNames.count
        if n > 1 { s += " · \(n) series" }
        return s + ")"
    }

    public override func text(_ options: DisplayOptions) -> String { unicode }

    public override func display(_ options: DisplayOptions) -> DisplayData {
        DisplayData(["text/plain": unicode, "image/svg+xml": svg])
    }
}
