// What a model reads from the training log's values, and the check of models that need ratings.

/// What the values of the training log mean to a model that can use either: ratings to
/// average (`explicit`), or the strength of implicit signals (`implicit`).
public enum FeedbackKind: String, Sendable {
    case explicit, implicit
}

/// Throws, naming the model that needs ratings, when `train` has no value column.
func requireRatings(_ train: Interactions, model: String) throws {
    guard train.values != nil else {
        throw DataError(.invalidArgument, message: "\(model) needs ratings: the interactions have no value column")
    }
}
