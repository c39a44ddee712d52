import RecCore

/// Builds SVG text element by element. Everything written from data goes through `escape`; no
/// ids, no <style> and no gradients, so several charts can sit inline in one HTML page without
/// interfering with each other.
struct SVGWriter {
    private(set) var text = ""

    /// Text and attribute values made safe for XML: markup characters as entities, and the
    /// control characters XML 1.0 forbids (and line breaks, which labels cannot hold) replaced.
    static func escape(_ s: String) -> String { HTMLText.escape(s, replacingControls: true) }

    static func n(_ v: Double) -> String { NumberText.coordinate(v) }

    mutating func raw(_ s: String) { text += s }

    /// One element; attribute values are escaped, numbers written with one decimal.
    mutating func element(_ name: String, _ attributes: [(String, Attr)], content: String? = nil) {
        text += "<" + name
        for (k, v) in attributes { text += " \(k)=\"\(v.text)\"" }
        if let content { text += ">" + SVGWriter.escape(content) + "</\(name)>\n" } else { text += "/>\n" }
    }

    mutating func open(_ name: String, _ attributes: [(String, Attr)]) {
        text += "<" + name
        for (k, v) in attributes { text += " \(k)=\"\(v.text)\"" }
        text += ">\n"
    }

    mutating func close(_ name: String) { text += "</\(name)>\n" }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        var a: [(String, Attr)] = [("x1", .num(x1)), ("y1", .num(y1)), ("x2", .num(x2)), ("y2", .num(y2)), ("stroke", .str(stroke))]
        if width != 1 { a.append(("stroke-width", .num(width))) }
        if let dash { a.append(("stroke-dasharray", .str(dash))) }
        element("line", a)
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, extra: [(String, Attr)] = []) {
        element("rect", [("x", .num(x)), ("y", .num(y)), ("width", .num(Swift.max(w, 0))), ("height", .num(Swift.max(h, 0))), ("fill", .str(fill))] + extra)
    }

    enum Anchor: String { case start, middle, end }

    mutating func label(_ s: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start, fill: String = "#333333",
                        bold: Bool = false, rotate: Double? = nil) {
        var a: [(String, Attr)] = [("x", .num(x)), ("y", .num(y))]
        if size != 12 { a.append(("font-size", .num(size))) }
        if anchor != .start { a.append(("text-anchor", .str(anchor.rawValue))) }
        a.append(("fill", .str(fill)))
        if bold { a.append(("font-weight", .str("bold"))) }
        if let rotate { a.append(("transform", .str("rotate(\(SVGWriter.n(rotate)) \(SVGWriter.n(x)) \(SVGWriter.n(y)))"))) }
        element("text", a, content: s)
    }

    /// An attribute value: text (escaped) or a number (fixed format).
    enum Attr {
        case str(String)
        case num(Double)
        var text: String {
            switch self {
            case .str(let s): return SVGWriter.escape(s)
            case .num(let v): return SVGWriter.n(v)
            }
        }
    }
}
