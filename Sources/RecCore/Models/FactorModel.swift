import Foundation

// The shared base of latent-factor models: storage, scoring, similar items and explanations.

/// A latent-factor model: user u and item i have vectors p_u, q_i of `factors` numbers, and
///
///     score(u, i) = μ + b_u + b_i + p_u · q_i
///
/// where the mean and biases are present only in biased models (`BiasedMF`) and absent in
/// implicit-feedback ones (`ImplicitALS`). The factor matrices are contiguous row-major `[Float]`
/// with stride `factors` (row u of `userFactors` is p_u), as in `implicit`'s
/// `MatrixFactorizationBase`, so scoring is one SIMD dot product per item.
///
/// Subclasses implement `fit` and fill the storage; everything else lives here. A user outside
/// the fitted range scores as a zero vector with zero bias (μ + b_i for biased models); in
/// `score`, an item outside it likewise (μ + b_u; NaN in models without biases).
public class FactorModel: Recommender {
    public var name: String { "factors" }
    /// Latent dimensions.
    public var factors: Int
    /// `userCount × factors`, row-major.
    public internal(set) var userFactors: [Float] = []
    /// `itemCount × factors`, row-major.
    public internal(set) var itemFactors: [Float] = []
    /// Per-user and per-item biases (nil in models without biases).
    public internal(set) var userBias: [Float]? = nil
    public internal(set) var itemBias: [Float]? = nil
    /// μ (0 in models without biases).
    public internal(set) var globalMean: Float = 0
    public internal(set) var userCount = 0
    public internal(set) var itemCount = 0
    public internal(set) var trainingItems = TrainingItems()
    /// The training matrix (users × items, repeated pairs combined as the fit combined them),
    /// kept by the models that update by fold-in (ALS) so that an update merges the new events
    /// into it rather than rebuilding it from the whole log; nil after a restore, when the first
    /// update rebuilds it.
    var foldInRatings: SparseMatrix?
    /// Per item, the entries of its history when it was last solved (empty until the first
    /// update: then its count in the fitted matrix), which decides when an update refreshes it.
    var foldInItemBasis: [Int32] = []
    /// Per item, the entries of `foldInRatings` as the last update counted them (empty after a
    /// fit: the first update counts them), so that later updates add only the new pairs.
    var foldInItemCounts: [Int32] = []

    init(factors: Int) {
        precondition(factors > 0, "factors must be positive")
        self.factors = factors
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        fatalError("FactorModel is abstract: fit a BiasedMF or ImplicitALS")
    }

    /// Factor matrices (held twice while a fit builds them), `factorMatrices` of them per row of
    /// users and items; a factors² system per thread for the ALS solvers; and the training log.
    public func estimatedFitBytes(users: Int, items: Int, interactions: Int) -> Int {
        let rows = MemoryBudget.sum(MemoryBudget.product(users, factorMatrices.users), MemoryBudget.product(items, factorMatrices.items))
        let cores = Parallelism.cores
        return MemoryBudget.sum(MemoryBudget.product(rows, factors, 2 * MemoryLayout<Float>.stride),
                                MemoryBudget.product(cores, factors, factors, MemoryLayout<Double>.stride),
                                MemoryBudget.product(interactions, 32))
    }

    /// How many factor matrices a model keeps per user and per item (SVD++ has a second per item).
    var factorMatrices: (users: Int, items: Int) { (1, 1) }

    /// p_u as an array (zeros for an unknown user).
    public func userVector(_ user: Int32) -> [Float] {
        guard user >= 0 && Int(user) < userCount else { return [Float](repeating: 0, count: factors) }
        return Array(userFactors[Int(user) * factors ..< (Int(user) + 1) * factors])
    }

    /// q_i as an array.
    public func itemVector(_ item: Int32) -> [Float] {
        Array(itemFactors[Int(item) * factors ..< (Int(item) + 1) * factors])
    }

    @inline(__always)
    func knownUser(_ user: Int32) -> Bool { user >= 0 && Int(user) < userCount }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == itemCount, "score buffer must have itemCount elements")
        withUnsafePointer(to: user) { u in scoreAll(users: UnsafeBufferPointer(start: u, count: 1), into: scores.baseAddress!) }
    }

    /// Goes over the item factors in tiles of about 256 KiB (they stay in a core's cache while
    /// every user of the block is scored against them) rather than over all of them per user.
    /// Each score is one `gemv` row, computed in `dot`'s order whatever the tiling, so rows are
    /// bit-identical to scoring the users one at a time.
    public func scoreAll(users: UnsafeBufferPointer<Int32>, into scores: UnsafeMutablePointer<Float>) {
        scoreAll(users: users, into: scores, tileItems: max(4, (1 << 18) / (factors * MemoryLayout<Float>.stride)))
    }

    func scoreAll(users: UnsafeBufferPointer<Int32>, into scores: UnsafeMutablePointer<Float>, tileItems tile: Int) {
        let f = factors, n = itemCount
        guard n > 0 else { return }
        itemFactors.withUnsafeBufferPointer { q in
            userFactors.withUnsafeBufferPointer { p in
                var i0 = 0
                while i0 < n {
                    let i1 = min(n, i0 + tile)
                    for (b, u) in users.enumerated() where knownUser(u) {
                        gemv(q.baseAddress! + i0 * f, width: f, rows: i1 - i0, p.baseAddress! + Int(u) * f, into: scores + b * n + i0)
                    }
                    i0 = i1
                }
            }
        }
        for (b, u) in users.enumerated() {
            let row = scores + b * n
            let known = knownUser(u)
            let base = globalMean + (known ? userBias?[Int(u)] ?? 0 : 0)
            if known {
                for i in 0..<n { row[i] = base + row[i] }
            } else {
                for i in 0..<n { row[i] = base }
            }
            if let bias = itemBias {
                bias.withUnsafeBufferPointer { bias in for i in 0..<bias.count { row[i] += bias[i] } }
            }
        }
    }

    public func score(user: Int32, items: [Int32]) -> [Float] {
        let f = factors
        let known = knownUser(user)
        let base = globalMean + (known ? userBias?[Int(user)] ?? 0 : 0)
        return itemFactors.withUnsafeBufferPointer { q in
            userFactors.withUnsafeBufferPointer { p in
                items.map { i -> Float in
                    guard i >= 0 else { return .nan }
                    // Past the fitted range: an item without history, μ + b_u where there are biases.
                    guard Int(i) < itemCount else { return userBias != nil || itemBias != nil ? base : .nan }
                    var s = base
                    if known { s += dot(p.baseAddress! + Int(user) * f, q.baseAddress! + Int(i) * f, f) }
                    if let b = itemBias { s += b[Int(i)] }
                    return s
                }
            }
        }
    }

    /// The `k` items whose factor vectors have the highest cosine with `item`'s (itself excluded).
    public func similarItems(item: Int32, k: Int) -> [(item: Int32, score: Float)] {
        guard item >= 0 && Int(item) < itemCount, k > 0 else { return [] }
        let f = factors
        let norms = itemNorms
        let n = itemCount
        let k = min(k, n)
        let sims = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        defer { sims.deallocate() }
        itemFactors.withUnsafeBufferPointer { q in
            gemv(q.baseAddress!, width: f, rows: n, q.baseAddress! + Int(item) * f, into: sims.baseAddress!)
        }
        let ni = norms[Int(item)]
        for j in 0..<n {
            let d = ni * norms[j]
            sims[j] = d > 0 ? sims[j] / d : 0
        }
        sims[Int(item)] = -.infinity
        let it = UnsafeMutableBufferPointer<Int32>.allocate(capacity: k)
        let vs = UnsafeMutableBufferPointer<Float>.allocate(capacity: k)
        defer { it.deallocate(); vs.deallocate() }
        let m = TopK.select(UnsafeBufferPointer(sims), k: k, items: it, values: vs)
        return (0..<m).map { (it[$0], vs[$0]) }
    }

    /// ‖q_i‖ per item (for cosine similarity), refreshed by `install`.
    public internal(set) var itemNorms: [Float] = []

    /// Installs a fitted model — the end of every subclass's `fit`, and of `restore` — and derives
    /// the item norms `similarItems` uses. Counts follow from the factor matrices.
    func install(userFactors p: [Float], itemFactors q: [Float], userBias bu: [Float]?, itemBias bi: [Float]?,
                 globalMean mu: Float, trainingItems seen: TrainingItems) {
        let f = factors
        userFactors = p; itemFactors = q
        userBias = bu; itemBias = bi
        globalMean = mu
        userCount = p.count / f; itemCount = q.count / f
        trainingItems = seen
        itemNorms = q.withUnsafeBufferPointer { q in
            (0..<itemCount).map { i in dot(q.baseAddress! + i * f, q.baseAddress! + i * f, f).squareRoot() }
        }
    }

    /// Mean, biases, then the per-factor products p_uf·q_if, largest magnitude first.
    public func explain(user: Int32, item: Int32) -> Explanation {
        let s = score(user: user, items: [item])[0]
        guard item >= 0 && Int(item) < itemCount else {
            return Explanation(user: user, item: item, score: s, contributions: [])
        }
        var parts: [Explanation.Contribution] = []
        if userBias != nil || itemBias != nil {
            parts.append(.init(.globalMean, globalMean))
            parts.append(.init(.userBias, knownUser(user) ? userBias?[Int(user)] ?? 0 : 0))
            parts.append(.init(.itemBias, itemBias?[Int(item)] ?? 0))
        }
        if knownUser(user) {
            var fs: [Explanation.Contribution] = (0..<factors).map {
                .init(.factor($0), userFactors[Int(user) * factors + $0] * itemFactors[Int(item) * factors + $0])
            }
            fs.sort { abs($0.value) > abs($1.value) }
            parts += fs
        }
        return Explanation(user: user, item: item, score: s, contributions: parts)
    }
}

