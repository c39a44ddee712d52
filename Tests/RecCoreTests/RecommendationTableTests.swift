import XCTest
@testable import RecCore

/// Recommendation tables into metric lists: rank, then score, then row order; IDs by text; every
/// row left out is counted.
final class RecommendationTableTests: XCTestCase {
    /// Train: u0 has i0,i1; u1 has i0; u2 has i2. Test: u0 → i2; u1 → i1. Items i0…i2 known.
    private func data() throws -> EvaluationData {
        let train = try Interactions(userIDs: ["u0", "u0", "u1", "u2"], itemIDs: ["i0", "i1", "i0", "i2"], values: [5, 3, 4, 2])
        let test = try Interactions(userIDs: ["u0", "u1"], itemIDs: ["i2", "i1"], values: [4, 5])
        return try EvaluationData(train: train, test: test)
    }

    func testRankOrdersBeforeScoreAndRowOrder() throws {
        let d = try data()
        // Ranks out of row order, a score that disagrees (rank wins), and a duplicate item.
        let t = try Table(columnNames: ["user", "item", "rank", "score"], rows: [
            [.string("u0"), .string("i2"), .int(2), .double(9)],
            [.string("u0"), .string("i0"), .int(1), .double(1)],
            [.string("u0"), .string("i2"), .int(3), .double(0)],
            [.string("u1"), .string("i1"), .int(1), .double(1)],
        ])
        let (lists, notes) = try d.recommendationLists(from: t)
        XCTAssertEqual(lists.count, 2)
        XCTAssertEqual(Array(lists[0]), [0, 2])   // i0 (rank 1), i2 at its best rank, once
        XCTAssertEqual(Array(lists[1]), [1])
        XCTAssertEqual(notes, [])
    }

    func testScoreDescendingThenRowOrderAndCountedOmissions() throws {
        let d = try data()
        let byScore = try Table(columnNames: ["user", "item", "score"], rows: [
            [.string("u0"), .string("i1"), .double(0.2)],
            [.string("u0"), .string("i2"), .double(0.9)],
            [.string("u0"), .string("i9"), .double(0.5)],     // not in the training catalogue
            [.string("nobody"), .string("i1"), .double(0.5)], // no such user
        ])
        let (lists, notes) = try d.recommendationLists(from: byScore)
        XCTAssertEqual(Array(lists[0]), [2, 1])
        XCTAssertEqual(Array(lists[1]), [Int32]())
        XCTAssertEqual(notes, ["1 recommended item(s) are not in the training catalogue and were left out",
                               "1 recommendation row(s) are for users not in the data and were left out"])
        // Neither rank nor score: the table's order, equal positions kept stable.
        let plain = try Table(columnNames: ["user", "item"], rows: [
            [.string("u0"), .string("i2")], [.string("u0"), .string("i0")], [.string("u0"), .string("i1")],
        ])
        XCTAssertEqual(Array(try d.recommendationLists(from: plain).lists[0]), [2, 0, 1])
        XCTAssertThrowsError(try d.recommendationLists(from: try Table(columnNames: ["who", "what"], rows: [])))
    }

    func testFingerprintChangesWithTheRows() throws {
        let a = try Interactions(userIDs: ["u0", "u1"], itemIDs: ["i0", "i1"])
        let b = try Interactions(userIDs: ["u0", "u1"], itemIDs: ["i1", "i0"])
        XCTAssertEqual(a.fingerprint, try Interactions(userIDs: ["u0", "u1"], itemIDs: ["i0", "i1"]).fingerprint)
        XCTAssertNotEqual(a.fingerprint, b.fingerprint)
        XCTAssertTrue(a.fingerprint.hasPrefix("2x2x2-"))
    }
}
