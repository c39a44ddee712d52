import XCTest
@testable import RecCore

final class SyntheticTests: XCTestCase {
    func testDeterministicPerSeed() {
        let a = synthetic(users: 300, items: 150, seed: 7)
        let b = synthetic(users: 300, items: 150, seed: 7)
        let c = synthetic(users: 300, items: 150, seed: 8)
        XCTAssertEqual(a.user, b.user)
        XCTAssertEqual(a.item, b.item)
        XCTAssertEqual(a.timestamps, b.timestamps)
        XCTAssertEqual(a.values, b.values)
        XCTAssertEqual(a.events, b.events)
        XCTAssertEqual(a.channels, b.channels)
        XCTAssertEqual(a.users.keys, b.users.keys)
        XCTAssertEqual(a.userAttributes, b.userAttributes)
        XCTAssertEqual(a.itemAttributes, b.itemAttributes)
        XCTAssertNotEqual(a.timestamps, c.timestamps)
        XCTAssertNotEqual(a.userAttributes, c.userAttributes)
    }

    func testShapeAndFunnel() throws {
        let d = synthetic(users: 2000, items: 800, seed: 42)
        XCTAssertEqual(d.userCount, 2000)  // every user has at least one session
        XCTAssertEqual(d.events?.labels, ["search", "click", "view", "cart", "purchase", "rating"])
        XCTAssertEqual(d.channels?.labels, ["app", "web", "store"])
        let ev = Dictionary(uniqueKeysWithValues: zip(d.events!.labels, d.events!.countsByCode()))
        print("synthetic funnel: \(ev)")
        XCTAssertGreaterThan(ev["view"]!, 5 * ev["cart"]!)       // views ≫ carts
        XCTAssertGreaterThan(ev["cart"]!, Int(1.5 * Double(ev["purchase"]!)))  // carts ≫ purchases
        XCTAssertGreaterThan(ev["purchase"]!, ev["rating"]!)
        XCTAssertGreaterThan(ev["rating"]!, 0)
        XCTAssertGreaterThan(ev["search"]!, 0)
        // Ratings are 1…5 and only on rating events; everything else has value 1.
        for i in 0..<d.count {
            let v = d.values![i]
            if d.events![i] == "rating" { XCTAssertTrue((1...5).contains(v) && v == v.rounded()) } else { XCTAssertEqual(v, 1) }
        }
        // Time-ordered over the configured weeks.
        let ts = d.timestamps!
        XCTAssertEqual(ts, ts.sorted())
        XCTAssertGreaterThanOrEqual(ts.first!, 1_704_067_200)
        XCTAssertLessThan(ts.last!, 1_704_067_200 + (6 * 7 + 7) * 86400)  // 6 weeks, plus late ratings
        // Long tail: the top 20% of items get well over half the interactions.
        let s = try d.describe()
        XCTAssertGreaterThan(s.longTail.top20PercentShare, 0.5)
        // Channel habits: the store converts better than the web.
        func rate(_ ch: String) -> Double {
            var views = 0, purchases = 0
            for i in 0..<d.count where d.channels![i] == ch {
                if d.events![i] == "view" { views += 1 } else if d.events![i] == "purchase" { purchases += 1 }
            }
            return Double(purchases) / Double(max(1, views))
        }
        XCTAssertGreaterThan(rate("store"), 2 * rate("web"))
        // Attributes.
        XCTAssertEqual(d.userAttributes?.columnNames, ["gender", "age_band", "region"])
        XCTAssertEqual(d.itemAttributes?.columnNames, ["category", "provider", "provider_size", "price"])
        XCTAssertEqual(d.userAttributes?.count, 2000)
    }

    func testPlantedBiases() throws {
        let d = synthetic(users: 3000, items: 1000, seed: 11)
        // Minority group: fewer users and fewer interactions per user.
        let g = try d.groupStats(userAttribute: "region")
        let rural = g.groups.first { $0.group == "rural" }!
        let others = g.groups.filter { $0.group != "rural" }
        XCTAssertLessThan(rural.shareOfUsers, 0.2)
        for o in others { XCTAssertLessThan(rural.interactionsPerUser * 1.8, o.interactionsPerUser) }
        // Provider skew: big providers' share of views exceeds their share of purchases.
        let sizes = d.itemAttributes!.groupLabels("provider_size", alignedTo: d.items)!
        var views = [String: Int](), purchases = [String: Int]()
        for i in 0..<d.count {
            let s = sizes[Int(d.item[i])]
            if d.events![i] == "view" { views[s, default: 0] += 1 }
            if d.events![i] == "purchase" { purchases[s, default: 0] += 1 }
        }
        let viewShare = Double(views["big"]!) / Double(views["big"]! + views["small"]!)
        let buyShare = Double(purchases["big"]!) / Double(purchases["big"]! + purchases["small"]!)
        XCTAssertGreaterThan(viewShare, 0.42)  // about 35% of the catalogue, far more of the views
        XCTAssertGreaterThan(viewShare, buyShare + 0.02)
        print("synthetic: rows \(d.count), rural/user \(rural.interactionsPerUser), others \(others.map(\.interactionsPerUser)), big view share \(viewShare), big purchase share \(buyShare)")
        // Rural users favour niche categories.
        let cats = d.itemAttributes!.groupLabels("category", alignedTo: d.items)!
        let regions = d.userAttributes!.groupLabels("region", alignedTo: d.users)!
        var nicheRural = 0, allRural = 0, nicheOther = 0, allOther = 0
        for i in 0..<d.count where d.events![i] == "view" {
            let niche = ["garden", "crafts", "health"].contains(cats[Int(d.item[i])])
            if regions[Int(d.user[i])] == "rural" { allRural += 1; if niche { nicheRural += 1 } }
            else { allOther += 1; if niche { nicheOther += 1 } }
        }
        XCTAssertGreaterThan(Double(nicheRural) / Double(allRural), 2 * Double(nicheOther) / Double(allOther))
    }
}
