import XCTest
@testable import RecCore

/// Σ_j r_j m_j in Double: a scalar objective whose gradient with respect to m is r.
func projected(_ m: Matrix, _ r: [Float]) -> Double {
    zip(m.values, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
}

/// Central difference (J(w+ε) − J(w−ε)) / (w⁺ − w⁻) in entry j of a parameter, with the actual
/// Float step; the value is restored afterwards.
func centralDifference(_ p: NetworkParameter, _ j: Int, eps: Float, _ objective: () -> Double) -> Double {
    let saved = p.values[j]
    let hi = saved + eps, lo = saved - eps
    p.values[j] = hi
    let jp = objective()
    p.values[j] = lo
    let jm = objective()
    p.values[j] = saved
    return (jp - jm) / Double(hi - lo)
}

/// The same for entry j of a matrix fed to `objective`.
func centralDifference(_ m: Matrix, _ j: Int, eps: Float, _ objective: (Matrix) -> Double) -> Double {
    var x = m
    let hi = m.values[j] + eps, lo = m.values[j] - eps
    x.values[j] = hi
    let jp = objective(x)
    x.values[j] = lo
    let jm = objective(x)
    return (jp - jm) / Double(hi - lo)
}

/// |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|).
func assertGradient(_ analytic: Float, _ numeric: Double, atol: Double = 5e-4, rtol: Double = 1e-2, _ what: String,
                    file: StaticString = #filePath, line: UInt = #line) {
    let a = Double(analytic)
    XCTAssertLessThanOrEqual(abs(a - numeric), atol + rtol * max(abs(a), abs(numeric)),
                             "\(what): analytic \(a), numeric \(numeric)", file: file, line: line)
}

/// Checks a layer's parameter and input gradients against central differences of Σ r ⊙ layer(x).
/// Returns how many entries were compared.
@discardableResult
func gradientCheck(_ layer: Layer, input: Matrix, checkInput: Bool = true, eps: Float = 1e-2, seed: UInt64 = 99,
                   file: StaticString = #filePath, line: UInt = #line) -> Int {
    var rng = Xoshiro256(seed: seed)
    let out = layer.forward(input, training: true)
    let r = (0..<out.values.count).map { _ in Float(2 * rng.nextDouble() - 1) }
    for p in layer.parameters { p.zeroGradient() }
    let dx = layer.backward(Matrix(rows: out.rows, columns: out.columns, values: r), inputGradient: true)
    var compared = 0
    for p in layer.parameters {
        let analytic = p.gradient
        for j in 0..<p.count {
            let numeric = centralDifference(p, j, eps: eps) { projected(layer.forward(input, training: false), r) }
            assertGradient(analytic[j], numeric, "\(p.label)[\(j)]", file: file, line: line)
            compared += 1
        }
    }
    if checkInput {
        for j in 0..<input.values.count {
            let numeric = centralDifference(input, j, eps: eps) { projected(layer.forward($0, training: false), r) }
            assertGradient(dx.values[j], numeric, "input[\(j)]", file: file, line: line)
            compared += 1
        }
    }
    return compared
}

func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64, scale: Float = 1) -> Matrix {
    var rng = Xoshiro256(seed: seed)
    return Matrix(rows: rows, columns: columns, values: (0..<rows * columns).map { _ in Float(2 * rng.nextDouble() - 1) * scale })
}

final class NeuralLayerTests: XCTestCase {
    // MARK: GEMM

    func testGEMMAgainstNaiveProduct() {
        // Odd sizes exercise OpenBLAS's edge kernels; k > 256 its inner-dimension blocking.
        for (n, k, m) in [(37, 300, 29), (5, 3, 17), (1, 1, 1), (4, 8, 16), (9, 2, 7)] {
            let a = randomMatrix(n, k, seed: 1), b = randomMatrix(k, m, seed: 2)
            var c = randomMatrix(n, m, seed: 3).values
            let c0 = c
            GEMM.multiply(a.values, b.values, into: &c, n: n, k: k, m: m, accumulate: true)
            var worst = 0.0
            for i in 0..<n { for j in 0..<m {
                var s = Double(c0[i * m + j])
                for p in 0..<k { s += Double(a[i, p]) * Double(b[p, j]) }
                worst = max(worst, abs(s - Double(c[i * m + j])))
            } }
            XCTAssertLessThan(worst, 1e-4, "\(n)×\(k)×\(m)")
            var fresh = [Float](repeating: 7, count: n * m)
            GEMM.multiply(a.values, b.values, into: &fresh, n: n, k: k, m: m, accumulate: false)
            var expected = [Float](repeating: 0, count: n * m)
            GEMM.multiply(a.values, b.values, into: &expected, n: n, k: k, m: m, accumulate: true)
            XCTAssertEqual(bits(fresh), bits(expected), "overwrite = accumulate into zeros")
        }
    }

    func testGEMMBitsDoNotDependOnThreads() {
        // 200 × 120 × 100 is above the parallel threshold: the rows are split the same way on one
        // thread as on several, so the bits agree.
        let n = 200, k = 120, m = 100
        let a = randomMatrix(n, k, seed: 4), b = randomMatrix(k, m, seed: 5)
        var serial = [Float](repeating: 0, count: n * m), parallel = serial
        GEMM.multiply(a.values, b.values, into: &serial, n: n, k: k, m: m, accumulate: false, parallel: false)
        GEMM.multiply(a.values, b.values, into: &parallel, n: n, k: k, m: m, accumulate: false, parallel: true)
        XCTAssertEqual(bits(serial), bits(parallel))
    }

    func testGEMMTransposeFlagsMatchMaterialisedTransposes() {
        let n = 23, k = 70, m = 9
        let a = randomMatrix(n, k, seed: 7), b = randomMatrix(k, m, seed: 8)
        let at = a.transposed(), bt = b.transposed()
        var plain = [Float](repeating: 0, count: n * m), viaFlags = plain
        GEMM.multiply(a.values, b.values, into: &plain, n: n, k: k, m: m, accumulate: false)
        at.values.withUnsafeBufferPointer { pa in
            bt.values.withUnsafeBufferPointer { pb in
                viaFlags.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiply(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, n: n, k: k, m: m, accumulate: false,
                                  transposeA: true, transposeB: true)
                }
            }
        }
        for (x, y) in zip(plain, viaFlags) { XCTAssertEqual(x, y, accuracy: 1e-5) }
    }

    func testRowwiseGEMMBitsDoNotDependOnTheOtherRows() {
        let n = 200, k = 120, m = 100
        let a = randomMatrix(n, k, seed: 4), b = randomMatrix(k, m, seed: 5)
        var all = [Float](repeating: 0, count: n * m)
        rowwise(a.values, b.values, &all, n: n, k: k, m: m)
        var worst = 0.0
        for i in 0..<n { for j in 0..<m {
            var s = 0.0
            for p in 0..<k { s += Double(a[i, p]) * Double(b[p, j]) }
            worst = max(worst, abs(s - Double(all[i * m + j])))
        } }
        XCTAssertLessThan(worst, 1e-4)
        // A single row (1-row kernel) gives the bits the 4-row kernel gave for it.
        for r in [0, 3, 198, 199] {
            var one = [Float](repeating: 0, count: m)
            rowwise(a.row(r), b.values, &one, n: 1, k: k, m: m)
            XCTAssertEqual(bits(one), bits(Array(all[r * m ..< (r + 1) * m])), "row \(r)")
        }
    }

    private func rowwise(_ a: [Float], _ b: [Float], _ c: inout [Float], n: Int, k: Int, m: Int) {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiplyRowwise(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, n: n, k: k, m: m, accumulate: false)
                }
            }
        }
    }

    func testTranspose() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        XCTAssertEqual(a.transposed(), Matrix([[1, 4], [2, 5], [3, 6]]))
        let big = randomMatrix(19, 11, seed: 6)
        XCTAssertEqual(big.transposed().transposed(), big)
        XCTAssertEqual(big.transposed()[7, 13], big[13, 7])
    }

    // MARK: Hand-computed forward and backward

    /// x = [[1, 2], [−1, 0.5]], W1 = [[1, −1], [2, 0.5]], b1 = [0.5, −1] → ReLU →
    /// W2 = [[0.2], [−3]], b2 = [−1] → sigmoid.
    ///   row 0: z1 = [5.5, −1] → h = [5.5, 0];   z2 = 1.1 − 1 = 0.1  → σ = 0.52497918747894
    ///   row 1: z1 = [0.5, 0.25] → h = [0.5, 0.25]; z2 = 0.1 − 0.75 − 1 = −1.65 → σ = 0.16110894957659
    /// With targets [1, 0] and BCE (mean over 2): L = 0.41003554874425,
    /// ∂L/∂z2 = (σ − t)/2 = [−0.23751040626053, 0.08055447478829],
    /// ∂L/∂W2 = hᵀ ∂L/∂z2 = [−1.26602999703877, 0.02013861869707], ∂L/∂b2 = −0.15695593147224,
    /// ∂L/∂h = ∂L/∂z2 W2ᵀ masked by h > 0 → ∂L/∂W1 = xᵀ ∂L/∂z1 =
    /// [[−0.06361297620976, 0.24166342436488], [−0.08694871502538, −0.12083171218244]],
    /// ∂L/∂b1 = [−0.03139118629445, −0.24166342436488]. (python3, float64.)
    func testHandComputedTwoLayerNetwork() throws {
        let net = try Sequential(layers: [.dense(2, .relu), .dense(1, .sigmoid)], loss: .binaryCrossEntropy,
                                 optimizer: .sgd(learningRate: 0.1), seed: 1)
        try net.build(inputWidth: 2)
        let l1 = net.layers[0] as! Dense, l2 = net.layers[1] as! Dense
        l1.weights.values = [1, -1, 2, 0.5]; l1.bias.values = [0.5, -1]
        l2.weights.values = [0.2, -3]; l2.bias.values = [-1]
        let x = Matrix([[1, 2], [-1, 0.5]]), t = Matrix([[1], [0]])
        let p = try net.predict(x)
        assertClose(p.values, [0.52497918747894, 0.16110894957659], 1e-6)
        assertClose(l2.logits.values, [0.1, -1.65], 1e-6)
        XCTAssertEqual(try net.evaluate(features: x, targets: t), 0.41003554874425, accuracy: 1e-6)

        let (loss, grad) = net.lossAndGradient(x, t)
        XCTAssertEqual(loss, 0.41003554874425, accuracy: 1e-6)
        assertClose(grad.values, [-0.23751040626053, 0.08055447478829], 1e-6)
        _ = l1.backward(l2.backward(grad, inputGradient: true), inputGradient: false)
        assertClose(l2.weights.gradient, [-1.26602999703877, 0.02013861869707], 1e-6)
        assertClose(l2.bias.gradient, [-0.15695593147224], 1e-6)
        assertClose(l1.weights.gradient, [-0.06361297620976, 0.24166342436488, -0.08694871502538, -0.12083171218244], 1e-6)
        assertClose(l1.bias.gradient, [-0.03139118629445, -0.24166342436488], 1e-6)

        // One SGD step (lr 0.1) moves every weight by −0.1 × its gradient.
        net.optimizer.step(net.parameters)
        assertClose(l2.weights.values, [0.2 + 0.126602999703877, -3 - 0.002013861869707], 1e-6)
        assertClose(l1.bias.values, [0.5 + 0.003139118629445, -1 + 0.024166342436488], 1e-6)
        XCTAssertEqual(l1.weights.gradient, [0, 0, 0, 0], "the step zeroes the gradients")
    }

    // MARK: Finite-difference gradient checks

    func testDenseGradientsForEveryActivation() {
        let x = randomMatrix(5, 4, seed: 10)
        for act in Activation.allCases {
            var rng = Xoshiro256(seed: 11)
            let layer = Dense(inputs: 4, units: 3, activation: act, initializer: .uniform(1), rng: &rng)
            layer.bias.values = [0.3, -0.2, 0.1]
            if act == .relu {
                // Keep every pre-activation clear of the kink: a perturbation of ε = 0.01 in one
                // weight (|x| ≤ 1) or one input (|w| ≤ 1) moves z by at most 0.01.
                layer.keepsLogits = true
                _ = layer.forward(x, training: false)
                XCTAssertGreaterThan(layer.logits.values.map { abs($0) }.min()!, 0.02, "choose another seed")
                XCTAssertTrue(layer.logits.values.contains { $0 < 0 } && layer.logits.values.contains { $0 > 0 })
                layer.keepsLogits = false
            }
            XCTAssertEqual(gradientCheck(layer, input: x), 4 * 3 + 3 + 5 * 4, "\(act)")
        }
    }

    func testEmbeddingGradientsAreSparseRows() {
        var rng = Xoshiro256(seed: 12)
        let e = Embedding(count: 5, dimension: 3, initializer: .uniform(1), rng: &rng)
        // Two index columns (fields), a repeated index (2) and an out-of-range one (7 → zero row).
        let x = Matrix([[2, 0], [4, 2], [7, 2]])
        let y = e.forward(x, training: false)
        XCTAssertEqual(y.columns, 6)
        XCTAssertEqual(Array(y.row(0)[0..<3]), Array(e.table.values[6..<9]))
        XCTAssertEqual(Array(y.row(2)[0..<3]), [0, 0, 0])
        gradientCheck(e, input: x, checkInput: false)
        // Only rows 0, 2, 4 received gradient, in first-touch order; rows 1 and 3 none.
        XCTAssertEqual(e.table.touchedRows, [2, 0, 4])
        XCTAssertEqual(Array(e.table.gradient[3..<6]), [0, 0, 0])
        XCTAssertEqual(Array(e.table.gradient[9..<12]), [0, 0, 0])
        // Row 2 collects three upstream rows: its gradient is their sum.
        e.table.zeroGradient()
        XCTAssertTrue(e.table.touchedRows.isEmpty)
        _ = e.forward(indices: [2, 2, 1], training: true)
        _ = e.backward(Matrix([[1, 2, 3], [10, 20, 30], [5, 5, 5]]), inputGradient: false)
        XCTAssertEqual(Array(e.table.gradient[6..<9]), [11, 22, 33])
        XCTAssertEqual(Array(e.table.gradient[3..<6]), [5, 5, 5])
    }

    func testConcatenateAndProductGradients() {
        let a = randomMatrix(3, 2, seed: 13), b = randomMatrix(3, 4, seed: 14), c = randomMatrix(3, 2, seed: 15)
        let cat = Concatenate()
        let y = cat.forward([a, b])
        XCTAssertEqual(y.row(1), a.row(1) + b.row(1))
        // Concatenation is linear: J = Σ r ⊙ [a ; b] has ∂J/∂a, ∂J/∂b = the matching column blocks of r.
        var rng = Xoshiro256(seed: 16)
        let r = (0..<18).map { _ in Float(2 * rng.nextDouble() - 1) }
        let parts = cat.backward(Matrix(rows: 3, columns: 6, values: r))
        for (k, (m, offset)) in [(a, 0), (b, 2)].enumerated() {
            for j in 0..<m.values.count {
                let numeric = centralDifference(m, j, eps: 1e-2) { x in
                    projected(cat.forward(k == 0 ? [x, b] : [a, x]), r)
                }
                assertGradient(parts[k].values[j], numeric, "part \(k)[\(j)]")
                XCTAssertEqual(parts[k].values[j], r[(j / m.columns) * 6 + offset + j % m.columns])
            }
        }

        let prod = ElementwiseProduct()
        let p = prod.forward(a, c, training: true)
        XCTAssertEqual(p[2, 1], a[2, 1] * c[2, 1])
        let r2 = Array(r[0..<6])
        let (ga, gc) = prod.backward(Matrix(rows: 3, columns: 2, values: r2))
        for j in 0..<6 {
            assertGradient(ga.values[j], centralDifference(a, j, eps: 1e-2) {
                projected(prod.forward($0, c, training: false), r2) }, "a[\(j)]")
            assertGradient(gc.values[j], centralDifference(c, j, eps: 1e-2) {
                projected(prod.forward(a, $0, training: false), r2) }, "c[\(j)]")
        }
    }

    func testDropoutMasksScalesAndIsSeeded() {
        let x = Matrix(rows: 40, columns: 25, values: (0..<1000).map { Float($0 % 7) + 1 })
        let d = Dropout(rate: 0.4, seed: 3)
        XCTAssertEqual(d.forward(x, training: false), x, "inference is the identity")
        let y = d.forward(x, training: true)
        let kept = zip(y.values, x.values).filter { $0.0 != 0 }
        // Survivors are scaled by 1/(1 − 0.4); about 60% survive.
        for (yv, xv) in kept { XCTAssertEqual(yv, xv * (1 / 0.6 as Float)) }
        XCTAssertEqual(Double(kept.count) / 1000, 0.6, accuracy: 0.05)
        // Backward applies the same mask: ∂(Σ r ⊙ y)/∂x = r ⊙ mask.
        let r = randomMatrix(40, 25, seed: 17)
        let g = d.backward(r)
        for j in 0..<1000 { XCTAssertEqual(g.values[j], r.values[j] * (y.values[j] / x.values[j])) }
        // Same seed, same masks.
        XCTAssertEqual(Dropout(rate: 0.4, seed: 3).forward(x, training: true), y)
        XCTAssertNotEqual(Dropout(rate: 0.4, seed: 4).forward(x, training: true), y)
    }

    func testLossGradientsAndValues() {
        // Hand values. MSE of [1, 2] vs [0, 4]: (1 + 4)/2 = 2.5, gradient 2(y − t)/2 = [1, −2].
        let (mse, gm) = Loss.meanSquaredError.valueAndGradient(output: Matrix([[1, 2]]), targets: Matrix([[0, 4]]))
        XCTAssertEqual(mse, 2.5)
        XCTAssertEqual(gm.values, [1, -2])
        // BCE on logits stays finite and exact far out: z = −30, t = 1 → 30 + log(1 + e^−30).
        XCTAssertEqual(Loss.binaryCrossEntropy.value(output: Matrix([[-30], [30]]), targets: Matrix([[1], [1]])),
                       (30 + 2 * log1p(exp(-30.0))) / 2, accuracy: 1e-6)
        // CE of logits [0, ln 3] against class 1: −log(3/4).
        XCTAssertEqual(Loss.categoricalCrossEntropy.value(output: Matrix([[0, Float(log(3.0))]]), targets: Matrix([[0, 1]])),
                       -log(0.75), accuracy: 1e-6)

        // Finite differences, including soft and unnormalised categorical targets.
        let out = randomMatrix(3, 4, seed: 18, scale: 2)
        let targets: [(Loss, Matrix)] = [
            (.meanSquaredError, randomMatrix(3, 4, seed: 19)),
            (.binaryCrossEntropy, Matrix([[1, 0, 0.3, 1], [0, 0, 1, 0.5], [1, 1, 0, 0]])),
            (.categoricalCrossEntropy, Matrix([[0, 1, 0, 0], [0.2, 0.3, 0.5, 0], [0, 0, 0, 2]])),
        ]
        for (loss, t) in targets {
            let (_, g) = loss.valueAndGradient(output: out, targets: t)
            for j in 0..<12 {
                let numeric = centralDifference(out, j, eps: 1e-2) { loss.value(output: $0, targets: t) }
                assertGradient(g.values[j], numeric, atol: 1e-4, "\(loss)[\(j)]")
            }
        }
        XCTAssertEqual(Loss(name: "BCE"), .binaryCrossEntropy)
        XCTAssertEqual(Loss(name: "categorical-crossentropy"), .categoricalCrossEntropy)
        XCTAssertNil(Loss(name: "hinge"))
    }

    /// The whole stack (tanh → ReLU → softmax fused with cross-entropy) against finite
    /// differences of the loss: checks that the layers compose.
    func testSequentialEndToEndGradients() throws {
        let net = try Sequential(layers: [.dense(5, .tanh), .dense(4, .relu), .dense(3, .softmax)],
                                 loss: .categoricalCrossEntropy, seed: 21)
        try net.build(inputWidth: 3)
        let x = randomMatrix(6, 3, seed: 22, scale: 2)
        let t = try net.shapedTargets(Matrix(rows: 6, columns: 1, values: [0, 1, 2, 2, 1, 0]))
        var (_, grad) = net.lossAndGradient(x, t)
        for (l, layer) in net.layers.enumerated().reversed() { grad = layer.backward(grad, inputGradient: l > 0) }
        var compared = 0
        for p in net.parameters {
            let analytic = p.gradient
            for j in 0..<p.count {
                let numeric = centralDifference(p, j, eps: 5e-3) { net.lossAndGradient(x, t).0 }
                assertGradient(analytic[j], numeric, atol: 2e-4, "\(p.label)[\(j)]")
                compared += 1
            }
        }
        XCTAssertEqual(compared, net.parameterCount)
        XCTAssertEqual(net.parameterCount, 3 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3)
    }
}
