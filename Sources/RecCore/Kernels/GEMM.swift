// The matrix-multiply kernel behind every dense layer: register-blocked SIMD loops, no BLAS.

import Foundation

/// C ← C + A·B (or C ← A·B) for row-major contiguous A (n × k), B (k × m), C (n × m).
///
/// A 4 × 16 register block of C (eight `SIMD8<Float>` accumulators) is updated with one row of
/// B and four broadcast entries of A per step of the inner dimension, as in the micro-kernels
/// of Goto & van de Geijn, "Anatomy of high-performance matrix multiplication" (ACM TOMS 34(3),
/// 2008); the inner dimension is blocked by `kBlock` so the B panel stays in cache. Edges use
/// 1-row and 8-column kernels and a scalar tail.
///
/// Every entry of C is accumulated in the same order — its starting value, then p = 0, 1, …,
/// k−1, one rounding per multiply and per add — whichever kernel or thread computes it, so the
/// result depends only on the operands: bit-identical across runs, thread counts and row
/// splits (no fused multiply-add is emitted for Swift's separate `*` and `+`).
///
/// Large products are split by rows over `DispatchQueue.concurrentPerform`.
enum GEMM {
    static let kBlock = 256
    /// n·k·m from which the rows are split over cores.
    static let parallelWork = 1 << 21

    static func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                         n: Int, k: Int, m: Int, accumulate: Bool, parallel: Bool = true) {
        if !accumulate { c.update(repeating: 0, count: n * m) }
        guard n > 0, m > 0, k > 0 else { return }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if parallel && cores > 1 && n >= 32 && n * k * m >= parallelWork {
            let chunks = min(cores * 2, n / 16)
            DispatchQueue.concurrentPerform(iterations: chunks) { ch in
                // Chunk borders on multiples of 4 rows (any split gives the same bits anyway).
                let r0 = (n * ch / chunks) & ~3
                let r1 = ch == chunks - 1 ? n : (n * (ch + 1) / chunks) & ~3
                if r1 > r0 { kernel(a + r0 * k, b, c + r0 * m, n: r1 - r0, k: k, m: m) }
            }
        } else {
            kernel(a, b, c, n: n, k: k, m: m)
        }
    }

    /// Array convenience: `a` n × k, `b` k × m, `c` n × m.
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
