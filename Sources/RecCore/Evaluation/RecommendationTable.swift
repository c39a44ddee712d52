// Recommendations that arrive as a table (from recommend_all, a re-ranker, a file another system
// wrote) turned into the lists the metrics read. The rules are part of what an evaluation means,
// so they live here, where a Swift caller gets the same answer as a Rec one.

extension EvaluationData {
    /// One list per evaluated user (`users`, in order) from a table with columns `user` and
    /// `item`, ordered by `rank` (ascending) when present, else by `score` (descending), else by
    /// row order. IDs are matched as text in the training ID space (users also in the test
    /// space); an item recommended twice to a user counts once, at its best position. Rows for
    /// unknown users or items outside the training catalogue are left out and counted in `notes`,
    /// never silently.
    public func recommendationLists(from t: Table) throws -> (lists: RecommendationLists, notes: [String]) {
        guard t.hasColumn("user"), t.hasColumn("item") else {
            throw DataError(.missingColumn, message: "recommendations need columns user and item (and rank or score); the table has \(t.columnNames.joined(separator: ", "))")
        }
        let userColumn = try t.column("user"), itemColumn = try t.column("item")
        let rank = t.hasColumn("rank") ? try t.column("rank") : nil
        let score = t.hasColumn("score") ? try t.column("score") : nil
        var byUser: [Int32: [(order: Double, item: Int32)]] = [:]
        var unknownItems = 0, unknownUsers = 0
        for r in 0..<t.rowCount {
            let uk = userColumn[r].description, ik = itemColumn[r].description
            guard let u = train.users.index(of: uk) ?? test.users.index(of: uk) else { unknownUsers += 1; continue }
            guard let i = train.items.index(of: ik), Int(i) < itemCount else { unknownItems += 1; continue }
            let order: Double
            if let rank, case .int(let x) = rank[r] { order = Double(x) }
            else if let rank, case .double(let x) = rank[r] { order = x }
            else if let score, let x = score[r].doubleValue { order = -x }
            else { order = Double(r) }
            byUser[u, default: []].append((order, i))
        }
        var notes: [String] = []
        if unknownItems > 0 { notes.append("\(unknownItems) recommended item(s) are not in the training catalogue and were left out") }
        if unknownUsers > 0 { notes.append("\(unknownUsers) recommendation row(s) are for users not in the data and were left out") }
        let rows = users.map { u -> [Int32] in
            var seen = Set<Int32>()
            // A stable sort keeps row order among equal ranks or scores.
            let ordered = (byUser[u] ?? []).enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }
            return ordered.map(\.element.item).filter { seen.insert($0).inserted }
        }
        return (RecommendationLists(rows), notes)
    }

    /// Each training item's labels from item attribute `attribute` (multi-valued ones split on
    /// `|`), for intra-list diversity; an item without a value has none.
    public func itemLabels(attribute: String) throws -> ItemSets {
        guard let attrs = train.itemAttributes, let c = attrs.column(attribute, alignedTo: train.items) else {
            throw DataError(.missingColumn, message: "no item attribute '\(attribute)' to measure diversity over")
        }
        let labels = (0..<itemCount).map { i -> [String] in
            let t = i < c.count ? c.text(i) : ""
            return t.isEmpty ? [] : t.split(separator: "|").map(String.init)
        }
        return ItemSets.coded(labels).sets
    }
}

extension Interactions {
    /// A stable fingerprint (counts and an FNV-1a hash of the rows and first IDs), recorded with
    /// every experiment so that results on different data are never compared by accident.
    public var fingerprint: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func mix(_ x: UInt64) { h = (h ^ x) &* 0x0000_0100_0000_01B3 }
        mix(UInt64(count)); mix(UInt64(userCount)); mix(UInt64(itemCount))
        for k in 0..<count {
            mix(UInt64(UInt32(bitPattern: user[k])) << 32 | UInt64(UInt32(bitPattern: item[k])))
        }
        for key in [users.key(at: 0 as Int), items.key(at: 0 as Int)] where count > 0 { for b in key.utf8 { mix(UInt64(b)) } }
        return "\(count)x\(userCount)x\(itemCount)-" + String(h, radix: 16)
    }
}
