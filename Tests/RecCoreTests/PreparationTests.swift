import XCTest
@testable import RecCore

final class PreparationTests: XCTestCase {
    func testDeduplicate() throws {
        let d = try Interactions(userIDs: ["a", "a", "a", "b"], itemIDs: ["x", "x", "y", "x"], values: [1, 2, 3, 4],
                                 timestamps: [30, 10, 5, 1], events: ["view", "buy", "view", "view"])
        let last = d.deduplicated(by: .userItem, keep: .last)
        XCTAssertEqual(last.values?.doubles, [1, 3, 4])  // (a,x): the row at t=30
        let first = d.deduplicated(by: .userItem, keep: .first)
        XCTAssertEqual(first.values?.doubles, [2, 3, 4])  // (a,x): the row at t=10
        XCTAssertEqual(d.deduplicated(by: .userItemEvent).count, 4)
    }

    func testDeduplicateMatchesNaiveDefinition() throws {
        var rng = Xoshiro256(seed: 12)
        var u = [String](), i = [String](), t = [Int64](), e = [String]()
        for _ in 0..<3000 {
            u.append("u\(rng.nextInt(below: 30))"); i.append("i\(rng.nextInt(below: 20))")
            t.append(Int64(rng.nextInt(below: 50))); e.append(["view", "cart"][rng.nextInt(below: 2)])
        }
        let d = try Interactions(userIDs: u, itemIDs: i, values: (0..<3000).map(Double.init), timestamps: t, events: e)
        for (key, keep) in [(DuplicateKey.userItem, KeepPolicy.last), (.userItem, .first), (.userItemEvent, .last), (.userItemEvent, .first)] {
            var best = [String: Int]()
            for r in 0..<d.count {
                let k = key == .userItem ? "\(u[r])/\(i[r])" : "\(u[r])/\(i[r])/\(e[r])"
                guard let b = best[k] else { best[k] = r; continue }
                if keep == .last ? t[r] >= t[b] : t[r] < t[b] { best[k] = r }
            }
            let expected = best.values.sorted().map(Double.init)
            XCTAssertEqual(d.deduplicated(by: key, keep: keep).values?.doubles, expected, "\(key) \(keep)")
        }
    }

    func testFilters() throws {
        let d = try Interactions(userIDs: ["a", "b", "c", "d"], itemIDs: ["x", "y", "x", "z"], timestamps: [1, 2, 3, 4],
                                 events: ["view", "cart", "view", "purchase"], channels: ["app", "web", "store", "app"])
        XCTAssertEqual(try d.filtered(from: 2, to: 4).timestamps, [2, 3])
        XCTAssertEqual(try d.filtered(events: ["view", "purchase"]).count, 3)
        XCTAssertEqual(try d.filtered(channels: ["app"]).rawPairs, ["a/x", "d/z"])
        XCTAssertThrowsError(try d.filtered(events: ["veiw"]))
        let noTime = try Interactions(userIDs: ["a"], itemIDs: ["b"])
        XCTAssertThrowsError(try noTime.filtered(from: 1))
    }

    func testKCoreInvariant() throws {
        var rng = Xoshiro256(seed: 21)
        var u = [String](), i = [String]()
        for _ in 0..<3000 {
            u.append("u\(Int(pow(Double(rng.nextInt(below: 10_000)), 0.5)) * 7 % 400)")
            i.append("i\(CategoricalSampler.zipf(300, exponent: 1.1).sample(&rng))")
        }
        let d = try Interactions(userIDs: u, itemIDs: i)
        for k in [2, 3, 5, 10] {
            let c = d.kCore(k)
            XCTAssertGreaterThan(c.count, 0)
            XCTAssertTrue(c.userCounts().allSatisfy { $0 == 0 || $0 >= k }, "users below \(k)")
            XCTAssertTrue(c.itemCounts().allSatisfy { $0 == 0 || $0 >= k }, "items below \(k)")
            // Maximality: the k-core keeps every row whose user and item meet k within it.
            XCTAssertEqual(c.kCore(k).count, c.count)
        }
        // A chain that collapses only through iteration: (u1: i1,i2), (u2: i2) with k=2.
        let chain = try Interactions(userIDs: ["u1", "u1", "u2", "u3", "u3", "u4", "u4"],
                                     itemIDs: ["i1", "i2", "i2", "i3", "i4", "i3", "i4"])
        XCTAssertEqual(chain.kCore(2).rawPairs, ["u3/i3", "u3/i4", "u4/i3", "u4/i4"])
    }

    func testWeightsAndBinarize() throws {
        let d = try Interactions(userIDs: ["a", "a", "a", "b"], itemIDs: ["x", "x", "y", "x"], values: [1, 1, 1, 1],
                                 events: ["view", "purchase", "search", "cart"])
        let w = try d.weighted(["view": 1, "cart": 3, "purchase": 5])
        XCTAssertEqual(w.values, .float([1, 5, 3]))  // search has weight 0 → dropped
        XCTAssertEqual(w.matrix(duplicates: .sum).toDense(), [[6, 0], [3, 0]])
        XCTAssertThrowsError(try d.weighted(["clik": 1]))
        let r = try Interactions(userIDs: ["a", "a", "b"], itemIDs: ["x", "y", "x"], values: [4, 2, 3.5])
        XCTAssertEqual(try r.binarized(threshold: 3.5).rawPairs, ["a/x", "b/x"])
        XCTAssertEqual(try r.binarized(threshold: 3.5, dropBelow: false).values, .float([1, 0, 1]))
    }

    func testSampleUsers() throws {
        let d = synthetic(users: 200, items: 100, seed: 5)
        let a = d.sampledUsers(30, seed: 1), b = d.sampledUsers(30, seed: 1), c = d.sampledUsers(30, seed: 2)
        XCTAssertEqual(Set(a.user).count, 30)
        XCTAssertEqual(a.rawPairs, b.rawPairs)
        XCTAssertNotEqual(Set(a.user), Set(c.user))
        // All rows of each sampled user are kept.
        let counts = d.userCounts(), sc = a.userCounts()
        for u in 0..<d.userCount where sc[u] > 0 { XCTAssertEqual(sc[u], counts[u]) }
        XCTAssertEqual(Set(d.sampledUsers(fraction: 0.5, seed: 3).user).count, 100)
    }
}
