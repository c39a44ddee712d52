import Foundation
import XCTest
@testable import RecCore

/// The contract every model in the catalogue keeps, run on every entry automatically (as
/// implicit's `RecommenderBaseTestMixin` and LensKit's `ScorerTests` do): it fits on tiny data,
/// the same seed gives the same model, recommendations leave out what the user already has,
/// scores are finite, what it declares it offers it does, a saved state restores bit for bit,
/// users and items it was not trained on are handled, and every declared limit of a parameter
/// builds a model that fits (so no core precondition is reachable from a valid configuration).
final class CatalogueContractTests: XCTestCase {
    /// 40 users × 25 items: ratings 1–5, timestamps, channels, item attributes (category) for content_based.
    static let data: Interactions = {
        var rng = Xoshiro256(seed: 7)
        var us = [String](), its = [String](), vs = [Double](), ts = [Int64](), chs = [String]()
        for u in 0..<40 {
            for j in 0..<8 {
                let i = (u * 3 + j * j + Int(rng.nextInt(below: 4))) % 25
                us.append("u\(u)"); its.append("i\(i)"); vs.append(Double(1 + (u + i) % 5)); ts.append(Int64(u * 100 + j))
                chs.append(["app", "web", "store"][(u + j) % 3])
            }
        }
        var d = try! Interactions(userIDs: us, itemIDs: its, values: vs, timestamps: ts, channels: chs)
        d.itemAttributes = try! AttributeTable(keys: (0..<25).map { "i\($0)" },
                                               columns: [("category", .string((0..<25).map { ["a", "b", "c"][$0 % 3] }))])
        return d
    }()

    /// A configuration to test for each kind: its defaults, with small sizes so the suite is fast,
    /// and the components a hybrid needs.
    static func config(_ kind: ModelKind, _ extra: [String: ParameterValue] = [:]) throws -> ModelConfig {
        var v: [String: ParameterValue] = [:]
        for (name, small) in [("factors", ParameterValue.int(4)), ("epochs", .int(3)), ("iterations", .int(3)), ("layers", .ints([8, 4]))]
        where kind.parameter(name) != nil { v[name] = small }
        if kind.name == "hybrid" {
            v["models"] = .models([.config(try Popularity.kind.configure()), .config(try ItemKNN.kind.configure())])
        }
        if kind.name == "channel_model" { v["base"] = .model(.config(try ItemKNN.kind.configure())) }
        for (k, x) in extra { v[k] = x }
        return try kind.configure(v)
    }

    /// The data as the binding gives it to a model: values dropped when it ignores them.
    static func input(_ c: ModelConfig) -> Interactions {
        c.input.values == .ignored ? data.replacingValues(nil) : data
    }

    static func fitted(_ c: ModelConfig) throws -> any Recommender {
        let m = try c.make()
        try m.fit(input(c))
        return m
    }

    static func allScores(_ m: any Recommender, user: Int32) -> [Float] {
        var out = [Float](repeating: 0, count: m.itemCount)
        out.withUnsafeMutableBufferPointer { m.scoreAll(user: user, into: $0) }
        return out
    }

    func testEveryKindKeepsTheContract() throws {
        XCTAssertEqual(Set(ModelCatalogue.kinds.map(\.name)).count, ModelCatalogue.kinds.count, "kind names must be unique")
        // Each kind at its defaults, and the variants that change how scores are computed.
        let variants = [try Self.config(ItemKNN.kind, ["selection": .string("symmetric")]),
                        try Self.config(ItemKNN.kind, ["selection": .string("user")]),
                        try Self.config(ItemKNN.kind, ["selection": .string("user"), "feedback": .string("explicit")])]
        for c in try ModelCatalogue.kinds.map({ try Self.config($0) }) + variants {
            let caps = c.capabilities
            let m = try Self.fitted(c)
            let name = c.kind.name + (c.kind.name == "item_knn" ? " selection \(c.string("selection"))" : "")
            XCTAssertEqual(m.itemCount, Self.data.itemCount, name)
            XCTAssertTrue(caps.contains(.ranks), name)

            // Determinism: the same configuration (and seed) gives the same scores.
            let again = try Self.fitted(c)
            for u: Int32 in [0, 7, 39] {
                let a = Self.allScores(m, user: u), b = Self.allScores(again, user: u)
                XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "\(name): two fits differ for user \(u)")
                XCTAssertTrue(a.allSatisfy { $0.isFinite || $0 == -.infinity }, "\(name): non-finite score for user \(u)")
            }

            // Recommendations leave out the user's training items and are sorted best first.
            for u: Int32 in [0, 13] {
                let seen = Set(m.trainingItems.items(of: u))
                let recs = m.recommend(user: u, k: 10)
                XCTAssertFalse(recs.isEmpty, "\(name): no recommendations for user \(u)")
                XCTAssertTrue(recs.allSatisfy { !seen.contains($0.item) }, "\(name): recommended a seen item")
                XCTAssertEqual(recs.map(\.score), recs.map(\.score).sorted(by: >), name)
            }

            // What it declares it offers, it does.
            XCTAssertEqual(caps.contains(.persistent), m is PersistentRecommender, "\(name): persistent")
            XCTAssertEqual(caps.contains(.lossHistory), !((m as? LossReporting)?.lossHistory ?? []).isEmpty, "\(name): loss history")
            if caps.contains(.similarItems) {
                XCTAssertFalse(m.similarItems(item: 1, k: 3).isEmpty, "\(name): similar items")
            }
            if caps.contains(.explains) {
                let item = m.recommend(user: 2, k: 1)[0].item
                XCTAssertFalse(m.explain(user: 2, item: item).contributions.isEmpty, "\(name): explain has no parts")
            }
            if caps.contains(.predictsRatings) {
                // Predictions of ratings on the 1–5 scale land near it (the training rows' RMSE is small).
                var se = 0.0
                for r in 0..<Self.data.count {
                    let s = m.score(user: Self.data.user[r], items: [Self.data.item[r]])[0]
                    XCTAssertTrue(s.isFinite, "\(name): no rating prediction for a training pair")
                    let e = Double(s) - Self.data.values![r]; se += e * e
                }
                XCTAssertLessThan((se / Double(Self.data.count)).squareRoot(), 2.5, "\(name): predicts ratings badly")
            }
            XCTAssertEqual(c.input.values == .required, (try? c.make().fit(Self.data.replacingValues(nil))) == nil,
                           "\(name): needs ratings exactly when it declares it")

            // Save and restore: the same scores, bit for bit.
            if let p = m as? PersistentRecommender {
                let restored = try c.make()
                try (restored as! PersistentRecommender).restore(try p.savedState(), training: Self.input(c))
                for u: Int32 in [0, 21] {
                    XCTAssertEqual(Self.allScores(m, user: u).map(\.bitPattern), Self.allScores(restored, user: u).map(\.bitPattern),
                                   "\(name): restored model scores differently")
                }
            }

            // A user past the fitted range is a user without history; an item index past it gets no
            // score or the documented fallback (an item without history, docs/models.md), never ±∞.
            XCTAssertEqual(Self.allScores(m, user: Int32(Self.data.userCount + 5)).count, m.itemCount, name)
            XCTAssertFalse(m.score(user: 0, items: [Int32(m.itemCount + 3)])[0].isInfinite, "\(name): an unknown item scores ±∞")
        }
    }

    /// Each declared default, search value and limit is a valid value; the lower limit of every
    /// number builds a model that fits (the upper limits of sizes are checked by the memory
    /// budget instead, see SizeLimitTests).
    func testEveryDeclaredLimitBuildsAModel() throws {
        for kind in ModelCatalogue.kinds {
            for p in kind.parameters {
                if !p.isRequired { XCTAssertNoThrow(try p.validate(p.defaultValue), "\(kind.name).\(p.name) default") }
                for v in p.searchValues { XCTAssertNoThrow(try p.validate(v), "\(kind.name).\(p.name) search value \(v)") }
                var edge: ParameterValue?
                switch p.domain {
                case .int(let r) where r.lowerBound > Int.min: edge = .int(r.lowerBound)
                case let .double(min, _, exclusive): edge = .double(exclusive ? min + 1e-3 : min)
                default: edge = nil
                }
                guard let edge else { continue }
                // A rule between parameters may refuse the edge (als's reg: 0 for ratings): then it
                // is refused with a message, not built.
                guard let c = try? Self.config(kind, [p.name: edge]) else { continue }
                XCTAssertNoThrow(try Self.fitted(c), "\(kind.name)(\(p.name): \(edge)) does not fit")
                // Just outside the domain is refused by the declaration, naming the parameter.
                let outside: ParameterValue
                switch edge {
                case .int(let i): outside = .int(i - 1)
                case .double(let d): outside = .double(d - 1)
                default: continue
                }
                XCTAssertThrowsError(try Self.config(kind, [p.name: outside])) { e in
                    XCTAssertEqual((e as? ModelConfigError)?.parameter, p.name, "\(kind.name).\(p.name)")
                }
            }
        }
    }

    /// Swift's initializers take their defaults from the catalogue, so the two cannot disagree.
    func testSwiftDefaultsAreTheCatalogueDefaults() throws {
        let mf = BiasedMF()
        XCTAssertEqual(mf.factors, 50); XCTAssertEqual(mf.epochs, 40); XCTAssertEqual(mf.learningRate, 0.01)
        XCTAssertEqual(mf.regularization, 0.1)
        let als = ImplicitALS()
        XCTAssertEqual(als.factors, BiasedMF.kind.parameter("factors").map { _ in ExplicitALS.kind.defaultInt("factors") })
        XCTAssertEqual(SVDPlusPlus().epochs, SVDPlusPlus.kind.defaultInt("epochs"))
        XCTAssertEqual(ItemKNN().neighbours, ItemKNN.kind.defaultInt("k"))
        XCTAssertEqual(NCF().layers, [32], "NCF's default layers [64, 32] mean a 64-wide MLP input and one hidden layer of 32")
        XCTAssertEqual(NCF().mlpFactors, 32)
    }

    func testConfigurationErrorsNameTheParameter() {
        XCTAssertThrowsError(try BiasedMF.kind.configure(["factors": .int(0)])) { e in
            XCTAssertEqual("\(e)", "biased_mf(): argument 'factors' must be between 1 and 10000, got 0")
        }
        XCTAssertThrowsError(try BiasedMF.kind.configure(["lr": .double(0)])) { e in
            XCTAssertEqual("\(e)", "biased_mf(): argument 'lr' must be a positive number, got 0.0")
        }
        XCTAssertThrowsError(try BiasedMF.kind.configure(["fators": .int(3)])) { e in
            XCTAssertEqual("\(e)", "biased_mf() has no parameter 'fators'")
        }
        XCTAssertThrowsError(try ItemKNN.kind.configure(["similarity": .string("euclid")])) { e in
            XCTAssertEqual("\(e)", "item_knn(): argument 'similarity' must be \"cosine\", \"adjusted_cosine\", \"pearson\" or \"jaccard\", got \"euclid\"")
        }
        XCTAssertThrowsError(try ExplicitALS.kind.configure(["reg": .double(0)])) { e in
            XCTAssertEqual("\(e)", "als(): reg must be positive for ratings (implicit: false), got 0")
        }
        // A default that depends on another parameter.
        XCTAssertEqual(try ExplicitALS.kind.configure(["implicit": .bool(true)])["reg"], .double(0.01))
        XCTAssertEqual(try ExplicitALS.kind.configure()["reg"], .double(0.1))
    }
}
