import Foundation
import RecCore

/// The HTML forms of datasets, splits, models and explanations: small `<table>`s with a caption,
/// a label per row and numbers right-aligned (inline, so that any host shows them so).
enum SummaryHTML {
    enum Cell {
        case text(String)
        case number(String)

        static func int(_ i: Int) -> Cell { .number(String(i)) }
        static func double(_ d: Double, decimals: Int = 4) -> Cell { .number(String(format: "%.\(decimals)f", d)) }
    }

    static func table(caption: String, header: [String]? = nil, rows: [(label: String, cells: [Cell])]) -> String {
        let right = " style=\"text-align: right\""
        var s = "<table class=\"rec-table rec-summary\">\n<caption>\(HTMLText.escape(caption))</caption>\n"
        if let header {
            s += "<thead>\n<tr>"
            for (k, h) in header.enumerated() {
                let numeric = k > 0 && rows.allSatisfy { k - 1 < $0.cells.count && { if case .number = $0 { return true }; return false }($0.cells[k - 1]) }
                s += "<th\(numeric ? right : "")>\(HTMLText.escape(h))</th>"
            }
            s += "</tr>\n</thead>\n"
        }
        s += "<tbody>\n"
        for row in rows {
            s += "<tr><th scope=\"row\" style=\"text-align: left\">\(HTMLText.escape(row.label))</th>"
            for cell in row.cells {
                switch cell {
                case .text(let t): s += "<td>\(HTMLText.escape(t))</td>"
                case .number(let n): s += "<td\(right)>\(HTMLText.escape(n))</td>"
                }
            }
            s += "</tr>\n"
        }
        return s + "</tbody>\n</table>"
    }

    static func dataset(_ d: DatasetObject, caption: String = "Dataset") -> String {
        var rows: [(String, [Cell])] = []
        for name in ["count", "users", "items"] {
            if case .int(let n)? = d.member(name) { rows.append((name == "count" ? "interactions" : name, [.int(n)])) }
        }
        if case .double(let x)? = d.member("density") { rows.append(("density", [.double(x)])) }
        let data = d.data
        if let e = data.events { rows.append(("events", [.text(e.labels.joined(separator: ", "))])) }
        if let c = data.channels { rows.append(("channels", [.text(c.labels.joined(separator: ", "))])) }
        rows.append(("values", [.text(data.values != nil ? "yes" : "no")]))
        rows.append(("timestamps", [.text(data.timestamps != nil ? "yes" : "no")]))
        if let a = data.userAttributes { rows.append(("user attributes", [.text(a.columnNames.joined(separator: ", "))])) }
        if let a = data.itemAttributes { rows.append(("item attributes", [.text(a.columnNames.joined(separator: ", "))])) }
        if let r = d.report, r.skippedCount > 0 { rows.append(("lines skipped on loading", [.int(r.skippedCount)])) }
        return table(caption: caption, rows: rows)
    }

    static func split(_ s: SplitObject) -> String {
        let r = s.split.report
        func count(_ d: Interactions, _ name: String) -> Int {
            if case .int(let n)? = DatasetObject(d).member(name) { return n }
            return 0
        }
        var rows: [(String, [Cell])] = [
            ("train", [.int(r.trainRows), .int(count(s.split.train, "users")), .int(count(s.split.train, "items"))]),
            ("test", [.int(r.testRows), .int(r.testUsers), .int(r.testItems)]),
            ("test, not in train", [.int(max(r.testRowsWithUnseenUser, r.testRowsWithUnseenItem)), .int(r.unseenUsers), .int(r.unseenItems)]),
        ]
        if let seed = s.seed { rows.append(("seed", [.int(seed), .text(""), .text("")])) }
        return table(caption: "Split", header: ["", "interactions", "users", "items"], rows: rows)
    }

    static func model(_ m: ModelObject) -> String {
        var rows: [(String, [Cell])] = m.params.filter { $0.name != "name" }.map { p in
            switch p.value {
            case .int(let i): return (p.name, [.int(i)])
            case .double(let d): return (p.name, [.number(Value.double(d).repr)])
            default: return (p.name, [.text(p.value.repr)])
            }
        }
        if let t = m.trainedOn {
            rows.append(("fitted on", [.text("\(t.count) interactions, \(t.userCount) users, \(t.itemCount) items")]))
            if let last = m.lossHistory.last {
                let epochs = m.lossHistory.count
                rows.append(("final loss", [.double(last)]))
                rows.append(("epochs run", [.text(m.stoppedAfter.map { "\($0.epoch) of \($0.of) (stopped)" } ?? String(epochs))]))
            }
        }
        let state = m.isFitted ? "fitted" : "not fitted"
        return table(caption: "Model · \(m.displayName) · \(state)", rows: rows)
    }

    /// `explain(…)`'s record: the score as the caption, the contributions below it.
    static func explanation(_ r: RecordRef, format: TableFormat) -> String? {
        guard r.names == ["user", "item", "score", "parts"], case .native(let parts as TableObject) = r.values[3] else { return nil }
        let score: String
        switch r.values[2] {
        case .double(let d): score = String(format: "score %.4f", d)
        default: score = "no score"
        }
        return parts.table.renderHTML(format, caption: "Why item \(r.values[1].str) for user \(r.values[0].str): \(score), from these parts")
    }
}
