// OpenBLAS's single-precision matrix product behind a checked call, split over cores by us.

import CLapack
import Dispatch

/// C ← op(A)·op(B) (+ C) through `cblas_sgemm`, row-major, with optional transposes so callers
/// never materialise Aᵀ or Bᵀ.
///
/// Determinism: OpenBLAS's own threads are switched off (once, before the first call), and a large
/// product is split by rows of C into a number of blocks that depends only on the shape, never on
/// the core count; each block is one single-threaded `sgemm`. The same operands therefore give the
/// same bits on every run and on any number of cores (on one CPU kernel: OpenBLAS picks its kernel
/// for the processor at load time, so another processor family may round differently).
enum BLAS {
    /// n·k·m from which the rows of C are split into blocks run in parallel.
    static let parallelWork = 1 << 21
    /// Rows of C per block in a split product (a multiple of the kernels' 4- to 16-row tiles).
    static let rowsPerBlock = 64

    /// Switches OpenBLAS's thread pool off; evaluated once by every entry point.
    static let singleThreaded: Void = { openblas_set_num_threads(1) }()

    /// `v` as the 32-bit integer the C interfaces take, nil when it does not fit.
    @inline(__always)
    static func int32(_ v: Int) -> Int32? { v >= 0 && v <= Int(Int32.max) ? Int32(v) : nil }

    /// Whether an n × k by k × m product can go through the 32-bit interface.
    static func fits(n: Int, k: Int, m: Int) -> Bool { int32(n) != nil && int32(k) != nil && int32(m) != nil }

    /// C (n × m, row stride m) ← op(A)·op(B) (+ C when `accumulate`), where op(A) is n × k and
    /// op(B) is k × m: A is stored n × k, or k × n when `transposeA`; B is k × m, or m × k when
    /// `transposeB`. The caller checks `fits(n:k:m:)` first.
    static func sgemm(_ a: UnsafePointer<Float>, transposeA: Bool = false, _ b: UnsafePointer<Float>, transposeB: Bool = false,
                      _ c: UnsafeMutablePointer<Float>, n: Int, k: Int, m: Int, accumulate: Bool, parallel: Bool = true) {
        precondition(fits(n: n, k: k, m: m), "BLAS.sgemm: dimensions \(n) × \(k) × \(m) exceed the 32-bit interface")
        guard n > 0, m > 0 else { return }
        guard k > 0 else {
            if !accumulate { c.update(repeating: 0, count: n * m) }
            return
        }
        _ = singleThreaded
        let lda = transposeA ? n : k, ldb = transposeB ? k : m
        // The split depends on the shape only, so `parallel` and the core count never change the bits.
        let blocks = n > rowsPerBlock && n * k * m >= parallelWork ? (n + rowsPerBlock - 1) / rowsPerBlock : 1
        let run = { (blk: Int) in
            let r0 = blk * rowsPerBlock, r1 = blocks == 1 ? n : min(n, r0 + rowsPerBlock)
            // Rows r0..<r1 of op(A): rows of A, or columns of the stored Aᵀ.
            let ablk = transposeA ? a + r0 : a + r0 * k
            cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(r1 - r0), Int32(m), Int32(k), 1, ablk, Int32(lda), b, Int32(ldb),
                        accumulate ? 1 : 0, c + r0 * m, Int32(m))
        }
        if blocks == 1 {
            run(0)
        } else if parallel && Parallelism.cores > 1 {
            DispatchQueue.concurrentPerform(iterations: blocks, execute: run)
        } else {
            for blk in 0..<blocks { run(blk) }
        }
    }
}
