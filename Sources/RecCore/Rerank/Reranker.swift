// One greedy re-ranking skeleton shared by every re-ranker (MMR, calibration, FA*IR, provider
// exposure, user-group fairness). Each user's candidates (the model's top N, best first) are
// re-ranked position by position: at each position the skeleton takes the remaining candidate
// with the best
//
//     (1 − λ) · rel(c) + λ · gain(c | items already placed)
//
// where rel is the model's score min–max scaled to [0, 1] over the user's candidates and λ is the
// weight; an objective may restrict which candidates are eligible at a position (FA*IR's minimum
// of protected items). This is the greedy form of Carbonell & Goldstein's MMR (SIGIR 1998) and of
// Steck's calibration (RecSys 2018); objectives that follow the whole set of lists (exposure of
// item groups, quality of user groups) keep state across users, which are processed in the
// order given. Ties go to the candidate the model ranked higher, so the result is deterministic.

import Foundation

/// One user's candidates, best first, with the model's scores.
public struct RerankCandidates: Sendable {
    public let user: Int32
    public let items: [Int32]
    public let scores: [Double]

    public init(user: Int32, items: [Int32], scores: [Double]) {
        precondition(items.count == scores.count, "items and scores differ in length")
        self.user = user; self.items = items; self.scores = scores
    }
}

/// A re-ranked list: items, their model scores, and why each item sits where it does.
public struct RerankedList: Sendable, Equatable {
    public let user: Int32
    public let items: [Int32]
    public let scores: [Double]
    /// One per item: "" when the item kept its model rank, else what moved it.
    public let reasons: [String]
}

/// A rule that restricts the next position to some candidates.
public struct RerankRequirement {
    public let eligible: (Int) -> Bool
    /// Why, for the reason column ("to meet the protected-group minimum (2 by rank 7)").
    public let reason: String

    public init(eligible: @escaping (Int) -> Bool, reason: String) {
        self.eligible = eligible; self.reason = reason
    }
}

/// What a re-ranking method adds to relevance. Candidates are referred to by their index in the
/// user's candidate list.
public protocol RerankObjective {
    /// A short name for messages ("mmr").
    var name: String { get }
    /// Called once with every user's candidates before any list is built.
    mutating func prepare(_ all: [RerankCandidates])
    /// Called when a user's list starts.
    mutating func begin(_ c: RerankCandidates)
    /// The gain of placing candidate `c` next, given `placed` (indices, in order).
    func gain(_ c: Int, placed: [Int]) -> Double
    /// A restriction of the next position (nil: any remaining candidate).
    func requirement(placed: [Int]) -> RerankRequirement?
    /// What the gain of `c` means, for an item the objective moved up.
    func why(_ c: Int, placed: [Int]) -> String
    /// Called when a user's list is complete.
    mutating func end(placed: [Int])
}

extension RerankObjective {
    public mutating func prepare(_ all: [RerankCandidates]) {}
    public func requirement(placed: [Int]) -> RerankRequirement? { nil }
    public mutating func end(placed: [Int]) {}
}

public enum Rerank {
    /// Re-ranks every user's candidates into a list of at most `k` items with weight `lambda` in
    /// [0, 1] (0 keeps the model's order, except where a requirement forces a change).
    /// `cancellation` is polled between users.
    public static func rerank<O: RerankObjective>(_ all: [RerankCandidates], k: Int, lambda: Double, objective: O,
                                                  cancellation: Cancellation = .none) throws -> [RerankedList] {
        precondition(k > 0 && lambda >= 0 && lambda <= 1, "k must be positive and the weight in [0, 1]")
        var objective = objective
        objective.prepare(all)
        var out: [RerankedList] = []
        out.reserveCapacity(all.count)
        for (n, cands) in all.enumerated() {
            if n % 64 == 0 { try cancellation.check() }
            let rel = scaled(cands.scores)
            objective.begin(cands)
            var placed: [Int] = [], reasons: [String] = []
            var remaining = Array(cands.items.indices)
            while placed.count < k && !remaining.isEmpty {
                let req = objective.requirement(placed: placed)
                var pool = remaining
                if let req {
                    let eligible = remaining.filter(req.eligible)
                    if !eligible.isEmpty { pool = eligible }
                }
                var best = pool[0], bestValue = -Double.infinity
                for c in pool {
                    let v = (1 - lambda) * rel[c] + (lambda > 0 ? lambda * objective.gain(c, placed: placed) : 0)
                    if v > bestValue { best = c; bestValue = v }     // strict: ties keep the model's order
                }
                let position = placed.count
                var reason = ""
                if best > position {
                    if let req, pool.count < remaining.count, req.eligible(best), best != remaining.min() {
                        reason = "moved up from \(best + 1) \(req.reason)"
                    } else if best != remaining.min() {
                        reason = "moved up from \(best + 1): \(objective.why(best, placed: placed))"
                    } else {
                        reason = "moved up from \(best + 1): items above it were moved down"
                    }
                } else if best < position {
                    reason = "moved down from \(best + 1): items below it were moved up"
                }
                placed.append(best)
                reasons.append(reason)
                remaining.removeAll { $0 == best }
            }
            objective.end(placed: placed)
            out.append(RerankedList(user: cands.user, items: placed.map { cands.items[$0] },
                                    scores: placed.map { cands.scores[$0] }, reasons: reasons))
        }
        return out
    }

    /// Scores min–max scaled to [0, 1] (all 1 when they are equal; non-finite ones 0).
    public static func scaled(_ s: [Double]) -> [Double] {
        let finite = s.filter { $0.isFinite }
        guard let lo = finite.min(), let hi = finite.max() else { return s.map { _ in 0 } }
        return s.map { $0.isFinite ? (hi > lo ? ($0 - lo) / (hi - lo) : 1) : 0 }
    }

    /// The position weight of exposure, 1 / log2(rank + 1) for rank = position + 1 (as in NDCG
    /// and `exposure`).
    @inline(__always)
    public static func positionWeight(_ position: Int) -> Double { 1 / log2(Double(position) + 2) }
}
