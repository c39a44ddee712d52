// Folding new events into a fitted ALS model without a full refit. The touched users are
// re-solved against the fixed item factors, and the new items — and the old items whose history
// has grown by `itemRefreshShare` since they were last solved — against the user factors, with
// the same systems as a fit's half-steps (Hu, Koren & Volinsky's for implicit feedback, ALS-WR's
// for ratings). Other rows keep their factors. The model keeps its training matrix
// (`foldInRatings`) and its per-item counts, and merges the new events into them, so an update
// costs the new events, the rows it solves and a copy of the matrix (made on every core) — never
// a pass that sorts or filters the whole log. Touched users are solved in place, on the merged
// matrix's rows, rather than on copies of them.

import Foundation

/// An old item is re-solved once the entries of its history reach this share more than when it
/// was last solved. Without it an item keeps the factors of the week it was fitted while its
/// audience changes: on a drifting shop (replay, docs/dynamics.md) incremental NDCG@10 fell 25 %
/// behind a weekly refit; with it, within 2 %. Its cost is the refreshed items' histories, so
/// a trickle of events spread thinly over popular items refreshes few of them.
let itemRefreshShare = 0.1

/// A returning user whose new events number less than this share of its history takes one
/// conjugate-gradient step from its current factors (steepest descent with an exact line search)
/// instead of `cgSteps`: its system has changed little, so its warm start is close to the
/// solution. On the 7.5 M synthetic file (docs/dynamics.md) that is 98.5 % of the returning
/// users of a 1 % update, whose histories hold half the log: the update's solves take half the
/// passes over them. Users who grow faster — most of a weekly replay window's — take every step.
let settledUserShare = 0.1

extension FactorModel {
    /// The rows `keys` of `m`, in that order, as a matrix of their own.
    func rows(_ keys: [Int32], of m: SparseMatrix) -> SparseMatrix {
        var ptr = [0], cols = [Int32](), vals = [Float]()
        let total = keys.reduce(0) { $0 + m.rowCount(Int($1)) }
        ptr.reserveCapacity(keys.count + 1); cols.reserveCapacity(total); vals.reserveCapacity(total)
        let rp = m.rowPtr, ci = m.colIdx, vs = m.values
        for r in keys {
            let b = rp[Int(r)]..<rp[Int(r) + 1]
            cols.append(contentsOf: ci[b]); vals.append(contentsOf: vs[b])
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
        try solve(&x, &b, m)
        for (n, r) in keys.enumerated() {
            for j in 0..<f { target[Int(r) * f + j] = x[n * f + j] }
            if !bias.isEmpty { bias[Int(r)] = b[n] }
        }
    }

    /// Factors, biases and the rows to solve for an update: the arrays grown to the new ID
    /// space (new rows at zero); the training matrix with the new events merged in; the touched
    /// users (those with an earlier history and those without), the new items and the items to
    /// refresh, with their rows. A new item's whole history is its new events.
    func foldInPlan(_ u: TrainingUpdate, duplicates: DuplicatePolicy) -> FoldInPlan {
        let f = factors, nu = u.all.userCount, ni = u.all.itemCount
        let delta = u.newEvents.matrix(duplicates: duplicates)
        let before = foldInRatings ?? u.previous.matrix(duplicates: duplicates)
        let merged = before.merging(delta, duplicates: duplicates)
        let touched = delta.nonEmptyRows
        let returning = touched.filter { Int($0) < before.rows && before.rowCount(Int($0)) > 0 }
        let (grown, settled) = returning.partitioned { u in
            Double(delta.rowCount(Int(u))) >= settledUserShare * Double(before.rowCount(Int(u)))
        }
        let newUsers = touched.filter { Int($0) >= before.rows || before.rowCount(Int($0)) == 0 }
        let byItem = delta.transposed()
        // Entries per item before (kept by the last update; counted once after a fit, when they are
        // also its basis) plus the new pairs among the new events: the counts of `merged` without
        // a pass over it.
        let kept = !foldInItemBasis.isEmpty && foldInItemCounts.count == before.columns
        let counted = kept ? foldInItemCounts : before.entriesPerColumn
        var count = counted + [Int32](repeating: 0, count: ni - counted.count)
        for r in touched {
            for k in delta.rowPtr[Int(r)] ..< delta.rowPtr[Int(r) + 1] {
                let c = Int(delta.colIdx[k])
                if Int(r) >= before.rows || c >= before.columns || before.value(row: Int(r), column: c) == nil { count[c] += 1 }
            }
        }
        // When each item was last solved (after a fit: its count then).
        var basis = foldInItemBasis.isEmpty ? counted : foldInItemBasis
        basis += [Int32](repeating: 0, count: ni - basis.count)
        let touchedItems = byItem.nonEmptyRows
        let items = touchedItems.filter { basis[Int($0)] == 0 }
        let refresh = touchedItems.filter { i in
            basis[Int(i)] > 0 && Double(count[Int(i)]) >= (1 + itemRefreshShare) * Double(basis[Int(i)])
        }
        for i in items + refresh { basis[Int(i)] = count[Int(i)] }
        return FoldInPlan(
            x: concatenated(userFactors, [Float](repeating: 0, count: (nu - userCount) * f)),
            y: concatenated(itemFactors, [Float](repeating: 0, count: (ni - itemCount) * f)),
            bu: userBias.map { $0 + [Float](repeating: 0, count: nu - $0.count) } ?? [],
            bi: itemBias.map { $0 + [Float](repeating: 0, count: ni - $0.count) } ?? [],
            ratings: merged, itemCounts: count, itemBasis: basis, returningUsers: returning, newUsers: newUsers,
            grownUsers: grown, settledUsers: settled, items: items,
            refreshedItems: refresh, newUserRows: rows(newUsers, of: merged),
            itemRows: rows(items, of: byItem), refreshedRows: merged.transposed(columns: refresh))
    }

    /// The model after an update: the solved factors, and the merged matrix as what it was trained on.
    func install(_ p: FoldInPlan) {
        var seen = (0..<Int32(p.ratings.columns)).map { trainingItems.hasRows(item: $0) }
        for i in p.items { seen[Int(i)] = true }
        install(userFactors: p.x, itemFactors: p.y, userBias: userBias == nil ? nil : p.bu, itemBias: itemBias == nil ? nil : p.bi,
                globalMean: globalMean, trainingItems: TrainingItems(rows: p.ratings.pattern, itemHasRows: seen))
        foldInRatings = p.ratings
        foldInItemBasis = p.itemBasis
        foldInItemCounts = p.itemCounts
    }
}

extension Array {
    /// The elements where `test` holds, and the others, each in order.
    func partitioned(_ test: (Element) -> Bool) -> (matching: [Element], others: [Element]) {
        var yes: [Element] = [], no: [Element] = []
        for e in self { if test(e) { yes.append(e) } else { no.append(e) } }
        return (yes, no)
    }
}

struct FoldInPlan {
    var x: [Float], y: [Float], bu: [Float], bi: [Float]
    let ratings: SparseMatrix
    /// Entries per item of `ratings`, and per item its entries when it was last solved.
    let itemCounts: [Int32], itemBasis: [Int32]
    /// Touched users with an earlier history (their current factors are a warm start), and
    /// touched users without one.
    let returningUsers: [Int32], newUsers: [Int32]
    let grownUsers: [Int32], settledUsers: [Int32]
    let items: [Int32], refreshedItems: [Int32]
    let newUserRows: SparseMatrix, itemRows: SparseMatrix, refreshedRows: SparseMatrix
}

extension ImplicitALS: IncrementalRecommender {
    /// New items against the current user factors; the touched users against all item factors;
    /// then the new items again (their users may be new too) and the items to refresh. A row
    /// without an earlier history has no warm start and few entries: it is solved exactly
    /// (`solveExactly`). A returning user or refreshed item is re-solved as a fit's half-step
    /// does, by `cgSteps` steps of conjugate gradient from its current factors — one step for a
    /// user whose history grew by less than `settledUserShare`.
    public func update(_ u: TrainingUpdate, context: FitContext) throws {
        var p = foldInPlan(u, duplicates: .sum)
        let f = factors
        // Taken out of the plan, so that solving rows in place does not copy the whole matrices.
        var x = p.x, y = p.y, none: [Float] = []
        p.x = []; p.y = []
        func solveItems(refreshing: Bool) throws {
            guard !p.items.isEmpty || (refreshing && !p.refreshedItems.isEmpty) else { return }
            let fixed = x, xtx = gramMatrix(x, rows: u.all.userCount, factors: f)
            try foldIn(p.items, target: &y, bias: &none, matrix: p.itemRows) { t, _, m in
                try solveExactly(&t, fixed: fixed, gram: xtx, matrix: m, cancellation: context.cancellation)
            }
            guard refreshing else { return }
            try foldIn(p.refreshedItems, target: &y, bias: &none, matrix: p.refreshedRows) { t, _, m in
                try solve(&t, fixed: fixed, gram: xtx, matrix: m, cancellation: context.cancellation)
            }
        }
        try solveItems(refreshing: false)
        do {  // `fixed` ends here, so that refreshing items below does not copy y.
            let fixed = y, yty = gramMatrix(y, rows: u.all.itemCount, factors: f)
            for (users, steps) in [(p.grownUsers, cgSteps), (p.settledUsers, 1)] {
                try solve(&x, fixed: fixed, gram: yty, pattern: p.ratings.pattern, values: p.ratings.values, rows: users,
                          steps: steps, cancellation: context.cancellation)
            }
            try foldIn(p.newUsers, target: &x, bias: &none, matrix: p.newUserRows) { t, _, m in
                try solveExactly(&t, fixed: fixed, gram: yty, matrix: m, cancellation: context.cancellation)
            }
        }
        try solveItems(refreshing: true)
        p.x = x; p.y = y
        install(p)
    }

    /// Every row of `target` solved exactly against `fixed`: the system of a half-step,
    /// (FᵀF + λI + Σ α r f_i f_iᵀ) x = Σ (1 + α r) f_i over the row's entries, built in Double
    /// and factorised by Cholesky. Its cost grows with the row's entries times factors², which
    /// is why only rows without a warm start (new users, new items: few entries) take it.
    func solveExactly(_ target: inout [Float], fixed: [Float], gram: [Float], matrix m: SparseMatrix,
                      cancellation: Cancellation = .none) throws {
        let f = factors, a = Double(alpha), lambda = Double(regularization), rows = m.rows
        target.withUnsafeMutableBufferPointer { X in
        fixed.withUnsafeBufferPointer { Y in
        m.rowPtr.withUnsafeBufferPointer { ptr in
        m.colIdx.withUnsafeBufferPointer { cols in
        m.values.withUnsafeBufferPointer { vals in
            let X = X, Y = Y.baseAddress!
            forEachChunk(rows, costPerItem: f * f * max(1, m.nnz / max(1, rows))) { range in
                let scratch = UnsafeMutablePointer<Double>.allocate(capacity: f * f + 2 * f)
                defer { scratch.deallocate() }
                let A = scratch, b = scratch + f * f, phi = scratch + f * f + f
                for r in range {
                    if cancellation.isRequested { break }
                    for j in 0..<f * f { A[j] = Double(gram[j]) }
                    for j in 0..<f { A[j * f + j] += lambda; b[j] = 0 }
                    for k in ptr[r]..<ptr[r + 1] {
                        let yi = Y + Int(cols[k]) * f
                        for j in 0..<f { phi[j] = Double(yi[j]) }
                        let c = a * Double(vals[k])
                        axpy(1 + c, phi, b, f)
                        // Lower triangle of α r φ φᵀ, row by row.
                        if c != 0 { for j in 0..<f where phi[j] != 0 { axpy(c * phi[j], phi, A + j * f, j + 1) } }
                    }
                    if Cholesky.solveInPlace(A, b, n: f) {
                        let xr = X.baseAddress! + r * f
                        for j in 0..<f { xr[j] = Float(b[j]) }
                    }
                }
            }
        }}}}}
        try cancellation.check()
    }
}

extension ExplicitALS: IncrementalRecommender {
    /// As for implicit feedback, with ALS-WR's exact solve for every row (and its bias); μ stays.
    public func update(_ u: TrainingUpdate, context: FitContext) throws {
        try requireRatings(u.all, model: name)
        var p = foldInPlan(u, duplicates: .last)
        if !biased { p.bu = [Float](repeating: 0, count: u.all.userCount); p.bi = [Float](repeating: 0, count: u.all.itemCount) }
        let mu = globalMean
        var x = p.x, y = p.y, bu = p.bu, bi = p.bi
        func solveItems(_ pairs: [([Int32], SparseMatrix)]) throws {
            let fixed = x, fixedBias = bu
            for (keys, rows) in pairs {
                try foldIn(keys, target: &y, bias: &bi, matrix: rows) { t, b, m in
                    try solve(&t, &b, fixed: fixed, fixedBias: fixedBias, matrix: m, mean: mu, cancellation: context.cancellation)
                }
            }
        }
        try solveItems([(p.items, p.itemRows)])
        let fixed = y, fixedBias = bi
        for (keys, rows) in [(p.returningUsers, rows(p.returningUsers, of: p.ratings)), (p.newUsers, p.newUserRows)] {
            try foldIn(keys, target: &x, bias: &bu, matrix: rows) { t, b, m in
                try solve(&t, &b, fixed: fixed, fixedBias: fixedBias, matrix: m, mean: mu, cancellation: context.cancellation)
            }
        }
        try solveItems([(p.items, p.itemRows), (p.refreshedItems, p.refreshedRows)])
        p.x = x; p.y = y; p.bu = bu; p.bi = bi
        install(p)
    }
}
