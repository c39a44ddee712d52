// Dense kernels shared by the factorisation models: the Gram matrix of a factor matrix and the
// product of a symmetric matrix with a vector. Both are blocked four rows at a time so each
// SIMD8 slice of the output is loaded and stored once per four rows instead of once per row.

import Foundation

/// AᵀA for a row-major `rows × factors` matrix, as a full symmetric `factors × factors` row-major
/// matrix.
///
/// Rows are split into a fixed number of blocks (independent of the core count), each summed in
/// Float on its own thread; the blocks' partial matrices are then added in block order in Double.
/// The result is therefore bit-identical on every machine, however many cores it has.
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

/// out = G v for a symmetric n × n row-major G, computed as Σ_j v[j] G[j, :] (rows, not columns,
/// so every access is contiguous and no horizontal sums are needed).
@inline(__always)
func symmetricProduct(_ g: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { out[i] = 0 }
    var j = 0
    while j + 4 <= n {
        addScaledRows4(out, v[j], g + j * n, v[j + 1], g + (j + 1) * n, v[j + 2], g + (j + 2) * n, v[j + 3], g + (j + 3) * n, n)
        j += 4
    }
    while j < n { axpy(v[j], g + j * n, out, n); j += 1 }
}

/// out[0..<n] += c0·r0 + c1·r1 + c2·r2 + c3·r3: four scaled rows added with one load and store of
/// each SIMD8 slice of `out`.
@inline(__always)
func addScaledRows4(_ out: UnsafeMutablePointer<Float>, _ c0: Float, _ r0: UnsafePointer<Float>, _ c1: Float, _ r1: UnsafePointer<Float>,
                    _ c2: Float, _ r2: UnsafePointer<Float>, _ c3: Float, _ r3: UnsafePointer<Float>, _ n: Int) {
    let a0 = SIMD8<Float>(repeating: c0), a1 = SIMD8<Float>(repeating: c1)
    let a2 = SIMD8<Float>(repeating: c2), a3 = SIMD8<Float>(repeating: c3)
    let p0 = UnsafeRawPointer(r0), p1 = UnsafeRawPointer(r1), p2 = UnsafeRawPointer(r2), p3 = UnsafeRawPointer(r3)
    let o = UnsafeMutableRawPointer(out)
    var j = 0
    while j + 8 <= n {
        let off = j * 4
        var s = o.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
        s += a0 * p0.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
        s += a1 * p1.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
        s += a2 * p2.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
        s += a3 * p3.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
        o.storeBytes(of: s, toByteOffset: off, as: SIMD8<Float>.self)
        j += 8
    }
    while j < n {
        out[j] += c0 * r0[j] + c1 * r1[j] + c2 * r2[j] + c3 * r3[j]
        j += 1
    }
}

/// out += Σ_k coef_k y_k over the rows y_k = Y[cols[k]] for k in `range`, where d_k = y_k · v and
/// c_k = 1 + α·vals[k], with coef_k = c_k − (c_k − 1) d_k when `residual` (the right-hand side
/// minus the data part of A v in implicit ALS's conjugate gradient) and (c_k − 1) d_k otherwise
/// (the data part of A v).
///
/// Four rows at a time: their four dot products run as independent SIMD chains, and each SIMD8
/// slice of `out` is loaded and stored once per four rows.
@inline(__always)
func addConfidenceWeightedRows(_ Y: UnsafePointer<Float>, _ f: Int, cols: UnsafeBufferPointer<Int32>,
                               vals: UnsafeBufferPointer<Float>, _ range: Range<Int>, alpha: Float, residual: Bool,
                               _ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
    @inline(__always) func coefficient(_ k: Int, _ d: Float) -> Float {
        let w = alpha * vals[k]
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

/// (a·v, b·v, c·v, d·v) over n floats, as four independent SIMD8 accumulations.
@inline(__always)
func dot4(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>, _ d: UnsafePointer<Float>,
          _ v: UnsafePointer<Float>, _ n: Int) -> (Float, Float, Float, Float) {
    var s0 = SIMD8<Float>(repeating: 0), s1 = s0, s2 = s0, s3 = s0
    let pa = UnsafeRawPointer(a), pb = UnsafeRawPointer(b), pc = UnsafeRawPointer(c), pd = UnsafeRawPointer(d)
    let pv = UnsafeRawPointer(v)
    var j = 0
    while j + 8 <= n {
        let off = j * 4
        let x = pv.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
        s0 += x * pa.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
        s1 += x * pb.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
        s2 += x * pc.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
        s3 += x * pd.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
        j += 8
    }
    var r0 = s0.sum(), r1 = s1.sum(), r2 = s2.sum(), r3 = s3.sum()
    while j < n { r0 += a[j] * v[j]; r1 += b[j] * v[j]; r2 += c[j] * v[j]; r3 += d[j] * v[j]; j += 1 }
    return (r0, r1, r2, r3)
}
