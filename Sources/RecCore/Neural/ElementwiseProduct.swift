// The element-wise (Hadamard) product of two batches: NCF's generalised matrix factorisation.

/// y = a ⊙ b for two batches of the same shape; backward ∂L/∂a = G ⊙ b, ∂L/∂b = G ⊙ a.
/// With a user and an item embedding as inputs this is the GMF layer of He et al., "Neural
/// Collaborative Filtering" (WWW 2017), eq. 9: φ(p_u, q_i) = p_u ⊙ q_i.
public final class ElementwiseProduct {
    var a = Matrix(rows: 0, columns: 0)
    var b = Matrix(rows: 0, columns: 0)

    public init() {}

    public func forward(_ a: Matrix, _ b: Matrix, training: Bool) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "element-wise product of different shapes")
        var y = a
        y.values.withUnsafeMutableBufferPointer { yb in
            b.values.withUnsafeBufferPointer { bb in
                multiplyElementwise(yb.baseAddress, bb.baseAddress, yb.count)
            }
        }
        if training { self.a = a; self.b = b }
        return y
    }

    public func backward(_ grad: Matrix) -> (Matrix, Matrix) {
        precondition(grad.rows == a.rows && grad.columns == a.columns, "product backward: gradient shape differs")
        var ga = grad, gb = grad
        ga.values.withUnsafeMutableBufferPointer { g in
            b.values.withUnsafeBufferPointer { multiplyElementwise(g.baseAddress, $0.baseAddress, g.count) }
        }
        gb.values.withUnsafeMutableBufferPointer { g in
            a.values.withUnsafeBufferPointer { multiplyElementwise(g.baseAddress, $0.baseAddress, g.count) }
        }
        return (ga, gb)
    }
}
