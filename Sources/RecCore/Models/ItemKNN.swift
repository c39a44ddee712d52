// Item-based k-nearest-neighbour collaborative filtering.

import Foundation

/// Item-based collaborative filtering (Sarwar, Karypis, Konstan & Riedl, "Item-based
/// collaborative filtering recommendation algorithms", WWW 2001; Deshpande & Karypis, "Item-based
/// top-N recommendation algorithms", ACM TOIS 22(1), 2004).
///
/// Item–item similarities over the users' columns, shrunk towards 0 by the number of co-rating
/// users n_ij as in Koren (2010, eq. 2): s_ij ← s_ij · n_ij / (n_ij + shrinkage). Each item keeps
/// its most similar items with similarity above `minSimilarity`, most similar first. The
/// neighbourhood N(i; u) of a target item i for user u is chosen in one of three ways:
///
/// - `.item` (Sarwar et al.): i keeps its k nearest items, and N(i; u) is those of them u has —
///   possibly none, though u has items similar to i just outside i's k;
/// - `.symmetric`: j is i's neighbour when either is among the other's k nearest
///   (the symmetric k-nearest-neighbour graph), and N(i; u) is i's neighbours that u has. It adds
///   to `.item`'s neighbours the direction Deshpande & Karypis score in (each of u's items j
///   votes for its own k nearest), so an item that is many items' near neighbour is reached from
///   all of them. Similarities are exactly symmetric (`neighbourLists`), so the relation is too;
///   each list is sorted, its first k entries being the item's own k nearest;
/// - `.user` (LensKit's ItemKNN, and GroupLens's item-item before it): i keeps many more (every
///   one above `minSimilarity`, or `maxNeighbours`), and N(i; u) is the k of them most similar
///   to i among the items u has. Since each stored list is sorted, that is its first k entries
///   that u has, found by walking the list and stopping at the k-th.
///
/// Scores:
///
/// - `.explicit`: r̂_ui = Σ_{j∈N(i;u)} s_ij r_uj / Σ |s_ij| — the weighted average of the
///   user's ratings of i's neighbours (the user's mean rating when none was rated; the global
///   mean for unknown users);
/// - `.implicit`: Σ_{j∈N(i;u)} s_ij — the summed similarity to the user's items.
///
/// Deterministic; similarities are computed in parallel over items.
public final class ItemKNN: Recommender {
    public enum Similarity: String, Sendable, CaseIterable {
        /// Cosine of the raw value columns.
        case cosine
        /// Cosine after subtracting each user's mean rating (Sarwar et al.'s adjusted cosine).
        case adjustedCosine
        /// Cosine after subtracting each item's mean rating, over all its ratings (the
        /// item-centred form LensKit uses, not the co-rated-only Pearson correlation).
        case pearson
        /// |U_i ∩ U_j| / |U_i ∪ U_j| over the sets of users (values ignored).
        case jaccard
    }

    public enum Selection: String, Sendable, CaseIterable {
        /// The items either among the target's k nearest or having it among theirs, then those
        /// the user has.
        case symmetric
        /// Each item's k nearest, then those the user has.
        case item
        /// Among the user's items, the k nearest to the target.
        case user
    }

    public typealias Feedback = FeedbackKind

    public var name: String { "item-knn" }
    /// Neighbours kept per item (`.item` selection) or used per target item (`.user`).
    public var neighbours: Int
    public var selection: Selection
    /// Neighbours stored per item for `.user` selection (0: every one above `minSimilarity`).
    public var maxNeighbours: Int
    public var similarity: Similarity
    /// Shrinkage constant (0: none).
    public var shrinkage: Float
    /// Only similarities strictly above this are kept.
    public var minSimilarity: Float
    public var feedback: Feedback

    /// Neighbour lists, CSR over items: item i's neighbours are `neighbourItems[neighbourPtr[i] ..<
    /// neighbourPtr[i+1]]`, most similar first, with `neighbourSims` alongside.
    public internal(set) var neighbourPtr: [Int] = [0]
    public internal(set) var neighbourItems: [Int32] = []
    public internal(set) var neighbourSims: [Float] = []
    public internal(set) var userCount = 0
    public internal(set) var itemCount = 0
    public internal(set) var trainingItems = TrainingItems()
    var ratings = SparseMatrix(dense: [])
    var userMean: [Float] = []
    var globalMean: Float = 0

    public init(neighbours: Int = ItemKNN.kind.defaultInt("k"), similarity: Similarity = .cosine, shrinkage: Float = Float(ItemKNN.kind.defaultDouble("shrink")),
                minSimilarity: Float = Float(ItemKNN.kind.defaultDouble("min_similarity")), feedback: Feedback = .implicit,
                selection: Selection = Selection(rawValue: ItemKNN.kind.defaultString("selection"))!,
                maxNeighbours: Int = ItemKNN.kind.defaultInt("max_neighbours")) {
        self.neighbours = neighbours; self.similarity = similarity; self.shrinkage = shrinkage
        self.minSimilarity = minSimilarity; self.feedback = feedback
        self.selection = selection; self.maxNeighbours = maxNeighbours
    }

    /// How many nearest neighbours each item's own list keeps (before `.symmetric` adds the
    /// reverse links).
    var storedPerItem: Int {
        switch selection {
        case .item, .symmetric: neighbours
        case .user: maxNeighbours == 0 ? Int.max : max(maxNeighbours, neighbours)
        }
    }

    /// How many of a list's entries the user has are used: all of them for `.item` and
    /// `.symmetric`, the first k for `.user`.
    var usedPerTarget: Int { selection == .user ? neighbours : Int.max }

    /// Neighbour lists (min(k, items) per item, twice that with the reverse links), one
    /// accumulator row per thread, the training log.
    public func estimatedFitBytes(users: Int, items: Int, interactions: Int) -> Int {
        let cores = Parallelism.cores
        let perItem = min(storedPerItem, max(1, items)) * (selection == .symmetric ? 2 : 1)
        return MemoryBudget.sum(MemoryBudget.product(items, perItem, 16),
                                MemoryBudget.product(cores * 8, items, 8), MemoryBudget.product(interactions, 32))
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        precondition(neighbours > 0 && shrinkage >= 0 && maxNeighbours >= 0, "invalid ItemKNN hyper-parameters")
        if feedback == .explicit { try requireRatings(train, model: "\(name) (explicit)") }
        let (r, um, mu) = ratingsAndMeans(train)
        let nu = r.rows, ni = r.columns
        let v = centredValues(r, userMean: um)
        let lists = try neighbourLists(of: Array(0..<Int32(ni)), ratings: r, centred: v, cancellation: context.cancellation)
        store(lists)
        ratings = r
        userMean = um
        globalMean = mu
        userCount = nu; itemCount = ni
        trainingItems = TrainingItems(train)
    }

    /// Stores each item's own nearest-neighbour list as its neighbours, or with `.symmetric`
    /// the lists with their reverse links added.
    func store(_ own: [[(item: Int32, score: Float)]]) {
        let lists = selection == .symmetric ? Self.symmetrised(own) : own
        var ptr = [0], its = [Int32](), sims = [Float]()
        ptr.reserveCapacity(lists.count + 1)
        for l in lists {
            for (j, s) in l { its.append(j); sims.append(s) }
            ptr.append(its.count)
        }
        neighbourPtr = ptr; neighbourItems = its; neighbourSims = sims
    }

    /// i's list with every j whose own list holds i added (with s_ji, which equals s_ij), most
    /// similar first with ties to the lower item as in `TopK`. An added j ranks after i's own
    /// entries when i's list is full (else j would be among them), so the first min(k, count)
    /// entries of the result are i's own list again (`ownLists`).
    static func symmetrised(_ own: [[(item: Int32, score: Float)]]) -> [[(item: Int32, score: Float)]] {
        var out = own
        for (i, list) in own.enumerated() {
            for (j, s) in list where !own[Int(j)].contains(where: { $0.item == Int32(i) }) {
                out[Int(j)].append((Int32(i), s))
            }
        }
        for j in out.indices where out[j].count > own[j].count {
            out[j].sort { TopK.worse($1.score, $1.item, $0.score, $0.item) }
        }
        return out
    }

    /// Each item's own list back from the stored ones: what `store` was given.
    func ownLists() -> [[(item: Int32, score: Float)]] {
        (0..<itemCount).map { i in
            let lo = neighbourPtr[i], hi = selection == .symmetric ? min(neighbourPtr[i + 1], lo + neighbours) : neighbourPtr[i + 1]
            return (lo..<hi).map { (neighbourItems[$0], neighbourSims[$0]) }
        }
    }

    /// The centred or binarised values the similarity is the cosine of (unused for Jaccard).
    func centredValues(_ r: SparseMatrix, userMean um: [Float]) -> [Float] {
        let nu = r.rows, ni = r.columns
        var v = r.values
        switch similarity {
        case .cosine: break
        case .jaccard: v = [Float](repeating: 1, count: r.nnz)
        case .adjustedCosine:
            for u in 0..<nu { for k in r.rowPtr[u]..<r.rowPtr[u + 1] { v[k] -= um[u] } }
        case .pearson:
            var sum = [Double](repeating: 0, count: ni), cnt = [Int](repeating: 0, count: ni)
            for k in 0..<r.nnz { sum[Int(r.colIdx[k])] += Double(r.values[k]); cnt[Int(r.colIdx[k])] += 1 }
            for k in 0..<r.nnz { let i = Int(r.colIdx[k]); v[k] -= Float(sum[i] / Double(cnt[i])) }
        }
        return v
    }

    /// The stored neighbour list of each of `targets` (in that order), computed in parallel.
    /// s_ij and s_ji are bitwise equal: both sum the products over their common users in
    /// ascending user order, and the norms and counts enter symmetrically.
    func neighbourLists(of targets: [Int32], ratings r: SparseMatrix, centred v: [Float],
                        cancellation cancel: Cancellation) throws -> [[(item: Int32, score: Float)]] {
        let nu = r.rows, ni = r.columns
        let x = SparseMatrix(rows: nu, columns: ni, rowPtr: r.rowPtr, colIdx: r.colIdx, values: v)
        let xt = x.transposed()
        let norm = xt.rowNorms()
        let counts = xt.rowCounts
        // More neighbours than there are items means all of them.
        let k = min(storedPerItem, max(1, ni))
        let nt = targets.count
        var lists = [[(item: Int32, score: Float)]](repeating: [], count: nt)
        let jaccard = similarity == .jaccard, shrink = shrinkage, minSim = minSimilarity
        lists.withUnsafeMutableBufferPointer { out in
            let out = out
            let cores = Parallelism.cores
            let chunks = nt < 64 || cores < 2 ? 1 : min(nt, cores * 8)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var acc = [Float](repeating: 0, count: ni)
                var co = [Int32](repeating: 0, count: ni)
                var touched = [Int32]()
                for t in nt * c / chunks ..< nt * (c + 1) / chunks {
                    if cancel.isRequested { break }
                    let i = Int(targets[t])
                    touched.removeAll(keepingCapacity: true)
                    for a in xt.rowPtr[i]..<xt.rowPtr[i + 1] {
                        let u = Int(xt.colIdx[a]), vi = xt.values[a]
                        for b in x.rowPtr[u]..<x.rowPtr[u + 1] {
                            let j = Int(x.colIdx[b])
                            if j == i { continue }
                            if co[j] == 0 { touched.append(Int32(j)) }
                            co[j] += 1
                            acc[j] += vi * x.values[b]
                        }
                    }
                    var cand: [(item: Int32, score: Float)] = []
                    cand.reserveCapacity(touched.count)
                    for j32 in touched {
                        let j = Int(j32), n = Float(co[j])
                        var s: Float
                        if jaccard {
                            s = n / (Float(counts[i] + counts[j]) - n)
                        } else {
                            let d = norm[i] * norm[j]
                            s = d > 0 ? acc[j] / d : 0
                        }
                        if shrink > 0 { s *= n / (n + shrink) }
                        if s > minSim { cand.append((j32, s)) }
                        acc[j] = 0; co[j] = 0
                    }
                    out[t] = TopK.select(cand, k: k)
                }
            }
        }
        try cancel.check()
        return lists
    }

    /// The ratings scoring reads, with the per-user and global means (for centring and the
    /// explicit fallback): what `fit` and `restore` derive from the training log.
    func ratingsAndMeans(_ train: Interactions) -> (ratings: SparseMatrix, userMean: [Float], globalMean: Float) {
        let r = feedback == .explicit ? train.matrix(duplicates: .last) : train.matrix(duplicates: .sum)
        var um = [Float](repeating: 0, count: r.rows)
        var total = 0.0
        for u in 0..<r.rows {
            var s = 0.0
            for k in r.rowPtr[u]..<r.rowPtr[u + 1] { s += Double(r.values[k]) }
            total += s
            um[u] = r.rowCount(u) > 0 ? Float(s / Double(r.rowCount(u))) : 0
        }
        return (r, um, r.nnz > 0 ? Float(total / Double(r.nnz)) : 0)
    }

    /// The stored similarity s_ij (0 when j is not among i's neighbours).
    public func similarity(_ i: Int32, _ j: Int32) -> Float {
        for k in neighbourPtr[Int(i)]..<neighbourPtr[Int(i) + 1] where neighbourItems[k] == j { return neighbourSims[k] }
        return 0
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let n = itemCount
        precondition(scores.count == n, "score buffer must have itemCount elements")
        let known = user >= 0 && Int(user) < userCount
        let fallback: Float = feedback == .implicit ? 0 : (known && ratings.rowCount(Int(user)) > 0 ? userMean[Int(user)] : globalMean)
        guard known else { for i in 0..<n { scores[i] = fallback }; return }
        // The user's ratings as a dense vector, NaN = not rated (borrowing the output buffer
        // is not possible: every item reads it), so a scratch row.
        let mine = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        defer { mine.deallocate() }
        mine.initialize(repeating: .nan)
        let u = Int(user)
        for k in ratings.rowPtr[u]..<ratings.rowPtr[u + 1] { mine[Int(ratings.colIdx[k])] = ratings.values[k] }
        let explicit = feedback == .explicit, limit = usedPerTarget
        neighbourPtr.withUnsafeBufferPointer { ptr in
        neighbourItems.withUnsafeBufferPointer { nb in
        neighbourSims.withUnsafeBufferPointer { sim in
            for i in 0..<n {
                var num: Float = 0, den: Float = 0, used = 0
                for k in ptr[i]..<ptr[i + 1] {
                    let r = mine[Int(nb[k])]
                    if r.isNaN { continue }
                    num += explicit ? sim[k] * r : sim[k]
                    den += abs(sim[k])
                    used += 1
                    if used == limit { break }
                }
                scores[i] = explicit ? (den > 0 ? num / den : fallback) : num
            }
        }}}
    }

    /// The stored neighbours of `item`, most similar first.
    public func similarItems(item: Int32, k: Int) -> [(item: Int32, score: Float)] {
        guard item >= 0 && Int(item) < itemCount else { return [] }
        let lo = neighbourPtr[Int(item)], hi = lo + min(neighbourPtr[Int(item) + 1] - lo, max(0, k))
        return (lo..<hi).map { (neighbourItems[$0], neighbourSims[$0]) }
    }

    /// The user's rated neighbours of `item` with their share of the score (s_ij r_uj / Σ|s|
    /// for explicit feedback, s_ij for implicit), largest first.
    public func explain(user: Int32, item: Int32) -> Explanation {
        let s = score(user: user, items: [item])[0]
        guard user >= 0 && Int(user) < userCount, item >= 0 && Int(item) < itemCount else {
            return Explanation(user: user, item: item, score: s, contributions: [])
        }
        var parts: [(Int32, Float)] = []
        var den: Float = 0
        for k in neighbourPtr[Int(item)]..<neighbourPtr[Int(item) + 1] where parts.count < usedPerTarget {
            if let r = ratings.value(row: Int(user), column: Int(neighbourItems[k])) {
                parts.append((neighbourItems[k], feedback == .explicit ? neighbourSims[k] * r : neighbourSims[k]))
                den += abs(neighbourSims[k])
            }
        }
        if feedback == .explicit && den > 0 { parts = parts.map { ($0.0, $0.1 / den) } }
        parts.sort { abs($0.1) > abs($1.1) }
        return Explanation(user: user, item: item, score: s, contributions: parts.map { .init(.neighbour(item: $0.0), $0.1) })
    }
}

/// The neighbour lists are stored; the ratings and means are rebuilt from the training log.
extension ItemKNN: PersistentRecommender {
    public func savedState() throws -> ModelState {
        var s = ModelState()
        s.setShape(of: self)
        s.set("neighbourPtr", neighbourPtr)
        s.set("neighbourItems", neighbourItems)
        s.set("neighbourSims", neighbourSims)
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        if feedback == .explicit { try requireRatings(training, model: "\(name) (explicit)") }
        let ni = training.itemCount
        let ptr = try state.ints("neighbourPtr"), its = try state.int32s("neighbourItems")
        try ModelState.checkCSR(ptr: ptr, indices: its, rows: ni, columns: ni, "item-knn neighbour lists")
        let sims = try state.floats("neighbourSims", count: its.count)
        (ratings, userMean, globalMean) = ratingsAndMeans(training)
        neighbourPtr = ptr; neighbourItems = its; neighbourSims = sims
        userCount = training.userCount; itemCount = ni
        trainingItems = seen
    }
}

extension ItemKNN {
    static let similarityNames: [(String, Similarity)] = [("cosine", .cosine), ("adjusted_cosine", .adjustedCosine),
                                                          ("pearson", .pearson), ("jaccard", .jaccard)]

    public static let kind = ModelKind(
        "item_knn", summary: "Item-based nearest neighbours: an item scores by its similarity to the user's items.",
        details: """
        similarity: "cosine", "adjusted_cosine", "pearson" or "jaccard"; shrink damps similarities built on few co-ratings
        (s·n/(n+shrink)); feedback: "implicit" (sum of similarities) or "explicit" (weighted average of the user's ratings).
        """,
        paper: "Sarwar, Karypis, Konstan & Riedl, Item-based collaborative filtering recommendation algorithms, WWW 2001; Deshpande & Karypis, TOIS 2004",
        parameters: [
            .int("k", 20, 1...Int.max, "neighbours per item: kept (selection \"symmetric\", \"item\") or taken from the user's items (\"user\")", search: [10, 20, 50]),
            .choice("selection", "item", Selection.allCases.map(\.rawValue),
                    "\"symmetric\": the user's items among the target's k nearest or having it among theirs; \"item\": the target's k nearest that the user has; \"user\": the user's k items nearest the target"),
            .int("max_neighbours", 0, 0...Int.max, "neighbours stored per item for selection \"user\" (0: all above min_similarity)"),
            .choice("similarity", "cosine", similarityNames.map(\.0), "how two items' columns are compared"),
            .double("shrink", 0, min: 0, "damping of similarities built on few co-ratings", search: [0, 10, 100]),
            .double("min_similarity", 0, min: -1, max: 1, "neighbours must be more similar than this"),
            .choice("feedback", "implicit", ["implicit", "explicit"], "sum of similarities, or a weighted average of ratings"),
        ],
        input: { c in c.string("feedback") == "explicit" ? .ratings : .interactions },
        capabilities: { c in
            ModelCapabilities([.ranks, .explains, .similarItems, .persistent, .incremental]).adding(.predictsRatings, if: c.string("feedback") == "explicit")
        },
        check: { c throws(ModelConfigError) in
            if c.int("max_neighbours") > 0 {
                if c.string("selection") != "user" {
                    throw ModelConfigError(parameter: "max_neighbours", message: "max_neighbours applies to selection: \"user\" (selection \"\(c.string("selection"))\" stores k)")
                }
                if c.int("max_neighbours") < c.int("k") {
                    throw ModelConfigError(parameter: "max_neighbours", message: "max_neighbours (\(c.int("max_neighbours"))) must be at least k (\(c.int("k")))")
                }
            }
        },
        make: { c in
            ItemKNN(neighbours: c.int("k"), similarity: similarityNames.first { $0.0 == c.string("similarity") }!.1,
                    shrinkage: c.float("shrink"), minSimilarity: c.float("min_similarity"),
                    feedback: c.string("feedback") == "explicit" ? .explicit : .implicit,
                    selection: Selection(rawValue: c.string("selection"))!, maxNeighbours: c.int("max_neighbours"))
        })
}
