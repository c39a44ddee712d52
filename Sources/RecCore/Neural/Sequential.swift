// A feed-forward network as a stack of layers, trained by mini-batch backpropagation.

import Foundation

/// A stack of layers applied in order, trained on a dense feature matrix by mini-batch
/// backpropagation — the shape of Keras' `Sequential`, meant to be driven from the language:
///
///     let net = try Sequential(layers: [.dense(8, .tanh), .dense(1, .sigmoid)],
///                              loss: .binaryCrossEntropy, optimizer: .adam(learningRate: 0.05), seed: 1)
///     let history = try net.fit(features: x, columns: 2, targets: y, epochs: 500, batchSize: 4)
///     let p = try net.predict(features: x, columns: 2)
///
/// The layers are built (weights drawn) on the first `fit` or `build`, when the input width is
/// known: layer l draws from `Xoshiro256(seed: seed, stream: 100 + l)`, each epoch shuffles with
/// stream 1000 + (epochs trained so far), and dropout layers own their own streams, so a seed
/// fixes the whole training run bit for bit. A later `fit` continues from the current weights
/// and optimizer state.
///
/// With `binaryCrossEntropy` (`categoricalCrossEntropy`) the last layer must be dense with a
/// sigmoid (softmax) or linear activation: the loss is computed on its logits (see `Loss`), and
/// `predict` returns probabilities (sigmoid/softmax) or logits (linear).
///
/// Layers cache their last batch, so one network must not be used from several threads at once.
public final class Sequential {
    public let specs: [LayerSpec]
    public let loss: Loss
    public let optimizerSpec: OptimizerSpec
    public let seed: UInt64
    /// The built layers (empty before `build`/`fit`).
    public private(set) var layers: [Layer] = []
    /// Input columns (0 before `build`).
    public private(set) var inputWidth = 0
    /// Output columns (0 before `build`).
    public private(set) var outputWidth = 0
    /// Mean training loss of every epoch trained so far (averaged over the examples, each batch's
    /// loss taken before its update).
    public private(set) var lossHistory: [Double] = []

    let optimizer: Optimizer
    var epochsTrained = 0
    /// The output layer when the loss reads its logits.
    var fusedOutput: Dense?

    public init(layers: [LayerSpec], loss: Loss = .meanSquaredError, optimizer: OptimizerSpec = .adam(), seed: UInt64 = 42) throws {
        guard !layers.isEmpty else { throw DataError(.invalidArgument, message: "a network needs at least one layer") }
        for (i, s) in layers.enumerated() { try s.validate(position: i) }
        if let act = loss.fusedActivation {
            guard case let .dense(_, last) = layers.last!, last == act || last == .linear else {
                throw DataError(.invalidArgument,
                                message: "\(loss) needs a last dense layer with \(act) or linear activation")
            }
        }
        specs = layers; self.loss = loss; optimizerSpec = optimizer; self.seed = seed
        self.optimizer = optimizer.make()
    }

    /// Every trainable parameter, layer by layer.
    public var parameters: [NetworkParameter] { layers.flatMap(\.parameters) }

    /// The number of trainable weights.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// The weights of every layer for inputs of `width` columns, each with a gradient and two
    /// optimizer moments (saturating: absurd sizes give `Int.max`).
    public func estimatedBytes(inputWidth width: Int) -> Int {
        var w = width, weights = 0
        for spec in specs {
            switch spec {
            case let .dense(units, _):
                weights = MemoryBudget.sum(weights, MemoryBudget.product(w + 1, units)); w = units
            case let .embedding(count, dim):
                weights = MemoryBudget.sum(weights, MemoryBudget.product(count, dim)); w = MemoryBudget.product(w, dim)
            case .dropout: break
            }
        }
        return MemoryBudget.product(weights, 4 * MemoryLayout<Float>.stride)
    }

    /// Draws the weights for inputs of `inputWidth` columns (done by the first `fit`).
    public func build(inputWidth width: Int) throws {
        guard width > 0 else { throw DataError(.invalidArgument, message: "input width must be positive") }
        if !layers.isEmpty {
            guard width == inputWidth else {
                throw DataError(.invalidArgument, message: "network was built for \(inputWidth) input columns, got \(width)")
            }
            return
        }
        try MemoryBudget.require(estimatedBytes(inputWidth: width), for: "a network of \(specs.map(\.description).joined(separator: ", "))")
        var w = width
        var built: [Layer] = []
        for (l, spec) in specs.enumerated() {
            var rng = Xoshiro256(seed: seed, stream: 100 + UInt64(l))
            let layer: Layer
            switch spec {
            case let .dense(units, act):
                layer = Dense(inputs: w, units: units, activation: act, rng: &rng, label: "dense\(l + 1)")
            case let .dropout(rate):
                layer = Dropout(rate: rate, seed: seed, stream: UInt64(l))
            case let .embedding(count, dim):
                layer = Embedding(count: count, dimension: dim, rng: &rng, label: "embedding\(l + 1)")
            }
            w = layer.outputWidth(input: w)
            built.append(layer)
        }
        if let act = loss.fusedActivation, let last = built.last as? Dense, last.activation == act {
            last.keepsLogits = true
            last.gradientIsPreActivation = true
            fusedOutput = last
        }
        layers = built
        inputWidth = width
        outputWidth = w
    }

    /// Trains on `features` (rows × `columns`, row-major) against `targets` (rows × outputs; for
    /// categorical cross-entropy also one class index per row). Returns the loss of each epoch
    /// of this call.
    @discardableResult
    public func fit(features: [Float], columns: Int, targets: [Float], epochs: Int = 10, batchSize: Int = 32,
                    shuffle: Bool = true) throws -> [Double] {
        guard columns > 0, features.count % columns == 0 else {
            throw DataError(.invalidArgument, message: "\(features.count) feature values do not form rows of \(columns) columns")
        }
        let rows = features.count / columns
        guard rows > 0, targets.count % rows == 0 else {
            throw DataError(.invalidArgument, message: "\(targets.count) target values for \(rows) rows")
        }
        return try fit(features: Matrix(rows: rows, columns: columns, values: features),
                       targets: Matrix(rows: rows, columns: targets.count / rows, values: targets),
                       epochs: epochs, batchSize: batchSize, shuffle: shuffle)
    }

    @discardableResult
    public func fit(features x: Matrix, targets t: Matrix, epochs: Int = 10, batchSize: Int = 32,
                    shuffle: Bool = true) throws -> [Double] {
        guard epochs >= 0, batchSize > 0 else {
            throw DataError(.invalidArgument, message: "epochs must be non-negative and batchSize positive")
        }
        guard x.rows == t.rows, x.rows > 0 else {
            throw DataError(.invalidArgument, message: "\(x.rows) feature rows but \(t.rows) target rows")
        }
        let before = Snapshot(self)
        try build(inputWidth: x.columns)
        let targets = try shapedTargets(t)
        let n = x.rows
        var order = Array(0..<n)
        var history: [Double] = []
        let params = parameters
        for epoch in 0..<epochs {
            if shuffle {
                var rng = Xoshiro256(seed: seed, stream: 1000 &+ UInt64(epochsTrained))
                rng.shuffle(&order)
            }
            var total = 0.0
            var b0 = 0
            while b0 < n {
                let b1 = min(n, b0 + batchSize)
                let (xb, tb) = order.withUnsafeBufferPointer { o -> (Matrix, Matrix) in
                    let idx = UnsafeBufferPointer(rebasing: o[b0..<b1])
                    return (x.gathering(rows: idx), targets.gathering(rows: idx))
                }
                total += trainBatch(xb, tb, params) * Double(b1 - b0)
                b0 = b1
            }
            epochsTrained += 1
            history.append(total / Double(n))
            do {
                try DivergenceError.check(model: "network", epoch: epoch + 1, loss: history.last, learned: params.map(\.values))
            } catch {
                before.restore(self)
                throw error
            }
        }
        lossHistory += history
        return history
    }

    /// What training changes, so that a call that diverges leaves the network as it was: unbuilt
    /// if it was, else its weights, optimizer state and random streams.
    private struct Snapshot {
        let built: Bool
        let parameters: [(values: [Float], first: [Float], second: [Float])]
        let dropoutStreams: [Xoshiro256]
        let optimizerSteps: Int?
        let epochsTrained: Int

        init(_ net: Sequential) {
            built = !net.layers.isEmpty
            parameters = net.parameters.map { ($0.values, $0.first, $0.second) }
            dropoutStreams = net.layers.compactMap { ($0 as? Dropout)?.rng }
            optimizerSteps = (net.optimizer as? Adam)?.steps
            epochsTrained = net.epochsTrained
        }

        func restore(_ net: Sequential) {
            net.epochsTrained = epochsTrained
            if let optimizerSteps { (net.optimizer as? Adam)?.steps = optimizerSteps }
            guard built else {
                net.layers = []; net.inputWidth = 0; net.outputWidth = 0; net.fusedOutput = nil
                return
            }
            for (p, saved) in zip(net.parameters, parameters) {
                p.values = saved.values; p.first = saved.first; p.second = saved.second
                p.zeroGradient()
            }
            for (d, rng) in zip(net.layers.compactMap { $0 as? Dropout }, dropoutStreams) { d.rng = rng }
        }
    }

    /// One forward/backward pass and optimizer step; returns the batch loss before the step.
    func trainBatch(_ x: Matrix, _ t: Matrix, _ params: [NetworkParameter]) -> Double {
        var (value, grad) = lossAndGradient(x, t)
        for (l, layer) in layers.enumerated().reversed() {
            grad = layer.backward(grad, inputGradient: l > 0)
        }
        optimizer.step(params)
        return value
    }

    /// Forward pass in training mode and the loss gradient at the output (logits when fused).
    func lossAndGradient(_ x: Matrix, _ t: Matrix) -> (Double, Matrix) {
        var h = x
        for layer in layers { h = layer.forward(h, training: true) }
        return loss.valueAndGradient(output: fusedOutput?.logits ?? h, targets: t)
    }

    /// Targets as `rows × outputWidth` (class indices expanded to one-hot rows).
    func shapedTargets(_ t: Matrix) throws -> Matrix {
        if t.columns == outputWidth { return t }
        if loss == .categoricalCrossEntropy && t.columns == 1 && outputWidth > 1 {
            var oneHot = Matrix(rows: t.rows, columns: outputWidth)
            for r in 0..<t.rows {
                let c = t.values[r]
                guard c >= 0, c < Float(outputWidth), c == c.rounded(.towardZero) else {
                    throw DataError(.invalidArgument, message: "class index \(c) in row \(r) is not in 0..<\(outputWidth)")
                }
                oneHot[r, Int(c)] = 1
            }
            return oneHot
        }
        throw DataError(.invalidArgument, message: "targets have \(t.columns) columns, the network outputs \(outputWidth)")
    }

    /// The network applied to every row (inference: dropout off).
    public func predict(_ x: Matrix) throws -> Matrix {
        guard !layers.isEmpty else { throw DataError(.invalidArgument, message: "the network has not been fitted") }
        guard x.columns == inputWidth else {
            throw DataError(.invalidArgument, message: "network expects \(inputWidth) input columns, got \(x.columns)")
        }
        var h = x
        for layer in layers { h = layer.forward(h, training: false) }
        return h
    }

    /// Predictions for `features` (rows × `columns`), row-major rows × `outputWidth`.
    public func predict(features: [Float], columns: Int) throws -> [Float] {
        guard columns > 0, features.count % columns == 0 else {
            throw DataError(.invalidArgument, message: "\(features.count) feature values do not form rows of \(columns) columns")
        }
        return try predict(Matrix(rows: features.count / columns, columns: columns, values: features)).values
    }

    /// The mean loss on (features, targets) without training (on the logits when fused).
    public func evaluate(features x: Matrix, targets t: Matrix) throws -> Double {
        let out = try predict(x)   // the fused output layer keeps its logits in inference too
        let targets = try shapedTargets(t)
        return loss.value(output: fusedOutput?.logits ?? out, targets: targets)
    }
}
