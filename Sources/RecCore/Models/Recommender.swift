// The contract every recommender model implements, and the shared machinery built on it:
// top-k selection (a bounded heap, not a full sort), exclusion of training items, batch
// recommendation in parallel, and the small explanation record models return.

import Foundation

/// What the values of the training log mean to a model that can use either: ratings to
/// average (`explicit`), or the strength of implicit signals (`implicit`).
public enum FeedbackKind: String, Sendable {
    case explicit, implicit
}

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

    /// Learns from `train`. Rating models read its value column and throw without one.
    func fit(_ train: Interactions) throws

    /// The scores of every item for `user`: `into` has `itemCount` elements.
    func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>)

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
    /// Default: scores every item and picks the requested ones.
    public func score(user: Int32, items: [Int32]) -> [Float] {
        let n = itemCount
        guard n > 0 else { return items.map { _ in .nan } }
        let buf = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        defer { buf.deallocate() }
        scoreAll(user: user, into: buf)
        return items.map { $0 >= 0 && Int($0) < n ? buf[Int($0)] : .nan }
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
    public func recommendAll(users: [Int32], k: Int, excludeTraining: Bool = true) -> RecommendationBatch {
        precondition(k > 0, "k must be positive")
        let n = itemCount
        let k = min(k, max(1, n))
        let rows = users.count
        var items = [Int32](repeating: -1, count: rows * k)
        var scores = [Float](repeating: .nan, count: rows * k)
        guard n > 0, rows > 0 else { return RecommendationBatch(users: users, k: k, items: items, scores: scores) }
        let training = trainingItems
        let unknown = unknownItems
        items.withUnsafeMutableBufferPointer { itemsOut in
            scores.withUnsafeMutableBufferPointer { scoresOut in
                users.withUnsafeBufferPointer { us in
                    let itemsOut = itemsOut, scoresOut = scoresOut
                    let cores = ProcessInfo.processInfo.activeProcessorCount
                    let chunks = rows < 2 || cores < 2 || !self.concurrentScoring ? 1 : min(rows, cores * 4)
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        let buf = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
                        defer { buf.deallocate() }
                        for r in rows * c / chunks ..< rows * (c + 1) / chunks {
                            let u = us[r]
                            self.scoreAll(user: self.scoringIndex(user: u), into: buf)
                            if excludeTraining { training.mask(user: u, buf) }
                            exclude(unknown, from: buf)
                            let itemSlot = UnsafeMutableBufferPointer(rebasing: itemsOut[(r * k)..<(r * k + k)])
                            let scoreSlot = UnsafeMutableBufferPointer(rebasing: scoresOut[(r * k)..<(r * k + k)])
                            _ = TopK.select(UnsafeBufferPointer(buf), k: k, items: itemSlot, values: scoreSlot)
                        }
                    }
                }
            }
        }
        return RecommendationBatch(users: users, k: k, items: items, scores: scores)
    }
}

/// Top-k lists of many users: row r (user `users[r]`) is `items[r*k ..< r*k+k]`, padded with -1.
public struct RecommendationBatch: Sendable, Equatable {
    public let users: [Int32]
    public let k: Int
    public let items: [Int32]
    public let scores: [Float]

    /// The list of row r without padding.
    public func list(_ r: Int) -> [(item: Int32, score: Float)] {
        var out: [(item: Int32, score: Float)] = []
        for j in r * k ..< r * k + k where items[j] >= 0 { out.append((items[j], scores[j])) }
        return out
    }

    /// As the metrics' input (one row per entry of `users`).
    public var lists: RecommendationLists { RecommendationLists(k: k, items: items) }

    public static func == (a: RecommendationBatch, b: RecommendationBatch) -> Bool {
        a.users == b.users && a.k == b.k && a.items == b.items
            && zip(a.scores, b.scores).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
}

/// The items each user had in the training log (CSR rows: `items[rowPtr[u]..<rowPtr[u+1]]`,
/// ascending). Shares storage with the training log's cached matrix. It also says which users and
/// items of the ID space have a training interaction at all: what a model was trained on
/// (`Recommender.knows(user:)`, `knows(item:)`).
public struct TrainingItems: Sendable {
    public let rowPtr: [Int]
    public let items: [Int32]
    /// Per item of the ID space: whether some training row has it.
    private let itemHasRows: [Bool]

    public init() { rowPtr = [0]; items = []; itemHasRows = [] }

    public init(_ train: Interactions) {
        let m = train.matrix(duplicates: .sum, values: .ones)
        rowPtr = m.rowPtr; items = m.colIdx
        var has = [Bool](repeating: false, count: train.itemCount)
        for i in m.colIdx { has[Int(i)] = true }
        itemHasRows = has
    }

    public var userCount: Int { rowPtr.count - 1 }

    /// Whether `user` has at least one training row.
    public func hasRows(user: Int32) -> Bool {
        user >= 0 && Int(user) < userCount && rowPtr[Int(user) + 1] > rowPtr[Int(user)]
    }

    /// Whether `item` has at least one training row.
    public func hasRows(item: Int32) -> Bool {
        item >= 0 && Int(item) < itemHasRows.count && itemHasRows[Int(item)]
    }

    /// The training items of `user` (empty for users outside the fitted range).
    public func items(of user: Int32) -> ArraySlice<Int32> {
        guard user >= 0 && Int(user) < userCount else { return [] }
        return items[rowPtr[Int(user)]..<rowPtr[Int(user) + 1]]
    }

    /// Sets the scores of `user`'s training items to -∞.
    @inline(__always)
    func mask(user: Int32, _ scores: UnsafeMutableBufferPointer<Float>) {
        guard user >= 0 && Int(user) < userCount else { return }
        items.withUnsafeBufferPointer { it in
            for j in rowPtr[Int(user)]..<rowPtr[Int(user) + 1] where Int(it[j]) < scores.count {
                scores[Int(it[j])] = -.infinity
            }
        }
    }
}

/// What a score is made of, for `explain`.
public struct Explanation: Sendable, CustomStringConvertible {
    /// One part of a score.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case globalMean, userBias, itemBias
        /// Interaction count (popularity).
        case popularity
        /// Latent factor f: the product of the user's and the item's value.
        case factor(Int)
        /// A neighbour item of the user's history and what it contributed.
        case neighbour(item: Int32)
        /// A neighbour user (user-based models) and what it contributed.
        case neighbourUser(user: Int32)
        /// The user's mean rating (the baseline of mean-centred neighbour models).
        case userMean
        /// A content feature such as `genres=Comedy` (attribute models).
        case feature(String)
        /// A component model of a hybrid, by name.
        case model(String)
        /// A named part of a model's score (e.g. NCF's `gmf`, `mlp` and `bias` parts of its logit).
        case component(String)

        public var description: String {
            switch self {
            case .globalMean: return "global mean"
            case .userBias: return "user bias"
            case .itemBias: return "item bias"
            case .popularity: return "popularity"
            case .factor(let f): return "factor \(f)"
            case .neighbour(let i): return "neighbour \(i)"
            case .neighbourUser(let u): return "neighbour user \(u)"
            case .userMean: return "user mean"
            case .feature(let f): return "feature \(f)"
            case .model(let m): return "model \(m)"
            case .component(let name): return name
            }
        }
    }

    public struct Contribution: Sendable, Equatable {
        public var source: Source
        public var value: Float
        public init(_ source: Source, _ value: Float) { self.source = source; self.value = value }
    }

    public var user: Int32
    public var item: Int32
    public var score: Float
    /// The parts, largest magnitude first (for factor and neighbour models possibly only the
    /// top ones; biases and means come first when present).
    public var contributions: [Contribution]

    public init(user: Int32, item: Int32, score: Float, contributions: [Contribution]) {
        self.user = user; self.item = item; self.score = score; self.contributions = contributions
    }

    public var description: String {
        let parts = contributions.map { "\($0.source)=\($0.value)" }.joined(separator: ", ")
        return "score(\(user), \(item)) = \(score) [\(parts)]"
    }
}

/// Partial selection of the k largest scores with a bounded min-heap: O(n log k), no full sort.
/// NaN and -∞ scores are never selected. Ties go to the lower item index.
enum TopK {
    /// True when (sa, ia) ranks below (sb, ib).
    @inline(__always)
    static func worse(_ sa: Float, _ ia: Int32, _ sb: Float, _ ib: Int32) -> Bool {
        sa < sb || (sa == sb && ia > ib)
    }

    /// Selects from all of `scores`; writes the winners best first into `items`/`values` and
    /// returns how many there are (≤ k = items.count).
    static func select(_ scores: UnsafeBufferPointer<Float>, k: Int,
                       items: UnsafeMutableBufferPointer<Int32>, values: UnsafeMutableBufferPointer<Float>) -> Int {
        var heap = Heap(items: items, values: values, k: k)
        for i in 0..<scores.count {
            let s = scores[i]
            if s > -.infinity { heap.offer(s, Int32(truncatingIfNeeded: i)) }   // false for NaN
        }
        return heap.finish()
    }

    static func select(candidates: [Int32], scores: UnsafeBufferPointer<Float>, k: Int,
                       items: UnsafeMutableBufferPointer<Int32>, values: UnsafeMutableBufferPointer<Float>) -> Int {
        var heap = Heap(items: items, values: values, k: k)
        var seen = Set<Int32>()
        for i in candidates where i >= 0 && Int(i) < scores.count && seen.insert(i).inserted {
            let s = scores[Int(i)]
            if s > -.infinity { heap.offer(s, i) }
        }
        return heap.finish()
    }

    /// Top-k of an arbitrary (item, score) sequence, best first.
    static func select(_ pairs: [(item: Int32, score: Float)], k: Int) -> [(item: Int32, score: Float)] {
        let k = min(k, pairs.count)
        guard k > 0 else { return [] }
        let it = UnsafeMutableBufferPointer<Int32>.allocate(capacity: k)
        let vs = UnsafeMutableBufferPointer<Float>.allocate(capacity: k)
        defer { it.deallocate(); vs.deallocate() }
        var heap = Heap(items: it, values: vs, k: k)
        for p in pairs where p.score > -.infinity { heap.offer(p.score, p.item) }
        let m = heap.finish()
        return (0..<m).map { (it[$0], vs[$0]) }
    }

    struct Heap {
        let items: UnsafeMutableBufferPointer<Int32>
        let values: UnsafeMutableBufferPointer<Float>
        let k: Int
        var size = 0

        init(items: UnsafeMutableBufferPointer<Int32>, values: UnsafeMutableBufferPointer<Float>, k: Int) {
            precondition(items.count >= k && values.count >= k)
            self.items = items; self.values = values; self.k = k
        }

        @inline(__always)
        mutating func offer(_ s: Float, _ i: Int32) {
            if size < k {
                var c = size
                size += 1
                while c > 0 {
                    let p = (c - 1) >> 1
                    if worse(s, i, values[p], items[p]) {
                        values[c] = values[p]; items[c] = items[p]; c = p
                    } else { break }
                }
                values[c] = s; items[c] = i
            } else if k > 0 && worse(values[0], items[0], s, i) {
                siftDown(s, i, size)
            }
        }

        /// Puts (s, i) at the root and sifts it down within the first `n` slots.
        @inline(__always)
        func siftDown(_ s: Float, _ i: Int32, _ n: Int) {
            var c = 0
            while true {
                var child = 2 * c + 1
                if child >= n { break }
                if child + 1 < n && worse(values[child + 1], items[child + 1], values[child], items[child]) {
                    child += 1
                }
                if worse(values[child], items[child], s, i) {
                    values[c] = values[child]; items[c] = items[child]; c = child
                } else { break }
            }
            values[c] = s; items[c] = i
        }

        /// Heap-sorts in place so the best comes first; pads the rest with -1/NaN.
        mutating func finish() -> Int {
            var n = size
            while n > 1 {
                let s = values[n - 1], i = items[n - 1]
                values[n - 1] = values[0]; items[n - 1] = items[0]
                n -= 1
                siftDown(s, i, n)
            }
            for j in size..<k { items[j] = -1; values[j] = .nan }
            return size
        }
    }
}

/// Dot product of two float vectors of length n (SIMD8 with a scalar tail). The summation order
/// depends only on n, so results are bit-identical from run to run.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var j = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while j + 8 <= n {
        acc += ra.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
             * rb.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        j += 8
    }
    var s = acc.sum()
    while j < n { s += a[j] * b[j]; j += 1 }
    return s
}

/// y += a·x over n floats.
@inline(__always)
func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var j = 0
    let va = SIMD8<Float>(repeating: a)
    let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
    while j + 8 <= n {
        let v = ry.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            + va * rx.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        ry.storeBytes(of: v, toByteOffset: j * 4, as: SIMD8<Float>.self)
        j += 8
    }
    while j < n { y[j] += a * x[j]; j += 1 }
}

/// The value column as floats, or an error naming the model that needs ratings.
func requireRatings(_ train: Interactions, model: String) throws {
    guard train.values != nil else {
        throw DataError(.invalidArgument, message: "\(model) needs ratings: the interactions have no value column")
    }
}
