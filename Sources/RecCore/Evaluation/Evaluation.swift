// Evaluating one model (or one set of recommendation lists produced elsewhere) on every requested
// metric, keeping the per-user values behind each mean for group breakdowns and paired tests.

import Foundation

/// Where the lists being evaluated come from.
public enum RecommendationSource {
    /// A fitted model: lists are its top-k for each evaluated user (training items excluded);
    /// rating and AUC metrics use its scores.
    case model(any Recommender)
    /// Lists produced elsewhere, one row per evaluated user (`EvaluationData.users` order);
    /// only list metrics apply.
    case lists(RecommendationLists)
}

/// One model's results: the mean of every metric and the per-user values behind it.
public struct ModelEvaluation: Sendable {
    public let name: String
    public let metrics: [MetricSpec]
    /// Parallel to `metrics`.
    public let values: [Double]
    /// Per-user values of every metric that averages over users (keyed by metric name).
    public let perUser: [String: PerUserMetric]
    /// The evaluated lists: row r belongs to `EvaluationData.users[r]`.
    public let lists: RecommendationLists
    /// Rating errors per test row with a value (for group RMSE): user, error.
    public let ratingErrors: (users: [Int32], errors: [Double])
    /// Things the reader should know (fallback predictions, users without lists …).
    public let notes: [String]

    public func value(_ metric: String) -> Double? {
        metrics.firstIndex { $0.description == metric }.map { values[$0] }
    }
}

public enum Evaluation {
    /// Evaluates `source` on `data`. `diversityLabels`, one label set per catalogue item, is
    /// needed by the intra-list diversity metric (e.g. item categories or genres). A request on
    /// `cancellation` stops it between batches of users and between metrics (throwing `Cancelled`);
    /// `progress(done, total)` follows the users whose lists are computed (the long part).
    public static func evaluate(_ source: RecommendationSource, name: String, data: EvaluationData,
                                metrics: [MetricSpec], diversityLabels: ItemSets? = nil,
                                longTailHead: Double = 0.2, cancellation: Cancellation = .none,
                                progress: ((Int, Int) -> Void)? = nil) throws -> ModelEvaluation {
        let maxK = metrics.compactMap(\.k).max() ?? 10
        var notes: [String] = []
        let lists: RecommendationLists
        var model: (any Recommender)? = nil
        switch source {
        case .model(let m):
            model = m
            guard m.itemCount > 0 else {
                throw DataError(.invalidArgument, message: "\(name) is not fitted: fit it before evaluating")
            }
            guard m.itemCount <= data.itemCount else {
                throw DataError(.invalidArgument, message: "\(name) was fitted on \(m.itemCount) items but the training data of this evaluation has \(data.itemCount): evaluate with the data the model was fitted on")
            }
            if metrics.contains(where: { $0.k != nil }) {
                lists = try m.recommendAll(users: data.users, k: maxK, cancellation: cancellation, progress: progress).lists
            } else {
                lists = RecommendationLists(data.users.map { _ in [] })
            }
        case .lists(let l):
            lists = l
            if let m = metrics.first(where: { $0.kind.needsPredictions || $0.kind.needsScores }) {
                throw DataError(.invalidArgument, message: "\(m) needs a model's scores; recommendation lists alone support only list metrics")
            }
        }

        var values: [Double] = []
        var perUser: [String: PerUserMetric] = [:]
        var topN: [Int: TopNResult] = [:]
        var ratingErrors: (users: [Int32], errors: [Double]) = ([], [])
        var predictions: (pred: [Double], truth: [Double])? = nil
        let toUsers = { (m: PerUserMetric) in PerUserMetric(users: m.users.map { data.users[Int($0)] }, values: m.values) }

        for spec in metrics {
            try cancellation.check()
            let k = spec.k ?? maxK
            switch spec.kind {
            case .rmse, .mae:
                guard let model else { continue }
                if predictions == nil {
                    guard !data.ratingRows.values.isEmpty else {
                        throw DataError(.invalidArgument, message: "\(spec) needs test data with values (ratings)")
                    }
                    let (p, fallbacks) = predict(model, data)
                    if let note = fallbacks.note(name: name) { notes.append(note) }
                    predictions = (p, data.ratingRows.values)
                    ratingErrors = (data.ratingRows.users, zip(p, data.ratingRows.values).map { $0 - $1 })
                }
                let (p, t) = predictions!
                values.append(spec.kind == .rmse ? Metrics.rmse(predictions: p, truth: t) : Metrics.mae(predictions: p, truth: t))
                let per = Metrics.ratingErrors(users: data.ratingRows.users, predictions: p, truth: t, userCount: data.test.userCount)
                perUser[spec.description] = spec.kind == .rmse ? per.rmse : per.mae
            case .precision, .recall, .f1, .hitRate, .mrr, .map, .ndcg:
                if topN[k] == nil { topN[k] = Metrics.topN(lists, relevant: data.relevant, k: k) }
                let r = topN[k]!
                let m: PerUserMetric
                switch spec.kind {
                case .precision: m = r.precision
                case .recall: m = r.recall
                case .f1: m = r.f1
                case .hitRate: m = r.hitRate
                case .mrr: m = r.reciprocalRank
                case .map: m = r.averagePrecision
                default: m = r.ndcg
                }
                values.append(m.mean)
                perUser[spec.description] = toUsers(m)
            case .auc:
                guard let model else { continue }
                let n = model.itemCount
                // Items the model does not know cannot be ranked: AUC is over the items it knows,
                // so the unknown ones are left out of the candidates as training items are.
                let unknown = model.unknownItems
                let known = ItemSets((0..<data.relevant.count).map { r in
                    data.relevant[r].filter { Int($0) < n && model.knows(item: $0) }
                })
                let training = ItemSets((0..<data.training.count).map { r in
                    (data.training[r].filter { Int($0) < n } + unknown).sorted()
                })
                let m = Metrics.auc(itemCount: n, training: training, relevant: known, parallel: model.concurrentScoring) { r, buf in
                    model.scoreAll(user: model.scoringIndex(user: data.users[r]), into: buf)
                }
                values.append(m.mean)
                perUser[spec.description] = toUsers(m)
            case .coverage, .gini, .entropy:
                let d = Metrics.distribution(lists, k: k, itemCount: data.itemCount)
                values.append(spec.kind == .coverage ? d.coverage : spec.kind == .gini ? d.gini : d.entropy)
            case .diversity:
                guard let labels = diversityLabels else {
                    throw DataError(.invalidArgument, message: "\(spec) needs an item attribute to measure diversity over (diversity: \"category\")")
                }
                let m = Metrics.intraListDiversity(lists, k: k, labels: labels)
                values.append(m.mean)
                perUser[spec.description] = toUsers(m)
            case .novelty:
                let m = Metrics.novelty(lists, k: k, popularity: data.popularity, userCount: max(1, data.train.userCount))
                values.append(m.mean)
                perUser[spec.description] = toUsers(m)
            case .arp:
                let m = Metrics.averagePopularity(lists, k: k, popularity: data.popularity)
                values.append(m.mean)
                perUser[spec.description] = toUsers(m)
            case .aplt:
                let tail = Metrics.longTailItems(popularity: data.popularity, headShare: longTailHead)
                let m = Metrics.longTailShare(lists, k: k, longTail: tail)
                values.append(m.mean)
                perUser[spec.description] = toUsers(m)
            case .personalization:
                values.append(Metrics.personalization(lists, k: k, itemCount: data.itemCount) ?? .nan)
            case .consistency:
                // A model without channels shows each user one list everywhere: consistency 1.
                guard let model else {
                    throw DataError(.invalidArgument, message: "\(spec) compares a model's lists across channels; recommendation lists alone have no channels (see consistency(table))")
                }
                let m: PerUserMetric
                if let cm = model as? ChannelModel {
                    m = try ChannelConsistency.measure(cm, users: data.users, k: k, cancellation: cancellation).perUser
                } else {
                    m = PerUserMetric(users: data.users, values: data.users.map { _ in 1 })
                }
                values.append(m.values.isEmpty ? .nan : m.values.reduce(0, +) / Double(m.values.count))
                perUser[spec.description] = m
            }
        }
        let empty = (0..<lists.count).filter { lists[$0].isEmpty }.count
        if empty > 0 && lists.count > 0 && metrics.contains(where: { $0.k != nil }) {
            notes.append("\(name): \(empty) of \(lists.count) evaluated users got an empty list")
        }
        return ModelEvaluation(name: name, metrics: metrics, values: values, perUser: perUser, lists: lists,
                               ratingErrors: ratingErrors, notes: notes)
    }

    /// How many test ratings were not predicted from what the model learned about both sides, and
    /// what they were predicted as instead.
    struct Fallbacks {
        /// Ratings of items the model does not know, of users it does not know (of known items),
        /// and of pairs it knows but gave no number for (NaN, or nil from a Rec model).
        var unknownItem = Count(), unknownUser = Count(), noScore = 0
        /// Predicted by the model's fallback (as a user or item without history), or as the
        /// training mean where it has none.
        struct Count { var withoutHistory = 0, mean = 0 }

        func note(name: String) -> String? {
            func how(_ c: Count, _ what: String) -> String {
                switch (c.withoutHistory, c.mean) {
                case (_, 0): return "as \(what) without history"
                case (0, _): return "the training mean"
                case let (h, m): return "\(h) as \(what) without history, \(m) the training mean"
                }
            }
            var parts: [String] = []
            let items = unknownItem.withoutHistory + unknownItem.mean, users = unknownUser.withoutHistory + unknownUser.mean
            if items > 0 { parts.append("\(items) for items it was not trained on (\(how(unknownItem, "items")))") }
            if users > 0 { parts.append("\(users) for users it was not trained on (\(how(unknownUser, "users")))") }
            if noScore > 0 { parts.append("\(noScore) it gave no prediction for (the training mean)") }
            guard !parts.isEmpty else { return nil }
            return "\(name): \(items + users + noScore) test rating(s) were predicted by the fallback: " + parts.joined(separator: ", ")
        }
    }

    /// The model's prediction for every test rating, clipped to the training range, with the
    /// fallbacks of `KnownIDs.swift`: a user or item the model does not know is scored as one
    /// without history (μ + b_i or μ + b_u in bias and factor models), and the training mean
    /// stands in where the model has no number. Returns the predictions and how many fell back.
    static func predict(_ model: any Recommender, _ data: EvaluationData) -> ([Double], Fallbacks) {
        let rows = data.ratingRows
        var pred = [Double](repeating: 0, count: rows.users.count)
        var fallbacks = Fallbacks()
        // One score call per user, for all of that user's test items.
        var byUser = [Int32: [Int]]()
        for j in rows.users.indices { byUser[rows.users[j], default: []].append(j) }
        for (u, js) in byUser {
            let knownUser = model.knows(user: u)
            let items = js.map { model.scoringIndex(item: rows.items[$0]) }
            let scores = model.score(user: model.scoringIndex(user: u), items: items)
            for (j, s) in zip(js, scores) {
                var p = Double(s)
                let finite = p.isFinite
                if !finite { p = data.globalMean }
                if !model.knows(item: rows.items[j]) {
                    if finite { fallbacks.unknownItem.withoutHistory += 1 } else { fallbacks.unknownItem.mean += 1 }
                } else if !knownUser {
                    if finite { fallbacks.unknownUser.withoutHistory += 1 } else { fallbacks.unknownUser.mean += 1 }
                } else if !finite {
                    fallbacks.noScore += 1
                }
                if let r = data.ratingRange { p = min(max(p, r.lowerBound), r.upperBound) }
                pred[j] = p
            }
        }
        return (pred, fallbacks)
    }
}

extension RecommendationLists {
    /// Rows of a list set, in the given order (for group breakdowns of catalogue metrics).
    public func rows(_ rows: [Int]) -> RecommendationLists {
        RecommendationLists(rows.map { Array(self[$0]) })
    }
}
