import RecCore

/// A layer description (`dense(64, "relu")`) before it is part of a network.
public final class LayerObject: NativeObject {
    public let spec: LayerSpec
    init(_ spec: LayerSpec) { self.spec = spec }
    public override var typeName: String { "Layer" }
    public override var textDescription: String { spec.description }
}

/// A neural network built from layers (`sequential([...])`), trained on features the user builds.
public final class NetworkObject: NativeObject {
    public let network: Sequential
    let specs: [LayerSpec]

    init(_ network: Sequential, specs: [LayerSpec]) {
        self.network = network
        self.specs = specs
    }

    public override var typeName: String { "Network" }
    public override var memberNames: [String] { ["layers", "loss", "parameters"] }

    public override func member(_ name: String) -> Value? {
        switch name {
        case "layers": return .list(specs.map { .string($0.description) })
        case "loss": return .list(network.lossHistory.map { .double($0) })
        case "parameters": return .int(network.parameterCount)
        default: return nil
        }
    }

    public override var textDescription: String {
        "Network(" + specs.map(\.description).joined(separator: " → ")
            + (network.parameterCount > 0 ? " · \(network.parameterCount) parameters" : " · not trained") + ")"
    }
}
