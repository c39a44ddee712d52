/// A fit that diverged: its training loss, or a number it learns, stopped being finite. SGD with
/// too large a step overshoots until the numbers overflow; nothing learned after that means
/// anything, so the fit stops instead of handing back NaN.
public struct DivergenceError: Error, Sendable, CustomStringConvertible {
    /// The model's (core) name.
    public let model: String
    /// The 1-based epoch (or iteration) after which it was noticed.
    public let epoch: Int
    /// The epoch's loss: NaN or infinite, or finite when only a learned number overflowed.
    public let loss: Double?

    public init(model: String, epoch: Int, loss: Double?) {
        self.model = model; self.epoch = epoch; self.loss = loss
    }

    /// What went non-finite: `loss is nan`, `loss is inf`, or the learned numbers.
    public var lossText: String {
        switch loss {
        case let l? where l.isNaN: return "loss is nan"
        case let l? where l.isInfinite: return l > 0 ? "loss is inf" : "loss is -inf"
        default: return "its learned numbers are not finite"
        }
    }

    public var description: String { "\(model) diverged at epoch \(epoch) (\(lossText))" }

    /// Throws when `loss` or any element of `learned` is NaN or infinite.
    public static func check(model: String, epoch: Int, loss: Double?, learned: [[Float]]) throws {
        if let loss, !loss.isFinite { throw DivergenceError(model: model, epoch: epoch, loss: loss) }
        for a in learned where !allFinite(a) { throw DivergenceError(model: model, epoch: epoch, loss: loss) }
    }

    /// One pass, vectorised: x − x is 0 for a finite x and NaN for NaN and ±∞.
    static func allFinite(_ a: [Float]) -> Bool {
        a.withUnsafeBufferPointer { b in
            var acc = SIMD8<Float>(repeating: 0)
            var j = 0
            let raw = UnsafeRawPointer(b.baseAddress)
            while j + 8 <= b.count, let raw {
                let v = raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                acc += v - v
                j += 8
            }
            var s = acc.sum()
            while j < b.count { s += b[j] - b[j]; j += 1 }
            return s == 0
        }
    }
}
