import XCTest
@testable import RecCore

final class NeuralTrainingTests: XCTestCase {
    /// Adam (lr 0.1, β = 0.9/0.999, ε = 1e-8) on w = [1, −2] with gradients [0.5, −0.1] then
    /// [0.2, 0.3]. Step 1: m̂ = g, v̂ = g², so w moves by 0.1·g/|g|: [0.9, −1.9]. Step 2:
    /// m = [0.065, 0.021], v = [0.00028975, 0.00009999], m̂ = m/0.19, v̂ = v/0.001999 →
    /// w = [0.81014248, −1.94941899] (numpy, float64).
    func testAdamFirstStepsByHand() {
        let p = NetworkParameter(rows: 1, columns: 2, values: [1, -2])
        let adam = Adam(learningRate: 0.1)
        p.gradient = [0.5, -0.1]
        adam.step([p])
        assertClose(p.values, [0.9, -1.9], 1e-6)
        XCTAssertEqual(p.gradient, [0, 0])
        assertClose(p.first, [0.05, -0.01], 1e-7)
        assertClose(p.second, [0.00025, 0.00001], 1e-8)
        p.gradient = [0.2, 0.3]
        adam.step([p])
        assertClose(p.values, [0.81014248, -1.94941899], 2e-6)
        XCTAssertEqual(adam.steps, 2)

        // The SIMD8 body and the scalar tail agree: 8 + 3 copies of the same weight and gradient.
        let q = NetworkParameter(rows: 1, columns: 11, values: [Float](repeating: 1, count: 11))
        let a2 = Adam(learningRate: 0.1)
        for g in [Float(0.5), 0.2, -0.7] {
            q.gradient = [Float](repeating: g, count: 11)
            a2.step([q])
        }
        XCTAssertEqual(Set(q.values.map(\.bitPattern)).count, 1)

        // L2: the gradient is ∇ + λw, so a zero gradient with λ = 0.5 at w = 2 steps like g = 1.
        let r = NetworkParameter(rows: 1, columns: 1, values: [2])
        r.l2 = 0.5
        Adam(learningRate: 0.1).step([r])
        XCTAssertEqual(r.values[0], 1.9, accuracy: 1e-6)
    }

    func testLazyAdamTouchesOnlyBatchRows() {
        var rng = Xoshiro256(seed: 1)
        let e = Embedding(count: 4, dimension: 2, initializer: .uniform(1), rng: &rng)
        let before = e.table.values
        let adam = Adam(learningRate: 0.1)
        _ = e.forward(indices: [1, 3, 1], training: true)
        _ = e.backward(Matrix([[1, 1], [-1, 2], [1, 1]]), inputGradient: false)
        adam.step([e.table])
        // Rows 0 and 2 unchanged, moments untouched; rows 1 and 3 moved by 0.1·sign(g).
        XCTAssertEqual(Array(e.table.values[0..<2]), Array(before[0..<2]))
        XCTAssertEqual(Array(e.table.values[4..<6]), Array(before[4..<6]))
        XCTAssertEqual(Array(e.table.second[0..<2]), [0, 0])
        assertClose(Array(e.table.values[2..<4]), before[2..<4].map { Double($0) - 0.1 }, 1e-6)
        assertClose(Array(e.table.values[6..<8]), [Double(before[6]) + 0.1, Double(before[7]) - 0.1], 1e-6)
        XCTAssertTrue(e.table.touchedRows.isEmpty)
        XCTAssertEqual(e.table.gradient, [Float](repeating: 0, count: 8))
    }

    /// Momentum SGD, lr 0.1, μ = 0.9, constant gradient 0.5 from w = 1: v = 0.5, w = 0.95;
    /// v = 0.9·0.5 + 0.5 = 0.95, w = 0.855. Plain SGD: w = 1 − 0.05 = 0.95, 0.9.
    func testSGDByHand() {
        let p = NetworkParameter(rows: 1, columns: 1, values: [1])
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        p.gradient = [0.5]; sgd.step([p])
        XCTAssertEqual(p.values[0], 0.95, accuracy: 1e-7)
        p.gradient = [0.5]; sgd.step([p])
        XCTAssertEqual(p.values[0], 0.855, accuracy: 1e-6)
        let q = NetworkParameter(rows: 1, columns: 1, values: [1])
        let plain = OptimizerSpec.sgd(learningRate: 0.1).make()
        q.gradient = [0.5]; plain.step([q])
        q.gradient = [0.5]; plain.step([q])
        XCTAssertEqual(q.values[0], 0.9, accuracy: 1e-7)
    }

    func xorData() -> ([Float], [Float]) {
        ([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0])
    }

    func testXORIsLearnedDeterministically() throws {
        let (x, y) = xorData()
        func train() throws -> (Sequential, [Double]) {
            let net = try Sequential(layers: [.dense(8, .tanh), .dense(1, .sigmoid)], loss: .binaryCrossEntropy,
                                     optimizer: .adam(learningRate: 0.05), seed: 7)
            let h = try net.fit(features: x, columns: 2, targets: y, epochs: 300, batchSize: 4)
            return (net, h)
        }
        let (net, history) = try train()
        XCTAssertEqual(history.count, 300)
        XCTAssertLessThan(history.last!, 0.05)
        XCTAssertGreaterThan(history.first!, 0.5)
        let p = try net.predict(features: x, columns: 2)
        XCTAssertEqual(p.map { $0 > 0.5 ? 1 : 0 }, [0, 1, 1, 0])
        XCTAssertLessThan(p[0], 0.1); XCTAssertGreaterThan(p[1], 0.9)
        // Bit-deterministic for the seed, including the per-epoch shuffles.
        let (again, history2) = try train()
        XCTAssertEqual(history, history2)
        XCTAssertEqual(bits(try again.predict(features: x, columns: 2)), bits(p))
        // Continuing trains further from the current state.
        try net.fit(features: x, columns: 2, targets: y, epochs: 10, batchSize: 4)
        XCTAssertEqual(net.lossHistory.count, 310)
    }

    func testXORWithSoftmaxClassIndicesAndMomentumSGD() throws {
        let (x, y) = xorData()
        let net = try Sequential(layers: [.dense(8, .relu), .dense(2, .softmax)], loss: .categoricalCrossEntropy,
                                 optimizer: .sgd(learningRate: 0.2, momentum: 0.9), seed: 3)
        let h = try net.fit(features: x, columns: 2, targets: y, epochs: 300, batchSize: 2)
        XCTAssertLessThan(h.last!, 0.05)
        let p = try net.predict(features: x, columns: 2)   // 4 × 2 probabilities
        for r in 0..<4 {
            XCTAssertEqual(p[2 * r] + p[2 * r + 1], 1, accuracy: 1e-5)
            XCTAssertEqual(p[2 * r + 1] > 0.5 ? 1 : 0, Int(y[r]))
        }
    }

    func testRegressionWithEmbeddingAndDropout() throws {
        // y = value of the index: the embedding must learn it through the dense layer.
        let idx: [Float] = (0..<60).map { Float($0 % 6) }
        let y = idx.map { $0 * 0.5 - 1 }
        let net = try Sequential(layers: [.embedding(count: 6, dimension: 4), .dropout(0.1), .dense(1)],
                                 loss: .meanSquaredError, optimizer: .adam(learningRate: 0.05), seed: 5)
        let h = try net.fit(features: idx, columns: 1, targets: y, epochs: 200, batchSize: 10)
        XCTAssertLessThan(h.last!, h.first! / 10)
        let p = try net.predict(features: [0, 5], columns: 1)
        XCTAssertEqual(p[0], -1, accuracy: 0.15)
        XCTAssertEqual(p[1], 1.5, accuracy: 0.15)
        XCTAssertEqual(net.outputWidth, 1)
    }

    func testSequentialRejectsBadShapesAndSpecs() throws {
        XCTAssertThrowsError(try Sequential(layers: []))
        XCTAssertThrowsError(try Sequential(layers: [.dense(0)]))
        XCTAssertThrowsError(try Sequential(layers: [.dropout(1)]))
        XCTAssertThrowsError(try Sequential(layers: [.dense(3), .embedding(count: 2, dimension: 2)]))
        XCTAssertThrowsError(try Sequential(layers: [.dense(1, .relu)], loss: .binaryCrossEntropy))
        let net = try Sequential(layers: [.dense(2, .tanh), .dense(1)])
        XCTAssertThrowsError(try net.predict(features: [1, 2], columns: 2), "not fitted")
        XCTAssertThrowsError(try net.fit(features: [1, 2, 3], columns: 2, targets: [1]))
        XCTAssertThrowsError(try net.fit(features: [1, 2, 3, 4], columns: 2, targets: [1, 2, 3]))
        try net.fit(features: [1, 2, 3, 4], columns: 2, targets: [1, 2], epochs: 1)
        XCTAssertThrowsError(try net.predict(features: [1, 2, 3], columns: 3), "built for 2 columns")
        XCTAssertEqual(Activation(rawValue: "relu"), .relu)
        XCTAssertEqual(LayerSpec.dense(64, Activation(rawValue: "relu")!).description, "dense(64, relu)")
    }
}
