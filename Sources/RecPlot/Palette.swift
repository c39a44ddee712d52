/// Colours that stay distinguishable for readers with colour-vision deficiencies.
public enum Palette {
    /// Okabe & Ito (2008), "Color Universal Design", ordered so the first colours contrast most
    /// on white; yellow comes late because thin yellow lines are faint.
    public static let categorical = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]

    public static func colour(_ series: Int) -> String { categorical[series % categorical.count] }

    /// The marker shape of a series: colours repeat after eight, shapes then tell series apart.
    public static func shape(_ series: Int) -> Int { (series / categorical.count) % 4 }

    /// viridis (van der Walt & Smith), sampled at nine stops: sequential and colour-blind safe.
    static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
        (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
    ]
    /// ColorBrewer RdBu reversed (blue negative, white zero, red positive), for signed values.
    static let diverging: [(Double, Double, Double)] = [
        (33, 102, 172), (67, 147, 195), (146, 197, 222), (209, 229, 240), (247, 247, 247),
        (253, 219, 199), (244, 165, 130), (214, 96, 77), (178, 24, 43),
    ]

    /// The colour at t in 0…1 along a ramp, as #rrggbb.
    static func ramp(_ stops: [(Double, Double, Double)], _ t: Double) -> (Double, Double, Double) {
        let x = Swift.min(Swift.max(t.isFinite ? t : 0.5, 0), 1) * Double(stops.count - 1)
        let i = Swift.min(Int(x), stops.count - 2), f = x - Double(i)
        let a = stops[i], b = stops[i + 1]
        return (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f)
    }

    static func hex(_ c: (Double, Double, Double)) -> String {
        func h(_ v: Double) -> String {
            let n = Int(Swift.min(Swift.max(v.rounded(), 0), 255))
            let digits = Array("0123456789ABCDEF")
            return String([digits[n / 16], digits[n % 16]])
        }
        return "#" + h(c.0) + h(c.1) + h(c.2)
    }

    /// Whether dark text reads better than white on this colour (relative luminance).
    static func prefersDarkText(_ c: (Double, Double, Double)) -> Bool {
        0.2126 * c.0 + 0.7152 * c.1 + 0.0722 * c.2 > 140
    }
}

/// How a heatmap maps values to colours: sequential (viridis) over the data's range, or diverging
/// around zero when the values have both signs (similarities, factor matrices).
struct ColourScale {
    let lo: Double, hi: Double
    let diverging: Bool

    init(_ h: Heatmap) {
        let r = h.range ?? (0, 1)
        if r.lo < 0 && r.hi > 0 {
            let m = Swift.max(-r.lo, r.hi)
            lo = -m; hi = m; diverging = true
        } else {
            lo = r.lo; hi = r.hi; diverging = false
        }
    }

    func rgb(_ v: Double) -> (Double, Double, Double) {
        let t = hi > lo ? (v - lo) / (hi - lo) : 0.5
        return Palette.ramp(diverging ? Palette.diverging : Palette.viridis, t)
    }

    func colour(_ v: Double) -> String { Palette.hex(rgb(v)) }
}
