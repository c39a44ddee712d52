import XCTest
@testable import RecCore

/// Popularity overall, per channel and per user group, against counts worked out by hand.
final class ModelsPopularityTests: XCTestCase {
    /// Users a, b (app mostly), c (web), d (no attribute value); items x, y, z.
    ///
    ///     a: x app, x app, y web          → main channel app
    ///     b: x app, z app                  → app
    ///     c: y web, z web, z web           → web
    ///     d: z store                       → store
    func data() throws -> Interactions {
        var d = try Interactions(userIDs: ["a", "a", "a", "b", "b", "c", "c", "c", "d"],
                                 itemIDs: ["x", "x", "y", "x", "z", "y", "z", "z", "z"],
                                 channels: ["app", "app", "web", "app", "app", "web", "web", "web", "store"])
        d.userAttributes = try AttributeTable(keys: ["a", "b", "c", "d"], columns: [("gender", .string(["F", "M", "F", nil]))])
        return d
    }

    func scores(_ m: Popularity, _ user: String, _ d: Interactions) -> [Float] {
        m.score(user: d.users.index(of: user)!, items: [0, 1, 2])   // x, y, z
    }

    func testOverallCountsRowsOrDistinctUsers() throws {
        let d = try data()
        let rows = Popularity(); try rows.fit(d)
        XCTAssertEqual(rows.counts, [3, 2, 4])
        let distinct = Popularity(distinctUsers: true); try distinct.fit(d)
        XCTAssertEqual(distinct.counts, [2, 2, 3])
        XCTAssertEqual(scores(rows, "a", d), [3, 2, 4])
    }

    func testByChannelUsesEachUsersMainChannel() throws {
        let d = try data()
        let m = Popularity(by: "channel"); try m.fit(d)
        XCTAssertEqual(m.groupLabels, ["app", "web", "store"])
        // app: x 3, y 0, z 1; web: x 0, y 2, z 2; store: z 1.
        XCTAssertEqual(scores(m, "a", d), [3, 0, 1])
        XCTAssertEqual(scores(m, "b", d), [3, 0, 1])
        XCTAssertEqual(scores(m, "c", d), [0, 2, 2])
        XCTAssertEqual(scores(m, "d", d), [0, 0, 1])
        // An unseen user gets the overall ranking.
        XCTAssertEqual(m.score(user: 99, items: [0, 1, 2]), [3, 2, 4])
        XCTAssertEqual(m.recommend(user: d.users.index(of: "c")!, k: 3).map(\.item), [0])   // only x is new to c
        let distinct = Popularity(distinctUsers: true, by: "channel"); try distinct.fit(d)
        XCTAssertEqual(scores(distinct, "c", d), [0, 2, 1])   // z twice by c on web counts once
        let e = m.explain(user: d.users.index(of: "c")!, item: 1)
        XCTAssertEqual(e.contributions, [.init(.feature("popularity among channel = web"), 2)])
    }

    func testByUserAttributeCountsAmongUsersSharingTheValue() throws {
        let d = try data()
        let m = Popularity(by: "gender"); try m.fit(d)
        XCTAssertEqual(m.groupLabels, ["F", "M"])
        // F = a + c: x 2, y 2, z 2; M = b: x 1, z 1; d has no value → overall.
        XCTAssertEqual(scores(m, "a", d), [2, 2, 2])
        XCTAssertEqual(scores(m, "b", d), [1, 0, 1])
        XCTAssertEqual(scores(m, "d", d), [3, 2, 4])
        XCTAssertEqual(m.explain(user: d.users.index(of: "d")!, item: 2).contributions, [.init(.popularity, 4)])
    }

    func testMissingGroupingIsAClearError() throws {
        let plain = try Interactions(userIDs: ["a"], itemIDs: ["x"])
        XCTAssertThrowsError(try Popularity(by: "channel").fit(plain)) { e in
            XCTAssertTrue("\(e)".contains("needs a channel column"), "\(e)")
        }
        XCTAssertThrowsError(try Popularity(by: "age").fit(try data())) { e in
            XCTAssertTrue("\(e)".contains("user attributes: gender"), "\(e)")
        }
    }
}
