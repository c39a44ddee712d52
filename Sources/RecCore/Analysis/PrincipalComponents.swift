import Foundation

/// Principal component analysis of a few dimensions (latent factors, tens to hundreds of
/// them): the covariance matrix in Double, then its leading eigenvectors by power iteration with
/// deflation, from a fixed start vector, so the same rows always give the same projection.
/// Each component's sign is fixed so that its largest-magnitude entry is positive.
public struct PrincipalComponents: Sendable {
    /// `count` unit vectors of length `dimensions`, largest variance first.
    public let components: [[Double]]
    /// The share of the total variance along each component (0 when the rows do not vary).
    public let explainedVariance: [Double]
    public let mean: [Double]

    /// Fits `count` components to `rows` row-major rows of `dimensions` values.
    public init(_ values: [Float], rows: Int, dimensions d: Int, count: Int = 2) {
        precondition(values.count == rows * d && d > 0 && count > 0, "PCA needs rows × dimensions values")
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<rows { for j in 0..<d { mean[j] += Double(values[r * d + j]) } }
        if rows > 0 { for j in 0..<d { mean[j] /= Double(rows) } }
        var cov = [Double](repeating: 0, count: d * d)
        var centred = [Double](repeating: 0, count: d)
        for r in 0..<rows {
            for j in 0..<d { centred[j] = Double(values[r * d + j]) - mean[j] }
            for a in 0..<d where centred[a] != 0 {
                let x = centred[a]
                for b in a..<d { cov[a * d + b] += x * centred[b] }
            }
        }
        let denominator = Double(max(rows - 1, 1))
        for a in 0..<d { for b in a..<d { cov[a * d + b] /= denominator; cov[b * d + a] = cov[a * d + b] } }
        let total = (0..<d).reduce(0.0) { $0 + cov[$1 * d + $1] }
        var components: [[Double]] = [], explained: [Double] = []
        for k in 0..<count {
            guard k < d else { components.append([Double](repeating: 0, count: d)); explained.append(0); continue }
            let (v, lambda) = PrincipalComponents.leadingEigenvector(cov, d, orthogonalTo: components)
            components.append(v)
            explained.append(total > 0 ? max(lambda, 0) / total : 0)
            // Deflate: remove this direction's variance before looking for the next.
            for a in 0..<d { for b in 0..<d { cov[a * d + b] -= lambda * v[a] * v[b] } }
        }
        self.components = components
        explainedVariance = explained
        self.mean = mean
    }

    static func leadingEigenvector(_ m: [Double], _ d: Int, orthogonalTo previous: [[Double]]) -> ([Double], Double) {
        // A fixed, generic start: unlikely to be orthogonal to the leading eigenvector.
        var v = [Double](repeating: 0, count: d)
        for j in 0..<d { v[j] = 1.0 / Double(j + 1) + 0.1 * Double((j * 7) % 5) }
        func orthonormalize(_ x: inout [Double]) -> Bool {
            for p in previous {
                var along = 0.0
                for j in 0..<d { along += x[j] * p[j] }
                for j in 0..<d { x[j] -= along * p[j] }
            }
            var squares = 0.0
            for j in 0..<d { squares += x[j] * x[j] }
            let norm = squares.squareRoot()
            guard norm > 1e-300 else { return false }
            for j in 0..<d { x[j] /= norm }
            return true
        }
        guard orthonormalize(&v) else { return ([Double](repeating: 0, count: d), 0) }
        var lambda = 0.0
        for _ in 0..<1000 {
            var w = [Double](repeating: 0, count: d)
            for a in 0..<d { var s = 0.0; for b in 0..<d { s += m[a * d + b] * v[b] }; w[a] = s }
            guard orthonormalize(&w) else { return (v, 0) }
            var change = 0.0
            for j in 0..<d { change = Swift.max(change, Swift.abs(w[j] - v[j])) }
            v = w
            if change < 1e-12 { break }
        }
        for a in 0..<d { var s = 0.0; for b in 0..<d { s += m[a * d + b] * v[b] }; lambda += v[a] * s }
        var big = 0
        for j in 0..<d where Swift.abs(v[j]) > Swift.abs(v[big]) { big = j }
        if v[big] < 0 { v = v.map { -$0 } }
        return (v, lambda)
    }

    /// The coordinates of each row along the components, row-major (`rows × components.count`).
    public func project(_ values: [Float], rows: Int) -> [[Double]] {
        let d = mean.count
        return (0..<rows).map { r in
            components.map { c in
                var s = 0.0
                for j in 0..<d { s += (Double(values[r * d + j]) - mean[j]) * c[j] }
                return s
            }
        }
    }
}
