import Foundation

/// Axis ticks at "nice" values (1, 2 or 5 times a power of ten), after Paul Heckbert, "Nice
/// Numbers for Graph Labels", Graphics Gems (1990): the axis runs from the nice number at or
/// below the data to the one at or above it ("loose" labelling), so every tick is labelled and
/// the data never touches an unlabelled end.
public struct NiceScale: Equatable, Sendable {
    /// The axis ends (the first and last tick).
    public let lo: Double
    public let hi: Double
    /// Distance between ticks.
    public let step: Double
    /// Decimals a tick label needs.
    public let decimals: Int
    /// Tick positions as multiples of `step` (integers, so the values carry no rounding drift).
    let first: Int, last: Int

    /// A scale over `min...max` with about `ticks` ticks. An empty or one-value range is widened
    /// so that it still has ticks around the value.
    public init(min dataMin: Double, max dataMax: Double, ticks: Int = 5) {
        var a = dataMin, b = dataMax
        if !a.isFinite || !b.isFinite || a > b { a = 0; b = 1 }
        if a == b {
            let w = a == 0 ? 1 : Swift.abs(a) * 0.1
            a -= w; b += w
            if dataMin >= 0 && a < 0 { a = 0 }   // counts and shares stay non-negative
        }
        let range = NiceScale.niceNumber(b - a, round: false)
        let step = NiceScale.niceNumber(range / Double(Swift.max(ticks - 1, 1)), round: true)
        first = Int((a / step).rounded(.down))
        last = Int((b / step).rounded(.up))
        self.step = step
        lo = Double(first) * step
        hi = Double(last) * step
        decimals = Swift.max(-Int(log10(step).rounded(.down)), 0)
    }

    /// A scale that ends at the data (with `margin` of the range added on each side) and ticks
    /// at the nice values inside it: for x axes, where running on to the next nice number
    /// would leave an empty band.
    public init(tightMin dataMin: Double, max dataMax: Double, ticks: Int = 5, margin: Double = 0) {
        let loose = NiceScale(min: dataMin, max: dataMax, ticks: ticks)
        var a = dataMin, b = dataMax
        if !a.isFinite || !b.isFinite || a >= b { a = loose.lo; b = loose.hi }
        let pad = (b - a) * margin
        a -= pad; b += pad
        step = loose.step
        decimals = loose.decimals
        first = Int((a / step - 1e-9).rounded(.up))
        last = Swift.max(Int((b / step + 1e-9).rounded(.down)), first)
        lo = a
        hi = b
    }

    /// Heckbert's nice number near x: with `round`, the closest of 1, 2, 5, 10 × 10^k; without,
    /// the smallest not below x.
    public static func niceNumber(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let exponent = log10(x).rounded(.down)
        let power = pow(10, exponent)
        let f = x / power
        let nice: Double
        if round { nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10 }
        else { nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10 }
        return nice * power
    }

    /// The tick values, lowest first.
    public var ticks: [Double] { first <= last ? (first...last).map { Double($0) * step } : [] }

    /// Tick labels with just enough decimals for the step; large values shortened with k and M.
    public var labels: [String] { ticks.map(label) }

    public func label(_ v: Double) -> String {
        if v == 0 { return NumberText.fixed(0, decimals: step >= 1 ? 0 : decimals) }
        let big = Swift.max(Swift.abs(lo), Swift.abs(hi))
        if big >= 1e6, step >= 1e5 { return NumberText.fixed(v / 1e6, decimals: Swift.max(decimals - 6, 0)) + "M" }
        if big >= 1e4, step >= 1e3 { return NumberText.fixed(v / 1e3, decimals: Swift.max(decimals - 3, 0)) + "k" }
        return NumberText.fixed(v, decimals: decimals)
    }

    /// Where v falls between the ends, 0…1.
    public func fraction(_ v: Double) -> Double { hi > lo ? (v - lo) / (hi - lo) : 0.5 }
}

/// Numbers as text with a fixed number of decimals, independent of locale, never "-0".
public enum NumberText {
    public static func fixed(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "∞" : "-∞") }
        let s = String(format: "%.\(Swift.min(decimals, 12))f", v)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
        return s
    }

    /// A value label (on a bar, in a cell, in a note): three significant digits or so.
    public static func value(_ v: Double) -> String {
        let a = Swift.abs(v)
        if !v.isFinite { return fixed(v, decimals: 0) }
        if a >= 1e6 { return fixed(v / 1e6, decimals: a >= 1e8 ? 0 : 1) + "M" }
        if a >= 100 || v == v.rounded() { return fixed(v, decimals: 0) }
        if a >= 10 { return fixed(v, decimals: 1) }
        if a >= 1 { return fixed(v, decimals: 2) }
        return fixed(v, decimals: 3)
    }

    /// An SVG coordinate: one decimal, trailing ".0" dropped.
    public static func coordinate(_ v: Double) -> String {
        let s = fixed((v * 10).rounded() / 10, decimals: 1)
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }
}
