import XCTest
@testable import RecCore

/// The numeric kernels (Sources/RecCore/Kernels and the ALS-specific rows) against plain loops, at
/// sizes that exercise the 4-row blocks, the SIMD body and the scalar tails; and the summation
/// orders they document, bit for bit, since fitted models and goldens depend on them.
final class KernelsTests: XCTestCase {
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

    // MARK: Summation orders

    /// The documented order of `dot`: per-lane sums over the SIMD8 blocks, their horizontal sum,
    /// then the tail. Lane 0 gets 1e8 and −1e8 (exactly 0) and lane 1 gets 1, so `dot` keeps the
    /// 1; a left-to-right loop absorbs it into 1e8 first (Float has 24 bits) and loses it.
    func testDotFollowsItsDocumentedOrder() {
        var a = [Float](repeating: 0, count: 17), b = [Float](repeating: 1, count: 17)
        a[0] = 1e8; a[1] = 1; a[8] = -1e8; a[16] = 0.5
        var sequential: Float = 0
        for j in 0..<17 { sequential += a[j] * b[j] }
        XCTAssertEqual(sequential, 0.5)
        XCTAssertEqual(dot(a, b, 17), 1.5)
        XCTAssertEqual(dot(b, a, 17), 1.5)
        let (d0, _, _, _) = dot4(a, a, a, a, b, 17)
        XCTAssertEqual(d0, 1.5)
        var ad = a.map(Double.init), bd = b.map(Double.init)
        ad[0] = 1e17; ad[4] = -1e17; ad[1] = 1   // four Double lanes: lane 0 cancels, lane 1 keeps the 1
        ad[8] = 0; ad[16] = 0.5
        bd[16] = 1
        XCTAssertEqual(dot(ad, bd, 17), 1.5)
    }

    /// `dot4`, `gemv` (contiguous and gathered rows) give each row exactly `dot`'s bits.
    func testRowDotsHaveTheBitsOfDot() {
        for (rows, f) in [(1, 3), (4, 8), (7, 13), (9, 64), (11, 5)] {
            let a = values(rows * f, seed: UInt64(rows * 100 + f)), x = values(f, seed: 17)
            var out = [Float](repeating: .nan, count: rows)
            gemv(a, width: f, rows: rows, x, into: &out)
            for r in 0..<rows {
                a.withUnsafeBufferPointer { p in
                    XCTAssertEqual(out[r].bitPattern, dot(p.baseAddress! + r * f, x, f).bitPattern, "rows \(rows) f \(f) r \(r)")
                }
            }
            let pick: [Int32] = (0..<Int32(rows + 3)).map { ($0 * 5) % Int32(rows) }
            var gathered = [Float](repeating: .nan, count: pick.count)
            gemv(a, width: f, rows: pick, count: pick.count, x, into: &gathered)
            for t in pick.indices { XCTAssertEqual(gathered[t].bitPattern, out[Int(pick[t])].bitPattern) }
        }
        let v = values(19, seed: 1), rows = (0..<4).map { values(19, seed: UInt64(2 + $0)) }
        let (d0, d1, d2, d3) = dot4(rows[0], rows[1], rows[2], rows[3], v, 19)
        XCTAssertEqual([d0, d1, d2, d3].map(\.bitPattern), rows.map { dot($0, v, 19).bitPattern })
    }

    /// The row-combining kernels give the bits of one `axpy` per row in order.
    func testRowCombinationsHaveTheBitsOfSequentialAxpys() {
        let n = 21, a = values(6 * n, seed: 8), start = values(n, seed: 9)
        let picks: [Int32] = [5, 0, 3, 3, 1], coef: [Float] = [0.5, -2, 3.25, 1e-3, 7]
        var expected = start
        a.withUnsafeBufferPointer { p in
            for (k, r) in picks.enumerated() { axpy(coef[k], p.baseAddress! + Int(r) * n, &expected, n) }
        }
        var out = start
        picks.withUnsafeBufferPointer { rp in
            coef.withUnsafeBufferPointer { cp in addScaledRows(of: a, width: n, rows: rp, coefficients: cp, into: &out) }
        }
        XCTAssertEqual(out.map(\.bitPattern), expected.map(\.bitPattern))

        var ones = start, onesExpected = start
        a.withUnsafeBufferPointer { p in for r in picks { axpy(1, p.baseAddress! + Int(r) * n, &onesExpected, n) } }
        picks.withUnsafeBufferPointer { rp in addScaledRows(of: a, width: n, rows: rp, coefficients: nil, into: &ones) }
        XCTAssertEqual(ones.map(\.bitPattern), onesExpected.map(\.bitPattern))

        let x = values(6, seed: 10)
        var vm = start, vmExpected = start
        a.withUnsafeBufferPointer { p in for r in 0..<6 { axpy(x[r], p.baseAddress! + r * n, &vmExpected, n) } }
        addVectorMatrixProduct(x, a, width: n, rows: 6, into: &vm)
        XCTAssertEqual(vm.map(\.bitPattern), vmExpected.map(\.bitPattern))
    }

    // MARK: Hand-computed values

    func testElementWiseKernels() {
        var y: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        axpy(2, [1, 1, 1, 1, 1, 1, 1, 1, 1, -1], &y, 10)
        XCTAssertEqual(y, [3, 4, 5, 6, 7, 8, 9, 10, 11, 8])
        multiplyElementwise(&y, [1, 0, 1, 0, 1, 0, 1, 0, 2, 0.5], 10)
        XCTAssertEqual(y, [3, 0, 5, 0, 7, 0, 9, 0, 22, 4])
        XCTAssertEqual(sumOfSquares([3, 4], 2), 25)
        XCTAssertEqual(sumOfSquares([1, 2], 2, from: 20), 25)
        var yd: [Double] = [1, 1, 1, 1, 1]
        axpy(0.5, [2, 4, 6, 8, 10], &yd, 5)
        XCTAssertEqual(yd, [2, 3, 4, 5, 6])
        XCTAssertEqual(dot([1, 2, 3, 4, 5] as [Double], [5, 4, 3, 2, 1], 5), 35)
        var g: [Float] = [0, 0, 0]
        symmetricProduct([2, 1, 0, 1, 3, 1, 0, 1, 4], [1, 2, 3], &g, 3)
        XCTAssertEqual(g, [4, 10, 14])
        var t = [Float](repeating: 0, count: 6)
        transpose([1, 2, 3, 4, 5, 6], &t, rows: 2, columns: 3)
        XCTAssertEqual(t, [1, 4, 2, 5, 3, 6])
    }

    func testSparseKernels() {
        let dense: [Float] = [10, 20, 30, 40]
        let idx: [Int32] = [3, 0, 2, 0], vals: [Float] = [1, 2, 3, 4]
        idx.withUnsafeBufferPointer { i in
            vals.withUnsafeBufferPointer { v in
                dense.withUnsafeBufferPointer { d in
                    XCTAssertEqual(gatherDot(d, indices: i, values: v, 0..<4), 40 + 20 + 90 + 40)
                    XCTAssertEqual(gatherDot(d, indices: i, values: v, 1..<3), 20 + 90)
                    XCTAssertEqual(gatherDot(d, indices: i, values: v, 2..<2), 0)
                }
                var out = [Float](repeating: 1, count: 4)
                out.withUnsafeMutableBufferPointer { scatterAxpy(0.5, indices: i, values: v, 0..<4, into: $0) }
                XCTAssertEqual(out, [1 + 1 + 2, 1, 1 + 1.5, 1 + 0.5], "a repeated index accumulates")
            }
        }
        let m = SparseMatrix(dense: [[3, 0, 4], [0, 0, 0], [1, 2, 2]])
        XCTAssertEqual(m.rowNorms(), [5, 0, 3])
    }
}

