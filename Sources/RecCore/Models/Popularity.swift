// Most-popular baseline: every user gets the items with the most interactions, overall or within
// the user's group (a channel, or a value of a user attribute).

/// Recommends the most popular items: an item's score is its number of training interactions
/// (rows, so repeated events count; with `distinctUsers`, the number of distinct users).
/// Ties are broken by item index. The non-personalised baseline every top-N evaluation needs
/// (LensKit `PopScore`, implicit's absent-model baseline).
///
/// With `by`, popularity is counted within groups and each user gets their group's ranking:
/// - `"channel"`: counts per channel (app, web, store…); a user's group is the channel of most of
///   their training interactions (ties go to the channel listed first in the data);
/// - any other name: a user attribute (gender, age band…); counts among the users who share the
///   value (with `bins`, the range of a numeric attribute such as age). Users without a value,
///   and users unseen in training, get the overall ranking.
public final class Popularity: Recommender {
    public let name = "popularity"
    /// Count each (user, item) pair once rather than every interaction row.
    public var distinctUsers: Bool
    /// `"channel"`, a user attribute's name, or nil for one overall ranking.
    public var groupBy: String?
    /// Edges that cut a numeric `groupBy` attribute into ranges (see `Bins`); nil: one group per value.
    public var bins: [Double]?
    /// With a half-life in days, an interaction counts 0.5^(age / half-life), its age measured
    /// from the latest timestamp of the training log (which `update` moves forward).
    public var halfLife: Double?
    /// The latest training timestamp, the "now" of the decay (nil without a half-life).
    public internal(set) var referenceTime: Int64?

    /// Score per item index: the interaction (or user) count over all training data.
    public internal(set) var counts: [Float] = []
    /// Group names (channel labels or attribute values), when grouped.
    public private(set) var groupLabels: [String] = []
    /// `groupLabels.count × itemCount` counts, row-major.
    public private(set) var groupCounts: [Float] = []
    /// Each training user's group index, or -1 for the overall ranking.
    public private(set) var userGroup: [Int32] = []
    public internal(set) var userCount = 0
    public internal(set) var trainingItems = TrainingItems()
    public var itemCount: Int { counts.count }

    public init(distinctUsers: Bool = Popularity.kind.defaultBool("distinct_users"), by groupBy: String? = nil, bins: [Double]? = nil,
                halfLife: Double? = nil) {
        self.distinctUsers = distinctUsers
        self.halfLife = halfLife
        self.groupBy = groupBy
        self.bins = bins
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        let ni = train.itemCount, nu = train.userCount
        referenceTime = nil
        if let halfLife {
            let (c, now) = try Popularity.decayedCounts(train, halfLife: halfLife, items: ni)
            counts = c; referenceTime = now
        } else {
        counts = distinctUsers
            ? train.matrix(duplicates: .sum, values: .ones).columnCounts.map { Float($0) }
            : train.itemCounts().map { Float($0) }
        }
        userCount = nu
        trainingItems = TrainingItems(train)
        groupLabels = []; groupCounts = []; userGroup = []
        guard let by = groupBy else { return }

        // The group of every row, and of every user.
        let rowGroup: [Int32]
        if by == "channel" {
            guard bins == nil else { throw DataError(.invalidArgument, message: "bins: cuts a numeric user attribute, not the channel") }
            guard let channels = train.channels else {
                throw DataError(.invalidArgument, message: "popularity by channel needs a channel column in the data")
            }
            groupLabels = channels.labels
            rowGroup = channels.codes.map { Int32($0) }
            var perUser = [Int32](repeating: 0, count: nu * groupLabels.count)
            for r in 0..<train.count { perUser[Int(train.user[r]) * groupLabels.count + Int(rowGroup[r])] += 1 }
            userGroup = (0..<nu).map { u in
                var best: Int32 = -1, most: Int32 = 0
                for g in 0..<groupLabels.count where perUser[u * groupLabels.count + g] > most {
                    most = perUser[u * groupLabels.count + g]; best = Int32(g)
                }
                return best
            }
        } else {
            guard let labels = try train.userAttributes?.groupLabels(by, alignedTo: train.users, bins: bins) else {
                let known = train.userAttributes?.columnNames ?? []
                throw DataError(.invalidArgument, message: "popularity by \"\(by)\": no channel column by that name and no such user attribute"
                                + (known.isEmpty ? " (the data has no user attributes)" : " (user attributes: \(known.joined(separator: ", ")))"))
            }
            var index: [String: Int32] = [:]
            userGroup = labels.map { l in
                if l == "(missing)" { return -1 }
                if let g = index[l] { return g }
                index[l] = Int32(groupLabels.count); groupLabels.append(l)
                return Int32(groupLabels.count - 1)
            }
            rowGroup = train.user.map { userGroup[Int($0)] }
        }
        var grouped = [Float](repeating: 0, count: groupLabels.count * ni)
        var seen = Set<Int>()
        for r in 0..<train.count where rowGroup[r] >= 0 {
            let g = Int(rowGroup[r]), i = Int(train.item[r])
            if distinctUsers && !seen.insert((g * nu + Int(train.user[r])) * ni + i).inserted { continue }
            grouped[g * ni + i] += 1
        }
        groupCounts = grouped
    }

    /// The group index whose ranking `user` gets, or nil for the overall one.
    public func group(of user: Int32) -> Int? {
        guard user >= 0 && Int(user) < userGroup.count, userGroup[Int(user)] >= 0 else { return nil }
        return Int(userGroup[Int(user)])
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == counts.count, "score buffer must have itemCount elements")
        let ni = counts.count, offset = group(of: user).map { $0 * ni }
        (offset == nil ? counts : groupCounts).withUnsafeBufferPointer { c in
            let base = offset ?? 0
            for i in 0..<ni { scores[i] = c[base + i] }
        }
    }

    public func score(user: Int32, items: [Int32]) -> [Float] {
        let ni = counts.count, g = group(of: user)
        return items.map { i in
            guard i >= 0 && Int(i) < ni else { return .nan }
            return g.map { groupCounts[$0 * ni + Int(i)] } ?? counts[Int(i)]
        }
    }

    public func explain(user: Int32, item: Int32) -> Explanation {
        let s = score(user: user, items: [item])[0]
        let part: Explanation.Contribution = group(of: user).map { .init(.feature("popularity among \(groupBy!) = \(groupLabels[$0])"), s) }
            ?? .init(.popularity, s)
        return Explanation(user: user, item: item, score: s, contributions: [part])
    }
}

/// Everything is stored: the counts are cheap to recount, but the grouping needs the channel
/// column or the user attributes, which the training data passed to `restore` need not carry.
extension Popularity: PersistentRecommender {
    public func savedState() throws -> ModelState {
        var s = ModelState()
        s.setShape(of: self)
        s.set("groupBy", groupBy.map { [$0] } ?? [])
        s.set("counts", counts)
        s.set("groupLabels", groupLabels)
        s.set("groupCounts", groupCounts)
        s.set("userGroup", userGroup)
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        let by = try state.strings("groupBy")
        guard by == (groupBy.map { [$0] } ?? []) else {
            func describe(_ g: String?) -> String { g.map { "grouped by \"\($0)\"" } ?? "ungrouped" }
            throw PayloadError("model state: popularity was saved \(describe(by.first)) but this model is \(describe(groupBy))")
        }
        let nu = training.userCount, ni = training.itemCount
        let c = try state.floats("counts", count: ni)
        let labels = try state.strings("groupLabels")
        let grouped = try state.floats("groupCounts", count: labels.count * ni)
        let groups = try state.int32s("userGroup", count: groupBy == nil ? 0 : nu)
        guard groups.allSatisfy({ $0 >= -1 && Int($0) < labels.count }) else {
            throw PayloadError("model state: popularity user groups out of range")
        }
        counts = c; groupLabels = labels; groupCounts = grouped; userGroup = groups
        referenceTime = halfLife == nil ? nil : training.timestamps?.max()
        userCount = nu
        trainingItems = seen
    }
}

extension Popularity {
    /// The catalogue entry: the model's one declaration (Catalogue/ModelCatalogue.swift).
    public static let kind = ModelKind(
        "popularity", summary: "Recommends the most interacted-with items to everyone (training items excluded).",
        details: """
        distinct_users: count each user once per item instead of every interaction.
        by: "channel" ranks items within each channel and gives every user the ranking of their main channel;
        by: a user attribute ("gender") ranks items among the users sharing its value. Users without a group get the overall ranking.
        bins: [18, 25, 35, 50] cuts a numeric attribute (age) into ranges, so users of one range share a ranking (see cut).
        """,
        paper: "Cremonesi, Koren & Turrin, Performance of recommender algorithms on top-N recommendation tasks, RecSys 2010 (the baseline)",
        parameters: [
            .bool("distinct_users", false, "count each user once per item"),
            HyperParameter("by", .text, default: .none, doc: "\"channel\" or a user attribute: rank within each group"),
            HyperParameter("bins", .doubles(minCount: 1), default: .none, doc: "ascending edges cutting a numeric by: attribute into ranges"),
            .double("half_life", nil, min: 0, exclusive: true, "days after which an interaction counts half (needs timestamps)"),
        ],
        input: { c in ModelInput(values: .ignored, timestamps: c.optionalDouble("half_life") != nil, userAttributes: true) },
        capabilities: { _ in [.ranks, .explains, .persistent, .incremental] },
        check: { c throws(ModelConfigError) in
            if c.optionalDouble("half_life") != nil && (c.optionalString("by") != nil || c.bool("distinct_users")) {
                throw ModelConfigError(parameter: "half_life", message: "half_life: decays one overall ranking of interactions; it does not combine with by: or distinct_users:")
            }
            guard let bins = c.doubles("bins") else { return }
            if c.optionalString("by") == nil {
                throw ModelConfigError(parameter: "bins", message: "bins: cuts the user attribute named by by:; give by: too")
            }
            do { _ = try Bins(edges: bins, integral: true) } catch {
                throw ModelConfigError(parameter: "bins", message: "\(error)")
            }
        },
        make: { c in
            Popularity(distinctUsers: c.bool("distinct_users"), by: c.optionalString("by"), bins: c.doubles("bins"),
                       halfLife: c.optionalDouble("half_life"))
        })
}
