/// Text made safe for HTML and XML (SVG): as element content and inside quoted attribute values.
public enum HTMLText {
    /// Markup characters as entities. With `replacingControls` (SVG labels), also what XML 1.0
    /// forbids — control characters become U+FFFD — and line breaks and tabs, which a one-line
    /// label cannot hold, become spaces.
    public static func escape(_ s: String, replacingControls: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if !replacingControls {
                    out.unicodeScalars.append(ch)
                } else if ch == "\n" || ch == "\r" || ch == "\t" {
                    out += " "
                } else if ch.value < 0x20 || ch.value == 0xFFFE || ch.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }
}
