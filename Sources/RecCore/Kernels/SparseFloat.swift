// Kernels between a sparse vector (indices and values, as a row of a `SparseMatrix` or of
// compressed rows) and a dense Float vector. Indexed loads do not vectorise, so each is a plain
// loop, summed strictly in the order of the entries.

/// Σ_{k ∈ range} dense[indices[k]] · values[k], added left to right from 0: the score of a
/// sparse profile against a dense one.
@inline(__always)
func gatherDot(_ dense: UnsafeBufferPointer<Float>, indices: UnsafeBufferPointer<Int32>,
               values: UnsafeBufferPointer<Float>, _ range: Range<Int>) -> Float {
    var s: Float = 0
    for k in range { s += dense[Int(indices[k])] * values[k] }
    return s
}

/// dense[indices[k]] += a · values[k] for k ∈ range, in order (a sparse axpy; a repeated index
/// accumulates).
@inline(__always)
func scatterAxpy(_ a: Float, indices: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<Float>,
                 _ range: Range<Int>, into dense: UnsafeMutableBufferPointer<Float>) {
    for k in range { dense[Int(indices[k])] += a * values[k] }
}
