import Foundation
@testable import RecCore
import XCTest

/// `recommendAll` with a `Cancellation`: the same lists as in one go, and a request to stop is
/// seen between batches.
final class CancellationTests: XCTestCase {
    /// Enough users for several batches: a batch holds about 2^20 / items users.
    private func fittedModel() throws -> (ImplicitALS, [Int32]) {
        let data = SyntheticGenerator(SyntheticConfig(users: 1500, items: 2500, seed: 5)).generate().replacingValues(nil)
        let m = ImplicitALS(factors: 4, iterations: 1, regularization: 0.1, alpha: 1, seed: 1)
        try m.fit(data)
        return (m, (0..<Int32(data.userCount)).reversed())
    }

    func testBatchedListsEqualOneGo() throws {
        let (m, users) = try fittedModel()
        XCTAssertGreaterThan(users.count, 2 * (1 << 20) / m.itemCount, "the test needs several batches")
        for exclude in [true, false] {
            let whole = m.recommendAll(users: users, k: 7, excludeTraining: exclude)
            XCTAssertEqual(try m.recommendAll(users: users, k: 7, excludeTraining: exclude, cancellation: .none), whole)
        }
    }

    func testARequestStopsBetweenBatches() throws {
        let (m, users) = try fittedModel()
        final class Polls: @unchecked Sendable { let lock = NSLock(); var n = 0 }
        let polls = Polls()
        // Requested at the second poll: the first batch ran, the rest did not.
        let second = Cancellation {
            polls.lock.lock(); defer { polls.lock.unlock() }
            polls.n += 1
            return polls.n >= 2
        }
        XCTAssertThrowsError(try m.recommendAll(users: users, k: 5, cancellation: second)) { XCTAssertTrue($0 is Cancelled) }
        XCTAssertEqual(polls.n, 2)
        XCTAssertThrowsError(try m.recommendAll(users: Array(users.prefix(3)), k: 5, cancellation: Cancellation { true }))
        XCTAssertFalse(Cancellation.none.isRequested)
    }
}
