import XCTest
@testable import RecCore

/// Neighbourhood selection on the 4 × 4 matrix of ModelsItemKNNTests (cosine: s(i0,i1) =
/// 0.384473224, s(i0,i2) = 0.768946448, s(i1,i3) = 0.780868809, others 0), with k = 1.
/// i0's neighbours, most similar first, are i2 then i1; i1's are i3 then i0.
/// u2 has i1 (5) and i3 (4); u1 has i0 (4) and i2 (5).
///   selection "item": i0 keeps only i2, which u2 lacks → score 0 (explicit: u2's mean 4.5);
///                     i1 keeps only i3, which u1 lacks → 0.
///   selection "user": among u2's items the one nearest i0 is i1 → 0.384473224 (explicit: 5);
///                     among u1's items the one nearest i1 is i0 → 0.384473224 (explicit: 4).
final class ItemKNNSelectionTests: XCTestCase {
    func testItemAndUserSelectionDifferByHand() throws {
        let item = ItemKNN(neighbours: 1, selection: .item), user = ItemKNN(neighbours: 1, selection: .user)
        try item.fit(try tinyRatings()); try user.fit(try tinyRatings())
        assertClose(item.score(user: 2, items: [0, 2]), [0, 0], 1e-6)
        assertClose(user.score(user: 2, items: [0, 2]), [0.384473224, 0], 1e-6)
        assertClose(item.score(user: 1, items: [1, 3]), [0, 0], 1e-6)
        assertClose(user.score(user: 1, items: [1, 3]), [0.384473224, 0], 1e-6)
        // Where the item's own nearest is the user's, both agree: u0 has i0, i1 → i2 via i0, i3 via i1.
        XCTAssertEqual(user.score(user: 0, items: [2, 3]), item.score(user: 0, items: [2, 3]))
        // The stored lists are the full ones; the explanation names the neighbour used.
        XCTAssertEqual(items(user.similarItems(item: 0, k: 5)), [2, 1])
        XCTAssertEqual(user.explain(user: 2, item: 0).contributions.map(\.source), [.neighbour(item: 1)])
        XCTAssertTrue(item.explain(user: 2, item: 0).contributions.isEmpty)
        assertBatchMatches(user, k: 2)

        let ex = ItemKNN(neighbours: 1, feedback: .explicit, selection: .user)
        let exItem = ItemKNN(neighbours: 1, feedback: .explicit, selection: .item)
        try ex.fit(try tinyRatings()); try exItem.fit(try tinyRatings())
        assertClose(ex.score(user: 2, items: [0]), [5], 1e-6)
        assertClose(exItem.score(user: 2, items: [0]), [4.5], 1e-6)
        assertClose(ex.score(user: 1, items: [1]), [4], 1e-6)
    }

    /// With k = 1 only the nearest of the user's items counts: a user u4 with i1 and i2 (both in
    /// i0's list, i2 first) scores i0 by s(i0,i2) alone; with k = 2, by s(i0,i1) + s(i0,i2).
    func testUserSelectionTakesTheKNearestOfTheUsersItems() throws {
        let data = try tinyRatings().appending(try Interactions(userIDs: ["u4", "u4"], itemIDs: ["i1", "i2"], values: [1, 1]))
        let one = ItemKNN(neighbours: 1, selection: .user), two = ItemKNN(neighbours: 2, selection: .user)
        try one.fit(data); try two.fit(data)
        let s01 = two.similarity(0, 1), s02 = two.similarity(0, 2)
        XCTAssertGreaterThan(s02, s01)
        XCTAssertEqual(one.score(user: 4, items: [0])[0], s02, accuracy: 1e-6)
        XCTAssertEqual(two.score(user: 4, items: [0])[0], s01 + s02, accuracy: 1e-6)
        // max_neighbours = k stores k per item, which is selection "item" again.
        let capped = ItemKNN(neighbours: 1, selection: .user, maxNeighbours: 1), plain = ItemKNN(neighbours: 1)
        try capped.fit(data); try plain.fit(data)
        for u: Int32 in 0..<5 { XCTAssertEqual(capped.score(user: u, items: [0, 1, 2, 3]), plain.score(user: u, items: [0, 1, 2, 3])) }
    }

    func testCatalogueChecksMaxNeighbours() throws {
        XCTAssertEqual(try ItemKNN.kind.configure().string("selection"), "item")
        XCTAssertThrowsError(try ItemKNN.kind.configure(["selection": .string("user"), "k": .int(20), "max_neighbours": .int(10)])) { e in
            XCTAssertEqual("\(e)", "item_knn(): max_neighbours (10) must be at least k (20)")
        }
        XCTAssertThrowsError(try ItemKNN.kind.configure(["max_neighbours": .int(50)])) { e in
            XCTAssertEqual("\(e)", "item_knn(): max_neighbours applies to selection: \"user\" (selection \"item\" stores k)")
        }
        let m = try ItemKNN.kind.configure(["selection": .string("user"), "max_neighbours": .int(50)]).make() as! ItemKNN
        XCTAssertEqual(m.selection, .user); XCTAssertEqual(m.maxNeighbours, 50)
    }
}
