// What a chart shows, independent of how it is drawn: SVG for notebooks (ChartSVG.swift), Unicode
// text for terminals (ChartText.swift). Everything is an array in a fixed order, so the same
// chart always draws to the same bytes.

/// A chart: one kind of mark, its data, and the words around it.
public struct Chart: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable { case line, bar, scatter, histogram, heatmap }

    /// The data, by kind.
    public enum Content: Equatable, Sendable {
        /// line or scatter: numeric points, one series per colour.
        case xy([XYSeries])
        /// Grouped bars: one bar per category and series (NaN: no bar).
        case bars(categories: [String], series: [BarSeries])
        /// Counts per bin between `edges` (edges.count == counts + 1), one series per colour.
        case histogram(edges: [Double], series: [BarSeries])
        case heatmap(Heatmap)
    }

    public var kind: Kind
    public var content: Content
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    /// SVG size in pixels (the text form has its own width).
    public var width: Int
    public var height: Int
    /// Vertical markers at x values (the top 1 % of a long tail), labelled in the legend.
    public var xMarkers: [Marker] = []
    /// Horizontal reference lines (a model's value over all users), in a series' colour.
    public var yReferences: [Reference] = []
    /// Lines of text under the chart (a disparity, a projection's explained variance).
    public var notes: [String] = []
    /// Whether the y axis must include zero (bars and histograms always do).
    public var yFromZero = false

    public static let widthRange = 320...2400
    public static let heightRange = 200...1800
    public static let defaultWidth = 680
    public static let defaultHeight = 420
    /// Beyond these a picture stops being readable (and an SVG stops being small).
    public static let maxSeries = 24
    public static let maxPoints = 200_000
    public static let maxCategories = 500
    public static let maxHeatmapCells = 250_000

    public init(_ kind: Kind, _ content: Content, title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                width: Int = Chart.defaultWidth, height: Int = Chart.defaultHeight) {
        self.kind = kind
        self.content = content
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = width
        self.height = height
    }

    /// Names of the series in legend order.
    public var seriesNames: [String] {
        switch content {
        case .xy(let s): return s.map(\.name)
        case .bars(_, let s), .histogram(_, let s): return s.map(\.name)
        case .heatmap: return []
        }
    }

    /// Checks sizes and shapes; every chart is checked before it is drawn.
    public func validate() throws {
        guard Chart.widthRange.contains(width) else { throw ChartError("width must be between \(Chart.widthRange.lowerBound) and \(Chart.widthRange.upperBound) pixels, got \(width)") }
        guard Chart.heightRange.contains(height) else { throw ChartError("height must be between \(Chart.heightRange.lowerBound) and \(Chart.heightRange.upperBound) pixels, got \(height)") }
        guard seriesNames.count <= Chart.maxSeries else {
            throw ChartError("\(seriesNames.count) series are too many to tell apart (at most \(Chart.maxSeries)); group or filter the data first")
        }
        switch content {
        case .xy(let series):
            var points = 0
            for s in series {
                guard s.x.count == s.y.count else { throw ChartError("series '\(s.name)' has \(s.x.count) x values and \(s.y.count) y values") }
                points += s.x.count
            }
            guard points <= Chart.maxPoints else { throw ChartError("\(points) points are too many to draw (at most \(Chart.maxPoints)); sample the rows first") }
        case .bars(let categories, let series):
            guard categories.count <= Chart.maxCategories else { throw ChartError("\(categories.count) bars are too many to draw (at most \(Chart.maxCategories) categories)") }
            for s in series where s.values.count != categories.count {
                throw ChartError("series '\(s.name)' has \(s.values.count) values for \(categories.count) categories")
            }
        case .histogram(let edges, let series):
            guard edges.isEmpty || edges.count >= 2 else { throw ChartError("a histogram needs at least two bin edges") }
            for i in edges.indices.dropFirst() where !(edges[i] > edges[i - 1]) { throw ChartError("histogram bin edges must increase") }
            for s in series where s.values.count != max(0, edges.count - 1) {
                throw ChartError("series '\(s.name)' has \(s.values.count) counts for \(max(0, edges.count - 1)) bins")
            }
        case .heatmap(let h):
            guard h.values.count == h.rowLabels.count else { throw ChartError("the heatmap has \(h.values.count) rows and \(h.rowLabels.count) row labels") }
            for r in h.values where r.count != h.columnLabels.count {
                throw ChartError("a heatmap row has \(r.count) values for \(h.columnLabels.count) column labels")
            }
            guard h.rowLabels.count * h.columnLabels.count <= Chart.maxHeatmapCells else {
                throw ChartError("\(h.rowLabels.count)×\(h.columnLabels.count) cells are too many for a heatmap (at most \(Chart.maxHeatmapCells))")
            }
        }
    }

    /// Whether there is nothing finite to draw.
    public var isEmpty: Bool {
        switch content {
        case .xy(let s): return !s.contains { zip($0.x, $0.y).contains { $0.isFinite && $1.isFinite } }
        case .bars(let c, let s): return c.isEmpty || !s.contains { $0.values.contains(where: \.isFinite) }
        case .histogram(let e, let s): return e.isEmpty || s.isEmpty
        case .heatmap(let h): return h.rowLabels.isEmpty || h.columnLabels.isEmpty
        }
    }
}

public struct XYSeries: Equatable, Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// A label drawn beside each point (empty: none), aligned with `x` and `y`: the weights of a
    /// trade-off curve, say.
    public var labels: [String] = []
    public init(_ name: String, x: [Double], y: [Double], labels: [String] = []) {
        self.name = name; self.x = x; self.y = y; self.labels = labels
    }

    /// Finite points in x order (stable), split where a point is missing, as a line is drawn.
    public var segments: [[(x: Double, y: Double)]] {
        var out: [[(x: Double, y: Double)]] = [], current: [(x: Double, y: Double)] = []
        for (x, y) in zip(self.x, self.y) {
            if x.isFinite && y.isFinite { current.append((x, y)) } else if !current.isEmpty { out.append(current); current = [] }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    public var finitePoints: [(x: Double, y: Double)] { zip(x, y).filter { $0.isFinite && $1.isFinite }.map { ($0, $1) } }
}

public struct BarSeries: Equatable, Sendable {
    public var name: String
    public var values: [Double]
    public init(_ name: String, _ values: [Double]) { self.name = name; self.values = values }
}

/// A matrix of values with labelled rows and columns; NaN cells are drawn empty.
public struct Heatmap: Equatable, Sendable {
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// Row-major: values[row][column].
    public var values: [[Double]]
    public init(rowLabels: [String], columnLabels: [String], values: [[Double]]) {
        self.rowLabels = rowLabels; self.columnLabels = columnLabels; self.values = values
    }

    /// Smallest and largest finite value (nil when there is none).
    public var range: (lo: Double, hi: Double)? {
        let all = values.joined().filter(\.isFinite)
        guard let lo = all.min(), let hi = all.max() else { return nil }
        return (lo, hi)
    }
}

public struct Marker: Equatable, Sendable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String) { self.x = x; self.label = label }
}

public struct Reference: Equatable, Sendable {
    public var y: Double
    /// The series whose colour the line takes.
    public var series: Int
    public var label: String
    public init(y: Double, series: Int, label: String) { self.y = y; self.series = series; self.label = label }
}

public struct ChartError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
