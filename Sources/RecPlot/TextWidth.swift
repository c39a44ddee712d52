import RecCore

/// Estimates of how wide text is, for layout: in SVG pixels (no font is measured, so the
/// estimate errs wide) and in terminal columns (CJK counts two).
enum TextWidth {
    /// Pixels for `text` at `size`: 0.6 em per column, so a CJK character (two columns) gets 1.2 em.
    static func pixels(_ text: String, size: Double) -> Double { Double(DisplayWidth.of(text)) * size * 0.6 }

    static func columns(_ text: String) -> Int { DisplayWidth.of(text) }

    /// `text` cut to at most `columns` terminal columns, with "…" when cut.
    static func truncate(_ text: String, columns: Int) -> String {
        guard DisplayWidth.of(text) > columns else { return text }
        guard columns > 1 else { return columns == 1 ? "…" : "" }
        var out = "", used = 0
        for ch in text {
            let w = DisplayWidth.of(ch)
            if used + w > columns - 1 { break }
            out.append(ch); used += w
        }
        return out + "…"
    }

    /// `text` cut to fit `pixels` at `size`.
    static func truncate(_ text: String, pixels: Double, size: Double) -> String {
        truncate(text, columns: Swift.max(Int(pixels / (size * 0.6)), 1))
    }

    /// `text` broken at spaces into lines of at most `columns` (a word longer than that is cut).
    static func wrap(_ text: String, columns: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            if line.isEmpty { line = word } else if DisplayWidth.of(line) + 1 + DisplayWidth.of(word) <= columns { line += " " + word }
            else { lines.append(line); line = word }
            while DisplayWidth.of(line) > columns { lines.append(truncate(line, columns: columns)); line = "" }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// `text` padded with spaces to `columns` (left-aligned, or right-aligned with `right`).
    static func pad(_ text: String, _ columns: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: Swift.max(columns - DisplayWidth.of(text), 0))
        return right ? fill + text : text + fill
    }
}
