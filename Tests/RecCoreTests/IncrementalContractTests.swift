import XCTest
@testable import RecCore

/// The contract of `.incremental`, run on every kind (and a few configurations) that declares it:
/// an update with new events makes their new users and items known, and an update with nothing
/// changes nothing. A kind declares `.incremental` exactly when it is an `IncrementalRecommender`.
final class IncrementalContractTests: XCTestCase {
    typealias C = CatalogueContractTests

    /// The first 280 rows, and the rest as a log of its own (its own ID maps) with a new user and
    /// a new item added.
    static func halves() throws -> (old: Interactions, new: Interactions) {
        let d = C.data
        let old = d.selecting(rows: Array(0..<280))
        var us = [String](), its = [String](), vs = [Double](), ts = [Int64]()
        for r in 280..<d.count {
            let row = d.row(r)
            us.append(row.user); its.append(row.item); vs.append(row.value!); ts.append(row.timestamp!)
        }
        for (u, i) in [("newcomer", "i1"), ("newcomer", "i2"), ("newcomer", "fresh"), ("u0", "fresh"), ("u1", "fresh")] {
            us.append(u); its.append(i); vs.append(4); ts.append(9_000)
        }
        return (old, try Interactions(userIDs: us, itemIDs: its, values: vs, timestamps: ts))
    }

    static var configurations: [ModelConfig] {
        get throws {
            var out: [ModelConfig] = []
            for kind in ModelCatalogue.kinds { out.append(try C.config(kind)) }
            out.append(try C.config(ExplicitALS.kind, ["implicit": .bool(true)]))
            out.append(try C.config(Popularity.kind, ["half_life": .double(7)]))
            out.append(try C.config(Popularity.kind, ["distinct_users": .bool(true)]))
            out.append(try C.config(ItemKNN.kind, ["similarity": .string("adjusted_cosine")]))
            out.append(try C.config(ItemKNN.kind, ["selection": .string("symmetric")]))
            out.append(try C.config(ItemKNN.kind, ["selection": .string("symmetric"), "k": .int(2)]))
            out.append(try C.config(ItemKNN.kind, ["k": .int(2)]))
            out.append(try C.config(ItemKNN.kind, ["selection": .string("user")]))
            out.append(try C.config(ItemKNN.kind, ["selection": .string("user"), "max_neighbours": .int(25), "k": .int(3)]))
            return out
        }
    }

    func testDeclaredIncrementalKindsUpdate() throws {
        let (old, new) = try Self.halves()
        var checked = 0
        for c in try Self.configurations {
            let name = "\(c)"
            let declared = c.capabilities.contains(.incremental)
            let m = try c.make()
            XCTAssertEqual(declared, m is IncrementalRecommender, "\(name): declares .incremental iff it updates")
            guard declared, let inc = m as? IncrementalRecommender else { continue }
            checked += 1
            let drop = c.input.values == .ignored
            let oldIn = drop ? old.replacingValues(nil) : old, newIn = drop ? new.replacingValues(nil) : new
            try m.fit(oldIn)

            // Nothing new: nothing changes.
            let before = (0..<Int32(3)).map { C.allScores(m, user: $0) }
            let same = try inc.update(oldIn.selecting(rows: []), after: oldIn)
            XCTAssertEqual(same.count, oldIn.count, name)
            XCTAssertEqual(m.itemCount, oldIn.itemCount, name)
            for u: Int32 in 0..<3 {
                XCTAssertEqual(C.allScores(m, user: u).map(\.bitPattern), before[Int(u)].map(\.bitPattern), "\(name): empty update moved user \(u)")
            }

            // New events: their users and items become known; lists stay well formed.
            let all = try inc.update(newIn, after: oldIn)
            XCTAssertEqual(all.count, oldIn.count + newIn.count, name)
            XCTAssertEqual(m.userCount, all.userCount, name)
            XCTAssertEqual(m.itemCount, all.itemCount, name)
            let newcomer = all.users.index(of: "newcomer")!, fresh = all.items.index(of: "fresh")!
            XCTAssertTrue(m.knows(user: newcomer), name)
            XCTAssertTrue(m.knows(item: fresh), name)
            XCTAssertEqual(Set(m.trainingItems.items(of: newcomer)), Set([all.items.index(of: "i1")!, all.items.index(of: "i2")!, fresh]), name)
            let list = m.recommend(user: newcomer, k: 5)
            XCTAssertFalse(list.isEmpty, name)
            XCTAssertTrue(list.allSatisfy { $0.score.isFinite && $0.item != fresh }, "\(name): seen items listed or scores not finite")
            XCTAssertTrue(C.allScores(m, user: 0).allSatisfy(\.isFinite), name)
        }
        XCTAssertGreaterThanOrEqual(checked, 4, "popularity, item_knn, als and biased_mf declare .incremental")
    }
}
