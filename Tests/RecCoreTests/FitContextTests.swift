import Foundation
@testable import RecCore
import XCTest

/// `FitContext`: every epoch reported in order, a stop between epochs keeps a usable model, a stop
/// inside a long epoch ends the fit without one.
final class FitContextTests: XCTestCase {
    private final class Counter: @unchecked Sendable {
        let lock = NSLock(); var n = 0; var seen: [FitProgress] = []
        func tick() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
    }

    private var ratings: Interactions { SyntheticGenerator(SyntheticConfig(users: 80, items: 50, seed: 3)).generate() }

    func testEveryEpochIsReportedWithItsLoss() throws {
        let seen = Counter()
        let m = BiasedMF(factors: 4, epochs: 5)
        try m.fit(ratings, context: FitContext { p in seen.seen.append(p) })
        XCTAssertEqual(seen.seen.map(\.epoch), [1, 2, 3, 4, 5])
        XCTAssertTrue(seen.seen.allSatisfy { $0.epochs == 5 && $0.model == "biased-mf" })
        XCTAssertEqual(seen.seen.compactMap(\.loss), m.lossHistory)
        XCTAssertEqual(seen.seen.last?.fraction, 1)
    }

    func testAStopBetweenEpochsKeepsWhatWasLearned() throws {
        let seen = Counter()
        // Requested when epoch 2 has been reported (as Ctrl-C while its bar shows): the last one run.
        let context = FitContext(cancellation: Cancellation { seen.n >= 2 }) { _ in _ = seen.tick() }
        let m = ExplicitALS(factors: 3, iterations: 10)
        try m.fit(ratings, context: context)
        XCTAssertEqual(m.lossHistory.count, 2)
        XCTAssertEqual(m.userCount, ratings.userCount)
        XCTAssertTrue(m.score(user: 0, items: [0, 1]).allSatisfy(\.isFinite))
    }

    func testAStopInsideAnEpochEndsTheFitWithoutAModel() throws {
        for model in [ExplicitALS(factors: 3, iterations: 10) as Recommender, ImplicitALS(factors: 3, iterations: 10), ItemKNN()] {
            // Requested at once: the first row of the first epoch stops it.
            XCTAssertThrowsError(try model.fit(ratings, context: FitContext(cancellation: Cancellation { true })), model.name) {
                XCTAssertTrue($0 is Cancelled, "\(model.name): \($0)")
            }
            XCTAssertEqual(model.userCount, 0, "\(model.name) kept a half-fitted state")
        }
    }

    func testWithoutAContextNothingStops() throws {
        let m = ImplicitALS(factors: 3, iterations: 4)
        try m.fit(ratings.replacingValues(nil))
        XCTAssertEqual(m.lossHistory.count, 4)
    }
}
