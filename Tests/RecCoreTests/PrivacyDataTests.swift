import Foundation
import XCTest
@testable import RecCore

/// Pseudonyms, k-anonymity and the budget rule, against hand-computed values.
final class PrivacyDataTests: XCTestCase {
    static let key = "0123456789abcdef-key"

    func withAttributes(_ d: Interactions, _ rows: [(String, String, String)]) throws -> Interactions {
        var d = d
        d.userAttributes = try AttributeTable(keys: rows.map(\.0), columns: [("gender", .string(rows.map(\.1))),
                                                                             ("region", .string(rows.map(\.2)))])
        return d
    }

    /// The pseudonym is the first 80 bits of HMAC-SHA256(key, domain ‖ 0 ‖ id) in hex; the values
    /// were computed with Python's hmac module:
    /// `hmac.new(b"0123456789abcdef-key", b"user\0" + b"42", hashlib.sha256).hexdigest()[:20]`.
    func testPseudonymsAreKeyedHMACSHA256() throws {
        let p = try Pseudonymizer(key: Self.key)
        XCTAssertEqual(p.pseudonym("42", domain: "user"), "u41f6ced4f90fda3a7ea1")
        XCTAssertEqual(p.pseudonym("42", domain: "item"), "i845081e72209239b61a4")
        XCTAssertNotEqual(try Pseudonymizer(key: Self.key + "!").pseudonym("42", domain: "user"), "u41f6ced4f90fda3a7ea1")
        XCTAssertThrowsError(try Pseudonymizer(key: "short")) { e in
            XCTAssertTrue("\(e)".contains("at least 16 bytes"), "\(e)")
            XCTAssertFalse("\(e)".contains("short"), "an error must not echo the key")
        }
    }

    /// Same key, two datasets: shared users get the same pseudonym (so joins work); rows, values
    /// and attributes are carried over, re-keyed; items stay unless asked.
    func testPseudonymizedDatasetsStillJoinAndKeepAttributes() throws {
        let a = try withAttributes(try Interactions(userIDs: ["42", "7", "42"], itemIDs: ["x", "y", "y"], values: [1, 2, 3]),
                                   [("42", "F", "north"), ("7", "M", "south"), ("99", "X", "east")])
        let b = try Interactions(userIDs: ["8", "42"], itemIDs: ["x", "z"])
        let p = try Pseudonymizer(key: Self.key)
        let pa = try p.pseudonymized(a, users: true, items: false), pb = try p.pseudonymized(b, users: true, items: false)
        XCTAssertEqual(pa.users.key(at: 0), "u41f6ced4f90fda3a7ea1")
        XCTAssertEqual(pb.users.key(at: 1), pa.users.key(at: 0))
        XCTAssertEqual(pa.user, a.user); XCTAssertEqual(pa.item, a.item); XCTAssertEqual(pa.values, a.values)
        XCTAssertEqual(pa.items.keys, ["x", "y"])
        XCTAssertEqual(pa.userAttributes?.text("gender", for: pa.users.key(at: 1)), "M")
        XCTAssertEqual(pa.userAttributes?.text("region", for: p.pseudonym("99", domain: "user")), "east")
        XCTAssertFalse(pa.users.keys.contains("42"))
        let both = try p.pseudonymized(a, users: true, items: true)
        XCTAssertEqual(both.items.key(at: 0), p.pseudonym("x", domain: "item"))
    }

    /// Six users: (F, north) ×3, (M, north) ×2, (M, south) ×1, and one attribute row for a user
    /// without interactions (not counted). k = 3: classes of 2 and 1 are at risk, 3 users.
    func testKAnonymityByHand() throws {
        let d = try withAttributes(try Interactions(userIDs: ["a", "b", "c", "d", "e", "f", "a"], itemIDs: ["x", "x", "x", "y", "y", "y", "z"]),
                                   [("a", "F", "north"), ("b", "F", "north"), ("c", "F", "north"), ("d", "M", "north"),
                                    ("e", "M", "north"), ("f", "M", "south"), ("g", "M", "south")])
        let r = try KAnonymityReport(d, quasi: ["gender", "region"], k: 3)
        XCTAssertEqual(r.userCount, 6)
        XCTAssertEqual(r.smallestClass, 1)
        XCTAssertEqual(r.usersAtRisk, 3)
        XCTAssertEqual(r.classesAtRisk.map(\.values), [["M", "south"], ["M", "north"]])
        let t = try r.riskTable()
        XCTAssertEqual(t.columnNames, ["gender", "region", "users"])
        XCTAssertEqual(t.rowCount, 2)
        // Coarsening (dropping region) makes it 3-anonymous.
        let coarse = try KAnonymityReport(d, quasi: ["gender"], k: 3)
        XCTAssertEqual(coarse.smallestClass, 3)
        XCTAssertEqual(coarse.usersAtRisk, 0)
        XCTAssertThrowsError(try KAnonymityReport(d, quasi: ["age"], k: 3)) { e in XCTAssertTrue("\(e)".contains("gender, region"), "\(e)") }
    }

    func testBudgetRefusesAReleaseBeyondIt() throws {
        let cost = PrivacyCost(mechanism: "geometric", epsilon: 1)
        XCTAssertNoThrow(try PrivacyLedger.check(spent: 2, budget: 3, cost: cost))
        XCTAssertNoThrow(try PrivacyLedger.check(spent: 100, budget: nil, cost: cost))
        XCTAssertNoThrow(try PrivacyLedger.check(spent: 0.1 + 0.2 + 0.7 + 0.9 + 0.1, budget: 3, cost: cost))
        XCTAssertThrowsError(try PrivacyLedger.check(spent: 2.5, budget: 3, cost: cost)) { e in
            XCTAssertTrue("\(e)".contains("privacy budget exceeded"), "\(e)")
        }
    }

    /// A split's training set has its dataset's users, so it is charged to the same population.
    func testASplitSharesItsDatasetsPopulation() throws {
        let d = try Interactions(userIDs: ["a", "b", "a", "b"], itemIDs: ["x", "y", "y", "x"], timestamps: [1, 2, 3, 4])
        let s = try d.temporalSplit(testFraction: 0.5)
        XCTAssertEqual(s.train.populationKey, d.populationKey)
        XCTAssertNotEqual(try Interactions(userIDs: ["a", "c"], itemIDs: ["x", "y"]).populationKey, d.populationKey)
    }
}
