// Metric names as analysts write them ("ndcg@10", "rmse", "coverage") and what each needs.

/// One metric requested from an evaluation.
///
/// Ranking metrics take a cutoff (`ndcg@5`; without one the evaluation's `k`); rating metrics
/// (`rmse`, `mae`) and `auc` do not. Formulas: docs/metrics.md.
public struct MetricSpec: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case rmse, mae
        case precision, recall, f1, hitRate = "hit_rate", mrr, map, ndcg, auc
        case coverage, gini, entropy, diversity = "ild", novelty, arp, aplt
        case personalization, consistency
    }

    public let kind: Kind
    /// The cutoff of list metrics (nil for rmse, mae and auc).
    public let k: Int?

    public init(_ kind: Kind, k: Int?) {
        self.kind = kind
        self.k = kind.takesCutoff ? k : nil
    }

    /// The column name: `ndcg@10`, `rmse`.
    public var description: String { k.map { "\(kind.rawValue)@\($0)" } ?? kind.rawValue }

    static let aliases: [String: Kind] = [
        "hitrate": .hitRate, "hr": .hitRate, "hit": .hitRate, "reciprocal_rank": .mrr, "average_precision": .map,
        "catalogue_coverage": .coverage, "catalog_coverage": .coverage, "shannon": .entropy,
        "intra_list_diversity": .diversity, "diversity": .diversity, "self_information": .novelty,
        "popularity": .arp, "long_tail": .aplt, "long_tail_share": .aplt, "prec": .precision,
        "channel_consistency": .consistency,
    ]

    /// Parses `name` or `name@k`; unknown names get an error listing the known ones.
    public static func parse(_ text: String, defaultK: Int) throws -> MetricSpec {
        let parts = text.lowercased().split(separator: "@", omittingEmptySubsequences: false)
        let base = String(parts[0]).replacingOccurrences(of: "-", with: "_")
        guard let kind = Kind(rawValue: base) ?? aliases[base] else {
            throw DataError(.invalidArgument, message: "unknown metric '\(text)'; known: "
                            + Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var k = defaultK
        if parts.count == 2 {
            guard let c = Int(parts[1]), c > 0 else {
                throw DataError(.invalidArgument, message: "metric '\(text)': the cutoff after '@' must be a positive integer")
            }
            guard kind.takesCutoff else {
                throw DataError(.invalidArgument, message: "metric '\(base)' takes no cutoff")
            }
            k = c
        } else if parts.count > 2 {
            throw DataError(.invalidArgument, message: "metric '\(text)' has more than one '@'")
        }
        return MetricSpec(kind, k: k)
    }

    /// The metrics `evaluate` computes when none are named: accuracy of ratings when the test
    /// data has them, and the usual top-N set.
    public static func defaults(k: Int, ratings: Bool) -> [MetricSpec] {
        (ratings ? [MetricSpec(.rmse, k: nil), MetricSpec(.mae, k: nil)] : [])
            + [.precision, .recall, .ndcg, .mrr, .hitRate, .coverage].map { MetricSpec($0, k: k) }
    }
}

extension MetricSpec.Kind {
    /// Cut at k: every metric of the top-k lists.
    public var takesCutoff: Bool { !(self == .rmse || self == .mae || self == .auc) }
    /// Needs predicted ratings (a model, not just lists).
    public var needsPredictions: Bool { self == .rmse || self == .mae }
    /// Needs a score for every item (a model, not just lists).
    public var needsScores: Bool { self == .auc }
    /// Describes the whole set of lists rather than averaging per user.
    public var isCatalogueLevel: Bool { self == .coverage || self == .gini || self == .entropy || self == .personalization }
    /// Lower is better (for "best model" summaries and significance direction).
    public var lowerIsBetter: Bool { self == .rmse || self == .mae || self == .gini || self == .arp }
}
