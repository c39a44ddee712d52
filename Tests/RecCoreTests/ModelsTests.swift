import XCTest
@testable import RecCore

/// The 4 × 4 rating matrix used throughout (0 = missing):
///
///     R = [[5,4,0,0],[4,0,5,0],[0,5,0,4],[5,0,4,0]]
///
/// Users u0…u3 and items i0…i3 intern in index order.
func tinyRatings() throws -> Interactions {
    let r: [[Double]] = [[5, 4, 0, 0], [4, 0, 5, 0], [0, 5, 0, 4], [5, 0, 4, 0]]
    var us = [String](), its = [String](), vs = [Double]()
    for u in 0..<4 { for i in 0..<4 where r[u][i] > 0 { us.append("u\(u)"); its.append("i\(i)"); vs.append(r[u][i]) } }
    return try Interactions(userIDs: us, itemIDs: its, values: vs)
}

/// A random implicit log (nu users, ni items, about `perUser` distinct items each), seeded.
func randomImplicit(users nu: Int, items ni: Int, perUser: Int, seed: UInt64) throws -> Interactions {
    var rng = Xoshiro256(seed: seed)
    var us = [String](), its = [String](), vs = [Double]()
    for i in 0..<ni { us.append("u0"); its.append("i\(i)"); vs.append(1) }   // fix the item order
    for u in 1..<nu {
        for _ in 0..<perUser {
            // Skewed towards low item indices so that there is structure to learn.
            let i = min(ni - 1, Int(Double(ni) * rng.nextDouble() * rng.nextDouble()))
            us.append("u\(u)"); its.append("i\(i)"); vs.append(Double(1 + rng.nextInt(below: 3)))
        }
    }
    return try Interactions(userIDs: us, itemIDs: its, values: vs)
}

func items(_ recs: [(item: Int32, score: Float)]) -> [Int32] { recs.map(\.item) }

func bits(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }

/// recommendAll must give, row by row, exactly what recommend gives.
func assertBatchMatches(_ m: Recommender, k: Int, file: StaticString = #filePath, line: UInt = #line) {
    let users = (0..<Int32(m.userCount)).map { $0 } + [Int32(m.userCount)]   // plus an unknown user
    let batch = m.recommendAll(users: users, k: k)
    for (r, u) in users.enumerated() {
        let single = m.recommend(user: u, k: k)
        let row = batch.list(r)
        XCTAssertEqual(items(row), items(single), "user \(u)", file: file, line: line)
        XCTAssertEqual(bits(row.map(\.score)), bits(single.map(\.score)), "user \(u)", file: file, line: line)
    }
}

final class ModelsSelectionTests: XCTestCase {
    func testTopKOrdersTiesByIndexAndSkipsNaNAndExcluded() {
        let scores: [Float] = [1, 3, .nan, 3, -.infinity, 2, 3]
        let it = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 4)
        let vs = UnsafeMutableBufferPointer<Float>.allocate(capacity: 4)
        defer { it.deallocate(); vs.deallocate() }
        let m = scores.withUnsafeBufferPointer { TopK.select($0, k: 4, items: it, values: vs) }
        XCTAssertEqual(m, 4)
        XCTAssertEqual(Array(it), [1, 3, 6, 5])
        XCTAssertEqual(Array(vs), [3, 3, 3, 2])
        // Fewer candidates than k: padded.
        let it9 = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 9)
        let vs9 = UnsafeMutableBufferPointer<Float>.allocate(capacity: 9)
        defer { it9.deallocate(); vs9.deallocate() }
        let m9 = scores.withUnsafeBufferPointer { TopK.select($0, k: 9, items: it9, values: vs9) }
        XCTAssertEqual(m9, 5)
        XCTAssertEqual(Array(it9), [1, 3, 6, 5, 0, -1, -1, -1, -1])
    }

    func testTopKAgainstFullSort() {
        var rng = Xoshiro256(seed: 7)
        let scores = (0..<1000).map { _ in Float(rng.nextInt(below: 50)) }   // many ties
        let expected = scores.enumerated().sorted { $0.element > $1.element || ($0.element == $1.element && $0.offset < $1.offset) }
            .prefix(25).map { Int32($0.offset) }
        XCTAssertEqual(TopK.select(scores.enumerated().map { (Int32($0.offset), $0.element) }, k: 25).map(\.item), expected)
    }

    func testLAPACKInverseHandComputed() throws {
        // A = [[4,2,0],[2,5,1],[0,1,3]]: det 44, A⁻¹ = adj(A)/44 = [[14,-6,2],[-6,12,-4],[2,-4,16]]/44.
        // Only the lower triangle is read: the upper one holds garbage here.
        var a: [Double] = [4, 99, 99, 2, 5, 99, 0, 1, 3]
        try LAPACK.invertPositiveDefinite(&a, n: 3)
        let expected: [Double] = [14, -6, 2, -6, 12, -4, 2, -4, 16].map { $0 / 44 }
        for (x, y) in zip(a, expected) { XCTAssertEqual(x, y, accuracy: 1e-15) }
    }

    func testLAPACKInverse() throws {
        // A = MᵀM + I for a random 37 × 37 M (odd size: exercises the kernels' edges).
        let n = 37
        var rng = Xoshiro256(seed: 3)
        let m = (0..<n * n).map { _ in rng.nextDouble() - 0.5 }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n {
            var s = i == j ? 1.0 : 0
            for k in 0..<n { s += m[k * n + i] * m[k * n + j] }
            a[i * n + j] = s
        } }
        var inv = a
        try LAPACK.invertPositiveDefinite(&inv, n: n)
        var worst = 0.0
        for i in 0..<n { for j in 0..<n {
            var s = 0.0
            for k in 0..<n { s += a[i * n + k] * inv[k * n + j] }
            worst = max(worst, abs(s - (i == j ? 1 : 0)))
            XCTAssertEqual(inv[i * n + j], inv[j * n + i], "the inverse is exactly symmetric")
        } }
        XCTAssertLessThan(worst, 1e-9)
        var indefinite: [Double] = [1, 2, 2, 1]
        XCTAssertThrowsError(try LAPACK.invertPositiveDefinite(&indefinite, n: 2)) {
            XCTAssertEqual($0 as? LAPACK.Failure, .notPositiveDefinite(order: 2))
        }
    }
}

final class ModelsBaselineTests: XCTestCase {
    func testPopularity() throws {
        let data = try tinyRatings()
        let m = Popularity()
        try m.fit(data)
        XCTAssertEqual(m.counts, [3, 2, 2, 1])
        // Items 1 and 2 tie at 2: the lower index first.
        XCTAssertEqual(items(m.recommend(user: 0, k: 4, excludeTraining: false)), [0, 1, 2, 3])
        XCTAssertEqual(items(m.recommend(user: 0, k: 2)), [2, 3])          // u0 rated i0, i1
        XCTAssertEqual(items(m.recommend(user: 2, k: 5)), [0, 2])          // u2 rated i1, i3
        XCTAssertEqual(items(m.recommend(user: 99, k: 2)), [0, 1])         // unknown user: nothing excluded
        XCTAssertEqual(items(m.recommend(user: 0, k: 2, candidates: [3, 1, 2])), [2, 3])
        XCTAssertEqual(items(m.recommend(user: 0, k: 1, excludeTraining: false, exclude: [0])), [1])
        XCTAssertEqual(m.score(user: 1, items: [3, 0, 7]).prefix(2), [1, 3])
        XCTAssertTrue(m.score(user: 1, items: [7])[0].isNaN)
        XCTAssertEqual(m.explain(user: 0, item: 0).contributions, [.init(.popularity, 3)])
        XCTAssertTrue(m.similarItems(item: 0, k: 3).isEmpty)
        assertBatchMatches(m, k: 3)

        // Distinct users: a repeated event counts once.
        let dup = try Interactions(userIDs: ["a", "a", "b"], itemIDs: ["x", "x", "y"])
        let d = Popularity(distinctUsers: true)
        try d.fit(dup)
        XCTAssertEqual(d.counts, [1, 1])
        try m.fit(dup)
        XCTAssertEqual(m.counts, [2, 1])
    }

    func testBiasBaselineOnePassAndConverged() throws {
        // python3 -c 'import numpy as np; R=np.array([[5,4,0,0],[4,0,5,0],[0,5,0,4],[5,0,4,0]],float); M=R>0; mu=R[M].mean()
        //   (alternate b_i = Σ(r−μ−b_u)/(λ_i+n_i), b_u = Σ(r−μ−b_i)/(λ_u+n_u) from b_u = 0; λ = 1)'
        // μ = 4.5; one pass: b_u = [-1/24, -1/24, 1/12, -1/24], b_i = [0.125, 0, 0, -0.25].
        // Converged = ridge solution np.linalg.solve(AᵀA + I, Aᵀ(r − μ)) with A the user/item
        // indicator design: b_u = [-0.052511416, -0.075342466, 0.107305936, -0.075342466],
        // b_i = [0.175799087, -0.01826484, 0.050228311, -0.303652968].
        let data = try tinyRatings()
        let one = BiasBaseline(itemDamping: 1, userDamping: 1, iterations: 1)
        try one.fit(data)
        XCTAssertEqual(one.globalMean, 4.5)
        assertClose(one.userBias, [-1.0 / 24, -1.0 / 24, 1.0 / 12, -1.0 / 24], 1e-6)
        assertClose(one.itemBias, [0.125, 0, 0, -0.25], 1e-6)

        let full = BiasBaseline(itemDamping: 1, userDamping: 1, iterations: 200)
        try full.fit(data)
        assertClose(full.userBias, [-0.052511416, -0.075342466, 0.107305936, -0.075342466], 1e-5)
        assertClose(full.itemBias, [0.175799087, -0.01826484, 0.050228311, -0.303652968], 1e-5)
        XCTAssertEqual(full.score(user: 2, items: [0])[0], 4.5 + 0.107305936 + 0.175799087, accuracy: 1e-5)
        // An unknown user gets μ + b_i.
        XCTAssertEqual(full.score(user: 9, items: [3])[0], 4.5 - 0.303652968, accuracy: 1e-5)
        let e = full.explain(user: 2, item: 0)
        XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-5)
        // u0 rated i0, i1: of i2 (b = 0.050) and i3 (b = −0.304), i2 first.
        XCTAssertEqual(items(full.recommend(user: 0, k: 2)), [2, 3])
        assertBatchMatches(full, k: 2)

        XCTAssertThrowsError(try BiasBaseline().fit(try Interactions(userIDs: ["a"], itemIDs: ["x"])))
    }

    func testEASEMatchesClosedForm() throws {
        // python3 -c 'import numpy as np; X=(np.array([[5,4,0,0],[4,0,5,0],[0,5,0,4],[5,0,4,0]])>0).astype(float)
        //   P=np.linalg.inv(X.T@X+np.eye(4)); print(np.eye(4)-P/np.diag(P), X@(np.eye(4)-P/np.diag(P)))'
        let expected: [[Float]] = [[0, 0.375, 0.555555556, -0.142857143],
                                   [0.4, 0, -0.222222222, 0.380952381],
                                   [0.666666667, -0.25, 0, 0.095238095],
                                   [-0.2, 0.5, 0.111111111, 0]]
        let m = EASE(regularization: 1)
        try m.fit(try tinyRatings())
        for i in 0..<4 { for j in 0..<4 {
            XCTAssertEqual(m.weight(from: Int32(i), to: Int32(j)), expected[i][j], accuracy: 1e-6, "B[\(i)][\(j)]")
        } }
        // X B, row 0 = [0.4, 0.375, 0.3333, 0.2381]; row 1 = [0.6667, 0.125, 0.5556, -0.0476].
        assertClose(m.score(user: 0, items: [0, 1, 2, 3]), [0.4, 0.375, 0.333333333, 0.238095238], 1e-6)
        XCTAssertEqual(items(m.recommend(user: 0, k: 2)), [2, 3])
        XCTAssertEqual(items(m.recommend(user: 1, k: 2)), [1, 3])
        XCTAssertEqual(items(m.similarItems(item: 2, k: 2)), [0, 3])     // row 2: 0.667, 0.095, −0.25
        let e = m.explain(user: 1, item: 1)   // u1 has i0, i2: B[0][1] + B[2][1] = 0.375 − 0.25
        XCTAssertEqual(e.score, 0.125, accuracy: 1e-6)
        XCTAssertEqual(e.contributions, [.init(.neighbour(item: 0), 0.375), .init(.neighbour(item: 2), -0.25)])
        assertBatchMatches(m, k: 3)
    }
}

final class ModelsFactorTests: XCTestCase {
    func testBiasedMFLearnsDeterministically() throws {
        let data = try tinyRatings()
        func fit(_ seed: UInt64) throws -> BiasedMF {
            let m = BiasedMF(factors: 2, epochs: 200, learningRate: 0.02, regularization: 0.02, initStd: 0.1, seed: seed)
            try m.fit(data)
            return m
        }
        let a = try fit(1), b = try fit(1), c = try fit(2)
        XCTAssertEqual(a.lossHistory.count, 200)
        for w in stride(from: 0, to: 190, by: 10) { XCTAssertLessThan(a.lossHistory[w + 10], a.lossHistory[w]) }
        XCTAssertLessThan(a.lossHistory.last!, 0.05 * a.lossHistory.first!)
        XCTAssertEqual(bits(a.userFactors), bits(b.userFactors))
        XCTAssertEqual(bits(a.itemFactors), bits(b.itemFactors))
        XCTAssertEqual(bits(a.itemBias!), bits(b.itemBias!))
        XCTAssertNotEqual(bits(a.itemFactors), bits(c.itemFactors))
        XCTAssertEqual(a.globalMean, 4.5)
        // Fits the training ratings closely.
        XCTAssertEqual(a.score(user: 1, items: [2])[0], 5, accuracy: 0.3)
        XCTAssertEqual(a.score(user: 2, items: [3])[0], 4, accuracy: 0.3)
        // Training items are never recommended; with k = 4 only the two unrated ones come back.
        for u: Int32 in 0..<4 {
            let rec = items(a.recommend(user: u, k: 4))
            XCTAssertEqual(rec.count, 2)
            XCTAssertTrue(Set(rec).isDisjoint(with: a.trainingItems.items(of: u)))
        }
        let e = a.explain(user: 0, item: 2)
        XCTAssertEqual(e.contributions.count, 3 + 2)
        XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-5)
        let sim = a.similarItems(item: 0, k: 3)
        XCTAssertEqual(sim.count, 3)
        XCTAssertFalse(items(sim).contains(0))
        XCTAssertTrue(sim.allSatisfy { $0.score >= -1.0001 && $0.score <= 1.0001 })
        assertBatchMatches(a, k: 3)
    }

    func testImplicitALSLossDecreasesAndIsDeterministic() throws {
        let data = try randomImplicit(users: 150, items: 40, perUser: 8, seed: 11)
        func fit(_ seed: UInt64) throws -> ImplicitALS {
            let m = ImplicitALS(factors: 8, iterations: 8, regularization: 0.1, alpha: 2, seed: seed)
            try m.fit(data)
            return m
        }
        let a = try fit(5), b = try fit(5), c = try fit(6)
        XCTAssertEqual(a.lossHistory.count, 8)
        for t in 1..<8 { XCTAssertLessThanOrEqual(a.lossHistory[t], a.lossHistory[t - 1] * (1 + 1e-5), "iteration \(t)") }
        XCTAssertLessThan(a.lossHistory.last!, a.lossHistory.first!)
        XCTAssertEqual(bits(a.userFactors), bits(b.userFactors))     // parallel solves, same bits
        XCTAssertEqual(bits(a.itemFactors), bits(b.itemFactors))
        XCTAssertNotEqual(bits(a.itemFactors), bits(c.itemFactors))
        XCTAssertNil(a.itemBias)
        for u: Int32 in [0, 1, 77, 149] {
            XCTAssertTrue(Set(items(a.recommend(user: u, k: 10))).isDisjoint(with: a.trainingItems.items(of: u)))
        }
        // In-sample: a user's own items outscore the rest on average.
        var own = 0.0, other = 0.0, nOwn = 0, nOther = 0
        for u in 0..<Int32(a.userCount) {
            let s = a.score(user: u, items: (0..<40).map { $0 })
            let mine = Set(a.trainingItems.items(of: u))
            for i in 0..<40 { if mine.contains(Int32(i)) { own += Double(s[i]); nOwn += 1 } else { other += Double(s[i]); nOther += 1 } }
        }
        XCTAssertGreaterThan(own / Double(nOwn), other / Double(nOther) + 0.2)
        let e = a.explain(user: 3, item: 5)
        XCTAssertEqual(e.contributions.count, 8)
        XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-5)
        assertBatchMatches(a, k: 7)
    }

    func testImplicitALSOnTinyMatrix() throws {
        let m = ImplicitALS(factors: 2, iterations: 10, regularization: 0.1, alpha: 1, seed: 1)
        try m.fit(try tinyRatings())
        for u: Int32 in 0..<4 {
            XCTAssertEqual(Set(items(m.recommend(user: u, k: 4))), Set([0, 1, 2, 3]).subtracting(m.trainingItems.items(of: u)))
        }
        XCTAssertTrue(m.lossHistory.last! < m.lossHistory.first!)
        assertBatchMatches(m, k: 2)
    }
}

func assertClose(_ a: [Float], _ b: [Double], _ tol: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(Double(x), y, accuracy: tol, file: file, line: line) }
}
