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
        let capped = ItemKNN(neighbours: 1, selection: .user, maxNeighbours: 1), plain = ItemKNN(neighbours: 1, selection: .item)
        try capped.fit(data); try plain.fit(data)
        for u: Int32 in 0..<5 { XCTAssertEqual(capped.score(user: u, items: [0, 1, 2, 3]), plain.score(user: u, items: [0, 1, 2, 3])) }
    }

    /// Five users over a, b, c: u0 {a, b}, u1 {a, b}, u2 {a, c}, u3 {c}, u4 {b, c}. Every column
    /// has three users, so cos = common users / 3: s(a,b) = 2/3, s(a,c) = s(b,c) = 1/3. With
    /// k = 1 the own lists are a: [b], b: [a], c: [a] (a and b tie for c; the lower index wins),
    /// so the symmetric lists are a: [b, c] (c holds a), b: [a], c: [a].
    ///   u3 (c) scores a: "symmetric" 1/3 through the reverse link, "item" 0, "user" 1/3;
    ///              b: "symmetric" 0 (b and c are not linked), "item" 0, "user" 1/3.
    ///   u4 (b, c) scores a: "symmetric" 2/3 + 1/3 = 1 — both of a's links — "item" and "user" 2/3.
    func testSymmetricSelectionAddsTheReverseLinksByHand() throws {
        let data = try Interactions(userIDs: ["u0", "u0", "u1", "u1", "u2", "u2", "u3", "u4", "u4"],
                                    itemIDs: ["a", "b", "a", "b", "a", "c", "c", "b", "c"])
        let sym = ItemKNN(neighbours: 1, selection: .symmetric), item = ItemKNN(neighbours: 1, selection: .item),
            user = ItemKNN(neighbours: 1, selection: .user)
        for m in [sym, item, user] { try m.fit(data) }
        XCTAssertEqual(sym.neighbourPtr, [0, 2, 3, 4])
        XCTAssertEqual(sym.neighbourItems, [1, 2, 0, 0])
        assertClose(sym.neighbourSims, [2.0 / 3, 1.0 / 3, 2.0 / 3, 1.0 / 3], 1e-6)
        assertClose(sym.score(user: 3, items: [0, 1]), [1.0 / 3, 0], 1e-6)
        assertClose(item.score(user: 3, items: [0, 1]), [0, 0], 1e-6)
        assertClose(user.score(user: 3, items: [0, 1]), [1.0 / 3, 1.0 / 3], 1e-6)
        assertClose(sym.score(user: 4, items: [0]), [1], 1e-6)
        assertClose(item.score(user: 4, items: [0]), [2.0 / 3], 1e-6)
        assertClose(user.score(user: 4, items: [0]), [2.0 / 3], 1e-6)
        // similar_items(a, 1) is still a's own nearest; the explanation names both links.
        XCTAssertEqual(items(sym.similarItems(item: 0, k: 1)), [1])
        XCTAssertEqual(items(sym.similarItems(item: 0, k: 5)), [1, 2])
        XCTAssertEqual(sym.explain(user: 4, item: 0).contributions.map(\.source), [.neighbour(item: 1), .neighbour(item: 2)])
        XCTAssertEqual(sym.recommend(user: 3, k: 1).map(\.item), [0])
        assertBatchMatches(sym, k: 2)
        // Explicit: u4 rates nothing here, so a's prediction is the weighted average of 1 and 1.
        let ex = ItemKNN(neighbours: 1, feedback: .explicit, selection: .symmetric)
        try ex.fit(try Interactions(userIDs: ["u0", "u0", "u1", "u1", "u2", "u2", "u3", "u4", "u4"],
                                    itemIDs: ["a", "b", "a", "b", "a", "c", "c", "b", "c"], values: [4, 4, 4, 4, 4, 4, 2, 5, 2]))
        let sab = ex.similarity(0, 1), sac = ex.similarity(0, 2)
        XCTAssertGreaterThan(sab, 0); XCTAssertGreaterThan(sac, 0)
        // u4 rated b 5 and c 2: (s_ab·5 + s_ac·2) / (s_ab + s_ac), with the rating-valued cosines.
        XCTAssertEqual(ex.score(user: 4, items: [0])[0], (sab * 5 + sac * 2) / (sab + sac), accuracy: 1e-5)
    }

    /// An update redraws the reverse links: the log above twice, over a, b, c and over x, y, z
    /// (users v0…v4 as u0…u4). A new user u5 {b, c} makes s(b,c) = 2/4 beat s(a,c) = 1/√12, so
    /// c's own nearest becomes b: a loses c and b gains it, as in a refit on the whole log; x, y
    /// and z, which no new event touches, keep their lists (x: [y, z]) from the stored ones.
    func testSymmetricListsFollowAnUpdate() throws {
        let users = ["0", "0", "1", "1", "2", "2", "3", "4", "4"]
        let data = try Interactions(userIDs: users.map { "u" + $0 } + users.map { "v" + $0 },
                                    itemIDs: ["a", "b", "a", "b", "a", "c", "c", "b", "c", "x", "y", "x", "y", "x", "z", "z", "y", "z"])
        let m = ItemKNN(neighbours: 1, selection: .symmetric)
        try m.fit(data)
        XCTAssertEqual(items(m.similarItems(item: 0, k: 5)), [1, 2])
        XCTAssertEqual(items(m.similarItems(item: 3, k: 5)), [4, 5])
        let extra = try Interactions(userIDs: ["u5", "u5"], itemIDs: ["b", "c"])
        let update = TrainingUpdate(previous: data, newEvents: extra)
        try m.update(update, context: FitContext())
        let refit = ItemKNN(neighbours: 1, selection: .symmetric)
        try refit.fit(update.all)
        XCTAssertEqual(m.neighbourPtr, refit.neighbourPtr)
        XCTAssertEqual(m.neighbourItems, refit.neighbourItems)
        XCTAssertEqual(m.neighbourSims, refit.neighbourSims)
        XCTAssertEqual(items(m.similarItems(item: 0, k: 5)), [1])
        XCTAssertEqual(items(m.similarItems(item: 1, k: 5)), [0, 2])
        XCTAssertEqual(items(m.similarItems(item: 3, k: 5)), [4, 5])
    }

    func testCatalogueChecksMaxNeighbours() throws {
        XCTAssertEqual(try ItemKNN.kind.configure().string("selection"), "item")
        XCTAssertEqual(ItemKNN().selection, .item)
        XCTAssertThrowsError(try ItemKNN.kind.configure(["selection": .string("user"), "k": .int(20), "max_neighbours": .int(10)])) { e in
            XCTAssertEqual("\(e)", "item_knn(): max_neighbours (10) must be at least k (20)")
        }
        XCTAssertThrowsError(try ItemKNN.kind.configure(["max_neighbours": .int(50)])) { e in
            XCTAssertEqual("\(e)", "item_knn(): max_neighbours applies to selection: \"user\" (selection \"item\" stores k)")
        }
        XCTAssertThrowsError(try ItemKNN.kind.configure(["selection": .string("symmetric"), "max_neighbours": .int(50)])) { e in
            XCTAssertEqual("\(e)", "item_knn(): max_neighbours applies to selection: \"user\" (selection \"symmetric\" stores k)")
        }
        let m = try ItemKNN.kind.configure(["selection": .string("user"), "max_neighbours": .int(50)]).make() as! ItemKNN
        XCTAssertEqual(m.selection, .user); XCTAssertEqual(m.maxNeighbours, 50)
    }
}
