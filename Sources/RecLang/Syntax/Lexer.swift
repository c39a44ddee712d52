/// Turns source bytes into tokens.
///
/// Newlines end statements, except inside `(…)` and `[…]`, where they are layout only; inside
/// `{…}` (blocks and closures) they count again. Errors at end of input (an unterminated string, an
/// unclosed bracket) are flagged `incompleteInput` so the REPL knows to read another line.
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

    static func tokenize(_ file: SourceFile) throws(RecError) -> [Token] {
        var lexer = Lexer(file: file)
        return try lexer.run()
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

    private func error(_ message: String, at offset: Int, incomplete: Bool = false) -> RecError {
        error(message, at: location(at: offset), incomplete: incomplete)
    }

    private func error(_ message: String, at loc: SourceLocation, incomplete: Bool = false) -> RecError {
        let e = RecError(.syntax, message, at: loc)
        e.incompleteInput = incomplete
        return e
    }

    private func peek(_ ahead: Int = 0) -> UInt8 { pos + ahead < end ? bytes[pos + ahead] : 0 }

    private mutating func add(_ kind: TokenKind, from start: Int, at loc: SourceLocation? = nil) {
        tokens.append(Token(kind: kind, location: loc ?? location(at: start), start: start, end: pos, spaceBefore: sawSpace))
        sawSpace = false
    }

    mutating func run() throws(RecError) -> [Token] {
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
                try number()
            case UInt8(ascii: "\""):
                try string()
            default:
                if isIdentStart(c) { identifier() } else { try punctuation() }
            }
        }
        if let open = brackets.last, let opened = bracketLocations.last {
            let closer = open == UInt8(ascii: "(") ? ")" : open == UInt8(ascii: "[") ? "]" : "}"
            throw error("expected '\(closer)' before end of input (to close the '\(String(decoding: [open], as: UTF8.self))' at line \(opened.line), column \(opened.column))", at: pos, incomplete: true)
        }
        if let last = tokens.last, !last.isNewline { add(.newline, from: pos) }
        add(.eof, from: pos)
        return tokens
    }

    private func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || c >= 0x80
    }
    private func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 48 && c <= 57) }

    private mutating func identifier() {
        let start = pos
        while pos < end && isIdentChar(bytes[pos]) { pos += 1 }
        let word = String(decoding: bytes[start..<pos], as: UTF8.self)
        if let kw = Keyword(rawValue: word) { add(.keyword(kw), from: start) } else { add(.identifier(word), from: start) }
    }

    private mutating func number() throws(RecError) {
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
                if o1 || o2 { throw error("integer literal is too large for a 64-bit Int", at: start) }
                value = a; digits += 1; pos += 1
            }
            if digits == 0 { throw error("expected hexadecimal digits after '0x'", at: start) }
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
        if pos < end, isIdentStart(bytes[pos]) {
            throw error("invalid character '\(String(decoding: [bytes[pos]], as: UTF8.self))' in number", at: pos)
        }
        let text = String(decoding: bytes[start..<pos].filter { $0 != 95 }, as: UTF8.self)
        if isFloat {
            guard let v = Double(text) else { throw error("invalid number '\(text)'", at: start) }
            add(.float(v), from: start)
        } else {
            guard let v = Int(text) else { throw error("integer literal '\(text)' is too large for a 64-bit Int", at: start) }
            add(.int(v), from: start)
        }
    }

    private mutating func string() throws(RecError) {
        let start = pos
        // A string may span lines: its position is where it opens.
        let startLoc = location(at: start)
        pos += 1
        var parts: [StringPart] = []
        var buffer: [UInt8] = []
        while true {
            guard pos < end else { throw error("unterminated string literal", at: startLoc, incomplete: true) }
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") { pos += 1; break }
            if c == 10 { line += 1; buffer.append(c); pos += 1; lineStart = pos; continue }
            if c != UInt8(ascii: "\\") { buffer.append(c); pos += 1; continue }
            let escapeStart = pos
            pos += 1
            guard pos < end else { throw error("unterminated string literal", at: startLoc, incomplete: true) }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "n"): buffer.append(10)
            case UInt8(ascii: "t"): buffer.append(9)
            case UInt8(ascii: "r"): buffer.append(13)
            case UInt8(ascii: "0"): buffer.append(0)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): buffer.append(e)
            case UInt8(ascii: "u"):
                guard peek() == UInt8(ascii: "{") else { throw error("expected '{' after \\u", at: escapeStart) }
                pos += 1
                var value: UInt32 = 0
                var count = 0
                while pos < end, let d = hexValue(bytes[pos]) { value = value &* 16 &+ UInt32(d); pos += 1; count += 1 }
                guard peek() == UInt8(ascii: "}"), count > 0, count <= 8, let scalar = Unicode.Scalar(value) else {
                    throw error("invalid unicode escape", at: escapeStart)
                }
                pos += 1
                buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
            case UInt8(ascii: "("):
                if !buffer.isEmpty { parts.append(.text(String(decoding: buffer, as: UTF8.self))); buffer.removeAll() }
                let codeStart = pos
                let codeLine = line, codeLineStart = lineStart
                try skipInterpolation(stringStart: startLoc)
                var sub = Lexer(file: file, from: codeStart, to: pos, line: codeLine, lineStart: codeLineStart)
                // The string is closed, so more input cannot fix its code: never "incomplete".
                var subTokens: [Token]
                do { subTokens = try sub.run() } catch { error.incompleteInput = false; throw error }
                if subTokens.count >= 2, subTokens[subTokens.count - 2].isNewline { subTokens.remove(at: subTokens.count - 2) }
                if subTokens.count == 1 { throw error("empty interpolation '\\()'", at: escapeStart) }
                parts.append(.code(subTokens, location(at: codeStart)))
                pos += 1 // the closing ')'
            default:
                throw error("unknown escape sequence '\\\(String(decoding: [e], as: UTF8.self))'", at: escapeStart)
            }
        }
        if !buffer.isEmpty || parts.isEmpty { parts.append(.text(String(decoding: buffer, as: UTF8.self))) }
        add(.string(parts), from: start, at: startLoc)
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
    /// and nested string literals.
    private mutating func skipInterpolation(stringStart: SourceLocation) throws(RecError) {
        var depth = 0
        while pos < end {
            let c = bytes[pos]
            switch c {
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                if depth == 0 { return }
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
        throw error("unterminated string interpolation", at: stringStart, incomplete: true)
    }

    private static let threeCharOps: [String] = ["...", "..<", "//="]
    private static let twoCharOps: Set<String> = ["|>", "??", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=",
                                                 "*=", "/=", "%=", "//", "**", "->"]

    private mutating func punctuation() throws(RecError) {
        let start = pos
        let c = bytes[pos]
        if pos + 2 < end || pos + 2 == end {
            let three = String(decoding: bytes[pos..<min(pos + 3, end)], as: UTF8.self)
            if Lexer.threeCharOps.contains(three) { pos += 3; add(.op(three), from: start); return }
        }
        if pos + 1 < end {
            let two = String(decoding: bytes[pos..<pos + 2], as: UTF8.self)
            if Lexer.twoCharOps.contains(two) { pos += 2; add(.op(two), from: start); return }
        }
        switch c {
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
            brackets.append(c)
            bracketLocations.append(location(at: start))
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            let open: UInt8 = c == UInt8(ascii: ")") ? UInt8(ascii: "(") : c == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
            guard let last = brackets.last else {
                throw error("unexpected '\(String(decoding: [c], as: UTF8.self))' with nothing to close", at: start)
            }
            guard last == open else {
                let expected = last == UInt8(ascii: "(") ? ")" : last == UInt8(ascii: "[") ? "]" : "}"
                throw error("expected '\(expected)' but found '\(String(decoding: [c], as: UTF8.self))'", at: start)
            }
            brackets.removeLast()
            bracketLocations.removeLast()
            // A closing brace ends the statement it closes: make the newline implicit.
            if c == UInt8(ascii: "}"), let last = tokens.last, !last.isNewline, last.kind != .op("{") {
                tokens.append(Token(kind: .newline, location: location(at: start), start: start, end: start, spaceBefore: false))
            }
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: ","),
             UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "."), UInt8(ascii: "?"):
            break
        default:
            let scalarEnd = min(end, pos + max(1, utf8Length(c)))
            let text = String(decoding: bytes[pos..<scalarEnd], as: UTF8.self)
            throw error("unexpected character '\(text)'", at: start)
        }
        pos += 1
        add(.op(String(decoding: [c], as: UTF8.self)), from: start)
    }

    private func utf8Length(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }
}
