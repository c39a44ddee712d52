// Which differentially private releases one fit makes: a DP model is one, and a model built
// from others (a weighted hybrid, a channel model) makes those of its parts — every one of which
// reads the same people's data, so the ledger charges them all (sequential composition).

/// One differentially private fit inside a fit: the model (a path through the models it sits in,
/// "hybrid › dp-popularity") and what it costs.
public struct PrivacyRelease: Sendable, Equatable {
    public var model: String
    public var cost: PrivacyCost
}

public enum PrivacyReleases {
    /// The releases a fit of `model` on `data` makes, in fit order; empty for a model that is not
    /// differentially private and has no such part. A channel model fits its base once on all
    /// events and once per channel of `data`: a user with events on several channels is in
    /// several of those fits, so each is charged in full (no parallel composition).
    public static func of(_ model: any Recommender, on data: Interactions, path: String? = nil) -> [PrivacyRelease] {
        let here = path.map { "\($0) › \(model.name)" } ?? model.name
        if let dp = model as? DifferentiallyPrivate { return [PrivacyRelease(model: here, cost: dp.privacyCost)] }
        if let h = model as? Hybrid { return h.components.flatMap { of($0, on: data, path: here) } }
        if let c = model as? ChannelModel, let base = try? c.makeBase() {
            let fits = 1 + (data.channels?.labels.count ?? 0)
            let one = of(base, on: data, path: here)
            return (0..<fits).flatMap { _ in one }
        }
        return []
    }
}
