// Small dense symmetric positive definite solves in plain Swift: the per-row normal equations of
// alternating least squares (factors² systems, where a LAPACK call costs more than it saves).
// Row-major Double storage; every inner loop walks contiguous rows.

/// Small dense symmetric positive definite solves (EASE's large inverse goes through LAPACK,
/// `LAPACK.invertPositiveDefinite`).
enum Cholesky {}

extension Cholesky {
    /// Solves A x = b in place for a small symmetric positive definite n × n system (the
    /// per-row solves of alternating least squares): `a` (row-major, lower triangle read) is
    /// overwritten by L and `b` by x, so a caller can reuse one scratch buffer for many solves
    /// without allocating. Row-oriented (Cholesky–Crout) factorisation, L[i][j] = (A[i][j] − L[i][0..<j]·L[j][0..<j]) / L[j][j],
    /// then forward and back substitution. Returns false when A is not (numerically) positive definite.
    static func solveInPlace(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, n: Int) -> Bool {
        for i in 0..<n {
            let li = a + i * n
            for j in 0...i {
                let lj = a + j * n
                let s = li[j] - dot(li, lj, j)
                if i == j {
                    guard s > 0, s.isFinite else { return false }
                    li[i] = s.squareRoot()
                } else {
                    li[j] = s / lj[j]
                }
            }
        }
        // L w = b (row i reads the prefix of row i), then Lᵀ x = w (column access of L).
        for i in 0..<n { b[i] = (b[i] - dot(a + i * n, b, i)) / a[i * n + i] }
        var i = n - 1
        while i >= 0 {
            var s = b[i]
            for k in (i + 1)..<max(i + 1, n) { s -= a[k * n + i] * b[k] }
            b[i] = s / a[i * n + i]
            i -= 1
        }
        return true
    }
}
