import Foundation
import XCTest
@testable import RecCore

/// Every iterative model stops with a `DivergenceError` when its loss or what it learns is no
/// longer finite, and keeps what an earlier fit left (hand-picked diverging settings).
final class DivergenceTests: XCTestCase {
    func diverges(_ m: Recommender, on data: Interactions, _ model: String,
                  file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try m.fit(data), file: file, line: line) { e in
            guard let d = e as? DivergenceError else { return XCTFail("\(e)", file: file, line: line) }
            XCTAssertEqual(d.model, model, file: file, line: line)
            XCTAssertTrue(d.description.hasPrefix("\(model) diverged at epoch \(d.epoch) ("), d.description, file: file, line: line)
        }
    }

    func testEveryIterativeModelStopsWhenItDiverges() throws {
        let r = try tinyRatings()
        diverges(BiasedMF(factors: 2, epochs: 20, learningRate: 1, seed: 1), on: r, "biased-mf")
        diverges(SVDPlusPlus(factors: 2, epochs: 20, learningRate: 1, seed: 1), on: r, "svd++")
        diverges(BPR(factors: 2, epochs: 20, learningRate: 1e30, seed: 1), on: r, "bpr")
        diverges(ImplicitALS(factors: 2, iterations: 5, alpha: 1e30, seed: 1), on: r, "implicit-als")
        diverges(NCF(factors: 2, hiddenLayers: [4], epochs: 3, learningRate: 1e30, batchSize: 4, negatives: 1, seed: 1), on: r, "ncf")
        // ALS solves exactly: only ratings beyond Float's range make it overflow.
        let huge = try Interactions(userIDs: ["a", "b", "a"], itemIDs: ["x", "y", "y"], values: [1e30, -1e30, 1e30])
        diverges(ExplicitALS(factors: 2, iterations: 3, seed: 1), on: huge, "explicit-als")
    }

    func testADivergedFitLeavesTheModelAsItWas() throws {
        let r = try tinyRatings()
        let m = BiasedMF(factors: 2, epochs: 5, learningRate: 0.01, seed: 1)
        try m.fit(r)
        let before = (m.userFactors, m.itemFactors, m.lossHistory, m.score(user: 0, items: [0, 1, 2, 3]))
        m.learningRate = 1
        m.epochs = 20
        XCTAssertThrowsError(try m.fit(r))
        XCTAssertEqual(bits(m.userFactors), bits(before.0))
        XCTAssertEqual(bits(m.itemFactors), bits(before.1))
        XCTAssertEqual(m.lossHistory, before.2)
        XCTAssertEqual(bits(m.score(user: 0, items: [0, 1, 2, 3])), bits(before.3))
    }

    func testNonFiniteLearnedNumbersAreCaughtWhenTheLossIsStillFinite() {
        XCTAssertNoThrow(try DivergenceError.check(model: "m", epoch: 1, loss: 0.5, learned: [[1, 2, 3, 4, 5, 6, 7, 8, 9]]))
        for bad: Float in [.nan, .infinity, -.infinity] {
            for at in [0, 8, 9] {   // in the SIMD part and in the tail
                var a = [Float](repeating: 1, count: 10)
                a[at] = bad
                XCTAssertThrowsError(try DivergenceError.check(model: "m", epoch: 2, loss: 0.5, learned: [[], a])) { e in
                    XCTAssertEqual("\(e)", "m diverged at epoch 2 (its learned numbers are not finite)")
                }
            }
        }
        XCTAssertThrowsError(try DivergenceError.check(model: "m", epoch: 3, loss: .nan, learned: [])) { e in
            XCTAssertEqual("\(e)", "m diverged at epoch 3 (loss is nan)")
        }
    }

    func testANetworkThatDivergesKeepsItsWeights() throws {
        let x: [Float] = [1, 2, 3, 4, 5, 6], y: [Float] = [1, 2, 3]
        let wild = try Sequential(layers: [.dense(4, .relu), .dense(1, .linear)], optimizer: .sgd(learningRate: 100), seed: 1)
        XCTAssertThrowsError(try wild.fit(features: x, columns: 2, targets: y, epochs: 50, batchSize: 3)) { e in
            XCTAssertTrue(e is DivergenceError, "\(e)")
        }
        XCTAssertTrue(wild.layers.isEmpty, "a first call that diverges leaves the network unbuilt")
        XCTAssertTrue(wild.lossHistory.isEmpty)

        // Trained, then a call whose loss is infinite (a target beyond Float's range): everything
        // is as before that call, so training on continues exactly as in a network that never
        // made it (weights, Adam's moments and step count, dropout's stream, the epoch count).
        func make() throws -> Sequential {
            try Sequential(layers: [.dense(4, .relu), .dropout(0.25), .dense(1, .linear)], optimizer: .adam(learningRate: 0.01), seed: 1)
        }
        let net = try make(), twin = try make()
        try net.fit(features: x, columns: 2, targets: y, epochs: 2, batchSize: 2)
        try twin.fit(features: x, columns: 2, targets: y, epochs: 2, batchSize: 2)
        let weights = net.parameters.map { bits($0.values) }, history = net.lossHistory
        XCTAssertThrowsError(try net.fit(features: x, columns: 2, targets: [1, .infinity, 3], epochs: 3, batchSize: 2)) { e in
            XCTAssertTrue(e is DivergenceError, "\(e)")
        }
        XCTAssertEqual(net.parameters.map { bits($0.values) }, weights)
        XCTAssertEqual(net.lossHistory, history)
        try net.fit(features: x, columns: 2, targets: y, epochs: 3, batchSize: 2)
        try twin.fit(features: x, columns: 2, targets: y, epochs: 3, batchSize: 2)
        XCTAssertEqual(net.parameters.map { bits($0.values) }, twin.parameters.map { bits($0.values) })
        XCTAssertEqual(net.lossHistory, twin.lossHistory)
    }
}
