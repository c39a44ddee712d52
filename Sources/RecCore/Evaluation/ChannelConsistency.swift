// Does a user see related lists in the app, on the web and in the store? The overlap of each
// user's lists between every two channels, per pair of channels and overall.

/// Consistency of users' lists across channels: for every user and every pair of channels where
/// the user has a list on both, Jaccard@k and rank-biased overlap (p; Webber et al. 2010) of the
/// two lists; averaged per pair over users, and overall over all (user, pair) comparisons.
public struct ChannelConsistency: Sendable, Equatable {
    public struct Pair: Sendable, Equatable {
        public let channels: (String, String)
        /// Users with a list on both channels.
        public let users: Int
        public let jaccard: Double
        public let rbo: Double
        public static func == (x: Pair, y: Pair) -> Bool {
            x.channels == y.channels && x.users == y.users && x.jaccard == y.jaccard && x.rbo == y.rbo
        }
    }

    public let k: Int
    public let p: Double
    public let pairs: [Pair]
    /// Over every (user, channel pair) comparison.
    public let jaccard: Double
    public let rbo: Double
    /// Users compared at least once.
    public let users: Int
    /// Each compared user's mean RBO over their channel pairs (`users` order of the input).
    public let perUser: PerUserMetric

    /// From one set of lists per channel, all for the same `users` (row r of every set is user
    /// `users[r]`); an empty list means the user has none on that channel.
    public static func measure(channels: [(label: String, lists: RecommendationLists)], users: [Int32],
                               k: Int, p: Double = 0.9) -> ChannelConsistency {
        var pairs: [Pair] = []
        var userSum = [Double](repeating: 0, count: users.count), userN = [Int](repeating: 0, count: users.count)
        var allJ = 0.0, allR = 0.0, allN = 0
        for a in 0..<channels.count {
            for b in (a + 1)..<max(a + 1, channels.count) {
                var j = 0.0, r = 0.0, n = 0
                for u in 0..<users.count {
                    let la = channels[a].lists[u], lb = channels[b].lists[u]
                    guard !la.isEmpty, !lb.isEmpty else { continue }
                    let jac = Metrics.jaccard(la, lb, k: k), rbo = Metrics.rankBiasedOverlap(la, lb, p: p, k: k)
                    j += jac; r += rbo; n += 1
                    userSum[u] += rbo; userN[u] += 1
                }
                pairs.append(Pair(channels: (channels[a].label, channels[b].label), users: n,
                                  jaccard: n > 0 ? j / Double(n) : .nan, rbo: n > 0 ? r / Double(n) : .nan))
                allJ += j; allR += r; allN += n
            }
        }
        let compared = (0..<users.count).filter { userN[$0] > 0 }
        return ChannelConsistency(k: k, p: p, pairs: pairs,
                                  jaccard: allN > 0 ? allJ / Double(allN) : .nan, rbo: allN > 0 ? allR / Double(allN) : .nan,
                                  users: compared.count,
                                  perUser: PerUserMetric(users: compared.map { users[$0] }, values: compared.map { userSum[$0] / Double(userN[$0]) }))
    }

    /// A fitted channel model's top-k lists for `users` on each of its channels, compared.
    public static func measure(_ model: ChannelModel, users: [Int32], k: Int, p: Double = 0.9,
                               excludeTraining: Bool = true, cancellation: Cancellation = .none) throws -> ChannelConsistency {
        let perChannel = try model.channelLabels.indices.map { c in
            (label: model.channelLabels[c],
             lists: try model.view(channel: c).recommendAll(users: users, k: k, excludeTraining: excludeTraining, cancellation: cancellation).lists)
        }
        return measure(channels: perChannel, users: users, k: k, p: p)
    }

    /// From a table of recommendations with columns user, channel and item (ordered by rank,
    /// else by score descending, else by row order). IDs are compared as text.
    public static func measure(table t: Table, k: Int, p: Double = 0.9) throws -> ChannelConsistency {
        for c in ["user", "channel", "item"] where !t.hasColumn(c) {
            throw DataError(.missingColumn, message: "consistency needs columns user, channel and item (and rank or score); the table has \(t.columnNames.joined(separator: ", "))")
        }
        let users = try t.column("user"), channels = try t.column("channel"), items = try t.column("item")
        let rank = t.hasColumn("rank") ? try t.column("rank") : nil, score = t.hasColumn("score") ? try t.column("score") : nil
        var userIndex: [String: Int] = [:], channelIndex: [String: Int] = [:], itemIndex: [String: Int32] = [:]
        var userOrder: [String] = [], channelOrder: [String] = []
        var rows: [[Int: [(order: Double, row: Int, item: Int32)]]] = []
        for r in 0..<t.rowCount {
            let u = users[r].description, c = channels[r].description, i = items[r].description
            let ui = userIndex[u] ?? { userOrder.append(u); userIndex[u] = userOrder.count - 1; return userOrder.count - 1 }()
            let ci = channelIndex[c] ?? { channelOrder.append(c); channelIndex[c] = channelOrder.count - 1; rows.append([:]); return channelOrder.count - 1 }()
            let ii = itemIndex[i] ?? { let n = Int32(itemIndex.count); itemIndex[i] = n; return n }()
            let order: Double
            if let rank, let x = rank[r].doubleValue { order = x }
            else if let score, let x = score[r].doubleValue { order = -x }
            else { order = Double(r) }
            rows[ci][ui, default: []].append((order, r, ii))
        }
        let perChannel = channelOrder.indices.map { c in
            (label: channelOrder[c], lists: RecommendationLists(userOrder.indices.map { u in
                var seen = Set<Int32>()
                return (rows[c][u] ?? []).sorted { ($0.order, $0.row) < ($1.order, $1.row) }.map(\.item).filter { seen.insert($0).inserted }
            }))
        }
        return measure(channels: perChannel, users: userOrder.indices.map { Int32($0) }, k: k, p: p)
    }

    /// One row per pair of channels, then "all": channels, users, jaccard@k, rbo@k.
    public func table() throws -> Table {
        var names = pairs.map { "\($0.channels.0) · \($0.channels.1)" }, users = pairs.map(\.users)
        var j = pairs.map(\.jaccard), r = pairs.map(\.rbo)
        names.append("all"); users.append(self.users); j.append(jaccard); r.append(rbo)
        func column(_ v: [Double]) -> Column { Column(optionalDoubles: v.map { $0.isNaN ? nil : $0 }) }
        return try Table([("channels", Column(strings: names)), ("users", Column(ints: users.map(Int64.init))),
                          ("jaccard@\(k)", column(j)), ("rbo@\(k)", column(r))])
    }
}
