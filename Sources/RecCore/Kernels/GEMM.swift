// The matrix products behind every dense layer: OpenBLAS (`BLAS.sgemm`), and a register-blocked
// SIMD kernel for the callers that need each row's bits independent of the rows around it.

import Foundation

/// C ← C + op(A)·op(B) (or C ← op(A)·op(B)) for row-major contiguous operands: op(A) n × k, op(B)
/// k × m, C n × m.
///
/// `multiply` goes through OpenBLAS (`BLAS.sgemm`, fused multiply-adds and cache blocking, several
/// times the hand kernel's speed on large products: see docs/architecture.md). Its bits depend on
/// the operands and the shape only (fixed row split, single-threaded OpenBLAS), not on threads —
/// but a row computed alone may round differently from the same row inside a larger product.
///
/// `multiplyRowwise` is the hand kernel: a 4 × 16 register block of C (eight `SIMD8<Float>`
/// accumulators) is updated with one row of B and four broadcast entries of A per step of the
/// inner dimension, as in the micro-kernels of Goto & van de Geijn, "Anatomy of high-performance
/// matrix multiplication" (ACM TOMS 34(3), 2008); the inner dimension is blocked by `kBlock` so the
/// B panel stays in cache. Edges use 1-row and 8-column kernels and a scalar tail. Every entry of
/// C is accumulated in the same order — its starting value, then p = 0, 1, …, k−1, one rounding
/// per multiply and per add — whichever kernel computes it, so a row's bits do not depend on
/// which rows are multiplied with it (what NCF's scoring needs for `score` and `scoreAll` to
/// agree). It also serves shapes beyond OpenBLAS's 32-bit sizes.
enum GEMM {
    static let kBlock = 256

    static func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                         n: Int, k: Int, m: Int, accumulate: Bool, parallel: Bool = true,
                         transposeA: Bool = false, transposeB: Bool = false) {
        if BLAS.fits(n: n, k: k, m: m) {
            BLAS.sgemm(a, transposeA: transposeA, b, transposeB: transposeB, c, n: n, k: k, m: m,
                       accumulate: accumulate, parallel: parallel)
            return
        }
        precondition(!transposeA && !transposeB, "GEMM: transposed operands beyond 32-bit sizes")
        multiplyRowwise(a, b, c, n: n, k: k, m: m, accumulate: accumulate)
    }

    /// Array convenience: `a` n × k, `b` k × m, `c` n × m (untransposed).
    static func multiply(_ a: [Float], _ b: [Float], into c: inout [Float], n: Int, k: Int, m: Int,
                         accumulate: Bool, parallel: Bool = true) {
        precondition(a.count == n * k && b.count == k * m && c.count == n * m, "GEMM operand sizes")
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    guard let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else { return }
                    multiply(pa, pb, pc, n: n, k: k, m: m, accumulate: accumulate, parallel: parallel)
                }
            }
        }
    }

    /// The hand kernel, single-threaded: every row's bits independent of the other rows.
    static func multiplyRowwise(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                n: Int, k: Int, m: Int, accumulate: Bool) {
        if !accumulate { c.update(repeating: 0, count: n * m) }
        guard n > 0, m > 0, k > 0 else { return }
        kernel(a, b, c, n: n, k: k, m: m)
    }

    static func kernel(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                       n: Int, k: Int, m: Int) {
        var p0 = 0
        while p0 < k {
            let p1 = min(k, p0 + kBlock)
            var j = 0
            while j + 16 <= m {
                var i = 0
                while i + 4 <= n { micro4x16(a, b, c, i: i, j: j, p0: p0, p1: p1, k: k, m: m); i += 4 }
                while i < n { micro1x16(a, b, c, i: i, j: j, p0: p0, p1: p1, k: k, m: m); i += 1 }
                j += 16
            }
            if j + 8 <= m {
                var i = 0
                while i + 4 <= n { micro4x8(a, b, c, i: i, j: j, p0: p0, p1: p1, k: k, m: m); i += 4 }
                while i < n { micro1x8(a, b, c, i: i, j: j, p0: p0, p1: p1, k: k, m: m); i += 1 }
                j += 8
            }
            if j < m {
                for i in 0..<n {
                    let ai = a + i * k
                    for jj in j..<m {
                        var s = c[i * m + jj]
                        var bp = b + p0 * m + jj
                        for p in p0..<p1 { s += ai[p] * bp.pointee; bp += m }
                        c[i * m + jj] = s
                    }
                }
            }
            p0 = p1
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func micro4x16(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                          i: Int, j: Int, p0: Int, p1: Int, k: Int, m: Int) {
        let c0 = c + i * m + j, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m
        var x00 = load(c0), x01 = load(c0 + 8), x10 = load(c1), x11 = load(c1 + 8)
        var x20 = load(c2), x21 = load(c2 + 8), x30 = load(c3), x31 = load(c3 + 8)
        let a0 = a + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        var bp = b + p0 * m + j
        for p in p0..<p1 {
            let b0 = load(bp), b1 = load(bp + 8)
            let s0 = SIMD8<Float>(repeating: a0[p]), s1 = SIMD8<Float>(repeating: a1[p])
            let s2 = SIMD8<Float>(repeating: a2[p]), s3 = SIMD8<Float>(repeating: a3[p])
            x00 += s0 * b0; x01 += s0 * b1
            x10 += s1 * b0; x11 += s1 * b1
            x20 += s2 * b0; x21 += s2 * b1
            x30 += s3 * b0; x31 += s3 * b1
            bp += m
        }
        store(x00, c0); store(x01, c0 + 8); store(x10, c1); store(x11, c1 + 8)
        store(x20, c2); store(x21, c2 + 8); store(x30, c3); store(x31, c3 + 8)
    }

    @inline(__always)
    static func micro1x16(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                          i: Int, j: Int, p0: Int, p1: Int, k: Int, m: Int) {
        let c0 = c + i * m + j
        var x00 = load(c0), x01 = load(c0 + 8)
        let a0 = a + i * k
        var bp = b + p0 * m + j
        for p in p0..<p1 {
            let s0 = SIMD8<Float>(repeating: a0[p])
            x00 += s0 * load(bp); x01 += s0 * load(bp + 8)
            bp += m
        }
        store(x00, c0); store(x01, c0 + 8)
    }

    @inline(__always)
    static func micro4x8(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                         i: Int, j: Int, p0: Int, p1: Int, k: Int, m: Int) {
        let c0 = c + i * m + j, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m
        var x0 = load(c0), x1 = load(c1), x2 = load(c2), x3 = load(c3)
        let a0 = a + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        var bp = b + p0 * m + j
        for p in p0..<p1 {
            let b0 = load(bp)
            x0 += SIMD8<Float>(repeating: a0[p]) * b0
            x1 += SIMD8<Float>(repeating: a1[p]) * b0
            x2 += SIMD8<Float>(repeating: a2[p]) * b0
            x3 += SIMD8<Float>(repeating: a3[p]) * b0
            bp += m
        }
        store(x0, c0); store(x1, c1); store(x2, c2); store(x3, c3)
    }

    @inline(__always)
    static func micro1x8(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                         i: Int, j: Int, p0: Int, p1: Int, k: Int, m: Int) {
        let c0 = c + i * m + j
        var x0 = load(c0)
        let a0 = a + i * k
        var bp = b + p0 * m + j
        for p in p0..<p1 {
            x0 += SIMD8<Float>(repeating: a0[p]) * load(bp)
            bp += m
        }
        store(x0, c0)
    }
}
