import Foundation
import XCTest
@testable import RecCore

/// Save/restore of fitted models: every model is fitted, saved to bytes, restored into a fresh
/// instance with the same hyper-parameters and the same training data, and must then score,
/// recommend, explain and list similar items bit for bit as the fitted one.
final class ModelPersistenceTests: XCTestCase {
    /// 30 users × 20 items with ratings 1–5, timestamps, a channel per row, a user attribute
    /// (gender, missing for every fifth user) and item attributes (genres, category). u0 has every
    /// item once, so every item occurs and the first row is the only (u0, i0) pair.
    func log(seed: UInt64 = 11) throws -> Interactions {
        let nu = 30, ni = 20
        var rng = Xoshiro256(seed: seed)
        var us = [String](), its = [String](), vs = [Double](), ts = [Int64](), chs = [String]()
        for i in 0..<ni { us.append("u0"); its.append("i\(i)"); vs.append(3); ts.append(Int64(i)); chs.append("app") }
        for u in 1..<nu {
            for _ in 0..<6 {
                let i = min(ni - 1, Int(Double(ni) * rng.nextDouble() * rng.nextDouble()))
                us.append("u\(u)"); its.append("i\(i)"); vs.append(Double(1 + rng.nextInt(below: 5)))
                ts.append(Int64(rng.nextInt(below: 1000))); chs.append(["app", "web", "store"][rng.nextInt(below: 3)])
            }
        }
        var d = try Interactions(userIDs: us, itemIDs: its, values: vs, timestamps: ts, channels: chs)
        d.userAttributes = try AttributeTable(keys: (0..<nu).map { "u\($0)" }, columns: [
            ("gender", .string((0..<nu).map { $0 % 5 == 4 ? nil : ["f", "m"][$0 % 2] })),
        ])
        let genres = ["A", "B", "C", "D"]
        d.itemAttributes = try AttributeTable(keys: (0..<ni).map { "i\($0)" }, columns: [
            ("genres", .multi((0..<ni).map { i in [genres[i % 4]] + (i % 3 == 0 ? [genres[(i + 1) % 4]] : []) })),
            ("category", .string((0..<ni).map { $0 % 7 == 6 ? nil : ["x", "y", "z"][$0 % 3] })),
        ])
        return d
    }

    // MARK: Every model

    func testPopularity() throws {
        let data = try log()
        try roundTrip({ Popularity() }, data)
        try roundTrip({ Popularity(distinctUsers: true, by: "channel") }, data)
        let byGender = try roundTrip({ Popularity(by: "gender") }, data)
        XCTAssertEqual(byGender.groupLabels, ["f", "m"])
        XCTAssertEqual(byGender.group(of: 4), nil)
        // The grouping is stored, so the training data need not carry the channels again…
        let fitted = Popularity(by: "channel")
        try fitted.fit(data)
        let fresh = Popularity(by: "channel")
        try fresh.restore(try ModelState(decoding: try fitted.savedState().encoded()), training: try bare(data))
        assertSameModel(fitted, fresh, users: 30)
        // …but the grouping must be the same.
        assertPayloadError(contains: "grouped") {
            try Popularity(by: "gender").restore(try fitted.savedState(), training: data)
        }
    }

    func testBiasBaseline() throws {
        try roundTrip({ BiasBaseline(iterations: 3) }, try log())
    }

    func testBiasedMF() throws {
        try roundTrip({ BiasedMF(factors: 5, epochs: 4, seed: 3) }, try log(), loss: \.lossHistory)
        // Without biases the state has none, and the restored model has none either.
        let plain = try roundTrip({ BiasedMF(factors: 3, epochs: 2, biased: false) }, try log(), loss: \.lossHistory)
        XCTAssertNil(plain.userBias)
        XCTAssertNil(plain.itemBias)
    }

    func testExplicitALS() throws {
        try roundTrip({ ExplicitALS(factors: 4, iterations: 3) }, try log(), loss: \.lossHistory)
    }

    func testImplicitALS() throws {
        // The language layer may give implicit models the data without values, as fit saw it.
        let m = try roundTrip({ ImplicitALS(factors: 4, iterations: 3) }, try log().replacingValues(nil), loss: \.lossHistory)
        XCTAssertEqual(m.lossHistory.count, 3)
        // A model with another number of factors cannot take the state.
        let fitted = ImplicitALS(factors: 4, iterations: 1)
        try fitted.fit(try log())
        assertPayloadError(contains: "4 factors") {
            try ImplicitALS(factors: 5).restore(try fitted.savedState(), training: try log())
        }
    }

    func testBPR() throws {
        try roundTrip({ BPR(factors: 4, epochs: 3, seed: 5) }, try log(), loss: \.lossHistory)
        try roundTrip({ BPR(factors: 3, epochs: 2, itemBias: false) }, try log(), loss: \.lossHistory)
    }

    func testSVDPlusPlus() throws {
        let data = try log()
        let fitted = SVDPlusPlus(factors: 4, epochs: 3)
        try fitted.fit(data)
        let restored = try roundTrip({ SVDPlusPlus(factors: 4, epochs: 3) }, data, loss: \.lossHistory)
        XCTAssertEqual(bits(restored.explicitUserFactors), bits(fitted.explicitUserFactors))
        XCTAssertEqual(bits(restored.implicitFactors), bits(fitted.implicitFactors))
        XCTAssertFalse(restored.implicitFactors.isEmpty)
    }

    func testItemKNN() throws {
        try roundTrip({ ItemKNN(neighbours: 5) }, try log())
        try roundTrip({ ItemKNN(neighbours: 4, similarity: .adjustedCosine, shrinkage: 2, feedback: .explicit) }, try log())
        try roundTrip({ ItemKNN(neighbours: 6, similarity: .jaccard) }, try log().replacingValues(nil))
    }

    func testUserKNN() throws {
        try roundTrip({ UserKNN(neighbours: 5) }, try log())
        try roundTrip({ UserKNN(neighbours: 4, minNeighbours: 2, similarity: .pearson, feedback: .explicit) }, try log())
    }

    func testEASE() throws {
        try roundTrip({ EASE(regularization: 5) }, try log())
        try roundTrip({ EASE(regularization: 20, binarize: false) }, try log())
    }

    func testContentBased() throws {
        let data = try log()
        try roundTrip({ ContentBased(attributes: ["genres", "category"]) }, data)
        // The profiles are stored: restoring needs no item attributes (given ones or the log's).
        let fitted = ContentBased(attributes: ["genres"])
        try fitted.fit(data)
        var bare = data
        bare.itemAttributes = nil
        let fresh = ContentBased(attributes: ["genres"])
        try fresh.restore(try ModelState(decoding: try fitted.savedState().encoded()), training: bare)
        assertSameModel(fitted, fresh, users: 30)
        XCTAssertEqual(fresh.featureNames, fitted.featureNames)
    }

    func testHybrid() throws {
        let data = try log()
        let h = try roundTrip({
            Hybrid([(BPR(factors: 4, epochs: 3, seed: 3), 1), (UserKNN(neighbours: 5), 1), (Popularity(by: "channel"), 0.2)],
                   normalization: .zScore)
        }, data)
        XCTAssertEqual(h.components.map(\.userCount), [30, 30, 30])   // components were restored
        XCTAssertEqual(h.components.map(\.name), ["bpr", "user-knn", "popularity"])
        // Components built differently: the names are checked.
        assertPayloadError(contains: "components") {
            try Hybrid([(BPR(factors: 4), 1), (Popularity(), 1)]).restore(try h.savedState(), training: data)
        }
    }

    func testSequentialMarkov() throws {
        let data = try log()
        try roundTrip({ SequentialMarkov() }, data)
        let m = try roundTrip({ SequentialMarkov(window: 3, decay: 0.7) }, data)
        XCTAssertEqual(m.recent(user: 0), [19, 18, 17])
        // Timestamps are not needed to restore (the transitions and recent items are stored).
        let fitted = SequentialMarkov(window: 2)
        try fitted.fit(data)
        let fresh = SequentialMarkov(window: 2)
        try fresh.restore(try fitted.savedState(), training: try bare(data))
        assertSameModel(fitted, fresh, users: 30)
        assertPayloadError(contains: "window") {
            try SequentialMarkov(window: 1).restore(try fitted.savedState(), training: data)
        }
    }

    func testNCF() throws {
        let data = try log().replacingValues(nil)
        func make() -> NCF {
            NCF(factors: 4, hiddenLayers: [8, 4], mlpFactors: 3, epochs: 3, learningRate: 0.01, batchSize: 16, negatives: 2, seed: 9)
        }
        let m = try roundTrip(make, data, loss: \.lossHistory)
        XCTAssertEqual(m.lossHistory.count, 3)
        XCTAssertNotNil(m.network)
        // Another architecture cannot take the state.
        assertPayloadError(contains: "layers") {
            try NCF(factors: 4, hiddenLayers: [8], mlpFactors: 3).restore(try m.savedState(), training: data)
        }
        // An unfitted network has nothing to save.
        XCTAssertThrowsError(try make().savedState())
    }

    // MARK: Errors

    /// A model without saved state: a hybrid holding one cannot be saved or restored.
    final class Constant: Recommender {
        let name: String
        private(set) var userCount = 0
        private(set) var itemCount = 0
        private(set) var trainingItems = TrainingItems()
        init(name: String) { self.name = name }
        func fit(_ train: Interactions, context: FitContext) throws {
            userCount = train.userCount; itemCount = train.itemCount; trainingItems = TrainingItems(train)
        }
        func scoreAll(user: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
            for i in 0..<scores.count { scores[i] = Float(i) }
        }
    }

    func testHybridWithNonPersistentComponent() throws {
        let data = try log()
        let h = Hybrid([(Popularity(), 1), (Constant(name: "constant"), 1)])
        try h.fit(data)
        XCTAssertThrowsError(try h.savedState()) { e in
            XCTAssertTrue("\(e)".contains("component 2 (constant) cannot be saved"), "\(e)")
        }
        // A state saved from a hybrid of persistent models cannot go into one holding a
        // non-persistent model of the same name either.
        let saved = Hybrid([(Popularity(), 1), (ItemKNN(), 1)])
        try saved.fit(data)
        let state = try saved.savedState()
        let fresh = Hybrid([(Popularity(), 1), (Constant(name: "item-knn"), 1)])
        assertPayloadError(contains: "component 2 (item-knn) cannot be restored: it is not a persistent model") {
            try fresh.restore(state, training: data)
        }
        XCTAssertEqual(fresh.itemCount, 0)   // nothing was restored
        XCTAssertEqual(fresh.components[0].itemCount, 0)
    }

    /// Every prefix of an encoded state (a hybrid's, which nests all entry types) fails to
    /// decode with a `PayloadError`; so do bad magic, a newer format and trailing bytes.
    func testTruncatedAndCorruptEncodings() throws {
        let data = try log()
        let h = Hybrid([(BiasedMF(factors: 3, epochs: 2), 1), (ItemKNN(neighbours: 3), 1), (Popularity(by: "channel"), 1)])
        try h.fit(data)
        let bytes = try h.savedState().encoded()
        XCTAssertEqual(try ModelState(decoding: bytes), try h.savedState())
        for n in 0..<bytes.count {
            assertPayloadError { _ = try ModelState(decoding: Array(bytes[0..<n])) }
        }
        assertPayloadError(contains: "trailing") { _ = try ModelState(decoding: bytes + [0]) }
        var magic = bytes
        magic[0] ^= 0xFF
        assertPayloadError(contains: "not a model state") { _ = try ModelState(decoding: magic) }
        var newer = bytes
        newer[4] = 99
        assertPayloadError(contains: "newer") { _ = try ModelState(decoding: newer) }

        // Random single-byte corruption: decoding and restoring either work or throw a
        // PayloadError (counts, indices and shapes are all checked), and a model that restored
        // still scores without crashing.
        var rng = Xoshiro256(seed: 17)
        for _ in 0..<300 {
            var bad = bytes
            let at = rng.nextInt(below: bad.count)
            bad[at] ^= UInt8(1 + rng.nextInt(below: 255))
            let fresh = Hybrid([(BiasedMF(factors: 3, epochs: 2), 1), (ItemKNN(neighbours: 3), 1), (Popularity(by: "channel"), 1)])
            do {
                try fresh.restore(try ModelState(decoding: bad), training: data)
                _ = fresh.recommend(user: 1, k: 5)
                _ = fresh.explain(user: 2, item: 3)
                _ = fresh.components[1].similarItems(item: 4, k: 3)
            } catch is PayloadError {
            } catch {
                XCTFail("byte \(at): expected a PayloadError, got \(error)")
            }
        }
    }

    func testModelStateAPI() throws {
        var s = ModelState()
        s.set("f", [Float(1), .nan])
        s.set("d", scalar: Double(2.5))
        s.set("i", scalar: Int(7))
        s.set("n", [Int32(-1), 3])
        s.set("s", ["a", "", "ü"])
        var inner = ModelState()
        inner.set("x", [Float(-0.0)])
        s.set("inner", inner)
        s.set("i", [1, 2] as [Int])   // replaces in place
        XCTAssertEqual(s.entries.map(\.name), ["f", "d", "i", "n", "s", "inner"])
        XCTAssertEqual(try s.ints("i"), [1, 2])
        XCTAssertEqual(try s.double("d"), 2.5)
        XCTAssertEqual(try s.int32s("n", count: 2), [-1, 3])
        XCTAssertEqual(try s.strings("s"), ["a", "", "ü"])
        XCTAssertEqual(bits(try s.nested("inner").floats("x")), [Float(-0.0).bitPattern])
        // Equality is bitwise, so NaN round-trips equal.
        let decoded = try ModelState(decoding: s.encoded())
        XCTAssertEqual(decoded, s)
        XCTAssertEqual(decoded.encoded(), s.encoded())
        var other = s
        other.set("f", [Float(1), 2])
        XCTAssertNotEqual(other, s)
        // Missing and mistyped names, wrong lengths.
        assertPayloadError(contains: "missing or mistyped 'nope'") { _ = try s.floats("nope") }
        assertPayloadError(contains: "missing or mistyped 'f'") { _ = try s.doubles("f") }
        assertPayloadError(contains: "missing or mistyped 'i'") { _ = try s.nested("i") }
        assertPayloadError(contains: "'i' has 2 values where 1 were expected") { _ = try s.int("i") }
        // An empty state round-trips; nesting beyond the limit is refused.
        XCTAssertEqual(try ModelState(decoding: ModelState().encoded()), ModelState())
        var deep = ModelState()
        for _ in 0...ModelState.maxDepth + 1 {
            var outer = ModelState()
            outer.set("c", deep)
            deep = outer
        }
        assertPayloadError(contains: "nested deeper") { _ = try ModelState(decoding: deep.encoded()) }
    }

    // MARK: Helpers

    /// The same (user, item) rows in the same ID space, without values, timestamps, channels or
    /// attributes.
    func bare(_ data: Interactions) throws -> Interactions {
        try Interactions(userIDs: data.user.map { data.users.key(at: $0) }, itemIDs: data.item.map { data.items.key(at: $0) })
    }

    /// Fits `make()` on `data`, saves it to bytes, restores a fresh `make()` from them and checks
    /// that both behave identically; also that the restored model saves the same bytes, that
    /// truncated bytes fail to decode and that other training data is refused. Returns the
    /// restored model.
    @discardableResult
    func roundTrip<M: PersistentRecommender>(_ make: () -> M, _ data: Interactions, loss: KeyPath<M, [Double]>? = nil,
                                             file: StaticString = #filePath, line: UInt = #line) throws -> M {
        let fitted = make()
        try fitted.fit(data)
        let bytes = try fitted.savedState().encoded()
        let fresh = make()
        try fresh.restore(try ModelState(decoding: bytes), training: data)
        assertSameModel(fitted, fresh, users: data.userCount, file: file, line: line)
        if let loss {
            XCTAssertFalse(fitted[keyPath: loss].isEmpty, "no loss history", file: file, line: line)
            XCTAssertEqual(fitted[keyPath: loss].map(\.bitPattern), fresh[keyPath: loss].map(\.bitPattern), file: file, line: line)
        }
        XCTAssertEqual(try fresh.savedState().encoded(), bytes, "the restored model saves other bytes", file: file, line: line)

        // Truncated bytes: the last byte dropped, and a few random cut points.
        var rng = Xoshiro256(seed: UInt64(bytes.count))
        for n in [bytes.count - 1] + (0..<5).map({ _ in rng.nextInt(below: bytes.count) }) {
            assertPayloadError(file: file, line: line) { _ = try ModelState(decoding: Array(bytes[0..<n])) }
        }
        // Other training data: one pair fewer (same ID space), and one more user and item.
        let fewer = data.selecting(rows: Array(1..<data.count))
        let more = data.appending(try Interactions(userIDs: ["new-user"], itemIDs: ["new-item"]))
        for other in [fewer, more] {
            assertPayloadError(contains: "was fitted on", file: file, line: line) {
                try make().restore(try ModelState(decoding: bytes), training: other)
            }
        }
        return fresh
    }

    /// Scores of every item for every user (and an unknown one), top lists, explanations and
    /// similar items are the same bits in both models.
    func assertSameModel(_ a: Recommender, _ b: Recommender, users nu: Int,
                         file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.userCount, b.userCount, file: file, line: line)
        XCTAssertEqual(a.itemCount, b.itemCount, file: file, line: line)
        XCTAssertEqual(a.trainingItems.rowPtr, b.trainingItems.rowPtr, file: file, line: line)
        XCTAssertEqual(a.trainingItems.items, b.trainingItems.items, file: file, line: line)
        let ni = a.itemCount
        for u in Int32(0)...Int32(nu) {
            XCTAssertEqual(bits(scores(a, u)), bits(scores(b, u)), "scores of user \(u)", file: file, line: line)
            let ra = a.recommend(user: u, k: ni), rb = b.recommend(user: u, k: ni)
            XCTAssertEqual(items(ra), items(rb), "recommendations for user \(u)", file: file, line: line)
            XCTAssertEqual(bits(ra.map(\.score)), bits(rb.map(\.score)), file: file, line: line)
            for i in Int32(0)..<Int32(ni) {
                XCTAssertEqual(explanation(a, u, i), explanation(b, u, i), "explain(\(u), \(i))", file: file, line: line)
            }
        }
        for i in Int32(0)..<Int32(ni) {
            let sa = a.similarItems(item: i, k: ni), sb = b.similarItems(item: i, k: ni)
            XCTAssertEqual(items(sa), items(sb), "similar items of \(i)", file: file, line: line)
            XCTAssertEqual(bits(sa.map(\.score)), bits(sb.map(\.score)), file: file, line: line)
        }
    }

    func scores(_ m: Recommender, _ user: Int32) -> [Float] {
        let buf = UnsafeMutableBufferPointer<Float>.allocate(capacity: m.itemCount)
        defer { buf.deallocate() }
        m.scoreAll(user: user, into: buf)
        return Array(buf)
    }

    /// An explanation as comparable text, with the numbers as bit patterns.
    func explanation(_ m: Recommender, _ user: Int32, _ item: Int32) -> [String] {
        let e = m.explain(user: user, item: item)
        return ["\(e.user) \(e.item) \(e.score.bitPattern)"] + e.contributions.map { "\($0.source) \($0.value.bitPattern)" }
    }

    func assertPayloadError(contains text: String = "", file: StaticString = #filePath, line: UInt = #line,
                            _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("expected a PayloadError", file: file, line: line)
        } catch let e as PayloadError {
            XCTAssertTrue(text.isEmpty || e.message.contains(text), "\(e.message)", file: file, line: line)
        } catch {
            XCTFail("expected a PayloadError, got \(error)", file: file, line: line)
        }
    }
}
