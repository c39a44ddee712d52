import Foundation
import XCTest
@testable import RecCore

/// Sequences (time order):  u0: i0 i1 i2    u1: i0 i2    u2: i3 i1 i1 i0    u3: i0 i2 (rows given
/// in the opposite order, timestamps 100 then 50). Transitions, self-loops dropped: i0→i1,
/// i1→i2, i0→i2, i3→i1, i1→i0, i0→i2, so P(·|i0) = (0, 1/3, 2/3, 0), P(·|i1) = (½, 0, ½, 0),
/// P(·|i3) = (0, 1, 0, 0), nothing leaves i2. Last items, most recent first: u0 (i2, i1),
/// u1 (i2, i0), u2 (i0, i1), u3 (i2, i0).
final class ModelsSequentialMarkovTests: XCTestCase {
    func sequences() throws -> Interactions {
        try Interactions(userIDs: ["u0", "u0", "u0", "u1", "u1", "u2", "u2", "u2", "u2", "u3", "u3"],
                         itemIDs: ["i0", "i1", "i2", "i0", "i2", "i3", "i1", "i1", "i0", "i2", "i0"],
                         timestamps: [10, 20, 30, 5, 6, 1, 2, 3, 4, 100, 50])
    }

    func testFirstOrderChain() throws {
        let m = SequentialMarkov(window: 1)
        try m.fit(try sequences())
        XCTAssertEqual(m.probability(from: 0, to: 2), 2.0 / 3, accuracy: 1e-7)
        XCTAssertEqual(m.probability(from: 1, to: 1), 0)   // self-transition not counted
        XCTAssertEqual(m.probability(from: 3, to: 1), 1)
        XCTAssertEqual(m.recent(user: 3), [2])
        // u2's last item is i0: P(·|i0).
        assertClose(m.score(user: 2, items: [0, 1, 2, 3]), [0, 1.0 / 3, 2.0 / 3, 0], 1e-6)
        XCTAssertEqual(items(m.recommend(user: 2, k: 3)), [2])   // i0, i1, i3 are u2's own
        assertClose(m.score(user: 0, items: [0, 1, 2, 3]), [0, 0, 0, 0], 0)   // nothing leaves i2
        XCTAssertEqual(m.score(user: 7, items: [1]), [0])
        let sim = m.similarItems(item: 0, k: 5)
        XCTAssertEqual(items(sim), [2, 1])
        assertClose(sim.map(\.score), [2.0 / 3, 1.0 / 3], 1e-6)
        assertBatchMatches(m, k: 2)
    }

    func testWindowWithDecay() throws {
        let m = SequentialMarkov(window: 2, decay: 0.5)
        try m.fit(try sequences())
        XCTAssertEqual(m.recent(user: 2), [0, 1])
        // u2: P(·|i0) + ½ P(·|i1) = (¼, ⅓, ⅔ + ¼, 0).
        assertClose(m.score(user: 2, items: [0, 1, 2, 3]), [0.25, 1.0 / 3, 2.0 / 3 + 0.25, 0], 1e-6)
        // u0: P(·|i2) = 0, + ½ P(·|i1) = (¼, 0, ¼, 0).
        assertClose(m.score(user: 0, items: [0, 1, 2, 3]), [0.25, 0, 0.25, 0], 1e-6)
        let e = m.explain(user: 2, item: 2)
        XCTAssertEqual(e.contributions.map(\.source), [.neighbour(item: 0), .neighbour(item: 1)])
        assertClose(e.contributions.map(\.value), [2.0 / 3, 0.25], 1e-6)
        XCTAssertEqual(e.contributions.map(\.value).reduce(0, +), e.score, accuracy: 1e-6)
        assertBatchMatches(m, k: 3)
        let again = SequentialMarkov(window: 2, decay: 0.5)
        try again.fit(try sequences())
        XCTAssertEqual(bits(again.transitionProbabilities), bits(m.transitionProbabilities))
    }

    func testNeedsTimestamps() throws {
        XCTAssertThrowsError(try SequentialMarkov().fit(try tinyRatings())) { e in
            XCTAssertEqual((e as? DataError)?.kind, .missingColumn)
            XCTAssertTrue("\(e)".contains("timestamps"))
        }
    }

    func testOnMovieLensU1() throws {
        let split = try MovieLens.loadSplit(try movieLensU1Directory(), name: "u1")
        let train = split.train.replacingValues(nil)
        let m = SequentialMarkov(window: 3, decay: 0.5)
        try m.fit(train)
        let pop = Popularity()
        try pop.fit(train)
        let ndcg = topNNDCG(m, train: train, test: split.test)
        let popNDCG = topNNDCG(pop, train: train, test: split.test)
        print(String(format: "SequentialMarkov(window 3) u1 NDCG@10 %.4f (popularity %.4f)", ndcg, popNDCG))
        XCTAssertGreaterThan(ndcg, 0.1)
    }
}
