// The privacy ledger: what each differentially private release spent, per dataset.
//
// Under sequential composition (Dwork et al. 2006; Dwork & Roth 2014, Thm. 3.16) releases of
// (ε₁, δ₁), (ε₂, δ₂), … about the same people together cost at most (Σεᵢ, Σδᵢ). The ledger
// sums exactly that — the basic, conservative bound — per population: the users of a dataset.
// A split keeps its dataset's user ID space, so a fit on `split.train` is charged to the same
// people as one on the whole dataset (`populationKey`); `datasetFingerprint` records exactly
// which rows a release read.

import Foundation

/// What a differentially private fit costs, declared by the model before it reads the data.
public struct PrivacyCost: Sendable, Equatable {
    public var mechanism: String
    public var epsilon: Double
    public var delta: Double
    public init(mechanism: String, epsilon: Double, delta: Double = 0) {
        self.mechanism = mechanism; self.epsilon = epsilon; self.delta = delta
    }
}

/// A model whose fit is a differentially private release of its training data.
public protocol DifferentiallyPrivate: Recommender {
    /// The (ε, δ) one fit spends and the mechanism it uses.
    var privacyCost: PrivacyCost { get }
}

/// One release, as recorded.
public struct PrivacySpend: Sendable, Equatable {
    public var population: String
    public var datasetFingerprint: String
    public var model: String
    public var mechanism: String
    public var epsilon: Double
    public var delta: Double
    /// ISO 8601, UTC.
    public var time: String
    public var script: String?

    public init(population: String, datasetFingerprint: String, model: String, mechanism: String, epsilon: Double,
                delta: Double, time: String, script: String?) {
        self.population = population; self.datasetFingerprint = datasetFingerprint; self.model = model
        self.mechanism = mechanism; self.epsilon = epsilon; self.delta = delta; self.time = time; self.script = script
    }

    public static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}

extension Interactions {
    /// The people a dataset is about: a hash of its user ID space (count and every key, FNV-1a).
    /// Filters and splits keep the ID space, so they share it with the dataset they came from.
    public var populationKey: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func mix(_ x: UInt64) { h = (h ^ x) &* 0x0000_0100_0000_01B3 }
        mix(UInt64(userCount))
        for u in 0..<userCount {
            for b in users.key(at: u).utf8 { mix(UInt64(b)) }
            mix(0xff)
        }
        return "\(userCount)u-" + String(h, radix: 16)
    }
}

/// Spending and budgets for a session without a workspace (a workspace keeps its own, on disk).
public final class PrivacyLedger: @unchecked Sendable {
    public private(set) var spends: [PrivacySpend] = []
    public private(set) var budgets: [String: Double] = [:]
    public init() {}

    public func record(_ s: PrivacySpend) { spends.append(s) }
    public func setBudget(population: String, epsilon: Double) { budgets[population] = epsilon }
    public func spends(population: String) -> [PrivacySpend] { spends.filter { $0.population == population } }

    /// The rule: a release that would take the total ε past the budget is refused before it runs.
    public static func check(spent: Double, budget: Double?, cost: PrivacyCost) throws {
        guard let budget else { return }
        // A tolerance for sums of decimal epsilons (0.1 + 0.2 ≠ 0.3 in binary).
        guard spent + cost.epsilon <= budget + 1e-9 else {
            throw DataError(.invalidArgument, message: String(format: "privacy budget exceeded: ε = %g already spent on this data, this fit needs ε = %g more, the budget is ε = %g", spent, cost.epsilon, budget))
        }
    }

    /// The spends as a table: time, model, mechanism, epsilon, delta, dataset, script.
    public static func table(_ spends: [PrivacySpend]) throws -> Table {
        try Table([
            ("time", Column(strings: spends.map(\.time))),
            ("model", Column(strings: spends.map(\.model))),
            ("mechanism", Column(strings: spends.map(\.mechanism))),
            ("epsilon", Column(doubles: spends.map(\.epsilon))),
            ("delta", Column(doubles: spends.map(\.delta))),
            ("dataset", Column(strings: spends.map(\.datasetFingerprint))),
            ("script", Column(optionalStrings: spends.map(\.script))),
        ])
    }
}
