import XCTest
@testable import RecCore

final class SyntheticDriftTests: XCTestCase {
    /// FNV-1a over every column the generator writes, in row order, with raw IDs.
    func fingerprint(_ d: Interactions) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ x: UInt64) { h = (h ^ x) &* 0x100_0000_01b3 }
        for key in d.users.keys + d.items.keys { for b in key.utf8 { mix(UInt64(b)) }; mix(0xffff) }
        let ts = d.timestamps!, ev = d.events!.codes, ch = d.channels!.codes
        for i in 0..<d.count {
            mix(UInt64(d.user[i])); mix(UInt64(d.item[i])); mix(UInt64(bitPattern: ts[i]))
            mix(UInt64(ev[i])); mix(UInt64(ch[i])); mix(UInt64(d.values![i].bitPattern))
        }
        return h
    }

    /// Drift 0 must leave every seed's data as it was before drift existed (notebooks, doc
    /// examples and their goldens depend on it). The constant is the fingerprint of the
    /// generator's output before `drift` was added.
    func testNoDriftKeepsTheOutput() {
        let d = synthetic(users: 400, items: 150, seed: 3, weeks: 5)
        XCTAssertEqual(d.count, 13369)
        XCTAssertEqual(fingerprint(d), 7_404_710_125_919_950_139)
        let explicit = SyntheticGenerator(SyntheticConfig(users: 400, items: 150, seed: 3, weeks: 5, drift: 0)).generate()
        XCTAssertEqual(fingerprint(explicit), 7_404_710_125_919_950_139)
    }

    /// Views per item in the given week, the top `k` item keys.
    func topItems(_ d: Interactions, week: Int, k: Int = 10) -> Set<String> {
        var counts = [Int32: Int]()
        let start: Int64 = 1_704_067_200 + Int64(week) * 7 * 86400
        for i in 0..<d.count where d.events![i] == "view" && (start..<start + 7 * 86400).contains(d.timestamps![i]) {
            counts[d.item[i], default: 0] += 1
        }
        let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(k)
        return Set(top.map { d.items.keys[Int($0.key)] })
    }

    /// How many items are first seen in the second half of the log.
    func lateItems(_ d: Interactions, weeks: Int) -> Int {
        var first = [Int32: Int64]()
        for i in 0..<d.count where first[d.item[i]] == nil { first[d.item[i]] = d.timestamps![i] }
        let half: Int64 = 1_704_067_200 + Int64(weeks) * 7 * 86400 / 2
        return first.values.filter { $0 >= half }.count
    }

    func testDriftChangesTheTopItemsAndBringsNewOnes() {
        let weeks = 8
        let still = synthetic(users: 1000, items: 200, seed: 5, weeks: weeks)
        let moving = synthetic(users: 1000, items: 200, seed: 5, weeks: weeks, drift: 1)
        let stillOverlap = topItems(still, week: 0).intersection(topItems(still, week: weeks - 1)).count
        let movingOverlap = topItems(moving, week: 0).intersection(topItems(moving, week: weeks - 1)).count
        print("synthetic drift: top-10 overlap first/last week \(stillOverlap) without drift, \(movingOverlap) with; items first seen in the second half \(lateItems(still, weeks: weeks)) vs \(lateItems(moving, weeks: weeks))")
        XCTAssertGreaterThanOrEqual(stillOverlap, 6)
        XCTAssertLessThanOrEqual(movingOverlap, 3)
        // Half the items arrive after the first week and old ones fade, so many are first seen late.
        XCTAssertGreaterThan(lateItems(moving, weeks: weeks), 20)
        XCTAssertLessThan(lateItems(still, weeks: weeks), 5)
        // Same seed, same drifting data.
        XCTAssertEqual(fingerprint(moving), fingerprint(synthetic(users: 1000, items: 200, seed: 5, weeks: weeks, drift: 1)))
        // The rest of the story does not change: same users and attributes.
        XCTAssertEqual(moving.userAttributes, still.userAttributes)
        XCTAssertEqual(moving.itemAttributes, still.itemAttributes)
    }

    func testAnItemIsNeverSeenBeforeItArrives() {
        let c = SyntheticConfig(users: 400, items: 150, seed: 9, weeks: 6, drift: 0.6)
        let (d, maybeDrift) = SyntheticGenerator(c).generateWithDrift()
        guard let drift = maybeDrift else { return XCTFail("drift 0.6 made no item lives") }
        XCTAssertGreaterThan(drift.arrival.filter { $0 > 0 }.count, 20)
        let itemNumber = d.items.keys.map { Int($0)! - 1 }, ratingCode = UInt16(d.events!.labels.firstIndex(of: "rating")!)
        for i in 0..<d.count where d.events!.codes[i] != ratingCode {
            let item = itemNumber[Int(d.item[i])]
            let week = Int((d.timestamps![i] - c.start) / (7 * 86400))
            XCTAssertGreaterThanOrEqual(week, drift.arrival[item], "item \(item + 1) seen in week \(week) before it arrives")
        }
        XCTAssertNil(SyntheticGenerator(SyntheticConfig(users: 10, items: 5, drift: 0)).generateWithDrift().drift)
    }
}
