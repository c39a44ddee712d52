import RecCore
import RecPlot

/// Charts of tables: columns against columns, and evaluate() results.
extension PlotBuiltins {
    /// A column name given as x:, y:, value: or by:.
    static func columnName(_ a: Arguments, _ name: String, in t: Table) throws -> String? {
        guard a.has(name) else { return nil }
        let v = try a.any(name)
        guard case .string(let s) = v else { throw a.typeError(name, expected: "a column name (a String)", got: v) }
        guard t.hasColumn(s) else { throw a.error("plot(): no column '\(s)' (columns: \(t.columnNames.joined(separator: ", ")))") }
        return s
    }

    static func isNumeric(_ t: Table, _ name: String) -> Bool {
        guard let c = try? t.column(name) else { return false }
        return c.type == .int || c.type == .double
    }

    /// The column as numbers (nil and non-numbers as NaN); an error for a text column.
    static func numbers(_ t: Table, _ name: String, role: String, _ a: Arguments) throws -> [Double] {
        guard isNumeric(t, name) else {
            throw a.error("plot(): column '\(name)' holds \(try t.column(name).type) values; \(role) needs numbers")
        }
        return try t.column(name).values.map { $0.doubleValue ?? .nan }
    }

    static func labels(_ t: Table, _ name: String) throws -> [String] {
        try t.column(name).values.map { $0.isNull ? "(missing)" : $0.description }
    }

    /// Distinct values in order of first appearance.
    static func distinct(_ xs: [String]) -> [String] {
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
    }

    /// Row indices per series of `by:` (one series of all rows without it), groups in natural order.
    static func seriesRows(_ t: Table, by: String?) throws -> [(name: String, rows: [Int])] {
        guard let by else { return [("", Array(0..<t.rowCount))] }
        let ls = try labels(t, by)
        var rows: [String: [Int]] = [:]
        for (i, l) in ls.enumerated() { rows[l, default: []].append(i) }
        return distinct(ls).sorted(by: naturalLess).map { ($0, rows[$0] ?? []) }
    }

    static func warnSkipped(_ n: Int, _ what: String, _ a: Arguments) {
        guard n > 0 else { return }
        a.interpreter.warn("plot(): \(n) row\(n == 1 ? "" : "s") with a missing or non-finite \(what) \(n == 1 ? "was" : "were") left out", at: a.location)
    }

    /// A `tradeoff` table (first column the weight or parameter value, then metrics, then
    /// `pareto`) as its curve: y the first metric (accuracy, as tradeoff puts it first), x the
    /// second (what the lever moves; the weight when there is only one metric), each point
    /// labelled with its weight, and the Pareto points drawn again as a second series.
    static func tradeoffChart(_ t: Table, _ a: Arguments) throws -> Chart? {
        let names = t.columnNames
        guard names.last == "pareto", names.count >= 3, !a.has("kind"), !a.has("by") else { return nil }
        let weight = names[0], metrics = Array(names[1..<(names.count - 1)])
        let y = try columnName(a, "y", in: t) ?? metrics[0]
        let x = try columnName(a, "x", in: t) ?? (metrics.count > 1 ? metrics[1] : weight)
        let xs = try numbers(t, x, role: "a trade-off curve", a), ys = try numbers(t, y, role: "a trade-off curve", a)
        let ws = try labels(t, weight)
        let pareto = try t.column("pareto")
        let onFront = (0..<t.rowCount).filter { if case .bool(true) = pareto[$0] { return true }; return false }
        let curve = XYSeries("\(weight) (points labelled)", x: xs, y: ys, labels: ws)
        // A missing point between two Pareto points keeps them apart: markers, not a line.
        let front = XYSeries("Pareto points", x: onFront.flatMap { [xs[$0], .nan] }, y: onFront.flatMap { [ys[$0], .nan] })
        var c = Chart(.line, .xy([curve, front]), title: "Trade-off: \(y) against \(x)", xLabel: x, yLabel: y)
        c.notes = ["Pareto points: no other point is as good on every metric and better on one."]
        return c
    }

    static func tableChart(_ t: Table, _ a: Arguments) throws -> Chart {
        if let c = try tradeoffChart(t, a) { return c }
        let x = try columnName(a, "x", in: t), y = try columnName(a, "y", in: t)
        let by = try columnName(a, "by", in: t), value = try columnName(a, "value", in: t)
        let k: String
        if let given = try a.optionalString("kind") {
            k = try kind(given, allowed: Chart.Kind.allCases.map(\.rawValue), a)
        } else if x != nil && y == nil {
            k = "histogram"
        } else if let x, y != nil {
            k = isNumeric(t, x) ? "line" : "bar"
        } else {
            throw a.error("plot(): name the columns to draw, e.g. plot(t, x: \"\(t.columnNames.first ?? "a")\", y: \"\(t.columnNames.dropFirst().first ?? "b")\")")
        }
        if k != "heatmap", value != nil { throw a.error("plot(): value: names the cell values of a heatmap (kind: \"heatmap\")") }
        if k != "histogram", a.has("bins") { throw a.error("plot(): bins: applies to histograms") }
        let groups = try seriesRows(t, by: by)
        switch k {
        case "histogram":
            guard let column = x ?? y else { throw a.error("plot(): a histogram needs x: (the column whose values are counted)") }
            let values = try numbers(t, column, role: "a histogram", a)
            warnSkipped(values.filter { !$0.isFinite }.count, "value", a)
            let h = Binning.histogram(groups.map { g in g.rows.map { values[$0] } }, bins: try a.optionalInt("bins"))
            let series = zip(groups, h.counts).map { BarSeries($0.0.name.isEmpty ? column : $0.0.name, $0.1) }
            var c = Chart(.histogram, .histogram(edges: h.edges, series: series), xLabel: column, yLabel: "count")
            c.title = by.map { "\(column) by \($0)" }
            return c
        case "line", "scatter":
            guard let x, let y else { throw a.error("plot(): a \(k) chart needs x: and y:") }
            let xs = try numbers(t, x, role: "the x of a \(k) chart (use kind: \"bar\" for categories)", a)
            let ys = try numbers(t, y, role: "the y of a \(k) chart", a)
            warnSkipped(zip(xs, ys).filter { !$0.isFinite || !$1.isFinite }.count, "x or y", a)
            let series = groups.map { g in XYSeries(g.name.isEmpty ? y : g.name, x: g.rows.map { xs[$0] }, y: g.rows.map { ys[$0] }) }
            return Chart(k == "line" ? .line : .scatter, .xy(series), xLabel: x, yLabel: y)
        case "bar":
            guard let x, let y else { throw a.error("plot(): a bar chart needs x: (the categories) and y: (the bar heights)") }
            let cats = try labels(t, x), ys = try numbers(t, y, role: "the y of a bar chart", a)
            let categories = distinct(cats)
            let position = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
            var series: [BarSeries] = []
            for g in groups {
                var values = [Double](repeating: .nan, count: categories.count)
                for r in g.rows {
                    let p = position[cats[r]]!
                    guard values[p].isNaN else {
                        let which = by.map { " and \($0) = '\(g.name)'" } ?? ""
                        throw a.error("plot(): several rows have \(x) = '\(cats[r])'\(which); one bar needs one value (summarize() the table first)")
                    }
                    values[p] = ys[r]
                }
                series.append(BarSeries(g.name.isEmpty ? y : g.name, values))
            }
            warnSkipped(ys.filter { !$0.isFinite }.count, "y", a)
            return Chart(.bar, .bars(categories: categories, series: series), xLabel: x, yLabel: y)
        default:
            guard let x, let y, let value else { throw a.error("plot(): a heatmap needs x: and y: (the columns labelling the cells) and value: (the number in each)") }
            if by != nil { throw a.error("plot(): by: does not apply to a heatmap") }
            let xs = try labels(t, x), ys = try labels(t, y), vs = try numbers(t, value, role: "a heatmap's value", a)
            let columns = distinct(xs), rows = distinct(ys)
            let col = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
            let row = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
            guard rows.count * columns.count <= Chart.maxHeatmapCells else {
                throw a.error("plot(): \(rows.count)×\(columns.count) cells are too many for a heatmap (at most \(Chart.maxHeatmapCells))")
            }
            var m = [[Double]](repeating: [Double](repeating: .nan, count: columns.count), count: rows.count)
            var filled = Set<Int>()
            for i in 0..<t.rowCount {
                let r = row[ys[i]]!, c = col[xs[i]]!
                guard filled.insert(r * columns.count + c).inserted else {
                    throw a.error("plot(): several rows have \(x) = '\(xs[i])' and \(y) = '\(ys[i])'; one cell needs one value")
                }
                m[r][c] = vs[i]
            }
            return Chart(.heatmap, .heatmap(Heatmap(rowLabels: rows, columnLabels: columns, values: m)), xLabel: x, yLabel: y)
        }
    }

    // MARK: Evaluation results

    /// evaluate() returns model, [group], users, then one column per metric.
    static func isEvaluation(_ t: Table) -> Bool {
        t.columnNames.first == "model" && t.columnNames.prefix(3).contains("users") && t.columnNames.last != "users"
    }

    static let disparityRows: Set<String> = ["all", "max-min", "min/max"]

    static func evaluationChart(_ t: Table, _ a: Arguments) throws -> Chart {
        if a.has("by") { throw a.error("plot(): an evaluate() result is already grouped; pass by: to evaluate instead") }
        let names = t.columnNames
        let metrics = Array(names.drop { $0 != "users" }.dropFirst())
        let models = try labels(t, "model")
        let modelNames = distinct(models)
        if names[1] != "users" {
            let group = names[1]
            let metric: String
            if let y = try a.optionalString("y") {
                guard metrics.contains(y) else { throw a.error("plot(): no metric '\(y)' in this evaluation (metrics: \(metrics.joined(separator: ", ")))") }
                metric = y
            } else { metric = metrics[0] }
            if let k = try a.optionalString("kind") { _ = try kind(k, allowed: ["bar"], a) }
            let groupOf = try labels(t, group), values = try numbers(t, metric, role: "a metric", a)
            let categories = distinct(groupOf.filter { !disparityRows.contains($0) })
            var series: [BarSeries] = [], refs: [Reference] = [], notes: [String] = []
            for (s, model) in modelNames.enumerated() {
                var bars = [Double](repeating: .nan, count: categories.count)
                var gap = Double.nan, ratio = Double.nan
                for r in 0..<t.rowCount where models[r] == model {
                    switch groupOf[r] {
                    case "all": refs.append(Reference(y: values[r], series: s, label: "\(model): all users"))
                    case "max-min": gap = values[r]
                    case "min/max": ratio = values[r]
                    default: if let p = categories.firstIndex(of: groupOf[r]) { bars[p] = values[r] }
                    }
                }
                series.append(BarSeries(model, bars))
                notes.append("\(model): gap between groups (max−min) \(NumberText.value(gap)), min/max \(NumberText.value(ratio))")
            }
            var c = Chart(.bar, .bars(categories: categories, series: series), title: "\(metric) by \(group)", xLabel: group, yLabel: metric)
            c.yReferences = refs
            c.notes = notes
            return c
        }
        // Ungrouped: metric@k columns.
        let parsed = metrics.map { m -> (base: String, k: Int?) in
            let parts = m.split(separator: "@", maxSplits: 1)
            return (String(parts[0]), parts.count == 2 ? Int(parts[1]) : nil)
        }
        let bases = distinct(parsed.map(\.base))
        func ks(_ base: String) -> [(k: Int, column: String)] {
            zip(parsed, metrics).compactMap { p, m in p.base == base ? p.k.map { ($0, m) } : nil }.sorted { $0.k < $1.k }
        }
        let rowsOf = { (model: String) in (0..<t.rowCount).filter { models[$0] == model } }
        let k = try a.optionalString("kind")
        if k == "pr" {
            let p = ks("precision"), r = ks("recall")
            let common = p.map(\.k).filter { k in r.contains { $0.k == k } }
            guard common.count >= 2 else {
                throw a.error("plot(): kind: \"pr\" needs precision@k and recall@k at two or more k (e.g. metrics: [\"precision@5\", \"recall@5\", \"precision@10\", \"recall@10\"])")
            }
            let series = try modelNames.map { model -> XYSeries in
                let row = rowsOf(model).first!
                let xs = try common.map { k in try numbers(t, "recall@\(k)", role: "a metric", a)[row] }
                let ys = try common.map { k in try numbers(t, "precision@\(k)", role: "a metric", a)[row] }
                return XYSeries(model, x: xs, y: ys)
            }
            var c = Chart(.line, .xy(series), title: "Precision against recall (k = \(common.map(String.init).joined(separator: ", ")))",
                          xLabel: "recall", yLabel: "precision")
            c.yFromZero = true
            return c
        }
        if let k { _ = try kind(k, allowed: ["bar", "line", "pr"], a) }
        let chosen = try a.optionalString("y")
        if let chosen, !bases.contains(chosen), !metrics.contains(chosen) {
            throw a.error("plot(): no metric '\(chosen)' in this evaluation (metrics: \(metrics.joined(separator: ", ")))")
        }
        let curveBase = chosen.map { c in bases.contains(c) ? c : String(c.split(separator: "@")[0]) } ?? bases.first { ks($0).count >= 2 }
        if k != "bar", let base = curveBase, ks(base).count >= 2 {
            let points = ks(base)
            let series = try modelNames.map { model -> XYSeries in
                let row = rowsOf(model).first!
                return XYSeries(model, x: points.map { Double($0.k) }, y: try points.map { try numbers(t, $0.column, role: "a metric", a)[row] })
            }
            var c = Chart(.line, .xy(series), title: "\(base) at each k", xLabel: "k", yLabel: base)
            c.yFromZero = true
            return c
        }
        if k == "line" { throw a.error("plot(): metric-vs-k lines need one metric at two or more k (e.g. metrics: [\"ndcg@5\", \"ndcg@10\", \"ndcg@20\"])") }
        let shown = chosen.map { c in metrics.filter { $0 == c || $0.hasPrefix(c + "@") } } ?? metrics
        let series = try modelNames.map { model -> BarSeries in
            let row = rowsOf(model).first!
            return BarSeries(model, try shown.map { try numbers(t, $0, role: "a metric", a)[row] })
        }
        return Chart(.bar, .bars(categories: shown, series: series), title: "Evaluation", xLabel: "metric", yLabel: "value")
    }
}
