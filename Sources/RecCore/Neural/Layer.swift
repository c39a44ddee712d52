// The contract of a layer in layer-wise backpropagation.

/// A differentiable map from a mini-batch (one example per row) to a mini-batch, trained by
/// layer-wise reverse-mode differentiation (Rumelhart, Hinton & Williams, "Learning
/// representations by back-propagating errors", Nature 323, 1986): `forward` keeps what its
/// backward pass needs; `backward` receives ∂L/∂output for that same batch, *adds* the gradients
/// of the layer's parameters into their `gradient` arrays, and returns ∂L/∂input.
///
/// Layers are classes holding their parameters and the cached activations of the last forward
/// pass, so a layer instance serves one training loop at a time.
public protocol Layer: AnyObject {
    /// The trainable arrays (empty for parameter-free layers).
    var parameters: [NetworkParameter] { get }
    /// Output columns for a given number of input columns.
    func outputWidth(input: Int) -> Int
    /// The layer applied to each row of `x`. `training` enables dropout and caching for
    /// `backward`.
    func forward(_ x: Matrix, training: Bool) -> Matrix
    /// ∂L/∂input from ∂L/∂output (for the last `forward(_, training: true)`), accumulating
    /// parameter gradients. With `inputGradient` false the returned matrix may be empty (the
    /// first layer's input gradient is not needed).
    func backward(_ grad: Matrix, inputGradient: Bool) -> Matrix
}
