import Foundation
import XCTest
@testable import RecCore

// Reference values from scipy 1.17.1, e.g.
//   python3 -c 'from scipy import stats; print(stats.ttest_rel(a, b)); print(stats.wilcoxon(a, b))'
// with the arrays below pasted in for a and b.
final class MetricsSignificanceTests: XCTestCase {
    let a1 = [0.5, 0.3, 0.8, 0.2, 0.6, 0.4, 0.9, 0.1]
    let b1 = [0.4, 0.35, 0.6, 0.1, 0.55, 0.45, 0.7, 0.05]

    func testPairedTTestAgainstScipy() {
        // stats.ttest_rel(a1, b1) → statistic=2.2013981571160284, pvalue=0.06359962262480938, df=7
        let t = Significance.pairedTTest(a1, b1)
        XCTAssertEqual(t.n, 8)
        XCTAssertEqual(t.degreesOfFreedom, 7)
        XCTAssertEqual(t.meanDifference, 0.075, accuracy: 1e-15)  // (0.1 − 0.05 + 0.2 + 0.1 + 0.05 − 0.05 + 0.2 + 0.05) / 8
        XCTAssertEqual(t.t, 2.2013981571160284, accuracy: 1e-12)
        XCTAssertEqual(t.pValue, 0.06359962262480938, accuracy: 1e-12)

        // stats.ttest_rel(a2, b2) → statistic=2.623869669267974, pvalue=0.023664682089217424, df=11
        let a2 = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, 0.7, 2.2, 1.1]
        let b2 = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29, 0.81, 1.5, 1.42]
        let t2 = Significance.pairedTTest(a2, b2)
        XCTAssertEqual(t2.t, 2.623869669267974, accuracy: 1e-12)
        XCTAssertEqual(t2.pValue, 0.023664682089217424, accuracy: 1e-12)

        // Swapping the samples flips t and keeps p.
        let swapped = Significance.pairedTTest(b1, a1)
        XCTAssertEqual(swapped.t, -t.t, accuracy: 1e-12)
        XCTAssertEqual(swapped.pValue, t.pValue, accuracy: 1e-15)
    }

    func testPairedTTestDegenerate() {
        // Identical samples: 0/0 → NaN (scipy also gives nan); a constant non-zero shift → p = 0.
        let same = Significance.pairedTTest([1, 2, 3], [1, 2, 3])
        XCTAssertTrue(same.t.isNaN)
        XCTAssertTrue(same.pValue.isNaN)
        let shift = Significance.pairedTTest([2, 3, 4], [1, 2, 3])
        XCTAssertEqual(shift.t, .infinity)
        XCTAssertEqual(shift.pValue, 0)
        XCTAssertTrue(Significance.pairedTTest([1], [0]).pValue.isNaN)
    }

    func testPairedTTestOnPerUserMetrics() {
        // Only users 0 and 2 are in both: differences 0.5 − 0.25 = 0.25 and 1 − 0.5 = 0.5.
        // mean 0.375, sd √(2 · 0.125² / 1) = 0.176777, se = sd/√2 = 0.125 → t = 3, df 1.
        let a = PerUserMetric(users: [0, 1, 2], values: [0.5, 0.9, 1])
        let b = PerUserMetric(users: [0, 2, 3], values: [0.25, 0.5, 0.1])
        let t = Significance.pairedTTest(a, b)
        XCTAssertEqual(t.n, 2)
        XCTAssertEqual(t.t, 3, accuracy: 1e-12)
        // two-sided p of t = 3 with 1 df: 1 − 2 atan(3)/π = 0.204833
        XCTAssertEqual(t.pValue, 1 - 2 * atan(3.0) / Double.pi, accuracy: 1e-12)
    }

    func testWilcoxonExactAgainstScipy() {
        // stats.wilcoxon(a1, b1) → statistic=5.0, pvalue=0.078125
        let w = Significance.wilcoxon(a1, b1)
        XCTAssertTrue(w.exact)
        XCTAssertEqual(w.n, 8)
        XCTAssertEqual(w.statistic, 5)
        XCTAssertEqual(w.wPlus + w.wMinus, 36)
        XCTAssertEqual(w.pValue, 0.078125, accuracy: 1e-15)

        // stats.wilcoxon(a2, b2) → statistic=14.0, pvalue=0.05224609375
        let a2 = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, 0.7, 2.2, 1.1]
        let b2 = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29, 0.81, 1.5, 1.42]
        let w2 = Significance.wilcoxon(a2, b2)
        XCTAssertEqual(w2.statistic, 14)
        XCTAssertEqual(w2.pValue, 0.05224609375, accuracy: 1e-15)
    }

    func testWilcoxonExactWithTiesAndZeros() {
        // d = [1, 1, 0, 2, −2, 2, −1, −1, 3, −2]: the zero is dropped (n = 9); |d| ranks: the four 1s
        // share rank 2.5, the four 2s rank 6.5, the 3 rank 9 → W+ = 2.5+2.5+6.5+6.5+9 = 27, W− = 18.
        // stats.wilcoxon(a3, b3) → statistic=18.0, pvalue=0.70703125 (scipy: exact permutation test
        // for n ≤ 13 with ties), and a brute-force enumeration of the 2^9 sign assignments agrees.
        let a3: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], b3: [Double] = [0, 1, 3, 2, 7, 4, 8, 9, 6, 12]
        let w = Significance.wilcoxon(a3, b3)
        XCTAssertEqual(w.n, 9)
        XCTAssertEqual(w.zeros, 1)
        XCTAssertEqual(w.wPlus, 27)
        XCTAssertEqual(w.wMinus, 18)
        XCTAssertEqual(w.pValue, 0.70703125, accuracy: 1e-15)

        // n = 18 non-zero differences with ties (beyond scipy's exact range with ties): brute force
        // over all 2^18 sign assignments in numpy (itertools.product, W = signs @ rankdata(|d|),
        // p = 2 min(P(W ≤ 114), P(W ≥ 114))) → W+ = 114, W− = 57, p = 0.2122955322265625.
        // (scipy's normal approximation gives 0.21322298815094942 here.)
        let a4: [Double] = [5, 6, 4, 3, 4, 3, 5, 8, 4, 4, 6, 6, 5, 3, 5, 6, 2, 4, 1, 2]
        let b4: [Double] = [1, 4, 2, 5, 5, 4, -1, 3, 4, 5, 1, 4, 3, 3, 7, 3, 4, 6, 3, 4]
        let w4 = Significance.wilcoxon(a4, b4)
        XCTAssertTrue(w4.exact)
        XCTAssertEqual(w4.n, 18)
        XCTAssertEqual(w4.wPlus, 114)
        XCTAssertEqual(w4.wMinus, 57)
        XCTAssertEqual(w4.pValue, 0.2122955322265625, accuracy: 1e-15)
    }

    func testWilcoxonNormalApproximationAgainstScipy() {
        // n = 40 pairs with zeros and ties → normal approximation with tie and continuity correction:
        // stats.wilcoxon(a5, b5, correction=True, method='asymptotic')
        //   → statistic=151.0, pvalue=0.034168706716817196
        // stats.ttest_rel(a5, b5) → statistic=-1.9794631927424853, pvalue=0.05485358852658128, df=39
        let a5 = [0.88, 0.51, 0.85, 0.64, 0.74, 0.09, 0.54, 0.51, 0.87, 0.36, 0.6, 0.06, 0.39, 0.32, 0.15, 0.82,
                  0.38, 0.98, 0.59, 0.61, 0.64, 0.68, 0.15, 0.44, 0.24, 0.4, 0.1, 0.97, 0.22, 0.67, 0.3, 0.87,
                  0.66, 0.13, 0.85, 0.94, 0.9, 0.57, 0.15, 0.19]
        let b5 = [0.98, 0.66, 0.8, 0.69, 0.64, 0.04, 0.54, 0.66, 1, 0.41, 0.65, 0.11, 0.29, 0.32, 0.3, 0.82,
                  0.33, 0.93, 0.69, 0.51, 0.79, 0.83, 0.2, 0.44, 0.34, 0.45, 0.1, 0.92, 0.22, 0.77, 0.2, 0.77,
                  0.76, 0.13, 0.95, 0.84, 1, 0.47, 0.15, 0.34]
        let w = Significance.wilcoxon(a5, b5)
        XCTAssertFalse(w.exact)
        XCTAssertGreaterThan(w.n, Significance.wilcoxonExactLimit)
        XCTAssertEqual(w.statistic, 151)
        XCTAssertLessThan(w.z!, 0)          // a tends to be below b
        XCTAssertEqual(w.pValue, 0.034168706716817196, accuracy: 1e-12)
        let t = Significance.pairedTTest(a5, b5)
        XCTAssertEqual(t.t, -1.9794631927424853, accuracy: 1e-12)
        XCTAssertEqual(t.pValue, 0.05485358852658128, accuracy: 1e-12)
    }

    func testWilcoxonAllZero() {
        let w = Significance.wilcoxon([1, 2], [1, 2])
        XCTAssertEqual(w.n, 0)
        XCTAssertEqual(w.zeros, 2)
        XCTAssertTrue(w.pValue.isNaN)
    }

    func testDistributionFunctionsAgainstScipy() {
        // scipy.special.betainc(2.5, 0.5, 0.3), (10, 3, 0.9), (0.5, 0.5, 0.01)
        XCTAssertEqual(Significance.regularizedIncompleteBeta(0.3, 2.5, 0.5), 0.018927124071945658, accuracy: 1e-14)
        XCTAssertEqual(Significance.regularizedIncompleteBeta(0.9, 10, 3), 0.889130022255, accuracy: 1e-12)
        XCTAssertEqual(Significance.regularizedIncompleteBeta(0.01, 0.5, 0.5), 0.06376856085851985, accuracy: 1e-14)
        // I_x(a, b) = 1 − I_{1−x}(b, a)
        XCTAssertEqual(Significance.regularizedIncompleteBeta(0.7, 0.5, 2.5), 1 - 0.018927124071945658, accuracy: 1e-14)
        // stats.t.cdf(2.0, 5), stats.t.cdf(-1.3, 17), stats.t.cdf(0.4, 1)
        XCTAssertEqual(Significance.studentTCDF(2.0, degreesOfFreedom: 5), 0.9490302605850708, accuracy: 1e-13)
        XCTAssertEqual(Significance.studentTCDF(-1.3, degreesOfFreedom: 17), 0.10547590694376348, accuracy: 1e-13)
        XCTAssertEqual(Significance.studentTCDF(0.4, degreesOfFreedom: 1), 0.6211189415908434, accuracy: 1e-13)
        // stats.norm.cdf(-1.96)
        XCTAssertEqual(Significance.normalCDF(-1.96), 0.024997895148220435, accuracy: 1e-15)
    }
}
