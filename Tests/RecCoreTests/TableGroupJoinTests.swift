import XCTest
@testable import RecCore

final class TableGroupJoinTests: XCTestCase {
    func testGroupByAllAggregatesHandComputed() throws {
        let t = try TableFixtures.ratings()
        let g = try t.groupBy(["user"], [
            .count(), .count("rating"), .sum("rating"), .mean("rating"), .min("rating"), .max("rating"),
            .std("rating"), .first("title"), .nUnique("item"), .min("title"),
        ])
        XCTAssertEqual(g.columnNames, ["user", "count", "rating_count", "rating_sum", "rating_mean", "rating_min",
                                       "rating_max", "rating_std", "title_first", "item_n_unique", "title_min"])
        // Groups in order of first appearance: users 1, 2, 3.
        XCTAssertEqual(try g.column("user").ints, [1, 2, 3])
        XCTAssertEqual(try g.column("count").ints, [2, 1, 1])
        XCTAssertEqual(try g.column("rating_count").ints, [2, 1, 0])
        XCTAssertEqual(try g.column("rating_sum").doubles, [9.5, 3.0, 0.0])  // empty group sums to 0
        XCTAssertEqual(try g.column("rating_mean").values, [4.75, 3.0, nil])
        XCTAssertEqual(try g.column("rating_min").values, [4.5, 3.0, nil])
        XCTAssertEqual(try g.column("rating_max").values, [5.0, 3.0, nil])
        // std of {4.5, 5.0} with n-1: sqrt((0.25² + 0.25²) / 1) = sqrt(0.125)
        let std = try g.column("rating_std")
        XCTAssertEqual(std[0].doubleValue!, 0.125.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(std[1], .null)  // one value: undefined
        XCTAssertEqual(std[2], .null)
        XCTAssertEqual(try g.column("title_first").values, ["Toy Story", "Toy Story", "Casino, \"1995\""])
        XCTAssertEqual(try g.column("item_n_unique").ints, [2, 1, 1])
        XCTAssertEqual(try g.column("title_min").values, ["Heat", "Toy Story", "Casino, \"1995\""])
    }

    func testGroupByMultipleKeysWithNullKeyGroup() throws {
        let t = try Table(columnNames: ["a", "b", "x"], rows: [
            ["u", 1, 10], ["v", 1, 20], ["u", 1, 30], ["u", 2, 40], [nil, 1, 50], [nil, 1, 60], ["v", nil, 70],
        ])
        let g = try t.groupBy(["a", "b"], [.sum("x"), Aggregate(.mean, "x", as: "avg")])
        XCTAssertEqual(g.rows, [
            ["u", 1, 40, 20.0],
            ["v", 1, 20, 20.0],
            ["u", 2, 40, 40.0],
            [nil, 1, 110, 55.0],
            ["v", nil, 70, 70.0],
        ])
        XCTAssertEqual(try g.column("x_sum").type, .int)  // Int sums stay Int
    }

    func testGroupByWithoutKeysAggregatesEverything() throws {
        let t = try TableFixtures.ratings()
        let g = try t.groupBy([], [.count(), .mean("rating"), .nUnique("title")])
        XCTAssertEqual(g.rows, [[4, .double(12.5 / 3), 3]])
        let empty = try t.filter(mask: [false, false, false, false]).groupBy([], [.count(), .sum("user")])
        XCTAssertEqual(empty.rows, [[0, 0]])
    }

    func testGroupByBoolAndErrors() throws {
        let t = try Table(columnNames: ["k", "ok", "s"], rows: [[1, true, "a"], [1, false, "b"], [1, true, "a"]])
        let g = try t.groupBy(["k"], [.sum("ok"), .mean("ok"), .nUnique("s")])
        XCTAssertEqual(g.rows, [[1, 2, .double(2.0 / 3), 2]])
        XCTAssertThrowsError(try t.groupBy(["k"], [.mean("s")])) { error in
            XCTAssertEqual("\(error)", "type mismatch in mean of column \"s\": expected Int, Float or Bool, found String")
        }
        XCTAssertThrowsError(try t.groupBy(["k"], [Aggregate(.sum)]))
        let big = try Table(columnNames: ["v"], rows: [[.int(Int64.max)], [1]])
        XCTAssertThrowsError(try big.groupBy([], [.sum("v")]))
    }

    func testInnerJoinOnSameNamedKeys() throws {
        let ratings = try TableFixtures.ratings().select(["user", "item", "rating"])
        let items = try Table(columnNames: ["item", "title", "rating"], rows: [
            [20, "Heat", 7.9], [10, "Toy Story", 8.3], [40, "Unseen", 6.0], [10, "Toy Story (dup)", 8.0],
        ])
        let j = try ratings.join(items, on: ["item"])
        XCTAssertEqual(j.columnNames, ["user", "item", "rating", "title", "rating_right"])
        XCTAssertEqual(j.rows, [
            [1, 10, 4.5, "Toy Story", 8.3],
            [1, 10, 4.5, "Toy Story (dup)", 8.0],
            [2, 10, 3.0, "Toy Story", 8.3],
            [2, 10, 3.0, "Toy Story (dup)", 8.0],
            [1, 20, 5.0, "Heat", 7.9],
        ])
    }

    func testLeftJoinKeepsUnmatchedRowsWithNulls() throws {
        let ratings = try TableFixtures.ratings().select(["user", "item"])
        let items = try Table(columnNames: ["item", "year"], rows: [[10, 1995], [20, 1995]])
        let j = try ratings.join(items, on: ["item"], kind: .left)
        XCTAssertEqual(j.rows, [[1, 10, 1995], [2, 10, 1995], [1, 20, 1995], [3, 30, nil]])
        XCTAssertEqual(try j.column("year").nullCount, 1)
    }

    func testJoinOnDifferentNamesMultipleKeysAndNullKeys() throws {
        let l = try Table(columnNames: ["u", "i", "x"], rows: [[1, "a", 1], [1, "b", 2], [2, "a", 3], [nil, "a", 4]])
        let r = try Table(columnNames: ["user", "item", "y"], rows: [[1, "b", 20], [2, "a", 30], [1, "a", 10], [nil, "a", 99]])
        let j = try l.join(r, leftOn: ["u", "i"], rightOn: ["user", "item"], kind: .left)
        XCTAssertEqual(j.columnNames, ["u", "i", "x", "user", "item", "y"])
        XCTAssertEqual(try j.column("y").values, [10, 20, 30, nil])  // null keys never match
    }

    func testJoinKeyTypes() throws {
        let l = try Table(columnNames: ["k"], rows: [[1], [2]])
        let r = try Table(columnNames: ["k", "v"], rows: [[2.0, "two"]])
        XCTAssertEqual(try l.join(r, on: ["k"]).rows, [[2, "two"]])  // Int and Float keys compare numerically
        let s = try Table(columnNames: ["k", "v"], rows: [["2", "two"]])
        XCTAssertThrowsError(try l.join(s, on: ["k"])) { error in
            XCTAssertEqual("\(error)", "type mismatch in join key \"k\" / \"k\": expected Int, found String")
        }
        XCTAssertThrowsError(try l.join(r, on: []))
        XCTAssertThrowsError(try l.join(r, on: ["v"]))
    }
}
