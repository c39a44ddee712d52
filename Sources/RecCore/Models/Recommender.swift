// The contract every recommender model implements, and the shared machinery built on it:
// exclusion of training items, top-k lists for one user and for many in parallel.

import Foundation

/// A trained (or trainable) recommender over the dense user/item indices of an `Interactions`.
///
/// Models are classes: `fit` replaces the learned state. After `fit`, the model answers for
/// users `0..<userCount` and items `0..<itemCount` of the training log's ID space; a user index
/// outside that range is scored as a user without history (e.g. only the item part of a bias
/// model). Users and items of the range without a training row are unknown to the model: the
/// shared entry points (`recommend`, `recommendAll`, evaluation) apply the rule of
/// `KnownIDs.swift` to them; `scoreAll` and `score` themselves do not. Scores are predicted ratings for rating models and unnormalised ranking scores for
/// implicit-feedback models; only their order is meaningful for ranking.
///
/// Scoring a model from several threads at once is safe (scoring reads only); `fit` is not.
public protocol Recommender: AnyObject {
    /// A short name for display (`popularity`, `biased-mf`, …).
    var name: String { get }
    /// Users and items of the ID space the model was fitted on (0 before `fit`).
    var userCount: Int { get }
    var itemCount: Int { get }
    /// The (user, item) pairs of the training log, used to exclude already-seen items.
    var trainingItems: TrainingItems { get }

    /// Learns from `train`. Rating models read its value column and throw without one. Iterative
    /// models report each epoch to `context` and stop early when it says so (see `FitContext`).
    func fit(_ train: Interactions, context: FitContext) throws

    /// The scores of every item for `user`: `into` has `itemCount` elements.
    func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>)

    /// The scores of every item for each of `users`: row b of `scores` (`itemCount` wide, row
    /// after row) is what `scoreAll(user: users[b], …)` gives, bit for bit. The default scores
    /// one user after another; models that score by dot products override it to go over their
    /// item data once per block of users instead of once per user.
    func scoreAll(users: UnsafeBufferPointer<Int32>, into scores: UnsafeMutablePointer<Float>)

    /// The scores of `items` for `user` (NaN for items outside the fitted ID space).
    func score(user: Int32, items: [Int32]) -> [Float]

    /// The `k` items most similar to `item`, best first (empty where the model has no notion of
    /// item similarity).
    func similarItems(item: Int32, k: Int) -> [(item: Int32, score: Float)]

    /// Why `item` scores what it does for `user`: the parts the score is made of.
    func explain(user: Int32, item: Int32) -> Explanation

    /// Whether the model learned anything about `item` (default: the training log has a row with
    /// it). Lists never contain an item the model does not know; see `KnownIDs.swift`.
    func knows(item: Int32) -> Bool

    /// Whether scoring may run on several threads at once (false for models that call back into
    /// an interpreter).
    var concurrentScoring: Bool { get }

    /// About how many bytes `fit` holds at its peak for training data of this shape, so that a fit
    /// too large for the machine is refused before it starts (`checkMemory(toFit:)`). Estimates
    /// use saturating arithmetic: absurd hyper-parameters give `Int.max`, never a trap.
    func estimatedFitBytes(users: Int, items: Int, interactions: Int) -> Int
}

extension Recommender {
    /// Fits without progress reports or cancellation.
    public func fit(_ train: Interactions) throws { try fit(train, context: .none) }

    /// Default: scores every item and picks the requested ones.
    public func score(user: Int32, items: [Int32]) -> [Float] {
        let n = itemCount
        guard n > 0 else { return items.map { _ in .nan } }
        let buf = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        defer { buf.deallocate() }
        scoreAll(user: user, into: buf)
        return items.map { $0 >= 0 && Int($0) < n ? buf[Int($0)] : .nan }
    }

    public func scoreAll(users: UnsafeBufferPointer<Int32>, into scores: UnsafeMutablePointer<Float>) {
        let n = itemCount
        for (b, u) in users.enumerated() {
            scoreAll(user: u, into: UnsafeMutableBufferPointer(start: scores + b * n, count: n))
        }
    }

    public func similarItems(item: Int32, k: Int) -> [(item: Int32, score: Float)] { [] }

    public var concurrentScoring: Bool { true }

    /// Default: structures proportional to the training log (its matrix, transpose and copies).
    public func estimatedFitBytes(users: Int, items: Int, interactions: Int) -> Int {
        MemoryBudget.sum(MemoryBudget.product(interactions, 32), MemoryBudget.product(users + items, 16))
    }

    /// Throws a `ResourceError` naming `name` when fitting on `train` would need more memory than
    /// is available.
    public func checkMemory(toFit train: Interactions, name: String? = nil) throws {
        let bytes = estimatedFitBytes(users: train.userCount, items: train.itemCount, interactions: train.count)
        try MemoryBudget.require(bytes, for: "fitting \(name ?? self.name) on \(train.userCount) users × \(train.itemCount) items")
    }

    public func explain(user: Int32, item: Int32) -> Explanation {
        Explanation(user: user, item: item, score: score(user: user, items: [item])[0], contributions: [])
    }

    /// The `k` best items for `user`, best first; ties go to the lower item index. Items the
    /// model does not know are never listed; a user it does not know is ranked as a user without
    /// history (`KnownIDs.swift`).
    ///
    /// - Parameters:
    ///   - excludeTraining: leave out the user's items of the training log (the default).
    ///   - exclude: further items to leave out.
    ///   - candidates: when given, rank only these items.
    public func recommend(user: Int32, k: Int, excludeTraining: Bool = true, exclude: [Int32] = [],
                          candidates: [Int32]? = nil) -> [(item: Int32, score: Float)] {
        let n = itemCount
        guard k > 0, n > 0 else { return [] }
        // A cutoff beyond the catalogue asks for every item; nothing larger is allocated.
        let k = min(k, n)
        let scores = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        defer { scores.deallocate() }
        let heapItems = UnsafeMutableBufferPointer<Int32>.allocate(capacity: k)
        defer { heapItems.deallocate() }
        let heapScores = UnsafeMutableBufferPointer<Float>.allocate(capacity: k)
        defer { heapScores.deallocate() }
        scoreAll(user: scoringIndex(user: user), into: scores)
        if excludeTraining { trainingItems.mask(user: user, scores) }
        RecCore.exclude(exclude, from: scores)
        RecCore.exclude(unknownItems, from: scores)
        let m: Int
        if let candidates {
            m = TopK.select(candidates: candidates, scores: UnsafeBufferPointer(scores), k: k,
                            items: heapItems, values: heapScores)
        } else {
            m = TopK.select(UnsafeBufferPointer(scores), k: k, items: heapItems, values: heapScores)
        }
        return (0..<m).map { (heapItems[$0], heapScores[$0]) }
    }

    /// Top-k lists for many users at once, in parallel (`DispatchQueue.concurrentPerform`) into
    /// preallocated `users.count × k` buffers. Rows shorter than k are padded with item -1 and
    /// score NaN. As in `recommend`, users the model does not know get the list of a user without
    /// history, and items it does not know are left out.
    ///
    /// Each thread scores a few users at a time (`scoreAll(users:into:)`, `usersPerScoringBlock`)
    /// into one reused buffer and keeps only each row's top k: memory is a few score rows per
    /// thread, never users × items. Factor models without item biases skip the items that cannot
    /// enter a list (`BoundedRanking`); the lists are the same.
    public func recommendAll(users: [Int32], k: Int, excludeTraining: Bool = true) -> RecommendationBatch {
        let unknown = unknownItems
        return recommendAll(users: users, k: k, excludeTraining: excludeTraining, unknownItems: unknown,
                            ranking: boundedRanking(excluding: unknown))
    }

    /// The norm-ordered items of a factor model, for `recommendAll` (nil for other models).
    func boundedRanking(excluding unknown: [Int32]) -> BoundedRanking? {
        (self as? FactorModel).flatMap { BoundedRanking($0, excluding: unknown) }
    }

    /// `recommendAll` with what depends only on the model computed once by the caller (batches).
    /// A request to `cancellation` stops every thread before its next user (the lists are then
    /// incomplete: the caller checks and throws).
    func recommendAll(users: [Int32], k: Int, excludeTraining: Bool, unknownItems unknown: [Int32],
                      ranking: BoundedRanking?, cancellation: Cancellation = .none) -> RecommendationBatch {
        precondition(k > 0, "k must be positive")
        let n = itemCount
        let k = min(k, max(1, n))
        let rows = users.count
        var items = [Int32](repeating: -1, count: rows * k)
        var scores = [Float](repeating: .nan, count: rows * k)
        guard n > 0, rows > 0 else { return RecommendationBatch(users: users, k: k, items: items, scores: scores) }
        let training = trainingItems
        let block = ranking == nil ? usersPerScoringBlock(itemCount: n) : 1
        items.withUnsafeMutableBufferPointer { itemsOut in
            scores.withUnsafeMutableBufferPointer { scoresOut in
                users.withUnsafeBufferPointer { us in
                    let itemsOut = itemsOut, scoresOut = scoresOut
                    let cores = Parallelism.cores
                    let chunks = rows < 2 || cores < 2 || !self.concurrentScoring ? 1 : min(rows, cores * 4)
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        let buf = UnsafeMutablePointer<Float>.allocate(capacity: max(block * n, ranking?.block ?? 0))
                        defer { buf.deallocate() }
                        // For the bounded path: the user's training items, set and cleared per user.
                        var masked = ranking == nil ? [] : [Bool](repeating: false, count: n)
                        var scoring = [Int32](repeating: 0, count: block)
                        var r0 = rows * c / chunks
                        let end = rows * (c + 1) / chunks
                        while r0 < end && !cancellation.isRequested {
                            let r1 = min(end, r0 + block)
                            let itemSlot = { (r: Int) in UnsafeMutableBufferPointer(rebasing: itemsOut[(r * k)..<(r * k + k)]) }
                            let scoreSlot = { (r: Int) in UnsafeMutableBufferPointer(rebasing: scoresOut[(r * k)..<(r * k + k)]) }
                            let u0 = self.scoringIndex(user: us[r0])
                            if let ranking, r1 == r0 + 1, Int(u0) < ranking.model.userCount {
                                let own = excludeTraining ? training.items(of: us[r0]) : []
                                for i in own where Int(i) < n { masked[Int(i)] = true }
                                _ = masked.withUnsafeBufferPointer { m in
                                    ranking.select(user: u0, k: k, masked: m.baseAddress!, scratch: buf,
                                                   items: itemSlot(r0), values: scoreSlot(r0))
                                }
                                for i in own where Int(i) < n { masked[Int(i)] = false }
                                r0 = r1
                                continue
                            }
                            for r in r0..<r1 { scoring[r - r0] = self.scoringIndex(user: us[r]) }
                            scoring.withUnsafeBufferPointer { s in
                                self.scoreAll(users: UnsafeBufferPointer(rebasing: s[0..<(r1 - r0)]), into: buf)
                            }
                            for r in r0..<r1 {
                                let row = UnsafeMutableBufferPointer(start: buf + (r - r0) * n, count: n)
                                if excludeTraining { training.mask(user: us[r], row) }
                                exclude(unknown, from: row)
                                _ = TopK.select(UnsafeBufferPointer(row), k: k, items: itemSlot(r), values: scoreSlot(r))
                            }
                            r0 = r1
                        }
                    }
                }
            }
        }
        return RecommendationBatch(users: users, k: k, items: items, scores: scores)
    }
}

/// Users scored together by `recommendAll`: their score rows (at most 4 MiB of them, at most 32
/// users) are one thread's buffer, so a model's item data is read once per block.
func usersPerScoringBlock(itemCount: Int) -> Int {
    max(1, min(32, (1 << 20) / max(1, itemCount)))
}
