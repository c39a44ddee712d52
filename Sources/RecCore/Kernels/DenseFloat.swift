// Dense Float kernels: dot products, axpy, matrix–vector products. Every model reaches its dense
// arithmetic through these, so each operation has one implementation and one summation order.
//
// One file per precision, not one generic kernel: a version generic over the element type
// (`SIMDScalar & BinaryFloatingPoint` with an associated SIMD vector) runs at the same speed in a
// release build, where it is specialised, but 3.4–4.3× slower than these in the debug build the
// test suite runs (unspecialised SIMD through witness tables; measured on `dot` and `axpy` over
// 3000 × 61 floats). The Double kernels (DenseDouble.swift) are the two the Cholesky solves need.
//
// Summation orders are part of each kernel's contract (documented per kernel): fitted models and
// their goldens depend on them bit for bit. Swift emits no fused multiply-add for separate `*` and
// `+`, so an element-wise kernel (axpy) gives the same bits as the scalar loop it replaces.

/// a · b over n floats.
///
/// Order: eight partial sums s_l = Σ_{t} a[8t+l]·b[8t+l] over the whole SIMD8 blocks (one
/// SIMD8 accumulator), then their horizontal sum (`SIMD8.sum()`), then the tail j = 8⌊n/8⌋ …
/// n−1 added left to right. The order depends only on n, so results are bit-identical from run
/// to run, and `dot(a, b)` equals `dot(b, a)`.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var j = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while j + 8 <= n {
        acc += ra.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
             * rb.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        j += 8
    }
    var s = acc.sum()
    while j < n { s += a[j] * b[j]; j += 1 }
    return s
}

/// (a·v, b·v, c·v, d·v) over n floats: four independent accumulations that load each SIMD8 slice
/// of v once. Each of the four is summed in exactly `dot`'s order, so `dot4(a, …)`.0 equals
/// `dot(a, v, n)` bit for bit.
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

/// y += a·x over n floats (element-wise: y[j] = y[j] + a·x[j], one rounding each).
@inline(__always)
func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    var j = 0
    let va = SIMD8<Float>(repeating: a)
    let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
    while j + 8 <= n {
        let v = ry.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            + va * rx.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        ry.storeBytes(of: v, toByteOffset: j * 4, as: SIMD8<Float>.self)
        j += 8
    }
    while j < n { y[j] += a * x[j]; j += 1 }
}

/// x ← x ⊙ y over n floats (element-wise; nothing when either pointer is nil, as for an
/// empty batch).
@inline(__always)
func multiplyElementwise(_ x: UnsafeMutablePointer<Float>?, _ y: UnsafePointer<Float>?, _ n: Int) {
    guard let x, let y else { return }
    var j = 0
    let rx = UnsafeMutableRawPointer(x), ry = UnsafeRawPointer(y)
    while j + 8 <= n {
        let v = rx.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            * ry.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        rx.storeBytes(of: v, toByteOffset: j * 4, as: SIMD8<Float>.self)
        j += 8
    }
    while j < n { x[j] *= y[j]; j += 1 }
}

/// Σ p[j]² over n floats added to `initial` strictly left to right (no SIMD lanes): the norm
/// kernel of sparse rows and of the models whose stored norms were always summed this way.
@inline(__always)
func sumOfSquares(_ p: UnsafePointer<Float>, _ n: Int, from initial: Float = 0) -> Float {
    var s = initial
    for j in 0..<n { s += p[j] * p[j] }
    return s
}

/// gemv: out[r] = A_r · x for the `rows` rows of the row-major `rows × width` matrix A.
///
/// Four rows at a time through `dot4` (x is loaded once per four rows), the rest through `dot`:
/// every out[r] has `dot`'s summation order, whichever block computed it.
@inline(__always)
func gemv(_ a: UnsafePointer<Float>, width n: Int, rows: Int, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
    var r = 0
    while r + 4 <= rows {
        let a0 = a + r * n
        (out[r], out[r + 1], out[r + 2], out[r + 3]) = dot4(a0, a0 + n, a0 + 2 * n, a0 + 3 * n, x, n)
        r += 4
    }
    while r < rows { out[r] = dot(a + r * n, x, n); r += 1 }
}

/// Gathered gemv: out[t] = A_{rows[t]} · x for t in 0..<count — the rows of A (width n) that
/// `rows` names, in that order. Same blocking and order as `gemv`.
@inline(__always)
func gemv(_ a: UnsafePointer<Float>, width n: Int, rows: UnsafePointer<Int32>, count: Int, _ x: UnsafePointer<Float>,
          into out: UnsafeMutablePointer<Float>) {
    var t = 0
    while t + 4 <= count {
        (out[t], out[t + 1], out[t + 2], out[t + 3]) = dot4(a + Int(rows[t]) * n, a + Int(rows[t + 1]) * n,
                                                            a + Int(rows[t + 2]) * n, a + Int(rows[t + 3]) * n, x, n)
        t += 4
    }
    while t < count { out[t] = dot(a + Int(rows[t]) * n, x, n); t += 1 }
}

/// out += xᵀA = Σ_r x[r]·A_r over the `rows` rows of the row-major `rows × width` matrix A:
/// one `axpy` per row in row order, so each out[j] is out[j] + x[0]A[0][j] + x[1]A[1][j] + … left
/// to right.
@inline(__always)
func addVectorMatrixProduct(_ x: UnsafePointer<Float>, _ a: UnsafePointer<Float>, width n: Int, rows: Int,
                            into out: UnsafeMutablePointer<Float>) {
    for r in 0..<rows { axpy(x[r], a + r * n, out, n) }
}

/// out += Σ_k c_k·A_{rows[k]}: the product of a sparse row vector (indices `rows`, values
/// `coefficients`, all 1 when nil) with the row-major matrix A of width n — a user's items times
/// EASE's weights, the sum of SVD++'s implicit factors. One `axpy` per entry in the given order.
@inline(__always)
func addScaledRows(of a: UnsafePointer<Float>, width n: Int, rows: UnsafeBufferPointer<Int32>,
                   coefficients: UnsafeBufferPointer<Float>?, into out: UnsafeMutablePointer<Float>) {
    if let c = coefficients {
        for k in rows.indices { axpy(c[k], a + Int(rows[k]) * n, out, n) }
    } else {
        for k in rows.indices { axpy(1, a + Int(rows[k]) * n, out, n) }
    }
}

/// out[0..<n] += c0·r0 + c1·r1 + c2·r2 + c3·r3: four scaled rows added with one load and store of
/// each SIMD8 slice of `out`.
///
/// Order: in the SIMD8 body each element is out + c0·r0, then + c1·r1, + c2·r2, + c3·r3 (the
/// bits of four `axpy`s); in the scalar tail (n mod 8 elements) the four products are summed
/// first and then added to out — kept so as not to change the fitted ALS factors, whose
/// `symmetricProduct` goes through here.
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

/// symv: out = G v for a symmetric n × n row-major G, computed as Σ_j v[j] G[j, :] (rows, not
/// columns, so every access is contiguous and no horizontal sums are needed). Rows four at a
/// time through `addScaledRows4`, the last n mod 4 through `axpy`.
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
