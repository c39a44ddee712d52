import XCTest
@testable import RecCore

final class SplitTests: XCTestCase {
    /// A small log: 50 users with 2–20 timed rows each over 40 items.
    func data(seed: UInt64 = 1) throws -> Interactions {
        var rng = Xoshiro256(seed: seed)
        var u = [String](), i = [String](), t = [Int64](), v = [Double]()
        for user in 0..<50 {
            for k in 0..<(2 + rng.nextInt(below: 19)) {
                u.append("u\(user)"); i.append("i\(rng.nextInt(below: 40))")
                t.append(Int64(1000 * k + rng.nextInt(below: 500))); v.append(Double(1 + rng.nextInt(below: 5)))
            }
        }
        return try Interactions(userIDs: u, itemIDs: i, values: v, timestamps: t)
    }

    /// Train and test rows partition the data exactly (as multisets of original rows).
    func assertPartition(_ s: Split, _ d: Interactions, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(s.train.count + s.test.count, d.count, file: file, line: line)
        func rows(_ x: Interactions) -> [String] {
            (0..<x.count).map { "\(x.users.key(at: x.user[$0]))|\(x.items.key(at: x.item[$0]))|\(x.timestamps![$0])|\(x.values![$0])" }
        }
        XCTAssertEqual((rows(s.train) + rows(s.test)).sorted(), rows(d).sorted(), file: file, line: line)
        XCTAssertEqual(s.train.users.keys, s.test.users.keys, file: file, line: line)
        XCTAssertEqual(s.train.items.keys, s.test.items.keys, file: file, line: line)
    }

    func testEmptySideIsNamed() throws {
        let d = try data()
        XCTAssertNil(try d.randomSplit(testFraction: 0.2, seed: 1).report.emptySide)
        XCTAssertEqual(try d.temporalSplit(cutoff: 1 << 40).report.emptySide, "the test set is empty (all \(d.count) rows went to training)")
        XCTAssertEqual(try d.temporalSplit(cutoff: 0).report.emptySide, "the training set is empty (all \(d.count) rows went to test)")
        let one = try Interactions(userIDs: ["u"], itemIDs: ["i"])
        XCTAssertEqual(one.leaveOneOut().report.emptySide, "the test set is empty (the only row went to training)")
    }

    func testRandomHoldout() throws {
        let d = try data()
        let s = try d.randomSplit(testFraction: 0.2, seed: 9)
        assertPartition(s, d)
        XCTAssertEqual(s.test.count, Int((0.2 * Double(d.count)).rounded()))
        let again = try d.randomSplit(testFraction: 0.2, seed: 9)
        XCTAssertEqual(again.test.rawPairs, s.test.rawPairs)
        XCTAssertEqual(again.test.timestamps, s.test.timestamps)
        let other = try d.randomSplit(testFraction: 0.2, seed: 10)
        XCTAssertNotEqual(other.test.timestamps, s.test.timestamps)
        XCTAssertEqual(s.report.trainRows, s.train.count)
        XCTAssertEqual(s.report.testRows, s.test.count)
        XCTAssertThrowsError(try d.randomSplit(testFraction: 1.5, seed: 1))
    }

    func testGlobalTemporal() throws {
        let d = try data()
        let s = try d.temporalSplit(testFraction: 0.25)
        assertPartition(s, d)
        XCTAssertLessThanOrEqual(s.train.timestamps!.max()!, s.test.timestamps!.min()!)
        XCTAssertEqual(s.test.count, Int((0.25 * Double(d.count)).rounded()))
        let c = try d.temporalSplit(cutoff: 5000)
        XCTAssertTrue(c.test.timestamps!.allSatisfy { $0 >= 5000 })
        XCTAssertTrue(c.train.timestamps!.allSatisfy { $0 < 5000 })
        let untimed = try Interactions(userIDs: ["a"], itemIDs: ["b"])
        XCTAssertThrowsError(try untimed.temporalSplit(testFraction: 0.5))
    }

    func testPerUserTemporalLastN() throws {
        let d = try data()
        let s = try d.perUserTemporalSplit(lastN: 2)
        assertPartition(s, d)
        let train = s.train.rowsByUser(), test = s.test.rowsByUser()
        for u in 0..<d.userCount {
            let nAll = train[u].count + test[u].count
            XCTAssertEqual(test[u].count, min(2, nAll - 1))
            // Every test row of a user is no earlier than each of their training rows.
            if let lastTrain = train[u].map({ s.train.timestamps![$0] }).max(),
               let firstTest = test[u].map({ s.test.timestamps![$0] }).min() {
                XCTAssertLessThanOrEqual(lastTrain, firstTest)
            }
        }
        XCTAssertEqual(s.report.unseenUsers, 0)
        let f = try d.perUserTemporalSplit(lastFraction: 0.5)
        assertPartition(f, d)
    }

    func testLeaveOneOut() throws {
        let d = try data()
        let s = d.leaveOneOut()
        assertPartition(s, d)
        let test = s.test.rowsByUser(), train = s.train.rowsByUser()
        for u in 0..<d.userCount {
            XCTAssertEqual(test[u].count, 1)
            let t = s.test.timestamps![test[u][0]]
            XCTAssertTrue(train[u].allSatisfy { s.train.timestamps![$0] <= t })
        }
        // Without timestamps: a random row per user, reproducible per seed.
        let untimed = try Interactions(userIDs: ["a", "a", "a", "b", "b", "c"], itemIDs: ["1", "2", "3", "1", "2", "1"])
        let r1 = untimed.leaveOneOut(seed: 3), r2 = untimed.leaveOneOut(seed: 3)
        XCTAssertEqual(r1.test.rawPairs, r2.test.rawPairs)
        XCTAssertEqual(r1.test.count, 2)  // c has one row and stays in training
    }

    func testKFoldByInteraction() throws {
        let d = try data()
        let folds = try d.kFold(5, by: .interaction, seed: 4)
        XCTAssertEqual(folds.count, 5)
        var allTest = [String]()
        for f in folds {
            assertPartition(f, d)
            XCTAssertTrue(abs(f.test.count - d.count / 5) <= 1)
            allTest += (0..<f.test.count).map { "\(f.test.user[$0])|\(f.test.item[$0])|\(f.test.timestamps![$0])" }
        }
        let allRows = (0..<d.count).map { "\(d.user[$0])|\(d.item[$0])|\(d.timestamps![$0])" }
        XCTAssertEqual(allTest.sorted(), allRows.sorted())  // each row is tested exactly once
        XCTAssertThrowsError(try d.kFold(1, seed: 1))
    }

    func testKFoldByUser() throws {
        let d = try data()
        let folds = try d.kFold(5, by: .user, seed: 4, testFraction: 0.3)
        var testUsers = [Set<Int32>]()
        for f in folds {
            assertPartition(f, d)
            let us = Set(f.test.user)
            testUsers.append(us)
            XCTAssertEqual(f.report.unseenUsers, 0)  // each test user keeps training rows
        }
        for a in 0..<5 { for b in (a + 1)..<5 { XCTAssertTrue(testUsers[a].isDisjoint(with: testUsers[b])) } }
        XCTAssertEqual(testUsers.reduce(Set<Int32>()) { $0.union($1) }.count, 50)
        let again = try d.kFold(5, by: .user, seed: 4, testFraction: 0.3)
        XCTAssertEqual(again[2].test.rawPairs, folds[2].test.rawPairs)
    }

    func testUnseenUsersAndItemsAreReported() throws {
        let train = try Interactions(userIDs: ["1", "1", "2"], itemIDs: ["a", "b", "a"])
        let test = try Interactions(userIDs: ["1", "3", "3", "2"], itemIDs: ["c", "a", "b", "a"])
        let s = Split.aligning(train: train, test: test)
        XCTAssertEqual(s.train.users.keys, ["1", "2", "3"])
        XCTAssertEqual(s.test.users.keys, s.train.users.keys)
        XCTAssertEqual(s.train.count, 3)
        XCTAssertEqual(s.test.count, 4)  // nothing dropped
        XCTAssertEqual(s.report.unseenUsers, 1)
        XCTAssertEqual(s.report.testRowsWithUnseenUser, 2)
        XCTAssertEqual(s.report.unseenItems, 1)
        XCTAssertEqual(s.report.testRowsWithUnseenItem, 1)
        XCTAssertEqual(s.report.unseenUserIDs, ["3"])
        XCTAssertEqual(s.report.unseenItemIDs, ["c"])
        XCTAssertTrue(s.report.description.contains("unseen in training: 1 users"))
        // The train matrix has rows for the whole shared space.
        XCTAssertEqual(s.train.matrix().rows, 3)
        XCTAssertThrowsError(try Split(train: train, test: test))
    }

    func testRandomSplitCanProduceUnseenUsers() throws {
        // A user with a single row that lands in test is unseen, and is reported.
        let d = try Interactions(userIDs: ["a", "a", "a", "b"], itemIDs: ["1", "2", "3", "4"])
        for seed in 0..<20 as Range<UInt64> {
            let s = try d.randomSplit(testFraction: 0.5, seed: seed)
            let bInTest = s.test.rawPairs.contains("b/4")
            XCTAssertEqual(s.report.unseenUsers > 0, bInTest || s.train.userCounts()[0] == 0)
        }
    }
}
