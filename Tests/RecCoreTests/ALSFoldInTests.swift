import XCTest
@testable import RecCore

/// Implicit ALS's fold-in checked against its systems solved by hand, and the kept training
/// matrix against one built from the whole log.
final class ALSFoldInTests: XCTestCase {
    func log(_ pairs: [(String, String)], values: [Double]? = nil, times: [Int64]? = nil) throws -> Interactions {
        try Interactions(userIDs: pairs.map(\.0), itemIDs: pairs.map(\.1), values: values, timestamps: times)
    }

    /// The 2×2 system (FᵀF + λI + Σ α r f_i f_iᵀ) x = Σ (1 + α r) f_i: A as [a00, a01, a11], and b.
    func system(_ entries: [(item: Int, r: Double)], fixed f: [Float], rows: Int, lambda: Double, alpha: Double) -> (a: [Double], b: [Double]) {
        var a = [0.0, 0.0, 0.0], b = [0.0, 0.0]
        for i in 0..<rows {
            let y0 = Double(f[2 * i]), y1 = Double(f[2 * i + 1])
            a[0] += y0 * y0; a[1] += y0 * y1; a[2] += y1 * y1
        }
        a[0] += lambda; a[2] += lambda
        for (i, r) in entries {
            let y0 = Double(f[2 * i]), y1 = Double(f[2 * i + 1]), c = alpha * r
            a[0] += c * y0 * y0; a[1] += c * y0 * y1; a[2] += c * y1 * y1
            b[0] += (1 + c) * y0; b[1] += (1 + c) * y1
        }
        return (a, b)
    }

    /// x solving (FᵀF + λI + Σ α r f_i f_iᵀ) x = Σ (1 + α r) f_i for two factors, by Cramer's rule.
    func solved(_ entries: [(item: Int, r: Double)], fixed f: [Float], rows: Int, lambda: Double, alpha: Double) -> [Double] {
        let (a, b) = system(entries, fixed: f, rows: rows, lambda: lambda, alpha: alpha)
        let det = a[0] * a[2] - a[1] * a[1]
        return [(a[2] * b[0] - a[1] * b[1]) / det, (a[0] * b[1] - a[1] * b[0]) / det]
    }

    let old: Interactions = try! Interactions(userIDs: ["a", "a", "b", "b", "c", "c", "c"], itemIDs: ["x", "y", "y", "z", "x", "z", "y"],
                                              values: [1, 2, 1, 1, 3, 1, 1])

    func testTouchedUsersAreSolvedAgainstTheFixedItemFactors() throws {
        let m = ImplicitALS(factors: 2, iterations: 6, regularization: 0.1, alpha: 2)
        try m.fit(old)
        let before = m.userFactors, items = m.itemFactors
        // a comes back with z and x again; n is new, with y and x.
        let all = try m.update(try log([("a", "z"), ("a", "x"), ("n", "y"), ("n", "x")], values: [1, 1, 2, 1]), after: old)
        let n = Int(all.users.index(of: "n")!)
        XCTAssertEqual(m.userCount, 4)
        XCTAssertTrue(m.trainingItems.hasRows(user: Int32(n)))
        XCTAssertEqual(Array(m.trainingItems.items(of: Int32(n))), [0, 1])
        // b and c did not move.
        XCTAssertEqual(Array(m.userFactors[2..<6]), Array(before[2..<6]))
        // a: x (1 + 1), y 2, z 1; three CG steps from a warm start are exact for two factors.
        let a = solved([(0, 2), (1, 2), (2, 1)], fixed: items, rows: 3, lambda: 0.1, alpha: 2)
        XCTAssertEqual(Double(m.userFactors[0]), a[0], accuracy: 1e-4)
        XCTAssertEqual(Double(m.userFactors[1]), a[1], accuracy: 1e-4)
        XCTAssertNotEqual(Double(before[0]), a[0], accuracy: 1e-3)
        // n, solved exactly from nothing.
        let nx = solved([(1, 2), (0, 1)], fixed: items, rows: 3, lambda: 0.1, alpha: 2)
        XCTAssertEqual(Double(m.userFactors[n * 2]), nx[0], accuracy: 1e-4)
        XCTAssertEqual(Double(m.userFactors[n * 2 + 1]), nx[1], accuracy: 1e-4)
        // Every item's history grew by a third or more, so each was refreshed against the final
        // user factors: z (index 2) has b, c and now a, once each.
        let z = solved([(1, 1), (2, 1), (0, 1)], fixed: m.userFactors, rows: 4, lambda: 0.1, alpha: 2)
        XCTAssertEqual(Double(m.itemFactors[4]), z[0], accuracy: 1e-4)
        XCTAssertEqual(Double(m.itemFactors[5]), z[1], accuracy: 1e-4)
    }

    func testANewItemIsSolvedAgainstTheUserFactorsAndBecomesKnown() throws {
        let m = ImplicitALS(factors: 2, iterations: 6, regularization: 0.1, alpha: 2)
        try m.fit(old)
        let items = m.itemFactors
        // w is new; b and c take it.
        let all = try m.update(try log([("b", "w"), ("c", "w"), ("c", "w")]), after: old)
        let w = Int(all.items.index(of: "w")!)
        XCTAssertEqual(m.itemCount, 4)
        XCTAssertTrue(m.knows(item: Int32(w)))
        XCTAssertEqual(Array(m.itemFactors.prefix(6)), items)
        // Last solved against the final user factors: b once, c twice (summed), a not at all.
        let wy = solved([(1, 1), (2, 2)], fixed: m.userFactors, rows: 3, lambda: 0.1, alpha: 2)
        XCTAssertEqual(Double(m.itemFactors[w * 2]), wy[0], accuracy: 1e-4)
        XCTAssertEqual(Double(m.itemFactors[w * 2 + 1]), wy[1], accuracy: 1e-4)
    }

    func testTheKeptMatrixIsTheWholeLogsAfterTwoUpdates() throws {
        let d = CatalogueContractTests.data
        let m = ImplicitALS(factors: 4, iterations: 2)
        let a = d.selecting(rows: Array(0..<150)), b = d.selecting(rows: Array(150..<220)), c = d.selecting(rows: Array(220..<d.count))
        try m.fit(a)
        let ab = try m.update(b, after: a)
        let abc = try m.update(c, after: ab)
        XCTAssertEqual(m.foldInRatings, abc.matrix(duplicates: .sum))
        XCTAssertEqual(m.trainingItems.rowPtr, TrainingItems(abc).rowPtr)
        XCTAssertEqual(m.trainingItems.items, TrainingItems(abc).items)
        XCTAssertEqual(m.userCount, abc.userCount)
    }

    func testMergingEqualsABuildFromBothLogs() throws {
        let day: Int64 = 86_400
        let old = try log([("a", "x"), ("a", "y"), ("b", "x"), ("a", "x")], values: [1, 2, 3, 4], times: [0, 1, 2, 3])
        let new = try log([("a", "y"), ("c", "x"), ("b", "z"), ("c", "x")], values: [5, 6, 7, 8], times: [day, day, day, 2 * day])
        let all = old.appending(new)
        let later = all.selecting(rows: Array(old.count..<all.count))
        for policy in [DuplicatePolicy.sum, .last, .first, .max] {
            XCTAssertEqual(old.matrix(duplicates: policy).merging(later.matrix(duplicates: policy), duplicates: policy),
                           all.matrix(duplicates: policy), "\(policy)")
        }
    }
    /// One conjugate-gradient step on (FᵀF + λI + Σ α r f_i f_iᵀ) x = Σ (1 + α r) f_i from `x0`,
    /// for two factors: x0 + (rᵀr / rᵀAr) r with r = b − A x0.
    func oneStep(from x0: [Double], _ entries: [(item: Int, r: Double)], fixed f: [Float], rows: Int,
                 lambda: Double, alpha: Double) -> [Double] {
        let (a, b) = system(entries, fixed: f, rows: rows, lambda: lambda, alpha: alpha)
        let res = [b[0] - a[0] * x0[0] - a[1] * x0[1], b[1] - a[1] * x0[0] - a[2] * x0[1]]
        let ar = [a[0] * res[0] + a[1] * res[1], a[1] * res[0] + a[2] * res[1]]
        let step = (res[0] * res[0] + res[1] * res[1]) / (res[0] * ar[0] + res[1] * ar[1])
        return [x0[0] + step * res[0], x0[1] + step * res[1]]
    }

    func testAUserWhoseHistoryGrewByLessThanATenthTakesOneStepFromItsFactors() throws {
        // h has items 0…10, then takes 11 (1/11 of its history: settled); g has 0 and 11, then
        // takes 5 (half its history: re-solved by every step, exact for two factors).
        var pairs = (0...10).map { ("h", "i\($0)") } + [("g", "i0"), ("g", "i11")]
        pairs += (0...11).map { ("o", "i\($0)") }
        let old = try log(pairs)
        let m = ImplicitALS(factors: 2, iterations: 4, regularization: 0.1, alpha: 2)
        try m.fit(old)
        let before = m.userFactors, items = m.itemFactors
        let all = try m.update(try log([("h", "i11"), ("g", "i5")]), after: old)
        let h = Int(all.users.index(of: "h")!), g = Int(all.users.index(of: "g")!)
        let hx = oneStep(from: [Double(before[2 * h]), Double(before[2 * h + 1])], (0...11).map { ($0, 1) },
                         fixed: items, rows: 12, lambda: 0.1, alpha: 2)
        XCTAssertEqual(Double(m.userFactors[2 * h]), hx[0], accuracy: 1e-5)
        XCTAssertEqual(Double(m.userFactors[2 * h + 1]), hx[1], accuracy: 1e-5)
        let exact = solved((0...11).map { ($0, 1) }, fixed: items, rows: 12, lambda: 0.1, alpha: 2)
        XCTAssertGreaterThan(abs(hx[0] - exact[0]) + abs(hx[1] - exact[1]), 1e-4, "one step is not the exact solve")
        let gx = solved([(0, 1), (5, 1), (11, 1)], fixed: items, rows: 12, lambda: 0.1, alpha: 2)
        XCTAssertEqual(Double(m.userFactors[2 * g]), gx[0], accuracy: 1e-4)
        XCTAssertEqual(Double(m.userFactors[2 * g + 1]), gx[1], accuracy: 1e-4)
    }

    func testTheItemCountsKeptBetweenUpdatesAreThoseOfTheMergedMatrix() throws {
        let d = CatalogueContractTests.data
        let m = ImplicitALS(factors: 4, iterations: 2)
        let a = d.selecting(rows: Array(0..<150)), b = d.selecting(rows: Array(150..<220)), c = d.selecting(rows: Array(220..<d.count))
        try m.fit(a)
        let ab = try m.update(b, after: a)
        XCTAssertEqual(m.foldInItemCounts.map(Int.init), ab.matrix(duplicates: .sum).columnCounts)
        let abc = try m.update(c, after: ab)
        XCTAssertEqual(m.foldInItemCounts.map(Int.init), abc.matrix(duplicates: .sum).columnCounts)
        // A fit starts the count again: the next update does not add to the counts kept before it.
        try m.fit(a)
        _ = try m.update(b, after: a)
        XCTAssertEqual(m.foldInItemCounts.map(Int.init), ab.matrix(duplicates: .sum).columnCounts)
    }

    /// A matrix large enough for the parallel paths: `rows` rows of random columns and values.
    func randomMatrix(rows: Int, columns: Int, entries: Int, seed: UInt64) -> SparseMatrix {
        var rng = Xoshiro256(seed: seed, stream: 1)
        let r = (0..<entries).map { _ in Int32(rng.nextDouble() * Double(rows)) }
        let c = (0..<entries).map { _ in Int32(rng.nextDouble() * Double(columns)) }
        let v = (0..<entries).map { _ in Float(1 + Int(rng.nextDouble() * 4)) }
        return SparseMatrix(rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: v, duplicates: .sum)
    }

    func testLargeMatricesMergeCountAndTransposeAsSmallOnes() throws {
        let old = randomMatrix(rows: 3_000, columns: 500, entries: 1 << 20, seed: 1)
        var rng = Xoshiro256(seed: 2, stream: 1)
        let n = 5_000
        let r = (0..<n).map { _ in Int32(rng.nextDouble() * 3_100) }, c = (0..<n).map { _ in Int32(rng.nextDouble() * 520) }
        let oldRows = (0..<old.rows).flatMap { repeatElement(Int32($0), count: old.rowCount($0)) }
        for policy in [DuplicatePolicy.sum, .last] {
            let later = SparseMatrix(rows: 3_100, columns: 520, rowIndices: r, columnIndices: c, values: [Float](repeating: 2, count: n),
                                     duplicates: policy)
            let merged = old.merging(later, duplicates: policy)
            let rebuilt = SparseMatrix(rows: 3_100, columns: 520, rowIndices: oldRows + r, columnIndices: old.colIdx + c,
                                       values: old.values + [Float](repeating: 2, count: n), duplicates: policy)
            XCTAssertEqual(merged, rebuilt, "\(policy)")
        }
        XCTAssertEqual(old.entriesPerColumn.map(Int.init), old.columnCounts)
        let keys: [Int32] = [7, 499, 0, 250]
        let t = old.transposed(columns: keys), full = old.transposed()
        for (n, k) in keys.enumerated() {
            XCTAssertEqual(t.row(n).columns, full.row(Int(k)).columns)
            XCTAssertEqual(t.row(n).values, full.row(Int(k)).values)
        }
        let a = (0..<(1 << 20)).map { Int32($0) }, b = (0..<1000).map { Int32(-$0) }
        XCTAssertEqual(concatenated(a, b), a + b)
    }
}
