// Embarrassingly shallow autoencoder: a closed-form item × item linear model.

/// EASEᴿ of Steck, "Embarrassingly shallow autoencoders for sparse data" (WWW 2019): the item ×
/// item weights B minimising ‖X − XB‖² + λ‖B‖² subject to diag(B) = 0 are
///
///     P = (XᵀX + λI)⁻¹,    B = I − P · diag(1 / diag(P)),  i.e. B_ij = −P_ij / P_jj (i ≠ j),
///
/// and a user's scores are x_u B. The inverse comes from LAPACK's Cholesky factorisation and
/// inverse (`dpotrf`, `dpotri`; `LAPACK.invertPositiveDefinite`), in Double; B is kept dense as `itemCount²` Floats, so this suits catalogues of
/// up to some tens of thousands of items. Deterministic; no seed needed.
public final class EASE: Recommender {
    public let name = "ease"
    /// λ, added to the diagonal of the Gram matrix (Steck tunes it around 100–1000 on
    /// large data; small catalogues need less).
    public var regularization: Double
    /// Use 1 for every interaction (the paper's setting); false uses the summed values.
    public var binarize: Bool

    /// B, row-major itemCount × itemCount: row j holds what item j contributes to every item.
    public private(set) var weights: [Float] = []
    public private(set) var itemCount = 0
    public private(set) var userCount = 0
    public private(set) var trainingItems = TrainingItems()
    private var x = SparseMatrix(dense: [])

    public init(regularization: Double = EASE.kind.defaultDouble("reg"), binarize: Bool = true) {
        self.regularization = regularization; self.binarize = binarize
    }

    /// Dense items × items matrices: the Gram matrix, inverted in place (Double), and the weights
    /// (Float).
    public func estimatedFitBytes(users: Int, items: Int, interactions: Int) -> Int {
        MemoryBudget.sum(MemoryBudget.product(items, items, 8 + 4), MemoryBudget.product(interactions, 32))
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        precondition(regularization > 0, "EASE needs a positive regularization")
        let m = interactionMatrix(train)
        let n = m.columns
        // G = XᵀX + λI, lower triangle only (Cholesky reads no more), from each user's item pairs.
        var g = [Double](repeating: 0, count: n * n)
        g.withUnsafeMutableBufferPointer { G in
            for u in 0..<m.rows {
                let lo = m.rowPtr[u], hi = m.rowPtr[u + 1]
                for a in lo..<hi {
                    let i = Int(m.colIdx[a]), vi = Double(m.values[a])
                    for b in lo...a { G[i * n + Int(m.colIdx[b])] += vi * Double(m.values[b]) }
                }
            }
            for i in 0..<n { G[i * n + i] += regularization }
        }
        do {
            try LAPACK.invertPositiveDefinite(&g, n: n)
        } catch LAPACK.Failure.tooLarge {
            throw DataError(.invalidArgument, message: "EASE: \(n) items exceed LAPACK's 32-bit matrix sizes")
        } catch {
            throw DataError(.invalidArgument, message: "EASE: XᵀX + λI is not positive definite (λ = \(regularization))")
        }
        let p = g
        var b = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where i != j { b[i * n + j] = Float(-p[i * n + j] / p[j * n + j]) }
        }
        weights = b
        itemCount = n
        userCount = m.rows
        x = m
        trainingItems = TrainingItems(train)
    }

    /// X as the model reads it (binary or summed values), user × item.
    private func interactionMatrix(_ train: Interactions) -> SparseMatrix {
        binarize ? train.matrix(duplicates: .max, values: .ones) : train.matrix(duplicates: .sum)
    }

    /// B_ij: how much having item i raises the score of item j.
    public func weight(from i: Int32, to j: Int32) -> Float { weights[Int(i) * itemCount + Int(j)] }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let n = itemCount
        precondition(scores.count == n, "score buffer must have itemCount elements")
        for i in 0..<n { scores[i] = 0 }
        guard user >= 0 && Int(user) < x.rows, n > 0 else { return }
        let range = x.pattern.bounds(Int(user))
        weights.withUnsafeBufferPointer { B in
        x.colIdx.withUnsafeBufferPointer { cols in
        x.values.withUnsafeBufferPointer { vals in
            addScaledRows(of: B.baseAddress!, width: n, rows: UnsafeBufferPointer(rebasing: cols[range]),
                          coefficients: UnsafeBufferPointer(rebasing: vals[range]), into: scores.baseAddress!)
        }}}
    }

    /// The items j with the largest B_ij (what having `item` most recommends).
    public func similarItems(item: Int32, k: Int) -> [(item: Int32, score: Float)] {
        guard item >= 0 && Int(item) < itemCount else { return [] }
        let n = itemCount
        return TopK.select((0..<n).compactMap { j in
            j == Int(item) ? nil : (Int32(j), weights[Int(item) * n + j])
        }, k: k)
    }

    /// One neighbour contribution x_uj · B_j,item per training item j, largest magnitude first.
    public func explain(user: Int32, item: Int32) -> Explanation {
        let s = score(user: user, items: [item])[0]
        guard user >= 0 && Int(user) < x.rows, item >= 0 && Int(item) < itemCount else {
            return Explanation(user: user, item: item, score: s, contributions: [])
        }
        var parts: [Explanation.Contribution] = []
        for k in x.rowPtr[Int(user)]..<x.rowPtr[Int(user) + 1] {
            let j = x.colIdx[k]
            parts.append(.init(.neighbour(item: j), x.values[k] * weight(from: j, to: item)))
        }
        parts.sort { abs($0.value) > abs($1.value) }
        return Explanation(user: user, item: item, score: s, contributions: parts)
    }
}

/// B is stored; X is rebuilt from the training log.
extension EASE: PersistentRecommender {
    public func savedState() throws -> ModelState {
        var s = ModelState()
        s.setShape(of: self)
        s.set("weights", weights)
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        let n = training.itemCount
        let b = try state.floats("weights", count: n * n)
        x = interactionMatrix(training)
        weights = b
        itemCount = n; userCount = training.userCount
        trainingItems = seen
    }
}

extension EASE {
    public static let kind = ModelKind(
        "ease", summary: "EASE, the embarrassingly shallow autoencoder: B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹.",
        details: "Implicit feedback; cost grows with the cube of the number of items, memory with its square.",
        paper: "Steck, Embarrassingly shallow autoencoders for sparse data, WWW 2019",
        parameters: [.double("reg", 250, min: 0, exclusive: true, "λ, the L2 regularization of the item-item weights", search: [100, 250, 500])],
        input: .interactions, capabilities: [.ranks, .explains, .similarItems, .persistent],
        make: { c in EASE(regularization: c.double("reg")) })
}
