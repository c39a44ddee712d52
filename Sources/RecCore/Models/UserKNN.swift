// User-based k-nearest-neighbour collaborative filtering.

import Foundation

/// User-based collaborative filtering (Resnick, Iacovou, Suchak, Bergstrom & Riedl, "GroupLens:
/// an open architecture for collaborative filtering of netnews", CSCW 1994; Herlocker, Konstan,
/// Borchers & Riedl, "An algorithmic framework for performing collaborative filtering", SIGIR
/// 1999), in the form of LensKit's `UserUser`.
///
/// User–user similarities s_uv over the users' rows, shrunk towards 0 by the number of co-rated
/// items n_uv as in Koren (2010, eq. 2): s_uv ← s_uv · n_uv / (n_uv + shrinkage); only s_uv above
/// `minSimilarity` count. For item i, N_k(u; i) is the `neighbours` users most similar to u among
/// those who have i (ties to the lower user index) — chosen per item, as LensKit does, not one
/// global neighbour list per user. Scores:
///
/// - `.explicit`: r̂_ui = μ_u + Σ_{v∈N_k(u;i)} s_uv (r_vi − μ_v) / Σ_{v∈N_k(u;i)} |s_uv| — the
///   mean-centred weighted average (μ_u when fewer than `minNeighbours` neighbours have i; the
///   global mean for unknown users);
/// - `.implicit`: Σ_{v∈N_k(u;i)} s_uv — the summed similarity of the neighbours who have i (0
///   with fewer than `minNeighbours`).
///
/// Similarities are computed when a user is scored, from the item → user inverted lists
/// (O(Σ_{i∈R(u)} |U_i|) per user), so memory stays linear in the data; `recommendAll` scores users
/// in parallel, hence their similarities too. The candidate neighbours are ordered by heap-sort
/// with the `TopK` heap and each neighbour then adds to the items it has until an item has its k
/// neighbours. Deterministic: the summation order depends only on the data.
public final class UserKNN: Recommender {
    public enum Similarity: String, Sendable, CaseIterable {
        /// Cosine of the raw rows (binary rows with implicit unit values).
        case cosine
        /// Cosine after subtracting each user's mean rating (LensKit's centred cosine: Pearson
        /// correlation over all of each user's items, not only the co-rated ones). Meant for
        /// ratings: with unit implicit values every centred value is 0.
        case pearson
        /// |I_u ∩ I_v| / |I_u ∪ I_v| over the sets of items (values ignored).
        case jaccard
    }

    public typealias Feedback = FeedbackKind

    public var name: String { "user-knn" }
    /// k: neighbours per (user, item).
    public var neighbours: Int
    /// Fewer neighbours having an item than this: no neighbourhood score (see above).
    public var minNeighbours: Int
    public var similarity: Similarity
    /// Shrinkage constant (0: none).
    public var shrinkage: Float
    /// Only similarities strictly above this are used.
    public var minSimilarity: Float
    public var feedback: Feedback

    public private(set) var userCount = 0
    public private(set) var itemCount = 0
    public private(set) var trainingItems = TrainingItems()
    /// Ratings (explicit: latest per pair; implicit: summed values), user × item.
    private var ratings = SparseMatrix(dense: [])
    /// The vectors the similarity is the cosine of: CSR by user and CSC (item → users).
    private var rowsX = SparseMatrix(dense: [])
    private var colsX = SparseMatrix(dense: [])
    private var norms: [Float] = []
    private var userMean: [Float] = []
    private var globalMean: Float = 0

    public init(neighbours: Int = UserKNN.kind.defaultInt("k"), minNeighbours: Int = UserKNN.kind.defaultInt("min_neighbours"), similarity: Similarity = .cosine,
                shrinkage: Float = Float(UserKNN.kind.defaultDouble("shrink")), minSimilarity: Float = Float(UserKNN.kind.defaultDouble("min_similarity")), feedback: Feedback = .implicit) {
        self.neighbours = neighbours; self.minNeighbours = minNeighbours; self.similarity = similarity
        self.shrinkage = shrinkage; self.minSimilarity = minSimilarity; self.feedback = feedback
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        precondition(neighbours > 0 && minNeighbours >= 1 && shrinkage >= 0, "invalid UserKNN hyper-parameters")
        if feedback == .explicit { try requireRatings(train, model: "\(name) (explicit)") }
        prepare(train)
        trainingItems = TrainingItems(train)
    }

    /// Everything scoring reads, derived from the training log (nothing is learned beyond it:
    /// similarities are computed when a user is scored), so `restore` calls this too.
    private func prepare(_ train: Interactions) {
        let r = feedback == .explicit ? train.matrix(duplicates: .last) : train.matrix(duplicates: .sum)
        let nu = r.rows
        var um = [Float](repeating: 0, count: nu)
        var total = 0.0
        for u in 0..<nu {
            var s = 0.0
            for k in r.rowPtr[u]..<r.rowPtr[u + 1] { s += Double(r.values[k]) }
            total += s
            um[u] = r.rowCount(u) > 0 ? Float(s / Double(r.rowCount(u))) : 0
        }
        var v = r.values
        switch similarity {
        case .cosine: break
        case .jaccard: v = [Float](repeating: 1, count: r.nnz)
        case .pearson:
            for u in 0..<nu { for k in r.rowPtr[u]..<r.rowPtr[u + 1] { v[k] -= um[u] } }
        }
        let x = SparseMatrix(rows: nu, columns: r.columns, rowPtr: r.rowPtr, colIdx: r.colIdx, values: v)
        norms = x.rowNorms()
        rowsX = x
        colsX = x.transposed()
        ratings = r
        userMean = um
        globalMean = r.nnz > 0 ? Float(total / Double(r.nnz)) : 0
        userCount = nu; itemCount = r.columns
    }

    /// s_uv for every other user with s_uv > `minSimilarity`, most similar first (ties: lower
    /// index first), into `users`/`sims` (capacity userCount); returns how many.
    func neighbourhood(of user: Int32, users: UnsafeMutableBufferPointer<Int32>,
                       sims: UnsafeMutableBufferPointer<Float>) -> Int {
        let nu = userCount, u = Int(user)
        let acc = UnsafeMutableBufferPointer<Float>.allocate(capacity: nu)
        let co = UnsafeMutableBufferPointer<Int32>.allocate(capacity: nu)
        defer { acc.deallocate(); co.deallocate() }
        acc.initialize(repeating: 0); co.initialize(repeating: 0)
        // Accumulate x_u · x_v over u's items, visiting the users of each item.
        rowsX.colIdx.withUnsafeBufferPointer { rc in
        rowsX.values.withUnsafeBufferPointer { rv in
        colsX.rowPtr.withUnsafeBufferPointer { cp in
        colsX.colIdx.withUnsafeBufferPointer { cc in
        colsX.values.withUnsafeBufferPointer { cv in
            for a in rowsX.rowPtr[u]..<rowsX.rowPtr[u + 1] {
                let i = Int(rc[a]), xu = rv[a]
                for b in cp[i]..<cp[i + 1] {
                    let w = Int(cc[b])
                    co[w] += 1
                    acc[w] += xu * cv[b]
                }
            }
        }}}}}
        let jaccard = similarity == .jaccard, shrink = shrinkage, minSim = minSimilarity
        let nuItems = Float(rowsX.rowCount(u)), normU = norms[u]
        // Similarities in place: -∞ marks users that are not candidates.
        for w in 0..<nu {
            let n = Float(co[w])
            guard w != u, n > 0 else { acc[w] = -.infinity; continue }
            var s: Float
            if jaccard {
                s = n / (nuItems + Float(rowsX.rowCount(w)) - n)
            } else {
                let d = normU * norms[w]
                s = d > 0 ? acc[w] / d : 0
            }
            if shrink > 0 { s *= n / (n + shrink) }
            acc[w] = s > minSim ? s : -.infinity
        }
        return TopK.select(UnsafeBufferPointer(acc), k: nu, items: users, values: sims)
    }

    /// The users most similar to `user` (all of them with s > `minSimilarity` when k exceeds
    /// their number), best first.
    public func similarUsers(user: Int32, k: Int) -> [(user: Int32, score: Float)] {
        guard user >= 0 && Int(user) < userCount, k > 0 else { return [] }
        let us = UnsafeMutableBufferPointer<Int32>.allocate(capacity: userCount)
        let ss = UnsafeMutableBufferPointer<Float>.allocate(capacity: userCount)
        defer { us.deallocate(); ss.deallocate() }
        let m = neighbourhood(of: user, users: us, sims: ss)
        return (0..<min(m, k)).map { (us[$0], ss[$0]) }
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let n = itemCount
        precondition(scores.count == n, "score buffer must have itemCount elements")
        let explicit = feedback == .explicit
        let known = user >= 0 && Int(user) < userCount
        guard known else {
            for i in 0..<n { scores[i] = explicit ? globalMean : 0 }
            return
        }
        let nu = userCount
        let us = UnsafeMutableBufferPointer<Int32>.allocate(capacity: nu)
        let ss = UnsafeMutableBufferPointer<Float>.allocate(capacity: nu)
        let den = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        let cnt = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        defer { us.deallocate(); ss.deallocate(); den.deallocate(); cnt.deallocate() }
        den.initialize(repeating: 0); cnt.initialize(repeating: 0)
        for i in 0..<n { scores[i] = 0 }
        let m = neighbourhood(of: user, users: us, sims: ss)
        let k = Int32(clamping: neighbours)
        ratings.rowPtr.withUnsafeBufferPointer { rp in
        ratings.colIdx.withUnsafeBufferPointer { rc in
        ratings.values.withUnsafeBufferPointer { rv in
        userMean.withUnsafeBufferPointer { mean in
            // Best neighbours first: each adds to the items it has until they have k.
            for a in 0..<m {
                let v = Int(us[a]), s = ss[a], mv = mean[v]
                for b in rp[v]..<rp[v + 1] {
                    let i = Int(rc[b])
                    if cnt[i] >= k { continue }
                    cnt[i] += 1
                    scores[i] += explicit ? s * (rv[b] - mv) : s
                    den[i] += abs(s)
                }
            }
        }}}}
        let minN = Int32(minNeighbours), mu = userMean[Int(user)]
        for i in 0..<n {
            if explicit {
                scores[i] = cnt[i] >= minN && den[i] > 0 ? mu + scores[i] / den[i] : mu
            } else if cnt[i] < minN {
                scores[i] = 0
            }
        }
    }

    /// The neighbours of `user` that have `item` (at most k, best first) with their share of the
    /// score: s_uv (r_vi − μ_v) / Σ|s| after the user's mean for explicit feedback, s_uv for
    /// implicit; the parts sum to the score.
    public func explain(user: Int32, item: Int32) -> Explanation {
        let s = score(user: user, items: [item])[0]
        guard user >= 0 && Int(user) < userCount, item >= 0 && Int(item) < itemCount else {
            return Explanation(user: user, item: item, score: s, contributions: [])
        }
        let explicit = feedback == .explicit
        let nu = userCount
        let us = UnsafeMutableBufferPointer<Int32>.allocate(capacity: nu)
        let ss = UnsafeMutableBufferPointer<Float>.allocate(capacity: nu)
        defer { us.deallocate(); ss.deallocate() }
        let m = neighbourhood(of: user, users: us, sims: ss)
        var parts: [(Int32, Float)] = []
        var den: Float = 0
        for a in 0..<m where parts.count < neighbours {
            guard let r = ratings.value(row: Int(us[a]), column: Int(item)) else { continue }
            parts.append((us[a], explicit ? ss[a] * (r - userMean[Int(us[a])]) : ss[a]))
            den += abs(ss[a])
        }
        var out: [Explanation.Contribution] = []
        if parts.count < minNeighbours {
            parts = []
        } else if explicit && den > 0 {
            parts = parts.map { ($0.0, $0.1 / den) }
        }
        if explicit { out.append(.init(.userMean, userMean[Int(user)])) }
        parts.sort { abs($0.1) > abs($1.1) }
        out += parts.map { .init(.neighbourUser(user: $0.0), $0.1) }
        return Explanation(user: user, item: item, score: s, contributions: out)
    }
}

/// Nothing learned is stored: the state only records the training shape, and `restore` rebuilds
/// the rating and similarity vectors from the training log as `fit` does.
extension UserKNN: PersistentRecommender {
    public func savedState() throws -> ModelState {
        var s = ModelState()
        s.setShape(of: self)
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        if feedback == .explicit { try requireRatings(training, model: "\(name) (explicit)") }
        prepare(training)
        trainingItems = seen
    }
}

extension UserKNN {
    public static let kind = ModelKind(
        "user_knn", summary: "User-based nearest neighbours: an item scores by the k most similar users who have it.",
        details: """
        similarity: "cosine", "pearson" (mean-centred cosine) or "jaccard"; feedback: "implicit" (sum of
        similarities) or "explicit" (user mean + weighted average of the neighbours' mean-centred ratings).
        """,
        paper: "Herlocker, Konstan, Borchers & Riedl, An algorithmic framework for performing collaborative filtering, SIGIR 1999 (as LensKit's UserUser)",
        parameters: [
            .int("k", 30, 1...Int.max, "neighbours per (user, item)", search: [10, 30, 50]),
            .choice("similarity", "cosine", Similarity.allCases.map(\.rawValue), "how two users' rows are compared"),
            .double("shrink", 0, min: 0, "damping of similarities built on few common items", search: [0, 10, 100]),
            .int("min_neighbours", 1, 1...Int.max, "fewer neighbours having the item: no neighbourhood score"),
            .double("min_similarity", 0, min: -1, max: 1, "neighbours must be more similar than this"),
            .choice("feedback", "implicit", ["implicit", "explicit"], "sum of similarities, or a weighted average of ratings"),
        ],
        input: { c in c.string("feedback") == "explicit" ? .ratings : .interactions },
        capabilities: { c in ModelCapabilities([.ranks, .explains, .persistent]).adding(.predictsRatings, if: c.string("feedback") == "explicit") },
        make: { c in
            UserKNN(neighbours: c.int("k"), minNeighbours: c.int("min_neighbours"), similarity: Similarity(rawValue: c.string("similarity"))!,
                    shrinkage: c.float("shrink"), minSimilarity: c.float("min_similarity"),
                    feedback: c.string("feedback") == "explicit" ? .explicit : .implicit)
        })
}
