import XCTest
@testable import RecCore

/// Tables shared by the table tests.
enum TableFixtures {
    /// A small ratings table with a null and a cell that needs CSV quoting.
    static func ratings() throws -> Table {
        try Table(columnNames: ["user", "item", "rating", "title"], rows: [
            [1, 10, 4.5, "Toy Story"],
            [2, 10, 3.0, "Toy Story"],
            [1, 20, 5.0, "Heat"],
            [3, 30, nil, "Casino, \"1995\""],
        ])
    }
}

final class TableTests: XCTestCase {
    func testBuildFromRowsInfersTypesAndNulls() throws {
        let t = try TableFixtures.ratings()
        XCTAssertEqual(t.rowCount, 4)
        XCTAssertEqual(t.columnNames, ["user", "item", "rating", "title"])
        XCTAssertEqual(t.schema.map { $0.type }, [.int, .int, .double, .string])
        let rating = try t.column("rating")
        XCTAssertEqual(rating.nullCount, 1)
        XCTAssertTrue(rating.isNull(3))
        XCTAssertEqual(rating[3], .null)
        XCTAssertEqual(rating.doubles, [4.5, 3.0, 5.0, 0])  // null slot holds the zero value
        XCTAssertNil(try t.column("user").validity)  // no mask when nothing is null
    }

    func testIntsWidenToDoubleButOtherMixesFail() throws {
        let t = try Table(columnNames: ["x"], rows: [[1], [2.5], [nil]])
        XCTAssertEqual(try t.column("x").type, .double)
        XCTAssertEqual(t.rows, [[1.0], [2.5], [nil]])

        XCTAssertThrowsError(try Table(columnNames: ["a", "b"], rows: [[1, "x"], [2, 3]])) { error in
            XCTAssertEqual(error as? TableError,
                           .typeMismatch(context: "row 1 of column \"b\"", expected: "String", found: "Int"))
            XCTAssertEqual("\(error)", "type mismatch in row 1 of column \"b\": expected String, found Int")
        }
        XCTAssertThrowsError(try Table(columnNames: ["a", "b"], rows: [[1, 2], [3]])) { error in
            XCTAssertEqual(error as? TableError, .lengthMismatch(context: "row 1", expected: 2, found: 1))
        }
    }

    func testExplicitTypesDecideAllNullColumns() throws {
        let t = try Table(columnNames: ["a", "b"], rows: [[nil, nil]], types: [.int, .bool])
        XCTAssertEqual(t.schema.map { $0.type }, [.int, .bool])
        let untyped = try Table(columnNames: ["a"], rows: [[nil]])
        XCTAssertEqual(untyped.schema.map { $0.type }, [.string])
    }

    func testBuildFromRecordsUnionsNamesInFirstSeenOrder() throws {
        let t = try Table(records: [
            [("id", 1), ("name", "a")],
            [("name", "b"), ("score", 0.5)],
        ])
        XCTAssertEqual(t.columnNames, ["id", "name", "score"])
        XCTAssertEqual(t.rows, [[1, "a", nil], [nil, "b", 0.5]])
        XCTAssertThrowsError(try Table(records: [[("a", 1), ("a", 2)]])) { error in
            XCTAssertEqual(error as? TableError, .duplicateColumn("a"))
        }
    }

    func testColumnsMustHaveEqualLengthsAndUniqueNames() throws {
        XCTAssertThrowsError(try Table([("a", Column(ints: [1, 2])), ("b", Column(ints: [1]))])) { error in
            XCTAssertEqual(error as? TableError, .lengthMismatch(context: "column \"b\"", expected: 2, found: 1))
            XCTAssertEqual("\(error)", "length mismatch in column \"b\": expected 2 rows, found 1")
        }
        XCTAssertThrowsError(try Table([("a", Column(ints: [1])), ("a", Column(ints: [2]))])) { error in
            XCTAssertEqual(error as? TableError, .duplicateColumn("a"))
        }
    }

    func testUnknownColumnErrorListsTheColumns() throws {
        let t = try TableFixtures.ratings()
        XCTAssertThrowsError(try t.column("score")) { error in
            XCTAssertEqual("\(error)", "unknown column \"score\" (columns: user, item, rating, title)")
        }
        XCTAssertThrowsError(try t.select(["user", "nope"]))
        XCTAssertThrowsError(try t.sorted(by: "nope"))
        XCTAssertThrowsError(try t.groupBy(["nope"], [.count()]))
        XCTAssertNil(t["score"])
    }

    func testRowAccess() throws {
        let t = try TableFixtures.ratings()
        let pairs = try t.rowPairs(3)
        XCTAssertEqual(pairs.map { $0.name }, ["user", "item", "rating", "title"])
        XCTAssertEqual(pairs.map { $0.value }, [3, 30, nil, "Casino, \"1995\""])
        XCTAssertEqual(try t.row(1)["title"], "Toy Story")
        XCTAssertEqual(try t.value(row: 0, column: "rating"), 4.5)
        XCTAssertThrowsError(try t.row(4)) { error in
            XCTAssertEqual(error as? TableError, .rowOutOfRange(4, count: 4))
        }
        XCTAssertThrowsError(try t.row(0).value("nope"))
    }

    func testHeadTailSelectDrop() throws {
        let t = try TableFixtures.ratings()
        XCTAssertEqual(t.head(2).rows, [[1, 10, 4.5, "Toy Story"], [2, 10, 3.0, "Toy Story"]])
        XCTAssertEqual(t.tail(1).rows, [[3, 30, nil, "Casino, \"1995\""]])
        XCTAssertEqual(t.head(100).rowCount, 4)
        XCTAssertEqual(t.head(-1).rowCount, 0)
        let s = try t.select(["title", "user"])
        XCTAssertEqual(s.columnNames, ["title", "user"])
        XCTAssertEqual(s.rows[2], ["Heat", 1])
        XCTAssertEqual(try t.drop(["item", "title"]).columnNames, ["user", "rating"])
        XCTAssertEqual(try t.select([]).rowCount, 4)  // row count survives selecting no columns
    }

    func testFilterByRowViewIndexAndMask() throws {
        let t = try TableFixtures.ratings()
        let high = t.filter { ($0["rating"].doubleValue ?? 0) >= 4.5 }
        XCTAssertEqual(try high.column("item").ints, [10, 20])
        let even = t.filterByIndex { $0 % 2 == 0 }
        XCTAssertEqual(try even.column("user").ints, [1, 1])
        XCTAssertEqual(try t.filter(mask: [false, true, false, true]).column("user").ints, [2, 3])
        XCTAssertThrowsError(try t.filter(mask: [true])) { error in
            XCTAssertEqual(error as? TableError, .lengthMismatch(context: "filter mask", expected: 4, found: 1))
        }
        struct Stop: Error {}
        XCTAssertThrowsError(try t.filter { _ in throw Stop() })
    }

    func testSortIsStableMultiKeyAndPutsNullsLast() throws {
        let t = try Table(columnNames: ["g", "v", "id"], rows: [
            ["b", 2.0, 0], ["a", nil, 1], ["b", 1.0, 2], ["a", 3.0, 3], ["b", 2.0, 4], ["a", .double(.nan), 5],
        ])
        let asc = try t.sorted(by: "v")
        XCTAssertEqual(try asc.column("id").ints, [2, 0, 4, 3, 1, 5])  // equal 2.0s keep order; null, NaN last
        let desc = try t.sorted(by: "v", ascending: false)
        XCTAssertEqual(try desc.column("id").ints, [3, 0, 4, 2, 1, 5])  // still stable, missing still last
        let multi = try t.sorted(by: [SortKey("g"), SortKey("v", ascending: false)])
        XCTAssertEqual(try multi.column("id").ints, [3, 1, 5, 0, 4, 2])
        XCTAssertThrowsError(try t.sorted(by: [])) { error in
            XCTAssertEqual("\(error)", "sort needs at least one column")
        }
        let bools = try Table(columnNames: ["b"], rows: [[true], [false], [nil], [true]])
        XCTAssertEqual(try bools.sorted(by: "b").rows, [[false], [true], [true], [nil]])
    }

    func testAddSetRenameColumns() throws {
        let t = try TableFixtures.ratings()
        let added = try t.adding("seen", Column(bools: [true, false, true, true]))
        XCTAssertEqual(added.columnNames.last, "seen")
        XCTAssertThrowsError(try t.adding("seen", Column(bools: [true]))) { error in
            XCTAssertEqual(error as? TableError, .lengthMismatch(context: "column \"seen\"", expected: 4, found: 1))
        }
        XCTAssertThrowsError(try t.adding("user", Column(ints: [1, 2, 3, 4]))) { error in
            XCTAssertEqual(error as? TableError, .duplicateColumn("user"))
        }
        let fromValues = try t.adding("x", values: [1, 2, nil, 4])
        XCTAssertEqual(try fromValues.column("x"), Column(optionalInts: [1, 2, nil, 4]))

        let replaced = try t.setting("item", Column(strings: ["a", "b", "c", "d"]))
        XCTAssertEqual(replaced.columnNames, t.columnNames)
        XCTAssertEqual(try replaced.column("item").type, .string)

        let renamed = try t.renamed("rating", to: "score")
        XCTAssertEqual(renamed.columnNames, ["user", "item", "score", "title"])
        XCTAssertEqual(try renamed.column("score"), try t.column("rating"))
        XCTAssertFalse(renamed.hasColumn("rating"))
        let swapped = try t.renamed([("user", "item"), ("item", "user")])
        XCTAssertEqual(try swapped.column("user").ints, [10, 10, 20, 30])
        XCTAssertThrowsError(try t.renamed("user", to: "item")) { error in
            XCTAssertEqual(error as? TableError, .duplicateColumn("item"))
        }
    }

    func testConcatMatchesByNameAndWidens() throws {
        let a = try Table(columnNames: ["id", "score"], rows: [[1, 1], [2, 2]])
        let b = try Table(columnNames: ["score", "id"], rows: [[0.5, 3]])
        let c = try Table.concat([a, b])
        XCTAssertEqual(c.columnNames, ["id", "score"])
        XCTAssertEqual(try c.column("score").type, .double)
        XCTAssertEqual(c.rows, [[1, 1.0], [2, 2.0], [3, 0.5]])

        let nulls = try Table(columnNames: ["id", "score"], rows: [[4, nil]])  // score typed String (all null)
        XCTAssertEqual(try c.appending(nulls).rows.last, [4, nil])

        let text = try Table(columnNames: ["id", "score"], rows: [[5, "high"]])
        XCTAssertThrowsError(try a.appending(text)) { error in
            XCTAssertEqual(error as? TableError, .typeMismatch(context: "column \"score\"", expected: "Int", found: "String"))
        }
        let other = try Table(columnNames: ["id"], rows: [[5]])
        XCTAssertThrowsError(try a.appending(other))
    }

    func testColumnGatherWithMissingRowsGivesNulls() {
        let c = Column(strings: ["a", "b"])
        let g = c.gathered([1, -1, 0])
        XCTAssertEqual(g.values, ["b", nil, "a"])
        XCTAssertEqual(g.validity, [true, false, true])
    }

    func testColumnEqualityTreatsNaNAsEqualAndIgnoresNullSlots() {
        XCTAssertEqual(Column(doubles: [.nan, 1]), Column(doubles: [.nan, 1]))
        XCTAssertEqual(Column(ints: [7, 2], validity: [false, true]), Column(ints: [0, 2], validity: [false, true]))
        XCTAssertNotEqual(Column(ints: [1]), Column(doubles: [1]))
    }
}
