// Paired significance tests over per-user scores of two models: Student's paired t-test and the
// Wilcoxon signed-rank test (exact for up to 25 non-zero differences, normal approximation above).

import Foundation

/// Result of a paired t-test on a − b.
public struct PairedTTest: Sendable, Equatable {
    /// Number of pairs.
    public let n: Int
    /// Mean of the differences a − b.
    public let meanDifference: Double
    /// t = mean(d) / (sd(d) / √n).
    public let t: Double
    /// n − 1.
    public let degreesOfFreedom: Double
    /// Two-sided p-value.
    public let pValue: Double
}

/// Result of a Wilcoxon signed-rank test on a − b.
public struct WilcoxonTest: Sendable, Equatable {
    /// Non-zero differences (the pairs the test uses).
    public let n: Int
    /// Zero differences dropped.
    public let zeros: Int
    /// Rank sums of the positive and of the negative differences (average ranks for ties).
    public let wPlus: Double
    public let wMinus: Double
    /// Whether the p-value comes from the exact null distribution (n ≤ 25) or the normal approximation.
    public let exact: Bool
    /// For the normal approximation, (W+ − n(n+1)/4 ∓ ½) / σ with the tie-corrected σ
    /// (positive when a tends to exceed b); nil for the exact test.
    public let z: Double?
    /// Two-sided p-value.
    public let pValue: Double

    /// min(W+, W−), the statistic scipy reports for the two-sided test.
    public var statistic: Double { min(wPlus, wMinus) }
}

/// Paired significance tests and the distribution functions behind them.
public enum Significance {
    /// Largest n (non-zero differences) for which `wilcoxon` uses the exact distribution.
    public static let wilcoxonExactLimit = 25

    /// Paired t-test of the differences a − b (NaN statistic and p-value for fewer than two pairs
    /// or when every difference is the same value 0; p = 0 when they are the same non-zero value).
    public static func pairedTTest(_ a: [Double], _ b: [Double]) -> PairedTTest {
        precondition(a.count == b.count, "paired samples differ in length")
        let n = a.count
        guard n > 0 else { return PairedTTest(n: 0, meanDifference: .nan, t: .nan, degreesOfFreedom: .nan, pValue: .nan) }
        var mean = 0.0
        for j in 0..<n { mean += a[j] - b[j] }
        mean /= Double(n)
        let df = Double(n - 1)
        guard n > 1 else { return PairedTTest(n: n, meanDifference: mean, t: .nan, degreesOfFreedom: df, pValue: .nan) }
        var ss = 0.0
        for j in 0..<n { let e = a[j] - b[j] - mean; ss += e * e }
        let se = (ss / df / Double(n)).squareRoot()
        let t = mean / se        // ±∞ when se = 0 and mean ≠ 0, NaN when both are 0
        let p = t.isNaN ? .nan : regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
        return PairedTTest(n: n, meanDifference: mean, t: t, degreesOfFreedom: df, pValue: p)
    }

    /// Paired t-test on the users both metrics define (values a − b per user).
    public static func pairedTTest(_ a: PerUserMetric, _ b: PerUserMetric) -> PairedTTest {
        let p = a.paired(with: b)
        return pairedTTest(p.a, p.b)
    }

    /// Wilcoxon signed-rank test of a − b: zero differences dropped, |d| ranked with average ranks
    /// for ties. For n ≤ 25 the p-value is exact: the distribution of W+ over all 2^n sign
    /// assignments of the (tied) ranks, by dynamic programming over doubled ranks. Above, the normal
    /// approximation with tie-corrected variance and a continuity correction of ½.
    /// NaN p-value when every difference is zero.
    public static func wilcoxon(_ a: [Double], _ b: [Double]) -> WilcoxonTest {
        precondition(a.count == b.count, "paired samples differ in length")
        var d = [Double]()
        d.reserveCapacity(a.count)
        for j in a.indices where a[j] != b[j] { d.append(a[j] - b[j]) }
        let n = d.count, zeros = a.count - n
        guard n > 0 else {
            return WilcoxonTest(n: 0, zeros: zeros, wPlus: 0, wMinus: 0, exact: true, z: nil, pValue: .nan)
        }
        // Doubled average ranks are integers: a run of ties at positions i...j (1-based) has rank (i+j)/2.
        let order = d.indices.sorted { abs(d[$0]) < abs(d[$1]) }
        var rank2 = [Int](repeating: 0, count: n)
        var tieTerm = 0.0                     // Σ (t³ − t) over tie runs
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && abs(d[order[end]]) == abs(d[order[start]]) { end += 1 }
            for j in start..<end { rank2[order[j]] = start + 1 + end }
            let t = Double(end - start)
            tieTerm += t * t * t - t
            start = end
        }
        var plus2 = 0
        for j in 0..<n where d[j] > 0 { plus2 += rank2[j] }
        let total2 = n * (n + 1)              // doubled Σ ranks
        let wPlus = Double(plus2) / 2, wMinus = Double(total2 - plus2) / 2

        if n <= wilcoxonExactLimit {
            // ways[s] = number of sign assignments whose doubled W+ is s.
            var ways = [Double](repeating: 0, count: total2 + 1)
            ways[0] = 1
            var reach = 0
            for r in rank2 {
                reach += r
                for s in stride(from: reach, through: r, by: -1) { ways[s] += ways[s - r] }
            }
            let all = pow(2, Double(n))
            let lower = ways[0...plus2].reduce(0, +) / all
            let upper = ways[plus2...].reduce(0, +) / all
            return WilcoxonTest(n: n, zeros: zeros, wPlus: wPlus, wMinus: wMinus, exact: true, z: nil,
                                pValue: min(1, 2 * min(lower, upper)))
        }
        let nn = Double(n)
        let mean = nn * (nn + 1) / 4
        let sd = (nn * (nn + 1) * (2 * nn + 1) / 24 - tieTerm / 48).squareRoot()
        var diff = wPlus - mean
        diff -= diff > 0 ? 0.5 : diff < 0 ? -0.5 : 0
        let z = diff / sd
        return WilcoxonTest(n: n, zeros: zeros, wPlus: wPlus, wMinus: wMinus, exact: false, z: z,
                            pValue: min(1, 2 * normalCDF(-abs(z))))
    }

    /// Wilcoxon signed-rank test on the users both metrics define.
    public static func wilcoxon(_ a: PerUserMetric, _ b: PerUserMetric) -> WilcoxonTest {
        let p = a.paired(with: b)
        return wilcoxon(p.a, p.b)
    }

    /// Standard normal CDF Φ(z) = erfc(−z/√2)/2.
    public static func normalCDF(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// Student t CDF with `df` degrees of freedom: for t ≥ 0, 1 − ½ I_{df/(df+t²)}(df/2, ½).
    public static func studentTCDF(_ t: Double, degreesOfFreedom df: Double) -> Double {
        guard !t.isNaN, df > 0 else { return .nan }
        let tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// Regularized incomplete beta I_x(a, b) by the continued fraction of Numerical Recipes
    /// (betai/betacf, modified Lentz), using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) where it
    /// converges faster.
    public static func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        precondition(a > 0 && b > 0, "a and b must be positive")
        if x.isNaN { return .nan }
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x))
        if x < (a + 1) / (a + b + 2) {
            return front * betaContinuedFraction(x, a, b) / a
        }
        return 1 - front * betaContinuedFraction(1 - x, b, a) / b
    }

    /// Numerical Recipes' betacf: the continued fraction for I_x(a, b), evaluated by modified Lentz.
    static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300, eps = 1e-16
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...1000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < eps { break }
        }
        return h
    }
}
