import XCTest
@testable import RecCore

/// The blocked SIMD kernels behind ALS against plain loops, at sizes that exercise the 4-row
/// blocks, the SIMD8 body and the scalar tails.
final class FactorKernelsTests: XCTestCase {
    func values(_ n: Int, seed: UInt64) -> [Float] {
        var rng = Xoshiro256(seed: seed)
        return (0..<n).map { _ in Float(rng.nextDouble() * 2 - 1) }
    }

    func testGramMatrixMatchesNaive() {
        for (rows, f) in [(1, 3), (7, 8), (13, 11), (300, 16), (5000, 12)] {
            let a = values(rows * f, seed: UInt64(rows))
            let g = gramMatrix(a, rows: rows, factors: f)
            for i in 0..<f {
                for j in 0..<f {
                    var s = 0.0
                    for r in 0..<rows { s += Double(a[r * f + i]) * Double(a[r * f + j]) }
                    XCTAssertEqual(Double(g[i * f + j]), s, accuracy: 1e-4 * max(1, abs(s)), "rows \(rows) f \(f) [\(i),\(j)]")
                    XCTAssertEqual(g[i * f + j], g[j * f + i])
                }
            }
        }
    }

    func testSymmetricProductMatchesNaive() {
        for n in [1, 3, 4, 8, 13, 64] {
            let half = values(n * n, seed: 3)
            var g = [Float](repeating: 0, count: n * n)
            for i in 0..<n { for j in 0..<n { g[i * n + j] = half[min(i, j) * n + max(i, j)] } }
            let v = values(n, seed: 4)
            var out = [Float](repeating: 99, count: n)
            symmetricProduct(g, v, &out, n)
            for i in 0..<n {
                var s: Float = 0
                for j in 0..<n { s += g[i * n + j] * v[j] }
                XCTAssertEqual(out[i], s, accuracy: 1e-5, "n \(n) row \(i)")
            }
        }
    }

    func testConfidenceWeightedRowsMatchNaive() {
        let f = 10, items = 9
        let y = values(items * f, seed: 5), v = values(f, seed: 6), start = values(f, seed: 7)
        let cols: [Int32] = [4, 0, 8, 2, 2, 7, 1]   // 7 rows: one block of four and a tail of three
        let vals: [Float] = [1, 2, 0, 3, 1, 5, 2]
        let alpha: Float = 0.5
        for residual in [true, false] {
            var out = start
            cols.withUnsafeBufferPointer { c in
                vals.withUnsafeBufferPointer { w in
                    addConfidenceWeightedRows(y, f, cols: c, vals: w, 1..<7, alpha: alpha, residual: residual, v, &out)
                }
            }
            var expected = start.map(Double.init)
            for k in 1..<7 {
                let row = Int(cols[k]) * f
                var d = 0.0
                for j in 0..<f { d += Double(y[row + j]) * Double(v[j]) }
                let c = 1 + Double(alpha) * Double(vals[k])
                let coef = residual ? c - (c - 1) * d : (c - 1) * d
                for j in 0..<f { expected[j] += coef * Double(y[row + j]) }
            }
            for j in 0..<f { XCTAssertEqual(Double(out[j]), expected[j], accuracy: 1e-5, "residual \(residual) [\(j)]") }
        }
    }

    /// The loss ImplicitALS reports (computed from the two Gram matrices and one pass over the
    /// observed pairs) equals the objective summed over every user × item cell.
    func testImplicitALSLossMatchesDenseObjective() throws {
        let data = try randomImplicit(users: 12, items: 7, perUser: 3, seed: 2)
        let m = ImplicitALS(factors: 3, iterations: 2, regularization: 0.3, alpha: 1.5, seed: 9)
        try m.fit(data)
        let r = data.matrix(duplicates: .sum)
        var dense = [[Double]](repeating: [Double](repeating: 0, count: r.columns), count: r.rows)
        for u in 0..<r.rows { for k in r.rowPtr[u]..<r.rowPtr[u + 1] { dense[u][Int(r.colIdx[k])] = Double(r.values[k]) } }
        let f = m.factors
        var total = 0.0
        for u in 0..<r.rows {
            for i in 0..<r.columns {
                var s = 0.0
                for j in 0..<f { s += Double(m.userFactors[u * f + j]) * Double(m.itemFactors[i * f + j]) }
                let p = dense[u][i] > 0 ? 1.0 : 0.0
                let c = 1 + 1.5 * dense[u][i]
                total += c * (p - s) * (p - s)
            }
        }
        total += 0.3 * (m.userFactors.reduce(0) { $0 + Double($1) * Double($1) } + m.itemFactors.reduce(0) { $0 + Double($1) * Double($1) })
        XCTAssertEqual(m.lossHistory.last!, total / Double(r.rows * r.columns), accuracy: 1e-5)
    }
}
