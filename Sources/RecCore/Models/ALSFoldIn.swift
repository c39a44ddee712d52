// Folding new events into a fitted ALS model: the touched users are re-solved against the fixed
// item factors (and the new items against the user factors) with the same solver as a fit's
// half-step — Hu, Koren & Volinsky's closed form by conjugate gradient for implicit feedback,
// the exact Cholesky solve of ALS-WR for ratings. Untouched rows keep their factors, so an update
// costs the touched rows' histories rather than a pass over the whole log.

extension FactorModel {
    /// The rows `keys` of `m`, in that order, as a matrix of their own.
    func rows(_ keys: [Int32], of m: SparseMatrix) -> SparseMatrix {
        var ptr = [0], cols = [Int32](), vals = [Float]()
        ptr.reserveCapacity(keys.count + 1)
        for r in keys {
            let b = m.rowPtr[Int(r)]..<m.rowPtr[Int(r) + 1]
            cols.append(contentsOf: m.colIdx[b]); vals.append(contentsOf: m.values[b])
            ptr.append(cols.count)
        }
        return SparseMatrix(rows: keys.count, columns: m.columns, rowPtr: ptr, colIdx: cols, values: vals)
    }

    /// Re-solves rows `keys` of `target` (width `factors`, and of `bias` when given) with
    /// `solve`, which works on compact copies: only those rows move.
    func foldIn(_ keys: [Int32], target: inout [Float], bias: inout [Float], matrix m: SparseMatrix,
                solve: (inout [Float], inout [Float], SparseMatrix) throws -> Void) rethrows {
        guard !keys.isEmpty else { return }
        let f = factors
        var x = [Float](repeating: 0, count: keys.count * f)
        var b = [Float](repeating: 0, count: keys.count)
        for (n, r) in keys.enumerated() {
            for j in 0..<f { x[n * f + j] = target[Int(r) * f + j] }
            if !bias.isEmpty { b[n] = bias[Int(r)] }
        }
        try solve(&x, &b, rows(keys, of: m))
        for (n, r) in keys.enumerated() {
            for j in 0..<f { target[Int(r) * f + j] = x[n * f + j] }
            if !bias.isEmpty { bias[Int(r)] = b[n] }
        }
    }

    /// Factors, biases and the rows to solve for an update: the arrays grown to the new ID
    /// space (new rows at zero), the touched users and new items, and the matrices of their
    /// histories (users × items and items × users, with the given duplicate policy).
    func foldInPlan(_ u: TrainingUpdate, duplicates: DuplicatePolicy) -> FoldInPlan {
        let f = factors, nu = u.all.userCount, ni = u.all.itemCount
        let users = u.touchedUsers, items = u.newItems
        return FoldInPlan(
            x: userFactors + [Float](repeating: 0, count: (nu - userCount) * f),
            y: itemFactors + [Float](repeating: 0, count: (ni - itemCount) * f),
            bu: userBias.map { $0 + [Float](repeating: 0, count: nu - $0.count) } ?? [],
            bi: itemBias.map { $0 + [Float](repeating: 0, count: ni - $0.count) } ?? [],
            users: users, items: items,
            userRows: u.history(of: users).matrix(duplicates: duplicates),
            itemRows: u.history(of: items, byItem: true).csc(duplicates: duplicates))
    }

    func install(_ p: FoldInPlan, after u: TrainingUpdate) {
        install(userFactors: p.x, itemFactors: p.y, userBias: userBias == nil ? nil : p.bu, itemBias: itemBias == nil ? nil : p.bi,
                globalMean: globalMean, trainingItems: trainingItems.merging(u.newEvents))
    }
}

struct FoldInPlan {
    var x: [Float], y: [Float], bu: [Float], bi: [Float]
    let users: [Int32], items: [Int32]
    let userRows: SparseMatrix, itemRows: SparseMatrix
}

extension ImplicitALS: IncrementalRecommender {
    /// New items against the current user factors, then the touched users against all item
    /// factors, then the new items again (their users may be new too). Each solve is
    /// `cgSteps` steps of conjugate gradient warm-started from the row's current factors (zero
    /// for new rows), exactly as in a fit's half-step.
    public func update(_ u: TrainingUpdate, context: FitContext) throws {
        var p = foldInPlan(u, duplicates: .sum)
        let f = factors
        var x = p.x, y = p.y, none: [Float] = []
        func solveItems() throws {
            let fixed = x, xtx = gramMatrix(x, rows: u.all.userCount, factors: f)
            try foldIn(p.items, target: &y, bias: &none, matrix: p.itemRows) { t, _, m in
                try solve(&t, fixed: fixed, gram: xtx, matrix: m, cancellation: context.cancellation)
            }
        }
        try solveItems()
        let fixed = y, yty = gramMatrix(y, rows: u.all.itemCount, factors: f)
        try foldIn(p.users, target: &x, bias: &none, matrix: p.userRows) { t, _, m in
            try solve(&t, fixed: fixed, gram: yty, matrix: m, cancellation: context.cancellation)
        }
        try solveItems()
        p.x = x; p.y = y
        install(p, after: u)
    }
}

extension ExplicitALS: IncrementalRecommender {
    /// As for implicit feedback, with ALS-WR's exact solve per row (and its bias); μ stays.
    public func update(_ u: TrainingUpdate, context: FitContext) throws {
        try requireRatings(u.all, model: name)
        var p = foldInPlan(u, duplicates: .last)
        if !biased { p.bu = [Float](repeating: 0, count: u.all.userCount); p.bi = [Float](repeating: 0, count: u.all.itemCount) }
        let mu = globalMean
        var x = p.x, y = p.y, bu = p.bu, bi = p.bi
        func solveItems() throws {
            let fixed = x, fixedBias = bu
            try foldIn(p.items, target: &y, bias: &bi, matrix: p.itemRows) { t, b, m in
                try solve(&t, &b, fixed: fixed, fixedBias: fixedBias, matrix: m, mean: mu, cancellation: context.cancellation)
            }
        }
        try solveItems()
        let fixed = y, fixedBias = bi
        try foldIn(p.users, target: &x, bias: &bu, matrix: p.userRows) { t, b, m in
            try solve(&t, &b, fixed: fixed, fixedBias: fixedBias, matrix: m, mean: mu, cancellation: context.cancellation)
        }
        try solveItems()
        p.x = x; p.y = y; p.bu = bu; p.bi = bi
        install(p, after: u)
    }
}
