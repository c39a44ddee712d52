import XCTest
@testable import RecCore

final class DescribeTests: XCTestCase {
    func testCountsDistributionsAndGroups() throws {
        var d = try Interactions(userIDs: ["a", "a", "a", "b", "b", "c"], itemIDs: ["x", "x", "y", "x", "z", "x"],
                                 values: [5, 4, 3, 4, 1, 5], timestamps: [10, 20, 30, 40, 50, 60],
                                 events: ["view", "view", "buy", "view", "buy", "view"], channels: ["app", "web", "app", "app", "app", "store"])
        d.userAttributes = try AttributeTable(keys: ["a", "b", "c"], columns: [("gender", .string(["F", "M", nil]))])
        d.itemAttributes = try AttributeTable(keys: ["x", "y"], columns: [("genres", .multi([["A", "B"], ["B"]]))])
        let s = try d.describe()
        XCTAssertEqual(s.rows, 6)
        XCTAssertEqual(s.activeUsers, 3)
        XCTAssertEqual(s.activeItems, 3)
        XCTAssertEqual(s.pairs, 5)
        XCTAssertEqual(s.density, 5.0 / 9.0, accuracy: 1e-12)
        XCTAssertEqual(s.values?.histogram.map(\.label), ["1", "3", "4", "5"])
        XCTAssertEqual(s.values?.histogram.map(\.count), [1, 1, 2, 2])
        XCTAssertEqual(s.values?.stats.mean ?? 0, 22.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(s.events.map(\.label), ["view", "buy"])
        XCTAssertEqual(s.events.map(\.count), [4, 2])
        XCTAssertEqual(s.channels.first?.label, "app")
        XCTAssertEqual(s.channels.first?.count, 4)
        XCTAssertEqual(s.firstTimestamp, 10)
        XCTAssertEqual(s.lastTimestamp, 60)
        XCTAssertEqual(s.perUser.max, 3)
        XCTAssertEqual(s.perUser.median, 2)
        // x has 4 of 6 interactions: the top 1% (one item) holds 2/3.
        XCTAssertEqual(s.longTail.top1PercentShare, 4.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(s.longTail.itemsForHalf, 1)
        XCTAssertGreaterThan(s.longTail.gini, 0)
        let g = s.userGroups.first { $0.attribute == "gender" }!
        // Groups in natural order: "(missing)" last.
        XCTAssertEqual(g.groups.map(\.group), ["F", "M", "(missing)"])
        XCTAssertEqual(g.groups.map(\.interactions), [3, 2, 1])
        XCTAssertEqual(g.groups.map(\.users), [1, 1, 1])
        let genres = s.itemGroups.first { $0.attribute == "genres" }!
        XCTAssertEqual(genres.groups.map(\.group), ["A", "B", "(missing)"])
        XCTAssertEqual(genres.groups.map(\.interactions), [4, 5, 1])
        XCTAssertThrowsError(try d.groupStats(userAttribute: "age"))
    }

    /// Timestamps are any Int64 a file holds: the span of the extremes overflows Int64 (found by
    /// the payload fuzz target; a CSV with such timestamps crashed describe() the same way).
    func testTimeSpanOfExtremeTimestamps() throws {
        let d = try Interactions(userIDs: ["a", "b"], itemIDs: ["x", "y"], timestamps: [Int64.min, Int64.max])
        let text = try d.describe().text
        XCTAssertTrue(text.contains("(213503982334601.3 days)"), text)
    }

    /// Values the loaders never produce but a restored payload may hold (found by the payload
    /// fuzz target: a NaN value crashed the exact-count lookup), and finite values whose range
    /// overflows (a CSV with ratings ±1e308 crashed the binning): every row is still counted.
    func testValueHistogramOfNaNInfiniteAndHugeValues() throws {
        func histogram(_ values: [Double]) throws -> [LabelCount] {
            let d = try Interactions(userIDs: values.indices.map { "u\($0)" }, itemIDs: values.map { _ in "i" },
                                     values: values)
            return try XCTUnwrap(try d.describe().values?.histogram)
        }
        let few = try histogram([1, .nan, 2, .nan])
        XCTAssertEqual(few.map(\.label), ["1", "2", "nan", "nan"])
        XCTAssertEqual(few.map(\.count), [1, 1, 1, 1])
        let huge = try histogram([1e308, -1e308] + (1...20).map(Double.init))
        XCTAssertEqual(huge.map(\.count), [1, 0, 0, 0, 0, 20, 0, 0, 0, 1])
        let infinite = try histogram([.infinity, -.infinity, .nan] + (1...20).map(Double.init))
        XCTAssertEqual(infinite.map(\.count).reduce(0, +), 23)
    }

    func testManyDistinctValuesAreBinned() throws {
        let n = 100
        let d = try Interactions(userIDs: (0..<n).map { "u\($0)" }, itemIDs: (0..<n).map { "i\($0 % 7)" },
                                 values: (0..<n).map { Double($0) / 10 })
        let s = try d.describe()
        XCTAssertEqual(s.values?.histogram.count, 10)
        XCTAssertEqual(s.values?.histogram.map(\.count).reduce(0, +), n)
        XCTAssertEqual(s.longTail.gini, 0, accuracy: 0.05)  // items nearly equally popular
    }
}
