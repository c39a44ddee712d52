// Biased matrix factorisation trained by stochastic gradient descent ("Funk SVD").

/// Biased matrix factorisation for explicit ratings, r̂_ui = μ + b_u + b_i + p_u · q_i, trained
/// by stochastic gradient descent over the ratings in shuffled order — Simon Funk's "Netflix
/// Update" (2006) as formulated by Koren, Bell & Volinsky, "Matrix factorization techniques for
/// recommender systems" (IEEE Computer 42(8), 2009), eq. 5 and the SGD rules after it:
///
///     e = r_ui − r̂_ui
///     b_u ← b_u + γ (e − λ b_u)          b_i ← b_i + γ (e − λ b_i)
///     p_u ← p_u + γ (e q_i − λ p_u)      q_i ← q_i + γ (e p_u − λ q_i)
///
/// Defaults follow Surprise's `SVD`. Training is sequential and uses only the seeded
/// `Xoshiro256`, so the same seed and data give bit-identical factors.
public final class BiasedMF: FactorModel {
    public override var name: String { "biased-mf" }
    /// Passes over the ratings.
    public var epochs: Int
    /// SGD step size γ.
    public var learningRate: Float
    /// L2 regularisation λ of factors and biases.
    public var regularization: Float
    /// Standard deviation of the normal initialisation of the factors (mean 0).
    public var initStd: Float
    /// Learn μ, b_u, b_i (false: plain p_u · q_i, Funk's unbiased SVD).
    public var biased: Bool
    /// Seed of the factor initialisation and the per-epoch shuffles.
    public var seed: UInt64

    /// Mean squared training error of each epoch, accumulated during the pass (before each
    /// update), so it costs nothing extra.
    public internal(set) var epochLoss: [Double] = []

    public init(factors: Int = 100, epochs: Int = 20, learningRate: Float = 0.005, regularization: Float = 0.02,
                initStd: Float = 0.1, biased: Bool = true, seed: UInt64 = 42) {
        self.epochs = epochs; self.learningRate = learningRate; self.regularization = regularization
        self.initStd = initStd; self.biased = biased; self.seed = seed
        super.init(factors: factors)
    }

    public override func fit(_ train: Interactions) throws {
        try requireRatings(train, model: name)
        precondition(epochs >= 0 && learningRate > 0 && regularization >= 0 && initStd >= 0,
                     "invalid BiasedMF hyper-parameters")
        let r = train.matrix(duplicates: .last)
        let nu = r.rows, ni = r.columns, f = factors, nnz = r.nnz
        // Ratings as COO in CSR order; the shuffle permutes positions.
        var rowOf = [Int32](repeating: 0, count: nnz)
        for u in 0..<nu { for k in r.rowPtr[u]..<r.rowPtr[u + 1] { rowOf[k] = Int32(u) } }
        var mean = 0.0
        for v in r.values { mean += Double(v) }
        let mu: Float = biased && nnz > 0 ? Float(mean / Double(nnz)) : 0

        var init_ = Xoshiro256(seed: seed, stream: 1)
        var p = (0..<nu * f).map { _ in Float(init_.nextGaussian()) * initStd }
        var q = (0..<ni * f).map { _ in Float(init_.nextGaussian()) * initStd }
        var bu = [Float](repeating: 0, count: nu)
        var bi = [Float](repeating: 0, count: ni)
        var order = (0..<Int32(nnz)).map { $0 }
        var losses: [Double] = []
        let lr = learningRate, reg = regularization, useBias = biased

        for epoch in 0..<epochs {
            var shuffler = Xoshiro256(seed: seed, stream: 1000 &+ UInt64(epoch))
            shuffler.shuffle(&order)
            var sse = 0.0
            order.withUnsafeBufferPointer { ord in
            rowOf.withUnsafeBufferPointer { rows in
            r.colIdx.withUnsafeBufferPointer { cols in
            r.values.withUnsafeBufferPointer { vals in
            p.withUnsafeMutableBufferPointer { P in
            q.withUnsafeMutableBufferPointer { Q in
            bu.withUnsafeMutableBufferPointer { BU in
            bi.withUnsafeMutableBufferPointer { BI in
                let P = P.baseAddress!, Q = Q.baseAddress!
                for k in ord {
                    let k = Int(k)
                    let u = Int(rows[k]), i = Int(cols[k])
                    let pu = P + u * f, qi = Q + i * f
                    let e = vals[k] - (mu + BU[u] + BI[i] + dot(pu, qi, f))
                    sse += Double(e * e)
                    if useBias {
                        BU[u] += lr * (e - reg * BU[u])
                        BI[i] += lr * (e - reg * BI[i])
                    }
                    for j in 0..<f {
                        let puf = pu[j], qif = qi[j]
                        pu[j] = puf + lr * (e * qif - reg * puf)
                        qi[j] = qif + lr * (e * puf - reg * qif)
                    }
                }
            }}}}}}}}
            losses.append(nnz > 0 ? sse / Double(nnz) : 0)
            if !(try FitMonitor.epochEnded(model: name, epoch: epoch + 1, of: epochs, loss: losses.last, learned: [p, q, bu, bi])) { break }
        }
        epochLoss = losses
        install(userFactors: p, itemFactors: q, userBias: biased ? bu : nil, itemBias: biased ? bi : nil,
                globalMean: mu, trainingItems: TrainingItems(train))
    }
}
