import RecCore

/// Neural networks composed in Rec: layers, `sequential`, `train` and `forward`. Thin bindings
/// onto RecCore/Neural (gradients, losses and optimizers live there).
enum NetworkBuiltins {
    static let cat = "Neural networks"

    /// Rows of numbers (a List of Lists or of numbers, or a Table's numeric columns) as a
    /// row-major matrix.
    static func matrix(_ v: Value, _ a: Arguments, _ name: String) throws -> (values: [Float], columns: Int) {
        func number(_ x: Value) throws -> Float {
            guard let d = Ops.number(x) else { throw a.error("\(a.spec.name)(): \(name) must hold numbers, found \(x.aTypeName)", kind: .type) }
            return Float(d)
        }
        switch v {
        case .list(let rows):
            guard let first = rows.items.first else { throw a.error("\(a.spec.name)(): \(name) is empty") }
            if case .list(let r0) = first {
                let cols = r0.items.count
                var out: [Float] = []
                out.reserveCapacity(cols * rows.items.count)
                for (i, r) in rows.items.enumerated() {
                    guard case .list(let row) = r, row.items.count == cols else {
                        throw a.error("\(a.spec.name)(): row \(i) of \(name) does not have \(cols) numbers")
                    }
                    for x in row.items { out.append(try number(x)) }
                }
                return (out, cols)
            }
            return (try rows.items.map(number), 1)
        case .native(let t as TableObject):
            let cols = try t.table.columnNames.map { try t.table.column($0) }
            var out = [Float](repeating: 0, count: t.table.rowCount * cols.count)
            for (c, col) in cols.enumerated() {
                for r in 0..<t.table.rowCount {
                    guard let d = col[r].doubleValue else { throw a.error("\(a.spec.name)(): column \(t.table.columnNames[c]) of \(name) is not numeric") }
                    out[r * cols.count + c] = Float(d)
                }
            }
            return (out, cols.count)
        default:
            throw a.typeError(name, expected: "a List of rows or a Table", got: v)
        }
    }

    static func network(_ a: Arguments) throws -> NetworkObject {
        let v = try a.any("network")
        guard case .native(let n as NetworkObject) = v else { throw a.typeError("network", expected: "a Network", got: v) }
        return n
    }

    static func register(into r: BuiltinRegistry) {
        r.register([
            BuiltinSpec("dense", [.required("units", "Int", range: 1...1_000_000), .optional("activation", "String", default: .string("linear"))],
                        returns: "Layer", category: cat,
                        doc: "A fully connected layer: activation \"linear\", \"relu\", \"sigmoid\", \"tanh\" or \"softmax\".") { a in
                let units = try ModelBuiltins.positive(a, "units"), name = try a.string("activation")
                guard let act = Activation(rawValue: name) else {
                    throw a.error("dense(): activation must be one of " + Activation.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
                }
                return .native(LayerObject(.dense(units, act)))
            },
            BuiltinSpec("dropout", [.required("rate", "Float")], returns: "Layer", category: cat,
                        doc: "Drops each input with probability `rate` while training (inverted dropout); off when predicting.") { a in
                let rate = try a.double("rate")
                guard rate >= 0 && rate < 1 else { throw a.error("dropout(): rate must be in [0, 1)") }
                return .native(LayerObject(.dropout(Float(rate))))
            },
            BuiltinSpec("embedding", [.required("count", "Int", range: 1...Int(Int32.max)), .required("dimension", "Int", range: 1...1_000_000)], returns: "Layer", category: cat,
                        doc: "An embedding table (only as the first layer): each input column holds an index below `count`, replaced by its learned vector.") { a in
                .native(LayerObject(.embedding(count: try ModelBuiltins.positive(a, "count"), dimension: try ModelBuiltins.positive(a, "dimension"))))
            },
            BuiltinSpec("sequential", [.required("layers", "List"), .optional("loss", "String", default: .string("mse")),
                                       .optional("optimizer", "String", default: .string("adam")), .optional("lr", "Float", default: .double(0.001)),
                                       .optional("momentum", "Float", default: .double(0)), .optional("seed", "Int", default: .int(42), range: BuiltinParam.anyInt)],
                        returns: "Network", category: cat,
                        doc: """
                        A network of layers applied in order: sequential([dense(64, "relu"), dense(1, "sigmoid")], loss: "binary_crossentropy").
                        loss: "mse", "binary_crossentropy" or "categorical_crossentropy" (computed from logits for stability);
                        optimizer: "adam" (Kingma & Ba 2015) or "sgd" (with momentum). Gradients by backpropagation; seeded.
                        """) { a in
                let specs = try a.list("layers").items.map { v -> LayerSpec in
                    guard case .native(let l as LayerObject) = v else { throw a.typeError("layers", expected: "a List of layers (dense, dropout, embedding)", got: v) }
                    return l.spec
                }
                guard let loss = Loss(name: try a.string("loss")) else {
                    throw a.error("sequential(): loss must be \"mse\", \"binary_crossentropy\" or \"categorical_crossentropy\"")
                }
                let lr = try ModelBuiltins.positiveFloat(a, "lr")
                let opt: OptimizerSpec
                switch try a.string("optimizer") {
                case "adam": opt = .adam(learningRate: lr)
                case "sgd": opt = .sgd(learningRate: lr, momentum: Float(try ModelBuiltins.nonNegativeFloat(a, "momentum")))
                case let s: throw a.error("sequential(): optimizer must be \"adam\" or \"sgd\", got \"\(s)\"")
                }
                let net = try DataBuiltins.rethrow(a) { try Sequential(layers: specs, loss: loss, optimizer: opt, seed: try ModelBuiltins.seed(a)) }
                return .native(NetworkObject(net, specs: specs))
            },
            BuiltinSpec("train", [.required("network", "Network"), .required("features"), .required("targets"),
                                  .optional("epochs", "Int", default: .int(10), range: 0...1_000_000), .optional("batch_size", "Int", default: .int(32), range: 1...(1 << 24))],
                        returns: "List", category: cat,
                        doc: """
                        Trains the network with mini-batches on features (a List of rows, or a Table of numeric columns) against targets
                        (one number or a row per example; for categorical cross-entropy a class index). Returns each epoch's loss.
                        A loss that is no longer finite stops training with an error and puts the weights back as they were.
                        """) { a in
                let n = try network(a)
                let x = try matrix(try a.any("features"), a, "features"), y = try matrix(try a.any("targets"), a, "targets")
                let epochs = try ModelBuiltins.nonNegative(a, "epochs"), batch = try ModelBuiltins.positive(a, "batch_size")
                let losses = try DataBuiltins.rethrow(a) {
                    do {
                        return try n.network.fit(features: x.values, columns: x.columns, targets: y.values, epochs: epochs, batchSize: batch)
                    } catch let e as DivergenceError {
                        let lr: Float
                        switch n.network.optimizerSpec {
                        case let .sgd(rate, _): lr = rate
                        case let .adam(rate, _, _, _): lr = rate
                        }
                        throw a.error("train(): the network diverged at epoch \(e.epoch) (\(e.lossText)): try a smaller learning rate (lr: \(lr) now); its weights are as they were before this call")
                    }
                }
                return .list(losses.map { .double($0) })
            },
            BuiltinSpec("forward", [.required("network", "Network"), .required("features")], returns: "List", category: cat,
                        doc: "The trained network's outputs for each row of features: a number per row, or a list per row for several outputs.") { a in
                let n = try network(a)
                let x = try matrix(try a.any("features"), a, "features")
                let out = try DataBuiltins.rethrow(a) { try n.network.predict(features: x.values, columns: x.columns) }
                let w = n.network.outputWidth
                if w == 1 { return .list(out.map { .double(Double($0)) }) }
                return .list(stride(from: 0, to: out.count, by: w).map { r in .list(out[r..<r + w].map { .double(Double($0)) }) })
            },
        ])
    }
}
