// Most-popular baseline: every user gets the items with the most interactions.

/// Recommends the most popular items: an item's score is its number of training interactions
/// (rows, so repeated events count; with `distinctUsers`, the number of distinct users).
/// Ties are broken by item index. The non-personalised baseline every top-N evaluation needs
/// (LensKit `PopScore`, implicit's absent-model baseline).
public final class Popularity: Recommender {
    public let name = "popularity"
    /// Count each (user, item) pair once rather than every interaction row.
    public var distinctUsers: Bool

    /// Score per item index: the interaction (or user) count.
    public private(set) var counts: [Float] = []
    public private(set) var userCount = 0
    public private(set) var trainingItems = TrainingItems()
    public var itemCount: Int { counts.count }

    public init(distinctUsers: Bool = false) { self.distinctUsers = distinctUsers }

    public func fit(_ train: Interactions) throws {
        if distinctUsers {
            counts = train.matrix(duplicates: .sum, values: .ones).columnCounts.map { Float($0) }
        } else {
            counts = train.itemCounts().map { Float($0) }
        }
        userCount = train.userCount
        trainingItems = TrainingItems(train)
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == counts.count, "score buffer must have itemCount elements")
        counts.withUnsafeBufferPointer { c in
            for i in 0..<c.count { scores[i] = c[i] }
        }
    }

    public func score(user: Int32, items: [Int32]) -> [Float] {
        items.map { $0 >= 0 && Int($0) < counts.count ? counts[Int($0)] : .nan }
    }

    public func explain(user: Int32, item: Int32) -> Explanation {
        let s = score(user: user, items: [item])[0]
        return Explanation(user: user, item: item, score: s, contributions: [.init(.popularity, s)])
    }
}
