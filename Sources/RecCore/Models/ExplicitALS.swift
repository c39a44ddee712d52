// Matrix factorisation of explicit ratings by alternating least squares with weighted-λ
// regularisation.

import Foundation

/// ALS-WR of Zhou, Wilkinson, Schreiber & Pan, "Large-scale parallel collaborative filtering for
/// the Netflix Prize" (AAIM 2008): with n_u, n_i the rating counts of user u and item i, minimise
///
///     Σ_{(u,i) rated} (r_ui − r̂_ui)² + λ (Σ_u n_u ‖p_u‖² + Σ_i n_i ‖q_i‖²)
///
/// by alternately solving for every user with the items fixed and vice versa. Without biases
/// r̂_ui = p_u · q_i (the paper) and user u's step is the k × k system
///
///     (Σ_{i∈R(u)} q_i q_iᵀ + λ n_u I) p_u = Σ_{i∈R(u)} r_ui q_i
///
/// With `biased`, r̂_ui = μ + b_u + b_i + p_u · q_i: each step solves jointly for (p_u, b_u)
/// against the features (q_i, 1) and the targets r_ui − μ − b_i, a (k+1) × (k+1) system with the
/// same weighted λ n_u on the bias (items likewise). Each system is solved exactly by a Cholesky
/// factorisation (`Cholesky.solveInPlace`, Double), so the objective never increases.
///
/// Users (then items) are solved in parallel with `DispatchQueue.concurrentPerform`, each solve
/// independent and deterministic, so results do not depend on the thread count. The item
/// factors start N(0, `initStd`²) from the seed, biases at 0; the first step solves the users.
/// Users or items without ratings keep zero factors and bias. Repeated ratings: the latest.
public final class ExplicitALS: FactorModel {
    public override var name: String { "explicit-als" }
    /// Alternating passes (users then items).
    public var iterations: Int
    /// λ, multiplied by each row's rating count (ALS-WR).
    public var regularization: Float
    /// Learn μ, b_u, b_i alongside the factors.
    public var biased: Bool
    /// Standard deviation of the initial item factors.
    public var initStd: Float
    public var seed: UInt64

    /// The objective above divided by the number of ratings, after each iteration.
    public internal(set) var lossHistory: [Double] = []

    public init(factors: Int = ExplicitALS.kind.defaultInt("factors"), iterations: Int = ExplicitALS.kind.defaultInt("iterations"), regularization: Float = 0.1,
                biased: Bool = true, initStd: Float = 0.1, seed: UInt64 = UInt64(bitPattern: Int64(ExplicitALS.kind.defaultInt("seed")))) {
        self.iterations = iterations; self.regularization = regularization; self.biased = biased
        self.initStd = initStd; self.seed = seed
        super.init(factors: factors)
    }

    public override func fit(_ train: Interactions, context: FitContext) throws {
        try requireRatings(train, model: name)
        precondition(iterations >= 0 && regularization > 0 && initStd >= 0, "invalid ExplicitALS hyper-parameters")
        let r = train.matrix(duplicates: .last)
        let c = r.transposed()
        let nu = r.rows, ni = r.columns, f = factors
        var mean = 0.0
        for v in r.values { mean += Double(v) }
        let mu: Float = biased && r.nnz > 0 ? Float(mean / Double(r.nnz)) : 0
        var rng = Xoshiro256(seed: seed, stream: 4)
        var p = [Float](repeating: 0, count: nu * f)
        var q = (0..<ni * f).map { _ in Float(rng.nextGaussian()) * initStd }
        var bu = [Float](repeating: 0, count: nu)
        var bi = [Float](repeating: 0, count: ni)
        var losses: [Double] = []
        for iteration in 0..<iterations {
            try solve(&p, &bu, fixed: q, fixedBias: bi, matrix: r, mean: mu, cancellation: context.cancellation)
            try solve(&q, &bi, fixed: p, fixedBias: bu, matrix: c, mean: mu, cancellation: context.cancellation)
            losses.append(loss(p: p, q: q, bu: bu, bi: bi, ratings: r, transposed: c, mean: mu) / Double(max(1, r.nnz)))
            if !(try context.epochEnded(model: name, epoch: iteration + 1, of: iterations, loss: losses.last, learned: [p, q, bu, bi])) { break }
        }
        lossHistory = losses
        install(userFactors: p, itemFactors: q, userBias: biased ? bu : nil, itemBias: biased ? bi : nil,
                globalMean: mu, trainingItems: TrainingItems(train))
        foldInRatings = r; foldInItemBasis = []
    }

    /// One half-step: every row of `target` (and its bias) re-solved against `fixed`; rows of
    /// `matrix` index `target`, its columns `fixed`.
    func solve(_ target: inout [Float], _ targetBias: inout [Float], fixed: [Float], fixedBias: [Float],
               matrix m: SparseMatrix, mean mu: Float, cancellation: Cancellation = .none) throws {
        let f = factors, rows = m.rows, lambda = Double(regularization), useBias = biased
        let d = useBias ? f + 1 : f
        target.withUnsafeMutableBufferPointer { X in
        targetBias.withUnsafeMutableBufferPointer { XB in
        fixed.withUnsafeBufferPointer { Y in
        fixedBias.withUnsafeBufferPointer { YB in
        m.rowPtr.withUnsafeBufferPointer { ptr in
        m.colIdx.withUnsafeBufferPointer { cols in
        m.values.withUnsafeBufferPointer { vals in
            let X = X, XB = XB, Y = Y.baseAddress!
            let cores = Parallelism.cores
            let chunks = rows < 64 || cores < 2 ? 1 : min(rows, cores * 8)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let scratch = UnsafeMutablePointer<Double>.allocate(capacity: d * d + 2 * d)
                defer { scratch.deallocate() }
                let a = scratch, b = scratch + d * d, phi = scratch + d * d + d
                for u in rows * chunk / chunks ..< rows * (chunk + 1) / chunks {
                    // A solve is f³/3 operations: with thousands of factors one epoch is minutes.
                    if cancellation.isRequested { break }
                    let xu = X.baseAddress! + u * f
                    let lo = ptr[u], hi = ptr[u + 1]
                    guard hi > lo else {
                        for j in 0..<f { xu[j] = 0 }
                        if useBias { XB[u] = 0 }
                        continue
                    }
                    a.initialize(repeating: 0, count: d * d)
                    b.initialize(repeating: 0, count: d)
                    for k in lo..<hi {
                        let i = Int(cols[k])
                        let yi = Y + i * f
                        for j in 0..<f { phi[j] = Double(yi[j]) }
                        if useBias { phi[f] = 1 }
                        let t = Double(vals[k]) - (useBias ? Double(mu) + Double(YB[i]) : 0)
                        axpy(t, phi, b, d)
                        // Lower triangle of Σ φ φᵀ, row by row.
                        for j in 0..<d where phi[j] != 0 { axpy(phi[j], phi, a + j * d, j + 1) }
                    }
                    let reg = lambda * Double(hi - lo)
                    for j in 0..<d { a[j * d + j] += reg }
                    if Cholesky.solveInPlace(a, b, n: d) {
                        for j in 0..<f { xu[j] = Float(b[j]) }
                        if useBias { XB[u] = Float(b[f]) }
                    }
                }
            }
        }}}}}}}
        try cancellation.check()
    }

    /// Σ (r − r̂)² + λ (Σ n_u (‖p_u‖² + b_u²) + Σ n_i (‖q_i‖² + b_i²)).
    func loss(p: [Float], q: [Float], bu: [Float], bi: [Float], ratings r: SparseMatrix, transposed c: SparseMatrix,
              mean mu: Float) -> Double {
        let f = factors
        var total = 0.0
        p.withUnsafeBufferPointer { P in
        q.withUnsafeBufferPointer { Q in
            for u in 0..<r.rows {
                let pu = P.baseAddress! + u * f
                for k in r.rowPtr[u]..<r.rowPtr[u + 1] {
                    let i = Int(r.colIdx[k])
                    let pred = (biased ? Double(mu) + Double(bu[u]) + Double(bi[i]) : 0)
                        + Double(dot(pu, Q.baseAddress! + i * f, f))
                    let e = Double(r.values[k]) - pred
                    total += e * e
                }
                let n = Double(r.rowCount(u))
                total += Double(regularization) * n * (Double(dot(pu, pu, f)) + (biased ? Double(bu[u] * bu[u]) : 0))
            }
            for i in 0..<c.rows {
                let qi = Q.baseAddress! + i * f
                let n = Double(c.rowCount(i))
                total += Double(regularization) * n * (Double(dot(qi, qi, f)) + (biased ? Double(bi[i] * bi[i]) : 0))
            }
        }}
        return total
    }
}

/// `als` covers both alternating-least-squares models: `implicit: false` is `ExplicitALS`, `implicit: true`
/// is `ImplicitALS`.
extension ExplicitALS {
    public static let kind = ModelKind(
        "als", summary: "Alternating least squares, for ratings or for implicit feedback.",
        details: """
        implicit: false — ratings, with biases and weighted-λ regularization (ALS-WR; reg defaults to 0.1).
        implicit: true — implicit feedback with confidence 1 + alpha·value, solved by conjugate gradient as the implicit
        library does (reg defaults to 0.01). implicit's own confidence is alpha·value: its alpha = 1 is our alpha: 0.
        """,
        paper: "Zhou, Wilkinson, Schreiber & Pan, AAIM 2008 (ALS-WR); Hu, Koren & Volinsky, ICDM 2008 (implicit); Takács, Pilászy & Tikk, RecSys 2011 (CG)",
        parameters: [
            .int("factors", 50, 1...10_000, "latent dimensions", search: [20, 50, 100]),
            HyperParameter.double("reg", nil, min: 0, "L2 regularization (0.01 with implicit: true, else 0.1)", search: [0.01, 0.05, 0.1])
                .derived("0.01 with implicit: true, else 0.1") { v in .double(v["implicit"] == .bool(true) ? 0.01 : 0.1) },
            .int("iterations", 15, 0...1_000_000, "alternating passes over users and items", search: [10, 15]),
            .bool("implicit", false, "implicit feedback (values are confidences) instead of ratings"),
            .double("alpha", 1, min: 0, "confidence weight of a value: 1 + alpha·value (implicit: true)"),
            .seed,
        ],
        input: { c in c.bool("implicit") ? .weightedInteractions : .ratings },
        capabilities: { c in
            ModelCapabilities([.ranks, .explains, .similarItems, .lossHistory, .persistent, .incremental]).adding(.predictsRatings, if: !c.bool("implicit"))
        },
        check: { c throws(ModelConfigError) in
            if !c.bool("implicit") && c.double("reg") == 0 {
                throw ModelConfigError(parameter: "reg", message: "reg must be positive for ratings (implicit: false), got 0")
            }
        },
        make: { c in
            let seed = UInt64(bitPattern: Int64(c.int("seed")))
            if c.bool("implicit") {
                return ImplicitALS(factors: c.int("factors"), iterations: c.int("iterations"), regularization: c.float("reg"),
                                   alpha: c.float("alpha"), seed: seed)
            }
            return ExplicitALS(factors: c.int("factors"), iterations: c.int("iterations"), regularization: c.float("reg"), seed: seed)
        })
}
