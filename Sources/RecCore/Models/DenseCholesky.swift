// Dense symmetric positive definite solves in plain Swift (no LAPACK): Cholesky factorisation
// and the inverse built from it. Row-major Double storage throughout; every inner loop walks
// contiguous rows, which is what keeps the O(n³) work cache-friendly.

/// A Cholesky factorisation A = L Lᵀ of a symmetric positive definite n × n matrix.
struct Cholesky {
    let n: Int
    /// L, row-major n × n (upper triangle zero).
    var l: [Double]

    /// Factorises `a` (row-major n × n; only the lower triangle is read). Returns nil when `a`
    /// is not (numerically) positive definite.
    ///
    /// Row-oriented (Cholesky–Crout) form: L[i][j] = (A[i][j] − L[i][0..<j]·L[j][0..<j]) / L[j][j],
    /// so each step is a dot product of two contiguous row prefixes.
    init?(_ a: [Double], n: Int) {
        precondition(a.count == n * n, "matrix must be n × n")
        self.n = n
        var l = [Double](repeating: 0, count: n * n)
        let ok = l.withUnsafeMutableBufferPointer { L -> Bool in
            a.withUnsafeBufferPointer { A -> Bool in
                let L = L.baseAddress!
                for i in 0..<n {
                    let li = L + i * n
                    for j in 0...i {
                        let lj = L + j * n
                        let s = A[i * n + j] - dot(li, lj, j)
                        if i == j {
                            guard s > 0, s.isFinite else { return false }
                            li[i] = s.squareRoot()
                        } else {
                            li[j] = s / lj[j]
                        }
                    }
                }
                return true
            }
        }
        guard ok else { return nil }
        self.l = l
    }

    /// A⁻¹ (row-major, symmetric): W = L⁻¹ by forward substitution row by row, then
    /// A⁻¹ = Wᵀ W as a sum of rank-one updates of W's rows.
    func inverse() -> [Double] {
        var w = [Double](repeating: 0, count: n * n)
        var p = [Double](repeating: 0, count: n * n)
        let n = self.n
        l.withUnsafeBufferPointer { L in
        w.withUnsafeMutableBufferPointer { W in
        p.withUnsafeMutableBufferPointer { P in
            let L = L.baseAddress!, W = W.baseAddress!, P = P.baseAddress!
            // Row i of W: (e_i − Σ_{k<i} L[i][k] W[k]) / L[i][i]; W[k] is zero beyond column k.
            for i in 0..<n {
                let wi = W + i * n
                wi[i] = 1
                for k in 0..<i {
                    let c = L[i * n + k]
                    if c != 0 { axpy(-c, W + k * n, wi, k + 1) }
                }
                let d = 1 / L[i * n + i]
                for j in 0...i { wi[j] *= d }
            }
            // P = Σ_k W[k]ᵀ W[k]: row k contributes to the leading (k+1) × (k+1) block. Only the
            // lower triangle is accumulated, then mirrored.
            for k in 0..<n {
                let wk = W + k * n
                for i in 0...k {
                    let c = wk[i]
                    if c != 0 { axpy(c, wk, P + i * n, i + 1) }
                }
            }
            for i in 0..<n { for j in 0..<i { P[j * n + i] = P[i * n + j] } }
        }}}
        return p
    }
}

extension Cholesky {
    /// Solves A x = b in place for a small symmetric positive definite n × n system (the
    /// per-row solves of alternating least squares): `a` (row-major, lower triangle read) is
    /// overwritten by L and `b` by x, so a caller can reuse one scratch buffer for many solves
    /// without allocating. Same row-oriented factorisation as `init`, then forward and back
    /// substitution. Returns false when A is not (numerically) positive definite.
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
