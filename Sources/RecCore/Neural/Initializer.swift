// Seeded weight initialisation schemes.

/// How a weight array is initialised; every scheme draws from the caller's seeded `Xoshiro256`
/// in row-major order, so a seed fixes the weights bit for bit.
public enum Initializer: Sendable, Equatable {
    /// Uniform in ±√(6 / (fan_in + fan_out)) — Glorot & Bengio, "Understanding the difficulty of
    /// training deep feedforward neural networks" (AISTATS 2010), eq. 16.
    case glorotUniform
    /// Normal with standard deviation √(2 / fan_in) — He, Zhang, Ren & Sun, "Delving deep into
    /// rectifiers" (ICCV 2015), eq. 10: the variance-preserving choice for ReLU layers.
    case heNormal
    /// Normal with mean 0 and the given standard deviation (He et al. 2017 initialise NCF's
    /// embeddings with N(0, 0.01)).
    case normal(Float)
    /// Uniform in ±limit.
    case uniform(Float)
    case zeros

    /// The usual choice for a dense layer followed by `activation`: He for ReLU, Glorot otherwise.
    public static func `default`(for activation: Activation) -> Initializer {
        activation == .relu ? .heNormal : .glorotUniform
    }

    /// `count` values for a layer with the given fans.
    func values(count: Int, fanIn: Int, fanOut: Int, rng: inout Xoshiro256) -> [Float] {
        switch self {
        case .glorotUniform:
            let limit = (6 / Double(max(1, fanIn + fanOut))).squareRoot()
            return (0..<count).map { _ in Float((2 * rng.nextDouble() - 1) * limit) }
        case .heNormal:
            let std = (2 / Double(max(1, fanIn))).squareRoot()
            return (0..<count).map { _ in Float(rng.nextGaussian() * std) }
        case .normal(let std):
            return (0..<count).map { _ in Float(rng.nextGaussian()) * std }
        case .uniform(let limit):
            return (0..<count).map { _ in Float(2 * rng.nextDouble() - 1) * limit }
        case .zeros:
            return [Float](repeating: 0, count: count)
        }
    }
}
