/// What the lexer found: the tokens, and the errors it recovered from.
struct Scan {
    var tokens: [Token]
    var errors: [RecError]
    /// The "never closed" errors of brackets still open at the end.
    var unclosed: [RecError]
    /// Those of `(` and `[`: the rest of the input lies inside them, where newlines do not end
    /// statements, so what the parser finds wrong after them follows from them.
    var unclosedGroups: [RecError]
    /// The input ended inside a bracket or a string.
    var endsOpen: Bool
    /// String literals that span lines: where each opens and the line where it closes.
    var multiLineStrings: [(open: SourceLocation, lastLine: Int)]
}

/// Turns source bytes into tokens.
///
/// Newlines end statements, except inside `(…)` and `[…]`, where they are layout only; inside
/// `{…}` (blocks and closures) they count again. Errors at end of input (an unterminated string, an
/// unclosed bracket) are flagged `incompleteInput` so the REPL knows to read another line.
///
/// An error does not stop the lexer: it records it and goes on with a stream the parser can
/// read (a bad number becomes a number, a stray closer is dropped, a wrong closer closes the
/// bracket it should have), so every error of a script is found in one run. Only the first
/// error of a line is kept; later ones on that line tend to be echoes of it.
struct Lexer {
    private let file: SourceFile
    private let bytes: [UInt8]
    private var pos: Int
    private let end: Int
    private var line: Int
    private var lineStart: Int
    private var brackets: [UInt8] = []
    /// Where each open bracket of `brackets` is, for "unclosed" errors.
    private var bracketLocations: [SourceLocation] = []
    private var tokens: [Token] = []
    private var sawSpace = true
    private var errors: [RecError] = []
    private var lastErrorLine = 0
    private var unclosed: [RecError] = []
    private var unclosedGroups: [RecError] = []
    private var endsOpen = false
    /// The first `}` that starts its line at another indentation than the line of the `{` it
    /// closes: when a `{` is left open, the missing `}` is usually above this one.
    private var misalignedClose: (close: SourceLocation, open: SourceLocation)?
    private var multiLineStrings: [(open: SourceLocation, lastLine: Int)] = []
    /// The last column computed, so that tokens along one long line are located in linear time.
    private let columns = ColumnCache()

    init(file: SourceFile, from start: Int = 0, to end: Int? = nil, line: Int = 1, lineStart: Int = 0) {
        self.file = file
        self.bytes = file.bytes
        self.pos = start
        self.end = end ?? file.bytes.count
        self.line = line
        self.lineStart = lineStart
    }

    /// The tokens of `file`; its first error (carrying the others) if it has any.
    static func tokenize(_ file: SourceFile) throws(RecError) -> [Token] {
        var lexer = Lexer(file: file)
        let scan = lexer.scan()
        var diagnostics = Diagnostics()
        for e in scan.errors { diagnostics.add(e) }
        if let e = diagnostics.combined() { throw e }
        return scan.tokens
    }

    private func location(at offset: Int) -> SourceLocation {
        location(at: offset, line: line, lineStart: lineStart)
    }

    private func location(at offset: Int, line: Int, lineStart: Int) -> SourceLocation {
        var col = 1
        var i = lineStart
        if columns.lineStart == lineStart && columns.offset <= offset && columns.offset >= lineStart {
            col = columns.column; i = columns.offset
        }
        defer { columns.lineStart = lineStart; columns.offset = i; columns.column = col }
        while i < offset && i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 { col += 1 }
            i += 1
        }
        return SourceLocation(file: file, line: line, column: col)
    }

    /// Columns count Unicode scalars from the line start; this remembers where the last count
    /// stopped (a class, so non-mutating helpers can update it).
    private final class ColumnCache {
        var lineStart = -1, offset = 0, column = 1
    }

    private mutating func report(_ message: String, at offset: Int, note: String? = nil) {
        report(message, at: location(at: offset), note: note)
    }

    private mutating func report(_ message: String, at loc: SourceLocation, note: String? = nil) {
        report(RecError(.syntax, message, at: loc), note: note)
    }

    private mutating func report(_ e: RecError, note: String? = nil) {
        guard e.location.line != lastErrorLine else { return }
        lastErrorLine = e.location.line
        if let note { e.notes.append(note) }
        errors.append(e)
    }

    /// A string or interpolation still open at the end: reported where it opened.
    private mutating func reportUnterminated(_ message: String, at loc: SourceLocation, note: String? = nil) {
        let e = RecError(.syntax, message, at: loc)
        if let note { e.notes.append(note) }
        e.incompleteInput = true
        errors.append(e)
        endsOpen = true
        pos = end
    }

    private func peek(_ ahead: Int = 0) -> UInt8 { pos + ahead < end ? bytes[pos + ahead] : 0 }

    private mutating func add(_ kind: TokenKind, from start: Int, at loc: SourceLocation? = nil) {
        tokens.append(Token(kind: kind, location: loc ?? location(at: start), start: start, end: pos, spaceBefore: sawSpace))
        sawSpace = false
    }

    mutating func scan() -> Scan {
        while pos < end {
            let c = bytes[pos]
            switch c {
            case 32, 9, 13:
                pos += 1; sawSpace = true
            case 10:
                let start = pos
                if brackets.last == nil || brackets.last == UInt8(ascii: "{") {
                    if let last = tokens.last, !last.isNewline { add(.newline, from: start) }
                }
                pos += 1; line += 1; lineStart = pos; sawSpace = true
            case UInt8(ascii: "#"):
                while pos < end && bytes[pos] != 10 { pos += 1 }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                number()
            case UInt8(ascii: "\""):
                string()
            default:
                if isIdentStart(c) { identifier() } else if c < 0x80 { punctuation() } else { nonASCII() }
            }
        }
        reportUnclosedBrackets()
        if let last = tokens.last, !last.isNewline { add(.newline, from: pos) }
        add(.eof, from: pos)
        return Scan(tokens: tokens, errors: errors, unclosed: unclosed, unclosedGroups: unclosedGroups, endsOpen: endsOpen,
                    multiLineStrings: multiLineStrings)
    }

    /// Each bracket still open at the end is reported where it was opened (one per line: `f(g(`
    /// is one mistake). Not when a string ran to the end: it swallowed their closers.
    private mutating func reportUnclosedBrackets() {
        if endsOpen { return }
        var lines = Set<Int>()
        for (open, loc) in zip(brackets, bracketLocations) where lines.insert(loc.line).inserted {
            let e = RecError(.syntax, "'\(Lexer.text(open))' was never closed", at: loc)
            e.notes.append("expected '\(Lexer.text(Lexer.closer(of: open)))' before the end of the input")
            if open == UInt8(ascii: "{"), let m = misalignedClose, loc.precedes(m.open) {
                e.notes.append("the '}' at line \(m.close.line) closes the '{' at line \(m.open.line) but is indented differently; is a '}' missing before line \(m.close.line)?")
            }
            e.incompleteInput = true
            errors.append(e)
            unclosed.append(e)
            if open != UInt8(ascii: "{") { unclosedGroups.append(e) }
        }
        if !brackets.isEmpty { endsOpen = true }
    }

    /// The text of an ASCII byte.
    private static func text(_ c: UInt8) -> String { String(Unicode.Scalar(c)) }

    private static func closer(of open: UInt8) -> UInt8 {
        open == UInt8(ascii: "(") ? UInt8(ascii: ")") : open == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
    }

    private static func opener(of close: UInt8) -> UInt8 {
        close == UInt8(ascii: ")") ? UInt8(ascii: "(") : close == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
    }

    /// ASCII letters and `_`; names that start beyond ASCII go through `nonASCII()`.
    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95
    }
    private func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 48 && c <= 57) }

    /// Whether a name goes on at `pos`: an ASCII letter, digit or `_`, or a scalar with XID_Continue.
    @inline(__always)
    private func nameContinues() -> (Bool, length: Int) {
        let c = bytes[pos]
        if c < 0x80 { return (isIdentChar(c), 1) }
        let (s, length) = SourceCharacters.scalar(bytes, at: pos)
        return (SourceCharacters.isNameContinue(s), length)
    }

    private mutating func skipNameChars() {
        while pos < end {
            let (continues, length) = nameContinues()
            if !continues { return }
            pos += length
        }
    }

    private mutating func identifier() {
        let start = pos
        skipNameChars()
        let word = String(decoding: bytes[start..<pos], as: UTF8.self)
        if let kw = Keyword(rawValue: word) { add(.keyword(kw), from: start) } else { add(.identifier(word), from: start) }
    }

    /// A character beyond ASCII outside a string: the start of a name, a lookalike of ASCII syntax
    /// (reported with the ASCII it stands for, then read as that so the rest of the line parses),
    /// or an error.
    private mutating func nonASCII() {
        let start = pos
        let (scalar, length) = SourceCharacters.scalar(bytes, at: pos)
        if SourceCharacters.isNameStart(scalar) { return identifier() }
        if let (meant, recovery) = SourceCharacters.asciiMeaning(of: scalar) {
            let suggestion = meant == " " ? "a plain space" : "'\(meant)'"
            report("\(SourceCharacters.describe(Character(scalar))) is not Rec syntax; did you mean \(suggestion)?", at: start)
            if case .token(let op) = recovery, op.utf8.count == 1 { return symbol(op.utf8.first!, length: length) }
            pos += length
            switch recovery {
            case .token(let op): add(.op(op), from: start)
            case .space: sawSpace = true
            case .comment: while pos < end && bytes[pos] != 10 { pos += 1 }
            case .quote: lookalikeString(from: start)
            case .skip: break
            }
            return
        }
        let character = String(decoding: bytes[pos..<min(end, pos + 64)], as: UTF8.self).first ?? "\u{FFFD}"
        report("unexpected character \(SourceCharacters.describe(character))", at: start, note: SourceCharacters.note(for: character))
        pos += max(length, character.utf8.count)
    }

    /// After a quote lookalike (`“`, `「`) already reported: the text up to the next quote of any
    /// kind on the line becomes a string, so the quotes do not end up as names and operators.
    private mutating func lookalikeString(from start: Int) {
        let contentStart = pos
        var contentEnd = pos
        while pos < end, bytes[pos] != 10 {
            if bytes[pos] == UInt8(ascii: "\"") { contentEnd = pos; pos += 1; break }
            if bytes[pos] >= 0x80 {
                let (s, length) = SourceCharacters.scalar(bytes, at: pos)
                if SourceCharacters.isQuoteLookalike(s) { contentEnd = pos; pos += length; break }
                pos += length
            } else {
                pos += 1
            }
            contentEnd = pos
        }
        add(.string([.text(String(decoding: bytes[contentStart..<contentEnd], as: UTF8.self))]), from: start)
    }

    /// A malformed number is reported and still becomes a number token (0 when it has no value),
    /// so the expression around it parses without a second error.
    private mutating func number() {
        let start = pos
        var isFloat = false
        if peek() == UInt8(ascii: "0"), peek(1) == UInt8(ascii: "x") || peek(1) == UInt8(ascii: "X") {
            pos += 2
            var value = 0
            var digits = 0
            while pos < end {
                let c = bytes[pos]
                let d: Int
                switch c {
                case 48...57: d = Int(c) - 48
                case 97...102: d = Int(c) - 87
                case 65...70: d = Int(c) - 55
                case 95: pos += 1; continue
                default: d = -1
                }
                if d < 0 { break }
                let (m, o1) = value.multipliedReportingOverflow(by: 16)
                let (a, o2) = m.addingReportingOverflow(d)
                if o1 || o2 {
                    report("integer literal is too large for a 64-bit Int", at: start)
                    skipNameChars()
                    add(.int(0), from: start)
                    return
                }
                value = a; digits += 1; pos += 1
            }
            if digits == 0 {
                report("expected hexadecimal digits after '0x'", at: start)
                skipNameChars()
                add(.int(0), from: start)
                return
            }
            add(.int(value), from: start)
            return
        }
        func digits(_ lexer: inout Lexer) {
            while lexer.pos < lexer.end, (48...57).contains(lexer.bytes[lexer.pos]) || lexer.bytes[lexer.pos] == 95 { lexer.pos += 1 }
        }
        digits(&self)
        // `1..<n` is a range, not the float `1.`: a fraction needs a digit after the dot.
        if peek() == UInt8(ascii: "."), (48...57).contains(peek(1)) {
            isFloat = true
            pos += 1
            digits(&self)
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            let save = pos
            pos += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { pos += 1 }
            if (48...57).contains(peek()) { isFloat = true; digits(&self) } else { pos = save }
        }
        let text = String(decoding: bytes[start..<pos].filter { $0 != 95 }, as: UTF8.self)
        if pos < end, isIdentStart(bytes[pos]) || (bytes[pos] >= 0x80 && nameContinues().0) {
            let c = bytes[pos]
            let shown = c < 0x80 ? "'\(Lexer.text(c))'" : SourceCharacters.describe(Character(SourceCharacters.scalar(bytes, at: pos).scalar))
            report("invalid character \(shown) in number", at: pos)
            skipNameChars()
        }
        if isFloat {
            guard let v = Double(text) else { report("invalid number '\(text)'", at: start); add(.float(0), from: start); return }
            add(.float(v), from: start)
        } else {
            guard let v = Int(text) else {
                report("integer literal '\(text)' is too large for a 64-bit Int", at: start)
                add(.int(0), from: start)
                return
            }
            add(.int(v), from: start)
        }
    }

    private mutating func string() {
        let start = pos
        // A string may span lines: its position is where it opens.
        let startLoc = location(at: start)
        pos += 1
        var parts: [StringPart] = []
        var buffer: [UInt8] = []
        while true {
            guard pos < end else {
                return reportUnterminated("unterminated string literal", at: startLoc, note: lookalikeQuoteNote(after: start, column: startLoc.column))
            }
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") { pos += 1; break }
            if c == 10 { line += 1; buffer.append(c); pos += 1; lineStart = pos; continue }
            // A script saved with CRLF line endings has the same strings as with LF.
            if c == 13, peek(1) == 10 { pos += 1; continue }
            if c != UInt8(ascii: "\\") { buffer.append(c); pos += 1; continue }
            let escapeStart = pos
            pos += 1
            guard pos < end else { return reportUnterminated("unterminated string literal", at: startLoc) }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "n"): buffer.append(10)
            case UInt8(ascii: "t"): buffer.append(9)
            case UInt8(ascii: "r"): buffer.append(13)
            case UInt8(ascii: "0"): buffer.append(0)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): buffer.append(e)
            case UInt8(ascii: "u"):
                guard peek() == UInt8(ascii: "{") else { report("expected '{' after \\u", at: escapeStart); continue }
                pos += 1
                var value: UInt32 = 0
                var count = 0
                while pos < end, let d = hexValue(bytes[pos]) { value = value &* 16 &+ UInt32(d); pos += 1; count += 1 }
                guard peek() == UInt8(ascii: "}"), count > 0, count <= 8, let scalar = Unicode.Scalar(value) else {
                    report("invalid unicode escape", at: escapeStart)
                    continue
                }
                pos += 1
                buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
            case UInt8(ascii: "("):
                if !buffer.isEmpty { parts.append(.text(String(decoding: buffer, as: UTF8.self))); buffer.removeAll() }
                let codeStart = pos
                let codeLine = line, codeLineStart = lineStart
                guard skipInterpolation() else { return reportUnterminated("unterminated string interpolation", at: startLoc) }
                var sub = Lexer(file: file, from: codeStart, to: pos, line: codeLine, lineStart: codeLineStart)
                let scan = sub.scan()
                for e in scan.errors {
                    // The string is closed, so more input cannot fix its code: never "incomplete".
                    e.incompleteInput = false
                    report(e)
                }
                var subTokens = scan.tokens
                if subTokens.count >= 2, subTokens[subTokens.count - 2].isNewline { subTokens.remove(at: subTokens.count - 2) }
                if subTokens.count == 1 {
                    report("empty interpolation '\\()'", at: escapeStart)
                } else {
                    parts.append(.code(subTokens, location(at: codeStart)))
                }
                pos += 1 // the closing ')'
            default:
                report("unknown escape sequence '\\\(String(decoding: [e], as: UTF8.self))'", at: escapeStart)
            }
        }
        if !buffer.isEmpty || parts.isEmpty { parts.append(.text(String(decoding: buffer, as: UTF8.self))) }
        if line != startLoc.line { multiLineStrings.append((startLoc, line)) }
        add(.string(parts), from: start, at: startLoc)
    }

    /// For a string that never closes: a curly or fullwidth quote on its first line is probably
    /// the `"` meant to close it.
    private func lookalikeQuoteNote(after open: Int, column openColumn: Int) -> String? {
        var i = open + 1
        var column = openColumn + 1
        while i < end, bytes[i] != 10 {
            if bytes[i] >= 0x80 {
                let (s, length) = SourceCharacters.scalar(bytes, at: i)
                if SourceCharacters.isQuoteLookalike(s) {
                    return "\(SourceCharacters.describe(Character(s))) at column \(column) does not close a string; did you mean '\"'?"
                }
                i += length
            } else {
                i += 1
            }
            column += 1
        }
        return nil
    }

    private func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 48...57: return Int(c) - 48
        case 97...102: return Int(c) - 87
        case 65...70: return Int(c) - 55
        default: return nil
        }
    }

    /// Advances `pos` to the `)` that closes an interpolation, stepping over nested parentheses
    /// and nested string literals; false when the input ends first.
    private mutating func skipInterpolation() -> Bool {
        var depth = 0
        while pos < end {
            let c = bytes[pos]
            switch c {
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                if depth == 0 { return true }
                depth -= 1
            case UInt8(ascii: "\""):
                pos += 1
                while pos < end && bytes[pos] != UInt8(ascii: "\"") {
                    if bytes[pos] == UInt8(ascii: "\\") { pos += 1 }
                    if pos < end, bytes[pos] == 10 { line += 1; lineStart = pos + 1 }
                    pos += 1
                }
            case 10: line += 1; lineStart = pos + 1
            default: break
            }
            pos += 1
        }
        return false
    }

    /// The operator of two or three characters that `a b c` start with. Matched on bytes: this
    /// runs for every operator of every chunk, the prelude's included.
    @inline(__always)
    private static func multiCharOp(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> String? {
        switch (a, b) {
        case (UInt8(ascii: "."), UInt8(ascii: ".")):
            return c == UInt8(ascii: ".") ? "..." : c == UInt8(ascii: "<") ? "..<" : nil
        case (UInt8(ascii: "/"), UInt8(ascii: "/")): return c == UInt8(ascii: "=") ? "//=" : "//"
        case (UInt8(ascii: "|"), UInt8(ascii: ">")): return "|>"
        case (UInt8(ascii: "?"), UInt8(ascii: "?")): return "??"
        case (UInt8(ascii: "&"), UInt8(ascii: "&")): return "&&"
        case (UInt8(ascii: "|"), UInt8(ascii: "|")): return "||"
        case (UInt8(ascii: "*"), UInt8(ascii: "*")): return "**"
        case (UInt8(ascii: "-"), UInt8(ascii: ">")): return "->"
        case (_, UInt8(ascii: "=")):
            switch a {
            case UInt8(ascii: "="): return "=="
            case UInt8(ascii: "!"): return "!="
            case UInt8(ascii: "<"): return "<="
            case UInt8(ascii: ">"): return ">="
            case UInt8(ascii: "+"): return "+="
            case UInt8(ascii: "-"): return "-="
            case UInt8(ascii: "*"): return "*="
            case UInt8(ascii: "/"): return "/="
            case UInt8(ascii: "%"): return "%="
            default: return nil
            }
        default: return nil
        }
    }

    private mutating func punctuation() {
        let start = pos
        if let op = Lexer.multiCharOp(bytes[pos], peek(1), peek(2)) {
            pos += op.utf8.count
            add(.op(op), from: start)
            return
        }
        symbol(bytes[pos], length: 1)
    }

    /// The one-character token `c`, spelled at `pos` with `length` bytes: one, or more for a
    /// lookalike (`（`) already reported.
    private mutating func symbol(_ c: UInt8, length: Int) {
        let start = pos
        switch c {
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
            brackets.append(c)
            bracketLocations.append(location(at: start))
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            let open = Lexer.opener(of: c)
            guard let last = brackets.last, let opened = bracketLocations.last else {
                report("unexpected '\(Lexer.text(c))' with nothing to close", at: start)
                pos += length
                return
            }
            if last != open {
                let openedAt = "the '\(Lexer.text(last))' at line \(opened.line), column \(opened.column)"
                let nested = brackets.contains(open)
                if !nested && last == UInt8(ascii: "{") {
                    // A stray closer inside a block: drop it, so the block's own '}' still closes it.
                    report("unexpected '\(Lexer.text(c))': the innermost open bracket is \(openedAt)", at: start)
                    pos += length
                    return
                }
                report("expected '\(Lexer.text(Lexer.closer(of: last)))' but found '\(Lexer.text(c))'", at: start, note: "to close \(openedAt)")
                if nested {
                    // Brackets opened inside the one `c` closes were left open: close them here.
                    while brackets.last != open { closeBracket(from: start, implicit: true) }
                } else {
                    // `(1]`, `[1)`, `(1}`: a slip of the finger; take it as the right closer.
                    pos += length
                    closeBracket(from: start, implicit: false)
                    return
                }
            }
            pos += length
            closeBracket(from: start, implicit: false)
            return
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: ","),
             UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "."), UInt8(ascii: "?"):
            break
        default:
            let shown = c >= 0x20 && c < 0x7F ? "'\(Lexer.text(c))'" : SourceCharacters.describe(Character(Unicode.Scalar(c)))
            report("unexpected character \(shown)", at: start, note: SourceCharacters.note(for: Character(Unicode.Scalar(c))))
            pos += length
            return
        }
        pos += length
        add(.op(Lexer.text(c)), from: start)
    }

    /// Closes the innermost open bracket with a token at `start` (empty when `implicit`).
    private mutating func closeBracket(from start: Int, implicit: Bool) {
        let open = brackets.removeLast()
        let openedAt = bracketLocations.popLast()
        // A closing brace ends the statement it closes: make the newline implicit.
        if open == UInt8(ascii: "{"), let last = tokens.last, !last.isNewline, last.kind != .op("{") {
            tokens.append(Token(kind: .newline, location: location(at: start), start: start, end: start, spaceBefore: false))
        }
        let loc = location(at: start)
        tokens.append(Token(kind: .op(Lexer.text(Lexer.closer(of: open))), location: loc, start: start,
                            end: implicit ? start : pos, spaceBefore: sawSpace))
        sawSpace = false
        if open == UInt8(ascii: "{"), !implicit, misalignedClose == nil, let opened = openedAt, startsLine(start),
           indentation(ofLine: opened.line) != loc.column - 1 {
            misalignedClose = (loc, opened)
        }
    }

    /// Whether only blanks precede `offset` on its line.
    private func startsLine(_ offset: Int) -> Bool {
        var i = offset - 1
        while i >= 0, bytes[i] == 32 || bytes[i] == 9 { i -= 1 }
        return i < 0 || bytes[i] == 10
    }

    /// Leading blanks of a line, in columns.
    private func indentation(ofLine n: Int) -> Int {
        file.lineText(n).prefix { $0 == " " || $0 == "\t" }.count
    }
}
