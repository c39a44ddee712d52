// The optimizer contract and the plain description of an optimizer a binding can build.

/// Updates parameters from their accumulated gradients.
public protocol Optimizer: AnyObject {
    /// One update of every parameter from its `gradient` (plus `l2`·values), then zeroes the
    /// gradients. Sparse parameters are updated only in their touched rows.
    func step(_ parameters: [NetworkParameter])
}

/// Which optimizer to train with, as plain data (`.adam()`, `.sgd(learningRate: 0.1)`).
public enum OptimizerSpec: Sendable, Equatable, CustomStringConvertible {
    case sgd(learningRate: Float, momentum: Float = 0)
    case adam(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)

    /// A fresh optimizer (no state yet).
    public func make() -> Optimizer {
        switch self {
        case let .sgd(lr, momentum): return SGD(learningRate: lr, momentum: momentum)
        case let .adam(lr, b1, b2, eps): return Adam(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps)
        }
    }

    public var description: String {
        switch self {
        case let .sgd(lr, momentum): return "sgd(lr=\(lr), momentum=\(momentum))"
        case let .adam(lr, b1, b2, eps): return "adam(lr=\(lr), beta1=\(b1), beta2=\(b2), epsilon=\(eps))"
        }
    }
}

extension NetworkParameter {
    /// Calls `body` with each index range to update: all weights, or each touched row.
    @inline(__always)
    func forEachUpdateRange(_ body: (Range<Int>) -> Void) {
        if sparse {
            for r in touchedRows { body(Int(r) * columns ..< (Int(r) + 1) * columns) }
        } else {
            body(0..<values.count)
        }
    }
}
