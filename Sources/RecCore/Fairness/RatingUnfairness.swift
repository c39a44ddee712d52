// The rating unfairness measures of Yao & Huang, "Beyond Parity: Fairness Objectives for
// Collaborative Filtering", NeurIPS 2017 (§3, eqs. 3–7). For a disadvantaged user group g and the
// rest ¬g, with E_g[y]_j the mean prediction and E_g[r]_j the mean true rating of item j over
// g's ratings of j, and n the items rated by both groups:
//
//     U_val   = 1/n Σ_j | (E_g[y]_j − E_g[r]_j) − (E_¬g[y]_j − E_¬g[r]_j) |
//     U_abs   = 1/n Σ_j | |E_g[y]_j − E_g[r]_j| − |E_¬g[y]_j − E_¬g[r]_j| |
//     U_under = 1/n Σ_j | max{0, E_g[r]_j − E_g[y]_j} − max{0, E_¬g[r]_j − E_¬g[y]_j} |
//     U_over  = 1/n Σ_j | max{0, E_g[y]_j − E_g[r]_j} − max{0, E_¬g[y]_j − E_¬g[r]_j} |
//     U_par   = | E_g[y] − E_¬g[y] |          (the mean predictions over each group's ratings)
//
// Every measure is symmetric in g and ¬g, so which group is "disadvantaged" does not matter.
// Items rated by only one group have no difference to compare and are left out of n (the paper
// assumes both groups rate every item).

/// The five measures over the test ratings of two user groups.
public struct RatingUnfairness: Sendable, Equatable {
    public let value: Double
    public let absolute: Double
    public let under: Double
    public let over: Double
    public let nonParity: Double
    /// Items rated by both groups (n).
    public let items: Int
}

extension Metrics {
    /// Yao & Huang's measures from test rows (user, item, prediction, true rating) and each
    /// user's side: true for g, false for ¬g, nil for users in neither (skipped).
    public static func ratingUnfairness(users: [Int32], items: [Int32], predictions: [Double], truth: [Double],
                                        inGroup: (Int32) -> Bool?) -> RatingUnfairness {
        precondition(users.count == items.count && items.count == predictions.count && predictions.count == truth.count,
                     "columns differ in length")
        // Per item and side: Σ prediction, Σ truth, count.
        var sums: [Int32: [(y: Double, r: Double, n: Double)]] = [:]
        var overall = [(0.0, 0.0), (0.0, 0.0)]
        for j in users.indices {
            guard let g = inGroup(users[j]) else { continue }
            let side = g ? 0 : 1
            var s = sums[items[j]] ?? [(0, 0, 0), (0, 0, 0)]
            s[side].y += predictions[j]; s[side].r += truth[j]; s[side].n += 1
            sums[items[j]] = s
            overall[side].0 += predictions[j]; overall[side].1 += 1
        }
        var val = 0.0, abso = 0.0, under = 0.0, over = 0.0, n = 0
        for key in sums.keys.sorted() {
            let s = sums[key]!
            guard s[0].n > 0 && s[1].n > 0 else { continue }
            let dg = s[0].y / s[0].n - s[0].r / s[0].n, dn = s[1].y / s[1].n - s[1].r / s[1].n
            val += abs(dg - dn)
            abso += abs(abs(dg) - abs(dn))
            under += abs(max(0, -dg) - max(0, -dn))
            over += abs(max(0, dg) - max(0, dn))
            n += 1
        }
        let par = overall[0].1 > 0 && overall[1].1 > 0 ? abs(overall[0].0 / overall[0].1 - overall[1].0 / overall[1].1) : .nan
        let d = n > 0 ? Double(n) : .nan
        return RatingUnfairness(value: val / d, absolute: abso / d, under: under / d, over: over / d, nonParity: par, items: n)
    }
}

extension Metrics {
    /// Yao & Huang's two sides from a user attribute's labels: 0 for users in `group` (g), 1 for
    /// the others (¬g), −1 for users without a value. Without `group`, the attribute must have
    /// exactly two values and g is the first in natural order.
    public static func fairnessSides(labels: [String], attribute: String, group: String?, users: Int) throws -> [Int8] {
        let groups = Array(Set(labels.filter { $0 != "(missing)" })).sorted(by: naturalLess)
        let g: String
        if let group {
            guard groups.contains(group) else {
                throw DataError(.invalidArgument, message: "no group '\(group)' in '\(attribute)' (groups: \(groups.prefix(10).joined(separator: ", ")))")
            }
            g = group
        } else {
            guard groups.count == 2 else {
                throw DataError(.invalidArgument, message: "fairness compares two user groups, but '\(attribute)' has \(groups.count) (\(groups.prefix(10).joined(separator: ", "))); name one with group: to compare it with all other users")
            }
            g = groups[0]
        }
        return (0..<users).map { u in
            guard u < labels.count, labels[u] != "(missing)" else { return -1 }
            return labels[u] == g ? 0 : 1
        }
    }
}
