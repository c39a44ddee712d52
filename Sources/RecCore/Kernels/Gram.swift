// AᵀA of a dense row-major matrix: the Gram matrices of the factorisation models (YᵀY of the
// item factors in implicit ALS). Blocked four rows at a time so each SIMD8 slice of the output
// is loaded and stored once per four rows instead of once per row.

import Foundation

/// AᵀA for a row-major `rows × factors` matrix, as a full symmetric `factors × factors` row-major
/// matrix.
///
/// Rows are split into a fixed number of blocks (independent of the core count), each summed in
/// Float on its own thread; the blocks' partial matrices are then added in block order in Double.
/// The result is therefore bit-identical on every machine, however many cores it has.
///
/// Order: within a block, rows are added in row order, four at a time through `addScaledRows4`
/// (its order) and the rest through `axpy`; only the upper triangle (rounded down to a SIMD8
/// boundary) is accumulated and then mirrored, so the result is exactly symmetric.
func gramMatrix(_ a: [Float], rows: Int, factors f: Int) -> [Float] {
    precondition(a.count == rows * f, "matrix must be rows × factors")
    let blocks = max(1, min(64, rows / 64))
    var partial = [Float](repeating: 0, count: blocks * f * f)
    a.withUnsafeBufferPointer { A in
    partial.withUnsafeMutableBufferPointer { P in
        let A = A, P = P
        let run = { (b: Int) in
            let g = P.baseAddress! + b * f * f
            var r = rows * b / blocks
            let end = rows * (b + 1) / blocks
            while r + 4 <= end {
                let r0 = A.baseAddress! + r * f
                addOuterProducts4(g, r0, r0 + f, r0 + 2 * f, r0 + 3 * f, f)
                r += 4
            }
            while r < end {
                let row = A.baseAddress! + r * f
                for i in 0..<f { axpy(row[i], row, g + i * f, f) }
                r += 1
            }
        }
        if blocks > 1 && rows * f * f >= 1 << 18 {
            DispatchQueue.concurrentPerform(iterations: blocks, execute: run)
        } else {
            for b in 0..<blocks { run(b) }
        }
    }}
    var sum = [Double](repeating: 0, count: f * f)
    for b in 0..<blocks {
        for j in 0..<f * f { sum[j] += Double(partial[b * f * f + j]) }
    }
    var out = [Float](repeating: 0, count: f * f)
    // Mirror the upper triangle so the result is exactly symmetric.
    for i in 0..<f {
        for j in i..<f { out[i * f + j] = Float(sum[i * f + j]); out[j * f + i] = Float(sum[i * f + j]) }
    }
    return out
}

/// g[i, :] += Σ_k r_k[i] r_k for four rows r0…r3 of length n; row i only from column 8⌊i/8⌋ on
/// (the upper triangle, rounded down to a SIMD8 boundary — `gramMatrix` mirrors it).
@inline(__always)
private func addOuterProducts4(_ g: UnsafeMutablePointer<Float>, _ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>,
                               _ r2: UnsafePointer<Float>, _ r3: UnsafePointer<Float>, _ n: Int) {
    for i in 0..<n {
        let j = (i / 8) * 8
        addScaledRows4(g + i * n + j, r0[i], r0 + j, r1[i], r1 + j, r2[i], r2 + j, r3[i], r3 + j, n - j)
    }
}
