// The data part of implicit ALS's conjugate-gradient products: confidence-weighted rows of the
// fixed factor matrix, built on the dense kernels (`dot4`, `addScaledRows4`).

/// out += Σ_k coef_k y_k over the rows y_k = Y[cols[k]] for k in `range`, where d_k = y_k · v and
/// c_k = 1 + α·vals[k], with coef_k = c_k − (c_k − 1) d_k when `residual` (the right-hand side
/// minus the data part of A v in implicit ALS's conjugate gradient) and (c_k − 1) d_k otherwise
/// (the data part of A v). A nil `vals` means every value is 1: a 0/1 matrix kept as its pattern.
///
/// Four rows at a time: their four dot products run as independent SIMD chains, and each SIMD8
/// slice of `out` is loaded and stored once per four rows.
@inline(__always)
func addConfidenceWeightedRows(_ Y: UnsafePointer<Float>, _ f: Int, cols: UnsafeBufferPointer<Int32>,
                               vals: UnsafeBufferPointer<Float>?, _ range: Range<Int>, alpha: Float, residual: Bool,
                               _ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
    @inline(__always) func coefficient(_ k: Int, _ d: Float) -> Float {
        let w = alpha * (vals?[k] ?? 1)
        return residual ? 1 + w - w * d : w * d
    }
    var k = range.lowerBound
    let end = range.upperBound
    while k + 4 <= end {
        let y0 = Y + Int(cols[k]) * f, y1 = Y + Int(cols[k + 1]) * f
        let y2 = Y + Int(cols[k + 2]) * f, y3 = Y + Int(cols[k + 3]) * f
        let (d0, d1, d2, d3) = dot4(y0, y1, y2, y3, v, f)
        addScaledRows4(out, coefficient(k, d0), y0, coefficient(k + 1, d1), y1, coefficient(k + 2, d2), y2,
                       coefficient(k + 3, d3), y3, f)
        k += 4
    }
    while k < end {
        let y = Y + Int(cols[k]) * f
        axpy(coefficient(k, dot(y, v, f)), y, out, f)
        k += 1
    }
}
