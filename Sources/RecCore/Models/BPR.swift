// Bayesian personalised ranking: pairwise matrix factorisation for implicit feedback.

import Foundation

/// BPR-MF of Rendle, Freudenthaler, Gantner & Schmidt-Thieme, "BPR: Bayesian personalized
/// ranking from implicit feedback" (UAI 2009): with x̂_ui = p_u · q_i (+ b_i when `itemBias`),
/// maximise
///
///     Σ_{(u,i,j)∈D_S} ln σ(x̂_ui − x̂_uj) − λ ‖Θ‖²
///
/// over triples of a user u, an item i of u's history and an item j not in it, by LearnBPR
/// (the paper's Fig. 4): draw (u, i) uniformly from the observed pairs and j uniformly from the
/// items u has not interacted with (rejection sampling), then with x̂_uij = x̂_ui − x̂_uj and
/// g = σ(−x̂_uij) = 1 / (1 + e^{x̂_uij}),
///
///     p_u ← p_u + α (g (q_i − q_j) − λ p_u)
///     q_i ← q_i + α (g p_u − λ q_i)          q_j ← q_j + α (−g p_u − λ q_j)
///     b_i ← b_i + α (g − λ b_i)               b_j ← b_j + α (−g − λ b_j)
///
/// One epoch is as many draws as there are distinct (user, item) pairs. Training is sequential
/// (no Hogwild threads), drawing from one seeded `Xoshiro256` per epoch, so the same seed and data
/// give bit-identical factors. Initialisation as in `implicit`'s `BayesianPersonalizedRanking`:
/// factors uniform in (−0.5, 0.5) / factors, biases 0. Users whose history covers every item (no
/// negative exists) are never drawn.
public final class BPR: FactorModel {
    public override var name: String { "bpr" }
    /// Epochs of nnz draws each.
    public var epochs: Int
    /// SGD step size α.
    public var learningRate: Float
    /// L2 regularisation λ.
    public var regularization: Float
    /// Learn an item bias b_i (scores p_u · q_i + b_i).
    public var useItemBias: Bool
    public var seed: UInt64

    /// The loss of each epoch: −mean ln σ(x̂_uij) over its draws, before each update (should fall).
    public internal(set) var lossHistory: [Double] = []

    public init(factors: Int = BPR.kind.defaultInt("factors"), epochs: Int = BPR.kind.defaultInt("epochs"), learningRate: Float = Float(BPR.kind.defaultDouble("lr")),
                regularization: Float = Float(BPR.kind.defaultDouble("reg")), itemBias: Bool = BPR.kind.defaultBool("item_bias"), seed: UInt64 = UInt64(bitPattern: Int64(BPR.kind.defaultInt("seed")))) {
        self.epochs = epochs; self.learningRate = learningRate; self.regularization = regularization
        self.useItemBias = itemBias; self.seed = seed
        super.init(factors: factors)
    }

    public override func fit(_ train: Interactions, context: FitContext) throws {
        precondition(epochs >= 0 && learningRate > 0 && regularization >= 0, "invalid BPR hyper-parameters")
        let x = train.matrix(duplicates: .max, values: .ones)
        let nu = x.rows, ni = x.columns, f = factors, nnz = x.nnz
        var rng = Xoshiro256(seed: seed, stream: 5)
        let scale = 1 / Float(f)
        var p = (0..<nu * f).map { _ in (Float(rng.nextDouble()) - 0.5) * scale }
        var q = (0..<ni * f).map { _ in (Float(rng.nextDouble()) - 0.5) * scale }
        var b = [Float](repeating: 0, count: ni)
        // Pair k belongs to user rowOf[k]; pairs of users without a negative item are skipped.
        var rowOf = [Int32](repeating: 0, count: nnz)
        for u in 0..<nu { for k in x.rowPtr[u]..<x.rowPtr[u + 1] { rowOf[k] = Int32(u) } }
        var history: [Double] = []
        let lr = learningRate, reg = regularization, bias = useItemBias
        for epoch in 0..<epochs {
            var draw = Xoshiro256(seed: seed, stream: 3000 &+ UInt64(epoch))
            var ll = 0.0
            var drawn = 0
            rowOf.withUnsafeBufferPointer { rows in
            x.rowPtr.withUnsafeBufferPointer { ptr in
            x.colIdx.withUnsafeBufferPointer { cols in
            p.withUnsafeMutableBufferPointer { P in
            q.withUnsafeMutableBufferPointer { Q in
            b.withUnsafeMutableBufferPointer { B in
                let P = P.baseAddress!, Q = Q.baseAddress!
                for _ in 0..<nnz {
                    let k = draw.nextInt(below: nnz)
                    let u = Int(rows[k]), i = Int(cols[k])
                    let lo = ptr[u], hi = ptr[u + 1]
                    if hi - lo >= ni { continue }
                    // j uniform over the items u has not seen: binary search of u's sorted row.
                    var j = 0
                    while true {
                        j = draw.nextInt(below: ni)
                        var a = lo, z = hi
                        while a < z { let m = (a + z) >> 1; if Int(cols[m]) < j { a = m + 1 } else { z = m } }
                        if a == hi || Int(cols[a]) != j { break }
                    }
                    let pu = P + u * f, qi = Q + i * f, qj = Q + j * f
                    var xuij: Float = 0
                    for c in 0..<f { xuij += pu[c] * (qi[c] - qj[c]) }
                    if bias { xuij += B[i] - B[j] }
                    // ln σ(x) = −ln(1 + e^{−x}); g = σ(−x).
                    ll -= Double(xuij > 0 ? log1pf(expf(-xuij)) : log1pf(expf(xuij)) - xuij)
                    drawn += 1
                    let g = 1 / (1 + expf(xuij))
                    for c in 0..<f {
                        let puc = pu[c], qic = qi[c], qjc = qj[c]
                        pu[c] = puc + lr * (g * (qic - qjc) - reg * puc)
                        qi[c] = qic + lr * (g * puc - reg * qic)
                        qj[c] = qjc + lr * (-g * puc - reg * qjc)
                    }
                    if bias {
                        B[i] += lr * (g - reg * B[i])
                        B[j] += lr * (-g - reg * B[j])
                    }
                }
            }}}}}}
            history.append(drawn > 0 ? -ll / Double(drawn) : 0)
            if !(try context.epochEnded(model: name, epoch: epoch + 1, of: epochs, loss: history.last, learned: [p, q, b])) { break }
        }
        lossHistory = history
        install(userFactors: p, itemFactors: q, userBias: nil, itemBias: useItemBias ? b : nil, globalMean: 0,
                trainingItems: TrainingItems(train))
    }
}

extension BPR {
    public static let kind = ModelKind(
        "bpr", summary: "Bayesian personalized ranking: MF trained by SGD to rank a user's items above the rest.",
        details: "Trained on sampled triples (user, item they have, item they do not). Implicit feedback; seeded.",
        paper: "Rendle, Freudenthaler, Gantner & Schmidt-Thieme, BPR: Bayesian personalized ranking from implicit feedback, UAI 2009",
        parameters: [
            .int("factors", 64, 1...10_000, "latent dimensions", search: [32, 64, 128]),
            .double("lr", 0.05, min: 0, exclusive: true, "SGD learning rate", search: [0.01, 0.05]),
            .double("reg", 0.01, min: 0, "L2 regularization", search: [0.001, 0.01, 0.1]),
            .int("epochs", 50, 0...1_000_000, "passes over the interactions (one sampled triple per interaction)", search: [20, 50]),
            .bool("item_bias", true, "learn an item bias as well"),
            .seed,
        ],
        input: .interactions, capabilities: [.ranks, .explains, .similarItems, .lossHistory, .persistent],
        make: { c in
            BPR(factors: c.int("factors"), epochs: c.int("epochs"), learningRate: c.float("lr"), regularization: c.float("reg"),
                itemBias: c.bool("item_bias"), seed: UInt64(bitPattern: Int64(c.int("seed"))))
        })
}
