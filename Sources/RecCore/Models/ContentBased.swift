// Content-based filtering: TF-IDF item profiles from item attributes, user profiles from history.

import Foundation

/// Content-based recommendation in the vector-space model (Pazzani & Billsus, "Content-based
/// recommendation systems", The Adaptive Web, LNCS 4321, 2007; Lops, de Gemmis & Semeraro,
/// "Content-based recommender systems: state of the art and trends", Recommender Systems
/// Handbook, 2011, §3.1.1): items are TF-IDF vectors over attribute features, a user is the
/// weighted sum of the vectors of the items they interacted with, and the score is the cosine.
///
/// Features are `name=value` for every chosen attribute: a categorical (string or int) column is
/// one-hot, a multi-valued column (genres) gives one feature per label. With F(i) the features of
/// item i, df_f the number of items having f and N the number of items,
///
///     w_if = idf_f / ‖idf_{F(i)}‖,   idf_f = ln(N / df_f)      (tf = 1: a feature is there or not)
///     profile_u = Σ_{i∈R(u)} r_ui w_i
///     score(u, i) = profile_u · w_i / ‖profile_u‖               (cosine; 0 for an empty profile)
///
/// where r_ui is the summed value of the user's events with i (1 per event without a value
/// column). Features on every item have idf 0 and carry no weight. Item attributes come from
/// `items` when given, else from the training log's `itemAttributes`, joined by raw item ID;
/// items without a row, or with missing values, just have fewer features. Double columns are
/// rejected (bin them into a categorical column first). Item profiles are sparse (CSR over
/// items); a user's profile is built when the user is scored, so nothing user-sized is stored.
public final class ContentBased: Recommender {
    public var name: String { "content" }
    /// The item attribute columns to build features from.
    public var attributes: [String]
    /// The item attribute table (nil: the training log's `itemAttributes`).
    public var items: AttributeTable?

    /// Feature names (`genres=Comedy`), by feature index in first-appearance order (items in
    /// index order, attributes in the given order).
    public private(set) var featureNames: [String] = []
    /// idf per feature.
    public private(set) var idf: [Float] = []
    /// Unit-length item profiles, CSR over items (feature indices ascending).
    public private(set) var profilePtr: [Int] = [0]
    public private(set) var profileFeatures: [Int32] = []
    public private(set) var profileWeights: [Float] = []
    public private(set) var userCount = 0
    public private(set) var itemCount = 0
    public private(set) var trainingItems = TrainingItems()
    private var ratings = SparseMatrix(dense: [])

    public init(attributes: [String], items: AttributeTable? = nil) {
        self.attributes = attributes; self.items = items
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        guard let table = items ?? train.itemAttributes else {
            throw DataError(.missingColumn, message: "\(name) needs item attributes: pass an attribute table or attach one to the interactions")
        }
        guard !attributes.isEmpty else { throw DataError(.invalidArgument, message: "\(name) needs at least one attribute") }
        let ni = train.itemCount
        let rows = table.aligned(to: train.items)
        var ids: [String: Int32] = [:]
        var names: [String] = []
        var perItem = [[Int32]](repeating: [], count: ni)
        // Columns first (to validate), then features item by item.
        var columns: [(String, AttributeColumn)] = []
        for a in attributes {
            guard let c = table[a] else {
                throw DataError(.missingColumn, message: "\(name): no item attribute '\(a)' (have: \(table.columnNames.joined(separator: ", ")))")
            }
            if case .double = c {
                throw DataError(.invalidArgument, message: "\(name): attribute '\(a)' is numeric; bin it into categories first")
            }
            columns.append((a, c))
        }
        func feature(_ key: String) -> Int32 {
            if let f = ids[key] { return f }
            let f = Int32(names.count)
            ids[key] = f; names.append(key)
            return f
        }
        for i in 0..<ni {
            let row = rows[i]
            guard row >= 0 else { continue }
            var fs: [Int32] = []
            for (a, c) in columns {
                switch c {
                case .string(let v): if let s = v[row] { fs.append(feature("\(a)=\(s)")) }
                case .int(let v): if let s = v[row] { fs.append(feature("\(a)=\(s)")) }
                case .multi(let v): for s in v[row] { fs.append(feature("\(a)=\(s)")) }
                case .double: break
                }
            }
            perItem[i] = Array(Set(fs)).sorted()
        }
        var df = [Int](repeating: 0, count: names.count)
        for fs in perItem { for f in fs { df[Int(f)] += 1 } }
        let weights = df.map { $0 > 0 ? Float(log(Double(ni) / Double($0))) : 0 }
        var ptr = [0], feats = [Int32](), ws = [Float]()
        for fs in perItem {
            var norm: Float = 0
            for f in fs { norm += weights[Int(f)] * weights[Int(f)] }
            norm = norm.squareRoot()
            for f in fs { feats.append(f); ws.append(norm > 0 ? weights[Int(f)] / norm : 0) }
            ptr.append(feats.count)
        }
        featureNames = names; idf = weights
        profilePtr = ptr; profileFeatures = feats; profileWeights = ws
        ratings = ContentBased.userWeights(train)
        userCount = train.userCount; itemCount = ni
        trainingItems = TrainingItems(train)
    }

    /// r_ui, the weights of the items in the user profiles.
    private static func userWeights(_ train: Interactions) -> SparseMatrix { train.matrix(duplicates: .sum) }

    /// profile_u (dense over features) into `out`; returns ‖profile_u‖.
    func userProfile(_ user: Int32, into out: UnsafeMutableBufferPointer<Float>) -> Float {
        out.initialize(repeating: 0)
        guard user >= 0 && Int(user) < userCount else { return 0 }
        let u = Int(user)
        profilePtr.withUnsafeBufferPointer { pp in
        profileFeatures.withUnsafeBufferPointer { pf in
        profileWeights.withUnsafeBufferPointer { pw in
            for k in ratings.rowPtr[u]..<ratings.rowPtr[u + 1] {
                let i = Int(ratings.colIdx[k]), r = ratings.values[k]
                scatterAxpy(r, indices: pf, values: pw, pp[i]..<pp[i + 1], into: out)
            }
        }}}
        return sumOfSquares(out.baseAddress!, out.count).squareRoot()
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        let n = itemCount
        precondition(scores.count == n, "score buffer must have itemCount elements")
        let profile = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, featureNames.count))
        defer { profile.deallocate() }
        let norm = userProfile(user, into: profile)
        guard norm > 0 else { for i in 0..<n { scores[i] = 0 }; return }
        let inv = 1 / norm
        profilePtr.withUnsafeBufferPointer { pp in
        profileFeatures.withUnsafeBufferPointer { pf in
        profileWeights.withUnsafeBufferPointer { pw in
            for i in 0..<n {
                scores[i] = gatherDot(UnsafeBufferPointer(profile), indices: pf, values: pw, pp[i]..<pp[i + 1]) * inv
            }
        }}}
    }

    /// An item is known by its interactions or by its attributes: an item that only a test set
    /// has is scored from its profile (the point of a content-based model).
    public func knows(item: Int32) -> Bool {
        if trainingItems.hasRows(item: item) { return true }
        guard item >= 0 && Int(item) < itemCount else { return false }
        return profileWeights[profilePtr[Int(item)]..<profilePtr[Int(item) + 1]].contains { $0 > 0 }
    }

    /// The `k` items whose profiles have the highest positive cosine with `item`'s.
    public func similarItems(item: Int32, k: Int) -> [(item: Int32, score: Float)] {
        guard item >= 0 && Int(item) < itemCount, k > 0 else { return [] }
        let n = itemCount
        let k = min(k, n)
        let dense = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, featureNames.count))
        let sims = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        defer { dense.deallocate(); sims.deallocate() }
        dense.initialize(repeating: 0)
        let me = Int(item)
        for a in profilePtr[me]..<profilePtr[me + 1] { dense[Int(profileFeatures[a])] = profileWeights[a] }
        profilePtr.withUnsafeBufferPointer { pp in
        profileFeatures.withUnsafeBufferPointer { pf in
        profileWeights.withUnsafeBufferPointer { pw in
            for j in 0..<n {
                let s = gatherDot(UnsafeBufferPointer(dense), indices: pf, values: pw, pp[j]..<pp[j + 1])
                sims[j] = s > 0 && j != me ? s : -.infinity
            }
        }}}
        let it = UnsafeMutableBufferPointer<Int32>.allocate(capacity: k)
        let vs = UnsafeMutableBufferPointer<Float>.allocate(capacity: k)
        defer { it.deallocate(); vs.deallocate() }
        let m = TopK.select(UnsafeBufferPointer(sims), k: k, items: it, values: vs)
        return (0..<m).map { (it[$0], vs[$0]) }
    }

    /// The item's features with their share profile_uf w_if / ‖profile_u‖ of the cosine (the
    /// parts sum to the score), largest first; features the user's profile lacks are left out.
    public func explain(user: Int32, item: Int32) -> Explanation {
        let s = score(user: user, items: [item])[0]
        guard item >= 0 && Int(item) < itemCount else {
            return Explanation(user: user, item: item, score: s, contributions: [])
        }
        let profile = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, featureNames.count))
        defer { profile.deallocate() }
        let norm = userProfile(user, into: profile)
        var parts: [Explanation.Contribution] = []
        if norm > 0 {
            for a in profilePtr[Int(item)]..<profilePtr[Int(item) + 1] {
                let f = Int(profileFeatures[a])
                let v = profile[f] * profileWeights[a] / norm
                if v != 0 { parts.append(.init(.feature(featureNames[f]), v)) }
            }
        }
        parts.sort { abs($0.value) > abs($1.value) }
        return Explanation(user: user, item: item, score: s, contributions: parts)
    }
}

/// The features and item profiles are stored (restoring needs no item attributes); the user
/// weights r_ui are rebuilt from the training log.
extension ContentBased: PersistentRecommender {
    public func savedState() throws -> ModelState {
        var s = ModelState()
        s.setShape(of: self)
        s.set("featureNames", featureNames)
        s.set("idf", idf)
        s.set("profilePtr", profilePtr)
        s.set("profileFeatures", profileFeatures)
        s.set("profileWeights", profileWeights)
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        let names = try state.strings("featureNames")
        let weights = try state.floats("idf", count: names.count)
        let ptr = try state.ints("profilePtr"), feats = try state.int32s("profileFeatures")
        try ModelState.checkCSR(ptr: ptr, indices: feats, rows: training.itemCount, columns: names.count, "item profiles")
        let ws = try state.floats("profileWeights", count: feats.count)
        featureNames = names; idf = weights
        profilePtr = ptr; profileFeatures = feats; profileWeights = ws
        ratings = ContentBased.userWeights(training)
        userCount = training.userCount; itemCount = training.itemCount
        trainingItems = seen
    }
}

extension ContentBased {
    public static let kind = ModelKind(
        "content_based", summary: "Content-based filtering: TF-IDF item profiles from attributes, cosine with the user's profile.",
        details: """
        Items are TF-IDF-weighted vectors of their attribute values (multi-valued ones like genres split on '|'); a user's
        profile is the weighted sum of their items' vectors. Recommends new items no one has interacted with yet.
        """,
        paper: "Lops, de Gemmis & Semeraro, Content-based recommender systems: state of the art and trends, Recommender Systems Handbook 2011",
        parameters: [HyperParameter("attributes", .strings(minCount: 1), default: .strings(["category"]), doc: "item attributes that make an item's profile")],
        input: ModelInput(values: .used, itemAttributes: true), capabilities: [.ranks, .explains, .similarItems, .persistent],
        make: { c in ContentBased(attributes: c.strings("attributes")) })
}
