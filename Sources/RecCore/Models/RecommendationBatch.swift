// The top-k lists of many users that `recommendAll` fills in one pass.

/// Top-k lists of many users: row r (user `users[r]`) is `items[r*k ..< r*k+k]`, padded with -1.
public struct RecommendationBatch: Sendable, Equatable {
    public let users: [Int32]
    public let k: Int
    public let items: [Int32]
    public let scores: [Float]

    /// The list of row r without padding.
    public func list(_ r: Int) -> [(item: Int32, score: Float)] {
        var out: [(item: Int32, score: Float)] = []
        for j in r * k ..< r * k + k where items[j] >= 0 { out.append((items[j], scores[j])) }
        return out
    }

    /// As the metrics' input (one row per entry of `users`).
    public var lists: RecommendationLists { RecommendationLists(k: k, items: items) }

    public static func == (a: RecommendationBatch, b: RecommendationBatch) -> Bool {
        a.users == b.users && a.k == b.k && a.items == b.items
            && zip(a.scores, b.scores).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
}
