// The parts a score is made of, as `explain` returns them.

/// What a score is made of, for `explain`.
public struct Explanation: Sendable, CustomStringConvertible {
    /// One part of a score.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case globalMean, userBias, itemBias
        /// Interaction count (popularity).
        case popularity
        /// Latent factor f: the product of the user's and the item's value.
        case factor(Int)
        /// A neighbour item of the user's history and what it contributed.
        case neighbour(item: Int32)
        /// A neighbour user (user-based models) and what it contributed.
        case neighbourUser(user: Int32)
        /// The user's mean rating (the baseline of mean-centred neighbour models).
        case userMean
        /// A content feature such as `genres=Comedy` (attribute models).
        case feature(String)
        /// A component model of a hybrid, by name.
        case model(String)
        /// A named part of a model's score (e.g. NCF's `gmf`, `mlp` and `bias` parts of its logit).
        case component(String)

        public var description: String {
            switch self {
            case .globalMean: return "global mean"
            case .userBias: return "user bias"
            case .itemBias: return "item bias"
            case .popularity: return "popularity"
            case .factor(let f): return "factor \(f)"
            case .neighbour(let i): return "neighbour \(i)"
            case .neighbourUser(let u): return "neighbour user \(u)"
            case .userMean: return "user mean"
            case .feature(let f): return "feature \(f)"
            case .model(let m): return "model \(m)"
            case .component(let name): return name
            }
        }
    }

    public struct Contribution: Sendable, Equatable {
        public var source: Source
        public var value: Float
        public init(_ source: Source, _ value: Float) { self.source = source; self.value = value }
    }

    public var user: Int32
    public var item: Int32
    public var score: Float
    /// The parts, largest magnitude first (for factor and neighbour models possibly only the
    /// top ones; biases and means come first when present).
    public var contributions: [Contribution]

    public init(user: Int32, item: Int32, score: Float, contributions: [Contribution]) {
        self.user = user; self.item = item; self.score = score; self.contributions = contributions
    }

    public var description: String {
        let parts = contributions.map { "\($0.source)=\($0.value)" }.joined(separator: ", ")
        return "score(\(user), \(item)) = \(score) [\(parts)]"
    }
}
