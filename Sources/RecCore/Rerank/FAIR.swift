// FA*IR, Zehlike, Bonchi, Castillo, Hajian, Megahed & Baeza-Yates, "FA*IR: A Fair Top-k Ranking
// Algorithm", CIKM 2017. A ranking satisfies ranked group fairness with minimum proportion p and
// significance α when every prefix of length i holds at least
//
//     m(i) = F⁻¹(α; i, p)     (the α-quantile of Binomial(i, p): the smallest m with F(m; i, p) > α)
//
// protected items (Definition 3.1 and Table 2). Testing k prefixes at level α rejects a fair
// ranking more often than α, so the paper adjusts α to α_c such that the probability that a
// ranking drawn from the fair Bernoulli(p) process fails some prefix test is α (§4.2, Algorithm 1
// "AdjustSignificance"): α_c is found by bisection, the failure probability of an m-table computed
// exactly here by dynamic programming over the number of protected items, and of the tables the
// bisection brackets, the one whose failure probability is closest to α is kept (as the authors'
// fairsearch library does). The re-ranking (Algorithm 2) takes the best remaining protected
// candidate whenever the prefix would fall below m(i), the best remaining candidate otherwise.

import Foundation

public enum FAIR {
    /// The binomial CDF F(x; n, p) = Σ_{j ≤ x} C(n, j) p^j (1 − p)^(n − j).
    static func binomialCDF(_ x: Int, _ n: Int, _ p: Double) -> Double {
        guard x >= 0 else { return 0 }
        guard x < n else { return 1 }
        var term = pow(1 - p, Double(n)), sum = term
        if p >= 1 { return 0 }
        for j in 0..<x {
            term *= Double(n - j) / Double(j + 1) * p / (1 - p)
            sum += term
        }
        return min(1, sum)
    }

    /// m(1…k) at significance `alpha` without adjustment: m(i) = smallest m with F(m; i, p) > α
    /// (F(m) ≥ α, scipy's ppf, at exact equality).
    public static func mtable(k: Int, p: Double, alpha: Double) -> [Int] {
        precondition(k >= 1 && p > 0 && p < 1 && alpha > 0 && alpha < 1, "k ≥ 1, p and alpha in (0, 1)")
        return (1...k).map { i in
            var m = 0
            while m < i && binomialCDF(m, i, p) < alpha { m += 1 }
            return m
        }
    }

    /// The probability that a ranking whose items are protected independently with probability p
    /// fails the table somewhere: 1 − P(for every i, #protected in the first i ≥ m(i)).
    public static func failureProbability(_ mtable: [Int], p: Double) -> Double {
        var dist = [1.0]                  // dist[c] = P(c protected so far, all prefixes passed)
        for need in mtable {
            var next = [Double](repeating: 0, count: dist.count + 1)
            for (c, pr) in dist.enumerated() where pr > 0 {
                next[c] += pr * (1 - p)
                next[c + 1] += pr * p
            }
            for c in 0..<min(need, next.count) { next[c] = 0 }
            dist = next
        }
        return max(0, 1 - dist.reduce(0, +))
    }

    /// α_c and its table: the adjusted significance for k prefix tests (see the file comment).
    public static func adjustedMtable(k: Int, p: Double, alpha: Double) -> (alpha: Double, mtable: [Int], failureProbability: Double) {
        typealias Candidate = (alpha: Double, mtable: [Int], fail: Double, mass: Int)
        func at(_ a: Double) -> Candidate {
            let t = a > 0 ? mtable(k: k, p: p, alpha: a) : [Int](repeating: 0, count: k)
            return (a, t, failureProbability(t, p: p), t.reduce(0, +))
        }
        var lo = at(0), hi = at(alpha), mid = at(alpha / 2)
        func closest(_ cs: [Candidate]) -> Candidate {
            cs.min { abs($0.fail - alpha) < abs($1.fail - alpha) }!
        }
        while lo.mass < hi.mass && mid.fail != alpha {
            if mid.fail < alpha { lo = mid } else { hi = mid }
            mid = at((lo.alpha + hi.alpha) / 2)
            if hi.mass - lo.mass == 1 || hi.alpha - lo.alpha <= 1e-16 { let c = closest([lo, hi]); return (c.alpha, c.mtable, c.fail) }
            if hi.mass - mid.mass == 1 && mid.mass - lo.mass == 1 { let c = closest([mid, lo, hi]); return (c.alpha, c.mtable, c.fail) }
        }
        return (mid.alpha, mid.mtable, mid.fail)
    }

    /// Whether `protected` (in rank order) satisfies `mtable` at every prefix.
    public static func satisfies(_ protected: [Bool], _ mtable: [Int]) -> Bool {
        var count = 0
        for (i, p) in protected.enumerated() {
            if p { count += 1 }
            if i < mtable.count && count < mtable[i] { return false }
        }
        return true
    }
}

/// FA*IR as a re-ranking objective: no gain of its own (within the constraint the model's order
/// is kept); the requirement forces a protected candidate wherever the prefix would fall short.
public struct FAIRObjective: RerankObjective {
    public var name: String { "fa*ir" }
    public let mtable: [Int]
    let isProtected: (Int32) -> Bool
    var items: [Int32] = []

    public init(mtable: [Int], isProtected: @escaping (Int32) -> Bool) {
        self.mtable = mtable; self.isProtected = isProtected
    }

    public mutating func begin(_ c: RerankCandidates) { items = c.items }
    public func gain(_ c: Int, placed: [Int]) -> Double { 0 }

    public func requirement(placed: [Int]) -> RerankRequirement? {
        let i = placed.count
        guard i < mtable.count else { return nil }
        let have = placed.filter { isProtected(items[$0]) }.count
        guard have < mtable[i] else { return nil }
        let its = items, prot = isProtected
        return RerankRequirement(eligible: { prot(its[$0]) },
                                 reason: "to meet the protected-group minimum (\(mtable[i]) by rank \(i + 1))")
    }

    public func why(_ c: Int, placed: [Int]) -> String { "protected" }
}
