// The one rule for users and items a fitted model was not trained on (docs/models.md, "Users and
// items a model was not trained on").
//
// A split keeps train and test in one ID space, so a user or item that only the test set has gets
// an index inside the model's range, with nothing learned behind it (zero counts, or factors still
// at their random start). Scoring it as if it were known gives numbers from untrained state. So:
//
// - a model knows the users and items with at least one row in its training log (content-based
//   models also know items by their attributes);
// - an item the model does not know is never scored: every list leaves it out, and asking for its
//   score or explanation is the caller's error to report;
// - a user the model does not know is scored as a user without history: `scoringIndex(user:)`
//   maps it past the fitted range, which every model scores that way (popularity's list, μ + b_i…);
// - a rating that evaluation must predict for an unknown item uses the item without history of
//   bias and factor models (μ + b_u, as Surprise does), else the training mean.

extension Recommender {
    public func knows(item: Int32) -> Bool { trainingItems.hasRows(item: item) }

    /// Whether the model was trained on `user` (it has a training row).
    public func knows(user: Int32) -> Bool { trainingItems.hasRows(user: user) }

    /// The index to score `user` as: itself when the model knows it, otherwise one past the fitted
    /// range, which every model scores as a user without history.
    public func scoringIndex(user: Int32) -> Int32 { knows(user: user) ? user : Int32(userCount) }

    /// The index to predict `item` as: itself when the model knows it, otherwise one past the
    /// fitted range, which bias and factor models score as an item without history (μ + b_u)
    /// and the others as NaN (no prediction). Only evaluation asks this: elsewhere an unknown
    /// item is an error.
    public func scoringIndex(item: Int32) -> Int32 { knows(item: item) ? item : Int32(itemCount) }

    /// The items of the fitted ID space the model does not know, ascending.
    public var unknownItems: [Int32] { (0..<Int32(itemCount)).filter { !knows(item: $0) } }

    /// The `k` items most similar to `item` among those the model knows.
    public func similarKnownItems(to item: Int32, k: Int) -> [(item: Int32, score: Float)] {
        let unknown = unknownItems
        guard !unknown.isEmpty else { return similarItems(item: item, k: k) }
        let drop = Set(unknown)
        return Array(similarItems(item: item, k: k + unknown.count).filter { !drop.contains($0.item) }.prefix(k))
    }
}

/// Sets the scores of `items` to -∞ (they are never selected).
@inline(__always)
func exclude(_ items: [Int32], from scores: UnsafeMutableBufferPointer<Float>) {
    for i in items where i >= 0 && Int(i) < scores.count { scores[Int(i)] = -.infinity }
}
