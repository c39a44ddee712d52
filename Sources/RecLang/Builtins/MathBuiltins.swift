import Foundation

/// Numbers and seeded randomness. Every random function draws from one generator that starts
/// from seed 0, so a script prints the same numbers on every run unless it calls `seed`.
enum MathBuiltins {
    /// SplitMix64: tiny, fast and statistically sound for simulation; fully determined by the seed.
    final class Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform in [0, 1).
        func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
        /// Uniform in 0..<n without modulo bias.
        func below(_ n: UInt64) -> UInt64 {
            let limit = UInt64.max - UInt64.max % n
            while true { let x = next(); if x < limit { return x % n } }
        }
    }

    static func unary(_ name: String, _ doc: String, _ f: @escaping (Double) -> Double) -> BuiltinSpec {
        BuiltinSpec(name, [.required("x", "Float")], returns: "Float", category: "Math", doc: doc) { a in
            .double(f(try a.double("x")))
        }
    }

    static func register(into r: BuiltinRegistry) {
        let rng = Generator(seed: 0)
        r.register([
            BuiltinSpec("abs", [.required("x")], category: "Math", doc: "The absolute value (Int stays Int).") { a in
                let v = try a.any("x")
                switch v {
                case .int(let i):
                    guard i != Int.min else { throw a.error("abs(): integer overflow") }
                    return .int(abs(i))
                case .double(let d): return .double(abs(d))
                default: throw a.typeError("x", expected: "a number", got: v)
                }
            },
            unary("sqrt", "The square root.") { $0.squareRoot() },
            unary("exp", "e raised to x.", Foundation.exp),
            unary("log", "The natural logarithm (log(0) is -inf; negative x gives nan).", Foundation.log),
            unary("log2", "The base-2 logarithm.", Foundation.log2),
            unary("log10", "The base-10 logarithm.", Foundation.log10),
            unary("sin", "The sine of x radians.", Foundation.sin),
            unary("cos", "The cosine of x radians.", Foundation.cos),
            unary("tanh", "The hyperbolic tangent.", Foundation.tanh),
            BuiltinSpec("floor", [.required("x")], returns: "Int", category: "Math", doc: "The largest Int not above x.") { a in
                try toInt(a, (try a.double("x")).rounded(.down))
            },
            BuiltinSpec("ceil", [.required("x")], returns: "Int", category: "Math", doc: "The smallest Int not below x.") { a in
                try toInt(a, (try a.double("x")).rounded(.up))
            },
            BuiltinSpec("round", [.required("x"), .optional("digits", "Int", range: -20...20)], category: "Math",
                        doc: "Rounds half away from zero: to an Int, or to a Float with `digits` decimals (round(2.675, digits: 2)).") { a in
                let x = try a.double("x")
                guard let d = try a.optionalInt("digits") else { return try toInt(a, x.rounded(.toNearestOrAwayFromZero)) }
                let scale = pow(10.0, Double(d))
                // Beyond 2⁵³ a Double has no fractional part left to round at this precision
                // (and x·scale could overflow to infinity): x is already rounded.
                guard x.isFinite, abs(x * scale) < 0x1p53 else { return .double(x) }
                return .double((x * scale).rounded(.toNearestOrAwayFromZero) / scale)
            },
            BuiltinSpec("is_nan", [.required("x")], returns: "Bool", category: "Math", doc: "Whether x is the Float nan.") { a in
                .bool(try a.double("x").isNaN)
            },
            BuiltinSpec("seed", [.required("seed", "Int", range: BuiltinParam.anyInt)], category: "Math",
                        doc: "Restarts the random generator from `seed`: the same seed gives the same sequence of random numbers.") { a in
                rng.state = UInt64(bitPattern: Int64(try a.int("seed")))
                return .nil
            },
            BuiltinSpec("random", [], returns: "Float", category: "Math", doc: "A uniform random Float in [0, 1).") { _ in
                .double(rng.uniform())
            },
            BuiltinSpec("random_int", [.required("low", "Int", range: BuiltinParam.anyInt), .required("high", "Int", range: BuiltinParam.anyInt)], returns: "Int", category: "Math",
                        doc: "A uniform random Int in low...high (both included).") { a in
                let lo = try a.int("low"), hi = try a.int("high")
                guard lo <= hi else { throw a.error("random_int(): low must not exceed high") }
                let span = UInt64(bitPattern: Int64(hi &- lo)) &+ 1
                return .int(lo &+ Int(truncatingIfNeeded: span == 0 ? rng.next() : rng.below(span)))
            },
            BuiltinSpec("random_normal", [.optional("mean", "Float", default: .double(0)), .optional("std", "Float", default: .double(1))],
                        returns: "Float", category: "Math", doc: "A normally distributed random Float (Box–Muller).") { a in
                let u1 = max(rng.uniform(), 1e-300), u2 = rng.uniform()
                let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
                let mean = try a.double("mean"), std = try a.double("std")
                return .double(mean + std * z)
            },
            BuiltinSpec("shuffle", [.required("list", "List")], category: "Math",
                        doc: "Shuffles a list in place (Fisher–Yates, using the seeded generator).") { a in
                let l = try a.list("list")
                var i = l.items.count - 1
                while i > 0 {
                    let j = Int(rng.below(UInt64(i + 1)))
                    l.items.swapAt(i, j)
                    i -= 1
                }
                return .nil
            },
            BuiltinSpec("sample", [.required("sequence"), .required("n", "Int", range: 0...Int.max)], returns: "List", category: "Math",
                        doc: "n distinct elements drawn at random without replacement, in draw order.") { a in
                var xs = try CollectionBuiltins.items(try a.any("sequence"), a, "sequence")
                let n = try a.int("n")
                guard n >= 0 && n <= xs.count else { throw a.error("sample(): n must be between 0 and \(xs.count)") }
                for i in 0..<n { xs.swapAt(i, i + Int(rng.below(UInt64(xs.count - i)))) }
                return .list(Array(xs[0..<n]))
            },
        ])
    }

    static func toInt(_ a: Arguments, _ d: Double) throws -> Value {
        guard d.isFinite, abs(d) < 9.2e18 else { throw a.error("\(Value.formatDouble(d)) cannot be converted to Int") }
        return .int(Int(d))
    }
}
