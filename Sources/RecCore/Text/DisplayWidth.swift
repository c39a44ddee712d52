// How many terminal columns text takes: the width used to align tables, columns and error carets.
//
// East Asian Wide and Fullwidth characters (CJK ideographs, kana, Hangul syllables, fullwidth
// forms, most emoji) take two columns; combining marks, format characters and controls take
// none; everything else takes one. A grapheme cluster (a Swift Character) is one glyph on
// screen, so its width is the sum of its scalars' widths capped at two: "e\u{301}" is 1, a flag
// or a ZWJ family emoji is 2. A cluster with the emoji presentation selector U+FE0F is 2.

public enum DisplayWidth {
    /// Columns one Unicode scalar takes on its own.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v >= 0x20 ? 1 : 0 }
        if v < 0xA0 { return 0 }                         // DEL and C1 controls
        if v < 0x300 { return 1 }                        // Latin-1 and Latin Extended: no marks, nothing wide
        if isWide(v) || scalar.properties.isEmojiPresentation { return 2 }
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }  // Hangul medial and final jamo
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: return 1
        }
    }

    /// Columns one grapheme cluster takes.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        if scalars.count == 1 { return of(scalars.first!) }
        var width = 0
        for s in scalars {
            if s.value == 0xFE0F { return 2 }
            width += of(s)
        }
        return Swift.min(width, 2)
    }

    /// Columns a whole text takes on one line.
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        // Printable ASCII is by far the common case: one column per byte.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        return text.reduce(0) { $0 + of($1) }
    }

    /// Whether the scalar is East Asian Wide or Fullwidth (Unicode 14 EastAsianWidth.txt, with
    /// the unassigned code points of the CJK blocks and planes 2-3 that the file also makes wide;
    /// later emoji are caught by isEmojiPresentation).
    static func isWide(_ v: UInt32) -> Bool {
        if v < wide[0].0 { return false }
        var lo = 0, hi = wide.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < wide[mid].0 { hi = mid - 1 } else if v > wide[mid].1 { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Inclusive ranges, sorted.
    static let wide: [(UInt32, UInt32)] = [
        (0x1100, 0x115F), (0x231A, 0x231B), (0x2329, 0x232A), (0x23E9, 0x23EC), (0x23F0, 0x23F0),
        (0x23F3, 0x23F3), (0x25FD, 0x25FE), (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F),
        (0x2693, 0x2693), (0x26A1, 0x26A1), (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5),
        (0x26CE, 0x26CE), (0x26D4, 0x26D4), (0x26EA, 0x26EA), (0x26F2, 0x26F3), (0x26F5, 0x26F5),
        (0x26FA, 0x26FA), (0x26FD, 0x26FD), (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728),
        (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797),
        (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55),
        (0x2E80, 0x303E), (0x3041, 0x3247), (0x3250, 0x4DBF), (0x4E00, 0xA4C6), (0xA960, 0xA97C),
        (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE10, 0xFE19), (0xFE30, 0xFE6B), (0xFF01, 0xFF60),
        (0xFFE0, 0xFFE6), (0x16FE0, 0x1B2FB), (0x1F004, 0x1F004), (0x1F0CF, 0x1F0CF), (0x1F18E, 0x1F18E),
        (0x1F191, 0x1F19A), (0x1F200, 0x1F320), (0x1F32D, 0x1F335), (0x1F337, 0x1F37C), (0x1F37E, 0x1F393),
        (0x1F3A0, 0x1F3CA), (0x1F3CF, 0x1F3D3), (0x1F3E0, 0x1F3F0), (0x1F3F4, 0x1F3F4), (0x1F3F8, 0x1F43E),
        (0x1F440, 0x1F440), (0x1F442, 0x1F4FC), (0x1F4FF, 0x1F53D), (0x1F54B, 0x1F54E), (0x1F550, 0x1F567),
        (0x1F57A, 0x1F57A), (0x1F595, 0x1F596), (0x1F5A4, 0x1F5A4), (0x1F5FB, 0x1F64F), (0x1F680, 0x1F6C5),
        (0x1F6CC, 0x1F6CC), (0x1F6D0, 0x1F6D2), (0x1F6D5, 0x1F6DF), (0x1F6EB, 0x1F6EC), (0x1F6F4, 0x1F6FC),
        (0x1F7E0, 0x1F7F0), (0x1F90C, 0x1F93A), (0x1F93C, 0x1F945), (0x1F947, 0x1F9FF), (0x1FA70, 0x1FAF6),
        (0x20000, 0x3FFFD),
    ]
}

extension StringProtocol {
    /// Terminal columns the text takes (see `DisplayWidth`).
    public var displayWidth: Int { DisplayWidth.of(self) }
}

extension String {
    /// The text followed by spaces (or preceded, when `right`) up to `width` columns; unchanged
    /// when it is already that wide.
    public func padded(toWidth width: Int, right: Bool = false) -> String {
        let fill = width - displayWidth
        if fill <= 0 { return self }
        let spaces = String(repeating: " ", count: fill)
        return right ? spaces + self : self + spaces
    }

    /// The text cut to at most `width` columns, ending in `…` when cut; never splits a character.
    public func clipped(toWidth width: Int) -> String {
        guard displayWidth > width else { return self }
        var out = "", used = 0
        for ch in self {
            let w = DisplayWidth.of(ch)
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }
}
