// One shop, several channels (app, web, store): a list per channel that is personal to the
// channel yet consistent with the user's lists elsewhere, the balance set by one weight.

import Foundation

/// A base model fitted once on every channel's events and once on all events. User u's score for
/// item i on channel c is
///
///     s_c(u, i) = (1 − w) · norm_u(s^c(u, ·))_i + w · norm_u(s^all(u, ·))_i
///
/// where s^c is the model fitted on channel c's events only, s^all the model fitted on all of
/// them, and norm_u min–max scales a user's scores over the catalogue into [0, 1] (as the
/// weighted hybrid does, Burke 2002): the two models score on the same scale only after it. With
/// w = 1 every channel shows the same list (the shared model's); with w = 0 each channel's list
/// is learnt from that channel alone. An item a channel's model never saw (not sold in the
/// store, say) gets 0 from it, so on that channel only the shared part can bring it up.
///
/// Scoring without a channel (`scoreAll`, `recommend`) uses each user's main channel (most
/// events; the first channel on ties), or the shared model for a user without events; `view(channel:)`
/// gives one channel's recommender.
public final class ChannelModel: Recommender {
    public var name: String { "channel-model" }
    /// Builds a fresh, unfitted base model (called once per channel and once for all events).
    let makeBase: () throws -> any Recommender
    /// w: the weight of the shared model, 0…1.
    public let sharedWeight: Float

    public private(set) var userCount = 0
    public private(set) var itemCount = 0
    public private(set) var trainingItems = TrainingItems()
    /// The channels, in the data's label order.
    public private(set) var channelLabels: [String] = []
    public private(set) var shared: (any Recommender)?
    /// One model per channel, in `channelLabels` order.
    public private(set) var channelModels: [any Recommender] = []
    /// Each user's main channel (index into `channelLabels`), −1 for a user without events.
    public private(set) var mainChannel: [Int32] = []
    /// Per channel model, per item: whether it knows the item (from `knows(item:)`, cached).
    var known: [[Bool]] = []
    var sharedKnown: [Bool] = []

    public init(sharedWeight: Float = 0.5, base: @escaping () throws -> any Recommender) {
        precondition(sharedWeight >= 0 && sharedWeight <= 1, "shared weight must be in [0, 1]")
        self.sharedWeight = sharedWeight
        self.makeBase = base
    }

    /// One base model per channel plus the shared one, each sized like a base fit on all data.
    public func estimatedFitBytes(users: Int, items: Int, interactions: Int) -> Int {
        guard let probe = try? makeBase() else { return 0 }
        let one = probe.estimatedFitBytes(users: users, items: items, interactions: interactions)
        // The number of channels is not known before the data is: the synthetic shop has 3.
        return MemoryBudget.product(one, 4)
    }

    public func fit(_ train: Interactions, context: FitContext) throws {
        guard let channels = train.channels else {
            throw DataError(.invalidArgument, message: "\(name) needs data with a channel column (app, web, store …); this dataset has none")
        }
        let all = try makeBase()
        try all.fit(train, context: context)
        var perChannel: [any Recommender] = []
        var counts = [[Int32]](repeating: [Int32](repeating: 0, count: channels.labels.count), count: train.userCount)
        for r in 0..<train.count { counts[Int(train.user[r])][Int(channels.codes[r])] += 1 }
        for (c, label) in channels.labels.enumerated() {
            try context.checkCancelled()
            let rows = train.rowIndices { channels.codes[$0] == UInt16(c) }
            let m = try makeBase()
            if rows.isEmpty {
                throw DataError(.invalidArgument, message: "\(name): channel \"\(label)\" has no events to fit on")
            }
            do { try m.fit(train.selecting(rows: rows), context: context) }
            catch let e as DataError { throw DataError(e.kind, message: "\(name), channel \"\(label)\": \(e.message)") }
            perChannel.append(m)
        }
        shared = all
        channelModels = perChannel
        channelLabels = channels.labels
        mainChannel = counts.map { row in
            var best: Int32 = -1, most: Int32 = 0
            for (c, n) in row.enumerated() where n > most { best = Int32(c); most = n }
            return best
        }
        userCount = train.userCount; itemCount = train.itemCount
        trainingItems = TrainingItems(train)
        cacheKnown()
    }

    private func cacheKnown() {
        let items = (0..<Int32(itemCount))
        known = channelModels.map { m in items.map { m.knows(item: $0) } }
        sharedKnown = shared.map { m in items.map { m.knows(item: $0) } } ?? []
    }

    public func knows(item: Int32) -> Bool { shared?.knows(item: item) ?? false }

    /// The index of `label` among the channels.
    public func channel(named label: String) throws -> Int {
        guard let c = channelLabels.firstIndex(of: label) else {
            throw DataError(.invalidArgument, message: "no channel \"\(label)\" (the model has: \(channelLabels.joined(separator: ", ")))")
        }
        return c
    }

    /// Scores of `user` on `channel` (nil: the user's main channel).
    public func scoreAll(user: Int32, channel: Int?, into scores: UnsafeMutableBufferPointer<Float>) {
        let n = itemCount
        precondition(scores.count == n, "score buffer must have itemCount elements")
        guard let shared else { for i in 0..<n { scores[i] = .nan }; return }
        let c = channel ?? (Int(user) < mainChannel.count ? Int(mainChannel[Int(user)]) : -1)
        let w = c < 0 ? 1 : sharedWeight
        let part = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        defer { part.deallocate() }
        ChannelModel.normalizedScores(shared, sharedKnown, user: user, into: scores)
        for i in 0..<n { scores[i] *= w }
        if w < 1 {
            ChannelModel.normalizedScores(channelModels[c], known[c], user: user, into: part)
            for i in 0..<n { scores[i] += (1 - w) * part[i] }
        }
    }

    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        scoreAll(user: user, channel: nil, into: scores)
    }

    /// min–max scaled into [0, 1] over the items `known` marks; 0 for the others and for
    /// non-finite scores (0 everywhere when all scores are equal).
    static func normalizedScores(_ m: any Recommender, _ known: [Bool], user: Int32, into s: UnsafeMutableBufferPointer<Float>) {
        m.scoreAll(user: user, into: s)
        var lo = Float.infinity, hi = -Float.infinity
        for i in 0..<s.count where known[i] && s[i].isFinite { lo = min(lo, s[i]); hi = max(hi, s[i]) }
        let range = hi - lo
        for i in 0..<s.count { s[i] = known[i] && s[i].isFinite && range > 0 ? (s[i] - lo) / range : 0 }
    }

    /// The parts of a channel's score: the channel model's and the shared model's weighted,
    /// normalised scores (they sum to the score).
    public func explain(user: Int32, item: Int32, channel: Int?) -> Explanation {
        let n = itemCount
        guard let shared, item >= 0 && Int(item) < n else { return Explanation(user: user, item: item, score: .nan, contributions: []) }
        let c = channel ?? (Int(user) < mainChannel.count ? Int(mainChannel[Int(user)]) : -1)
        let w = c < 0 ? 1 : sharedWeight
        let part = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        defer { part.deallocate() }
        ChannelModel.normalizedScores(shared, sharedKnown, user: user, into: part)
        let sharedPart = w * part[Int(item)]
        var parts = [Explanation.Contribution(.model("shared (all channels)"), sharedPart)]
        if c >= 0 {
            ChannelModel.normalizedScores(channelModels[c], known[c], user: user, into: part)
            parts.append(.init(.model("channel \(channelLabels[c])"), (1 - w) * part[Int(item)]))
        }
        parts.sort { abs($0.value) > abs($1.value) }
        return Explanation(user: user, item: item, score: parts.reduce(0) { $0 + $1.value }, contributions: parts)
    }

    public func explain(user: Int32, item: Int32) -> Explanation { explain(user: user, item: item, channel: nil) }

    /// Channel `c`'s recommender: scores, lists and explanations as shown on that channel.
    public func view(channel c: Int) -> ChannelView { ChannelView(model: self, channel: c) }
}

/// One channel of a fitted `ChannelModel`, as a recommender of its own (for `recommendAll`,
/// evaluation and consistency across channels).
public final class ChannelView: Recommender {
    public let model: ChannelModel
    public let channel: Int
    init(model: ChannelModel, channel: Int) { self.model = model; self.channel = channel }

    public var name: String { "\(model.name) (\(model.channelLabels[channel]))" }
    public var userCount: Int { model.userCount }
    public var itemCount: Int { model.itemCount }
    public var trainingItems: TrainingItems { model.trainingItems }
    public func fit(_ train: Interactions, context: FitContext) throws {
        throw DataError(.invalidArgument, message: "a channel's view is fitted through its channel model")
    }
    public func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        model.scoreAll(user: user, channel: channel, into: scores)
    }
    public func explain(user: Int32, item: Int32) -> Explanation { model.explain(user: user, item: item, channel: channel) }
    public func knows(item: Int32) -> Bool { model.knows(item: item) }
    public func estimatedFitBytes(users: Int, items: Int, interactions: Int) -> Int { 0 }
}

/// The shared model and each channel's model nested (`shared`, `channel.0` …) with the channel
/// labels and main channels; the base must be persistent.
extension ChannelModel: PersistentRecommender {
    public func savedState() throws -> ModelState {
        var s = ModelState()
        s.setShape(of: self)
        s.set("channels", channelLabels)
        s.set("mainChannel", mainChannel)
        for (key, m) in [("shared", shared)] + channelModels.enumerated().map({ ("channel.\($0.offset)", $0.element) }) {
            guard let p = m as? PersistentRecommender else {
                throw DataError(.invalidArgument, message: "\(name): its base model (\(m?.name ?? "unfitted")) cannot be saved")
            }
            s.set(key, try p.savedState())
        }
        return s
    }

    public func restore(_ state: ModelState, training: Interactions) throws {
        let seen = try state.checkShape(training, model: name)
        let labels = try state.strings("channels")
        guard let channels = training.channels, channels.labels == labels else {
            throw PayloadError("model state: \(name) was saved for channels [\(labels.joined(separator: ", "))], the data has [\((training.channels?.labels ?? []).joined(separator: ", "))]")
        }
        let main = try state.int32s("mainChannel", count: training.userCount)
        guard main.allSatisfy({ $0 >= -1 && Int($0) < labels.count }) else { throw PayloadError("model state: \(name) main channels out of range") }
        // Every part restored into a fresh base before any is installed.
        func part(_ key: String, _ data: Interactions) throws -> any Recommender {
            let m = try makeBase()
            guard let p = m as? PersistentRecommender else { throw PayloadError("model state: \(name)'s base model cannot be restored") }
            try p.restore(try state.nested(key), training: data)
            return m
        }
        let all = try part("shared", training)
        let perChannel = try labels.indices.map { c in
            try part("channel.\(c)", training.selecting(rows: training.rowIndices { channels.codes[$0] == UInt16(c) }))
        }
        shared = all; channelModels = perChannel; channelLabels = labels; mainChannel = main
        userCount = training.userCount; itemCount = training.itemCount
        trainingItems = seen
        cacheKnown()
    }
}

extension ChannelModel {
    public static let kind = ModelKind(
        "channel_model", summary: "One list per channel (app, web, store): a base model fitted per channel, blended with the same model fitted on all channels.",
        details: """
        A user's score on channel c is (1 − w)·norm(channel c's model) + w·norm(shared model), scores min–max normalized per
        user, w = shared_weight. w = 1: identical lists on every channel; w = 0: each channel's lists from its own events only.
        recommend and predict use the user's main channel; recommend_all(m, channel: "app") gives one channel's lists, and
        evaluate(m, test, by: "channel") scores each channel's test events against that channel's lists.
        """,
        paper: "Burke, Hybrid recommender systems, UMUAI 2002 (the weighted blend); Webber, Moffat & Zobel, A similarity measure for indefinite rankings, TOIS 2010 (measuring consistency)",
        parameters: [
            HyperParameter("base", .model, default: .none, doc: "the model fitted per channel and on all channels").required(),
            HyperParameter("shared_weight", .double(min: 0, max: 1, minExclusive: false), default: .double(0.5),
                           doc: "w: weight of the all-channel model (1: same list everywhere, 0: channel-specific)",
                           search: [.double(0), .double(0.25), .double(0.5), .double(0.75), .double(1)]),
        ],
        input: { c in
            var input = c.model("base").input
            input.channels = true
            return input
        },
        capabilities: { c in
            var caps: ModelCapabilities = [.ranks, .explains]
            if c.model("base").capabilities.contains(.persistent) { caps.insert(.persistent) }
            return caps
        },
        check: { _ throws(ModelConfigError) in },
        make: { c in
            let base = c.model("base")
            return ChannelModel(sharedWeight: c.float("shared_weight")) { try base.make() }
        })
}
