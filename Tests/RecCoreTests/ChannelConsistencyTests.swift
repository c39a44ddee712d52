import XCTest
@testable import RecCore

/// List overlap by hand (Jaccard, rank-biased overlap, personalization), consistency across
/// channels, and the channel model's two ends: w = 1 is the base model everywhere, w = 0 each
/// channel's own model.
final class ChannelConsistencyTests: XCTestCase {
    private func s(_ xs: [Int32]) -> ArraySlice<Int32> { ArraySlice(xs) }

    func testJaccardAndRankBiasedOverlapByHand() {
        XCTAssertEqual(Metrics.jaccard(s([1, 2, 3]), s([3, 4, 1]), k: 3), 2.0 / 4.0)
        XCTAssertEqual(Metrics.jaccard(s([1, 2, 3]), s([3, 4, 1]), k: 1), 0)
        XCTAssertEqual(Metrics.jaccard(s([]), s([]), k: 3), 1)
        // A = 1 2 3, B = 1 3 2, p = 0.5: overlaps by depth 1, 1, 3; Σ (X_d/d)·p^d = 0.5 + 0.125 + 0.125 = 0.75,
        // RBO_ext = (3/3)·0.125 + (0.5/0.5)·0.75 = 0.875.
        XCTAssertEqual(Metrics.rankBiasedOverlap(s([1, 2, 3]), s([1, 3, 2]), p: 0.5, k: 3), 0.875, accuracy: 1e-12)
        // A = 1 2 3 4, B = 2 1 4 3, p = 0.9: X = 0, 2, 2, 4; Σ = 0.81 + (2/3)·0.729 + 0.6561 = 1.9521,
        // RBO_ext = 0.6561 + (0.1/0.9)·1.9521 = 0.873.
        XCTAssertEqual(Metrics.rankBiasedOverlap(s([1, 2, 3, 4]), s([2, 1, 4, 3]), p: 0.9, k: 4), 0.6561 + 1.9521 / 9, accuracy: 1e-12)
        XCTAssertEqual(Metrics.rankBiasedOverlap(s([1, 2, 3]), s([1, 2, 3]), p: 0.9, k: 3), 1, accuracy: 1e-12)
        XCTAssertEqual(Metrics.rankBiasedOverlap(s([1, 2]), s([3, 4]), p: 0.9, k: 2), 0)
    }

    func testPersonalizationEqualsTheMeanOverAllPairs() {
        // Pairs: {1,2}·{1,3} share 1 of 2, the others nothing: mean overlap 1/6.
        let lists = RecommendationLists([[1, 2], [1, 3], [4, 5]])
        XCTAssertEqual(Metrics.personalization(lists, k: 2, itemCount: 6)!, 5.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(Metrics.personalization(RecommendationLists([[1, 2], [2, 1]]), k: 2, itemCount: 3)!, 0, accuracy: 1e-12)
        XCTAssertNil(Metrics.personalization(RecommendationLists([[1]]), k: 1, itemCount: 2))
        // Against the pairwise definition on random lists.
        var rng = Xoshiro256(seed: 3)
        let many = (0..<40).map { _ in Array(Set((0..<5).map { _ in Int32(rng.nextInt(below: 12)) })).sorted() }.filter { $0.count == 5 }
        var overlap = 0.0, pairs = 0.0
        for a in 0..<many.count { for b in (a + 1)..<many.count { overlap += Double(Set(many[a]).intersection(many[b]).count) / 5; pairs += 1 } }
        XCTAssertEqual(Metrics.personalization(RecommendationLists(many), k: 5, itemCount: 12)!, 1 - overlap / pairs, accuracy: 1e-12)
    }

    func testConsistencyFromATablePerPairOfChannels() throws {
        // u1: app [a b], web [a b], store [c d]; u2: app [a c], web [c a], no store list.
        let t = try Table(columnNames: ["user", "channel", "item", "rank"], rows: [
            [.string("u1"), .string("app"), .string("a"), .int(1)], [.string("u1"), .string("app"), .string("b"), .int(2)],
            [.string("u1"), .string("web"), .string("b"), .int(2)], [.string("u1"), .string("web"), .string("a"), .int(1)],
            [.string("u1"), .string("store"), .string("c"), .int(1)], [.string("u1"), .string("store"), .string("d"), .int(2)],
            [.string("u2"), .string("app"), .string("a"), .int(1)], [.string("u2"), .string("app"), .string("c"), .int(2)],
            [.string("u2"), .string("web"), .string("c"), .int(1)], [.string("u2"), .string("web"), .string("a"), .int(2)],
        ])
        let c = try ChannelConsistency.measure(table: t, k: 2, p: 0.5)
        XCTAssertEqual(c.pairs.map { "\($0.channels.0)-\($0.channels.1)" }, ["app-web", "app-store", "web-store"])
        XCTAssertEqual(c.pairs.map(\.users), [2, 1, 1])
        // app·web: u1 identical (1, 1); u2 swapped: Jaccard 1, RBO_ext = (2/2)·0.25 + 1·(0·0.5 + 1·0.25) = 0.5.
        XCTAssertEqual(c.pairs[0].jaccard, 1)
        XCTAssertEqual(c.pairs[0].rbo, (1 + 0.5) / 2, accuracy: 1e-12)
        XCTAssertEqual(c.pairs[1].jaccard, 0)
        XCTAssertEqual(c.rbo, (1 + 0.5 + 0 + 0) / 4, accuracy: 1e-12)
        XCTAssertEqual(c.users, 2)
        let table = try c.table()
        let names = try table.column("channels")
        XCTAssertEqual((0..<table.rowCount).map { names[$0].description }, ["app · web", "app · store", "web · store", "all"])
    }

    func testSharedWeightOneIsTheBaseModelAndZeroEachChannelsOwn() throws {
        let d = SyntheticGenerator(SyntheticConfig(users: 200, items: 80, seed: 11)).generate().replacingValues(nil)
        let users = (0..<Int32(d.userCount)).map { $0 }
        let base = ItemKNN()
        try base.fit(d)
        let same = ChannelModel(sharedWeight: 1) { ItemKNN() }
        try same.fit(d)
        let own = ChannelModel(sharedWeight: 0) { ItemKNN() }
        try own.fit(d)
        let channels = d.channels!
        for c in channels.labels.indices {
            XCTAssertEqual(same.view(channel: c).recommendAll(users: users, k: 5).lists, base.recommendAll(users: users, k: 5).lists)
            let alone = ItemKNN()
            try alone.fit(d.selecting(rows: d.rowIndices { channels.codes[$0] == UInt16(c) }))
            // w = 0: the channel's own model, min–max scaled per user (0 for items it never saw).
            // (Lists differ from `alone`'s: a channel model leaves out what the user has on any channel.)
            for u in stride(from: Int32(0), to: Int32(d.userCount), by: 17) {
                var mine = [Float](repeating: 0, count: d.itemCount), theirs = mine
                mine.withUnsafeMutableBufferPointer { own.view(channel: c).scoreAll(user: u, into: $0) }
                theirs.withUnsafeMutableBufferPointer { alone.scoreAll(user: u, into: $0) }
                let known = (0..<d.itemCount).filter { alone.knows(item: Int32($0)) }
                let lo = known.map { theirs[$0] }.min()!, hi = known.map { theirs[$0] }.max()!
                for i in 0..<d.itemCount {
                    let want: Float = alone.knows(item: Int32(i)) && hi > lo ? (theirs[i] - lo) / (hi - lo) : 0
                    XCTAssertEqual(mine[i], want, accuracy: 1e-6, "channel \(channels.labels[c]), user \(u), item \(i)")
                }
            }
        }
        XCTAssertEqual(try ChannelConsistency.measure(same, users: users, k: 10).rbo, 1, accuracy: 1e-12)
        XCTAssertLessThan(try ChannelConsistency.measure(own, users: users, k: 10).rbo, 0.9)
    }
}
