// LAPACK's Cholesky factorisation and inverse of a symmetric positive definite matrix.

import CLapack

enum LAPACK {
    enum Failure: Error, Equatable {
        /// The matrix is not (numerically) positive definite: the leading minor of this order is not.
        case notPositiveDefinite(order: Int)
        /// The order exceeds LAPACK's 32-bit integers.
        case tooLarge(Int)
    }

    /// Replaces the row-major n × n symmetric positive definite `a` (lower triangle read) by its
    /// inverse (full, symmetric), through `dpotrf` (A = L Lᵀ) and `dpotri` (A⁻¹ from L).
    ///
    /// A row-major lower triangle is the column-major upper triangle of the same memory, so the
    /// routines run on `a` in place as column-major 'U' — no transposed copy, unlike LAPACKE's
    /// row-major entry points. OpenBLAS runs single-threaded (`BLAS.singleThreaded`), so the
    /// result is the same on every run.
    static func invertPositiveDefinite(_ a: inout [Double], n: Int) throws {
        precondition(a.count == n * n, "LAPACK.invertPositiveDefinite: matrix must be n × n")
        guard n > 0 else { return }
        guard let n32 = BLAS.int32(n) else { throw Failure.tooLarge(n) }
        _ = BLAS.singleThreaded
        let info = a.withUnsafeMutableBufferPointer { p -> Int32 in
            let f = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), n32, p.baseAddress, n32)
            guard f == 0 else { return f }
            return LAPACKE_dpotri_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), n32, p.baseAddress, n32)
        }
        // info > 0 from dpotrf: the leading minor of that order is not positive; from dpotri: a zero
        // diagonal entry of L (impossible after a successful dpotrf). info < 0: an argument error.
        guard info == 0 else {
            precondition(info > 0, "LAPACK: invalid argument \(-info)")
            throw Failure.notPositiveDefinite(order: Int(info))
        }
        // dpotri leaves the inverse in the column-major upper = row-major lower triangle.
        a.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { for j in 0..<i { p[j * n + i] = p[i * n + j] } }
        }
    }
}
