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
    public private(set) var lossHistory: [Double] = []

    public init(factors: Int = 64, iterations: Int = 15, regularization: Float = 0.01, alpha: Float = 1,
                cgSteps: Int = 3, seed: UInt64 = 42) {
        self.iterations = iterations; self.regularization = regularization; self.alpha = alpha
        self.cgSteps = cgSteps; self.seed = seed
        super.init(factors: factors)
    }

    public override func fit(_ train: Interactions) throws {
        precondition(iterations >= 0 && regularization >= 0 && alpha >= 0 && cgSteps >= 1,
                     "invalid ImplicitALS hyper-parameters")
        let r = train.matrix(duplicates: .sum)
        let c = r.transposed()
        let nu = r.rows, ni = r.columns, f = factors
        var rng = Xoshiro256(seed: seed, stream: 2)
        var x = (0..<nu * f).map { _ in Float(rng.nextDouble() * 0.01) }
        var y = (0..<ni * f).map { _ in Float(rng.nextDouble() * 0.01) }
        var losses: [Double] = []
        for iteration in 0..<iterations {
            let yty = gram(y, rows: ni)
            solve(&x, fixed: y, gram: yty, matrix: r)
            let xtx = gram(x, rows: nu)
            solve(&y, fixed: x, gram: xtx, matrix: c)
            losses.append(loss(x: x, y: y, matrix: r, gram: gram(y, rows: ni)) / max(1, Double(nu) * Double(ni)))
            if !FitMonitor.epochEnded(model: name, epoch: iteration + 1, of: iterations, loss: losses.last) { break }
        }
        userFactors = x; itemFactors = y
        userBias = nil; itemBias = nil; globalMean = 0
        userCount = nu; itemCount = ni
        lossHistory = losses
        trainingItems = TrainingItems(train)
        factorsChanged()
    }

    /// AᵀA + λI for a row-major `rows × factors` matrix (f × f, row-major, Float).
    func gram(_ a: [Float], rows: Int) -> [Float] {
        let f = factors
        var g = [Double](repeating: 0, count: f * f)
        a.withUnsafeBufferPointer { a in
            for r in 0..<rows {
                let row = a.baseAddress! + r * f
                for i in 0..<f {
                    let v = Double(row[i])
                    if v == 0 { continue }
                    for j in i..<f { g[i * f + j] += v * Double(row[j]) }
                }
            }
        }
        var out = [Float](repeating: 0, count: f * f)
        for i in 0..<f {
            for j in i..<f { out[i * f + j] = Float(g[i * f + j]); out[j * f + i] = Float(g[i * f + j]) }
            out[i * f + i] += regularization
        }
        return out
    }

    /// One half-step: every row of `target` re-solved against `fixed` (rows of `matrix` index
    /// `target`, its columns `fixed`).
    func solve(_ target: inout [Float], fixed: [Float], gram: [Float], matrix m: SparseMatrix) {
        let f = factors, rows = m.rows, steps = cgSteps, a = alpha
        target.withUnsafeMutableBufferPointer { X in
        fixed.withUnsafeBufferPointer { Y in
        gram.withUnsafeBufferPointer { G in
        m.rowPtr.withUnsafeBufferPointer { ptr in
        m.colIdx.withUnsafeBufferPointer { cols in
        m.values.withUnsafeBufferPointer { vals in
            let X = X, Y = Y.baseAddress!, G = G.baseAddress!
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let chunks = rows < 64 || cores < 2 ? 1 : min(rows, cores * 8)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * f)
                defer { scratch.deallocate() }
                let res = scratch, dir = scratch + f, ad = scratch + 2 * f
                for u in rows * chunk / chunks ..< rows * (chunk + 1) / chunks {
                    let xu = X.baseAddress! + u * f
                    // residual = b − A x, with A x = G x + Σ (c−1)(y·x) y and b = Σ c y.
                    for i in 0..<f { res[i] = -dot(G + i * f, xu, f) }
                    for k in ptr[u]..<ptr[u + 1] {
                        let yi = Y + Int(cols[k]) * f
                        let conf = 1 + a * vals[k]
                        axpy(conf - (conf - 1) * dot(yi, xu, f), yi, res, f)
                    }
                    for i in 0..<f { dir[i] = res[i] }
                    var rsold = dot(res, res, f)
                    if rsold < 1e-20 { continue }
                    for _ in 0..<steps {
                        for i in 0..<f { ad[i] = dot(G + i * f, dir, f) }
                        for k in ptr[u]..<ptr[u + 1] {
                            let yi = Y + Int(cols[k]) * f
                            axpy(a * vals[k] * dot(yi, dir, f), yi, ad, f)
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
        }}}}}}
    }

    /// Σ_u [x_u (YᵀY) x_u + Σ_{i∈u} (c (1 − s)² − s²)] + λ(‖X‖² + ‖Y‖²), s = x_u·y_i, where
    /// `gram` = YᵀY + λI (the λ‖x_u‖² term comes with it).
    func loss(x: [Float], y: [Float], matrix m: SparseMatrix, gram: [Float]) -> Double {
        let f = factors
        var total = 0.0
        x.withUnsafeBufferPointer { X in
        y.withUnsafeBufferPointer { Y in
        gram.withUnsafeBufferPointer { G in
            let tmp = UnsafeMutablePointer<Float>.allocate(capacity: f)
            defer { tmp.deallocate() }
            for u in 0..<m.rows {
                let xu = X.baseAddress! + u * f
                for i in 0..<f { tmp[i] = dot(G.baseAddress! + i * f, xu, f) }
                total += Double(dot(tmp, xu, f))
                for k in m.rowPtr[u]..<m.rowPtr[u + 1] {
                    let s = Double(dot(xu, Y.baseAddress! + Int(m.colIdx[k]) * f, f))
                    let conf = 1 + Double(alpha) * Double(m.values[k])
                    total += conf * (1 - s) * (1 - s) - s * s
                }
            }
            var yy = 0.0
            for v in Y { yy += Double(v) * Double(v) }
            total += Double(regularization) * yy
        }}}
        return total
    }
}
