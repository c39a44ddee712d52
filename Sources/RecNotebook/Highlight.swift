import RecCore
import RecLang

/// Rec source as escaped HTML with `<span>`s for keywords, strings, numbers and comments. A
/// scanner of its own (not the lexer) because it must accept anything, broken code included, and
/// only colours: every character of the source comes out, in order.
enum Highlight {
    static let keywords = Set(Keyword.allCases.map(\.rawValue))

    static func html(_ source: String) -> String {
        let s = Array(source.unicodeScalars)
        var out = ""
        var i = 0
        func span(_ cls: String, _ from: Int, _ to: Int) {
            out += "<span class=\"\(cls)\">" + HTML.escape(String(String.UnicodeScalarView(s[from..<to]))) + "</span>"
        }
        while i < s.count {
            let c = s[i]
            if c == "#" {
                var j = i
                while j < s.count, s[j] != "\n" { j += 1 }
                span("c", i, j); i = j
            } else if c == "\"" {
                let j = stringEnd(s, from: i)
                span("s", i, j); i = j
            } else if c.properties.numericType != nil && c.isASCII {
                var j = i
                while j < s.count, s[j].isASCII, s[j].properties.isAlphabetic || s[j].properties.numericType != nil || s[j] == "_" || (s[j] == "." && j + 1 < s.count && s[j + 1].properties.numericType != nil && s[j + 1].isASCII) { j += 1 }
                span("n", i, j); i = j
            } else if c.properties.isXIDStart || c == "_" {
                var j = i
                while j < s.count, s[j].properties.isXIDContinue { j += 1 }
                let word = String(String.UnicodeScalarView(s[i..<j]))
                if keywords.contains(word) { span("k", i, j) } else { out += HTML.escape(word) }
                i = j
            } else {
                out += HTML.escape(String(c)); i += 1
            }
        }
        return out
    }

    /// The index after a string starting at `start` (a `"`): escapes are stepped over, and an
    /// interpolation `\( … )` may hold strings of its own. An unclosed string ends at the line end.
    static func stringEnd(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var i = start + 1
        var depth = 0
        while i < s.count {
            let c = s[i]
            if depth == 0 {
                if c == "\"" { return i + 1 }
                if c == "\n" { return i }
                if c == "\\" {
                    if i + 1 < s.count, s[i + 1] == "(" { depth = 1; i += 2; continue }
                    i += 2; continue
                }
            } else {
                if c == "(" { depth += 1 }
                else if c == ")" { depth -= 1 }
                else if c == "\"" { i = stringEnd(s, from: i); continue }
                else if c == "\n" { return i }
            }
            i += 1
        }
        return s.count
    }
}

enum HTML {
    /// Text as HTML content or a quoted attribute value.
    static func escape(_ s: String) -> String { HTMLText.escape(s) }
}
