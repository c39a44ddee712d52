import Foundation

// The text form of a dataset summary: what `describe(data)` prints.

extension DatasetSummary {
    /// A readable multi-section report: counts, density, values, events, channels, time span,
    /// activity, long tail and groups.
    public var text: String {
        var out = ""
        func line(_ s: String) { out += s + "\n" }
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func num(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.2f", x) }
        func counts(_ title: String, _ labels: [LabelCount]) {
            guard !labels.isEmpty else { return }
            line("\(title):")
            let width = labels.map(\.label.count).max() ?? 0
            for l in labels {
                line("  \(l.label.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(l.count).leftPad(10))  \(pct(l.share).leftPad(6))")
            }
        }
        line("interactions  \(rows)")
        line("users         \(users) (\(activeUsers) with interactions)")
        line("items         \(items) (\(activeItems) with interactions)")
        line("user-item pairs \(pairs), density \(String(format: "%.4f%%", density * 100))")
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
            // In Double: the span of arbitrary Int64 timestamps overflows Int64.
            let days = (Double(last) - Double(first)) / 86_400
            line("time span: \(f.string(from: Date(timeIntervalSince1970: TimeInterval(first)))) to \(f.string(from: Date(timeIntervalSince1970: TimeInterval(last)))) (\(String(format: "%.1f", days)) days)")
        }
        line("interactions per user: mean \(num(perUser.mean)), median \(num(perUser.median)), min \(num(perUser.min)), max \(num(perUser.max))")
        line("interactions per item: mean \(num(perItem.mean)), median \(num(perItem.median)), min \(num(perItem.min)), max \(num(perItem.max))")
        line("long tail: top 1% of items hold \(pct(longTail.top1PercentShare)), top 20% hold \(pct(longTail.top20PercentShare)); \(longTail.itemsForHalf) items hold half; Gini \(String(format: "%.3f", longTail.gini))")
        for g in userGroups {
            line("users by \(g.attribute):")
            let width = g.groups.map(\.group.count).max() ?? 0
            for s in g.groups {
                line("  \(s.group.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(s.users).leftPad(7)) users (\(pct(s.shareOfUsers).leftPad(6)))  \(String(s.interactions).leftPad(9)) interactions (\(pct(s.shareOfInteractions).leftPad(6)))  \(String(format: "%.1f", s.interactionsPerUser).leftPad(7)) per user")
            }
        }
        for g in itemGroups {
            // For item groups `users` counts the distinct users who reached the group.
            line("interactions by item \(g.attribute):")
            let width = g.groups.map(\.group.count).max() ?? 0
            for s in g.groups {
                line("  \(s.group.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(s.interactions).leftPad(9)) interactions (\(pct(s.shareOfInteractions).leftPad(6)))  from \(String(s.users).leftPad(7)) users")
            }
        }
        return out
    }
}

private extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
