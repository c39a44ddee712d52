// Small deterministic PRNGs. Everything seeded in Rec goes through these so that results are
// identical across platforms and Swift versions (SystemRandomNumberGenerator is never used, and
// the standard library's `shuffle(using:)`/`random(in:using:)` algorithms are not relied on
// because they are not documented as stable).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64 (Steele, Lea & Flood 2014): used to expand a single seed into generator state.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman & Vigna 2018): the generator behind every seeded operation in RecCore.
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    public var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Seeds the four state words from SplitMix64, as the authors recommend.
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    /// A generator for an independent stream derived from `seed` and a `stream` label, so that
    /// sub-steps (users, items, events) don't shift each other when one draws more numbers.
    public init(seed: UInt64, stream: UInt64) {
        var sm = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        _ = sm.next()
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 53 bits of precision.
    @inline(__always)
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in 0..<n (Lemire's nearly-divisionless method; unbiased).
    @inline(__always)
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0, "nextInt(below:) needs a positive bound")
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// True with probability `p`.
    @inline(__always)
    public mutating func bernoulli(_ p: Double) -> Bool { nextDouble() < p }

    /// Standard normal via Box–Muller (one value per call; simplicity over speed).
    public mutating func nextGaussian() -> Double {
        var u = nextDouble()
        while u <= 0 { u = nextDouble() }
        let v = nextDouble()
        return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }

    /// Fisher–Yates shuffle with this generator (stable across platforms, unlike `shuffle(using:)`).
    public mutating func shuffle<T>(_ a: inout [T]) {
        var i = a.count - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            if i != j { a.swapAt(i, j) }
            i -= 1
        }
    }

    /// A random permutation of 0..<n.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }
}

/// Draws indices from a fixed discrete distribution by binary search over cumulative weights.
public struct CategoricalSampler: Sendable {
    public let cumulative: [Double]

    public init(weights: [Double]) {
        precondition(!weights.isEmpty, "CategoricalSampler needs at least one weight")
        var c = [Double](); c.reserveCapacity(weights.count)
        var s = 0.0
        for w in weights { s += max(0, w); c.append(s) }
        precondition(s > 0, "CategoricalSampler needs a positive total weight")
        cumulative = c.map { $0 / s }
    }

    /// Zipf-like weights 1/(rank+1)^exponent for `n` ranks.
    public static func zipf(_ n: Int, exponent: Double) -> CategoricalSampler {
        CategoricalSampler(weights: (0..<n).map { 1 / _pow(Double($0 + 1), exponent) })
    }

    @inline(__always)
    public func sample(_ rng: inout Xoshiro256) -> Int {
        let u = rng.nextDouble()
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

// Foundation-free math so the generator does not depend on platform libm wrappers' overloads.
@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
@inline(__always) func _exp(_ x: Double) -> Double { exp(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
