/// Rec's syntax beyond ASCII, for the lexer: which scalars make names, which characters are
/// lookalikes of ASCII syntax (fullwidth and CJK punctuation, curly quotes), and how an error names
/// a character.
///
/// Names follow UAX #31: a scalar with XID_Start (or `_`) and then XID_Continue scalars, so letters
/// of every script, CJK ideographs and combining marks are in and punctuation, symbols and emoji are
/// out. The fullwidth forms of ASCII (U+FF01…U+FF5E) are letters to Unicode, but typed by an input
/// method left in fullwidth mode they almost always mean their ASCII twin, so they are not part of
/// names and get the error with the hint, like `（`.
enum SourceCharacters {
    /// The scalar whose UTF-8 encoding starts at `i`, and its length. `bytes` are valid UTF-8
    /// (they come from a `String`) and `bytes[i]` is not ASCII.
    @inline(__always)
    static func scalar(_ bytes: [UInt8], at i: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = UInt32(bytes[i])
        var value: UInt32, length: Int
        if lead < 0xE0 { value = lead & 0x1F; length = 2 }
        else if lead < 0xF0 { value = lead & 0x0F; length = 3 }
        else { value = lead & 0x07; length = 4 }
        var k = 1
        while k < length, i + k < bytes.count {
            value = value << 6 | UInt32(bytes[i + k] & 0x3F)
            k += 1
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", k)
    }

    static func isNameStart(_ s: Unicode.Scalar) -> Bool {
        s.properties.isXIDStart && !isFullwidthASCII(s)
    }

    static func isNameContinue(_ s: Unicode.Scalar) -> Bool {
        s.properties.isXIDContinue && !isFullwidthASCII(s)
    }

    private static func isFullwidthASCII(_ s: Unicode.Scalar) -> Bool { (0xFF01...0xFF5E).contains(s.value) }

    /// What the lexer does with a lookalike after reporting it: read it as its ASCII twin, skip it
    /// as a space, or read a string up to the next quote on the line.
    enum Recovery {
        case token(String)
        case space
        case quote
        case comment
        case skip
    }

    /// The ASCII text a non-ASCII character most likely stands for, when that text is Rec syntax.
    static func asciiMeaning(of s: Unicode.Scalar) -> (text: String, recovery: Recovery)? {
        if isFullwidthASCII(s) {
            let ascii = Unicode.Scalar(UInt8(s.value - 0xFEE0))
            switch ascii {
            case "\"", "'": return ("\"", .quote)
            case "#": return ("#", .comment)
            case "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "+", "-", "*", "/", "%", "<", ">", "=", "!", "?":
                return (String(ascii), .token(String(ascii)))
            case "&", "|": return (String(ascii), .skip)
            default:
                let isWordChar = ascii.properties.isAlphabetic || ("0"..."9").contains(ascii) || ascii == "_"
                return isWordChar ? (String(ascii), .skip) : nil
            }
        }
        switch s.value {
        case 0x3001: return (",", .token(","))                       // 、 IDEOGRAPHIC COMMA
        case 0x3002, 0xFF61: return (".", .token("."))               // 。 IDEOGRAPHIC FULL STOP
        case 0x3010, 0x3014, 0x3016: return ("[", .token("["))       // 【 〔 〖
        case 0x3011, 0x3015, 0x3017: return ("]", .token("]"))       // 】 〕 〗
        case 0x300A, 0x3008: return ("<", .token("<"))               // 《 〈
        case 0x300B, 0x3009: return (">", .token(">"))               // 》 〉
        case 0x201C, 0x201D, 0x201E, 0x2018, 0x2019, 0x201A, 0x300C, 0x300D, 0x300E, 0x300F, 0x00AB, 0x00BB:
            return ("\"", .quote)                                      // “ ” „ ‘ ’ ‚ 「 」 『 』 « »
        case 0x2026: return ("...", .token("..."))                    // …
        // Not the em dash: a Chinese input method types "——" for '_'.
        case 0x2212, 0x2013, 0x2010, 0x2011: return ("-", .token("-")) // − – ‐ ‑
        case 0x00D7, 0x2217, 0x22C5: return ("*", .token("*"))       // × ∗ ⋅
        case 0x00F7, 0x2215: return ("/", .token("/"))               // ÷ ∕
        case 0x2264, 0x2A7D: return ("<=", .token("<="))            // ≤ ⩽
        case 0x2265, 0x2A7E: return (">=", .token(">="))            // ≥ ⩾
        case 0x2260: return ("!=", .token("!="))                      // ≠
        case 0x2192, 0x27F6: return ("->", .token("->"))            // → ⟶
        default:
            return s.properties.generalCategory == .spaceSeparator ? (" ", .space) : nil
        }
    }

    /// Whether `s` may be one of the quotes that end a lookalike-quoted string.
    static func isQuoteLookalike(_ s: Unicode.Scalar) -> Bool {
        if case .quote? = asciiMeaning(of: s)?.recovery { return true }
        return false
    }

    /// `'，' (U+FF0C FULLWIDTH COMMA)`: a character as an error quotes it. Invisible ones (spaces,
    /// controls, format characters) are only named, and a lone combining mark is shown on a
    /// dotted circle. A character of several scalars (an emoji with a modifier) lists them all.
    static func describe(_ c: Character) -> String {
        let scalars = Array(c.unicodeScalars)
        let codes = scalars.map { "U+" + hex($0.value) }
        if scalars.count == 1 {
            let s = scalars[0]
            let name = s.properties.name ?? s.properties.nameAlias ?? controlName(s)
            let code = codes[0] + (name.map { " " + $0 } ?? "")
            switch s.properties.generalCategory {
            case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .unassigned, .privateUse,
                 .surrogate:
                return code
            case .nonspacingMark, .enclosingMark, .spacingMark:
                return "'\u{25CC}\(c)' (\(code))"
            default:
                return "'\(c)' (\(code))"
            }
        }
        return "'\(c)' (\(codes.joined(separator: " ")))"
    }

    /// A note for a character that cannot be part of a name, when one might have been meant.
    static func note(for c: Character) -> String? {
        guard let s = c.unicodeScalars.first else { return nil }
        if s.value == 0 {
            return "Rec source is UTF-8 text; a NUL byte means a binary file or another encoding (UTF-16?)"
        }
        switch s.properties.generalCategory {
        case .otherSymbol, .mathSymbol, .currencySymbol, .modifierSymbol:
            return "names are made of letters, digits, combining marks and '_'; symbols and emoji cannot be part of one"
        default:
            return nil
        }
    }

    private static func controlName(_ s: Unicode.Scalar) -> String? {
        switch s.value {
        case 0: return "NULL"
        case 0x7F: return "DELETE"
        case 0x0B: return "LINE TABULATION"
        case 0x0C: return "FORM FEED"
        case 0...0x1F, 0x80...0x9F: return "(a control character)"
        default: return nil
        }
    }

    private static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
