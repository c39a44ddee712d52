// Neural Collaborative Filtering (NeuMF): GMF and MLP branches fused by a final logistic unit.

import Foundation

/// NeuMF, the neural matrix factorisation model of He, Liao, Zhang, Nie, Hu & Chua, "Neural
/// Collaborative Filtering" (WWW 2017), §3.4, for implicit feedback:
///
///     φ_GMF = p_u^G ⊙ q_i^G                                           (eq. 9)
///     φ_MLP = a_L(W_L(… a_1(W_1 [p_u^M ; q_i^M] + b_1) …) + b_L)         (eq. 10, ReLU)
///     ŷ_ui  = σ(hᵀ [φ_GMF ; φ_MLP] + b)                                (eq. 12)
///
/// with separate GMF and MLP embeddings (`factors` and `mlpFactors` numbers). Trained on the
/// pointwise log loss (eq. 7, binary cross-entropy on the logit) over the observed pairs
/// (label 1) and, for each of them, `negatives` items drawn uniformly from the items the user
/// has not interacted with (label 0), resampled every epoch (§3.1.1, §4.1). Optimised with Adam
/// on mini-batches; embeddings get lazy sparse updates (`Adam`), and `regularization` is an L2
/// penalty on the embedding rows of each batch. The model is trained from scratch (the paper's
/// optional GMF/MLP pre-training is not done).
///
/// `layers` are the sizes of the ReLU hidden layers: the paper's code's `layers=[64,32,16,8]`
/// (whose first entry is the concatenated embedding width) is `mlpFactors: 32,
/// layers: [32, 16, 8]` here. Hidden weights use He initialisation, the output unit Glorot,
/// embeddings N(0, 0.01) as in the paper's code.
///
/// The score is the logit hᵀ[φ_GMF; φ_MLP] + b (σ of it is the predicted probability), which
/// splits exactly into a GMF part, an MLP part and the bias — the parts `explain` reports.
/// `scoreAll` runs the network over all items in chunks: the GMF part is one dot product per item
/// with h_G ⊙ p_u^G, and the first MLP layer's item half (q_i^M W_1 + b_1) is precomputed after
/// `fit`, so only the user half is added per user before the remaining layers (the row-wise SIMD GEMM).
///
/// Everything random (initialisation, negatives, shuffles) comes from `Xoshiro256` streams of
/// `seed` and training is sequential, so a seed and a log give bit-identical models.
/// Duplicate (user, item) events count once.
public final class NCF: Recommender {
    public var name: String { "ncf" }
    /// GMF embedding size.
    public var factors: Int
    /// MLP embedding size (of the user and of the item vector each).
    public var mlpFactors: Int
    /// Hidden ReLU layer sizes of the MLP branch (at least one).
    public var layers: [Int]
    public var epochs: Int
    /// Adam's step size α.
    public var learningRate: Float
    public var batchSize: Int
    /// Sampled negatives per observed pair.
    public var negatives: Int
    /// L2 penalty on the embedding rows touched by each batch.
    public var regularization: Float
    public var seed: UInt64

    /// Mean log loss of each epoch (over positives and sampled negatives, before each update).
    public private(set) var lossHistory: [Double] = []
    public private(set) var userCount = 0
    public private(set) var itemCount = 0
    public private(set) var trainingItems = TrainingItems()

    /// The trained network (nil before `fit`).
    public private(set) var network: Network?

    /// Scoring caches (after `fit`): the first hidden layer's item half, items × layers[0];
    /// h_G; h_M; b; and ‖[q_i^G; q_i^M]‖ for similar items.
    var itemHidden: [Float] = []
    var gmfWeights: [Float] = []
    var mlpWeights: [Float] = []
    var outputBias: Float = 0
    var itemNorms: [Float] = []

    /// With `layers` as the paper's code (and the `ncf` builtin) mean them: `layers[0]` is the width of
    /// the concatenated user and item embeddings of the MLP branch (each `layers[0] / 2`), the rest are
    /// the hidden ReLU layers (a single entry is also the one hidden layer). Defaults: `NCF.kind`.
    public convenience init(factors: Int = NCF.kind.defaultInt("factors"), layers: [Int] = NCF.defaultLayers,
                            epochs: Int = NCF.kind.defaultInt("epochs"), learningRate: Float = Float(NCF.kind.defaultDouble("lr")),
                            batchSize: Int = NCF.kind.defaultInt("batch_size"), negatives: Int = NCF.kind.defaultInt("negatives"),
                            regularization: Float = Float(NCF.kind.defaultDouble("reg")),
                            seed: UInt64 = UInt64(bitPattern: Int64(NCF.kind.defaultInt("seed")))) {
        self.init(factors: factors, hiddenLayers: layers.count > 1 ? Array(layers.dropFirst()) : layers,
                  mlpFactors: max(1, (layers.first ?? 2) / 2), epochs: epochs, learningRate: learningRate, batchSize: batchSize,
                  negatives: negatives, regularization: regularization, seed: seed)
    }

    public static var defaultLayers: [Int] {
        guard case .ints(let l) = NCF.kind.parameter("layers")!.defaultValue else { return [64, 32] }
        return l
    }

    /// With the MLP's hidden layer widths and its embedding size (`mlpFactors`, `factors` when nil) given directly.
    public init(factors: Int, hiddenLayers: [Int], mlpFactors: Int? = nil, epochs: Int = NCF.kind.defaultInt("epochs"),
                learningRate: Float = Float(NCF.kind.defaultDouble("lr")), batchSize: Int = NCF.kind.defaultInt("batch_size"),
                negatives: Int = NCF.kind.defaultInt("negatives"), regularization: Float = Float(NCF.kind.defaultDouble("reg")),
                seed: UInt64 = UInt64(bitPattern: Int64(NCF.kind.defaultInt("seed")))) {
        self.factors = factors; self.layers = hiddenLayers; self.mlpFactors = mlpFactors ?? factors
        self.epochs = epochs; self.learningRate = learningRate; self.batchSize = batchSize
        self.negatives = negatives; self.regularization = regularization; self.seed = seed
    }

    /// NeuMF's layers, wired by hand: four embeddings, the GMF product, the MLP tower, the output.
    public final class Network {
        public let userGMF: Embedding, itemGMF: Embedding, userMLP: Embedding, itemMLP: Embedding
        public let hidden: [Dense]
        /// The final unit over [φ_GMF ; φ_MLP] (linear: the loss reads its logit).
        public let output: Dense
        let product = ElementwiseProduct()
        let mlpInput = Concatenate()
        let fusion = Concatenate()
        let optimizer: Adam

        init(users: Int, items: Int, factors: Int, mlpFactors: Int, layers: [Int], learningRate: Float,
             regularization: Float, seed: UInt64) {
            func stream(_ s: UInt64) -> Xoshiro256 { Xoshiro256(seed: seed, stream: s) }
            var r1 = stream(1), r2 = stream(2), r3 = stream(3), r4 = stream(4)
            userGMF = Embedding(count: users, dimension: factors, initializer: .normal(0.01), rng: &r1, label: "user-gmf")
            itemGMF = Embedding(count: items, dimension: factors, initializer: .normal(0.01), rng: &r2, label: "item-gmf")
            userMLP = Embedding(count: users, dimension: mlpFactors, initializer: .normal(0.01), rng: &r3, label: "user-mlp")
            itemMLP = Embedding(count: items, dimension: mlpFactors, initializer: .normal(0.01), rng: &r4, label: "item-mlp")
            var width = 2 * mlpFactors
            var hs: [Dense] = []
            for (l, units) in layers.enumerated() {
                var r = stream(10 + UInt64(l))
                hs.append(Dense(inputs: width, units: units, activation: .relu, rng: &r, label: "mlp\(l + 1)"))
                width = units
            }
            hidden = hs
            var ro = stream(9)
            output = Dense(inputs: factors + width, units: 1, activation: .linear, initializer: .glorotUniform,
                           rng: &ro, label: "output")
            for e in [userGMF, itemGMF, userMLP, itemMLP] { e.table.l2 = regularization }
            optimizer = Adam(learningRate: learningRate)
        }

        public var parameters: [NetworkParameter] {
            [userGMF.table, itemGMF.table, userMLP.table, itemMLP.table] + hidden.flatMap(\.parameters) + output.parameters
        }

        /// Logits (n × 1) of the pairs; caches for `backward` when training.
        func forward(users: [Int32], items: [Int32], training: Bool) -> Matrix {
            let gmf = product.forward(userGMF.forward(indices: users, training: training),
                                      itemGMF.forward(indices: items, training: training), training: training)
            var h = mlpInput.forward([userMLP.forward(indices: users, training: training),
                                      itemMLP.forward(indices: items, training: training)])
            for d in hidden { h = d.forward(h, training: training) }
            return output.forward(fusion.forward([gmf, h]), training: training)
        }

        /// Backpropagates ∂L/∂logits (n × 1) into every parameter's gradient.
        func backward(_ dLogits: Matrix) {
            let parts = fusion.backward(output.backward(dLogits, inputGradient: true))
            var dh = parts[1]
            for d in hidden.reversed() { dh = d.backward(dh, inputGradient: true) }
            let dm = mlpInput.backward(dh)
            _ = userMLP.backward(dm[0], inputGradient: false)
            _ = itemMLP.backward(dm[1], inputGradient: false)
            let (du, di) = product.backward(parts[0])
            _ = userGMF.backward(du, inputGradient: false)
            _ = itemGMF.backward(di, inputGradient: false)
        }

        /// Mean log loss of a batch; with `accumulate`, its gradients are added to the parameters'.
        func loss(users: [Int32], items: [Int32], labels: [Float], accumulate: Bool) -> Double {
            let logits = forward(users: users, items: items, training: accumulate)
            let y = Matrix(rows: labels.count, columns: 1, values: labels)
            if !accumulate { return Loss.binaryCrossEntropy.value(output: logits, targets: y) }
            let (v, g) = Loss.binaryCrossEntropy.valueAndGradient(output: logits, targets: y)
            backward(g)
            return v
        }
    }

    /// Embeddings and layer weights, each with Adam's two moment buffers and a gradient; the
    /// activations of a batch (every example with its negatives) through the widest layer; the
    /// items × layers[0] scoring cache; the training log.
    public func estimatedFitBytes(users: Int, items: Int, interactions: Int) -> Int {
        let width = factors + mlpFactors
        var weights = MemoryBudget.product(users + items, width)
        var inputs = 2 * mlpFactors
        for units in layers {
            weights = MemoryBudget.sum(weights, MemoryBudget.product(inputs, units))
            inputs = units
        }
        let widest = max(width, layers.max() ?? 0, 2 * mlpFactors)
        let batch = MemoryBudget.product(batchSize, negatives + 1, widest, 4 * 4 * max(1, layers.count))
        return MemoryBudget.sum(MemoryBudget.product(weights, 4 * 4), batch,
                                MemoryBudget.product(items, layers.first ?? 1, 4), MemoryBudget.product(interactions, 32))
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        let r = train.matrix(duplicates: .sum, values: .ones)
        let nu = r.rows, ni = r.columns
        let net = try makeNetwork(users: nu, items: ni)
        let params = net.parameters
        var losses: [Double] = []
        let perPositive = 1 + negatives
        let total = r.nnz * perPositive
        var users = [Int32](repeating: 0, count: total)
        var items = [Int32](repeating: 0, count: total)
        var labels = [Float](repeating: 0, count: total)
        var order = (0..<Int32(total)).map { $0 }
        var bu = [Int32](), bi = [Int32](), by = [Float]()
        bu.reserveCapacity(batchSize); bi.reserveCapacity(batchSize); by.reserveCapacity(batchSize)

        for epoch in 0..<epochs {
            // Instances: each positive followed by its negatives (fresh every epoch).
            var sampler = Xoshiro256(seed: seed, stream: 2000 &+ UInt64(epoch))
            var n = 0
            r.colIdx.withUnsafeBufferPointer { cols in
                for u in 0..<nu {
                    let row = UnsafeBufferPointer(rebasing: cols[r.rowPtr[u]..<r.rowPtr[u + 1]])
                    for i in row {
                        users[n] = Int32(u); items[n] = i; labels[n] = 1; n += 1
                        for _ in 0..<negatives {
                            users[n] = Int32(u); labels[n] = 0
                            items[n] = NCF.sampleNegative(row, items: ni, rng: &sampler)
                            n += 1
                        }
                    }
                }
            }
            var shuffler = Xoshiro256(seed: seed, stream: 1000 &+ UInt64(epoch))
            shuffler.shuffle(&order)
            var sum = 0.0
            var counted = 0
            var b0 = 0
            while b0 < total {
                let b1 = min(total, b0 + batchSize)
                bu.removeAll(keepingCapacity: true); bi.removeAll(keepingCapacity: true); by.removeAll(keepingCapacity: true)
                for k in b0..<b1 {
                    let j = Int(order[k])
                    if items[j] < 0 { continue }   // no negative exists for a user with every item
                    bu.append(users[j]); bi.append(items[j]); by.append(labels[j])
                }
                if !bu.isEmpty {
                    sum += net.loss(users: bu, items: bi, labels: by, accumulate: true) * Double(bu.count)
                    counted += bu.count
                    net.optimizer.step(params)
                }
                b0 = b1
            }
            losses.append(counted > 0 ? sum / Double(counted) : 0)
            if !(try context.epochEnded(model: name, epoch: epoch + 1, of: epochs, loss: losses.last, learned: params.map(\.values))) { break }
        }
        network = net
        userCount = nu; itemCount = ni
        lossHistory = losses
        trainingItems = TrainingItems(train)
        prepareScoring()
    }

    /// The initial network for a log of `users` × `items` (checking the hyper-parameters first).
    func makeNetwork(users nu: Int, items ni: Int) throws -> Network {
        guard factors > 0, mlpFactors > 0, !layers.isEmpty, layers.allSatisfy({ $0 > 0 }), epochs >= 0,
              learningRate > 0, batchSize > 0, negatives >= 0, regularization >= 0 else {
            throw DataError(.invalidArgument, message: "invalid NCF hyper-parameters")
        }
        return Network(users: max(1, nu), items: max(1, ni), factors: factors, mlpFactors: mlpFactors, layers: layers,
                       learningRate: learningRate, regularization: regularization, seed: seed)
    }

    /// An item the user has not interacted with, uniformly (`row`: the user's items, ascending),
    /// or -1 when there is none. Rejection sampling while at most half the items are taken;
    /// otherwise the r-th free item directly.
    static func sampleNegative(_ row: UnsafeBufferPointer<Int32>, items ni: Int, rng: inout Xoshiro256) -> Int32 {
        let taken = row.count
        guard taken < ni else { return -1 }
        if 2 * taken <= ni {
            while true {
                let j = Int32(rng.nextInt(below: ni))
                if !contains(row, j) { return j }
            }
        }
        var candidate = Int32(rng.nextInt(below: ni - taken))
        for p in row {
            if p <= candidate { candidate += 1 } else { break }
        }
        return candidate
    }

    @inline(__always)
    static func contains(_ row: UnsafeBufferPointer<Int32>, _ x: Int32) -> Bool {
        var lo = 0, hi = row.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if row[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo < row.count && row[lo] == x
    }

    // MARK: Scoring

    /// Precomputes the user-independent parts of scoring from the trained network.
    func prepareScoring() {
        guard let net = network else { return }
        let f = factors, d = mlpFactors, h1 = layers[0], ni = itemCount
        let w = net.output.weights.values
        gmfWeights = Array(w[0..<f])
        mlpWeights = Array(w[f...])
        outputBias = net.output.bias.values[0]
        // q_i^M W_1[d..<2d, :] + b_1 for every item.
        let first = net.hidden[0]
        var ih = [Float](repeating: 0, count: ni * h1)
        ih.withUnsafeMutableBufferPointer { out in
            first.bias.values.withUnsafeBufferPointer { b in
                for i in 0..<ni { (out.baseAddress! + i * h1).update(from: b.baseAddress!, count: h1) }
            }
            net.itemMLP.table.values.withUnsafeBufferPointer { q in
                first.weights.values.withUnsafeBufferPointer { w1 in
                    if ni > 0 {
                        GEMM.multiply(q.baseAddress!, w1.baseAddress! + d * h1, out.baseAddress!, n: ni, k: d, m: h1,
                                      accumulate: true)
                    }
                }
            }
        }
        itemHidden = ih
        let qg = net.itemGMF.table.values, qm = net.itemMLP.table.values
        itemNorms = qg.withUnsafeBufferPointer { g in
            qm.withUnsafeBufferPointer { m in
                (0..<ni).map { i in sumOfSquares(m.baseAddress! + i * d, d, from: sumOfSquares(g.baseAddress! + i * f, f)).squareRoot() }
            }
        }
    }

    /// Items scored per chunk in `scoreAll` (bounds the hidden-layer buffers).
    static let chunk = 256

    /// The GMF and MLP parts of the logit of `user` for `count` items — `list[0..<count]`, or
    /// items `0..<count` when `list` is nil — into `gmf[0..<count]` and `mlp[0..<count]`. Per item
    /// the arithmetic does not depend on which or how many items are scored with it (the row-wise
    /// GEMM gives every entry the same bits whatever its row block), so `scoreAll`, `score` and
    /// `explain` agree bit for bit.
    func parts(user: Int32, list: UnsafePointer<Int32>?, count: Int,
               gmf: UnsafeMutablePointer<Float>, mlp: UnsafeMutablePointer<Float>) {
        guard let net = network, count > 0 else { return }
        let f = factors, d = mlpFactors
        let known = user >= 0 && Int(user) < userCount
        let u = known ? Int(user) : 0
        let widest = layers.max()!
        let h1 = layers[0], hL = layers.last!
        // Per-user pieces: a = h_G ⊙ p_u^G and the user half p_u^M W_1[0..<d, :] of layer 1
        // (zero for an unknown user).
        let a = UnsafeMutablePointer<Float>.allocate(capacity: f)
        let userHalf = UnsafeMutablePointer<Float>.allocate(capacity: h1)
        let bufA = UnsafeMutablePointer<Float>.allocate(capacity: NCF.chunk * widest)
        let bufB = UnsafeMutablePointer<Float>.allocate(capacity: NCF.chunk * widest)
        defer { a.deallocate(); userHalf.deallocate(); bufA.deallocate(); bufB.deallocate() }
        userHalf.initialize(repeating: 0, count: h1)
        a.initialize(repeating: 0, count: f)
        if known {
            net.userGMF.table.values.withUnsafeBufferPointer { p in
                for j in 0..<f { a[j] = gmfWeights[j] * p[u * f + j] }
            }
            net.userMLP.table.values.withUnsafeBufferPointer { p in
                net.hidden[0].weights.values.withUnsafeBufferPointer { w1 in
                    addVectorMatrixProduct(p.baseAddress! + u * d, w1.baseAddress!, width: h1, rows: d, into: userHalf)
                }
            }
        }
        net.itemGMF.table.values.withUnsafeBufferPointer { q in
            if let list {
                gemv(q.baseAddress!, width: f, rows: list, count: count, a, into: gmf)
            } else {
                gemv(q.baseAddress!, width: f, rows: count, a, into: gmf)
            }
        }
        itemHidden.withUnsafeBufferPointer { ih in
        mlpWeights.withUnsafeBufferPointer { wm in
            var c0 = 0
            while c0 < count {
                let c1 = min(count, c0 + NCF.chunk), n = c1 - c0
                // Layer 1: item half (precomputed, bias included) + user half, then ReLU.
                if let list {
                    for r in 0..<n { (bufA + r * h1).update(from: ih.baseAddress! + Int(list[c0 + r]) * h1, count: h1) }
                } else {
                    bufA.update(from: ih.baseAddress! + c0 * h1, count: n * h1)
                }
                for r in 0..<n { axpy(1, userHalf, bufA + r * h1, h1) }
                net.hidden[0].activation.apply(bufA, rows: n, columns: h1)
                // Layers 2…L as one GEMM per chunk.
                var x = bufA, y = bufB, width = h1
                for layer in net.hidden.dropFirst() {
                    let m = layer.units
                    layer.bias.values.withUnsafeBufferPointer { b in
                        for r in 0..<n { (y + r * m).update(from: b.baseAddress!, count: m) }
                    }
                    layer.weights.values.withUnsafeBufferPointer { w in
                        GEMM.multiplyRowwise(x, w.baseAddress!, y, n: n, k: width, m: m, accumulate: true)
                    }
                    layer.activation.apply(y, rows: n, columns: m)
                    swap(&x, &y); width = m
                }
                gemv(x, width: hL, rows: n, wm.baseAddress!, into: mlp + c0)
                c0 = c1
            }
        }}
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == itemCount, "score buffer must have itemCount elements")
        let n = itemCount
        guard n > 0, network != nil else { return }
        let mlp = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { mlp.deallocate() }
        let s = scores.baseAddress!
        parts(user: user, list: nil, count: n, gmf: s, mlp: mlp)
        let b = outputBias
        for i in 0..<n { s[i] = b + s[i] + mlp[i] }
    }

    /// The requested items only (one pass over them, not over all items).
    public func score(user: Int32, items: [Int32]) -> [Float] {
        let valid = items.filter { $0 >= 0 && Int($0) < itemCount }
        var out = [Float](repeating: .nan, count: items.count)
        guard network != nil, !valid.isEmpty else { return out }
        var g = [Float](repeating: 0, count: valid.count), m = g
        valid.withUnsafeBufferPointer { v in
            g.withUnsafeMutableBufferPointer { gb in
                m.withUnsafeMutableBufferPointer { mb in
                    parts(user: user, list: v.baseAddress!, count: v.count, gmf: gb.baseAddress!, mlp: mb.baseAddress!)
                }
            }
        }
        let b = outputBias
        var k = 0
        for (j, i) in items.enumerated() where i >= 0 && Int(i) < itemCount {
            out[j] = b + g[k] + m[k]
            k += 1
        }
        return out
    }

    /// σ(score): the predicted probability that `user` interacts with each of `items`.
    public func probability(user: Int32, items: [Int32]) -> [Float] {
        score(user: user, items: items).map { $0.isNaN ? .nan : logistic($0) }
    }

    /// The logit split into the GMF branch (hᵀ_G φ_GMF), the MLP branch (hᵀ_M φ_MLP) and the
    /// output bias; they sum to the score.
    public func explain(user: Int32, item: Int32) -> Explanation {
        guard item >= 0 && Int(item) < itemCount, network != nil else {
            return Explanation(user: user, item: item, score: .nan, contributions: [])
        }
        var g: Float = 0, m: Float = 0
        var it = item
        parts(user: user, list: &it, count: 1, gmf: &g, mlp: &m)
        let b = outputBias
        return Explanation(user: user, item: item, score: b + g + m, contributions: [
            .init(.component("gmf"), g), .init(.component("mlp"), m), .init(.component("bias"), b),
        ])
    }

    /// Items whose concatenated embeddings [q^G ; q^M] have the highest cosine with `item`'s.
    public func similarItems(item: Int32, k: Int) -> [(item: Int32, score: Float)] {
        guard let net = network, item >= 0 && Int(item) < itemCount, k > 0 else { return [] }
        let f = factors, d = mlpFactors, n = itemCount, it = Int(item)
        let qg = net.itemGMF.table.values, qm = net.itemMLP.table.values
        var sims = [Float](repeating: 0, count: n), mlpDots = sims
        qg.withUnsafeBufferPointer { g in
            qm.withUnsafeBufferPointer { m in
                sims.withUnsafeMutableBufferPointer { s in
                    mlpDots.withUnsafeMutableBufferPointer { md in
                        gemv(g.baseAddress!, width: f, rows: n, g.baseAddress! + it * f, into: s.baseAddress!)
                        gemv(m.baseAddress!, width: d, rows: n, m.baseAddress! + it * d, into: md.baseAddress!)
                    }
                }
            }
        }
        for j in 0..<n {
            let den = itemNorms[it] * itemNorms[j]
            let num = sims[j] + mlpDots[j]
            sims[j] = den > 0 ? num / den : 0
        }
        sims[it] = -.infinity
        return TopK.select(sims.enumerated().map { (Int32($0.offset), $0.element) }, k: k)
    }
}

/// The network's parameters are stored by label (`user-gmf`, `mlp1.weights`, …) with the loss
/// history; the optimizer's moments are not (`fit` always trains from scratch). The scoring
/// caches are recomputed by `prepareScoring`, as after `fit`.
extension NCF: PersistentRecommender {
    public func savedState() throws -> ModelState {
        guard let net = network else {
            throw DataError(.invalidArgument, message: "\(name): the model is not fitted, so there is nothing to save")
        }
        var s = ModelState()
        s.setShape(of: self)
        s.set("architecture", [factors, mlpFactors] + layers)
        for p in net.parameters { s.set("parameter.\(p.label)", p.values) }
        s.set("lossHistory", lossHistory)
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        let architecture = try state.ints("architecture")
        guard architecture == [factors, mlpFactors] + layers else {
            throw PayloadError("model state: \(name) was saved with factors, MLP factors and layers \(architecture), "
                               + "this model has \([factors, mlpFactors] + layers)")
        }
        let nu = training.userCount, ni = training.itemCount
        let net = try makeNetwork(users: nu, items: ni)
        let values = try net.parameters.map { try state.floats("parameter.\($0.label)", count: $0.count) }
        let losses = try state.doubles("lossHistory")
        for (p, v) in zip(net.parameters, values) { p.values = v }
        network = net
        userCount = nu; itemCount = ni
        lossHistory = losses
        trainingItems = seen
        prepareScoring()
    }
}

extension NCF {
    public static let kind = ModelKind(
        "ncf", summary: "Neural collaborative filtering (NeuMF): a GMF branch and an MLP branch joined by a final sigmoid.",
        details: """
        layers[0] is the width of the concatenated user and item embeddings of the MLP branch (each layers[0]/2), the rest
        are its hidden ReLU layers, as in the paper's code. Trained with Adam on binary cross-entropy with `negatives` sampled
        non-interactions per interaction. Implicit feedback; seeded.
        """,
        paper: "He, Liao, Zhang, Nie, Hu & Chua, Neural collaborative filtering, WWW 2017",
        parameters: [
            .int("factors", 8, 1...10_000, "GMF embedding size", search: [8, 16, 32]),
            HyperParameter("layers", .ints(1...1_000_000, minCount: 1), default: .ints([64, 32]),
                           doc: "MLP: the concatenated embedding width, then the hidden layer widths", search: [.ints([32, 16]), .ints([64, 32])]),
            .int("epochs", 20, 0...1_000_000, "passes over the interactions", search: [10, 20]),
            .double("lr", 0.001, min: 0, exclusive: true, "Adam learning rate", search: [0.001, 0.005]),
            .int("batch_size", 256, 1...(1 << 24), "examples per Adam step"),
            .int("negatives", 4, 1...1_000, "sampled non-interactions per interaction"),
            .double("reg", 0, min: 0, "L2 regularization of the embeddings"),
            .seed,
        ],
        input: .interactions, capabilities: [.ranks, .explains, .similarItems, .lossHistory, .persistent],
        make: { c in
            NCF(factors: c.int("factors"), layers: c.ints("layers"), epochs: c.int("epochs"), learningRate: c.float("lr"),
                batchSize: c.int("batch_size"), negatives: c.int("negatives"), regularization: c.float("reg"),
                seed: UInt64(bitPattern: Int64(c.int("seed"))))
        })
}
