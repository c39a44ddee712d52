import Foundation
import RecCore
import RecPlot

/// plot and to_svg: charts drawn by RecPlot from tables, lists, models, datasets and evaluation
/// results. The chart builders for each source live in PlotTables.swift and PlotModels.swift.
enum PlotBuiltins {
    static let cat = "Plots"

    static func register(into r: BuiltinRegistry) {
        r.register([
            BuiltinSpec("plot", [.required("source"), .optional("x"), .optional("y"), .optional("kind", "String"), .optional("by", "String"),
                                 .optional("title", "String"), .optional("value", "String"), .optional("color", "String"),
                                 .optional("items", "List"), .optional("bins", "Int", range: 1...500),
                                 .optional("x_label", "String"), .optional("y_label", "String"),
                                 .optional("width", "Int", default: .int(Chart.defaultWidth), range: Chart.widthRange),
                                 .optional("height", "Int", default: .int(Chart.defaultHeight), range: Chart.heightRange)],
                        returns: "Plot", category: cat,
                        doc: """
                        A chart (docs/plots.md): shown as Unicode text in a terminal and as SVG in a notebook; to_svg writes it.
                        A Table: x: and y: name columns; kind: "line" (the default for a numeric x), "bar" (for a text x), "scatter",
                        "histogram" (of x alone; bins: about how many) or "heatmap" (x and y label the cells, value: names the number);
                        by: a column whose values become series in their own colour.
                        An evaluate() result: grouped bars of one metric (y:, default the first) per model and group, with each model's
                        all-users value as a dashed line and the gap between groups noted; without by:, several k of one metric give
                        metric-vs-k lines (kind: "pr": precision against recall), otherwise bars per metric and model.
                        A fitted Model: its training loss per epoch; kind: "embeddings" projects a factor model's item vectors on their
                        first two principal components, coloured by the item attribute color:; kind: "similarity" is the heatmap of item
                        similarities between items: (default the ten most popular). A list of Models: their losses together.
                        A Dataset: the long tail (share of interactions by item popularity rank, top 1 % and 20 % marked).
                        A List of numbers: a line over the positions; a List of Lists: a heatmap (x:/y: may list the labels).
                        A tradeoff table: its curve (y: the first metric, x: the second or the weight), each point labelled with its
                        weight and the Pareto points drawn again.
                        title:, x_label:, y_label: replace the words; width: and height: are the SVG's size in pixels.
                        Example: plot(table_of_losses, x: "epoch", y: "loss", title: "Training")
                        """) { a in
                var chart = try source(a)
                if let t = try a.optionalString("title") { chart.title = t }
                if let x = try a.optionalString("x_label") { chart.xLabel = x }
                if let y = try a.optionalString("y_label") { chart.yLabel = y }
                chart.width = try a.int("width")
                chart.height = try a.int("height")
                do { return .native(try PlotObject(chart)) } catch let e as ChartError { throw a.error("plot(): \(e.message)") }
            },
            BuiltinSpec("to_svg", [.required("plot", "Plot"), .optional("path", "String")], returns: "String", category: cat,
                        doc: """
                        The plot as a standalone SVG document; with path:, written to that file (and the path returned).
                        The same plot always gives the same bytes.
                        """) { a in
                let v = try a.any("plot")
                guard case .native(let p as PlotObject) = v else { throw a.typeError("plot", expected: "a Plot", got: v) }
                guard a.has("path") else { return .string(p.svg) }
                let path = try a.path("path", writing: true)
                do { try p.svg.write(toFile: path, atomically: true, encoding: .utf8) }
                catch { throw a.error("to_svg(): cannot write \(path): \(error.localizedDescription)", kind: .io) }
                return .string(path)
            },
        ])
    }

    /// The chart for whatever was passed.
    static func source(_ a: Arguments) throws -> Chart {
        let v = try a.any("source")
        switch v {
        case .native(let t as TableObject):
            try reject(["color", "items"], a, "a Table")
            if isEvaluation(t.table) && !a.has("x") { return try evaluationChart(t.table, a) }
            return try tableChart(t.table, a)
        case .native(let m as ModelObject):
            try reject(["x", "y", "by", "value", "bins"], a, "a Model")
            return try modelChart(m, a)
        case .native(let d as DatasetObject):
            try reject(["x", "y", "by", "value", "bins", "color", "items"], a, "a Dataset")
            if let k = try a.optionalString("kind"), k != "long_tail" {
                throw a.error("plot(): a Dataset plots as its long tail (kind: \"long_tail\"); for other charts plot table(data) or a summarize() of it")
            }
            return longTailChart(d.data)
        case .list(let l):
            try reject(["by", "value", "color", "items"], a, "a List")
            return try listChart(l.items, a)
        default:
            throw a.typeError("source", expected: "a Table, an evaluate() result, a Model, a Dataset or a List of numbers", got: v)
        }
    }

    /// Parameters that mean nothing for this source are an error, not silently ignored.
    static func reject(_ names: [String], _ a: Arguments, _ what: String) throws {
        for n in names where a.has(n) { throw a.error("plot(): \(n): does not apply when plotting \(what) (see help(\"plot\"))") }
    }

    static func kind(_ name: String, allowed: [String], _ a: Arguments) throws -> String {
        guard allowed.contains(name) else {
            throw a.error("plot(): unknown kind \"\(name)\" here; use one of " + allowed.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        return name
    }

    // MARK: Lists

    static func listChart(_ items: [Value], _ a: Arguments) throws -> Chart {
        if !items.isEmpty, items.allSatisfy({ if case .native(_ as ModelObject) = $0 { return true }; return false }) {
            try reject(["x", "y", "bins"], a, "a List of Models")
            return try lossChart(items.compactMap { if case .native(let m as ModelObject) = $0 { return m }; return nil }, a)
        }
        if !items.isEmpty, items.allSatisfy({ if case .list = $0 { return true }; return false }) {
            if let k = try a.optionalString("kind") { _ = try kind(k, allowed: ["heatmap"], a) }
            return try matrixChart(items, a)
        }
        try reject(["x", "y"], a, "a List of numbers")
        let ys = try items.enumerated().map { i, v -> Double in
            switch v {
            case .int(let n): return Double(n)
            case .double(let d): return d
            case .nil: return .nan
            default: throw a.error("plot(): element \(i) of the list is \(v.aTypeName); plot a List of numbers, a List of Lists (a heatmap) or a List of Models")
            }
        }
        let k = try kind(try a.optionalString("kind") ?? "line", allowed: ["line", "scatter", "bar", "histogram"], a)
        switch k {
        case "histogram":
            let h = Binning.histogram([ys], bins: try a.optionalInt("bins"))
            return Chart(.histogram, .histogram(edges: h.edges, series: [BarSeries("values", h.counts[0])]), xLabel: "value", yLabel: "count")
        case "bar":
            return Chart(.bar, .bars(categories: ys.indices.map(String.init), series: [BarSeries("values", ys)]), xLabel: "position", yLabel: "value")
        default:
            return Chart(k == "scatter" ? .scatter : .line, .xy([XYSeries("values", x: ys.indices.map(Double.init), y: ys)]), xLabel: "position", yLabel: "value")
        }
    }

    /// A List of Lists of numbers as a heatmap; x: and y: may give the column and row labels.
    static func matrixChart(_ rows: [Value], _ a: Arguments) throws -> Chart {
        var values: [[Double]] = []
        for (r, row) in rows.enumerated() {
            guard case .list(let l) = row else { continue }
            values.append(try l.items.enumerated().map { k, v in
                switch v {
                case .int(let n): return Double(n)
                case .double(let d): return d
                case .nil: return .nan
                default: throw a.error("plot(): row \(r), column \(k) of the matrix is \(v.aTypeName), not a number")
                }
            })
        }
        let width = values.first?.count ?? 0
        if let r = values.firstIndex(where: { $0.count != width }) {
            throw a.error("plot(): row \(r) of the matrix has \(values[r].count) values, row 0 has \(width)")
        }
        func labels(_ name: String, _ n: Int) throws -> [String] {
            guard a.has(name) else { return (0..<n).map(String.init) }
            let l = try a.list(name).items.map { Display.text(of: $0, options: a.interpreter.display) }
            guard l.count == n else { throw a.error("plot(): \(name): has \(l.count) labels for \(n) \(name == "x" ? "columns" : "rows")") }
            return l
        }
        return Chart(.heatmap, .heatmap(Heatmap(rowLabels: try labels("y", values.count), columnLabels: try labels("x", width), values: values)))
    }
}
