import Foundation

// The text form of a dataset summary: what `describe(data)` prints.

extension DatasetSummary {
    /// A readable multi-section report: counts, density, values, events, channels, time span,
    /// activity, long tail and groups. Every section is a small table aligned on its own widths
    /// (by terminal columns, so CJK labels line up), with numbers right-aligned.
    public var text: String {
        var out = ""
        func line(_ s: String) { out += s + "\n" }
        func lines(_ rows: [[String]], numeric: [Bool], indent: String = "  ") {
            for l in DescribeLayout.align(rows, numeric: numeric) { line(indent + l) }
        }
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func num(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.2f", x) }
        func counts(_ title: String, _ labels: [LabelCount]) {
            guard !labels.isEmpty else { return }
            line("\(title):")
            lines(labels.map { [$0.label, String($0.count), pct($0.share)] }, numeric: [false, true, true])
        }
        lines([["interactions", String(rows), ""],
               ["users", String(users), "(\(activeUsers) with interactions)"],
               ["items", String(items), "(\(activeItems) with interactions)"],
               ["user-item pairs", String(pairs), "(density \(String(format: "%.4f%%", density * 100)))"]],
              numeric: [false, true, false], indent: "")
        if let values {
            let s = values.stats
            line("values: mean \(num(s.mean)), std \(num(s.std)), min \(num(s.min)), median \(num(s.median)), max \(num(s.max))")
            counts("value distribution", values.histogram)
        }
        counts("events", events)
        counts("channels", channels)
        if let first = firstTimestamp, let last = lastTimestamp {
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd"
            f.timeZone = TimeZone(identifier: "UTC")
            // In Double: timestamps at both ends of Int64 would overflow the difference.
            let days = (Double(last) - Double(first)) / 86_400
            line("time span: \(f.string(from: Date(timeIntervalSince1970: TimeInterval(first)))) to \(f.string(from: Date(timeIntervalSince1970: TimeInterval(last)))) (\(String(format: "%.1f", days)) days)")
        }
        line("interactions per user: mean \(num(perUser.mean)), median \(num(perUser.median)), min \(num(perUser.min)), max \(num(perUser.max))")
        line("interactions per item: mean \(num(perItem.mean)), median \(num(perItem.median)), min \(num(perItem.min)), max \(num(perItem.max))")
        let half = longTail.itemsForHalf
        line("long tail: top 1% of items hold \(pct(longTail.top1PercentShare)), top 20% hold \(pct(longTail.top20PercentShare)); "
             + "\(half) \(half == 1 ? "item holds" : "items hold") half; Gini \(String(format: "%.3f", longTail.gini))")
        for g in userGroups {
            line("users by \(g.attribute):")
            lines([[g.attribute, "users", "share", "interactions", "share", "per user"]]
                  + g.groups.map { s in
                      [s.group, String(s.users), pct(s.shareOfUsers), String(s.interactions), pct(s.shareOfInteractions),
                       String(format: "%.1f", s.interactionsPerUser)]
                  }, numeric: [false, true, true, true, true, true])
        }
        for g in itemGroups {
            // For item groups `users` counts the distinct users who reached the group.
            line("interactions by item \(g.attribute):")
            lines([[g.attribute, "interactions", "share", "users"]]
                  + g.groups.map { s in [s.group, String(s.interactions), pct(s.shareOfInteractions), String(s.users)] },
                  numeric: [false, true, true, true])
        }
        return out
    }
}

/// Column alignment for the sections of `describe`: each column as wide as its widest cell.
enum DescribeLayout {
    static func align(_ rows: [[String]], numeric: [Bool]) -> [String] {
        let columns = numeric.count
        var widths = [Int](repeating: 0, count: columns)
        for r in rows { for (c, cell) in r.enumerated() where c < columns { widths[c] = max(widths[c], cell.displayWidth) } }
        return rows.map { r in
            var s = ""
            for (c, cell) in r.enumerated() where c < columns {
                if c > 0 { s += "  " }
                s += cell.padded(toWidth: widths[c], right: numeric[c])
            }
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
    }
}
