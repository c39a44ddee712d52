import RecCore

/// What a table holds, as far as its HTML form cares.
public enum TableRole: Equatable {
    case plain
    /// An `evaluate` result; with `groupColumn` (`evaluate(…, by:)`) each model has a row for all
    /// users, one per group and the disparity rows `max-min` and `min/max`.
    case evaluation(groupColumn: String?)
}

extension TableObject {
    /// The `<table>` with a caption; in a grouped evaluation the all-users rows are bold, group
    /// rows indented and the disparity rows shaded and italic (inline styles too, so that Jupyter
    /// and other hosts without Rec's style sheet still set them apart).
    func html(_ format: TableFormat) -> String {
        let shape = "\(table.rowCount) \(table.rowCount == 1 ? "row" : "rows") × \(table.columnCount) \(table.columnCount == 1 ? "column" : "columns")"
        let shown = table.rowCount > format.maxRows ? " (first and last \(format.maxRows / 2) shown)" : ""
        switch role {
        case .plain:
            return table.renderHTML(format, caption: "Table · " + shape + shown)
        case .evaluation(let groupColumn):
            let models = Set((try? table.column("model")).map { TableObject.values($0).map(\.str) } ?? []).count
            let fixed = groupColumn == nil ? 2 : 3
            let metrics = table.columnNames.dropFirst(fixed)
            var caption = "Evaluation · \(models) \(models == 1 ? "model" : "models") · " + metrics.joined(separator: ", ")
            guard let groupColumn, let groups = try? table.column(groupColumn) else {
                return table.renderHTML(format, caption: caption + shown)
            }
            caption += " · by \(groupColumn), with disparity rows max-min and min/max" + shown
            return table.renderHTML(format, caption: caption) { row in
                switch TableObject.value(groups[row]) {
                case .string("all"): return " class=\"rec-all\" style=\"font-weight: 600\""
                case .string("max-min"): return " class=\"rec-disparity rec-disparity-first\" style=\"font-style: italic; background: #fff8c5; border-top: 2px solid #9a6700\""
                case .string("min/max"): return " class=\"rec-disparity\" style=\"font-style: italic; background: #fff8c5\""
                default: return " class=\"rec-group\""
                }
            }
        }
    }
}
