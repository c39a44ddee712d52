// Number formatting for table text: written by hand because RecCore does not use Foundation.

enum TableNumberFormat {
    /// Shortest round-trip form (what CSV and `TableValue.description` use): `4.5`, `1e-05`, `nan`.
    static func plain(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return "\(d)"
    }

    /// Whether `d` is displayed in fixed notation with at most `maxDecimals` decimals: not for huge
    /// magnitudes (the digits stop meaning anything) or tiny nonzero ones (they would show as 0).
    static func usesFixed(_ d: Double, maxDecimals: Int) -> Bool {
        guard d.isFinite else { return true }
        let m = Swift.abs(d)
        return m < 1e12 && (m == 0 || m >= pow10(-maxDecimals))
    }

    /// The fewest decimals (at least 1, at most `maxDecimals`) that show `d` as precisely as
    /// `maxDecimals` decimals would: 4.5 → 1, 0.12345 → 4, 3.0 → 1.
    static func decimalsNeeded(_ d: Double, maxDecimals: Int) -> Int {
        guard d.isFinite, usesFixed(d, maxDecimals: maxDecimals), maxDecimals > 1 else { return Swift.min(1, maxDecimals) }
        var scaled = Int64((Swift.abs(d) * pow10(maxDecimals)).rounded())
        var decimals = maxDecimals
        while decimals > 1 && scaled % 10 == 0 {
            scaled /= 10
            decimals -= 1
        }
        return decimals
    }

    /// `d` with exactly `decimals` decimals (fixed notation), or in scientific notation with four
    /// significant digits when fixed notation does not suit it (see `usesFixed`).
    static func display(_ d: Double, decimals: Int, maxDecimals: Int) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        guard usesFixed(d, maxDecimals: maxDecimals) else { return scientific(d) }
        let scaled = Int64((Swift.abs(d) * pow10(decimals)).rounded())
        let unit = Int64(pow10(decimals))
        let whole = scaled / unit
        var frac = String(scaled % unit)
        if decimals > 0 {
            frac = String(repeating: "0", count: decimals - frac.count) + frac
        }
        let sign = d < 0 && scaled != 0 ? "-" : ""
        return decimals > 0 ? "\(sign)\(whole).\(frac)" : "\(sign)\(whole)"
    }

    /// Four significant digits, trailing zeros trimmed, two-digit exponent: `1.235e+15`, `3e-05`.
    static func scientific(_ d: Double) -> String {
        if d == 0 { return "0" }
        var m = Swift.abs(d)
        var e = 0
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        var digits = Int((m * 1000).rounded())
        if digits >= 10000 { digits /= 10; e += 1 }
        var mantissa = String(digits / 1000)
        var frac = String(digits % 1000)
        frac = String(repeating: "0", count: 3 - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        if !frac.isEmpty { mantissa += "." + frac }
        let exp = Swift.abs(e) < 10 ? "0\(Swift.abs(e))" : "\(Swift.abs(e))"
        return (d < 0 ? "-" : "") + mantissa + "e" + (e < 0 ? "-" : "+") + exp
    }

    static func pow10(_ n: Int) -> Double {
        var r = 1.0
        if n >= 0 { for _ in 0..<n { r *= 10 } } else { for _ in 0..<(-n) { r /= 10 } }
        return r
    }
}
