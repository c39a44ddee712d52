// Weighted matrix factorisation for implicit feedback, by alternating least squares with a
// conjugate-gradient inner solver.

import Foundation

/// Implicit-feedback matrix factorisation of Hu, Koren & Volinsky, "Collaborative filtering for
/// implicit feedback datasets" (ICDM 2008): preferences p_ui = [r_ui > 0] with confidences
/// c_ui = 1 + α r_ui minimise
///
///     Σ_{u,i} c_ui (p_ui − x_u · y_i)² + λ (Σ ‖x_u‖² + Σ ‖y_i‖²)
///
/// over all user × item pairs, by alternating exact-in-the-limit least-squares steps. Each user's
/// step solves (YᵀY + Yᵀ(C_u − I)Y + λI) x_u = Yᵀ C_u p_u, touching only the user's items thanks
/// to the precomputed YᵀY; it is solved approximately, warm-started from the previous x_u, by
/// `cgSteps` steps of conjugate gradient as in Takács, Pilászy & Tikk, "Applications of the
/// conjugate gradient method for implicit feedback collaborative filtering" (RecSys 2011) —
/// the solver of `implicit`'s `AlternatingLeastSquares`. Items likewise with XᵀX.
///
/// Users (then items) are solved in parallel with `DispatchQueue.concurrentPerform`; each solve
/// is independent and deterministic, so results do not depend on the thread count.
/// Repeated (user, item) events are summed into r_ui.
public final class ImplicitALS: FactorModel {
    public override var name: String { "implicit-als" }
    /// Alternating passes (users then items).
    public var iterations: Int
    /// λ.
    public var regularization: Float
    /// Confidence scale α in c = 1 + α r.
    public var alpha: Float
    /// Conjugate-gradient steps per user/item solve (implicit uses 3).
    public var cgSteps: Int
    /// Seed of the initialisation: factors uniform in [0, 0.01) as in `implicit`.
    public var seed: UInt64

    /// The objective above divided by users × items, after each iteration.
    public internal(set) var lossHistory: [Double] = []

    public init(factors: Int = ExplicitALS.kind.defaultInt("factors"), iterations: Int = ExplicitALS.kind.defaultInt("iterations"), regularization: Float = 0.01,
                alpha: Float = Float(ExplicitALS.kind.defaultDouble("alpha")), cgSteps: Int = 3, seed: UInt64 = UInt64(bitPattern: Int64(ExplicitALS.kind.defaultInt("seed")))) {
        self.iterations = iterations; self.regularization = regularization; self.alpha = alpha
        self.cgSteps = cgSteps; self.seed = seed
        super.init(factors: factors)
    }

    public override func fit(_ train: Interactions, context: FitContext) throws {
        precondition(iterations >= 0 && regularization >= 0 && alpha >= 0 && cgSteps >= 1,
                     "invalid ImplicitALS hyper-parameters")
        let r = train.matrix(duplicates: .sum)
        // An unweighted log gives a 0/1 matrix, whose transpose is kept as a pattern only (nil
        // values count as 1): a quarter less memory at the fit's peak.
        let (c, cValues) = r.transposedOmittingUnitValues()
        let nu = r.rows, ni = r.columns, f = factors
        var rng = Xoshiro256(seed: seed, stream: 2)
        var x = (0..<nu * f).map { _ in Float(rng.nextDouble() * 0.01) }
        var y = (0..<ni * f).map { _ in Float(rng.nextDouble() * 0.01) }
        var losses: [Double] = []
        // YᵀY of the current Y, carried from one iteration's loss to the next iteration's user step.
        var yty = gramMatrix(y, rows: ni, factors: f)
        for iteration in 0..<iterations {
            try solve(&x, fixed: y, gram: yty, matrix: r, cancellation: context.cancellation)
            let xtx = gramMatrix(x, rows: nu, factors: f)
            try context.checkCancelled()
            try solve(&y, fixed: x, gram: xtx, pattern: c, values: cValues, cancellation: context.cancellation)
            yty = gramMatrix(y, rows: ni, factors: f)
            try context.checkCancelled()
            losses.append(loss(x: x, y: y, matrix: r, xtx: xtx, yty: yty) / max(1, Double(nu) * Double(ni)))
            if !(try context.epochEnded(model: name, epoch: iteration + 1, of: iterations, loss: losses.last, learned: [x, y])) { break }
        }
        lossHistory = losses
        install(userFactors: x, itemFactors: y, userBias: nil, itemBias: nil, globalMean: 0, trainingItems: TrainingItems(train))
        foldInRatings = r; foldInItemBasis = []
    }

    /// One half-step: every row of `target` re-solved against `fixed` (rows of `matrix` index
    /// `target`, its columns `fixed`); `gram` is FᵀF of `fixed`, without λ.
    func solve(_ target: inout [Float], fixed: [Float], gram: [Float], matrix m: SparseMatrix,
               cancellation: Cancellation = .none) throws {
        try solve(&target, fixed: fixed, gram: gram, pattern: m.pattern, values: m.values, cancellation: cancellation)
    }

    /// The same half-step over a pattern whose values are all 1 when `values` is nil; with
    /// `keys`, over those rows only (of `target` and `m` alike), by `steps` CG steps (default
    /// `cgSteps`): an update re-solves the touched users in place, without copying their rows.
    func solve(_ target: inout [Float], fixed: [Float], gram: [Float], pattern m: CompressedRows<Int32>,
               values: [Float]?, rows keys: [Int32]? = nil, steps: Int? = nil, cancellation: Cancellation = .none) throws {
        let f = factors, steps = steps ?? cgSteps, a = alpha
        var g = gram
        for i in 0..<f { g[i * f + i] += regularization }
        // Work per solved row, as offsets: the rows themselves, or the keyed rows' lengths in turn.
        let work = keys.map { k in
            var w = [Int](repeating: 0, count: k.count + 1)
            for (n, r) in k.enumerated() { w[n + 1] = w[n] + m.rowLength(Int(r)) }
            return w
        }
        target.withUnsafeMutableBufferPointer { X in
        fixed.withUnsafeBufferPointer { Y in
        g.withUnsafeBufferPointer { G in
        m.offsets.withUnsafeBufferPointer { ptr in
        (work ?? m.offsets).withUnsafeBufferPointer { load in
        (keys ?? []).withUnsafeBufferPointer { K in
        m.elements.withUnsafeBufferPointer { cols in
        (values ?? []).withUnsafeBufferPointer { stored in
            let X = X, Y = Y.baseAddress!, G = G.baseAddress!
            let vals = values == nil ? nil : stored, keyed = keys != nil
            let bounds = balancedChunks(load, rowCost: f * f / 8)
            DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { chunk in
                let range = bounds[chunk] ..< bounds[chunk + 1]
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * f)
                defer { scratch.deallocate() }
                let res = scratch, dir = scratch + f, ad = scratch + 2 * f
                for n in range {
                    if cancellation.isRequested { break }
                    let u = keyed ? Int(K[n]) : n
                    let xu = X.baseAddress! + u * f
                    // residual = b − A x, with A x = G x + Σ (c−1)(y·x) y and b = Σ c y.
                    symmetricProduct(G, xu, res, f)
                    for i in 0..<f { res[i] = -res[i] }
                    addConfidenceWeightedRows(Y, f, cols: cols, vals: vals, ptr[u]..<ptr[u + 1], alpha: a, residual: true, xu, res)
                    for i in 0..<f { dir[i] = res[i] }
                    var rsold = dot(res, res, f)
                    if rsold < 1e-20 { continue }
                    for _ in 0..<steps {
                        symmetricProduct(G, dir, ad, f)
                        // With α = 0 every c is 1 and the data adds nothing to A: skipping it is exact.
                        if a != 0 {
                            addConfidenceWeightedRows(Y, f, cols: cols, vals: vals, ptr[u]..<ptr[u + 1], alpha: a, residual: false, dir, ad)
                        }
                        let step = rsold / dot(dir, ad, f)
                        axpy(step, dir, xu, f)
                        axpy(-step, ad, res, f)
                        let rsnew = dot(res, res, f)
                        if rsnew < 1e-20 { break }
                        let beta = rsnew / rsold
                        for i in 0..<f { dir[i] = res[i] + beta * dir[i] }
                        rsold = rsnew
                    }
                }
            }
        }}}}}}}}
        try cancellation.check()
    }

    /// Row ranges of about equal work (`rowCost` plus one per stored entry each row) for the
    /// parallel half-steps: activity is long-tailed, so equal row counts leave one core
    /// waiting for the chunk that holds the heaviest users. Returns the chunk boundaries.
    func balancedChunks(_ ptr: UnsafeBufferPointer<Int>, rowCost: Int) -> [Int] {
        let rows = ptr.count - 1
        let cores = Parallelism.cores
        let chunks = rows < 64 || cores < 2 ? 1 : min(rows, cores * 16)
        let total = ptr[rows] + rows * rowCost
        var bounds = [0]
        var r = 0
        for c in 1..<chunks {
            let target = total * c / chunks
            while r < rows && ptr[r] + r * rowCost < target { r += 1 }
            if r > bounds.last! { bounds.append(r) }
        }
        bounds.append(rows)
        return bounds
    }

    /// Σ_u x_uᵀ(YᵀY)x_u + Σ_{(u,i)} [c (1 − s)² − s²] + λ(‖X‖² + ‖Y‖²), s = x_u·y_i. The first
    /// sum is Σ_jk (XᵀX)_jk (YᵀY)_jk and the norms are the grams' traces, so only the observed
    /// pairs need a pass over the data.
    func loss(x: [Float], y: [Float], matrix m: SparseMatrix, xtx: [Float], yty: [Float]) -> Double {
        let f = factors
        var total = 0.0, traces = 0.0
        for j in 0..<f * f { total += Double(xtx[j]) * Double(yty[j]) }
        for j in 0..<f { traces += Double(xtx[j * f + j]) + Double(yty[j * f + j]) }
        total += Double(regularization) * traces
        let perUser = x.withUnsafeBufferPointer { X in
        y.withUnsafeBufferPointer { Y in
            perRow(m.rows, costPerItem: max(1, m.nnz / max(1, m.rows)) * f, scratchCount: 0, zero: Float(0)) { u, _ in
                let xu = X.baseAddress! + u * f
                var s = 0.0
                for k in m.rowPtr[u]..<m.rowPtr[u + 1] {
                    let p = Double(dot(xu, Y.baseAddress! + Int(m.colIdx[k]) * f, f))
                    let conf = 1 + Double(alpha) * Double(m.values[k])
                    s += conf * (1 - p) * (1 - p) - p * p
                }
                return s
            }
        }}
        return total + perUser.values.reduce(0, +)
    }
}
