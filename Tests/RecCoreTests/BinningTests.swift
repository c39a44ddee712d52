import XCTest
@testable import RecCore

/// Bins (edges, labels, which bin a value falls in), cutting attributes and table columns, the
/// natural order of group labels, and grouping evaluations, exposure and popularity by ranges.
final class BinningTests: XCTestCase {
    func testIntegerLabelsReadInclusively() throws {
        let b = try Bins(edges: [18, 25, 35, 50], integral: true)
        XCTAssertEqual(b.labels, ["<18", "18-24", "25-34", "35-49", "50+"])
        // [a, b): an edge belongs to the bin it starts.
        XCTAssertEqual([17, 18, 24, 25, 49, 50, 90].map { b.label(Double($0))! }, ["<18", "18-24", "18-24", "25-34", "35-49", "50+", "50+"])
        XCTAssertNil(b.bin(.nan))
        XCTAssertEqual(try Bins(edges: [4, 5, 10], integral: true).labels, ["<4", "4", "5-9", "10+"])
        XCTAssertEqual(try Bins(edges: [-5, 0], integral: true).labels, ["<-5", "-5 to -1", "0+"])
        XCTAssertEqual(try Bins(edges: [7], integral: true).labels, ["<7", "7+"])
    }

    func testFractionalLabelsUseIntervals() throws {
        let b = try Bins(edges: [0.5, 1, 2], integral: false)
        XCTAssertEqual(b.labels, ["<0.5", "[0.5, 1.0)", "[1.0, 2.0)", "≥2.0"])
        XCTAssertEqual([0.49, 0.5, 1.99, 2].map { b.label($0)! }, ["<0.5", "[0.5, 1.0)", "[1.0, 2.0)", "≥2.0"])
        // Integer data cut at a fractional edge is labelled as intervals too.
        XCTAssertFalse(try Bins(edges: [2.5], integral: true).integral)
    }

    func testBadEdgesAreErrors() {
        XCTAssertThrowsError(try Bins(edges: [], integral: true)) { XCTAssertTrue("\($0)".contains("bins: is empty"), "\($0)") }
        XCTAssertThrowsError(try Bins(edges: [5, 5], integral: true)) { XCTAssertTrue("\($0)".contains("ascending, without repeats"), "\($0)") }
        XCTAssertThrowsError(try Bins(edges: [1, .infinity], integral: false)) { XCTAssertTrue("\($0)".contains("finite"), "\($0)") }
    }

    func testNaturalOrder() throws {
        let bins = try Bins(edges: [18, 25, 35, 50], integral: true).labels
        XCTAssertEqual(bins.reversed().sorted(by: naturalLess), bins)
        let fractional = try Bins(edges: [0.5, 1, 2], integral: false).labels
        XCTAssertEqual(fractional.shuffled().sorted(by: naturalLess), fractional)
        XCTAssertEqual(["10", "9", "100", "-3"].sorted(by: naturalLess), ["-3", "9", "10", "100"])
        XCTAssertEqual(["shop 10", "(missing)", "shop 9", "shop 2"].sorted(by: naturalLess), ["shop 2", "shop 9", "shop 10", "(missing)"])
        XCTAssertEqual(["20-64", "0 (new)", "1-19", "65-300"].sorted(by: naturalLess), ["0 (new)", "1-19", "20-64", "65-300"])
        // Numbers before text; text as text.
        XCTAssertEqual(["north", "7", "South", "(missing)", "east"].sorted(by: naturalLess), ["7", "South", "east", "north", "(missing)"])
        XCTAssertEqual(["a07", "a7", "a8"].sorted(by: naturalLess), ["a7", "a07", "a8"])
    }

    func testCuttingAttributesAndTables() throws {
        let attrs = try AttributeTable(keys: ["1", "2", "3"], columns: [("age", .int([15, nil, 40])), ("h", .double([1.5, 1.8, .nan])),
                                                                       ("g", .string(["F", "M", "F"]))])
        let cut = try attrs.cutting("age", bins: [18, 25], as: "band")
        XCTAssertEqual(cut.columnNames, ["age", "h", "g", "band"])
        XCTAssertEqual(cut["band"], .string(["<18", nil, "25+"]))
        XCTAssertEqual(try attrs.cutting("h", bins: [1.6], as: "h")["h"], .string(["<1.6", "≥1.6", nil]))
        XCTAssertThrowsError(try attrs.cutting("g", bins: [1], as: "x")) { XCTAssertTrue("\($0)".contains("'g' holds text"), "\($0)") }
        XCTAssertThrowsError(try attrs.cutting("zz", bins: [1], as: "x")) { XCTAssertTrue("\($0)".contains("no attribute 'zz'"), "\($0)") }

        let t = try Table([("age", Column(optionalInts: [15, nil, 40])), ("p", Column(doubles: [0.2, 0.7, .nan]))])
        let tc = try t.cutting("age", bins: [18, 25], as: "band").cutting("p", bins: [0.5], as: "p")
        XCTAssertEqual(tc.columnNames, ["age", "p", "band"])
        XCTAssertEqual(try tc.column("band").values, [.string("<18"), .null, .string("25+")])
        XCTAssertEqual(try tc.column("p").values, [.string("<0.5"), .string("≥0.5"), .null])
    }

    /// Users 1–4 aged 15, 20, 30 and (none); user 5 has no attribute row.
    func agedData() throws -> Interactions {
        var d = try Interactions(userIDs: ["1", "1", "2", "3", "4", "5"], itemIDs: ["a", "b", "a", "c", "a", "b"])
        d.userAttributes = try AttributeTable(keys: ["1", "2", "3", "4"], columns: [("age", .int([15, 20, 30, nil]))])
        return d
    }

    func testInteractionsCuttingAndUserGrouping() throws {
        let d = try agedData()
        let cut = try d.cutting("age", bins: [18], as: "adult")
        XCTAssertEqual(cut.userAttributes?.groupLabels("adult", alignedTo: cut.users), ["<18", "18+", "18+", "(missing)", "(missing)"])
        XCTAssertThrowsError(try d.cutting("price", bins: [1], as: "x")) {
            XCTAssertTrue("\($0)".contains("no user or item attribute 'price' (user attributes: age; item attributes: none)"), "\($0)")
        }
        let g = try UserGrouping.attribute("age", of: d, bins: [18, 25])
        XCTAssertEqual(g.labels, ["<18", "18-24", "25+", "(missing)", "(missing)"])
        XCTAssertNil(g.note)
        XCTAssertEqual(try UserGrouping.activity(of: d, bins: [2]).labels, ["2+", "<2", "<2", "<2", "<2"])
    }

    func testManyGroupsNote() throws {
        let many = try AttributeTable(keys: (0..<21).map(String.init), columns: [("age", .int(Array(0..<21))),
                                                                                 ("name", .string((0..<21).map { "n\($0)" }))])
        XCTAssertEqual(many.manyGroupsNote("age"),
                       "'age' is numeric with 21 distinct values, so each value is a group; pass bins: (e.g. bins: [18, 25, 35, 50]) to group ranges")
        XCTAssertNil(many.manyGroupsNote("name"))   // text: each value is a category
        let few = try AttributeTable(keys: (0..<20).map(String.init), columns: [("age", .int(Array(0..<20)))])
        XCTAssertNil(few.manyGroupsNote("age"))
    }

    func testEvaluationGroupsInNaturalOrderWithDisparityLast() throws {
        let d = try agedData()
        let m = Popularity()
        try m.fit(d)
        let data = try EvaluationData(train: d, test: d)
        let e = try Evaluation.evaluate(.model(m), name: "pop", data: data, metrics: [try MetricSpec.parse("hit_rate@1", defaultK: 10)])
        let t = try Evaluation.table([e], data: data, grouping: try UserGrouping.attribute("age", of: d, bins: [18, 25]))
        XCTAssertEqual(try t.column("age").values.map(\.description), ["all", "<18", "18-24", "25+", "(missing)", "max-min", "min/max"])
    }

    func testExposureGroupsInNaturalOrder() throws {
        let lists = RecommendationLists([[0, 1], [2, 0]])
        let t = try Evaluation.exposureTable(lists, k: 2, itemGroups: ["p 10", "p 9", "p 10"], popularity: [1, 1, 1], groupName: "provider")
        XCTAssertEqual(try t.column("provider").values.map(\.description), ["p 9", "p 10"])
        XCTAssertEqual(try t.column("slots").values, [.int(1), .int(3)])
    }

    func testPopularityByAgeRanges() throws {
        let d = try agedData()
        let m = Popularity(by: "age", bins: [18])
        try m.fit(d)
        // User 1 (15) is alone under 18; users 2 and 3 share "18+"; users 4 and 5 have no age.
        XCTAssertEqual(m.groupLabels.sorted(by: naturalLess), ["<18", "18+"])
        XCTAssertEqual(m.group(of: 1).map { m.groupLabels[$0] }, "18+")
        XCTAssertEqual(m.group(of: 2).map { m.groupLabels[$0] }, "18+")
        XCTAssertNil(m.group(of: 3))
        XCTAssertEqual(m.score(user: 1, items: [0, 2]), [1, 1])   // "a" once and "c" once among 18+
        XCTAssertThrowsError(try Popularity(by: "channel", bins: [1]).fit(d)) { XCTAssertTrue("\($0)".contains("not the channel"), "\($0)") }
    }
}
