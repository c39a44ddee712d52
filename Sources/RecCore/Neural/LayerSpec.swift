// The plain-data description of a layer, from which `Sequential` builds the real one.

/// One layer of a `Sequential` network as plain data, so that a language binding can build it
/// from `dense(64, "relu")` (with `Activation(rawValue:)`) without touching layer classes.
/// Input widths are inferred when the network is built.
public enum LayerSpec: Sendable, Equatable, CustomStringConvertible {
    /// A fully connected layer of `units` outputs (`Dense`).
    case dense(Int, Activation = .linear)
    /// Inverted dropout with the given drop probability (`Dropout`).
    case dropout(Float)
    /// An embedding table of `count` vectors of `dimension` numbers; only as the first layer,
    /// whose input columns then hold indices (`Embedding`).
    case embedding(count: Int, dimension: Int)

    public var description: String {
        switch self {
        case let .dense(units, act): return "dense(\(units), \(act))"
        case let .dropout(rate): return "dropout(\(rate))"
        case let .embedding(count, dim): return "embedding(\(count), \(dim))"
        }
    }

    /// Checks the sizes (positive units and dimensions, rate in [0, 1)).
    func validate(position: Int) throws {
        func fail(_ why: String) -> DataError {
            DataError(.invalidArgument, message: "layer \(position + 1) \(self): \(why)")
        }
        switch self {
        case let .dense(units, _):
            if units <= 0 { throw fail("units must be positive") }
        case let .dropout(rate):
            if !(rate >= 0 && rate < 1) { throw fail("rate must be in [0, 1)") }
        case let .embedding(count, dim):
            if count <= 0 || dim <= 0 { throw fail("count and dimension must be positive") }
            if position != 0 { throw fail("an embedding can only be the first layer") }
        }
    }
}
