// Dense Double kernels: the dot product and axpy of the Cholesky solves (EASE's inverse, the
// explicit-ALS normal equations). See DenseFloat.swift for why each precision has its own file.

/// a · b over n doubles. Order: four partial sums over the whole SIMD4 blocks (one SIMD4
/// accumulator), their horizontal sum, then the tail left to right — `dot`'s order with four lanes
/// (SIMD4<Double> is as wide in bytes as SIMD8<Float>).
@inline(__always)
func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
    var acc = SIMD4<Double>(repeating: 0)
    var j = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while j + 4 <= n {
        acc += ra.loadUnaligned(fromByteOffset: j * 8, as: SIMD4<Double>.self)
             * rb.loadUnaligned(fromByteOffset: j * 8, as: SIMD4<Double>.self)
        j += 4
    }
    var s = acc.sum()
    while j < n { s += a[j] * b[j]; j += 1 }
    return s
}

/// y += a·x over n doubles (element-wise, one rounding per multiply and per add).
@inline(__always)
func axpy(_ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
    var j = 0
    let va = SIMD4<Double>(repeating: a)
    let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
    while j + 4 <= n {
        let v = ry.loadUnaligned(fromByteOffset: j * 8, as: SIMD4<Double>.self)
            + va * rx.loadUnaligned(fromByteOffset: j * 8, as: SIMD4<Double>.self)
        ry.storeBytes(of: v, toByteOffset: j * 8, as: SIMD4<Double>.self)
        j += 4
    }
    while j < n { y[j] += a * x[j]; j += 1 }
}
