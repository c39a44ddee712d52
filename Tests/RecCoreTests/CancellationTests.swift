import Foundation
@testable import RecCore
import XCTest

/// `recommendAll` with a `Cancellation`: the same lists as in one go, and a request to stop is
/// seen between batches.
final class CancellationTests: XCTestCase {
    private func fittedModel() throws -> (ImplicitALS, [Int32]) {
        let data = SyntheticGenerator(SyntheticConfig(users: 60, items: 40, seed: 5)).generate().replacingValues(nil)
        let m = ImplicitALS(factors: 4, iterations: 2, regularization: 0.1, alpha: 1, seed: 1)
        try m.fit(data)
        return (m, (0..<Int32(data.userCount)).reversed())
    }

    func testBatchedListsEqualOneGo() throws {
        let (m, users) = try fittedModel()
        for exclude in [true, false] {
            let whole = m.recommendAll(users: users, k: 7, excludeTraining: exclude)
            // 60 users in batches of 7 (the last one shorter), of 60 and of 1.
            for batch in [7, 60, 1, nil] {
                XCTAssertEqual(try m.recommendAll(users: users, k: 7, excludeTraining: exclude, cancellation: .none, usersPerBatch: batch),
                               whole, "batches of \(batch.map(String.init) ?? "default")")
            }
        }
    }

    func testARequestStopsBetweenBatches() throws {
        let (m, users) = try fittedModel()
        final class Polls: @unchecked Sendable { let lock = NSLock(); var n = 0 }
        let polls = Polls()
        // Requested at the third poll (inside the first batch: each thread polls before each user):
        // every thread stops at its next poll and the call throws, long before one poll per user (60).
        let third = Cancellation {
            polls.lock.lock(); defer { polls.lock.unlock() }
            polls.n += 1
            return polls.n >= 3
        }
        XCTAssertThrowsError(try m.recommendAll(users: users, k: 5, cancellation: third, usersPerBatch: 10)) { XCTAssertTrue($0 is Cancelled) }
        XCTAssertLessThanOrEqual(polls.n, 3 + 4 * ProcessInfo.processInfo.activeProcessorCount + 1)
        XCTAssertThrowsError(try m.recommendAll(users: Array(users.prefix(3)), k: 5, cancellation: Cancellation { true }))
        XCTAssertFalse(Cancellation.none.isRequested)
    }

    func testBatchesHoldAboutFourMillionScores() {
        let floor = 4 * ProcessInfo.processInfo.activeProcessorCount
        XCTAssertEqual(recommendationBatchSize(itemCount: 20_000), max(floor, 209))
        XCTAssertEqual(recommendationBatchSize(itemCount: 27_000), max(floor, 155))
        XCTAssertEqual(recommendationBatchSize(itemCount: 100), 16384)
        XCTAssertEqual(recommendationBatchSize(itemCount: 10_000_000), floor)
        XCTAssertEqual(recommendationBatchSize(itemCount: 0), 16384)
    }
}
