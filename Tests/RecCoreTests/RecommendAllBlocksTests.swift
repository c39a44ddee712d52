import Foundation
@testable import RecCore
import XCTest

/// `recommendAll` scores users in blocks and factor models go over their item factors in tiles:
/// the lists and scores must be exactly those of scoring each user on its own by the definition
/// (μ + b_u + b_i + p_u · q_i with `dot`), whatever the block and tile sizes.
final class RecommendAllBlocksTests: XCTestCase {
    private var data: Interactions { SyntheticGenerator(SyntheticConfig(users: 90, items: 70, seed: 7)).generate() }

    /// The scores of every item for `user` as `FactorModel` defined them before blocks and tiles.
    private func reference(_ m: FactorModel, user: Int32) -> [Float] {
        let f = m.factors
        let known = user >= 0 && Int(user) < m.userCount
        let base = m.globalMean + (known ? m.userBias?[Int(user)] ?? 0 : 0)
        return (0..<m.itemCount).map { i -> Float in
            var s = base
            if known {
                let d = m.userFactors.withUnsafeBufferPointer { p in
                    m.itemFactors.withUnsafeBufferPointer { q in dot(p.baseAddress! + Int(user) * f, q.baseAddress! + i * f, f) }
                }
                s = base + d
            }
            if let b = m.itemBias { s += b[i] }
            return s
        }
    }

    /// The k best of `keep` items by score, ties to the lower index, -∞ and NaN left out.
    private func ranked(_ scores: [Float], k: Int, keep: (Int) -> Bool) -> [Int] {
        let candidates = scores.indices.filter { keep($0) && scores[$0] > -.infinity }
        let sorted = candidates.sorted { (a: Int, b: Int) -> Bool in
            let sa = scores[a], sb = scores[b]
            return sa > sb || (sa == sb && a < b)
        }
        return Array(sorted.prefix(k))
    }

    private func models() throws -> [FactorModel] {
        let implicit = ImplicitALS(factors: 5, iterations: 2, regularization: 0.1, alpha: 1, seed: 1)
        try implicit.fit(data.replacingValues(nil))
        let biased = BiasedMF(factors: 6, epochs: 3, seed: 2)
        try biased.fit(data)
        return [implicit, biased]
    }

    func testBlocksAndTilesScoreAsOneUserAtATime() throws {
        for m in try models() {
            let users: [Int32] = [3, 0, Int32(m.userCount), 17, 3, 89, 42]   // an unknown user, a repeat
            let n = m.itemCount
            for tile in [1, 4, 7, n, 10 * n] {
                var out = [Float](repeating: .nan, count: users.count * n)
                users.withUnsafeBufferPointer { u in
                    out.withUnsafeMutableBufferPointer { m.scoreAll(users: u, into: $0.baseAddress!, tileItems: tile) }
                }
                for (b, u) in users.enumerated() {
                    XCTAssertEqual(bits(Array(out[b * n ..< (b + 1) * n])), bits(reference(m, user: u)), "\(m.name) user \(u), tiles of \(tile)")
                }
            }
        }
    }

    func testListsEqualTheReferenceRanking() throws {
        for m in try models() {
            let users = (0..<Int32(m.userCount)).reversed() + [Int32(m.userCount)]
            let k = 6
            let batch = m.recommendAll(users: users, k: k)
            let batched = try m.recommendAll(users: users, k: k, cancellation: .none, usersPerBatch: 13)
            XCTAssertEqual(batched, batch)
            for (r, u) in users.enumerated() {
                var scores = reference(m, user: m.scoringIndex(user: u))
                if Int(u) < m.userCount { for i in m.trainingItems.items(of: u) { scores[Int(i)] = -.infinity } }
                let expected = ranked(scores, k: k) { m.knows(item: Int32($0)) }
                XCTAssertEqual(batch.list(r).map(\.item), expected.map { Int32($0) }, "\(m.name) user \(u)")
                XCTAssertEqual(bits(batch.list(r).map(\.score)), bits(expected.map { scores[$0] }), "\(m.name) user \(u)")
            }
        }
    }

    /// With blocks of 4 items the bound stops some lists early, and every list is still the
    /// reference's.
    func testTheNormBoundSkipsItemsAndKeepsTheLists() throws {
        let m = try models()[0]
        let ranking = try XCTUnwrap(BoundedRanking(m, excluding: m.unknownItems, block: 4))
        XCTAssertNil(BoundedRanking(try models()[1], excluding: []), "item biases break the norm order")
        let k = 3
        var scored = 0
        let items = UnsafeMutableBufferPointer<Int32>.allocate(capacity: k)
        let values = UnsafeMutableBufferPointer<Float>.allocate(capacity: k)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 4)
        defer { items.deallocate(); values.deallocate(); scratch.deallocate() }
        for u in 0..<Int32(m.userCount) {
            var masked = [Bool](repeating: false, count: m.itemCount)
            for i in m.trainingItems.items(of: u) { masked[Int(i)] = true }
            let r = masked.withUnsafeBufferPointer {
                ranking.select(user: u, k: k, masked: $0.baseAddress!, scratch: scratch, items: items, values: values)
            }
            scored += r.scored
            XCTAssertEqual(Array(items.prefix(r.listed)), m.recommend(user: u, k: k).map(\.item), "user \(u)")
            let scores = reference(m, user: u)
            let expected = ranked(scores, k: k) { !masked[$0] && m.knows(item: Int32($0)) }
            XCTAssertEqual(bits(Array(values.prefix(r.listed))), bits(expected.map { scores[$0] }), "user \(u)")
        }
        // 5 544 of 6 300 on this small, flat model: the bound did stop some lists early.
        XCTAssertLessThan(scored, m.userCount * ranking.order.count, "the bound never stopped a list early")
    }

    func testTooManyListsAreRefusedBeforeAllocating() throws {
        let m = try models()[0]
        let saved = MemoryBudget.limit
        defer { MemoryBudget.limit = saved }
        MemoryBudget.limit = 1000
        XCTAssertThrowsError(try m.recommendAll(users: Array(0..<Int32(m.userCount)), k: 10, cancellation: .none)) {
            XCTAssertTrue($0 is ResourceError, "\($0)")
        }
    }
}
