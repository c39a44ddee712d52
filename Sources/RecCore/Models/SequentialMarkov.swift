// Next-item recommendation with a first-order Markov chain over items.

/// A first-order Markov chain over items for next-item prediction, the predictive Markov-chain
/// recommender of Shani, Heckerman & Brafman, "An MDP-based recommender system" (JMLR 6, 2005),
/// §3 (with k = 1), and the MC part of Rendle, Freudenthaler & Schmidt-Thieme's FPMC (WWW 2010):
/// from each user's training events in time order, the transition counts c_ab (a immediately
/// followed by b) give
///
///     P(b | a) = c_ab / Σ_b' c_ab'
///
/// and a user whose last training items, most recent first, are h_1, h_2, …, h_n (n ≤ `window`)
/// scores
///
///     score(u, i) = Σ_{d=1…n} decay^{d−1} · P(i | h_d)
///
/// so `window` = 1 is the plain chain and a longer window with `decay` < 1 smooths over the last
/// few items. Events are ordered by timestamp, ties by row order; self-transitions (a followed by
/// a) are not counted. Users without history, and items never reached, score 0. Transitions are
/// stored sparse (CSR over source items). Needs a timestamp column: `fit` throws a `DataError`
/// without one. Deterministic.
public final class SequentialMarkov: Recommender {
    public var name: String { "markov" }
    /// How many of the user's last items contribute (1: first-order chain on the last item).
    public var window: Int
    /// Weight factor per step back in the window (decay^{d−1} for the d-th most recent item).
    public var decay: Float

    /// P(b | a): source a's targets are `transitionTargets[transitionPtr[a] ..< transitionPtr[a+1]]`
    /// (ascending) with probabilities `transitionProbabilities` alongside.
    public private(set) var transitionPtr: [Int] = [0]
    public private(set) var transitionTargets: [Int32] = []
    public private(set) var transitionProbabilities: [Float] = []
    /// Each user's last `window` training items, most recent first (CSR over users).
    public private(set) var recentPtr: [Int] = [0]
    public private(set) var recentItems: [Int32] = []
    public private(set) var userCount = 0
    public private(set) var itemCount = 0
    public private(set) var trainingItems = TrainingItems()

    public init(window: Int = SequentialMarkov.kind.defaultInt("window"), decay: Float = Float(SequentialMarkov.kind.defaultDouble("decay"))) {
        self.window = window; self.decay = decay
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        precondition(window >= 1 && decay >= 0, "invalid SequentialMarkov hyper-parameters")
        guard let ts = train.timestamps else {
            throw DataError(.missingColumn, message: "\(name) needs timestamps: the interactions have no timestamp column")
        }
        let nu = train.userCount, ni = train.itemCount, n = train.count
        // Rows grouped by user (stable counting sort), then each user's rows by (timestamp, row).
        var start = [Int](repeating: 0, count: nu + 1)
        for u in train.user { start[Int(u) + 1] += 1 }
        for u in 0..<nu { start[u + 1] += start[u] }
        var order = [Int](repeating: 0, count: n)
        var next = start
        for r in 0..<n { let u = Int(train.user[r]); order[next[u]] = r; next[u] += 1 }
        var src = [Int32](), dst = [Int32]()
        var recPtr = [0], rec = [Int32]()
        for u in 0..<nu {
            order[start[u]..<start[u + 1]].sort { ts[$0] != ts[$1] ? ts[$0] < ts[$1] : $0 < $1 }
            var prev: Int32 = -1
            for k in start[u]..<start[u + 1] {
                let i = train.item[order[k]]
                if prev >= 0 && prev != i { src.append(prev); dst.append(i) }
                prev = i
            }
            var k = start[u + 1] - 1
            while k >= start[u] && rec.count - recPtr[u] < window { rec.append(train.item[order[k]]); k -= 1 }
            recPtr.append(rec.count)
        }
        let counts = SparseMatrix(rows: ni, columns: ni, rowIndices: src, columnIndices: dst, duplicates: .sum)
        var probs = counts.values
        for a in 0..<ni {
            var s: Float = 0
            for k in counts.rowPtr[a]..<counts.rowPtr[a + 1] { s += probs[k] }
            if s > 0 { for k in counts.rowPtr[a]..<counts.rowPtr[a + 1] { probs[k] /= s } }
        }
        transitionPtr = counts.rowPtr; transitionTargets = counts.colIdx; transitionProbabilities = probs
        recentPtr = recPtr; recentItems = rec
        userCount = nu; itemCount = ni
        trainingItems = TrainingItems(train)
    }

    /// P(b | a) (0 when never observed).
    public func probability(from a: Int32, to b: Int32) -> Float {
        guard a >= 0 && Int(a) < itemCount else { return 0 }
        for k in transitionPtr[Int(a)]..<transitionPtr[Int(a) + 1] where transitionTargets[k] == b {
            return transitionProbabilities[k]
        }
        return 0
    }

    /// The user's last items, most recent first.
    public func recent(user: Int32) -> [Int32] {
        guard user >= 0 && Int(user) < userCount else { return [] }
        return Array(recentItems[recentPtr[Int(user)]..<recentPtr[Int(user) + 1]])
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == itemCount, "score buffer must have itemCount elements")
        for i in 0..<scores.count { scores[i] = 0 }
        guard user >= 0 && Int(user) < userCount else { return }
        var w: Float = 1
        transitionPtr.withUnsafeBufferPointer { tp in
        transitionTargets.withUnsafeBufferPointer { tt in
        transitionProbabilities.withUnsafeBufferPointer { pr in
            for h in recentPtr[Int(user)]..<recentPtr[Int(user) + 1] {
                let a = Int(recentItems[h])
                scatterAxpy(w, indices: tt, values: pr, tp[a]..<tp[a + 1], into: scores)
                w *= decay
            }
        }}}
    }

    /// The most likely next items after `item`: P(b | item), best first.
    public func similarItems(item: Int32, k: Int) -> [(item: Int32, score: Float)] {
        guard item >= 0 && Int(item) < itemCount, k > 0 else { return [] }
        let lo = transitionPtr[Int(item)], hi = transitionPtr[Int(item) + 1]
        return TopK.select((lo..<hi).map { (transitionTargets[$0], transitionProbabilities[$0]) }, k: k)
    }

    /// The user's recent items that lead to `item`, each with decay^{d−1} P(item | h_d).
    public func explain(user: Int32, item: Int32) -> Explanation {
        let s = score(user: user, items: [item])[0]
        var parts: [Explanation.Contribution] = []
        var w: Float = 1
        for h in recent(user: user) {
            let p = w * probability(from: h, to: item)
            if p != 0 { parts.append(.init(.neighbour(item: h), p)) }
            w *= decay
        }
        parts.sort { abs($0.value) > abs($1.value) }
        return Explanation(user: user, item: item, score: s, contributions: parts)
    }
}

/// The transition probabilities and each user's last items are stored, so restoring needs no
/// timestamps.
extension SequentialMarkov: PersistentRecommender {
    public func savedState() throws -> ModelState {
        var s = ModelState()
        s.setShape(of: self)
        s.set("window", scalar: window)
        s.set("transitionPtr", transitionPtr)
        s.set("transitionTargets", transitionTargets)
        s.set("transitionProbabilities", transitionProbabilities)
        s.set("recentPtr", recentPtr)
        s.set("recentItems", recentItems)
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        let w = try state.int("window")
        guard w == window else { throw PayloadError("model state: \(name) was saved with window \(w), this model has \(window)") }
        let nu = training.userCount, ni = training.itemCount
        let tp = try state.ints("transitionPtr"), tt = try state.int32s("transitionTargets")
        try ModelState.checkCSR(ptr: tp, indices: tt, rows: ni, columns: ni, "transitions")
        let pr = try state.floats("transitionProbabilities", count: tt.count)
        let rp = try state.ints("recentPtr"), ri = try state.int32s("recentItems")
        try ModelState.checkCSR(ptr: rp, indices: ri, rows: nu, columns: ni, "recent items")
        transitionPtr = tp; transitionTargets = tt; transitionProbabilities = pr
        recentPtr = rp; recentItems = ri
        userCount = nu; itemCount = ni
        trainingItems = seen
    }
}

extension SequentialMarkov {
    public static let kind = ModelKind(
        "next_item", summary: "A sequential next-item model: first-order Markov transitions between consecutive items.",
        details: """
        Transitions are counted between consecutive items of each user's time-ordered history; a user's next items are scored
        from their last `window` items (weights decay^age). Needs timestamps.
        """,
        paper: "Rendle, Freudenthaler & Schmidt-Thieme, Factorizing personalized Markov chains for next-basket recommendation, WWW 2010 (its Markov-chain part)",
        parameters: [
            .int("window", 1, 1...10_000, "how many of the user's last items score the next", search: [1, 2, 3]),
            .double("decay", 0.5, min: 0, max: 1, exclusive: true, "weight of an item per step back in the window"),
        ],
        input: ModelInput(values: .ignored, timestamps: true), capabilities: [.ranks, .explains, .similarItems, .persistent],
        make: { c in SequentialMarkov(window: c.int("window"), decay: c.float("decay")) })
}
