// Weighted hybrid: a linear combination of several recommenders' normalised scores.

import Foundation

/// The weighted hybrid of Burke, "Hybrid recommender systems: survey and experiments" (User
/// Modeling and User-Adapted Interaction 12(4), 2002), §3.1 (as in P-Tango): for components
/// m = 1…M with weights w_m,
///
///     score(u, i) = Σ_m w_m · norm_u(s_m(u, ·))_i
///
/// Components score on different scales (predicted ratings, similarity sums, counts), so each
/// component's scores for the user are normalised over the whole catalogue first:
///
/// - `.minMax`: (s − min_u) / (max_u − min_u), into [0, 1] (0 when all scores are equal);
/// - `.zScore`: (s − mean_u) / sd_u, population standard deviation (0 when sd_u = 0);
/// - `.none`: the raw scores.
///
/// min, max, mean and sd are over the user's finite scores of all items, training items
/// included (the normalisation must not depend on what is later excluded). A NaN or infinite
/// component score contributes 0, and so does a component for an item it does not know. `fit`
/// fits every component on the same log, in order; they must share its ID space.
public final class Hybrid: Recommender {
    public enum Normalization: String, Sendable, CaseIterable {
        case minMax, zScore, none
    }

    public var name: String { "hybrid" }
    public let components: [Recommender]
    public var weights: [Float]
    public var normalization: Normalization

    public private(set) var userCount = 0
    public private(set) var itemCount = 0
    public private(set) var trainingItems = TrainingItems()

    /// How `explain` names each component (the components' own names by default).
    public let labels: [String]

    public init(_ components: [(Recommender, Float)], normalization: Normalization = .minMax, labels: [String]? = nil) {
        precondition(!components.isEmpty, "a hybrid needs at least one component")
        precondition(labels == nil || labels!.count == components.count, "one label per component")
        self.components = components.map(\.0)
        self.weights = components.map(\.1)
        self.normalization = normalization
        self.labels = labels ?? components.map(\.0.name)
    }

    /// The components are fitted one after another and all kept.
    public func estimatedFitBytes(users: Int, items: Int, interactions: Int) -> Int {
        components.reduce(0) { MemoryBudget.sum($0, $1.estimatedFitBytes(users: users, items: items, interactions: interactions)) }
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        precondition(weights.count == components.count, "one weight per component")
        for c in components { try c.fit(train, context: context) }
        userCount = train.userCount; itemCount = train.itemCount
        trainingItems = TrainingItems(train)
    }

    /// An item is known when some component knows it; a component that does not know an item
    /// contributes 0 for it, never a score from its untrained state.
    public func knows(item: Int32) -> Bool { components.contains { $0.knows(item: item) } }

    /// Component `c`'s scores for `user` into `part`, NaN for the items `c` does not know (so
    /// they contribute 0 and stay out of the normalisation).
    func componentScores(_ c: Recommender, user: Int32, into part: UnsafeMutableBufferPointer<Float>) {
        c.scoreAll(user: user, into: part)
        for i in c.unknownItems { part[Int(i)] = .nan }
        normalize(part)
    }

    /// Normalises `s` in place as configured (NaN/±∞ become 0).
    func normalize(_ s: UnsafeMutableBufferPointer<Float>) {
        var lo = Float.infinity, hi = -Float.infinity
        var sum = 0.0, n = 0
        for v in s where v.isFinite {
            lo = min(lo, v); hi = max(hi, v); sum += Double(v); n += 1
        }
        switch normalization {
        case .none:
            for j in 0..<s.count where !s[j].isFinite { s[j] = 0 }
        case .minMax:
            let range = hi - lo
            for j in 0..<s.count { s[j] = s[j].isFinite && range > 0 ? (s[j] - lo) / range : 0 }
        case .zScore:
            let mean = n > 0 ? sum / Double(n) : 0
            var ss = 0.0
            for v in s where v.isFinite { ss += (Double(v) - mean) * (Double(v) - mean) }
            let sd = n > 0 ? (ss / Double(n)).squareRoot() : 0
            let m = Float(mean), inv = sd > 0 ? Float(1 / sd) : 0
            for j in 0..<s.count { s[j] = s[j].isFinite ? (s[j] - m) * inv : 0 }
        }
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let n = itemCount
        precondition(scores.count == n, "score buffer must have itemCount elements")
        let part = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        defer { part.deallocate() }
        for i in 0..<n { scores[i] = 0 }
        for (c, w) in zip(components, weights) {
            componentScores(c, user: user, into: part)
            if n > 0 { axpy(w, part.baseAddress!, scores.baseAddress!, n) }
        }
    }

    /// Each component's weighted normalised score (`.model(name)`), largest magnitude first; the
    /// parts sum to the score.
    public func explain(user: Int32, item: Int32) -> Explanation {
        let n = itemCount
        guard item >= 0 && Int(item) < n else {
            return Explanation(user: user, item: item, score: .nan, contributions: [])
        }
        let part = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        defer { part.deallocate() }
        var parts: [Explanation.Contribution] = []
        var total: Float = 0
        for (k, (c, w)) in zip(components, weights).enumerated() {
            componentScores(c, user: user, into: part)
            let v = w * part[Int(item)]
            total += v
            parts.append(.init(.model(labels[k]), v))
        }
        parts.sort { abs($0.value) > abs($1.value) }
        return Explanation(user: user, item: item, score: total, contributions: parts)
    }
}

/// Each component's state is stored nested (`component.0`, …), with the component names to check
/// that the restoring hybrid is built the same way. Every component must be persistent.
extension Hybrid: PersistentRecommender {
    public func savedState() throws -> ModelState {
        var s = ModelState()
        s.setShape(of: self)
        s.set("components", components.map(\.name))
        for (k, c) in components.enumerated() {
            guard let p = c as? PersistentRecommender else {
                throw DataError(.invalidArgument, message: "\(name): component \(k + 1) (\(c.name)) cannot be saved: it is not a persistent model")
            }
            s.set("component.\(k)", try p.savedState())
        }
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        let names = try state.strings("components")
        guard names == components.map(\.name) else {
            throw PayloadError("model state: \(name) was saved with components [\(names.joined(separator: ", "))], "
                               + "this one has [\(components.map(\.name).joined(separator: ", "))]")
        }
        // All components checked before any is restored.
        let parts: [(PersistentRecommender, ModelState)] = try components.enumerated().map { k, c in
            guard let p = c as? PersistentRecommender else {
                throw PayloadError("model state: \(name) component \(k + 1) (\(c.name)) cannot be restored: it is not a persistent model")
            }
            return (p, try state.nested("component.\(k)"))
        }
        for (p, s) in parts { try p.restore(s, training: training) }
        userCount = training.userCount; itemCount = training.itemCount
        trainingItems = seen
    }
}

extension Hybrid {
    static let normalizationNames: [(String, Normalization)] = [("min_max", .minMax), ("z_score", .zScore), ("none", .none)]

    public static let kind = ModelKind(
        "hybrid", summary: "A weighted hybrid: the sum of the component models' normalized scores, times their weights.",
        details: """
        Each component's scores are normalized per user first (normalize: "min_max", "z_score" or "none"), then weighted
        (equal weights by default). Fitting it fits every component on the same data.
        """,
        paper: "Burke, Hybrid recommender systems: survey and experiments, User Modeling and User-Adapted Interaction 12(4), 2002",
        parameters: [
            HyperParameter("models", .models(minCount: 1), default: .none, doc: "the component models").required(),
            HyperParameter("weights", .doubles(minCount: 1), default: .none, doc: "one weight per model (equal when not given)"),
            .choice("normalize", "min_max", normalizationNames.map(\.0), "how each component's scores are scaled per user"),
        ],
        input: { c in
            let parts = c.models("models").map(\.input)
            let values: ModelInput.Values = parts.contains { $0.values == .required } ? .required
                : parts.contains { $0.values == .used } ? .used : .ignored
            return ModelInput(values: values, timestamps: parts.contains(where: \.timestamps),
                              itemAttributes: parts.contains(where: \.itemAttributes), userAttributes: parts.contains(where: \.userAttributes))
        },
        capabilities: { c in
            let parts = c.models("models").map(\.capabilities)
            var caps: ModelCapabilities = [.ranks, .explains]
            if parts.allSatisfy({ $0.contains(.persistent) }) { caps.insert(.persistent) }
            return caps
        },
        check: { c throws(ModelConfigError) in
            if let w = c.doubles("weights"), w.count != c.models("models").count {
                throw ModelConfigError(parameter: "weights", message: "\(c.models("models").count) models but \(w.count) weights")
            }
        },
        make: { c in
            let parts = c.models("models")
            let weights = c.doubles("weights")?.map { Float($0) } ?? parts.map { _ in 1 }
            // Components named as in the script; a repeated name gets its position ("item_knn #2").
            let names = parts.map(\.name)
            let labels = names.enumerated().map { k, n in names.filter { $0 == n }.count > 1 ? "\(n) #\(k + 1)" : n }
            return Hybrid(try zip(parts, weights).map { (try $0.make(), $1) },
                          normalization: normalizationNames.first { $0.0 == c.string("normalize") }!.1, labels: labels)
        })
}
